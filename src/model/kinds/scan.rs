//! scan (DESIGN 3.2): a scanner's findings, normalised.

use super::common::Severity;
use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::Serialize;

choice!(
    /// Where a finding stands.
    FindingStatus { Open = "open", Suppressed = "suppressed", Fixed = "fixed", NotAffected = "not-affected" }
);

/// A scan and its findings.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Scan {
    /// The scanner (trivy, grype, semgrep, ...).
    pub tool: Option<At<String>>,
    /// What was scanned (an image, a repository).
    pub target: Option<At<String>>,
    /// When.
    pub scanned: Option<At<Date>>,
    /// A report file the findings come from, relative to this file.
    pub report: Option<At<String>>,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// One finding.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// Unique in the scan; `SCAN#ID` refers to it (defaults to the rule).
    pub id: At<String>,
    /// The rule or advisory (CVE-2024-3094, B105, ...).
    pub rule: Option<At<String>>,
    /// How severe.
    pub severity: Option<At<Severity>>,
    /// What was found.
    pub title: Option<At<String>>,
    /// file:line or package@version.
    pub location: Option<At<String>>,
    /// The version that fixes it.
    pub fixed_version: Option<At<String>>,
    /// Advisory links.
    pub references: Vec<At<String>>,
    /// Where it stands (default open).
    pub status: Option<At<FindingStatus>>,
    /// Why it is suppressed or not affected.
    pub justification: Option<At<String>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// Fields of a finding.
pub const FINDING_FIELDS: &[&str] = &[
    "id",
    "rule",
    "severity",
    "title",
    "location",
    "fixed_version",
    "references",
    "status",
    "justification",
];

impl Finding {
    /// Decodes a finding from its mapping, allowing `extra` fields beside its own (an
    /// SBOM's vulnerability adds some; the caller decodes those).
    pub fn decode(d: &mut Decoder<'_>, n: &Node, extra: &[&str]) -> Option<Finding> {
        let mut allowed = FINDING_FIELDS.to_vec();
        allowed.extend_from_slice(extra);
        d.fields(n, "a finding", &allowed);
        let path = d.path();
        let rule = d.text(n, "rule");
        let id = d.text(n, "id").or_else(|| rule.clone());
        if id.is_none() {
            d.missing(
                n,
                "id",
                "give the finding an `id` (or a `rule`, which then serves as its id)",
            );
        }
        Some(Finding {
            id: id?,
            rule,
            severity: d.choice(n, "severity"),
            title: d.text(n, "title"),
            location: d.text(n, "location"),
            fixed_version: d.text(n, "fixed_version"),
            references: d.texts(n, "references"),
            status: d.choice(n, "status"),
            justification: d.text(n, "justification"),
            path,
        })
    }

    /// The status, open when not written.
    pub fn status(&self) -> FindingStatus {
        self.status
            .as_ref()
            .map_or(FindingStatus::Open, |s| s.value)
    }
}

/// Fields of a scan beyond the header.
pub const FIELDS: &[&str] = &["tool", "target", "scanned", "report", "findings"];

impl Scan {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Scan> {
        let findings = d.list(doc, "findings", |d, n| Finding::decode(d, n, &[]));
        Some(Scan {
            tool: d.text(doc, "tool"),
            target: d.text(doc, "target"),
            scanned: d.date(doc, "scanned"),
            report: d.text(doc, "report"),
            findings,
        })
    }
}
