//! `catalog` (also a resolved profile): every control and enhancement, in document order.

use super::metadata::{Metadata, catalog_report, describe};
use crate::import::Report;
use crate::import::finding::{at, text};
use crate::model::kinds::catalog::Control;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct OscalCatalog {
    metadata: Metadata,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct Group {
    title: Option<String>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct OscalControl {
    id: String,
    title: Option<String>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct Part {
    name: Option<String>,
    prose: Option<String>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
}

#[derive(Deserialize)]
struct Prop {
    name: String,
    value: String,
}

pub(super) fn catalog(c: &OscalCatalog) -> Report {
    let mut controls = Vec::new();
    for (i, ctl) in c.controls.iter().enumerate() {
        walk_controls(ctl, None, &format!("catalog.controls[{i}]"), &mut controls);
    }
    for (i, g) in c.groups.iter().enumerate() {
        walk_group(g, None, &format!("catalog.groups[{i}]"), &mut controls);
    }
    let mut source = describe("catalog", &c.metadata);
    if let Some(l) = c
        .metadata
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("source-profile"))
    {
        source.push_str(&format!(", resolved from profile {}", l.href));
    }
    catalog_report(&c.metadata, source, controls)
}

/// A group's controls take its title as their family; a nested group without a title
/// keeps its parent's.
fn walk_group(g: &Group, family: Option<&str>, path: &str, out: &mut Vec<Control>) {
    let family = g
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or(family);
    for (i, ctl) in g.controls.iter().enumerate() {
        walk_controls(ctl, family, &format!("{path}.controls[{i}]"), out);
    }
    for (i, sub) in g.groups.iter().enumerate() {
        walk_group(sub, family, &format!("{path}.groups[{i}]"), out);
    }
}

fn walk_controls(c: &OscalControl, family: Option<&str>, path: &str, out: &mut Vec<Control>) {
    let mut prose = Vec::new();
    for p in c
        .parts
        .iter()
        .filter(|p| p.name.as_deref() == Some("statement"))
    {
        flatten(p, &mut prose);
    }
    let description = prose.join(" ");
    out.push(Control {
        id: at(c.id.trim().to_owned(), format!("{path}.id")),
        title: text(c.title.as_deref(), &format!("{path}.title")),
        description: text(Some(&description), &format!("{path}.parts")),
        family: text(family, &format!("{path}.family")),
        maps: Vec::new(),
    });
    for (i, sub) in c.controls.iter().enumerate() {
        walk_controls(sub, family, &format!("{path}.controls[{i}]"), out);
    }
}

/// A part's label and prose, then its sub-parts', in document order.
fn flatten(p: &Part, out: &mut Vec<String>) {
    let label = p
        .props
        .iter()
        .find(|x| x.name == "label")
        .map(|x| x.value.trim())
        .filter(|l| !l.is_empty());
    let prose = p.prose.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (label, prose) {
        (Some(l), Some(t)) => out.push(format!("{l} {t}")),
        (Some(l), None) => out.push(l.to_owned()),
        (None, Some(t)) => out.push(t.to_owned()),
        (None, None) => {}
    }
    for sub in &p.parts {
        flatten(sub, out);
    }
}
