//! Trivy JSON (`trivy image|fs|repo|config --format json`, SchemaVersion 2): one scan item
//! per report, with a finding for every entry of every result's `Vulnerabilities`, failed
//! `Misconfigurations`, `Secrets` and `ExperimentalModifiedFindings`.
//!
//! The structure is Trivy's Go types (pkg/types/report.go); no JSON Schema is published.
//! Mapping notes:
//! - A vulnerability's `Status` is the advisory's state for the package, not this
//!   artifact's: `fixed` means "a fixed version exists", so it stays open (as do
//!   `affected`, `will_not_fix`, `fix_deferred`, `end_of_life`, `under_investigation`
//!   and `unknown`). Only `not_affected` becomes not-affected.
//! - Misconfigurations are imported only when their `Status` is `FAIL` (PASS and
//!   EXCEPTION entries are checks that held or were waived in Trivy's own policy).
//! - A secret's `Match` and `Code` are never read: they can hold the secret itself.
//! - `ExperimentalModifiedFindings` are findings a VEX statement or an ignore file took
//!   out of the main lists: `Status: not_affected` becomes not-affected, anything else
//!   suppressed, with the `Statement` (or the `Source` that suppressed it) as justification.
//! - `UNKNOWN` severity (or none) leaves the finding without a severity.
//!
//! Strings are borrowed from the report where they hold no escapes, so a 100 MB report
//! costs little beyond its text and the findings it becomes.

use super::detect::Probe;
use super::finding::{Findings, NewFinding, at, severity_word, text};
use super::{Format, Report, json_error};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{FindingStatus, Rule as ScanRule, Scan};
use serde::Deserialize;
use std::borrow::Cow;

/// A string from the report, borrowed when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl Text<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text of an optional string, trimmed, `None` when empty.
fn opt<'t>(t: &'t Option<Text<'_>>) -> Option<&'t str> {
    t.as_ref()
        .map(|t| t.as_str().trim())
        .filter(|s| !s.is_empty())
}

/// An optional string as owned text, `None` when empty.
fn owned(t: Option<Text<'_>>) -> Option<String> {
    t.map(|t| t.0.into_owned()).filter(|s| !s.trim().is_empty())
}

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(rename = "ArtifactName", borrow)]
    artifact_name: Option<Text<'a>>,
    #[serde(rename = "ArtifactType", borrow)]
    artifact_type: Option<Text<'a>>,
    #[serde(rename = "CreatedAt", borrow)]
    created_at: Option<Text<'a>>,
    #[serde(rename = "Results", borrow)]
    results: Option<Vec<TrivyResult<'a>>>,
}

#[derive(Deserialize)]
struct TrivyResult<'a> {
    #[serde(rename = "Target", borrow)]
    target: Option<Text<'a>>,
    #[serde(rename = "Vulnerabilities", borrow)]
    vulnerabilities: Option<Vec<Vulnerability<'a>>>,
    #[serde(rename = "Misconfigurations", borrow)]
    misconfigurations: Option<Vec<Misconfiguration<'a>>>,
    #[serde(rename = "Secrets", borrow)]
    secrets: Option<Vec<Secret<'a>>>,
    #[serde(rename = "ExperimentalModifiedFindings", borrow)]
    modified: Option<Vec<Modified<'a>>>,
}

#[derive(Deserialize)]
struct Vulnerability<'a> {
    #[serde(rename = "VulnerabilityID", borrow)]
    id: Text<'a>,
    #[serde(rename = "PkgName", borrow)]
    pkg_name: Option<Text<'a>>,
    #[serde(rename = "InstalledVersion", borrow)]
    installed_version: Option<Text<'a>>,
    #[serde(rename = "FixedVersion", borrow)]
    fixed_version: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    status: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    title: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    primary_url: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    references: Option<Vec<Text<'a>>>,
    #[serde(rename = "Description", borrow)]
    description: Option<Text<'a>>,
    #[serde(rename = "CweIDs", borrow)]
    cwe_ids: Option<Vec<Text<'a>>>,
}

