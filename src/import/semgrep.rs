//! Semgrep JSON (`semgrep --json`): each result is a rule match.
//!
//! `check_id` is the rule and the finding id (made unique: `RULE`, `RULE-2`, ...),
//! `extra.message` the title, `path:start.line` the location, `extra.metadata.references`
//! (a list or a single string) the references, and `extra.is_ignored: true` (a
//! `nosemgrep` comment) makes the finding suppressed. `extra.severity` is read on both of
//! Semgrep's scales: ERROR / WARNING / INFO, and since 1.72 CRITICAL / HIGH / MEDIUM /
//! LOW; the non-finding levels EXPERIMENT and INVENTORY are info.

use super::common::location::file_line;
use super::common::severity::semgrep_word;
use super::detect::Probe;
use super::finding::{NewFinding, RuleSet, at, dedupe_ids, text as field_text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{FindingStatus, Rule as ScanRule, Scan};
use serde::Deserialize;
use serde::de::IgnoredAny;

#[derive(Deserialize)]
struct Doc {
    results: Option<Vec<Match>>,
}

#[derive(Deserialize)]
struct Match {
    check_id: String,
    path: Option<String>,
    start: Option<Position>,
    extra: Option<Extra>,
}

#[derive(Deserialize)]
struct Position {
    line: Option<u64>,
}

#[derive(Deserialize)]
struct Extra {
    message: Option<String>,
    severity: Option<String>,
    metadata: Option<Metadata>,
    is_ignored: Option<bool>,
}

/// Rule metadata is free-form (rule authors write what they like), so only
/// `references`, `cwe`, `owasp` and `source` are read, and loosely.
#[derive(Deserialize)]
struct Metadata {
    references: Option<References>,
    cwe: Option<References>,
    owasp: Option<References>,
    source: Option<References>,
}

impl References {
    /// The texts, whether one string or a list.
    fn texts(self) -> Vec<String> {
        match self {
            References::One(r) => vec![r],
            References::Many(list) => list
                .into_iter()
                .filter_map(|r| match r {
                    Reference::Text(t) => Some(t),
                    Reference::Other(_) => None,
                })
                .collect(),
            References::Other(_) => Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum References {
    One(String),
    Many(Vec<Reference>),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    Text(String),
    Other(IgnoredAny),
}

/// Semgrep's report has `results` and `errors`, with `paths` or `version`; Bandit's has
/// `results` and `errors` too, but also `generated_at` and `metrics`.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("results")
        && p.has("errors")
        && (p.has("paths") || p.has("version"))
        && !p.has("generated_at")
        && !p.has("metrics")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::Semgrep, text, rel)?;
    let results = doc.results.unwrap_or_default();
    let mut rules = RuleSet::default();
    let mut findings: Vec<_> = results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let extra = r.extra;
            let line = r.start.and_then(|s| s.line);
            let location = file_line(r.path.as_deref(), line);
            let (message, sev, metadata, ignored) = match extra {
                Some(e) => (
                    e.message,
                    e.severity,
                    e.metadata,
                    e.is_ignored.unwrap_or(false),
                ),
                None => (None, None, None, false),
            };
            let (references, cwe, owasp, source) = match metadata {
                Some(m) => (
                    m.references.map(References::texts).unwrap_or_default(),
                    m.cwe.map(References::texts).unwrap_or_default(),
                    m.owasp.map(References::texts).unwrap_or_default(),
                    m.source.map(References::texts).unwrap_or_default(),
                ),
                None => Default::default(),
            };
            if rules.fresh(&r.check_id) {
                let path = format!("results[{i}].extra.metadata");
                let web = |u: &&String| u.starts_with("https://") || u.starts_with("http://");
                let uri = source.iter().find(web).or(references.iter().find(web));
                rules.list.push(ScanRule {
                    help_uri: field_text(uri.map(String::as_str), &format!("{path}.source")),
                    severity: sev
                        .as_deref()
                        .and_then(semgrep_word)
                        .map(|s| at(s, format!("results[{i}].extra.severity"))),
                    tags: cwe
                        .iter()
                        .chain(&owasp)
                        .enumerate()
                        .filter_map(|(j, t)| field_text(Some(t), &format!("{path}.tags[{j}]")))
                        .collect(),
                    ..ScanRule::new(at(r.check_id.clone(), format!("results[{i}].check_id")))
                });
            }
            NewFinding {
                id: r.check_id.clone(),
                rule: Some(r.check_id),
                severity: sev.as_deref().and_then(semgrep_word),
                title: message,
                location,
                references,
                status: ignored.then_some(FindingStatus::Suppressed),
                ..NewFinding::default()
            }
            .build(&format!("results[{i}]"))
        })
        .collect();
    dedupe_ids(&mut findings);
    let n = findings.len();
    Ok(Report {
        kind: Kind::Scan,
        title: format!(
            "Semgrep scan ({n} finding{})",
            if n == 1 { "" } else { "s" }
        ),
        updated: None,
        body: Body::Scan(Scan {
            rules: rules.list,
            tool: Some(at("semgrep".to_owned(), "tool")),
            target: None,
            scanned: None,
            report: None,
            findings,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect;

    fn findings(text: &str) -> Vec<crate::model::kinds::scan::Finding> {
        let r = import(text, "evidence/semgrep.json").unwrap();
        let Body::Scan(s) = r.body else { panic!() };
        s.findings
    }

    #[test]
    fn detects_semgrep_not_bandit() {
        assert_eq!(
            detect(
                r#"{"errors": [], "paths": {"scanned": []}, "results": [], "version": "1.30.0"}"#
            ),
            Some(Format::Semgrep)
        );
        assert_eq!(
            detect(r#"{"results": [], "errors": [], "version": "1"}"#),
            Some(Format::Semgrep)
        );
        assert_eq!(
            detect(r#"{"errors": [], "generated_at": "x", "metrics": {}, "results": []}"#),
            Some(Format::Bandit)
        );
        assert_eq!(detect(r#"{"results": [], "version": "1"}"#), None);
    }

    #[test]
    fn both_severity_scales() {
        let text = r#"{"version": "1.84.1", "errors": [], "paths": {"scanned": []}, "results": [
            {"check_id": "a", "path": "x.go", "start": {"line": 3, "col": 1}, "extra": {"severity": "ERROR", "message": "m"}},
            {"check_id": "a", "path": "x.go", "extra": {"severity": "WARNING"}},
            {"check_id": "b", "extra": {"severity": "INFO"}},
            {"check_id": "c", "extra": {"severity": "CRITICAL"}},
            {"check_id": "c", "extra": {"severity": "HIGH"}},
            {"check_id": "c", "extra": {"severity": "MEDIUM"}},
            {"check_id": "c", "extra": {"severity": "LOW"}},
            {"check_id": "d", "extra": {"severity": "INVENTORY"}},
            {"check_id": "e"}
        ]}"#;
        let f = findings(text);
        use crate::model::kinds::common::Severity::*;
        let sev: Vec<_> = f.iter().map(|x| x.severity).collect();
        assert_eq!(
            sev,
            [
                Some(High),
                Some(Medium),
                Some(Info),
                Some(Critical),
                Some(High),
                Some(Medium),
                Some(Low),
                Some(Info),
                None
            ]
        );
        assert_eq!(f[0].location.as_ref().unwrap().to_string(), "x.go:3");
        assert_eq!(f[1].location.as_ref().unwrap().to_string(), "x.go");
        assert_eq!(f[1].id.to_string(), "a-2");
        assert_eq!(f[1].rule.as_ref().unwrap().to_string(), "a");
        assert_eq!(f[0].title.as_ref().unwrap().to_string(), "m");
    }

    #[test]
    fn references_and_ignored() {
        let text = r#"{"errors": [], "version": "1.30.0", "results": [
            {"check_id": "r1", "extra": {"is_ignored": true, "metadata": {"references": ["https://a", 5, "https://b"]}}},
            {"check_id": "r2", "extra": {"is_ignored": false, "metadata": {"references": "https://c", "cwe": ["CWE-79"]}}},
            {"check_id": "r3", "extra": {"metadata": {"references": {"odd": 1}}}}
        ]}"#;
        let f = findings(text);
        let refs: Vec<Vec<&str>> = f
            .iter()
            .map(|x| x.references().iter().map(|r| &**r).collect())
            .collect();
        assert_eq!(
            refs,
            [vec!["https://a", "https://b"], vec!["https://c"], vec![]]
        );
        assert_eq!(f[0].status(), FindingStatus::Suppressed);
        assert_eq!(f[1].status(), FindingStatus::Open);
    }

    #[test]
    fn a_broken_report_names_the_field() {
        let d = import(
            r#"{"errors": [], "version": "1", "results": [{"check_id": "a"}, {"path": "x"}]}"#,
            "evidence/s.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "results[1]");
    }
}
