//! Detected secrets: the rule that matched, never the text it matched.

use super::types::Secret;
use super::{Found, Place, entries};
use crate::import::common::severity::severity_word;
use crate::import::common::text::{Text, opt, owned};
use crate::import::finding::NewFinding;

/// A secret: its rule, never its text (the caller sets the location).
pub(super) fn secret(
    rule: Option<Text<'_>>,
    category: Option<Text<'_>>,
    title: Option<Text<'_>>,
    severity: Option<Text<'_>>,
) -> NewFinding {
    let id = owned(rule).unwrap_or_else(|| "secret".to_owned());
    NewFinding {
        rule: Some(id.clone()),
        severity: opt(&severity).and_then(severity_word),
        title: owned(title).or_else(|| opt(&category).map(|c| format!("{c} secret"))),
        id,
        ..NewFinding::default()
    }
}

impl Found {
    /// A result's secrets, each at its line.
    pub(super) fn secrets(&mut self, list: Option<Vec<Secret<'_>>>, place: &Place<'_>, base: &str) {
        for (path, s) in entries(list, base, "Secrets") {
            let f = secret(s.rule_id, s.category, s.title, s.severity);
            self.findings.push_at(place.at_line(f, s.start_line), &path);
        }
    }
}
