//! catalog (DESIGN 3.8): a control catalog.

use crate::model::Node;
use crate::model::decode::{At, Decoder};
use serde::Serialize;

/// A control catalog.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Catalog {
    /// Where the controls come from.
    pub source: Option<At<String>>,
    /// The licence of the source.
    pub license: Option<At<String>>,
    /// The controls.
    pub controls: Vec<Control>,
}

/// A control.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Control {
    /// Unique in the catalog; `CATALOG:ID` refers to it.
    pub id: At<String>,
    /// Short title.
    pub title: Option<At<String>>,
    /// What it requires.
    pub description: Option<At<String>>,
    /// Its family or group.
    pub family: Option<At<String>>,
}

/// Fields of a catalog beyond the header.
pub const FIELDS: &[&str] = &["source", "license", "controls"];

impl Catalog {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Catalog> {
        Some(Catalog {
            source: d.text(doc, "source"),
            license: d.text(doc, "license"),
            controls: d.list(doc, "controls", |d, n| {
                d.fields(n, "a control", &["id", "title", "description", "family"]);
                Some(Control {
                    id: d.req_text(n, "id", "give the control an `id`")?,
                    title: d.text(n, "title"),
                    description: d.text(n, "description"),
                    family: d.text(n, "family"),
                })
            }),
        })
    }
}
