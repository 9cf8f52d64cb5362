//! catalog (DESIGN 3.8): a control catalog.

use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use serde::Serialize;

choice!(
    /// How a control relates to a control of another catalog (a crosswalk), in the terms
    /// of NIST's OLIR set-theory relationships.
    Relation {
        EquivalentTo = "equivalent-to",
        SubsetOf = "subset-of",
        SupersetOf = "superset-of",
        IntersectsWith = "intersects-with",
    }
);

/// A control catalog.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Catalog {
    /// Where the controls come from.
    pub source: Option<At<String>>,
    /// The licence of the source.
    pub license: Option<At<String>>,
    /// The version or release of the source (1.0, 2025).
    pub version: Option<At<String>>,
    /// Where to read the source.
    pub url: Option<At<String>>,
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
    /// Crosswalk: how it maps onto controls of other catalogs.
    pub maps: Vec<Mapping>,
}

/// One crosswalk entry.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Mapping {
    /// The other control, `CATALOG:CONTROL`.
    pub to: At<String>,
    /// How this control relates to it.
    pub relation: At<Relation>,
}

/// Fields of a catalog beyond the header.
pub const FIELDS: &[&str] = &["source", "license", "version", "url", "controls"];

impl Catalog {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Catalog> {
        Some(Catalog {
            source: d.text(doc, "source"),
            license: d.text(doc, "license"),
            version: d.text(doc, "version"),
            url: d.text(doc, "url"),
            controls: d.list(doc, "controls", |d, n| {
                d.fields(
                    n,
                    "a control",
                    &["id", "title", "description", "family", "maps"],
                );
                Some(Control {
                    id: d.req_text(n, "id", "give the control an `id`")?,
                    title: d.text(n, "title"),
                    description: d.text(n, "description"),
                    family: d.text(n, "family"),
                    maps: d.list(n, "maps", |d, m| {
                        d.fields(m, "a mapping", &["to", "relation"]);
                        Some(Mapping {
                            to: d.req_text(
                                m,
                                "to",
                                "name the other control as `CATALOG:CONTROL`",
                            )?,
                            relation: d.req_choice(m, "relation")?,
                        })
                    }),
                })
            }),
        })
    }
}
