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
    } else if let Some(ssp) = file.get("system-security-plan") {
        // One control per implemented control id.
        let ids: BTreeSet<&str> = array(&ssp["control-implementation"], "implemented-requirements")
            .iter()
            .filter_map(|r| r["control-id"].as_str())
            .collect();
        ("catalog", Expect::Controls(ids.len()))
    } else if let Some(ap) = file.get("assessment-plan") {
        // One control per reviewed (included) control id.
        let ids: BTreeSet<&str> = array(&ap["reviewed-controls"], "control-selections")
            .iter()
            .flat_map(|s| array(s, "include-controls"))
            .filter_map(|c| c["control-id"].as_str())
            .collect();
        ("catalog", Expect::Controls(ids.len()))
    } else if let Some(p) = file.get("plan-of-action-and-milestones") {
        ("scan", Expect::Findings(array(p, "poam-items").len()))
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

/// Imports one file alone in a site, checks `show` lists as many controls, findings or
/// metric groups as the file holds and `check` reports no load or import error; returns
/// a line saying what it found.
fn conforms(dir: &str, name: &str, text: &str) -> String {
    let file: Value = serde_json::from_str(text).expect("corpus file is JSON");
    let (kind, expect) = expected(&file);

    let site = Fixture::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file(&format!("evidence/imports/{name}"), text);
    let id = common::report_id("imports", name);

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
    format!("{dir}/{name}: {kind}, {got} {what}")
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
            report.push(conforms(dir, &name, &text));
        }
    }
    assert!(
        seen >= 9,
        "expected the corpus's 9 JSON files, found {seen}"
    );
    eprintln!("{}", report.join("\n"));
}

