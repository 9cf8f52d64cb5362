//! rubric (DESIGN 3.6): competency criteria, their levels and the checks a claim's
//! evidence must pass.

use crate::model::Node;
use crate::model::decode::{At, Decoder};
use serde::Serialize;

/// A competency rubric.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Rubric {
    /// The competency (platform-security).
    pub competency: Option<At<String>>,
    /// Proficiency levels, lowest first.
    pub levels: Vec<At<String>>,
    /// The modules whose portfolios it assesses (MOD-559); empty for every portfolio.
    pub modules: Vec<At<String>>,
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

/// One criterion.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Criterion {
    /// Unique in the rubric; claims name it as `RUBRIC#ID`.
    pub id: At<String>,
    /// What is assessed.
    pub title: Option<At<String>>,
    /// One of the rubric's levels.
    pub level: Option<At<String>>,
    /// The evidence a claim must cite.
    pub requires: Option<Requires>,
    /// The checks every claim's evidence is evaluated with.
    #[schemars(with = "Vec<serde_json::Value>")]
    pub checks: Vec<super::checks::Check>,
}

/// What evidence a criterion requires.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Requires {
    /// The kind of evidence (threat-model, scan, ...).
    pub kind: Option<At<String>>,
    /// How many items of that kind, at least.
    pub minimum: Option<At<u32>>,
}

/// Fields of a rubric beyond the header.
pub const FIELDS: &[&str] = &["competency", "levels", "modules", "criteria"];

impl Rubric {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Rubric> {
        let levels = d.texts(doc, "levels");
        let criteria = d.list(doc, "criteria", |d, n| {
            d.fields(
                n,
                "a criterion",
                &["id", "title", "level", "requires", "checks"],
            );
            let level = d.text(n, "level");
            if let Some(l) = &level
                && !levels.is_empty()
                && !levels.iter().any(|x| x.value == l.value)
            {
                let names: Vec<&str> = levels.iter().map(|x| x.value.as_str()).collect();
                d.at_key("level", |d| {
                    d.error(
                        "E0206",
                        l.pos,
                        l.len(),
                        format!("`{}` is not one of the rubric's levels", l.value),
                        format!("allowed values: {}", names.join(", ")),
                    )
                });
            }
            let requires = d.nested(n, "requires", |d, r| {
                d.fields(r, "`requires`", &["kind", "minimum"]);
                Some(Requires {
                    kind: d.text(r, "kind"),
                    minimum: d.count(r, "minimum"),
                })
            });
            if let Some(k) = requires.as_ref().and_then(|r| r.kind.as_ref())
                && crate::model::Kind::from_name(&k.value).is_none()
            {
                d.at_key("requires", |d| {
                    d.at_key("kind", |d| {
                        d.error(
                            "E0206",
                            k.pos,
                            k.len(),
                            format!("`{}` is not a kind", k.value),
                            format!(
                                "allowed values: {}",
                                crate::model::Kind::names().collect::<Vec<_>>().join(", ")
                            ),
                        )
                    })
                });
            }
            let required = requires
                .as_ref()
                .and_then(|r| r.kind.as_ref())
                .and_then(|k| crate::model::Kind::from_name(&k.value));
            let checks = super::checks::decode(d, n, required);
            Some(Criterion {
                id: d.req_text(n, "id", "give the criterion an `id`")?,
                title: d.text(n, "title"),
                level,
                requires,
                checks,
            })
        });
        Some(Rubric {
            competency: d.text(doc, "competency"),
            levels,
            modules: d.texts(doc, "modules"),
            criteria,
        })
    }
}
