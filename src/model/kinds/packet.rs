//! packet (DESIGN 3.7): a reusable responsible-AI packet.

use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::Serialize;

choice!(
    /// A sign-off's decision.
    Decision { Approved = "approved", Rejected = "rejected", ApprovedWithConditions = "approved-with-conditions" }
);

/// A packet.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Packet {
    /// Who it is for.
    pub audience: Vec<At<String>>,
    /// Markdown summary.
    pub summary: Option<At<String>>,
    /// Packets whose content is inherited.
    pub extends: Vec<At<String>>,
    /// Evidence items.
    pub evidence: Vec<At<String>>,
    /// Controls and the evidence satisfying each.
    pub controls: Vec<ControlEvidence>,
    /// Sign-offs.
    pub signoffs: Vec<Signoff>,
}

/// A control with its evidence.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ControlEvidence {
    /// `CATALOG:CONTROL`.
    pub control: At<String>,
    /// Items satisfying it.
    pub evidence: Vec<At<String>>,
}

/// A sign-off.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Signoff {
    /// The role signing (security-lead).
    pub role: At<String>,
    /// Who.
    pub by: Option<At<String>>,
    /// When.
    pub on: Option<At<Date>>,
    /// The decision.
    pub decision: Option<At<Decision>>,
    /// Conditions of an approval with conditions.
    pub conditions: Vec<At<String>>,
}

/// Fields of a packet beyond the header.
pub const FIELDS: &[&str] = &[
    "audience", "summary", "extends", "evidence", "controls", "signoffs",
];

impl Packet {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Packet> {
        Some(Packet {
            audience: d.texts(doc, "audience"),
            summary: d.text(doc, "summary"),
            extends: d.texts(doc, "extends"),
            evidence: d.texts(doc, "evidence"),
            controls: d.list(doc, "controls", |d, n| {
                d.fields(n, "a control entry", &["control", "evidence"]);
                Some(ControlEvidence {
                    control: d.req_text(n, "control", "name the control as `CATALOG:CONTROL`")?,
                    evidence: d.texts(n, "evidence"),
                })
            }),
            signoffs: d.list(doc, "signoffs", |d, n| {
                d.fields(
                    n,
                    "a sign-off",
                    &["role", "by", "on", "decision", "conditions"],
                );
                Some(Signoff {
                    role: d.req_text(n, "role", "name the signing role")?,
                    by: d.text(n, "by"),
                    on: d.date(n, "on"),
                    decision: d.req_choice(n, "decision"),
                    conditions: d.texts(n, "conditions"),
                })
            }),
        })
    }
}
