//! `component-definition`: control implementations gathered into one control per id
//! (the gathering is shared with the system security plan).

use super::metadata::{BackMatter, Metadata, catalog_report, describe, resolve_href};
use crate::import::Report;
use crate::import::finding::{at, text};
use crate::model::kinds::catalog::Control;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ComponentDefinition {
    metadata: Metadata,
    #[serde(default)]
    components: Vec<Component>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Component {
    title: String,
    #[serde(default)]
    control_implementations: Vec<ControlImplementation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation {
    source: Option<String>,
    #[serde(default)]
    implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ImplementedRequirement {
    control_id: String,
    description: Option<String>,
    #[serde(default)]
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    description: Option<String>,
}

/// One control being gathered from the implementations of every component.
struct Implemented {
    id: String,
    path: String,
    components: Vec<String>,
    texts: Vec<(String, String)>,
}

/// Control implementations gathered in first-seen order, one control per id.
#[derive(Default)]
pub(super) struct Gathered {
    order: Vec<Implemented>,
    index: std::collections::HashMap<String, usize>,
}

impl Gathered {
    /// Records that `component` implements control `id` with `text` (empty: no text).
    pub(super) fn add(&mut self, id: &str, path: String, component: &str, text: String) {
        let slot = match self.index.get(id) {
            Some(&i) => i,
            None => {
                self.order.push(Implemented {
                    id: id.to_owned(),
                    path,
                    components: Vec::new(),
                    texts: Vec::new(),
                });
                self.index.insert(id.to_owned(), self.order.len() - 1);
                self.order.len() - 1
            }
        };
        let entry = &mut self.order[slot];
        if !entry.components.iter().any(|c| c == component) {
            entry.components.push(component.to_owned());
        }
        if !text.is_empty() {
            entry.texts.push((component.to_owned(), text));
        }
    }

    /// The controls: titled and grouped by the components that implement them, described
    /// by their implementation texts (each prefixed by its component when several).
    pub(super) fn controls(self) -> Vec<Control> {
        self.order
            .into_iter()
            .map(|x| {
                let comps = x.components.join(", ");
                let description = match x.texts.as_slice() {
                    [(_, t)] => t.clone(),
                    many => many
                        .iter()
                        .map(|(c, t)| format!("{c}: {t}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let p = |f: &str| format!("{}.{f}", x.path);
                Control {
                    title: text(Some(&format!("{comps}: {}", x.id)), &p("title")),
                    description: text(Some(&description), &p("description")),
                    family: text(Some(&comps), &p("family")),
                    maps: Vec::new(),
                    id: at(x.id, p("control-id")),
                }
            })
            .collect()
    }
}

pub(super) fn component_definition(c: &ComponentDefinition) -> Report {
    let mut gathered = Gathered::default();
    let mut sources = Vec::new();
    for (i, comp) in c.components.iter().enumerate() {
        let name = comp.title.trim();
        for (j, ci) in comp.control_implementations.iter().enumerate() {
            if let Some(s) = ci.source.as_deref() {
                let s = resolve_href(s, c.back_matter.as_ref());
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            for (k, req) in ci.implemented_requirements.iter().enumerate() {
                let desc: Vec<&str> = req
                    .description
                    .iter()
                    .chain(req.statements.iter().filter_map(|s| s.description.as_ref()))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                gathered.add(
                    req.control_id.trim(),
                    format!(
                        "component-definition.components[{i}].control-implementations[{j}].implemented-requirements[{k}]"
                    ),
                    name,
                    desc.join(" "),
                );
            }
        }
    }
    let mut source = describe("component-definition", &c.metadata);
    if !sources.is_empty() {
        source.push_str(&format!("; implements {}", sources.join(", ")));
    }
    catalog_report(&c.metadata, source, gathered.controls())
}
