//! Bandit JSON (`bandit -f json`): the Python security linter's results.

use super::common::location::file_line;
use super::common::text::date_prefix;
use super::detect::Probe;
use super::finding::{NewFinding, RuleSet, at, dedupe_ids, severity_word, text as field_text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{Rule as ScanRule, Scan};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    generated_at: Option<String>,
    #[serde(default)]
    results: Vec<Issue>,
}

#[derive(Deserialize)]
struct Issue {
    test_id: String,
    test_name: Option<String>,
    issue_severity: Option<String>,
    issue_text: Option<String>,
    filename: Option<String>,
    line_number: Option<u64>,
    more_info: Option<String>,
    issue_cwe: Option<Cwe>,
}

#[derive(Deserialize)]
struct Cwe {
    id: Option<u64>,
    link: Option<String>,
}

/// Bandit's report has `results`, `generated_at` and `metrics` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("results") && p.has("generated_at") && p.has("metrics")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::Bandit, text, rel)?;
    let mut rules = RuleSet::default();
    let mut findings: Vec<_> = doc
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if rules.fresh(&r.test_id) {
                let path = format!("results[{i}]");
                let field = |x: Option<&str>, f: &str| field_text(x, &format!("{path}.{f}"));
                let cwe = r.issue_cwe.as_ref();
                rules.list.push(ScanRule {
                    name: field(r.test_name.as_deref(), "test_name"),
                    help_uri: field(r.more_info.as_deref(), "more_info"),
                    tags: cwe
                        .and_then(|c| c.id)
                        .map(|id| at(format!("CWE-{id}"), format!("{path}.issue_cwe.id")))
                        .into_iter()
                        .collect(),
                    ..ScanRule::new(at(r.test_id.clone(), format!("{path}.test_id")))
                });
            }
            let location = file_line(r.filename.as_deref(), r.line_number);
            NewFinding {
                id: r.test_id.clone(),
                rule: Some(r.test_id.clone()),
                severity: r.issue_severity.as_deref().and_then(severity_word),
                title: r.issue_text.clone().or_else(|| r.test_name.clone()),
                location,
                references: r
                    .more_info
                    .iter()
                    .chain(r.issue_cwe.as_ref().and_then(|c| c.link.as_ref()))
                    .cloned()
                    .collect(),
                ..NewFinding::default()
            }
            .build(&format!("results[{i}]"))
        })
        .collect();
    dedupe_ids(&mut findings);
    let scanned = doc.generated_at.as_deref().and_then(date_prefix);
    Ok(Report {
        kind: Kind::Scan,
        title: format!("Bandit scan ({} findings)", findings.len()),
        updated: scanned,
        body: Body::Scan(Scan {
            rules: rules.list,
            tool: Some(at("bandit".to_owned(), "tool")),
            target: None,
            scanned: scanned.map(|d| at(d, "generated_at")),
            report: None,
            findings,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_results_as_findings() {
        let text = r#"{"errors": [], "generated_at": "2020-12-30T10:03:39Z", "metrics": {},
            "results": [{"test_id": "B101", "test_name": "assert_used", "issue_severity": "LOW",
            "issue_confidence": "HIGH", "issue_text": "Use of assert", "filename": "a.py", "line_number": 2,
            "more_info": "https://bandit.readthedocs.io/b101"},
            {"test_id": "B101", "issue_severity": "HIGH", "filename": "b.py"}]}"#;
        let r = import(text, "evidence/bandit.json").unwrap();
        let Body::Scan(s) = r.body else { panic!() };
        assert_eq!(s.findings.len(), 2);
        assert_eq!(s.findings[0].id.to_string(), "B101");
        assert_eq!(s.findings[1].id.to_string(), "B101-2");
        assert_eq!(
            s.findings[0].location.as_ref().unwrap().to_string(),
            "a.py:2"
        );
        assert_eq!(s.findings[1].severity.unwrap().to_string(), "high");
        assert_eq!(r.updated.unwrap().to_string(), "2020-12-30");
    }

    #[test]
    fn a_broken_report_names_the_field() {
        let d = import(
            r#"{"generated_at": "x", "metrics": {}, "results": [{"test_id": 5}]}"#,
            "evidence/b.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "results[0].test_id");
    }
}
