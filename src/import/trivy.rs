//! Trivy JSON (`trivy image|fs|repo|config --format json`, SchemaVersion 2): one scan item
//! per report, with a finding for every entry of every result's `Vulnerabilities`, failed
//! `Misconfigurations`, `Secrets`, `Licenses` and `ExperimentalModifiedFindings`.
//!
//! Three report shapes are read: the ordinary report (`Results`), the Kubernetes report
//! (`trivy k8s`: `ClusterName` with `Resources[]`, or with `Findings[]` for `--report
//! summary`, each resource holding its own `Results`), and the legacy report of Trivy
//! before 0.20 (a bare array of results, no artifact and no date).
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
//! - A licence's rule is its name and its location the package (else the file, else the
//!   result's target); its category (restricted, notice, ...) and a confidence below 1
//!   go into the title.
//! - In a Kubernetes report every location starts with the resource,
//!   `NAMESPACE/KIND/NAME` (`KIND/NAME` for cluster-wide resources); the scan's target is
//!   the cluster.
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
    /// A Kubernetes report's cluster.
    #[serde(rename = "ClusterName", borrow)]
    cluster_name: Option<Text<'a>>,
    /// A Kubernetes report's resources (`--report all`).
    #[serde(rename = "Resources", borrow)]
    resources: Option<Vec<K8sResource<'a>>>,
    /// A Kubernetes summary report's resources, merged per workload.
    #[serde(rename = "Findings", borrow)]
    k8s_findings: Option<Vec<K8sResource<'a>>>,
}

/// One scanned Kubernetes resource.
#[derive(Deserialize)]
struct K8sResource<'a> {
    #[serde(rename = "Namespace", borrow)]
    namespace: Option<Text<'a>>,
    #[serde(rename = "Kind", borrow)]
    kind: Option<Text<'a>>,
    #[serde(rename = "Name", borrow)]
    name: Option<Text<'a>>,
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
    /// Detected licences (`--scanners license`): same fields as a modified licence.
    #[serde(rename = "Licenses", borrow)]
    licenses: Option<Vec<AnyFinding<'a>>>,
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
    /// A licence's category (forbidden, restricted, reciprocal, notice, ...).
    #[serde(rename = "Category", borrow)]
    category: Option<Text<'a>>,
    /// How sure Trivy is of a licence it read from a file (0 to 1).
    #[serde(rename = "Confidence")]
    confidence: Option<f64>,
}

/// Trivy's report has `SchemaVersion` with `Results` or `ArtifactName`; a report from
/// before SchemaVersion still has `ArtifactName` and `Results`. A Kubernetes report has
/// `ClusterName` with `Resources` or (summary) `Findings`. A legacy report (Trivy < 0.20)
/// is an array whose first element is a result: `Target` with `Type` or `Vulnerabilities`.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    (p.has("SchemaVersion") && (p.has("Results") || p.has("ArtifactName")))
        || (p.has("ArtifactName") && p.has("Results"))
        || (p.has("ClusterName") && (p.has("Resources") || p.has("Findings")))
        || (p.keys.is_empty()
            && super::detect::first_element_keys(p.text).is_some_and(|k| {
                k.iter().any(|k| k == "Target")
                    && k.iter()
                        .any(|k| matches!(k.as_str(), "Type" | "Vulnerabilities" | "Class"))
            }))
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
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[')
    {
        return import_legacy(text, rel);
    }
    let doc: Doc<'_> = parse(Format::Trivy, text, rel)?;
    if let Some(cluster) = owned(doc.cluster_name) {
        return Ok(import_k8s(cluster, doc.resources, doc.k8s_findings));
    }
    let artifact = owned(doc.artifact_name);
    let target = artifact.as_ref().map(|a| match opt(&doc.artifact_type) {
        Some(t) => format!("{a} ({t})"),
        None => a.clone(),
    });
    let scanned = opt(&doc.created_at)
        .and_then(|c| c.get(..10))
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let mut found = Found::default();
    found.collect(doc.results.unwrap_or_default(), None, "Results");
    Ok(scan_report(
        artifact.as_deref(),
        target.map(|t| at(t, "ArtifactName")),
        scanned,
        found,
    ))
}

/// A report from before Trivy 0.20: a bare array of results, with no artifact or date.
/// The first result's target names what was scanned.
fn import_legacy(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let results: Vec<TrivyResult<'_>> = parse(Format::Trivy, text, rel)?;
    let target = results
        .first()
        .and_then(|r| opt(&r.target))
        .map(|t| at(t.to_owned(), "[0].Target"));
    let mut found = Found::default();
    found.collect(results, None, "");
    let name = target.as_ref().map(|t| t.value.clone());
    Ok(scan_report(name.as_deref(), target, None, found))
}

