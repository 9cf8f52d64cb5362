//! portfolio (DESIGN 3.5): a learner's claims against rubric criteria.

use crate::model::Node;
use crate::model::decode::{At, Decoder};
use serde::Serialize;

/// A learner's portfolio.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Portfolio {
    /// Who.
    pub learner: Learner,
    /// The module (MOD-559).
    pub module: Option<At<String>>,
    /// Criteria claimed, with evidence.
    pub claims: Vec<Claim>,
    /// The learner's reflection (Markdown).
    pub reflection: Option<At<String>>,
}

/// The learner.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Learner {
    /// Full name.
    pub name: Option<At<String>>,
    /// Handle: the learner's URL.
    pub handle: At<String>,
}

/// One claim.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Claim {
    /// `RUBRIC#CRITERION`.
    pub criterion: At<String>,
    /// Items that show it.
    pub evidence: Vec<At<String>>,
    /// The learner's note.
    pub note: Option<At<String>>,
}

/// Fields of a portfolio beyond the header.
pub const FIELDS: &[&str] = &["learner", "module", "claims", "reflection"];

impl Portfolio {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Portfolio> {
        if doc.get("learner").is_none() {
            d.missing(doc, "learner", "add `learner:` with `name` and `handle`");
        }
        let learner = d.nested(doc, "learner", |d, n| {
            d.fields(n, "a learner", &["name", "handle"]);
            Some(Learner {
                name: d.text(n, "name"),
                handle: d.req_text(
                    n,
                    "handle",
                    "add the learner's `handle` (lowercase, used in URLs)",
                )?,
            })
        });
        let claims = d.list(doc, "claims", |d, n| {
            d.fields(n, "a claim", &["criterion", "evidence", "note"]);
            Some(Claim {
                criterion: d.req_text(
                    n,
                    "criterion",
                    "name the criterion as `RUBRIC#CRITERION`",
                )?,
                evidence: d.texts(n, "evidence"),
                note: d.text(n, "note"),
            })
        });
        Some(Portfolio {
            learner: learner?,
            module: d.text(doc, "module"),
            claims,
            reflection: d.text(doc, "reflection"),
        })
    }
}