#[derive(Deserialize)]
struct Misconfiguration<'a> {
    #[serde(rename = "ID", borrow)]
    id: Option<Text<'a>>,
    #[serde(rename = "AVDID", borrow)]
    avd_id: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    title: Option<Text<'a>>,
    #[serde(rename = "Message", borrow)]
    message: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    severity: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    status: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    primary_url: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    references: Option<Vec<Text<'a>>>,
    #[serde(rename = "CauseMetadata")]
    cause: Option<Cause>,
    #[serde(rename = "Description", borrow)]
    description: Option<Text<'a>>,
    #[serde(rename = "Resolution", borrow)]
    resolution: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Cause {
    #[serde(rename = "StartLine")]
    start_line: Option<u64>,
}

/// A detected secret. `Match` and `Code` are deliberately not fields: they can hold the
/// secret, and nothing read from them could leak into the site.
#[derive(Deserialize)]
struct Secret<'a> {
    #[serde(rename = "RuleID", borrow)]
    rule_id: Option<Text<'a>>,
    #[serde(rename = "Category", borrow)]
    category: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    title: Option<Text<'a>>,
    #[serde(rename = "StartLine")]
    start_line: Option<u64>,
}

/// A finding a VEX statement or an ignore rule modified.
#[derive(Deserialize)]
struct Modified<'a> {
    #[serde(rename = "Type", borrow)]
    kind: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    status: Option<Text<'a>>,
    #[serde(rename = "Statement", borrow)]
    statement: Option<Text<'a>>,
    #[serde(rename = "Source", borrow)]
    source: Option<Text<'a>>,
    #[serde(rename = "Finding", borrow)]
    finding: AnyFinding<'a>,
}

/// The `Finding` of a modified finding: a vulnerability, misconfiguration, secret or
/// licence, whichever `Type` says; the union of the fields this importer reads.
#[derive(Deserialize)]
struct AnyFinding<'a> {
    #[serde(rename = "VulnerabilityID", borrow)]
    vulnerability_id: Option<Text<'a>>,
    #[serde(rename = "ID", borrow)]
    id: Option<Text<'a>>,
    #[serde(rename = "AVDID", borrow)]
    avd_id: Option<Text<'a>>,
    #[serde(rename = "RuleID", borrow)]
    rule_id: Option<Text<'a>>,
    /// A licence's name.
    #[serde(rename = "Name", borrow)]
    name: Option<Text<'a>>,
    #[serde(rename = "PkgName", borrow)]
    pkg_name: Option<Text<'a>>,
    #[serde(rename = "InstalledVersion", borrow)]
    installed_version: Option<Text<'a>>,
    #[serde(rename = "FixedVersion", borrow)]
    fixed_version: Option<Text<'a>>,
    #[serde(rename = "FilePath", borrow)]
    file_path: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    title: Option<Text<'a>>,
    #[serde(rename = "Message", borrow)]
    message: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    primary_url: Option<Text<'a>>,
    #[serde(rename = "Link", borrow)]
    link: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    references: Option<Vec<Text<'a>>>,
    #[serde(rename = "StartLine")]
    start_line: Option<u64>,
    #[serde(rename = "CauseMetadata")]
    cause: Option<Cause>,
}

/// Trivy's report has `SchemaVersion` with `Results` or `ArtifactName`; a report from
/// before SchemaVersion still has `ArtifactName` and `Results`.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    (p.has("SchemaVersion") && (p.has("Results") || p.has("ArtifactName")))
        || (p.has("ArtifactName") && p.has("Results"))
}

