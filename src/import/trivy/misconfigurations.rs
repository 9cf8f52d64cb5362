//! Failed misconfiguration checks, and the checks they fail described once.

use super::types::Misconfiguration;
use super::vulnerabilities::links;
use super::{Found, Place, entries};
use crate::import::common::severity::severity_word;
use crate::import::common::text::{Text, opt, owned};
use crate::import::finding::{NewFinding, RuleSet, at, text};
use crate::model::kinds::scan::Rule as ScanRule;

/// A failed misconfiguration check (the caller sets the location).
pub(super) fn misconfiguration(
    id: Option<Text<'_>>,
    avd_id: Option<Text<'_>>,
    title: Option<Text<'_>>,
    message: Option<Text<'_>>,
    severity: Option<Text<'_>>,
    primary: Option<Text<'_>>,
    references: Option<Vec<Text<'_>>>,
) -> NewFinding {
    let id = owned(id)
        .or_else(|| owned(avd_id))
        .unwrap_or_else(|| "misconfiguration".to_owned());
    NewFinding {
        rule: Some(id.clone()),
        severity: opt(&severity).and_then(severity_word),
        title: owned(title).or_else(|| owned(message)),
        references: links(primary, references),
        id,
        ..NewFinding::default()
    }
}

impl Found {
    /// A result's failed checks (PASS and EXCEPTION entries held or were waived).
    pub(super) fn misconfigurations(
        &mut self,
        list: Option<Vec<Misconfiguration<'_>>>,
        place: &Place<'_>,
        base: &str,
    ) {
        for (path, m) in entries(list, base, "Misconfigurations") {
            if opt(&m.status) != Some("FAIL") {
                continue;
            }
            describe(&mut self.rules, &m, &path);
            let line = m.cause.as_ref().and_then(|c| c.start_line);
            let f = misconfiguration(
                m.id,
                m.avd_id,
                m.title,
                m.message,
                m.severity,
                m.primary_url,
                m.references,
            );
            self.findings.push_at(place.at_line(f, line), &path);
        }
    }
}

/// A misconfiguration check, described once: what it checks and how to resolve what it
/// finds.
fn describe(rules: &mut RuleSet, m: &Misconfiguration<'_>, path: &str) {
    let Some(id) = opt(&m.id).or(opt(&m.avd_id)) else {
        return;
    };
    if !rules.fresh(id) {
        return;
    }
    let field = |x: &Option<Text<'_>>, f: &str| text(opt(x), &format!("{path}.{f}"));
    let help = match (opt(&m.description), opt(&m.resolution)) {
        (Some(d), Some(r)) => Some(format!("{d}\n\nResolution: {r}")),
        (Some(d), None) => Some(d.to_owned()),
        (None, Some(r)) => Some(format!("Resolution: {r}")),
        (None, None) => None,
    };
    rules.list.push(ScanRule {
        id: at(id.to_owned(), format!("{path}.ID")),
        name: None,
        description: field(&m.title, "Title"),
        help: None,
        help_text: help.map(|h| at(h, format!("{path}.Description"))),
        help_uri: field(&m.primary_url, "PrimaryURL").or_else(|| {
            text(
                m.references.iter().flatten().next().map(Text::as_str),
                &format!("{path}.References[0]"),
            )
        }),
        severity: opt(&m.severity)
            .and_then(severity_word)
            .map(|s| at(s, format!("{path}.Severity"))),
        tags: Vec::new(),
    });
}
