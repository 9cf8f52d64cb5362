//! Item pages per kind and the backlog: a fixture site with one item of each kind, built
//! with a fixed `--today`, and the structure a reviewer relies on checked in the HTML.

mod common;

use common::{Fixture, item};
use scraper::{ElementRef, Html, Selector};

const TODAY: &str = "2027-01-15";

fn fixture() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/catalog.yaml",
        &format!(
            "{}controls:\n  - {{id: C1, title: Keys in the vault, family: secrets}}\n  - {{id: C2, title: Least privilege}}\n",
            item("catalog", "cat")
        ),
    )
    .file(
        "evidence/tm.yaml",
        &format!(
            "{}methodology: stride\nassets:\n  - {{id: db, title: Database, sensitivity: restricted}}\n  - {{id: api, title: API}}\nflows:\n  - {{id: F1, from: user, to: api, crosses: internet}}\n  - {{id: F2, from: api, to: db}}\nthreats:\n  - id: T1\n    title: Stolen key\n    category: spoofing\n    atlas: [AML.T0012]\n    owasp: [LLM02:2025]\n    affects: [api, F1]\n    likelihood: high\n    impact: critical\n    status: mitigated\n    mitigations:\n      - control: cat:C1\n        text: Keys in the vault\n        evidence: [scan-a]\n        status: done\n  - id: T2\n    title: Log tampering\n    category: tampering\n    affects: [db]\n    likelihood: medium\n    impact: low\n    status: open\n    mitigations:\n      - text: Sign the logs\n        owner: sre\n        due: 2026-12-01\n        status: planned\n      - text: Ship logs off the host\n        owner: sre\n  - id: T3\n    title: Model theft\n    category: model-extraction\n    likelihood: low\n    impact: high\n    status: accepted\n    acceptance: {{by: CISO, on: 2026-12-01, expires: 2027-12-01, rationale: Banded outputs}}\n    mitigations:\n      - text: Cap queries per partner\n        owner: product\n        due: 2027-03-01\n        status: in-progress\n",
            item("threat-model", "tm")
        ),
    )
    .file(
        "evidence/scan.yaml",
        &format!(
            "{}tool: trivy\ntarget: api:1.0\nscanned: 2027-01-10\nfindings:\n  - id: CVE-2024-1\n    rule: CVE-2024-1\n    severity: high\n    title: Request smuggling\n    location: gunicorn@21.2.0\n    fixed_version: 22.0.0\n    references: [https://nvd.nist.gov/vuln/detail/CVE-2024-1, \"javascript:alert(1)\"]\n    status: open\n  - id: CVE-2024-2\n    severity: medium\n    title: ReDoS\n    status: open\n  - id: F-3\n    rule: B105\n    severity: low\n    title: Hard-coded password\n    status: fixed\n",
            item("scan", "scan-a")
        ),
    )
    .file(
        "evidence/exc.yaml",
        "kind: exception\nid: exc-a\ntitle: Exception for CVE-2024-1\nreason: Fix breaks a partner\napproved_by: [Security Lead, Platform Manager]\napproved_on: 2026-12-01\nexpires: 2027-03-01\ncovers:\n  - scan-a#CVE-2024-1\n  - scan-a#B105\n",
    )
    .file(
        "evidence/fair.yaml",
        &format!(
            "{}model: scorer 3.2\ndataset: holdout\nsensitive_features: [sex]\nmetrics:\n  - feature: sex\n    groups:\n      female: {{count: 100, selection_rate: 0.61}}\n      male: {{count: 120, selection_rate: 0.65, auc: 0.78}}\ndisparities:\n  - {{metric: demographic_parity_ratio, feature: sex, value: 0.94, threshold: 0.8, direction: at-least}}\n  - {{metric: equalized_odds_difference, feature: sex, value: 0.07, threshold: 0.05}}\nexplainability:\n  method: SHAP\n  global_importance: {{income: 0.2, debt: 0.4}}\nreview: {{reviewer: MRM, reviewed_on: 2026-12-01, decision: approved, cadence_days: 90}}\n",
            item("fairness", "fair-a")
        ),
    )
    .file(
        "evidence/tt.yaml",
        &format!(
            "{}scenario: {{category: data-poisoning, text: A poisoned feed}}\nparticipants:\n  - {{name: Ana, role: security}}\n  - {{name: Ben, role: sre}}\n  - {{name: Cy, role: security}}\ntimeline:\n  - {{time: \"T+00:00\", inject: Drift alert, response: Freeze promotion}}\nfindings: [Lineage is manual]\nactions:\n  - {{id: A1, title: Write the runbook, owner: Ben, due: 2027-01-01, status: open, threats: [tm#T2]}}\n  - {{id: A2, title: Hash batches, owner: Ana, due: 2027-02-01, threats: [tm#T1]}}\n  - {{id: A3, title: Done already, owner: Cy, due: 2026-11-01, status: done}}\n",
            item("tabletop", "tt-a")
        ),
    )
    .file(
        "evidence/rubric.yaml",
        &format!(
            "{}competency: security\nlevels: [novice, expert]\ncriteria:\n  - id: c1\n    title: Threat-models a service\n    level: novice\n    requires: {{kind: threat-model, minimum: 1}}\n    checks:\n      - min-count: 1\n      - stride-coverage\n",
            item("rubric", "rub")
        ),
    )
    .file(
        "evidence/pf.yaml",
        &format!(
            "{}module: MOD-559\nclaims:\n  - {{criterion: rub#c1, evidence: [tm], note: My model}}\nreflection: |\n  I learnt **a lot** from [[tm|the threat model]].\n\n  <script>alert('x')</script>\n",
            item("portfolio", "pf-a")
        ),
    )
    .file(
        "evidence/packet.yaml",
        &format!(
            "{}audience: [compliance]\nsummary: \"The *baseline* packet.\"\nevidence: [tm, fair-a]\ncontrols:\n  - {{control: cat:C1, evidence: [scan-a, tm#T1]}}\nsignoffs:\n  - {{role: security-lead, by: Dan, on: 2027-01-02, decision: approved-with-conditions, conditions: [Fix CVE-2024-1]}}\n",
            item("packet", "pkt-a")
        ),
    );
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    site
}

