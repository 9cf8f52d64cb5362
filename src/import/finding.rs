//! The one normalised finding every scanner importer produces, and the severity mappings
//! they share, so that a "high" means the same whatever tool said it.

use crate::diag::Pos;
use crate::model::decode::At;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{Finding, FindingStatus};

/// A value placed at the report file as a whole, with its path in the report.
pub fn at<T>(value: T, path: impl Into<String>) -> At<T> {
    At {
        value,
        pos: Pos::FILE,
        path: path.into(),
    }
}

/// Optional text, dropping empty strings.
pub fn text(value: Option<&str>, path: &str) -> Option<At<String>> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| at(s.to_owned(), path))
}

/// A finding under construction; fill the fields, then [`NewFinding::build`].
#[derive(Debug, Default)]
pub struct NewFinding {
    /// Unique in the report (made unique by the importer when the tool repeats ids).
    pub id: String,
    /// Rule or advisory id.
    pub rule: Option<String>,
    /// Normalised severity.
    pub severity: Option<Severity>,
    /// One-line title.
    pub title: Option<String>,
    /// file:line or package@version.
    pub location: Option<String>,
    /// Fixing version.
    pub fixed_version: Option<String>,
    /// Advisory links.
    pub references: Vec<String>,
    /// Normalised status (open when `None`).
    pub status: Option<FindingStatus>,
    /// Why suppressed or not affected.
    pub justification: Option<String>,
}

impl NewFinding {
    /// The finding, each field addressed under `path` (`results[3]`).
    pub fn build(self, path: &str) -> Finding {
        let p = |f: &str| format!("{path}.{f}");
        Finding {
            id: at(self.id, p("id")),
            rule: text(self.rule.as_deref(), &p("rule")),
            severity: self.severity.map(|s| at(s, p("severity"))),
            title: text(self.title.as_deref(), &p("title")),
            location: text(self.location.as_deref(), &p("location")),
            fixed_version: text(self.fixed_version.as_deref(), &p("fixed_version")),
            references: self
                .references
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.trim().is_empty())
                .map(|(i, r)| at(r.trim().to_owned(), format!("{path}.references[{i}]")))
                .collect(),
            status: self.status.map(|s| at(s, p("status"))),
            justification: text(self.justification.as_deref(), &p("justification")),
            path: path.to_owned(),
        }
    }
}

/// A tool's severity word (any case): critical, high, medium/moderate, low,
/// info/informational/negligible/note/none. Unknown words give `None`.
pub fn severity_word(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" | "crit" => Some(Severity::Critical),
        "high" | "error" => Some(Severity::High),
        "medium" | "moderate" | "warning" | "med" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "info" | "informational" | "negligible" | "note" | "none" => Some(Severity::Info),
        _ => None,
    }
}

/// A CVSS-style score (0-10) as a severity, by the CVSS v3 bands (the scale SARIF's
/// `security-severity` uses): 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, else info.
pub fn severity_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// Makes ids unique within a report by suffixing repeats (`B101`, `B101-2`, ...), keeping
/// the first occurrence as the tool wrote it.
pub fn dedupe_ids(findings: &mut [Finding]) {
    unique_ids(findings.iter_mut().map(|f| &mut f.id));
}

/// Makes ids unique by suffixing repeats, as [`dedupe_ids`] does, for any list of ids.
pub fn unique_ids<'a>(ids: impl IntoIterator<Item = &'a mut At<String>>) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for id in ids {
        let n = seen.entry(id.value.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            id.value = format!("{}-{}", id.value, n);
        }
    }
}

/// One line of a description, at most about 200 characters, cut at a word.
pub fn headline(description: &str) -> String {
    const MAX: usize = 200;
    let line = description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= MAX {
        return line.to_owned();
    }
    let cut = line.char_indices().nth(MAX).map_or(line.len(), |(i, _)| i);
    let head = &line[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{} ...", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities() {
        assert_eq!(severity_word("HIGH"), Some(Severity::High));
        assert_eq!(severity_word("Moderate"), Some(Severity::Medium));
        assert_eq!(severity_word("Negligible"), Some(Severity::Info));
        assert_eq!(severity_word("Unknown"), None);
        assert_eq!(severity_score(9.8), Severity::Critical);
        assert_eq!(severity_score(7.0), Severity::High);
        assert_eq!(severity_score(5.3), Severity::Medium);
        assert_eq!(severity_score(0.0), Severity::Info);
    }

    #[test]
    fn duplicate_ids_get_suffixes() {
        let mut f: Vec<Finding> = ["B101", "B101", "B102", "B101"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                NewFinding {
                    id: (*id).to_owned(),
                    ..NewFinding::default()
                }
                .build(&format!("results[{i}]"))
            })
            .collect();
        dedupe_ids(&mut f);
        let ids: Vec<&str> = f.iter().map(|x| x.id.value.as_str()).collect();
        assert_eq!(ids, ["B101", "B101-2", "B102", "B101-3"]);
    }
}
