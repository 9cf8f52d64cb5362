//! `profile`: the controls a profile selects, unresolved.

use super::metadata::{BackMatter, Metadata, catalog_report, describe, resolve_href};
use crate::import::Report;
use crate::import::finding::at;
use crate::model::kinds::catalog::Control;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Profile {
    metadata: Metadata,
    #[serde(default)]
    imports: Vec<Import>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Import {
    href: String,
    #[serde(default)]
    include_all: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    include_controls: Vec<Selection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Selection {
    #[serde(default)]
    with_ids: Vec<String>,
}

pub(super) fn profile(p: &Profile) -> Report {
    let mut seen = std::collections::HashSet::new();
    let mut controls = Vec::new();
    let mut imports = Vec::new();
    for (i, imp) in p.imports.iter().enumerate() {
        let mut what = resolve_href(&imp.href, p.back_matter.as_ref());
        if imp.include_all.is_some() {
            what.push_str(" (all controls)");
        }
        imports.push(what);
        for (j, sel) in imp.include_controls.iter().enumerate() {
            for (k, id) in sel.with_ids.iter().enumerate() {
                let id = id.trim();
                if id.is_empty() || !seen.insert(id.to_owned()) {
                    continue;
                }
                let path = format!("profile.imports[{i}].include-controls[{j}].with-ids[{k}]");
                controls.push(Control {
                    id: at(id.to_owned(), path.clone()),
                    title: Some(at(id.to_owned(), path.clone())),
                    description: None,
                    family: Some(at("profile".to_owned(), path)),
                    maps: Vec::new(),
                });
            }
        }
    }
    let mut source = describe("profile", &p.metadata);
    if !imports.is_empty() {
        source.push_str(&format!("; imports {}", imports.join(", ")));
    }
    catalog_report(&p.metadata, source, controls)
}
