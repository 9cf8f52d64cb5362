//! Conformance of the SARIF and Semgrep importers with the real reports in
//! ../shared/corpus/sarif and ../shared/corpus/semgrep: each file, alone in a site under
//! evidence/scans/ with its own name, imports as one scan whose findings are exactly the
//! results the file holds (counted here straight from its JSON), each with a rule and a
//! severity, and `check` raises no E0210 for it.
//!
//! Without the corpus the test notes it and passes, except under CI=true, where a missing
//! corpus is a failure.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The corpus folder of one format, or `None` (after the CI check) when it is missing.
fn corpus(format: &str) -> Option<PathBuf> {
    common::corpus(format)
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// What a report holds, counted from its JSON.
struct Expected {
    results: usize,
    suppressed: usize,
}

/// The results of every run; suppressed: those with a suppression that is accepted or
/// has no status.
fn sarif_expected(doc: &Value) -> Expected {
    let results: Vec<&Value> = list(doc, "runs")
        .iter()
        .flat_map(|r| list(r, "results"))
        .collect();
    let suppressed = results
        .iter()
        .filter(|r| {
            list(r, "suppressions")
                .iter()
                .any(|s| matches!(s["status"].as_str(), None | Some("accepted")))
        })
        .count();
    Expected {
        results: results.len(),
        suppressed,
    }
}

/// `results`; suppressed: `extra.is_ignored`.
fn semgrep_expected(doc: &Value) -> Expected {
    let results = list(doc, "results");
    Expected {
        results: results.len(),
        suppressed: results
            .iter()
            .filter(|r| r["extra"]["is_ignored"] == Value::Bool(true))
            .count(),
    }
}

fn evidentia(args: &[&str], root: &Path) -> std::process::Output {
    Command::cargo_bin("evidentia")
        .expect("binary")
        .args(args)
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run evidentia")
}

/// Whether a JSON document holds an object whose `code` is `code`, at any depth.
fn has_code(v: &Value, code: &str) -> bool {
    match v {
        Value::Object(m) => {
            m.get("code") == Some(&Value::from(code)) || m.values().any(|x| has_code(x, code))
        }
        Value::Array(a) => a.iter().any(|x| has_code(x, code)),
        _ => false,
    }
}

/// Imports one report in a fresh site and checks it against what the file holds; returns
/// a line for the summary.
fn conforms(file: &Path, expected: fn(&Value) -> Expected) -> String {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(file).expect("read report");
    let doc: Value = serde_json::from_str(&text).expect("the corpus file is JSON");
    let want = expected(&doc);

    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(site.path().join("site.toml"), "title = \"T\"\n").expect("site.toml");
    let scans = site.path().join("evidence/scans");
    std::fs::create_dir_all(&scans).expect("mkdir");
    std::fs::write(scans.join(&name), &text).expect("copy report");

    let id = common::report_id("scans", &file.file_name().unwrap().to_string_lossy());
    let out = evidentia(&["show", &id, "--format", "json"], site.path());
    assert!(
        out.status.success(),
        "{name}: `show {id}` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let view: Value = serde_json::from_slice(&out.stdout).expect("show prints JSON");
    assert_eq!(view["kind"], "scan", "{name}");
    let findings = view["findings"].as_array().expect("findings");
    assert_eq!(
        findings.len(),
        want.results,
        "{name}: the report holds {} results",
        want.results
    );
    for (i, f) in findings.iter().enumerate() {
        assert!(
            f["rule"].as_str().is_some_and(|r| !r.is_empty()),
            "{name}: finding {i} has no rule: {f}"
        );
        assert!(
            f["severity"].as_str().is_some(),
            "{name}: finding {i} has no severity: {f}"
        );
    }
    let ids: std::collections::BTreeSet<&str> =
        findings.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids.len(), findings.len(), "{name}: ids are unique");
    let suppressed = findings
        .iter()
        .filter(|f| f["status"] == "suppressed")
        .count();
    assert_eq!(suppressed, want.suppressed, "{name}: suppressed findings");

    let out = evidentia(&["check", "--format", "json"], site.path());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: check --format json printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        !has_code(&report, "E0210"),
        "{name}: check reports E0210:\n{report:#}"
    );
    format!(
        "{name}: {} findings ({} suppressed)",
        findings.len(),
        suppressed
    )
}

fn run(format: &str, expected: fn(&Value) -> Expected) {
    let Some(dir) = corpus(format) else { return };
    for file in common::corpus_files(&dir, &[]) {
        eprintln!("{}", conforms(&file, expected));
    }
}

#[test]
fn every_sarif_file_of_the_corpus_imports_every_result() {
    run("sarif", sarif_expected);
}

#[test]
fn every_semgrep_file_of_the_corpus_imports_every_result() {
    run("semgrep", semgrep_expected);
}
