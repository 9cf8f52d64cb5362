//! scan (DESIGN 3.2): a scanner's findings, normalised, and the rules they break.
//!
//! A 100 MB report holds about a million findings, so a [`Finding`] is kept small: text
//! that findings repeat (rule ids, titles, file names, advisory links) is shared through
//! `Arc<str>`, an id made unique by a suffix keeps its base shared, and the field paths
//! diagnostics need are built from [`FindingAt`] only when a diagnostic is emitted.

use super::common::Severity;
use crate::diag::Pos;
use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

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
    /// What the findings' rules check and how to fix what they find, shown once per rule
    /// rather than with every finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// A rule (or advisory) of the scanner, as its report describes it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Rule {
    /// The id findings name in `rule`.
    pub id: At<String>,
    /// A readable name.
    pub name: Option<At<String>>,
    /// One line saying what it finds.
    pub description: Option<At<String>>,
    /// How to fix what it finds, in Markdown.
    pub help: Option<At<String>>,
    /// The same as plain text, for tools that give no Markdown.
    pub help_text: Option<At<String>>,
    /// Its documentation.
    pub help_uri: Option<At<String>>,
    /// The severity its findings have unless they say otherwise.
    pub severity: Option<At<Severity>>,
    /// Tags, CWE and OWASP categories.
    pub tags: Vec<At<String>>,
}

impl Rule {
    /// A rule known by its id only; the importer fills in what its report says.
    pub fn new(id: At<String>) -> Rule {
        Rule {
            id,
            name: None,
            description: None,
            help: None,
            help_text: None,
            help_uri: None,
            severity: None,
            tags: Vec::new(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// Unique in the scan; `SCAN#ID` refers to it (defaults to the rule).
    #[schemars(with = "String")]
    pub id: FindingId,
    /// The rule or advisory (CVE-2024-3094, B105, ...).
    #[schemars(with = "Option<String>")]
    pub rule: Option<Arc<str>>,
    /// How severe.
    pub severity: Option<Severity>,
    /// What was found.
    #[schemars(with = "Option<String>")]
    pub title: Option<Arc<str>>,
    /// file:line or package@version.
    #[schemars(with = "Option<String>")]
    pub location: Option<Location>,
    /// The version that fixes it.
    #[schemars(with = "Option<String>")]
    pub fixed_version: Option<Box<str>>,
    /// Advisory links.
    #[serde(serialize_with = "references")]
    #[schemars(with = "Vec<String>")]
    pub references: Option<Arc<[Arc<str>]>>,
    /// Where it stands (default open).
    pub status: Option<FindingStatus>,
    /// Why it is suppressed or not affected.
    #[schemars(with = "Option<String>")]
    pub justification: Option<Box<str>>,
    /// Where it was written, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub at: FindingAt,
}

fn references<S: Serializer>(r: &Option<Arc<[Arc<str>]>>, s: S) -> Result<S::Ok, S::Error> {
    r.as_deref().unwrap_or_default().serialize(s)
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
    /// Decodes a finding from its mapping, item of the list at `list` (`findings`),
    /// allowing `extra` fields beside its own (an SBOM's vulnerability adds some; the
    /// caller decodes those).
    pub fn decode(
        d: &mut Decoder<'_>,
        n: &Node,
        list: &Arc<str>,
        extra: &[&str],
    ) -> Option<Finding> {
        let mut allowed = FINDING_FIELDS.to_vec();
        allowed.extend_from_slice(extra);
        d.fields(n, "a finding", &allowed);
        let index = d.index().unwrap_or_default();
        let rule = d.text(n, "rule");
        let id = d.text(n, "id").or_else(|| rule.clone());
        if id.is_none() {
            d.missing(
                n,
                "id",
                "give the finding an `id` (or a `rule`, which then serves as its id)",
            );
        }
        let severity = d.choice(n, "severity");
        let text = |x: Option<At<String>>| x.map(|x| x.value);
        let references: Vec<Arc<str>> = d
            .texts(n, "references")
            .into_iter()
            .map(|r| Arc::from(r.value))
            .collect();
        Some(Finding {
            id: FindingId::new(id?.value),
            rule: text(rule).map(Arc::from),
            severity: severity.as_ref().map(|s: &At<Severity>| s.value),
            title: text(d.text(n, "title")).map(Arc::from),
            location: text(d.text(n, "location")).map(|l| Location {
                text: Arc::from(l),
                line: None,
            }),
            fixed_version: text(d.text(n, "fixed_version")).map(Box::from),
            references: (!references.is_empty()).then(|| Arc::from(references)),
            status: d.choice(n, "status").map(|s: At<FindingStatus>| s.value),
            justification: text(d.text(n, "justification")).map(Box::from),
            at: FindingAt {
                list: list.clone(),
                index,
                severity: severity.map_or(Pos::FILE, |s| s.pos),
                severity_key: SeverityKey::Severity,
            },
        })
    }

    /// The status, open when not written.
    pub fn status(&self) -> FindingStatus {
        self.status.unwrap_or(FindingStatus::Open)
    }

    /// The advisory links.
    pub fn references(&self) -> &[Arc<str>] {
        self.references.as_deref().unwrap_or_default()
    }

    /// The severity placed where it was written, for a diagnostic about it.
    pub fn severity_at(&self) -> Option<At<Severity>> {
        Some(At {
            value: self.severity?,
            pos: self.at.severity,
            path: format!("{}.{}", self.at.path(), self.at.severity_key.name()),
        })
    }
}

/// A finding's id: a base (often the rule id, shared by every finding of the rule) and
/// the suffix that makes it unique in the scan (`B101`, `B101-2`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingId {
    base: Arc<str>,
    /// 0 and 1 add no suffix; n > 1 adds `-n`.
    n: u32,
}

impl FindingId {
    /// An id as written.
    pub fn new(base: impl Into<Arc<str>>) -> FindingId {
        FindingId {
            base: base.into(),
            n: 0,
        }
    }

    /// The `n`th finding with this base (`base-n` when n > 1).
    pub fn nth(base: Arc<str>, n: u32) -> FindingId {
        FindingId { base, n }
    }

    /// The id as written before any suffix.
    pub fn base(&self) -> &Arc<str> {
        &self.base
    }

    /// The id as text.
    pub fn as_str(&self) -> Cow<'_, str> {
        if self.n > 1 {
            Cow::Owned(self.to_string())
        } else {
            Cow::Borrowed(&self.base)
        }
    }
}

impl PartialEq<str> for FindingId {
    fn eq(&self, other: &str) -> bool {
        if self.n > 1 {
            other
                .strip_prefix(&*self.base)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| n.parse() == Ok(self.n) && !n.starts_with(['0', '+']))
        } else {
            *self.base == *other
        }
    }
}

