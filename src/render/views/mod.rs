//! Kind views: what each kind's template shows, computed here so that templates stay
//! simple. Every reference is resolved to a link relative to the page that shows it,
//! every date is compared against the build's `today`, and Markdown fields go through
//! the same safe renderer as content pages.

mod backlog;
mod catalog;
mod controls;
mod exception;
mod fairness;
mod figures;
mod format;
mod index;
mod module;
mod packets;
mod portfolio;
mod print;
mod rubric;
mod sbom;
mod scan;
mod tabletop;
mod threat_model;

pub(crate) use backlog::backlog;
pub(crate) use controls::{control_page, controls_index};
pub(crate) use index::{Index, Link};
pub(crate) use packets::{packets_index, used_in};
pub(crate) use print::evidence_facts;

use crate::model::Item;
use crate::model::kinds::Body;
use serde::Serialize;

/// An asset or flow id of the model (an in-page anchor) or the name of something else.
#[derive(Debug, Serialize)]
struct Local {
    text: String,
    /// `#id` when it names an asset or flow of this model.
    anchor: Option<String>,
}

/// Every kind's view; serialised as the view itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum View {
    ThreatModel(threat_model::ThreatModelView),
    Scan(scan::ScanView),
    Sbom(sbom::SbomView),
    Exception(exception::ExceptionView),
    Fairness(fairness::FairnessView),
    Tabletop(tabletop::TabletopView),
    Portfolio(portfolio::PortfolioView),
    Rubric(rubric::RubricView),
    Packet(packets::PacketView),
    Catalog(catalog::CatalogView),
    Module(module::ModuleView),
}

/// The view of `item`, shown on the page at `from`.
pub(crate) fn view(index: &Index<'_>, item: &Item, from: &str) -> View {
    let id = item.header.id.as_str();
    match &item.body {
        Body::ThreatModel(t) => View::ThreatModel(threat_model::view(index, id, t, from)),
        Body::Scan(s) => View::Scan(scan::view(index, item, s, from)),
        Body::Sbom(s) => View::Sbom(sbom::view(index, item, s, from)),
        Body::Exception(e) => View::Exception(exception::view(index, e, from)),
        Body::Fairness(f) => View::Fairness(fairness::view(index, id, f, from)),
        Body::Tabletop(t) => View::Tabletop(tabletop::view(index, t, from)),
        Body::Portfolio(p) => View::Portfolio(portfolio::view(index, p, from)),
        Body::Rubric(r) => View::Rubric(rubric::view(index, id, r, from)),
        Body::Packet(p) => View::Packet(packets::packet(index, id, p, from)),
        Body::Catalog(c) => View::Catalog(catalog::view(index, id, c, from)),
        Body::Module(m) => View::Module(module::view(index, item, m, from)),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::url::fragment;

    #[test]
    fn fragments_encode_what_a_url_fragment_cannot_hold() {
        assert_eq!(fragment("CVE-2024-3094"), "CVE-2024-3094");
        assert_eq!(fragment("a b\"c"), "a-b%22c");
        assert_eq!(fragment("é"), "%C3%A9");
    }
}
