//! Two pages must never be written to the same place.

use crate::diag::{Diagnostic, Pos};
use crate::model::{Kind, Site, url};
use std::collections::BTreeMap;

/// URLs the site generates itself; a content page there would be overwritten.
fn generated(site: &Site) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Kind::PAGES
        .iter()
        .map(|k| {
            (
                url::kind_url(*k),
                format!("the list of {}", k.plural_label().to_lowercase()),
            )
        })
        .collect();
    out.push((
        crate::render::BACKLOG_URL.to_owned(),
        "the backlog".to_owned(),
    ));
    if !site.pages.iter().any(|p| p.url.is_empty()) {
        out.push((String::new(), "the generated home page".to_owned()));
    }
    out
}

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut owners: BTreeMap<String, String> = generated(site).into_iter().collect();
    let mut defs: Vec<(&str, &str)> = site
        .registry
        .iter()
        .map(|(_, t)| (t.url.as_str(), t.file.as_str()))
        .collect();
    defs.sort_by(|a, b| a.1.cmp(b.1));
    let mut diags = Vec::new();
    for (u, file) in defs {
        match owners.get(u) {
            Some(other) => diags.push(
                Diagnostic::error(
                    "E0303",
                    file,
                    format!("this page would be written to /{u}, where {other} is written too"),
                )
                .at(Pos::new(1, 1))
                .with_help("rename or move one of them (or change its `id`)"),
            ),
            None => {
                owners.insert(u.to_owned(), file.to_owned());
            }
        }
    }
    diags
}