/// Parses the report borrowing its strings. The first pass does not track the JSON path
/// (on a large report the path tracking costs a third of the parse); only a report that
/// fails is parsed again to name the field that broke it.
fn parse<'a, T: Deserialize<'a>>(
    format: Format,
    text: &'a str,
    rel: &str,
) -> Result<T, Vec<Diagnostic>> {
    serde_json::from_str(text).or_else(|_| {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| vec![json_error(format, rel, &e)])
    })
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc<'_> = parse(Format::Trivy, text, rel)?;
    let artifact = owned(doc.artifact_name);
    let target = artifact.as_ref().map(|a| match opt(&doc.artifact_type) {
        Some(t) => format!("{a} ({t})"),
        None => a.clone(),
    });
    let scanned = opt(&doc.created_at)
        .and_then(|c| c.get(..10))
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let mut findings = Findings::default();
    let mut rules = Rules::default();
    for (r, result) in doc.results.into_iter().flatten().enumerate() {
        let place = opt(&result.target).map(str::to_owned);
        let located = |line: Option<u64>| (place.clone(), line.filter(|l| *l > 0));
        for (i, v) in result.vulnerabilities.into_iter().flatten().enumerate() {
            let path = format!("Results[{r}].Vulnerabilities[{i}]");
            rules.vulnerability(&v, &path);
            let not_affected = opt(&v.status) == Some("not_affected");
            findings.push_at(
                NewFinding {
                    status: not_affected.then_some(FindingStatus::NotAffected),
                    justification: not_affected
                        .then(|| "Trivy's advisory data marks the package not affected".to_owned()),
                    ..vulnerability(
                        v.id,
                        v.pkg_name,
                        v.installed_version,
                        v.fixed_version,
                        v.severity,
                        v.title,
                        v.primary_url,
                        v.references,
                    )
                },
                &path,
            );
        }
        for (i, m) in result.misconfigurations.into_iter().flatten().enumerate() {
            if opt(&m.status) != Some("FAIL") {
                continue;
            }
            let path = format!("Results[{r}].Misconfigurations[{i}]");
            rules.misconfiguration(&m, &path);
            let line = m.cause.as_ref().and_then(|c| c.start_line);
            findings.push_at(
                NewFinding {
                    location: located(line).0,
                    line: located(line).1,
                    ..misconfiguration(
                        m.id,
                        m.avd_id,
                        m.title,
                        m.message,
                        m.severity,
                        m.primary_url,
                        m.references,
                    )
                },
                &path,
            );
        }
        for (i, s) in result.secrets.into_iter().flatten().enumerate() {
            let path = format!("Results[{r}].Secrets[{i}]");
            findings.push_at(
                NewFinding {
                    location: located(s.start_line).0,
                    line: located(s.start_line).1,
                    ..secret(s.rule_id, s.category, s.title, s.severity)
                },
                &path,
            );
        }
        for (i, m) in result.modified.into_iter().flatten().enumerate() {
            let path = format!("Results[{r}].ExperimentalModifiedFindings[{i}]");
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
            let f = m.finding;
            let line = f.start_line.or(f.cause.as_ref().and_then(|c| c.start_line));
            let base = match kind.as_deref() {
                Some("misconfiguration") => NewFinding {
                    location: located(line).0,
                    line: located(line).1,
                    ..misconfiguration(
                        f.id,
                        f.avd_id,
                        f.title,
                        f.message,
                        f.severity,
                        f.primary_url,
                        f.references,
                    )
                },
                Some("secret") => NewFinding {
                    location: located(line).0,
                    line: located(line).1,
                    ..secret(f.rule_id, None, f.title, f.severity)
                },
                Some("license") => licence(f, place.as_deref()),
                _ => match f.vulnerability_id {
                    Some(id) => vulnerability(
                        id,
                        f.pkg_name,
                        f.installed_version,
                        f.fixed_version,
                        f.severity,
                        f.title,
                        f.primary_url,
                        f.references,
                    ),
                    None => NewFinding {
                        id: owned(f.id.or(f.rule_id).or(f.name))
                            .unwrap_or_else(|| kind.clone().unwrap_or_else(|| "finding".into())),
                        severity: opt(&f.severity).and_then(severity_word),
                        title: owned(f.title),
                        location: located(line).0,
                        line: located(line).1,
                        ..NewFinding::default()
                    },
                },
            };
            findings.push_at(
                NewFinding {
                    status: Some(status),
                    justification,
                    ..base
                },
                &path,
            );
        }
    }
    let findings = findings.finish();
    let title = match &artifact {
        Some(a) => format!("Trivy scan of {a} ({} findings)", findings.len()),
        None => format!("Trivy scan ({} findings)", findings.len()),
    };
    Ok(Report {
        kind: Kind::Scan,
        title,
        updated: scanned,
        body: Body::Scan(Scan {
            tool: Some(at("trivy".to_owned(), "tool")),
            rules: rules.list,
            target: target.map(|t| at(t, "ArtifactName")),
            scanned: scanned.map(|d| at(d, "CreatedAt")),
            report: None,
            findings,
        }),
    })
}

/// The advisories and checks the findings name, each described once.
#[derive(Default)]
struct Rules {
    list: Vec<ScanRule>,
    seen: std::collections::HashSet<String>,
}

impl Rules {
    fn fresh(&mut self, id: &str) -> bool {
        !id.is_empty() && self.seen.insert(id.to_owned())
    }