/// OSCAL 1.1 system security plan, assessment plan and POA&M (the corpus has none),
/// written in NIST's shape, through the same conformance check.
#[test]
fn plans_import_with_their_counts() {
    let ssp = r##"{"system-security-plan": {
      "uuid": "cff8385f-108e-40a5-8f7a-82f3dc0eaba8",
      "metadata": {"title": "Logger SSP", "last-modified": "2024-03-01T10:00:00Z", "version": "1.0", "oscal-version": "1.1.2"},
      "import-profile": {"href": "#b7ee2a43-5a8c-4bfc-9b3b-6f1d0e8a5f21"},
      "system-characteristics": {"system-ids": [{"identifier-type": "https://ietf.org/rfc/rfc4122", "id": "8101e04d"}],
        "system-name": "Logger", "description": "Central logging.", "security-sensitivity-level": "moderate",
        "system-information": {"information-types": []}, "status": {"state": "operational"},
        "authorization-boundary": {"description": "The Logger VPC."}},
      "system-implementation": {"users": [{"uuid": "9824089b-322c-456f-86c4-4111c4200f69", "title": "Admin"}],
        "components": [{"uuid": "795533ab-9427-4abe-820f-0b571bacfe6d", "type": "this-system", "title": "Logger platform",
          "description": "The whole system.", "status": {"state": "operational"}}]},
      "control-implementation": {"description": "Moderate baseline.", "implemented-requirements": [
        {"uuid": "aaaa0001-0000-4000-8000-000000000001", "control-id": "au-2",
         "statements": [{"statement-id": "au-2_smt.a", "uuid": "aaaa0002-0000-4000-8000-000000000001",
           "by-components": [{"component-uuid": "795533ab-9427-4abe-820f-0b571bacfe6d",
             "uuid": "aaaa0003-0000-4000-8000-000000000001", "description": "Every API call is logged.",
             "implementation-status": {"state": "implemented"}}]}]},
        {"uuid": "aaaa0001-0000-4000-8000-000000000002", "control-id": "au-11",
         "by-components": [{"component-uuid": "795533ab-9427-4abe-820f-0b571bacfe6d",
           "uuid": "aaaa0003-0000-4000-8000-000000000002", "description": "Logs are kept 90 days.",
           "implementation-status": {"state": "planned"}}]}]},
      "back-matter": {"resources": [{"uuid": "b7ee2a43-5a8c-4bfc-9b3b-6f1d0e8a5f21", "title": "NIST SP 800-53 rev5 MODERATE",
        "rlinks": [{"href": "https://example.org/moderate_profile.json", "media-type": "application/oscal.profile+json"}]}]}}}"##;
    let ap = r#"{"assessment-plan": {
      "uuid": "60077e84-e62f-4375-8c6c-b0e0d4560c5f",
      "metadata": {"title": "Logger assessment plan", "last-modified": "2024-04-02T09:00:00Z", "version": "1.0", "oscal-version": "1.1.2"},
      "import-ssp": {"href": "ssp.json"},
      "reviewed-controls": {"control-selections": [{"include-controls": [
        {"control-id": "au-2", "statement-ids": ["au-2_smt.a"]}, {"control-id": "au-11"}]}]},
      "assessment-subjects": [{"type": "component", "include-all": {}}],
      "tasks": [{"uuid": "b1c2d3e4-0000-4000-8000-000000000001", "type": "milestone", "title": "Kick-off",
        "timing": {"on-date": {"date": "2024-05-01T09:00:00Z"}}}]}}"#;
    let poam = r#"{"plan-of-action-and-milestones": {
      "uuid": "714210d2-f8df-448c-be3e-e2213816cf79",
      "metadata": {"title": "Logger POA&M", "last-modified": "2024-06-01T00:00:00Z", "version": "1.0", "oscal-version": "1.1.2"},
      "import-ssp": {"href": "ssp.json"},
      "system-id": {"identifier-type": "https://ietf.org/rfc/rfc4122", "id": "8101e04d"},
      "risks": [
        {"uuid": "c0000000-0000-4000-8000-000000000001", "title": "Weak TLS", "description": "d", "statement": "s",
         "status": "open", "characterizations": [{"origin": {"actors": [{"type": "tool", "actor-uuid": "e0000000-0000-4000-8000-000000000001"}]},
           "facets": [{"name": "impact", "system": "https://fedramp.gov", "value": "high"}]}]},
        {"uuid": "c0000000-0000-4000-8000-000000000002", "title": "Old agent", "description": "d", "statement": "s", "status": "closed"}],
      "poam-items": [
        {"uuid": "d0000000-0000-4000-8000-000000000001", "title": "Enable TLS 1.3", "description": "d",
         "related-risks": [{"risk-uuid": "c0000000-0000-4000-8000-000000000001"}]},
        {"uuid": "d0000000-0000-4000-8000-000000000002", "title": "Remove the agent", "description": "d",
         "related-risks": [{"risk-uuid": "c0000000-0000-4000-8000-000000000002"}]}]}}"#;
    for (name, text) in [("ssp.json", ssp), ("ap.json", ap), ("poam.json", poam)] {
        eprintln!("{}", conforms("fixtures", name, text));
    }

    // A POA&M item's status comes from its risks: the closed one is fixed.
    let site = Fixture::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file("evidence/poam.json", poam);
    let shown = site.run(&["show", "poam", "--format", "json"]);
    let item: Value = serde_json::from_str(&shown.stdout).expect("show JSON");
    let statuses: Vec<&str> = array(&item, "findings")
        .iter()
        .map(|f| f["status"].as_str().unwrap_or("open"))
        .collect();
    assert_eq!(statuses, ["open", "fixed"]);
    assert_eq!(item["findings"][0]["severity"], "high");
}

/// A plan that breaks the OSCAL model is an E0210 at the field, and the build goes on.
#[test]
fn a_broken_plan_is_reported_at_its_field() {
    let site = Fixture::new();
    site.file("site.toml", "title = \"T\"\n");
    site.file(
        "evidence/poam.json",
        "{\"plan-of-action-and-milestones\": {\"metadata\": {\"title\": \"P\"},\n  \"poam-items\": [{\"title\": [\"not text\"]}]}}",
    );
    let out = site.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&out.stdout).expect("check JSON");
    let d = &array(&report, "diagnostics")[0];
    assert_eq!(d["code"], "E0210", "{report:#}");
    assert_eq!(d["file"], "evidence/poam.json");
    assert_eq!(d["line"], 2);
    assert_eq!(
        d["path"],
        "plan-of-action-and-milestones.poam-items[0].title"
    );
}
