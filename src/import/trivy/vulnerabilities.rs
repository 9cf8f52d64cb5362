//! Vulnerabilities: one finding per package and advisory, each advisory described once.

use super::types::Vulnerability;
use super::{Found, Place, entries};
use crate::import::common::location::{package_at, package_title};
use crate::import::common::severity::severity_word;
use crate::import::common::text::{Text, opt, owned};
use crate::import::finding::{NewFinding, RuleSet, at, text};
use crate::model::kinds::scan::{FindingStatus, Rule as ScanRule};

/// The advisory links: the primary URL first, then the rest without repeating it.
pub(super) fn links(primary: Option<Text<'_>>, references: Option<Vec<Text<'_>>>) -> Vec<String> {
    let primary = owned(primary);
    let mut out: Vec<String> = primary.iter().cloned().collect();
    for r in references.into_iter().flatten() {
        if primary.as_deref() != Some(r.as_str()) {
            out.push(r.0.into_owned());
        }
    }
    out
}

/// A vulnerability (open; the caller sets another status).
#[allow(clippy::too_many_arguments)]
pub(super) fn vulnerability(
    id: Text<'_>,
    pkg: Option<Text<'_>>,
    version: Option<Text<'_>>,
    fixed: Option<Text<'_>>,
    severity: Option<Text<'_>>,
    title: Option<Text<'_>>,
    primary: Option<Text<'_>>,
    references: Option<Vec<Text<'_>>>,
) -> NewFinding {
    let id = id.0.into_owned();
    let location = package_at(opt(&pkg), opt(&version));
    let title = owned(title).or_else(|| package_title(opt(&pkg), opt(&version), &id));
    NewFinding {
        rule: Some(id.clone()),
        severity: opt(&severity).and_then(severity_word),
        title,
        location,
        fixed_version: owned(fixed),
        references: links(primary, references),
        id,
        ..NewFinding::default()
    }
}

impl Found {
    /// A result's vulnerabilities; only `Status: not_affected` changes the status (see the
    /// module notes: `fixed` means a fixed version exists).
    pub(super) fn vulnerabilities(
        &mut self,
        list: Option<Vec<Vulnerability<'_>>>,
        place: &Place<'_>,
        base: &str,
    ) {
        for (path, v) in entries(list, base, "Vulnerabilities") {
            describe(&mut self.rules, &v, &path);
            let not_affected = opt(&v.status) == Some("not_affected");
            let f = vulnerability(
                v.id,
                v.pkg_name,
                v.installed_version,
                v.fixed_version,
                v.severity,
                v.title,
                v.primary_url,
                v.references,
            );
            self.findings.push_at(
                NewFinding {
                    status: not_affected.then_some(FindingStatus::NotAffected),
                    justification: not_affected
                        .then(|| "Trivy's advisory data marks the package not affected".to_owned()),
                    location: place.within(f.location.clone()),
                    ..f
                },
                &path,
            );
        }
    }
}

/// A vulnerability's advisory, described once: its description, link, severity and CWEs.
fn describe(rules: &mut RuleSet, v: &Vulnerability<'_>, path: &str) {
    let id = v.id.as_str().trim();
    if !rules.fresh(id) {
        return;
    }
    let field = |x: &Option<Text<'_>>, f: &str| text(opt(x), &format!("{path}.{f}"));
    rules.list.push(ScanRule {
        id: at(id.to_owned(), format!("{path}.VulnerabilityID")),
        name: None,
        description: field(&v.title, "Title"),
        help: None,
        help_text: field(&v.description, "Description"),
        help_uri: field(&v.primary_url, "PrimaryURL"),
        severity: opt(&v.severity)
            .and_then(severity_word)
            .map(|s| at(s, format!("{path}.Severity"))),
        tags: v
            .cwe_ids
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(j, c)| text(Some(c.as_str()), &format!("{path}.CweIDs[{j}]")))
            .collect(),
    });
}
