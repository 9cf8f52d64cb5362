//! A fixture per reference and policy rule: each asserts the code, file, line and column
//! the diagnostic points at, and that the fixed version passes.

mod common;

use common::{Fixture, item};

/// Runs `check --format json --today 2026-11-27` and returns (code, file, line, column, path).
fn diagnostics(site: &Fixture) -> Vec<(String, String, u64, u64, String)> {
    let out = site.run(&["check", "--today", "2026-11-27", "--format", "json"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expect(site: &Fixture, code: &str, file: &str, line: u64, column: u64, path: &str) {
    let all = diagnostics(site);
    assert!(
        all.iter().any(|d| d.0 == code
            && d.1 == file
            && d.2 == line
            && d.3 == column
            && d.4 == path),
        "no {code} at {file}:{line}:{column} ({path}) in {all:#?}"
    );
}

fn clean(site: &Fixture) {
    let all = diagnostics(site);
    assert!(all.is_empty(), "{all:#?}");
}

const TM: &str = "kind: threat-model\nid: tm\ntitle: TM\nsystem: API\nassets:\n  - id: db\nflows:\n  - {id: F1, from: user, to: db}\n";

fn threat(body: &str) -> String {
    format!("{TM}threats:\n  - id: T1\n    title: Spoofing\n{body}")
}

#[test]
fn open_high_impact_threat() {
    let site = Fixture::new();
    site.file(
        "evidence/tm.yaml",
        &threat("    impact: high\n    status: open\n"),
    );
    expect(
        &site,
        "E0401",
        "evidence/tm.yaml",
        13,
        13,
        "threats[0].status",
    );
    site.file(
        "evidence/tm.yaml",
        &threat("    impact: medium\n    status: open\n"),
    );
    clean(&site);
    site.file(
        "site.toml",
        "title = \"F\"\n[policy]\nfail_on_impact = \"medium\"\n",
    );
    expect(
        &site,
        "E0401",
        "evidence/tm.yaml",
        13,
        13,
        "threats[0].status",
    );
}

#[test]
fn accepted_threat_needs_a_current_acceptance() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &threat("    status: accepted\n"));
    expect(
        &site,
        "E0402",
        "evidence/tm.yaml",
        12,
        13,
        "threats[0].status",
    );
    site.file(
        "evidence/tm.yaml",
        &threat("    status: accepted\n    acceptance: {by: ciso, on: 2026-01-01, expires: 2026-06-30, rationale: r}\n"),
    );
    expect(
        &site,
        "E0402",
        "evidence/tm.yaml",
        13,
        53,
        "threats[0].acceptance.expires",
    );
    site.file(
        "evidence/tm.yaml",
        &threat("    status: accepted\n    acceptance: {by: ciso, on: 2026-01-01, expires: 2026-12-10, rationale: r}\n"),
    );
    expect(
        &site,
        "W0401",
        "evidence/tm.yaml",
        13,
        53,
        "threats[0].acceptance.expires",
    );
    site.file(
        "evidence/tm.yaml",
        &threat("    status: accepted\n    acceptance: {by: ciso, on: 2026-01-01, expires: 2027-12-10, rationale: r}\n"),
    );
    clean(&site);
}

#[test]
fn affects_and_controls_must_resolve() {
    let site = Fixture::new();
    site.file("evidence/cat.yaml", "kind: catalog\nid: gr\ntitle: G\ncontrols:\n  - {id: GR-1, title: One}\n")
        .file(
            "evidence/tm.yaml",
            &threat("    affects: [db, F1, dbb]\n    status: mitigated\n    mitigations:\n      - control: gr:GR-2\n      - control: gx:GR-1\n      - control: GR-1\n        evidence: [nope]\n"),
        );
    expect(
        &site,
        "E0307",
        "evidence/tm.yaml",
        12,
        23,
        "threats[0].affects[2]",
    );
    expect(
        &site,
        "E0306",
        "evidence/tm.yaml",
        15,
        18,
        "threats[0].mitigations[0].control",
    );
    expect(
        &site,
        "E0306",
        "evidence/tm.yaml",
        16,
        18,
        "threats[0].mitigations[1].control",
    );
    expect(
        &site,
        "E0306",
        "evidence/tm.yaml",
        17,
        18,
        "threats[0].mitigations[2].control",
    );
    expect(
        &site,
        "E0305",
        "evidence/tm.yaml",
        18,
        20,
        "threats[0].mitigations[2].evidence[0]",
    );
}

fn scan(findings: &str) -> String {
    format!("kind: scan\nid: sc\ntitle: S\ntool: trivy\nfindings:\n{findings}")
}

#[test]
fn open_high_finding_needs_a_current_exception() {
    let site = Fixture::new();
    site.file(
        "evidence/s.yaml",
        &scan("  - id: CVE-1\n    rule: R1\n    severity: high\n"),
    );
    expect(
        &site,
        "E0405",
        "evidence/s.yaml",
        8,
        15,
        "findings[0].severity",
    );
    let exc = |covers: &str, expires: &str| {
        format!(
            "kind: exception\nid: ex\ntitle: E\nreason: r\ncovers: [{covers}]\napproved_on: 2026-01-01\nexpires: {expires}\n"
        )
    };
    site.file("evidence/e.yaml", &exc("sc#CVE-1", "2027-06-30"));
    clean(&site);
    site.file("evidence/e.yaml", &exc("sc#R1", "2027-06-30"));
    clean(&site);
    site.file("evidence/e.yaml", &exc("sc#CVE-1", "2026-11-01"));
    expect(&site, "E0403", "evidence/e.yaml", 7, 10, "expires");
    expect(
        &site,
        "E0405",
        "evidence/s.yaml",
        8,
        15,
        "findings[0].severity",
    );
    site.file("evidence/e.yaml", &exc("sc#CVE-1", "2026-12-15"));
    expect(&site, "W0403", "evidence/e.yaml", 7, 10, "expires");
    site.file("evidence/e.yaml", &exc("sc#CVE-9", "2027-06-30"));
    expect(&site, "E0305", "evidence/e.yaml", 5, 10, "covers[0]");
    site.file("evidence/e.yaml", &exc("", "2027-06-30"));
    expect(&site, "W0404", "evidence/e.yaml", 5, 1, "covers");
    site.file(
        "evidence/s.yaml",
        &scan("  - id: CVE-1\n    severity: critical\n    status: fixed\n"),
    );
    site.file("evidence/e.yaml", &exc("sc#CVE-1", "2027-06-30"));
    clean(&site);
}

#[test]
fn fairness_disparities_and_review_cadence() {
    let site = Fixture::new();
    let fair = |review: &str| {
        format!(
            "kind: fairness\nid: fr\ntitle: F\ndisparities:\n  - metric: dpr\n    value: 0.7\n    threshold: 0.8\n    direction: at-least\n{review}"
        )
    };
    site.file("evidence/f.yaml", &fair(""));
    expect(
        &site,
        "E0406",
        "evidence/f.yaml",
        6,
        12,
        "disparities[0].value",
    );
    site.file("evidence/f.yaml", &fair("review:\n  reviewer: rai\n  reviewed_on: 2026-01-01\n  decision: approved-with-conditions\n  cadence_days: 90\n"));
    expect(
        &site,
        "E0407",
        "evidence/f.yaml",
        11,
        16,
        "review.reviewed_on",
    );
    site.file(
        "evidence/f.yaml",
        &fair("review:\n  reviewed_on: 2026-11-01\n  decision: accepted\n  cadence_days: 90\n"),
    );
    clean(&site);
}

#[test]
fn overdue_actions_and_tabletop_refs() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &threat("    status: mitigated\n"))
        .file(
            "evidence/tt.yaml",
            "kind: tabletop\nid: tt\ntitle: T\nheld_on: 2026-10-01\nactions:\n  - {id: A1, title: x, due: 2026-11-01, status: open, threats: [tm#T1]}\n  - {id: A2, title: y, due: 2026-11-01, status: done, threats: [tm#T9, tm]}\n",
        );
    expect(&site, "W0408", "evidence/tt.yaml", 6, 29, "actions[0].due");
    expect(
        &site,
        "E0305",
        "evidence/tt.yaml",
        7,
        65,
        "actions[1].threats[0]",
    );
    expect(
        &site,
        "E0305",
        "evidence/tt.yaml",
        7,
        72,
        "actions[1].threats[1]",
    );
    assert_eq!(diagnostics(&site).len(), 3);
}

