//! Detected licences (`--scanners license`).

use super::k8s::in_resource;
use super::types::AnyFinding;
use super::{Found, Place, entries};
use crate::import::common::severity::severity_word;
use crate::import::common::text::{opt, owned};
use crate::import::finding::NewFinding;

/// A detected licence: the rule is the licence name; the location the package, else
/// the file, else the result's target. The category and a confidence below 1 are kept in
/// the title (a finding has no field for them).
pub(super) fn licence(f: AnyFinding<'_>, target: Option<&str>) -> NewFinding {
    let name = owned(f.name).unwrap_or_else(|| "licence".to_owned());
    let location = opt(&f.pkg_name)
        .or(opt(&f.file_path))
        .or(target)
        .map(str::to_owned);
    let mut notes = Vec::new();
    if let Some(c) = opt(&f.category) {
        notes.push(c.to_owned());
    }
    if let Some(c) = f.confidence.filter(|c| c.is_finite() && *c < 1.0) {
        notes.push(format!("confidence {c}"));
    }
    let mut title = match &location {
        Some(l) => format!("Licence {name} in {l}"),
        None => format!("Licence {name}"),
    };
    if !notes.is_empty() {
        title.push_str(&format!(" ({})", notes.join(", ")));
    }
    NewFinding {
        rule: Some(name.clone()),
        severity: opt(&f.severity).and_then(severity_word),
        title: Some(title),
        location,
        references: owned(f.link).into_iter().collect(),
        id: name,
        ..NewFinding::default()
    }
}

impl Found {
    /// A result's licences; in a Kubernetes report the location starts with the resource.
    pub(super) fn licences(
        &mut self,
        list: Option<Vec<AnyFinding<'_>>>,
        place: &Place<'_>,
        base: &str,
    ) {
        for (path, l) in entries(list, base, "Licenses") {
            let f = licence(l, place.target.as_deref());
            self.findings.push_at(
                NewFinding {
                    location: match place.resource {
                        Some(_) => in_resource(place.target.as_deref(), f.location.as_deref()),
                        None => f.location.clone(),
                    },
                    ..f
                },
                &path,
            );
        }
    }
}
