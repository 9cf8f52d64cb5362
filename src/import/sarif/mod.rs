//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format): the log most code
//! scanners write (CodeQL, Semgrep, Trivy, Grype, SpotBugs, Checkov, ...).
//!
//! One log becomes one `scan` item holding the results of every run. The log is read
//! once, as a stream (stream.rs), into the borrowed structs of types.rs: strings point into the file's text
//! wherever they need no unescaping, each result becomes a finding as soon as it is read
//! (see [`stream::LogSeed`]), and every member the structs do not name (code flows, thread flows,
//! artifacts, graphs, web requests, snippets, fingerprints, notifications, ...) is
//! skipped as `serde::de::IgnoredAny`, scanned but never built. A broken log is read a
//! second time only to name the JSON path of the fault.
//!
//! How a result becomes a finding:
//! - **rule**: `ruleId`, else `rule.id`, else the `id` of the rule `ruleIndex` (or
//!   `rule.index`) points at. The rules are those of `tool.driver`, or of the
//!   `tool.extensions` entry `rule.toolComponent` names (by index, guid or name). When no
//!   index is given, or it points at a rule with another id, the rule is looked up by id
//!   (a hierarchical `CA2101/1` matches rule `CA2101`), in the driver and then in the
//!   extensions.
//! - **id**: the rule id, made unique in the scan (`RULE`, `RULE-2`, ...), so that
//!   `SCAN#RULE` covers every finding of a rule through the plain `rule` field; `result`
//!   when nothing names a rule.
//! - **title**: `message.text`, else `message.id` looked up in the rule's
//!   `messageStrings` (then the component's `globalMessageStrings`), with `{0}`, `{1}`,
//!   ... replaced by `message.arguments`; else the rule's `shortDescription`,
//!   `fullDescription` or `name`. A `message: null` is accepted. A title is one line, so
//!   a message of several lines (Trivy writes a small table) gives way to the rule's
//!   one-line description, else to its own first line.
//! - **severity**: a `security-severity` score (string or number) in the result's
//!   `properties`, else in the rule's, mapped by the CVSS bands; otherwise the level:
//!   error is high, warning medium, note low, none info. The level is the result's
//!   `level`, else `none` for a result whose `kind` is not `fail`, else the rule's
//!   `defaultConfiguration.level`, else warning.
//! - **location**: the first physical location's `uri` (with `:startLine` when its region
//!   has one), else the first logical location's `fullyQualifiedName` (or `name`).
//! - **status**, the first that applies: `kind` `pass` is fixed and `notApplicable` is
//!   not-affected; `baselineState` `absent` (in the baseline, gone now) is fixed; a
//!   suppression whose `status` is absent or `accepted` makes it suppressed, with that
//!   suppression's `justification` (suppressions all `underReview` or `rejected` leave it
//!   open); anything else is open.
//! - **references**: the rule's `helpUri`.
//!
//! The scan's tool is the names of the runs' drivers (`unknown tool` for a run without a
//! `tool` object), its date the first invocation's `endTimeUtc` (else `startTimeUtc`),
//! its target the first `versionControlProvenance[].repositoryUri`, else a run's
//! `properties.imageName` or first `properties.repoTags` entry (Trivy).

mod locations;
mod results;
mod rules;
mod run;
mod stream;
#[cfg(test)]
mod tests;
mod types;

use super::detect::Probe;
use super::finding::{Findings, at};
use super::{Format, Report, json_error};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{Rule as ScanRule, Scan};
use jiff::civil::Date;
use run::UNKNOWN_TOOL;
use serde::de::DeserializeSeed;
use stream::LogSeed;

/// Whether a file is SARIF: a top-level `version` and `runs` (never `$schema`, whose URL
/// varies from tool to tool).
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("version") && p.has("runs")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let mut out = Out::default();
    let mut de = serde_json::Deserializer::from_str(text);
    match (LogSeed { out: &mut out }).deserialize(&mut de) {
        Ok(()) => Ok(out.report()),
        // Tracking the JSON path costs time, so only a broken log is read again with it.
        Err(plain) => {
            let mut track = serde_path_to_error::Track::new();
            let mut de = serde_json::Deserializer::from_str(text);
            let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
            let again = (LogSeed {
                out: &mut Out::default(),
            })
            .deserialize(tracked);
            Err(vec![match again {
                Err(e) => json_error(
                    Format::Sarif,
                    rel,
                    &serde_path_to_error::Error::new(track.path(), e),
                ),
                // Unreachable in practice: both reads see the same text.
                Ok(()) => Diagnostic::error(
                    "E0210",
                    rel,
                    format!("not a valid SARIF 2.1.0 report: {plain}"),
                ),
            }])
        }
    }
}

/// What the runs of a log add up to.
#[derive(Default)]
pub(super) struct Out {
    pub(super) findings: Findings,
    pub(super) rules: Vec<ScanRule>,
    /// Each run's tool name, once.
    pub(super) tools: Vec<String>,
    pub(super) scanned: Option<(Date, String)>,
    pub(super) repository: Option<(String, String)>,
    pub(super) image: Option<(String, String)>,
}

impl Out {
    fn report(self) -> Report {
        let Out {
            findings,
            rules,
            mut tools,
            scanned,
            repository,
            image,
        } = self;
        let findings = findings.finish();
        if tools.is_empty() {
            tools.push(UNKNOWN_TOOL.to_owned());
        }
        let tool = tools.join(", ");
        let n = findings.len();
        Report {
            kind: Kind::Scan,
            title: format!("{tool} scan ({n} finding{})", if n == 1 { "" } else { "s" }),
            updated: scanned.as_ref().map(|(d, _)| *d),
            body: Body::Scan(Scan {
                rules,
                tool: Some(at(tool, "runs[0].tool.driver.name")),
                target: repository.or(image).map(|(t, p)| at(t, p)),
                scanned: scanned.map(|(d, p)| at(d, p)),
                report: None,
                findings,
            }),
        }
    }
}
