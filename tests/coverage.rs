//! Rubric evaluation: every built-in check passing and failing on evidence written for it,
//! every verdict (met, partial, unmet for each of its causes, unclaimed), proficiency,
//! the exports (golden JSON and CSV), the `--require` gate, and bad rubrics.

mod common;

use common::{Fixture, item};
use serde_json::Value;

const TODAY: &str = "2026-11-27";

/// A rubric with one criterion per check, evidence that passes each (learner `pass`) and
/// evidence that fails each without being an error (learner `fail`).
fn fixture() -> Fixture {
    let site = Fixture::new();
    // Open high findings are a policy error by default; the failing scan needs one that
    // is only a rubric failure.
    site.file(
        "site.toml",
        "title = \"Fixture\"\n[policy]\nfail_on_severity = \"critical\"\n",
    );
    let stride = [
        "spoofing",
        "tampering",
        "repudiation",
        "information-disclosure",
        "denial-of-service",
        "elevation-of-privilege",
        "data-poisoning",
        "evasion",
    ];
    let mut threats = String::from("threats:\n");
    for (i, c) in stride.iter().enumerate() {
        let atlas = if i < 3 {
            "atlas: [AML.T0020]\n    "
        } else {
            ""
        };
        threats.push_str(&format!(
            "  - id: G{n}\n    title: Threat {n}\n    category: {c}\n    {atlas}impact: low\n    status: mitigated\n    mitigations:\n      - {{text: Fix it, owner: ana, due: 2027-06-01, status: in-progress}}\n",
            n = i + 1
        ));
    }
    site.file("evidence/tm-good.yaml", &format!("{}{threats}", item("threat-model", "tm-good")))
        .file(
            "evidence/tm-bad.yaml",
            &format!(
                "{}threats:\n  - id: B1\n    title: Spoofed client\n    category: spoofing\n    impact: low\n    status: open\n    atlas: [AML.T0051]\n    mitigations:\n      - {{text: Add mTLS, status: planned}}\n  - id: B2\n    title: Tampered model\n    category: tampering\n    impact: low\n    status: open\n",
                item("threat-model", "tm-bad")
            ),
        )
        .file(
            "evidence/scan-good.yaml",
            &format!(
                "{}tool: trivy\nfindings:\n  - {{id: CVE-1, severity: high, title: Smuggling}}\n  - {{id: CVE-2, severity: medium, title: Minor}}\n",
                item("scan", "scan-good")
            ),
        )
        .file(
            "evidence/scan-bad.yaml",
            &format!(
                "{}tool: trivy\nfindings:\n  - {{id: CVE-3, severity: high, title: Open one}}\n  - {{id: CVE-4, severity: high, title: Fixed one, status: fixed}}\n",
                item("scan", "scan-bad")
            ),
        )
        .file(
            "evidence/exc-good.yaml",
            "kind: exception\nid: exc-good\ntitle: Smuggling exception\ncovers: [scan-good#CVE-1]\nreason: Partner client\napproved_by: [Ana, Ben]\napproved_on: 2026-10-01\nexpires: 2027-03-01\n",
        )
        .file(
            "evidence/exc-bad.yaml",
            "kind: exception\nid: exc-bad\ntitle: Long exception\ncovers: [scan-bad#CVE-4]\nreason: Forever\napproved_by: [Ana, ana]\napproved_on: 2026-01-01\nexpires: 2027-12-31\n",
        )
        .file(
            "evidence/fair-good.yaml",
            &format!(
                "{}sensitive_features: [sex, age]\ndisparities:\n  - {{metric: dpr, feature: sex, value: 0.9, threshold: 0.8, direction: at-least}}\nexplainability:\n  method: SHAP\n  global_importance: {{income: 0.4, age: 0.1}}\nreview:\n  reviewer: Rita\n  reviewed_on: 2026-11-01\n  cadence_days: 90\n  decision: approved\n",
                item("fairness", "fair-good")
            ),
        )
        .file(
            "evidence/fair-bad.yaml",
            &format!(
                "{}sensitive_features: [sex]\ndisparities:\n  - {{metric: eod, feature: age, value: 0.2, threshold: 0.1}}\nreview:\n  reviewer: Rita\n  reviewed_on: 2026-09-01\n  decision: monitor\n",
                item("fairness", "fair-bad")
            ),
        )
        .file(
            "evidence/pkt-good.yaml",
            &format!(
                "{}signoffs:\n  - {{role: security-lead, by: Dan, on: 2026-11-01, decision: approved}}\n",
                item("packet", "pkt-good")
            ),
        )
        .file(
            "evidence/pkt-bad.yaml",
            &format!(
                "{}signoffs:\n  - {{role: security-lead, by: Dan, on: 2025-01-01, decision: rejected}}\n",
                item("packet", "pkt-bad")
            ),
        )
        .file(
            "evidence/tt-good.yaml",
            &format!(
                "{}actions:\n  - {{id: A1, title: Hash batches, owner: li, due: 2027-01-15, status: open}}\n",
                item("tabletop", "tt-good")
            ),
        )
        .file(
            "evidence/tt-bad.yaml",
            &format!(
                "{}actions:\n  - {{id: A9, title: Nobody owns this, status: open}}\n",
                item("tabletop", "tt-bad")
            ),
        )
        .file(
            "evidence/rubric.yaml",
            &format!(
                "{}competency: mlops-security\nlevels: [novice, intermediate, advanced]\ncriteria:
  - {{id: count, level: novice, requires: {{kind: scan, minimum: 1}}, checks: [{{min-count: 1}}]}}
  - {{id: stride, level: intermediate, requires: {{kind: threat-model}}, checks: [stride-coverage]}}
  - {{id: categories, level: intermediate, requires: {{kind: threat-model}}, checks: [{{threat-categories: [data-poisoning, evasion]}}]}}
  - {{id: atlas, level: intermediate, requires: {{kind: threat-model}}, checks: [{{atlas-mapped: 3}}]}}
  - {{id: resolved, level: advanced, requires: {{kind: threat-model}}, checks: [all-threats-resolved]}}
  - {{id: owned, level: advanced, requires: {{kind: threat-model}}, checks: [mitigations-owned]}}
  - {{id: owned-actions, level: advanced, requires: {{kind: tabletop}}, checks: [mitigations-owned]}}
  - {{id: findings, level: advanced, requires: {{kind: scan}}, checks: [{{max-open-findings: {{critical: 0, high: 0}}}}]}}
  - {{id: disparities, level: advanced, requires: {{kind: fairness}}, checks: [disparities-within-threshold]}}
  - {{id: explain, level: advanced, requires: {{kind: fairness}}, checks: [has-explainability]}}
  - {{id: review, level: advanced, requires: {{kind: fairness}}, checks: [{{review-current: 30}}]}}
  - {{id: packet-review, level: advanced, requires: {{kind: packet}}, checks: [review-current]}}
  - {{id: signoff, level: advanced, requires: {{kind: packet}}, checks: [{{signed-off-by: security-lead}}]}}
  - {{id: approvers, level: advanced, requires: {{kind: exception}}, checks: [{{min-approvers: 2}}]}}
  - {{id: boxed, level: advanced, requires: {{kind: exception}}, checks: [{{time-boxed: 180}}]}}
  - id: expr
    level: advanced
    requires: {{kind: fairness}}
    checks:
      - expr: 'item.sensitive_features | length >= 2'
        explain: Results are sliced by at least two sensitive features.
",
                item("rubric", "rub")
            ),
        );
    let claims = |suffix: &str| {
        let pick = |kind: &str| format!("{kind}-{suffix}");
        [
            ("count", pick("scan")),
            ("stride", pick("tm")),
            ("categories", pick("tm")),
            ("atlas", pick("tm")),
            ("resolved", pick("tm")),
            ("owned", pick("tm")),
            ("owned-actions", pick("tt")),
            ("findings", pick("scan")),
            ("disparities", pick("fair")),
            ("explain", pick("fair")),
            ("review", pick("fair")),
            ("packet-review", pick("pkt")),
            ("signoff", pick("pkt")),
            ("approvers", pick("exc")),
            ("boxed", pick("exc")),
            ("expr", pick("fair")),
        ]
        .iter()
        .map(|(c, e)| format!("  - {{criterion: rub#{c}, evidence: [{e}]}}\n"))
        .collect::<String>()
    };
    site.file(
        "evidence/pf-pass.yaml",
        &format!(
            "kind: portfolio\nid: pf-pass\ntitle: Pass\nlearner: {{name: Pat Pass, handle: pass}}\nmodule: MOD-559\nclaims:\n{}",
            claims("good")
        ),
    )
    .file(
        "evidence/pf-fail.yaml",
        &format!(
            "kind: portfolio\nid: pf-fail\ntitle: Fail\nlearner: {{name: Fay Fail, handle: fail}}\nmodule: MOD-559\nclaims:\n{}",
            claims("bad").replace(
                "{criterion: rub#count, evidence: [scan-bad]}",
                "{criterion: rub#count, evidence: []}"
            )
        ),
    );
    site
}

