//! Coverage as graders take it away: JSON in the shape of DESIGN section 4, CSV with one
//! row per learner and criterion for spreadsheets, and a plain-text table for terminals.

use super::{Coverage, Learner, Status};
use serde::Serialize;

#[derive(Serialize)]
struct JsonCoverage<'a> {
    learners: Vec<JsonLearner<'a>>,
}

#[derive(Serialize)]
struct JsonLearner<'a> {
    handle: &'a str,
    name: Option<&'a str>,
    criteria: Vec<JsonCriterion<'a>>,
}

#[derive(Serialize)]
struct JsonCriterion<'a> {
    rubric: &'a str,
    criterion: &'a str,
    level: Option<&'a str>,
    status: Status,
    evidence: &'a [String],
    reasons: Vec<String>,
}

/// `{"learners":[{"handle","name","criteria":[{"rubric","criterion","level","status",
/// "evidence":[...],"reasons":[...]}]}]}`, pretty-printed.
pub fn to_json(coverage: &Coverage) -> String {
    let doc = JsonCoverage {
        learners: coverage
            .learners
            .iter()
            .map(|l| JsonLearner {
                handle: &l.handle,
                name: l.name.as_deref(),
                criteria: l
                    .verdicts
                    .iter()
                    .map(|v| JsonCriterion {
                        rubric: &v.rubric,
                        criterion: &v.criterion,
                        level: v.level.as_deref(),
                        status: v.status,
                        evidence: &v.evidence,
                        reasons: v.reasons.iter().map(ToString::to_string).collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

/// A spreadsheet cell must not start a formula: learners write these strings, and a cell
/// like `=HYPERLINK(...)` would run in the grader's spreadsheet (CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// One row per learner and criterion: handle, name, module, rubric, criterion, level,
/// status, evidence (space-separated), reasons (`; `-separated).
pub fn to_csv(coverage: &Coverage) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "handle",
        "name",
        "module",
        "rubric",
        "criterion",
        "level",
        "status",
        "evidence",
        "reasons",
    ];
    // Writing to a Vec cannot fail; a failure would only lose rows, never panic.
    let _ = w.write_record(header);
    for l in &coverage.learners {
        for v in &l.verdicts {
            let reasons: Vec<String> = v.reasons.iter().map(ToString::to_string).collect();
            let row = [
                cell(&l.handle),
                cell(l.name.as_deref().unwrap_or("")),
                cell(&l.modules.join(" ")),
                cell(&v.rubric),
                cell(&v.criterion),
                cell(v.level.as_deref().unwrap_or("")),
                v.status.word().to_owned(),
                cell(&v.evidence.join(" ")),
                cell(&reasons.join("; ")),
            ];
            let _ = w.write_record(&row);
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A table per learner: proficiency per competency, then each criterion's verdict with
/// the first failing reason.
pub fn to_table(coverage: &Coverage) -> String {
    let mut out = String::new();
    if coverage.learners.is_empty() {
        out.push_str("no portfolios: add a `kind: portfolio` file under evidence/\n");
        return out;
    }
    for l in &coverage.learners {
        learner_table(&mut out, l);
    }
    out
}

fn learner_table(out: &mut String, l: &Learner) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "{} ({})", l.display_name(), l.handle);
    for p in &l.proficiency {
        let _ = writeln!(
            out,
            "  {:<24} {}",
            p.competency,
            p.level.as_deref().unwrap_or("not yet at the first level")
        );
    }
    let width = l
        .verdicts
        .iter()
        .map(|v| v.rubric.len() + v.criterion.len() + 1)
        .max()
        .unwrap_or(0);
    for v in &l.verdicts {
        let name = format!("{}#{}", v.rubric, v.criterion);
        let why = v
            .reasons
            .iter()
            .find(|r| !r.passed)
            .map(|r| format!("  {r}"))
            .unwrap_or_default();
        let line = format!(
            "    {name:<width$}  {:<12} {:<9}{why}",
            v.level.as_deref().unwrap_or("-"),
            v.status.word(),
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_start_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1+2"), "'-1+2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("tm-a"), "tm-a");
    }
}