/// A `trivy k8s --format json` report: `--report all` lists `Resources`, `--report
/// summary` the same resources merged per workload as `Findings`. Every finding's
/// location starts with the resource it was found in (`NAMESPACE/KIND/NAME`).
fn import_k8s(
    cluster: String,
    resources: Option<Vec<K8sResource<'_>>>,
    merged: Option<Vec<K8sResource<'_>>>,
) -> Report {
    let (key, list) = match (resources, merged) {
        (Some(r), _) => ("Resources", r),
        (None, Some(f)) => ("Findings", f),
        (None, None) => ("Resources", Vec::new()),
    };
    let mut found = Found::default();
    for (i, res) in list.into_iter().enumerate() {
        let name = [opt(&res.namespace), opt(&res.kind), opt(&res.name)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
        let name = if name.is_empty() {
            format!("resource {}", i + 1)
        } else {
            name
        };
        found.collect(
            res.results.unwrap_or_default(),
            Some(&name),
            &format!("{key}[{i}].Results"),
        );
    }
    let what = format!("cluster {cluster}");
    let report = scan_report(None, Some(at(what.clone(), "ClusterName")), None, found);
    Report {
        title: format!(
            "Trivy scan of {what} ({} findings)",
            report.body.findings().len()
        ),
        ..report
    }
}

/// The scan item of a report's findings.
fn scan_report(
    artifact: Option<&str>,
    target: Option<crate::model::decode::At<String>>,
    scanned: Option<jiff::civil::Date>,
    found: Found,
) -> Report {
    let findings = found.findings.finish();
    let title = match artifact {
        Some(a) => format!("Trivy scan of {a} ({} findings)", findings.len()),
        None => format!("Trivy scan ({} findings)", findings.len()),
    };
    Report {
        kind: Kind::Scan,
        title,
        updated: scanned,
        body: Body::Scan(Scan {
            tool: Some(at("trivy".to_owned(), "tool")),
            rules: found.rules.list,
            target,
            scanned: scanned.map(|d| at(d, "CreatedAt")),
            report: None,
            findings,
        }),
    }
}

/// Where a finding of a Kubernetes resource is: the resource, then the place inside it
/// unless that only repeats the resource (`KIND/NAME`, Trivy's target for manifests).
fn in_resource(resource: Option<&str>, target: Option<&str>) -> Option<String> {
    match (resource, target) {
        (Some(r), Some(t)) if r.ends_with(t) => Some(r.to_owned()),
        (Some(r), Some(t)) => Some(format!("{r}: {t}")),
        (Some(r), None) => Some(r.to_owned()),
        (None, t) => t.map(str::to_owned),
    }
}

/// A report's findings and the rules they name, as they are read.
#[derive(Default)]
struct Found {
    findings: Findings,
    rules: Rules,
}

impl Found {
    /// The findings of a list of results; `key` is the JSON path of the list (`Results`,
    /// `Resources[2].Results`, or empty for a legacy report, which is the list itself) and
    /// `resource` the Kubernetes resource they belong to.
    fn collect(&mut self, results: Vec<TrivyResult<'_>>, resource: Option<&str>, key: &str) {
        let Found { findings, rules } = self;
        for (r, result) in results.into_iter().enumerate() {
            let place = in_resource(resource, opt(&result.target));
            let located = |line: Option<u64>| (place.clone(), line.filter(|l| *l > 0));
            let in_res = |l: Option<String>| match resource {
                Some(res) => Some(match l {
                    Some(l) => format!("{res}: {l}"),
                    None => res.to_owned(),
                }),
                None => l,
            };
            let base = format!("{key}[{r}]");
            for (i, v) in result.vulnerabilities.into_iter().flatten().enumerate() {
                let path = format!("{base}.Vulnerabilities[{i}]");
                rules.vulnerability(&v, &path);
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
                findings.push_at(
                    NewFinding {
                        status: not_affected.then_some(FindingStatus::NotAffected),
                        justification: not_affected.then(|| {
                            "Trivy's advisory data marks the package not affected".to_owned()
                        }),
                        location: in_res(f.location.clone()),
                        ..f
                    },
                    &path,
                );
            }
            for (i, m) in result.misconfigurations.into_iter().flatten().enumerate() {
                if opt(&m.status) != Some("FAIL") {
                    continue;
                }
                let path = format!("{base}.Misconfigurations[{i}]");
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
                let path = format!("{base}.Secrets[{i}]");
                findings.push_at(
                    NewFinding {
                        location: located(s.start_line).0,
                        line: located(s.start_line).1,
                        ..secret(s.rule_id, s.category, s.title, s.severity)
                    },
                    &path,
                );
            }
            for (i, l) in result.licenses.into_iter().flatten().enumerate() {
                let path = format!("{base}.Licenses[{i}]");
                let f = licence(l, place.as_deref());
                findings.push_at(
                    NewFinding {
                        location: match resource {
                            Some(_) => in_resource(place.as_deref(), f.location.as_deref()),
                            None => f.location.clone(),
                        },
                        ..f
                    },
                    &path,
                );
            }
            for (i, m) in result.modified.into_iter().flatten().enumerate() {
                let path = format!("{base}.ExperimentalModifiedFindings[{i}]");
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
                                location: in_res(v.location.clone()),
                                ..v
                            }
                        }
                        None => NewFinding {
                            id: owned(f.id.or(f.rule_id).or(f.name)).unwrap_or_else(|| {
                                kind.clone().unwrap_or_else(|| "finding".into())
                            }),
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
    }
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

/// A detected licence: the rule is the licence name; the location the package, else
/// the file, else the result's target. The category and a confidence below 1 are kept in
/// the title (a finding has no field for them).
fn licence(f: AnyFinding<'_>, target: Option<&str>) -> NewFinding {
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

    const K8S: &str = r#"{
      "ClusterName": "kind-kind",
      "Resources": [
        {"Namespace": "default", "Kind": "Deployment", "Name": "web",
         "Metadata": {"OS": {"Family": "debian", "Name": "12.5"}},
         "Results": [
          {"Target": "nginx:1.25 (debian 12.5)", "Class": "os-pkgs", "Type": "debian",
           "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-2511", "PkgName": "libssl3",
             "InstalledVersion": "3.0.11-1", "FixedVersion": "3.0.13-1", "Severity": "LOW"}]}]},
        {"Namespace": "default", "Kind": "Deployment", "Name": "web",
         "Results": [
          {"Target": "Deployment/web", "Class": "config", "Type": "kubernetes",
           "MisconfSummary": {"Successes": 20, "Failures": 1},
           "Misconfigurations": [{"ID": "KSV001", "AVDID": "AVD-KSV-0001",
             "Title": "Can elevate its own privileges", "Severity": "MEDIUM", "Status": "FAIL",
             "CauseMetadata": {"Provider": "Kubernetes", "Service": "general", "StartLine": 132}}]}]},
        {"Kind": "ClusterRole", "Name": "admin", "Error": ""},
        {"Namespace": "kube-system", "Kind": "Pod", "Name": "etcd",
         "Results": [{"Target": "Pod/etcd", "Class": "config", "Type": "kubernetes",
           "Misconfigurations": [{"ID": "KCV0042", "Title": "etcd cert", "Severity": "LOW", "Status": "PASS"}]}]}
      ]
    }"#;

    #[test]
    fn kubernetes_reports_name_the_resource() {
        assert_eq!(detect(K8S), Some(Format::Trivy));
        let (r, f) = findings(K8S);
        assert_eq!(r.title, "Trivy scan of cluster kind-kind (2 findings)");
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(value(&s.target).unwrap(), "cluster kind-kind");
        assert_eq!(
            value(&f[0].location).unwrap(),
            "default/Deployment/web: libssl3@3.0.11-1"
        );
        assert_eq!(f[0].at.path(), "Resources[0].Results[0].Vulnerabilities[0]");
        assert_eq!(value(&f[1].location).unwrap(), "default/Deployment/web:132");
        assert_eq!(value(&f[1].rule).unwrap(), "KSV001");
        assert_eq!(
            f[1].at.path(),
            "Resources[1].Results[0].Misconfigurations[0]"
        );
    }

    #[test]
    fn kubernetes_summary_reports_read_findings() {
        let text = K8S.replace("\"Resources\"", "\"Findings\"");
        assert_eq!(detect(&text), Some(Format::Trivy));
        let (r, f) = findings(&text);
        assert_eq!(r.title, "Trivy scan of cluster kind-kind (2 findings)");
        assert_eq!(f[0].at.path(), "Findings[0].Results[0].Vulnerabilities[0]");
        // A resource without a namespace is KIND/NAME.
        let text = r#"{"ClusterName": "c", "Findings": [{"Kind": "Node", "Name": "n1",
            "Results": [{"Target": "node n1", "Misconfigurations": [{"ID": "KCV1", "Status": "FAIL"}]}]}]}"#;
        let (_, f) = findings(text);
        assert_eq!(value(&f[0].location).unwrap(), "Node/n1: node n1");
    }

    const LEGACY: &str = r#"[
      {"Target": "python:3.6 (debian 10.3)", "Type": "debian",
       "Vulnerabilities": [
        {"VulnerabilityID": "CVE-2011-3374", "PkgName": "apt", "InstalledVersion": "1.8.2",
         "FixedVersion": "", "Title": "It was found that apt-key ...", "Severity": "LOW",
         "References": ["https://access.redhat.com/security/cve/cve-2011-3374"]},
        {"VulnerabilityID": "CVE-2019-18276", "PkgName": "bash", "InstalledVersion": "5.0-4",
         "Severity": "HIGH"}]},
      {"Target": "app/requirements.txt", "Type": "pip", "Vulnerabilities": null}
    ]"#;

    #[test]
    fn legacy_array_reports_import() {
        assert_eq!(detect(LEGACY), Some(Format::Trivy));
        let (r, f) = findings(LEGACY);
        assert_eq!(
            r.title,
            "Trivy scan of python:3.6 (debian 10.3) (2 findings)"
        );
        assert!(r.updated.is_none());
        assert_eq!(value(&f[0].location).unwrap(), "apt@1.8.2");
        assert!(f[0].fixed_version.is_none());
        assert_eq!(f[1].at.path(), "[0].Vulnerabilities[1]");
        assert_eq!(value(&f[1].severity).unwrap().to_string(), "high");
        let d = import(
            r#"[{"Target": "x", "Type": "npm", "Vulnerabilities": [{"VulnerabilityID": ["CVE"]}]}]"#,
            "evidence/t.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "[0].Vulnerabilities[0].VulnerabilityID");
    }

    #[test]
    fn licences_become_findings() {
        let text = r#"{"SchemaVersion": 2, "ArtifactName": "img", "Results": [
          {"Target": "OS Packages", "Class": "license", "Licenses": [
            {"Severity": "HIGH", "Category": "restricted", "PkgName": "musl", "FilePath": "",
             "Name": "GPL-2.0", "Confidence": 1, "Link": ""},
            {"Severity": "LOW", "Category": "notice", "PkgName": "zlib", "Name": "Zlib",
             "Confidence": 1, "Link": "https://spdx.org/licenses/Zlib.html"}]},
          {"Target": "Loose File License(s)", "Class": "license-file", "Licenses": [
            {"Severity": "UNKNOWN", "Category": "unknown", "FilePath": "/usr/share/doc/x/COPYING",
             "Name": "AGPL-3.0", "Confidence": 0.8}]}]}"#;
        let (r, f) = findings(text);
        assert_eq!(r.title, "Trivy scan of img (3 findings)");
        assert_eq!(value(&f[0].rule).unwrap(), "GPL-2.0");
        assert_eq!(value(&f[0].location).unwrap(), "musl");
        assert_eq!(value(&f[0].severity).unwrap().to_string(), "high");
        assert_eq!(
            value(&f[0].title).unwrap(),
            "Licence GPL-2.0 in musl (restricted)"
        );
        assert_eq!(f[0].at.path(), "Results[0].Licenses[0]");
        assert!(f[0].references().is_empty());
        assert_eq!(
            &*f[1].references()[0],
            "https://spdx.org/licenses/Zlib.html"
        );
        assert_eq!(value(&f[2].location).unwrap(), "/usr/share/doc/x/COPYING");
        assert!(f[2].severity.is_none());
        assert_eq!(
            value(&f[2].title).unwrap(),
            "Licence AGPL-3.0 in /usr/share/doc/x/COPYING (unknown, confidence 0.8)"
        );
        let d = import(
            r#"{"SchemaVersion": 2, "Results": [{"Licenses": [{"Name": "MIT", "Confidence": "high"}]}]}"#,
            "evidence/t.json",
        )
        .unwrap_err();
        assert_eq!(d[0].path, "Results[0].Licenses[0].Confidence");
    }

    #[test]
    fn a_broken_kubernetes_report_names_the_field() {
        let d = import(
            r#"{"ClusterName": "c", "Resources": [{"Kind": "Pod", "Name": "p", "Results": {}}]}"#,
            "evidence/t.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "Resources[0].Results");
    }
}