    /// A vulnerability's advisory: its description, link, severity and CWEs.
    fn vulnerability(&mut self, v: &Vulnerability<'_>, path: &str) {
        let id = v.id.as_str().trim();
        if !self.fresh(id) {
            return;
        }
        let field = |x: &Option<Text<'_>>, f: &str| text(opt(x), &format!("{path}.{f}"));
        self.list.push(ScanRule {
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

    /// A misconfiguration check: its description and how to resolve what it finds.
    fn misconfiguration(&mut self, m: &Misconfiguration<'_>, path: &str) {
        let Some(id) = opt(&m.id).or(opt(&m.avd_id)) else {
            return;
        };
        if !self.fresh(id) {
            return;
        }
        let field = |x: &Option<Text<'_>>, f: &str| text(opt(x), &format!("{path}.{f}"));
        let help = match (opt(&m.description), opt(&m.resolution)) {
            (Some(d), Some(r)) => Some(format!("{d}\n\nResolution: {r}")),
            (Some(d), None) => Some(d.to_owned()),
            (None, Some(r)) => Some(format!("Resolution: {r}")),
            (None, None) => None,
        };
        self.list.push(ScanRule {
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
}

/// How a modified finding's status reads in a justification built from its source.
fn status_phrase(status: &Option<Text<'_>>) -> String {
    match opt(status) {
        Some(s) => s.replace('_', " "),
        None => "suppressed".to_owned(),
    }
}

/// The advisory links: the primary URL first, then the rest without repeating it.
fn links(primary: Option<Text<'_>>, references: Option<Vec<Text<'_>>>) -> Vec<String> {
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
fn vulnerability(
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
    let location = match (opt(&pkg), opt(&version)) {
        (Some(p), Some(v)) => Some(format!("{p}@{v}")),
        (Some(p), None) => Some(p.to_owned()),
        _ => None,
    };
    let title = owned(title).or_else(|| match (opt(&pkg), opt(&version)) {
        (Some(p), Some(v)) => Some(format!("{p} {v}: {id}")),
        (Some(p), None) => Some(format!("{p}: {id}")),
        _ => None,
    });
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

/// A failed misconfiguration check (the caller sets the location).
fn misconfiguration(
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

/// A secret: its rule, never its text (the caller sets the location).
fn secret(
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

/// A licence finding (only seen here as a modified finding).
fn licence(f: AnyFinding<'_>, target: Option<&str>) -> NewFinding {
    let name = owned(f.name).unwrap_or_else(|| "licence".to_owned());
    let location = opt(&f.pkg_name)
        .or(opt(&f.file_path))
        .or(target)
        .map(str::to_owned);
    NewFinding {
        rule: Some(name.clone()),
        severity: opt(&f.severity).and_then(severity_word),
        title: Some(match &location {
            Some(l) => format!("Licence {name} in {l}"),
            None => format!("Licence {name}"),
        }),
        location,
        references: owned(f.link).into_iter().collect(),
        id: name,
        ..NewFinding::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect::{Format, detect};
    use crate::model::kinds::scan::Finding;

    const REPORT: &str = r#"{
      "SchemaVersion": 2,
      "CreatedAt": "2024-09-09T13:21:09.230231+06:00",
      "ArtifactName": "alpine:3.10",
      "ArtifactType": "container_image",
      "Results": [
        {"Target": "alpine:3.10 (alpine 3.10.2)", "Class": "os-pkgs", "Type": "alpine",
         "Vulnerabilities": [
          {"VulnerabilityID": "CVE-2019-1549", "PkgName": "libcrypto1.1", "InstalledVersion": "1.1.1c-r0",
           "FixedVersion": "1.1.1d-r0", "Status": "fixed", "Severity": "MEDIUM",
           "Title": "openssl: information disclosure in fork()",
           "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2019-1549",
           "References": ["https://avd.aquasec.com/nvd/cve-2019-1549", "https://example.com/a?x=1\u0026y=2"]},
          {"VulnerabilityID": "CVE-2019-1549", "PkgName": "libssl1.1", "InstalledVersion": "1.1.1c-r0",
           "Severity": "UNKNOWN", "Status": "not_affected"}
         ]},
        {"Target": "Dockerfile", "Class": "config", "Type": "dockerfile",
         "MisconfSummary": {"Successes": 1, "Failures": 1},
         "Misconfigurations": [
          {"ID": "DS002", "AVDID": "AVD-DS-0002", "Title": "Image user should not be 'root'", "Severity": "HIGH",
           "Status": "FAIL", "PrimaryURL": "https://avd.aquasec.com/misconfig/ds002",
           "CauseMetadata": {"Provider": "Dockerfile", "StartLine": 3, "Code": {"Lines": []}}},
          {"ID": "DS001", "Title": "':latest' tag used", "Severity": "MEDIUM", "Status": "PASS"}
         ]},
        {"Target": "deploy.sh", "Class": "secret",
         "Secrets": [
          {"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL", "Title": "AWS Access Key ID",
           "StartLine": 3, "EndLine": 3, "Match": "export AWS_ACCESS_KEY_ID=AKIAREALSECRET",
           "Code": {"Lines": [{"Number": 3, "Content": "export AWS_ACCESS_KEY_ID=AKIAREALSECRET"}]}}
         ]},
        {"Target": "package-lock.json", "Class": "lang-pkgs",
         "ExperimentalModifiedFindings": [
          {"Type": "vulnerability", "Status": "not_affected", "Statement": "vulnerable_code_not_in_execute_path",
           "Source": "./vex.json",
           "Finding": {"VulnerabilityID": "CVE-2017-16137", "PkgName": "debug", "InstalledVersion": "3.0.1",
                       "Status": "fixed", "Severity": "LOW"}},
          {"Type": "misconfiguration", "Status": "ignored", "Source": ".trivyignore.yaml",
           "Finding": {"ID": "DS026", "Title": "No HEALTHCHECK", "Severity": "LOW", "Status": "FAIL",
                       "CauseMetadata": {"StartLine": 1}}},
          {"Type": "secret", "Status": "ignored", "Statement": "test fixture", "Source": ".trivyignore",
           "Finding": {"RuleID": "github-pat", "Title": "GitHub PAT", "Severity": "CRITICAL", "StartLine": 9,
                       "Match": "ghp_SECRETSECRET"}}
         ]}
      ]
    }"#;

    fn findings(text: &str) -> (Report, Vec<Finding>) {
        let mut r = import(text, "evidence/scans/trivy.json").unwrap();
        let Body::Scan(s) = &mut r.body else { panic!() };
        let f = std::mem::take(&mut s.findings);
        (r, f)
    }

    fn value<T: ToString>(x: &Option<T>) -> Option<String> {
        x.as_ref().map(ToString::to_string)
    }

    #[test]
    fn detects_trivy_by_its_keys() {
        assert_eq!(detect(REPORT), Some(Format::Trivy));
        assert_eq!(
            detect(r#"{"SchemaVersion": 2, "ArtifactName": "x"}"#),
            Some(Format::Trivy)
        );
        assert_eq!(
            detect(r#"{"ArtifactName": "x", "Results": []}"#),
            Some(Format::Trivy)
        );
        assert_eq!(detect(r#"{"SchemaVersion": 2}"#), None);
        assert_eq!(detect(r#"{"Results": []}"#), None);
    }

    #[test]
    fn imports_every_kind_of_finding() {
        let (r, f) = findings(REPORT);
        assert_eq!(r.title, "Trivy scan of alpine:3.10 (7 findings)");
        assert_eq!(r.updated.unwrap().to_string(), "2024-09-09");
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(value(&s.target).unwrap(), "alpine:3.10 (container_image)");
        assert_eq!(value(&s.tool).unwrap(), "trivy");
        let ids: Vec<String> = f.iter().map(|x| x.id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "CVE-2019-1549",
                "CVE-2019-1549-2",
                "DS002",
                "aws-access-key-id",
                "CVE-2017-16137",
                "DS026",
                "github-pat"
            ]
        );
        // The repeated CVE keeps its rule, so `SCAN#CVE-2019-1549` covers both.
        assert_eq!(value(&f[1].rule).unwrap(), "CVE-2019-1549");
    }

    #[test]
    fn vulnerabilities_keep_package_fix_and_links() {
        let (_, f) = findings(REPORT);
        let v = &f[0];
        assert_eq!(value(&v.location).unwrap(), "libcrypto1.1@1.1.1c-r0");
        assert_eq!(value(&v.fixed_version).unwrap(), "1.1.1d-r0");
        assert_eq!(value(&v.severity).unwrap().to_string(), "medium");
        assert_eq!(
            value(&v.title).unwrap(),
            "openssl: information disclosure in fork()"
        );
        let refs: Vec<&str> = v.references().iter().map(|r| &**r).collect();
        assert_eq!(
            refs,
            [
                "https://avd.aquasec.com/nvd/cve-2019-1549",
                "https://example.com/a?x=1&y=2"
            ]
        );
        // Status "fixed" means a fix exists, not that this image has it.
        assert_eq!(v.status(), FindingStatus::Open);
        // UNKNOWN gives no severity; not_affected is not-affected; no title gives pkg + id.
        let u = &f[1];
        assert!(u.severity.is_none());
        assert_eq!(u.status(), FindingStatus::NotAffected);
        assert_eq!(
            value(&u.title).unwrap(),
            "libssl1.1 1.1.1c-r0: CVE-2019-1549"
        );
        assert_eq!(u.at.path(), "Results[0].Vulnerabilities[1]");
    }

    #[test]
    fn misconfigurations_and_secrets_are_placed_at_their_line() {
        let (_, f) = findings(REPORT);
        assert_eq!(value(&f[2].location).unwrap(), "Dockerfile:3");
        assert_eq!(value(&f[2].severity).unwrap().to_string(), "high");
        assert_eq!(
            value(&f[2].title).unwrap(),
            "Image user should not be 'root'"
        );
        let s = &f[3];
        assert_eq!(value(&s.location).unwrap(), "deploy.sh:3");
        assert_eq!(value(&s.severity).unwrap().to_string(), "critical");
        assert_eq!(value(&s.title).unwrap(), "AWS Access Key ID");
    }

    #[test]
    fn secret_text_never_reaches_a_finding() {
        let (_, f) = findings(REPORT);
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("AKIAREALSECRET"), "{json}");
        assert!(!json.contains("ghp_SECRETSECRET"), "{json}");
    }

    #[test]
    fn modified_findings_are_not_affected_or_suppressed() {
        let (_, f) = findings(REPORT);
        let vex = &f[4];
        assert_eq!(vex.status(), FindingStatus::NotAffected);
        assert_eq!(
            value(&vex.justification).unwrap(),
            "vulnerable_code_not_in_execute_path"
        );
        assert_eq!(value(&vex.location).unwrap(), "debug@3.0.1");
        assert_eq!(vex.at.path(), "Results[3].ExperimentalModifiedFindings[0]");
        let ignored = &f[5];
        assert_eq!(ignored.status(), FindingStatus::Suppressed);
        assert_eq!(
            value(&ignored.justification).unwrap(),
            "ignored by .trivyignore.yaml"
        );
        assert_eq!(value(&ignored.location).unwrap(), "package-lock.json:1");
        assert_eq!(f[6].status(), FindingStatus::Suppressed);
        assert_eq!(value(&f[6].justification).unwrap(), "test fixture");
        assert_eq!(value(&f[6].location).unwrap(), "package-lock.json:9");
    }

    #[test]
    fn a_report_with_no_results_is_an_empty_scan() {
        let (r, f) = findings(r#"{"SchemaVersion": 2, "ArtifactName": "repo", "Results": null}"#);
        assert!(f.is_empty());
        assert_eq!(r.title, "Trivy scan of repo (0 findings)");
        assert!(r.updated.is_none());
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let text = r#"{"SchemaVersion": 2, "ArtifactName": "plain", "Results": [{"Target": "a\u0026b",
            "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "References": ["https://x"]}]}]}"#;
        let doc: Doc<'_> = parse(Format::Trivy, text, "t.json").unwrap();
        assert!(matches!(
            doc.artifact_name.unwrap().0,
            Cow::Borrowed("plain")
        ));
        let r = &doc.results.as_ref().unwrap()[0];
        assert!(matches!(&r.target.as_ref().unwrap().0, Cow::Owned(t) if t == "a&b"));
        let v = &r.vulnerabilities.as_ref().unwrap()[0];
        assert!(matches!(v.id.0, Cow::Borrowed("CVE-1")));
        assert!(matches!(
            v.references.as_ref().unwrap()[0].0,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_broken_report_names_the_field() {
        let d = import(
            r#"{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Vulnerabilities": [{"VulnerabilityID": 5}]}]}"#,
            "evidence/t.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "Results[0].Vulnerabilities[0].VulnerabilityID");
        assert!(d[0].message.contains("Trivy JSON"), "{}", d[0].message);
    }
}
