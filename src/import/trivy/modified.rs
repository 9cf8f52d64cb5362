//! `ExperimentalModifiedFindings`: findings a VEX statement or an ignore file took out
//! of the main lists, kept as not-affected or suppressed.

use super::licences::licence;
use super::misconfigurations::misconfiguration;
use super::secrets::secret;
use super::types::{AnyFinding, Modified};
use super::vulnerabilities::vulnerability;
use super::{Found, Place, entries};
use crate::import::common::severity::severity_word;
use crate::import::common::text::{Text, opt, owned};
use crate::import::finding::NewFinding;
use crate::model::kinds::scan::FindingStatus;

/// How a modified finding's status reads in a justification built from its source.
fn status_phrase(status: &Option<Text<'_>>) -> String {
    match opt(status) {
        Some(s) => s.replace('_', " "),
        None => "suppressed".to_owned(),
    }
}

impl Found {
    /// A result's modified findings: `Status: not_affected` is not-affected, anything
    /// else suppressed, justified by the `Statement`, else by the `Source` that took it out.
    pub(super) fn modified(
        &mut self,
        list: Option<Vec<Modified<'_>>>,
        place: &Place<'_>,
        base: &str,
    ) {
        for (path, m) in entries(list, base, "ExperimentalModifiedFindings") {
            let status = if opt(&m.status) == Some("not_affected") {
                FindingStatus::NotAffected
            } else {
                FindingStatus::Suppressed
            };
            let justification = match (opt(&m.statement), opt(&m.source)) {
                (Some(s), _) => Some(s.to_owned()),
                (None, Some(src)) => Some(format!("{} by {src}", status_phrase(&m.status))),
                (None, None) => None,
            };
            let kind = opt(&m.kind).map(str::to_owned);
            let base = modified_finding(kind, m.finding, place);
            self.findings.push_at(
                NewFinding {
                    status: Some(status),
                    justification,
                    ..base
                },
                &path,
            );
        }
    }
}

/// The finding a modified finding holds, read as the kind its `Type` names.
fn modified_finding(kind: Option<String>, f: AnyFinding<'_>, place: &Place<'_>) -> NewFinding {
    let line = f.start_line.or(f.cause.as_ref().and_then(|c| c.start_line));
    match kind.as_deref() {
        Some("misconfiguration") => place.at_line(
            misconfiguration(
                f.id,
                f.avd_id,
                f.title,
                f.message,
                f.severity,
                f.primary_url,
                f.references,
            ),
            line,
        ),
        Some("secret") => place.at_line(secret(f.rule_id, None, f.title, f.severity), line),
        Some("license") => licence(f, place.target.as_deref()),
        _ => match f.vulnerability_id {
            Some(id) => {
                let v = vulnerability(
                    id,
                    f.pkg_name,
                    f.installed_version,
                    f.fixed_version,
                    f.severity,
                    f.title,
                    f.primary_url,
                    f.references,
                );
                NewFinding {
                    location: place.within(v.location.clone()),
                    ..v
                }
            }
            None => place.at_line(
                NewFinding {
                    id: owned(f.id.or(f.rule_id).or(f.name))
                        .unwrap_or_else(|| kind.clone().unwrap_or_else(|| "finding".into())),
                    severity: opt(&f.severity).and_then(severity_word),
                    title: owned(f.title),
                    ..NewFinding::default()
                },
                line,
            ),
        },
    }
}