#[test]
fn portfolio_and_packet_refs() {
    let site = Fixture::new();
    site.file("evidence/r.yaml", "kind: rubric\nid: ps\ntitle: R\nlevels: [novice, expert]\ncriteria:\n  - {id: tm, title: T, level: expert}\n")
        .file("evidence/s.yaml", &item("scan", "sc"))
        .file(
            "evidence/p.yaml",
            "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:\n  - criterion: ps#tmm\n    evidence: [sc, ps]\n  - criterion: sc#x\n",
        )
        .file("evidence/k.yaml", "kind: packet\nid: pk\ntitle: K\nextends: [sc, pk]\nevidence: [scn]\n");
    expect(
        &site,
        "E0305",
        "evidence/p.yaml",
        6,
        16,
        "claims[0].criterion",
    );
    expect(
        &site,
        "E0308",
        "evidence/p.yaml",
        8,
        16,
        "claims[1].criterion",
    );
    expect(&site, "E0308", "evidence/k.yaml", 4, 11, "extends[0]");
    expect(&site, "E0308", "evidence/k.yaml", 4, 15, "extends[1]");
    expect(&site, "E0305", "evidence/k.yaml", 5, 12, "evidence[0]");
}

#[test]
fn typed_fields_report_every_problem_at_its_field() {
    let site = Fixture::new();
    site.file(
        "evidence/tm.yaml",
        &threat("    impact: hgh\n    status: opened\n    likelyhood: low\n    mitigations:\n      - {text: t, due: 2026-13-45}\n"),
    );
    expect(
        &site,
        "E0206",
        "evidence/tm.yaml",
        12,
        13,
        "threats[0].impact",
    );
    expect(
        &site,
        "E0206",
        "evidence/tm.yaml",
        13,
        13,
        "threats[0].status",
    );
    expect(
        &site,
        "E0207",
        "evidence/tm.yaml",
        14,
        5,
        "threats[0].likelyhood",
    );
    expect(
        &site,
        "E0206",
        "evidence/tm.yaml",
        16,
        24,
        "threats[0].mitigations[0].due",
    );
    let out = site.run(&["check", "--today", "2026-11-27"]);
    assert!(
        out.stderr.contains("did you mean `high`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `likelihood`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("open, mitigated, accepted, transferred, false-positive"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_evidence_gets_the_same_positions() {
    let site = Fixture::new();
    site.file(
        "evidence/s.json",
        "{\n  \"kind\": \"scan\",\n  \"id\": \"sc\",\n  \"title\": \"S\",\n  \"findings\": [\n    {\"id\": \"C1\", \"severity\": \"high\"}\n  ]\n}\n",
    );
    expect(
        &site,
        "E0405",
        "evidence/s.json",
        6,
        30,
        "findings[0].severity",
    );
}

#[test]
fn wiki_links_in_evidence_markdown_must_resolve() {
    let site = Fixture::new();
    site.file(
        "evidence/p.yaml",
        "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nreflection: |\n  I learnt a lot.\n\n  See [[tm-nope]] for details.\n",
    )
    .file("evidence/k.yaml", "kind: packet\nid: pk\ntitle: K\nsummary: \"Built on [[pf]] and [[gone]].\"\n");
    expect(&site, "E0302", "evidence/p.yaml", 8, 1, "reflection");
    expect(&site, "E0302", "evidence/k.yaml", 4, 1, "summary");
    assert_eq!(diagnostics(&site).len(), 2, "{:#?}", diagnostics(&site));
}
