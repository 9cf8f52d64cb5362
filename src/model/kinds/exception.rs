//! exception (DESIGN 3.3): an approved, expiring risk exception.

use crate::model::Node;
use crate::model::decode::{At, Decoder};
use jiff::civil::Date;
use serde::Serialize;

/// A risk exception.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Exception {
    /// What it covers: `SCAN#FINDING`, `TM#THREAT`, or `SCAN#RULE` for every finding of a rule.
    pub covers: Vec<At<String>>,
    /// Why the risk is taken.
    pub reason: Option<At<String>>,
    /// Who approved it.
    pub approved_by: Vec<At<String>>,
    /// When.
    pub approved_on: Option<At<Date>>,
    /// When it stops holding.
    pub expires: Option<At<Date>>,
}

/// Fields of an exception beyond the header.
pub const FIELDS: &[&str] = &["covers", "reason", "approved_by", "approved_on", "expires"];

impl Exception {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Exception> {
        Some(Exception {
            covers: d.texts(doc, "covers"),
            reason: d.req_text(doc, "reason", "say why the risk is accepted in `reason`"),
            approved_by: d.texts(doc, "approved_by"),
            approved_on: d.date(doc, "approved_on"),
            expires: d.req_date(doc, "expires"),
        })
    }
}
