//! What every OSCAL model shares: its metadata, back-matter references, and how a model
//! becomes a catalog item or names its findings.

use crate::import::Report;
use crate::import::finding::at;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::{Catalog, Control};
use crate::model::{Kind, slugify};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Metadata {
    pub(super) title: String,
    pub(super) last_modified: Option<String>,
    pub(super) version: Option<String>,
    pub(super) oscal_version: Option<String>,
    #[serde(default)]
    pub(super) links: Vec<Link>,
}

#[derive(Deserialize)]
pub(super) struct Link {
    pub(super) href: String,
    pub(super) rel: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Href {
    pub(super) href: String,
}

#[derive(Deserialize)]
pub(super) struct BackMatter {
    #[serde(default)]
    resources: Vec<Resource>,
}

#[derive(Deserialize)]
struct Resource {
    uuid: String,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    rlinks: Vec<Rlink>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    media_type: Option<String>,
}

/// The date part of an OSCAL date-time (`2024-02-13T17:43:40Z`).
pub(super) fn date_of(s: Option<&str>) -> Option<jiff::civil::Date> {
    s?.get(..10)?.parse().ok()
}

/// `MODEL, version V (OSCAL X)` from the metadata.
pub(super) fn describe(model: &str, m: &Metadata) -> String {
    let mut s = format!("OSCAL {model}");
    if let Some(v) = m.version.as_deref().filter(|v| !v.trim().is_empty()) {
        s.push_str(&format!(", version {}", v.trim()));
    }
    if let Some(v) = m.oscal_version.as_deref().filter(|v| !v.trim().is_empty()) {
        s.push_str(&format!(" (OSCAL {})", v.trim()));
    }
    s
}

pub(super) fn catalog_report(m: &Metadata, source: String, controls: Vec<Control>) -> Report {
    Report {
        kind: Kind::Catalog,
        title: m.title.trim().to_owned(),
        updated: date_of(m.last_modified.as_deref()),
        body: Body::Catalog(Catalog {
            source: Some(at(source, "source")),
            license: None,
            version: None,
            url: None,
            controls,
        }),
    }
}

/// What an href names: a `#uuid` fragment is looked up in the back-matter (its title or
/// description, and the JSON rlink if any); anything else is kept as written.
pub(super) fn resolve_href(href: &str, back: Option<&BackMatter>) -> String {
    let Some(uuid) = href.strip_prefix('#') else {
        return href.to_owned();
    };
    let Some(r) = back.and_then(|b| b.resources.iter().find(|r| r.uuid == uuid)) else {
        return href.to_owned();
    };
    let name = r
        .title
        .as_deref()
        .or(r.description.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let link = r
        .rlinks
        .iter()
        .find(|l| l.media_type.as_deref().is_some_and(|m| m.ends_with("json")))
        .or_else(|| r.rlinks.first())
        .map(|l| l.href.as_str());
    match (name, link) {
        (Some(n), Some(l)) => format!("{n} ({l})"),
        (Some(n), None) => n.to_owned(),
        (None, Some(l)) => l.to_owned(),
        (None, None) => href.to_owned(),
    }
}

/// The first 8 characters of a uuid, enough to tell items apart on a page.
pub(super) fn short(uuid: &str) -> String {
    uuid.trim().chars().take(8).collect()
}

/// A finding's id: the first 8 characters of its uuid, else its title's slug (`None`
/// when neither gives one; the caller numbers it then).
pub(super) fn finding_id(uuid: Option<&str>, title: Option<&str>) -> Option<String> {
    uuid.map(short)
        .filter(|u| !u.is_empty())
        .or_else(|| title.map(slugify))
        .filter(|s| !s.is_empty())
}