fn coverage_json(site: &Fixture) -> Value {
    let out = site.run(&["coverage", "--format", "json", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).expect("coverage JSON")
}

fn criteria<'a>(doc: &'a Value, handle: &str) -> Vec<&'a Value> {
    doc["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["handle"] == handle)
        .unwrap_or_else(|| panic!("no learner {handle}"))["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .collect()
}

fn verdict<'a>(doc: &'a Value, handle: &str, criterion: &str) -> &'a Value {
    criteria(doc, handle)
        .into_iter()
        .find(|c| c["criterion"] == criterion)
        .unwrap_or_else(|| panic!("no criterion {criterion}"))
}

fn reasons(v: &Value) -> String {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn the_fixture_checks_clean() {
    let out = fixture().run(&["check", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("0 errors, 0 warnings"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_builtin_passes_on_good_evidence() {
    let doc = coverage_json(&fixture());
    for c in criteria(&doc, "pass") {
        assert_eq!(c["status"], "met", "{}: {}", c["criterion"], reasons(c));
        assert!(
            c["reasons"][0].as_str().unwrap().contains(" passed: "),
            "{c}"
        );
    }
    // Reasons name the items and sub-items that decided them.
    let r = reasons(verdict(&doc, "pass", "findings"));
    assert!(r.contains("CVE-1 by exc-good"), "{r}");
    let r = reasons(verdict(&doc, "pass", "stride"));
    assert!(
        r.contains("spoofing G1") && r.contains("elevation-of-privilege G6"),
        "{r}"
    );
    let r = reasons(verdict(&doc, "pass", "signoff"));
    assert!(r.contains("approved by security-lead by Dan"), "{r}");
}

#[test]
fn every_builtin_fails_on_bad_evidence_with_its_reason() {
    let doc = coverage_json(&fixture());
    let expect = [
        (
            "stride",
            "tm-bad: no threat for repudiation, information-disclosure, denial-of-service, elevation-of-privilege",
        ),
        (
            "categories",
            "tm-bad: no threat for data-poisoning, evasion",
        ),
        (
            "atlas",
            "tm-bad: 1 threat cites a MITRE ATLAS technique (B1); 3 needed",
        ),
        ("resolved", "tm-bad: B1 open, B2 open"),
        ("owned", "tm-bad: no owner or due date for B1 mitigation 1"),
        ("owned-actions", "tt-bad: no owner or due date for A9"),
        (
            "findings",
            "scan-bad: 1 open high (CVE-3), at most 0 allowed",
        ),
        (
            "disparities",
            "fair-bad: eod for age is 0.2, past its threshold 0.1",
        ),
        ("explain", "fair-bad: has no explainability section"),
        (
            "review",
            "fair-bad: reviewed on 2026-09-01, 87 days ago, past its cadence of 30 days",
        ),
        ("packet-review", "pkt-bad: has no dated approving sign-off"),
        ("signoff", "pkt-bad: security-lead decided rejected"),
        (
            "approvers",
            "exc-bad: approved by 1 person (Ana, ana); 2 needed",
        ),
        (
            "boxed",
            "exc-bad: runs 729 days (2026-01-01 to 2027-12-31), more than 180",
        ),
        (
            "expr",
            "fair-bad does not satisfy: Results are sliced by at least two sensitive features.",
        ),
    ];
    for (criterion, reason) in expect {
        let v = verdict(&doc, "fail", criterion);
        assert_eq!(v["status"], "unmet", "{criterion}: {}", reasons(v));
        assert!(
            reasons(v).contains(&format!("failed: {reason}")),
            "{criterion}: {}",
            reasons(v)
        );
    }
    // min-count fails with no evidence cited.
    let v = verdict(&doc, "fail", "count");
    assert_eq!(v["status"], "unmet");
    assert!(
        reasons(v).contains("0 error-free scan items cited (1 needed)"),
        "{}",
        reasons(v)
    );
}

#[test]
fn proficiency_is_the_highest_level_met_in_full() {
    let site = fixture();
    let out = site.run(&["coverage", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pass = out
        .stdout
        .split("\n\n")
        .find(|b| b.starts_with("Pat Pass"))
        .unwrap();
    assert!(
        pass.lines()
            .nth(1)
            .is_some_and(|l| l.split_whitespace().eq(["mlops-security", "advanced"])),
        "{pass}"
    );
    let fail = out
        .stdout
        .split("\n\n")
        .find(|b| b.starts_with("Fay Fail"))
        .unwrap();
    assert!(fail.contains("not yet at the first level"), "{fail}");
    // The CI gate: the failing learner is below novice; the passing one is not.
    let gate = site.run(&["coverage", "--today", TODAY, "--require", "novice"]);
    assert_eq!(gate.code, 1);
    assert!(gate.stderr.contains("below the required level: fail: mlops-security is not yet at the first level, below novice"), "{}", gate.stderr);
    assert!(!gate.stderr.contains("pass:"), "{}", gate.stderr);
    let typo = site.run(&["coverage", "--today", TODAY, "--require", "expret"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("levels: advanced, intermediate, novice"),
        "{}",
        typo.stderr
    );
}

/// A small site for the verdicts that are not about one check.
fn verdict_site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}competency: c\nlevels: [novice, expert]\nmodules: [MOD-1]\ncriteria:
  - {{id: two, level: novice, requires: {{kind: threat-model}}, checks: [{{min-count: 1}}, stride-coverage]}}
  - {{id: wrong-kind, level: novice, requires: {{kind: threat-model}}, checks: [{{min-count: 1}}]}}
  - {{id: broken, level: novice, requires: {{kind: scan}}, checks: [{{min-count: 1}}]}}
  - {{id: left, level: expert, requires: {{kind: scan}}, checks: [{{min-count: 1}}]}}
  - {{id: plain, level: expert, requires: {{kind: scan, minimum: 2}}}}
",
            item("rubric", "rub")
        ),
    )
    .file("evidence/other-rubric.yaml", &format!("{}levels: [a]\nmodules: [MOD-2]\ncriteria:\n  - {{id: x, level: a}}\n", item("rubric", "other")))
    .file("evidence/tm.yaml", &format!("{}threats:\n  - {{id: T1, title: One, category: spoofing, impact: low, status: open}}\n", item("threat-model", "tm")))
    // A scan whose open critical finding is a policy error: it can meet nothing.
    .file("evidence/scan.yaml", &format!("{}findings:\n  - {{id: CVE-9, severity: critical}}\n", item("scan", "scan")))
    .file(
        "evidence/pf.yaml",
        "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nmodule: MOD-1\nclaims:
  - {criterion: rub#two, evidence: [tm]}
  - {criterion: rub#wrong-kind, evidence: [scan]}
  - {criterion: rub#broken, evidence: [scan]}
",
    );
    site
}

#[test]
fn verdicts_met_partial_unmet_and_unclaimed() {
    let site = verdict_site();
    // The site has an error (the scan), so coverage prints it, and exits 1.
    let out = site.run(&["coverage", "--format", "json", "--today", TODAY]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("E0405"), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let status = |c: &str| {
        verdict(&doc, "ada", c)["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        status("two"),
        "partial",
        "{}",
        reasons(verdict(&doc, "ada", "two"))
    );
    assert_eq!(status("wrong-kind"), "unmet");
    assert!(
        reasons(verdict(&doc, "ada", "wrong-kind"))
            .contains("scan is a scan, and the criterion requires threat-model")
    );
    assert_eq!(status("broken"), "unmet");
    assert!(
        reasons(verdict(&doc, "ada", "broken"))
            .contains("scan has 1 error (evidence/scan.yaml), so it cannot meet a criterion"),
        "{}",
        reasons(verdict(&doc, "ada", "broken"))
    );
    assert_eq!(status("left"), "unclaimed");
    assert_eq!(
        verdict(&doc, "ada", "left")["reasons"],
        serde_json::json!([])
    );
    // A rubric of another module does not apply to this learner.
    assert!(criteria(&doc, "ada").iter().all(|c| c["rubric"] == "rub"));
}

#[test]
fn exports_match_the_golden_files() {
    let site = fixture();
    let json = site.run(&["coverage", "--format", "json", "--today", TODAY]);
    let csv = site.run(&["coverage", "--format", "csv", "--today", TODAY]);
    assert_eq!(json.code, 0);
    assert_eq!(csv.code, 0);
    for (name, text) in [
        ("coverage.json", &json.stdout),
        ("coverage.csv", &csv.stdout),
    ] {
        common::golden(&format!("tests/golden/{name}"), text);
    }
    // CSV: one row per learner and criterion, plus the header.
    let rows: Vec<csv_row::Row> = csv_row::parse(&csv.stdout);
    assert_eq!(rows.len(), 1 + 2 * 16);
    assert_eq!(
        rows[0].0,
        [
            "handle",
            "name",
            "module",
            "rubric",
            "criterion",
            "level",
            "status",
            "evidence",
            "reasons"
        ]
    );
}

/// Enough CSV reading for the test, via the same crate the exporter uses.
mod csv_row {
    pub struct Row(pub Vec<String>);
    pub fn parse(text: &str) -> Vec<Row> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| Row(r.unwrap().iter().map(str::to_owned).collect()))
            .collect()
    }
}

#[test]
fn learner_strings_cannot_become_spreadsheet_formulas() {
    let site = Fixture::new();
    site.file("evidence/rubric.yaml", &format!("{}levels: [a]\ncriteria:\n  - {{id: c, level: a}}\n", item("rubric", "rub")))
        .file("evidence/pf.yaml", "kind: portfolio\nid: pf\ntitle: P\nlearner: {name: \"=HYPERLINK(\\\"http://evil\\\")\", handle: eve}\nclaims: []\n");
    let out = site.run(&["coverage", "--format", "csv", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = csv_row::parse(&out.stdout);
    assert_eq!(rows[1].0[1], "'=HYPERLINK(\"http://evil\")");
}

#[test]
fn bad_rubrics_are_diagnostics_at_their_line() {
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}levels: [a]\ncriteria:
  - id: c1
    level: a
    requires: {{kind: scan}}
    checks:
      - stride-coverag
      - {{max-open-findings: {{severe: 1}}}}
      - {{min-count: lots}}
      - stride-coverage
      - expr: 'item.findings | length >='
        explain: Has findings.
      - expr: 'true'
",
            item("rubric", "rub")
        ),
    );
    let out = site.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(out.code, 1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let got: Vec<(String, u64, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |code: &str, line: u64, text: &str| {
        assert!(
            got.iter()
                .any(|(c, l, m)| c == code && *l == line && m.contains(text)),
            "no {code} at line {line} containing {text:?}: {got:#?}"
        );
    };
    has("E0501", 13, "unknown check `stride-coverag`");
    has("E0502", 14, "`severe` is not a severity");
    has("E0502", 15, "check `min-count` takes a whole number");
    has(
        "E0504",
        16,
        "check `stride-coverage` reads threat-model evidence, but the criterion requires scan",
    );
    has("E0503", 17, "the expression does not compile");
    has("E0502", 19, "an `expr` check needs an `explain` text");
    let help = doc["diagnostics"][0]["help"].as_str().unwrap();
    assert!(
        help.contains("did you mean `stride-coverage`?") && help.contains("max-open-findings"),
        "{help}"
    );
}

#[test]
fn a_claim_on_a_criterion_that_does_not_exist_is_an_error() {
    let site = Fixture::new();
    site.file("evidence/rubric.yaml", &format!("{}levels: [a]\ncriteria:\n  - {{id: c1, level: a}}\n", item("rubric", "rub")))
        .file("evidence/pf.yaml", "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:\n  - {criterion: rub#c9}\n");
    let out = site.run(&["check", "--today", TODAY]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("evidence/pf.yaml:6:"), "{}", out.stderr);
    assert!(out.stderr.contains("c9"), "{}", out.stderr);
}

#[test]
fn an_expression_that_fails_at_run_time_is_a_warning_and_a_failed_check() {
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}levels: [a]\ncriteria:\n  - id: c1\n    level: a\n    requires: {{kind: scan}}\n    checks:\n      - expr: '(\"y\" * 100000000) | length > 0'\n        explain: Never.\n",
            item("rubric", "rub")
        ),
    )
    .file("evidence/scan.yaml", &item("scan", "scan"))
    .file("evidence/pf.yaml", "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:\n  - {criterion: rub#c1, evidence: [scan]}\n");
    let out = site.run(&["coverage", "--format", "json", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let v = verdict(&doc, "ada", "c1");
    assert_eq!(v["status"], "unmet");
    assert!(
        reasons(v).contains("the expression could not be evaluated"),
        "{}",
        reasons(v)
    );
    let check = site.run(&["check", "--today", TODAY]);
    assert!(check.stderr.contains("W0501"), "{}", check.stderr);
}

#[test]
fn max_open_findings_reads_an_imported_sbom_with_its_vex_states() {
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}levels: [a]\ncriteria:\n  - {{id: deps, level: a, requires: {{kind: sbom}}, checks: [{{max-open-findings: {{critical: 0, high: 0}}}}]}}\n",
            item("rubric", "rub")
        ),
    )
    .file(
        "evidence/bom.cdx.json",
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "components": [{"bom-ref": "pkg:pypi/a@1", "type": "library", "name": "a", "version": "1"}],
  "vulnerabilities": [
    {"id": "CVE-1", "ratings": [{"severity": "high"}], "affects": [{"ref": "pkg:pypi/a@1"}],
     "analysis": {"state": "not_affected", "justification": "code_not_reachable"}},
    {"id": "CVE-2", "ratings": [{"severity": "medium"}], "affects": [{"ref": "pkg:pypi/a@1"}]}
  ]}"#,
    )
    .file("evidence/pf.yaml", "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:\n  - {criterion: rub#deps, evidence: [bom]}\n");
    let doc = coverage_json(&site);
    let v = verdict(&doc, "ada", "deps");
    assert_eq!(v["status"], "met", "{}", reasons(v));
    assert!(
        reasons(v).contains("bom: 0 open critical (at most 0), 0 open high (at most 0)"),
        "{}",
        reasons(v)
    );
}

#[test]
fn a_packet_that_signs_a_role_again_overrides_the_inherited_sign_off() {
    // The rubric reads a packet's sign-offs as its page and status do: the child's own
    // rejection replaces the approval it would inherit from the base.
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}levels: [a]\ncriteria:
  - {{id: signoff, level: a, requires: {{kind: packet}}, checks: [{{signed-off-by: security-lead}}]}}
  - {{id: review, level: a, requires: {{kind: packet}}, checks: [review-current]}}
  - {{id: base-signoff, level: a, requires: {{kind: packet}}, checks: [{{signed-off-by: security-lead}}]}}
",
            item("rubric", "rub")
        ),
    )
    .file(
        "evidence/p-base.yaml",
        &format!(
            "{}signoffs:\n  - {{role: security-lead, by: Dan, on: 2026-11-01, decision: approved}}\n",
            item("packet", "p-base")
        ),
    )
    .file(
        "evidence/p-child.yaml",
        &format!(
            "{}extends: [p-base]\nsignoffs:\n  - {{role: security-lead, by: Eve, on: 2026-11-02, decision: rejected}}\n",
            item("packet", "p-child")
        ),
    )
    .file(
        "evidence/pf.yaml",
        "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:
  - {criterion: rub#signoff, evidence: [p-child]}
  - {criterion: rub#review, evidence: [p-child]}
  - {criterion: rub#base-signoff, evidence: [p-base]}
",
    );
    let doc = coverage_json(&site);
    let v = verdict(&doc, "ada", "signoff");
    assert_eq!(v["status"], "unmet", "{}", reasons(v));
    assert_eq!(
        reasons(v),
        "signed-off-by failed: p-child: security-lead decided rejected (overriding the sign-off inherited from p-base)"
    );
    let v = verdict(&doc, "ada", "review");
    assert_eq!(v["status"], "unmet", "{}", reasons(v));
    assert_eq!(
        reasons(v),
        "review-current failed: p-child: has no dated approving sign-off"
    );
    // The base keeps its own approval.
    let v = verdict(&doc, "ada", "base-signoff");
    assert_eq!(v["status"], "met", "{}", reasons(v));
    assert_eq!(
        reasons(v),
        "signed-off-by passed: p-base: approved by security-lead by Dan"
    );
}
