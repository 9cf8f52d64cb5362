//! Conformance over the real corpus (../shared/corpus): every OSCAL, Model Card Toolkit,
//! AI Verify and Azure RAI scorecard JSON file imports with no parse or schema error, and
//! `show` lists as many controls, findings or metric groups as the file itself holds.

mod common;

use common::Fixture;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The corpus folders this test covers.
const DIRS: &[&str] = &["oscal", "model-card", "fairness"];

fn corpus() -> Option<PathBuf> {
    common::corpus("")
}

/// Controls of an OSCAL catalog, counted recursively through groups and controls.
fn count_controls(node: &Value) -> usize {
    let controls = node["controls"].as_array().map_or(0, |cs| {
        cs.iter().map(|c| 1 + count_controls(c)).sum::<usize>()
    });
    let groups = node["groups"]
        .as_array()
        .map_or(0, |gs| gs.iter().map(count_controls).sum::<usize>());
    controls + groups
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map_or(&[], Vec::as_slice)
}

/// A metric value as the Model Card Toolkit writes it (a string or a number).
fn numeric(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        Value::String(s) => s.trim().parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

/// What the file should show as: its kind and a count to compare, with what is counted.
enum Expect {
    Controls(usize),
    Findings(usize),
    Groups(usize),
}

fn expected(file: &Value) -> (&'static str, Expect) {
    if let Some(c) = file.get("catalog") {
        ("catalog", Expect::Controls(count_controls(c)))
    } else if let Some(p) = file.get("profile") {
        let ids: BTreeSet<&str> = array(p, "imports")
            .iter()
            .flat_map(|i| array(i, "include-controls"))
            .flat_map(|s| array(s, "with-ids"))
            .filter_map(Value::as_str)
            .collect();
        ("catalog", Expect::Controls(ids.len()))
    } else if let Some(cd) = file.get("component-definition") {
        // One control per implemented control id, whichever components implement it.
        let ids: BTreeSet<&str> = array(cd, "components")
            .iter()
            .flat_map(|c| array(c, "control-implementations"))
            .flat_map(|i| array(i, "implemented-requirements"))
            .filter_map(|r| r["control-id"].as_str())
            .collect();
        ("catalog", Expect::Controls(ids.len()))
    } else if let Some(ar) = file.get("assessment-results") {
        let n = array(ar, "results")
            .iter()
            .map(|r| array(r, "findings").len())
            .sum();
        ("scan", Expect::Findings(n))
    } else if file.get("model_details").is_some() {
        // One group per distinct slice with a numeric value (no slice is `overall`).
        let slices: BTreeSet<String> = array(&file["quantitative_analysis"], "performance_metrics")
            .iter()
            .filter(|m| m["type"].is_string() && numeric(&m["value"]))
            .map(|m| {
                let s = m["slice"].as_str().unwrap_or("").trim();
                if s.is_empty() || s.eq_ignore_ascii_case("overall") {
                    "overall".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect();
        ("fairness", Expect::Groups(slices.len()))
    } else if file.get("sensitive_feature").is_some() {
        // AI Verify: one group per distinct `group` (classification) or `subgroup`.
        let mut groups = BTreeSet::new();
        for r in array(file, "results") {
            let Some(obj) = r.as_object() else { continue };
            if let Some(s) = obj.get("subgroup") {
                groups.insert(s.to_string());
            }
            for v in obj.values().filter_map(Value::as_array) {
                for e in v {
                    if e["metric"].as_f64().is_some_and(f64::is_finite) {
                        groups.insert(e["group"].to_string());
                    }
                }
            }
        }
        ("fairness", Expect::Groups(groups.len()))
    } else if file.get("Model").is_some() {
        // RAI scorecard config: a `target` group of `overall` when a metric has a
        // threshold, and one per sensitive feature when the fairness section has one.
        let overall = file["Metrics"]
            .as_object()
            .is_some_and(|m| m.values().any(|t| t.get("threshold").is_some()));
        let fair = &file["Fairness"];
        let per_feature = if fair.get("threshold").is_some() && !array(fair, "metric").is_empty() {
            array(fair, "sensitive_features").len()
        } else {
            0
        };
        (
            "fairness",
            Expect::Groups(usize::from(overall) + per_feature),
        )
    } else {
        panic!("a corpus file of no known shape")
    }
}

#[test]
fn every_oscal_and_fairness_file_imports_with_its_counts() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut seen = 0;
    let mut report = Vec::new();
    for dir in DIRS {
        for path in common::corpus_files(&corpus.join(dir), &["json"]) {
            seen += 1;
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("read corpus file");
            let file: Value = serde_json::from_str(&text).expect("corpus file is JSON");
            let (kind, expect) = expected(&file);

            let site = Fixture::new();
            site.file("site.toml", "title = \"T\"\n");
            site.file(&format!("evidence/imports/{name}"), &text);
            let id = common::report_id("imports", &name);

            let shown = site.run(&["show", &id, "--format", "json"]);
            assert_eq!(shown.code, 0, "{dir}/{name}: show failed: {}", shown.stderr);
            let item: Value = serde_json::from_str(&shown.stdout)
                .unwrap_or_else(|e| panic!("{dir}/{name}: show printed no JSON ({e})"));
            assert_eq!(item["kind"], kind, "{dir}/{name}: kind");
            assert_eq!(item["id"], id.as_str(), "{dir}/{name}: id");
            let (what, want, got) = match expect {
                Expect::Controls(n) => ("controls", n, array(&item, "controls").len()),
                Expect::Findings(n) => ("findings", n, array(&item, "findings").len()),
                Expect::Groups(n) => (
                    "metric groups",
                    n,
                    array(&item, "metrics")
                        .iter()
                        .map(|m| m["groups"].as_object().map_or(0, |g| g.len()))
                        .sum(),
                ),
            };
            assert_eq!(got, want, "{dir}/{name}: {what}");
            assert!(want > 0, "{dir}/{name}: the file should hold some {what}");
            report.push(format!("{dir}/{name}: {kind}, {got} {what}"));

            let checked = site.run(&["check", "--today", "2026-11-27", "--format", "json"]);
            let diags: Value = serde_json::from_str(&checked.stdout).unwrap_or_else(|e| {
                panic!(
                    "{dir}/{name}: check printed no JSON ({e}): {}",
                    checked.stderr
                )
            });
            let bad: Vec<String> = array(&diags, "diagnostics")
                .iter()
                .filter(|d| {
                    d["code"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("E01") || c.starts_with("E02"))
                })
                .map(|d| format!("{}: {}", d["code"], d["message"]))
                .collect();
            assert!(bad.is_empty(), "{dir}/{name}: {bad:?}");
        }
    }
    assert!(
        seen >= 9,
        "expected the corpus's 9 JSON files, found {seen}"
    );
    eprintln!("{}", report.join("\n"));
}
