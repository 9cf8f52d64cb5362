//! The typed body of each native kind (DESIGN section 3), decoded with every problem
//! reported at its field.

pub mod catalog;
pub mod checks;
pub mod common;
pub mod exception;
pub mod fairness;
pub mod module;
pub mod packet;
pub mod portfolio;
pub mod rubric;
pub mod sbom;
pub mod scan;
pub mod tabletop;
pub mod threat_model;

use super::Kind;
use super::decode::{At, Decoder};
use crate::node::Node;
use serde::Serialize;

/// The kind-specific part of an item.
// One body per item, never moved in bulk: boxing the larger kinds would only add
// indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// threat-model
    ThreatModel(threat_model::ThreatModel),
    /// scan
    Scan(scan::Scan),
    /// sbom
    Sbom(sbom::Sbom),
    /// exception
    Exception(exception::Exception),
    /// fairness
    Fairness(fairness::Fairness),
    /// tabletop
    Tabletop(tabletop::Tabletop),
    /// portfolio
    Portfolio(portfolio::Portfolio),
    /// rubric
    Rubric(rubric::Rubric),
    /// packet
    Packet(packet::Packet),
    /// catalog
    Catalog(catalog::Catalog),
    /// module (from a roadmap in Markdown)
    Module(module::Module),
}

/// The fields a kind takes beyond the common header.
pub fn fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::ThreatModel => threat_model::FIELDS,
        Kind::Scan => scan::FIELDS,
        Kind::Sbom => sbom::FIELDS,
        Kind::Exception => exception::FIELDS,
        Kind::Fairness => fairness::FIELDS,
        Kind::Tabletop => tabletop::FIELDS,
        Kind::Portfolio => portfolio::FIELDS,
        Kind::Rubric => rubric::FIELDS,
        Kind::Packet => packet::FIELDS,
        Kind::Catalog => catalog::FIELDS,
        Kind::Module => &[],
    }
}

/// Decodes the body of a document of `kind`. `None` when a required part is missing
/// (the decoder holds the diagnostics saying which).
pub fn decode(kind: Kind, d: &mut Decoder<'_>, doc: &Node) -> Option<Body> {
    let mut allowed: Vec<&str> = super::HEADER_FIELDS.to_vec();
    allowed.extend_from_slice(fields(kind));
    d.fields(doc, &format!("a {}", kind.name()), &allowed);
    match kind {
        Kind::ThreatModel => threat_model::ThreatModel::decode(d, doc).map(Body::ThreatModel),
        Kind::Scan => scan::Scan::decode(d, doc).map(Body::Scan),
        Kind::Sbom => sbom::Sbom::decode(d, doc).map(Body::Sbom),
        Kind::Exception => exception::Exception::decode(d, doc).map(Body::Exception),
        Kind::Fairness => fairness::Fairness::decode(d, doc).map(Body::Fairness),
        Kind::Tabletop => tabletop::Tabletop::decode(d, doc).map(Body::Tabletop),
        Kind::Portfolio => portfolio::Portfolio::decode(d, doc).map(Body::Portfolio),
        Kind::Rubric => rubric::Rubric::decode(d, doc).map(Body::Rubric),
        Kind::Packet => packet::Packet::decode(d, doc).map(Body::Packet),
        Kind::Catalog => catalog::Catalog::decode(d, doc).map(Body::Catalog),
        // Modules are read from Markdown (model::roadmap); the header refuses `kind: module`.
        Kind::Module => None,
    }
}

/// A sub-item that `ITEM#ID` (or `CATALOG:ID` for controls) can name.
#[derive(Debug, Clone)]
pub struct Sub<'a> {
    /// What it is (threat, asset, finding, ...).
    pub what: &'static str,
    /// Its id.
    pub id: std::borrow::Cow<'a, str>,
}