fn page(site: &Fixture, rel: &str) -> Html {
    Html::parse_document(&site.read(&format!("public/{rel}")))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn one<'a>(doc: &'a Html, s: &str) -> ElementRef<'a> {
    doc.select(&sel(s))
        .next()
        .unwrap_or_else(|| panic!("nothing matches {s}"))
}

fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of each cell of a table row, joined by spaces.
fn cells(row: ElementRef<'_>) -> String {
    row.select(&sel("th, td"))
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(text).collect()
}

#[test]
fn item_pages_show_each_kind() {
    let site = fixture();

    // Threat model: threats, assets and flows are anchors; the risk matrix puts T1 at
    // impact critical, likelihood high; flows link to assets; controls to the catalog.
    let tm = page(&site, "evidence/tm/index.html");
    for id in ["T1", "T2", "T3", "db", "api", "F1", "F2"] {
        one(&tm, &format!("tr[id='{id}']"));
    }
    assert!(text(one(&tm, "tr#T1")).contains("Stolen key"));
    assert_eq!(text(one(&tm, "tr#T2 td:nth-child(8)")), "open");
    one(&tm, "tr#T2 .badge.badge-open");
    let rows: Vec<ElementRef<'_>> = tm.select(&sel("table.risk-matrix tbody tr")).collect();
    assert_eq!(
        rows.iter()
            .map(|r| text(one_in(*r, "th")))
            .collect::<Vec<_>>(),
        ["critical", "high", "medium", "low"]
    );
    assert_eq!(
        texts(&tm, "table.risk-matrix thead th"),
        ["low", "medium", "high", "critical"]
    );
    // Row "critical", column "high" (the third likelihood): count and id, in text.
    let cell = rows[0].select(&sel("td")).nth(2).unwrap();
    assert_eq!(text(cell), "1 threat: T1");
    assert_eq!(one_in(cell, "a").value().attr("href"), Some("#T1"));
    let low_medium = rows[3].select(&sel("td")).nth(1).unwrap();
    assert_eq!(text(low_medium), "1 threat: T2");
    let flow = one(&tm, "tr#F1");
    assert_eq!(one_in(flow, "a").value().attr("href"), Some("#api"));
    assert!(text(flow).contains("user"), "external entities stay text");
    let control = one(
        &tm,
        "article#T1-detail table.mitigations a[href*='controls/cat/']",
    );
    assert_eq!(
        control.value().attr("href"),
        Some("../../controls/cat/c1/index.html")
    );
    assert_eq!(text(control), "cat:C1");
    assert!(text(one(&tm, "article#T3-detail")).contains("320 days left"));
    one(&tm, "details summary h2#fields-h");

    // Scan: findings under their severity, covered by the exception, references safe.
    let scan = page(&site, "evidence/scan-a/index.html");
    let high = one(
        &scan,
        "section.severity-group[aria-labelledby='severity-high']",
    );
    let finding = one_in(high, "tr#CVE-2024-1");
    let covered = one_in(finding, "a[href*='exc-a']");
    assert_eq!(
        covered.value().attr("href"),
        Some("../../evidence/exc-a/index.html")
    );
    one_in(finding, ".badge-open");
    let refs: Vec<ElementRef<'_>> = finding.select(&sel("ul.refs li")).collect();
    assert_eq!(refs.len(), 2);
    let web = one_in(refs[0], "a");
    assert_eq!(web.value().attr("rel"), Some("noopener"));
    assert_eq!(
        web.value().attr("href"),
        Some("https://nvd.nist.gov/vuln/detail/CVE-2024-1")
    );
    assert!(
        refs[1].select(&sel("a")).next().is_none(),
        "a javascript: reference is not a link"
    );
    let medium = one(
        &scan,
        "section.severity-group[aria-labelledby='severity-medium']",
    );
    one_in(medium, "tr#CVE-2024-2");
    // A finding covered through its rule (`scan-a#B105`) gets a rule anchor too.
    let low = one(
        &scan,
        "section.severity-group[aria-labelledby='severity-low']",
    );
    one_in(low, "tr#F-3 span#B105");
    one_in(one_in(low, "tr#F-3"), "a[href*='exc-a']");
    let summary: Vec<String> = scan
        .select(&sel("table.scan-summary tbody tr"))
        .map(cells)
        .collect();
    assert_eq!(summary[1], "high 0 1 0 0 0 1");
    assert_eq!(summary[2], "medium 1 0 0 0 0 1");
    assert_eq!(summary[3], "low 0 0 0 1 0 1");

    // Exception: the validity window against --today, and exact sub-item links.
    let exc = page(&site, "evidence/exc-a/index.html");
    let validity = text(one(&exc, "p.validity"));
    assert!(validity.contains("2026-12-01"), "{validity}");
    assert!(validity.contains("2027-03-01"), "{validity}");
    assert!(validity.contains("45 days left"), "{validity}");
    let covers: Vec<&str> = exc
        .select(&sel("table.covers a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        covers,
        [
            "../../evidence/scan-a/index.html#CVE-2024-1",
            "../../evidence/scan-a/index.html#B105"
        ]
    );

    // Fairness: groups x metrics, missing values marked; disparities judged in text.
    let fair = page(&site, "evidence/fair-a/index.html");
    assert_eq!(
        texts(&fair, "table.groups thead th"),
        ["Group", "count", "selection_rate", "auc"]
    );
    assert_eq!(
        fair.select(&sel("table.groups tbody tr"))
            .map(cells)
            .collect::<Vec<_>>(),
        ["female 100 0.61 –", "male 120 0.65 0.78"]
    );
    let results = texts(&fair, "table.disparities tbody td .badge");
    assert_eq!(results, ["within", "past threshold"]);
    assert_eq!(
        texts(&fair, "table.importance tbody th"),
        ["debt", "income"],
        "most important first"
    );
    one(&fair, "table.importance meter[max='0.4'][value='0.4']");
    assert!(text(one(&fair, "#sec-review + dl")).contains("2027-03-01"));

    // Tabletop: participants by role, actions anchored and linked to threats.
    let tt = page(&site, "evidence/tt-a/index.html");
    let roles: Vec<String> = tt
        .select(&sel("dl.roles > div"))
        .map(|d| format!("{}: {}", text(one_in(d, "dt")), text(one_in(d, "dd"))))
        .collect();
    assert_eq!(roles, ["security: Ana, Cy", "sre: Ben"]);
    let a1 = one(&tt, "tr#A1");
    assert_eq!(
        one_in(a1, "a").value().attr("href"),
        Some("../../evidence/tm/index.html#T2")
    );
    one_in(a1, ".badge-overdue");
    assert!(
        one(&tt, "tr#A3")
            .select(&sel(".badge-overdue"))
            .next()
            .is_none()
    );

    // Portfolio: on its learner's page; the reflection is Markdown, sanitised.
    assert!(!site.path("public/evidence/pf-a/index.html").exists());
    let pf = page(&site, "learners/ada/index.html");
    let reflection = one(&pf, ".reflection");
    assert_eq!(text(one_in(reflection, "strong")), "a lot");
    assert_eq!(
        one_in(reflection, "a").value().attr("href"),
        Some("../../evidence/tm/index.html")
    );
    assert!(pf.select(&sel("script")).next().is_none());
    assert!(reflection.select(&sel("script")).next().is_none());
    assert!(!reflection.html().contains("alert('x')</script>"));
    let claim = one(&pf, "table.claims tbody tr");
    assert_eq!(
        one_in(claim, "a").value().attr("href"),
        Some("../../rubrics/rub/index.html#c1")
    );
    // The fixture's threat model has one threat: min-count passes, stride-coverage fails.
    assert_eq!(text(one_in(claim, ".status")), "◐ partial");
    let reasons: Vec<String> = claim.select(&sel("ul.reasons li")).map(text).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("min-count") && reasons[0].starts_with("passed"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("stride-coverage") && reasons[1].contains("tm: no threat for"),
        "{reasons:?}"
    );

    // Rubric, packet, catalog.
    let rub = page(&site, "rubrics/rub/index.html");
    assert_eq!(
        one(&rub, "tr#c1")
            .select(&sel("code"))
            .map(text)
            .collect::<Vec<_>>(),
        ["min-count: 1", "stride-coverage"]
    );
    let pkt = page(&site, "packets/pkt-a/index.html");
    assert_eq!(text(one(&pkt, "#sec-summary ~ .content em")), "baseline");
    one(&pkt, "table.signoffs .badge-approved-with-conditions");
    assert_eq!(
        one(&pkt, "table.packet-controls th a").value().attr("href"),
        Some("../../controls/cat/c1/index.html")
    );
    let cat = page(&site, "controls/cat/index.html");
    let c1 = one(&cat, "tr#C1");
    assert!(text(c1).contains("Keys in the vault"));
    assert!(text(c1).contains("tm"), "cited by the threat model");
}

#[test]
fn backlog_lists_open_work_by_due_date() {
    let site = fixture();
    let b = page(&site, "backlog/index.html");
    let rows: Vec<ElementRef<'_>> = b.select(&sel("table.backlog tbody tr")).collect();
    let what: Vec<String> = rows
        .iter()
        .map(|r| text(r.select(&sel("td")).nth(2).unwrap()))
        .collect();
    assert_eq!(
        what,
        [
            "Sign the logs",
            "Write the runbook",
            "Hash batches",
            "Cap queries per partner",
            "Ship logs off the host",
        ],
        "by due date, undated last; done work left out"
    );
    let overdue: Vec<bool> = rows
        .iter()
        .map(|r| {
            r.select(&sel(".badge-overdue"))
                .next()
                .is_some_and(|b| text(b) == "overdue")
        })
        .collect();
    assert_eq!(overdue, [true, true, false, false, false]);
    let source = one_in(rows[1], "a[href*='#A1']");
    assert_eq!(
        source.value().attr("href"),
        Some("../evidence/tt-a/index.html#A1")
    );
    assert!(text(rows[0]).contains("45 days overdue"));
    // The navigation links to it.
    let home = page(&site, "index.html");
    one(&home, "nav a[href='backlog/index.html']");
}

#[test]
fn kind_pages_use_no_inline_styles() {
    let site = fixture();
    for rel in [
        "evidence/tm/index.html",
        "evidence/scan-a/index.html",
        "evidence/fair-a/index.html",
        "backlog/index.html",
    ] {
        let html = site.read(&format!("public/{rel}"));
        let doc = Html::parse_document(&html);
        assert!(
            doc.select(&sel("[style]")).next().is_none(),
            "{rel} has a style attribute (the CSP forbids it)"
        );
        for table in doc.select(&sel("table")) {
            let labelled = table.select(&sel("caption")).next().is_some()
                || table.value().attr("aria-label").is_some();
            assert!(labelled, "{rel}: a table without caption or aria-label");
        }
    }
}

fn one_in<'a>(el: ElementRef<'a>, s: &str) -> ElementRef<'a> {
    el.select(&sel(s))
        .next()
        .unwrap_or_else(|| panic!("nothing matches {s} in {}", el.html()))
}
