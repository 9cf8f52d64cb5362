//! Two pages must never be written to the same place.

use crate::diag::{Diagnostic, Pos};
use crate::model::kinds::Body;
use crate::model::{Kind, Site, TargetKind, url};
use std::borrow::Cow;
use std::collections::HashMap;

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
        crate::model::url::BACKLOG_URL.to_owned(),
        "the backlog".to_owned(),
    ));
    out.push((
        url::COVERAGE_URL.to_owned(),
        "the coverage matrix".to_owned(),
    ));
    out.push((
        url::PACKETS_URL.to_owned(),
        "the index of packets".to_owned(),
    ));
    out.push((
        url::CONTROLS_URL.to_owned(),
        "the index of controls".to_owned(),
    ));
    if !site.pages.iter().any(|p| p.url.is_empty()) {
        out.push((String::new(), "the generated home page".to_owned()));
    }
    out
}

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    // Borrowed where the registry holds the text: 20,000 pages need no copies.
    let mut owners: HashMap<Cow<'_, str>, Cow<'_, str>> = generated(site)
        .into_iter()
        .map(|(u, what)| (Cow::Owned(u), Cow::Owned(what)))
        .collect();
    let portfolio = TargetKind::Item(Kind::Portfolio);
    let mut defs: Vec<(&str, &str, bool)> = site
        .registry
        .iter()
        .map(|(_, t)| (t.url.as_str(), t.file.as_str(), t.kind == portfolio))
        .collect();
    defs.sort_by(|a, b| a.1.cmp(b.1));
    // A learner's portfolios share their learner's page on purpose.
    let mut learner_pages: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut diags = Vec::new();
    for (u, file, is_portfolio) in defs {
        if is_portfolio && !learner_pages.insert(u) {
            continue;
        }
        match owners.get(&Cow::Borrowed(u)) {
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
                owners.insert(Cow::Borrowed(u), Cow::Borrowed(file));
            }
        }
    }
    // Every control has a page under its catalog's (two ids may slugify alike).
    for item in &site.items {
        let Body::Catalog(c) = &item.body else {
            continue;
        };
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for control in &c.controls {
            // An id repeated in its catalog is E0313 (check/catalogs.rs), not a clash too.
            if !seen.insert(control.id.value.trim()) {
                continue;
            }
            let u = url::control_url(&item.header.id, control.id.value.trim());
            let what = format!(
                "control {}:{} ({})",
                item.header.id,
                control.id.value.trim(),
                item.file
            );
            match owners.get(&Cow::Borrowed(u.as_str())) {
                Some(other) => diags.push(
                    Diagnostic::error(
                        "E0303",
                        &item.file,
                        format!("the page of control `{}` would be written to /{u}, where {other} is written too", control.id.value.trim()),
                    )
                    .at(control.id.pos)
                    .spanning(control.id.len())
                    .with_path(control.id.path.clone())
                    .with_help("give the control an id that differs in more than case and punctuation, or move the other page"),
                ),
                None => {
                    owners.insert(Cow::Owned(u), Cow::Owned(what));
                }
            }
        }
    }
    diags
}