impl Body {
    /// Every sub-item with an id, in document order.
    pub fn subs(&self) -> Vec<Sub<'_>> {
        fn sub<'a>(what: &'static str, id: &'a At<String>) -> Sub<'a> {
            Sub {
                what,
                id: std::borrow::Cow::Borrowed(id.value.as_str()),
            }
        }
        fn finding(f: &scan::Finding) -> Sub<'_> {
            Sub {
                what: "finding",
                id: f.id.as_str(),
            }
        }
        match self {
            Body::ThreatModel(t) => t
                .assets
                .iter()
                .map(|a| sub("asset", &a.id))
                .chain(t.flows.iter().map(|f| sub("flow", &f.id)))
                .chain(t.threats.iter().map(|x| sub("threat", &x.id)))
                .collect(),
            Body::Scan(s) => s.findings.iter().map(finding).collect(),
            Body::Sbom(s) => s
                .components
                .iter()
                .map(|c| sub("component", &c.id))
                .chain(s.findings.iter().map(|f| finding(&f.finding)))
                .collect(),
            Body::Tabletop(t) => t.actions.iter().map(|a| sub("action", &a.id)).collect(),
            Body::Rubric(r) => r.criteria.iter().map(|c| sub("criterion", &c.id)).collect(),
            Body::Catalog(c) => c.controls.iter().map(|x| sub("control", &x.id)).collect(),
            Body::Exception(_)
            | Body::Fairness(_)
            | Body::Portfolio(_)
            | Body::Packet(_)
            | Body::Module(_) => Vec::new(),
        }
    }
}

impl Body {
    /// The findings of a scan or an SBOM (empty for other kinds): policy, exceptions and
    /// pages treat both alike.
    pub fn findings(&self) -> Vec<&scan::Finding> {
        match self {
            Body::Scan(s) => s.findings.iter().collect(),
            Body::Sbom(s) => s.findings.iter().map(|f| &f.finding).collect(),
            _ => Vec::new(),
        }
    }
}

/// What a reference written in a field must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefRule {
    /// An item (`ITEM`) or a sub-item of one (`ITEM#SUB`), of any kind.
    Evidence,
    /// A control: `CATALOG:CONTROL`.
    Control,
    /// A rubric criterion: `RUBRIC#CRITERION`.
    Criterion,
    /// A packet.
    Packet,
    /// What an exception covers: `SCAN#FINDING`, `SCAN#RULE` (or the same of an SBOM),
    /// `TM#THREAT` or `FAIRNESS#METRIC` (a disparity).
    Covered,
    /// A threat: `TM#THREAT`.
    Threat,
    /// An asset or flow id of the same threat model.
    Local,
}

/// A reference written in an item.
#[derive(Debug, Clone, Copy)]
pub struct Ref<'a> {
    /// The text as written, with its position and path.
    pub target: &'a At<String>,
    /// What it must name.
    pub rule: RefRule,
}

impl Body {
    /// Every reference the item makes, in document order.
    pub fn refs(&self) -> Vec<Ref<'_>> {
        fn push<'a>(
            out: &mut Vec<Ref<'a>>,
            rule: RefRule,
            targets: impl IntoIterator<Item = &'a At<String>>,
        ) {
            out.extend(targets.into_iter().map(|target| Ref { target, rule }));
        }
        let mut out = Vec::new();
        match self {
            Body::ThreatModel(t) => {
                for threat in &t.threats {
                    push(&mut out, RefRule::Local, &threat.affects);
                    for m in &threat.mitigations {
                        push(&mut out, RefRule::Control, &m.control);
                        push(&mut out, RefRule::Evidence, &m.evidence);
                    }
                }
            }
            Body::Exception(e) => push(&mut out, RefRule::Covered, &e.covers),
            Body::Tabletop(t) => {
                for a in &t.actions {
                    push(&mut out, RefRule::Threat, &a.threats);
                }
            }
            Body::Portfolio(p) => {
                for c in &p.claims {
                    push(&mut out, RefRule::Criterion, [&c.criterion]);
                    push(&mut out, RefRule::Evidence, &c.evidence);
                }
            }
            Body::Packet(p) => {
                push(&mut out, RefRule::Packet, &p.extends);
                push(&mut out, RefRule::Evidence, &p.evidence);
                for c in &p.controls {
                    push(&mut out, RefRule::Control, [&c.control]);
                    push(&mut out, RefRule::Evidence, &c.evidence);
                }
            }
            Body::Catalog(c) => {
                for control in &c.controls {
                    push(
                        &mut out,
                        RefRule::Control,
                        control.maps.iter().map(|m| &m.to),
                    );
                }
            }
            // A module's prerequisites may name modules of other sites: they are links
            // where they resolve, never errors (DESIGN 3.9).
            Body::Scan(_)
            | Body::Sbom(_)
            | Body::Fairness(_)
            | Body::Rubric(_)
            | Body::Module(_) => {}
        }
        out
    }
}