impl fmt::Display for FindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.n > 1 {
            write!(f, "{}-{}", self.base, self.n)
        } else {
            f.write_str(&self.base)
        }
    }
}

impl Serialize for FindingId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a finding is: a file (shared by its findings) and a line, or any text a tool
/// wrote (`libexpat@2.5.0`, `Dockerfile:1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file or the whole text.
    pub text: Arc<str>,
    /// The line in the file, when kept apart from `text`.
    pub line: Option<NonZeroU32>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.text),
            None => f.write_str(&self.text),
        }
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a finding was written: item `index` of the list at `list` (`findings`,
/// `runs[0].results`), and its severity's position (the file as a whole for a report).
#[derive(Debug, Clone, Default)]
pub struct FindingAt {
    /// The list's path, shared by every finding of the list.
    pub list: Arc<str>,
    /// The finding's index in it.
    pub index: u32,
    /// Where its severity was written.
    pub severity: Pos,
    /// The field its severity was read from.
    pub severity_key: SeverityKey,
}

/// The field of a finding its severity was read from, so that a diagnostic about the
/// severity names it (one byte, where a path would cost a string per finding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SeverityKey {
    /// `severity` (native findings and most reports).
    #[default]
    Severity,
    /// `ratings` (a CycloneDX vulnerability).
    Ratings,
}

impl SeverityKey {
    /// The field's name.
    pub fn name(self) -> &'static str {
        match self {
            SeverityKey::Severity => "severity",
            SeverityKey::Ratings => "ratings",
        }
    }
}

impl FindingAt {
    /// The finding's field path (`runs[0].results[3]`).
    pub fn path(&self) -> String {
        format!("{}[{}]", self.list, self.index)
    }
}

/// Fields of a scan beyond the header.
pub const FIELDS: &[&str] = &["tool", "target", "scanned", "report", "rules", "findings"];

impl Scan {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Scan> {
        let rules = d.list(doc, "rules", |d, n| {
            d.fields(
                n,
                "a rule",
                &[
                    "id",
                    "name",
                    "description",
                    "help",
                    "help_text",
                    "help_uri",
                    "severity",
                    "tags",
                ],
            );
            Some(Rule {
                id: d.req_text(
                    n,
                    "id",
                    "give the rule the `id` its findings name in `rule`",
                )?,
                name: d.text(n, "name"),
                description: d.text(n, "description"),
                help: d.text(n, "help"),
                help_text: d.text(n, "help_text"),
                help_uri: d.text(n, "help_uri"),
                severity: d.choice(n, "severity"),
                tags: d.texts(n, "tags"),
            })
        });
        let list: Arc<str> = Arc::from("findings");
        let findings = d.list(doc, "findings", |d, n| Finding::decode(d, n, &list, &[]));
        Some(Scan {
            tool: d.text(doc, "tool"),
            target: d.text(doc, "target"),
            scanned: d.date(doc, "scanned"),
            report: d.text(doc, "report"),
            rules,
            findings,
        })
    }

    /// The rule a finding names, if the scan describes it.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.value == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_suffixes_compare_as_text() {
        let id = FindingId::nth(Arc::from("B101"), 3);
        assert_eq!(id.to_string(), "B101-3");
        assert!(id == *"B101-3");
        assert!(id != *"B101");
        assert!(id != *"B101-03");
        assert!(FindingId::nth(Arc::from("B101"), 1) == *"B101");
    }

    #[test]
    fn a_finding_stays_small() {
        // A million findings of a 100 MB report must fit in twice its size.
        assert!(
            std::mem::size_of::<Finding>() <= 176,
            "{}",
            std::mem::size_of::<Finding>()
        );
    }
}
