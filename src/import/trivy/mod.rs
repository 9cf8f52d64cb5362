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

mod k8s;
mod licences;
mod misconfigurations;
mod modified;
mod secrets;
#[cfg(test)]
mod tests;
mod types;
mod vulnerabilities;

use super::common::text::{date_prefix, opt, owned};
use super::detect::Probe;
use super::finding::{Findings, NewFinding, RuleSet, at};
use super::{Format, Report, parse_borrowed};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::Scan;
use k8s::{import_k8s, in_resource};
use types::{Doc, TrivyResult};

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

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[')
    {
        return import_legacy(text, rel);
    }
    let doc: Doc<'_> = parse_borrowed(Format::Trivy, text, rel)?;
    if let Some(cluster) = owned(doc.cluster_name) {
        return Ok(import_k8s(cluster, doc.resources, doc.k8s_findings));
    }
    let artifact = owned(doc.artifact_name);
    let target = artifact.as_ref().map(|a| match opt(&doc.artifact_type) {
        Some(t) => format!("{a} ({t})"),
        None => a.clone(),
    });
    let scanned = opt(&doc.created_at).and_then(date_prefix);
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
    let results: Vec<TrivyResult<'_>> = parse_borrowed(Format::Trivy, text, rel)?;
    let target = results
        .first()
        .and_then(|r| opt(&r.target))
        .map(|t| at(t.to_owned(), "[0].Target"));
    let mut found = Found::default();
    found.collect(results, None, "");
    let name = target.as_ref().map(|t| t.value.clone());
    Ok(scan_report(name.as_deref(), target, None, found))
}

/// The scan item of a report's findings.
pub(super) fn scan_report(
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

/// A report's findings and the rules they name, as they are read.
#[derive(Default)]
pub(super) struct Found {
    findings: Findings,
    rules: RuleSet,
}

/// The entries of one of a result's lists, each with its JSON path
/// (`Results[0].Secrets[3]`).
fn entries<T>(list: Option<Vec<T>>, base: &str, key: &str) -> impl Iterator<Item = (String, T)> {
    list.into_iter()
        .flatten()
        .enumerate()
        .map(move |(i, x)| (format!("{base}.{key}[{i}]"), x))
}

/// Where the findings of one result are: the Kubernetes resource they belong to (if
/// any) and the result's target within it.
pub(super) struct Place<'r> {
    resource: Option<&'r str>,
    /// The resource, then the target unless it only repeats the resource.
    target: Option<String>,
}

impl Place<'_> {
    /// The finding placed at the result's target, at `line` (a line 0 is no line).
    fn at_line(&self, f: NewFinding, line: Option<u64>) -> NewFinding {
        NewFinding {
            location: self.target.clone(),
            line: line.filter(|l| *l > 0),
            ..f
        }
    }

    /// A package or file location, after the resource when there is one.
    fn within(&self, location: Option<String>) -> Option<String> {
        match self.resource {
            Some(res) => Some(match location {
                Some(l) => format!("{res}: {l}"),
                None => res.to_owned(),
            }),
            None => location,
        }
    }
}

impl Found {
    /// The findings of a list of results; `key` is the JSON path of the list (`Results`,
    /// `Resources[2].Results`, or empty for a legacy report, which is the list itself) and
    /// `resource` the Kubernetes resource they belong to. Each kind of finding is read in
    /// its own file, in the order Trivy lists them.
    fn collect(&mut self, results: Vec<TrivyResult<'_>>, resource: Option<&str>, key: &str) {
        for (r, result) in results.into_iter().enumerate() {
            let place = Place {
                resource,
                target: in_resource(resource, opt(&result.target)),
            };
            let base = format!("{key}[{r}]");
            self.vulnerabilities(result.vulnerabilities, &place, &base);
            self.misconfigurations(result.misconfigurations, &place, &base);
            self.secrets(result.secrets, &place, &base);
            self.licences(result.licenses, &place, &base);
            self.modified(result.modified, &place, &base);
        }
    }
}
