//! The typed body of each native kind (DESIGN section 3), decoded with every problem
//! reported at its field.

pub mod catalog;
pub mod common;
pub mod exception;
pub mod fairness;
pub mod packet;
pub mod portfolio;
pub mod rubric;
pub mod scan;
pub mod tabletop;
pub mod threat_model;

use super::Kind;
use super::decode::{At, Decoder};
use super::node::Node;
use serde::Serialize;

/// The kind-specific part of an item.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// threat-model
    ThreatModel(threat_model::ThreatModel),
    /// scan
    Scan(scan::Scan),
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
}

/// The fields a kind takes beyond the common header.
pub fn fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::ThreatModel => threat_model::FIELDS,
        Kind::Scan => scan::FIELDS,
        Kind::Exception => exception::FIELDS,
        Kind::Fairness => fairness::FIELDS,
        Kind::Tabletop => tabletop::FIELDS,
        Kind::Portfolio => portfolio::FIELDS,
        Kind::Rubric => rubric::FIELDS,
        Kind::Packet => packet::FIELDS,
        Kind::Catalog => catalog::FIELDS,
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
        Kind::Exception => exception::Exception::decode(d, doc).map(Body::Exception),
        Kind::Fairness => fairness::Fairness::decode(d, doc).map(Body::Fairness),
        Kind::Tabletop => tabletop::Tabletop::decode(d, doc).map(Body::Tabletop),
        Kind::Portfolio => portfolio::Portfolio::decode(d, doc).map(Body::Portfolio),
        Kind::Rubric => rubric::Rubric::decode(d, doc).map(Body::Rubric),
        Kind::Packet => packet::Packet::decode(d, doc).map(Body::Packet),
        Kind::Catalog => catalog::Catalog::decode(d, doc).map(Body::Catalog),
    }
}

/// A sub-item that `ITEM#ID` (or `CATALOG:ID` for controls) can name.
#[derive(Debug, Clone, Copy)]
pub struct Sub<'a> {
    /// What it is (threat, asset, finding, ...).
    pub what: &'static str,
    /// Its id.
    pub id: &'a At<String>,
}

impl Body {
    /// Every sub-item with an id, in document order.
    pub fn subs(&self) -> Vec<Sub<'_>> {
        let sub = |what, id| Sub { what, id };
        match self {
            Body::ThreatModel(t) => t
                .assets
                .iter()
                .map(|a| sub("asset", &a.id))
                .chain(t.flows.iter().map(|f| sub("flow", &f.id)))
                .chain(t.threats.iter().map(|x| sub("threat", &x.id)))
                .collect(),
            Body::Scan(s) => s.findings.iter().map(|f| sub("finding", &f.id)).collect(),
            Body::Tabletop(t) => t.actions.iter().map(|a| sub("action", &a.id)).collect(),
            Body::Rubric(r) => r.criteria.iter().map(|c| sub("criterion", &c.id)).collect(),
            Body::Catalog(c) => c.controls.iter().map(|x| sub("control", &x.id)).collect(),
            Body::Exception(_) | Body::Fairness(_) | Body::Portfolio(_) | Body::Packet(_) => {
                Vec::new()
            }
        }
    }
}
