//! The SVG charts: bad input degrades (no data, one group, values that are not numbers,
//! negatives, 5,000 findings, 200 learners), user text is escaped inside the SVG, and
//! the same input gives the same bytes (also across a build's thread counts).

mod common;

use common::{Fixture, item};
use evidentia::render::charts::fairness::{
    DisparityBar, MetricBars, disparities_chart, feature_chart,
};
use evidentia::render::charts::trend::TrendPoint;
use evidentia::render::charts::{Chart, coverage, findings, importance, risk, trend};
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-27";

fn svg(c: &Chart) -> &str {
    c.svg.as_deref().expect("the chart has an SVG")
}

/// The text of every SVG `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = Html::parse_fragment(svg);
    let sel = Selector::parse("text").expect("selector");
    doc.select(&sel)
        .map(|t| t.text().collect::<String>().trim().to_owned())
        .collect()
}

fn bars(metric: &str, groups: &[(&str, f64)]) -> MetricBars {
    MetricBars {
        metric: metric.to_owned(),
        groups: groups.iter().map(|(g, v)| ((*g).to_owned(), *v)).collect(),
    }
}

fn dpr(value: f64) -> DisparityBar {
    DisparityBar {
        metric: "demographic_parity_ratio".to_owned(),
        value,
        threshold: 0.8,
        at_least: true,
        within: value >= 0.8,
    }
}

const STATUSES: [&str; 5] = [
    "open",
    "open, excepted",
    "suppressed",
    "fixed",
    "not affected",
];
const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

#[test]
fn every_chart_without_data_has_no_svg() {
    assert_eq!(feature_chart("sex", &[], &[]).svg, None);
    assert_eq!(feature_chart("sex", &[bars("auc", &[])], &[]).svg, None);
    assert_eq!(disparities_chart(&[]).svg, None);
    assert_eq!(importance::chart(None, &[]).svg, None);
    let zeros = vec![vec![0; 5]; 5];
    let empty = findings::chart(&SEVERITIES, &STATUSES, &zeros);
    assert_eq!(empty.svg, None);
    assert!(
        !empty.notes.is_empty(),
        "the page says why there is no chart"
    );
    let levels = vec![vec!["low"; 4]; 4];
    let r = ["low", "medium", "high", "critical"];
    assert_eq!(
        risk::heatmap(&r, &r, &vec![vec![0; 4]; 4], &levels).svg,
        None
    );
    assert_eq!(coverage::heatmap(&[], &["c1".to_owned()], &[]).svg, None);
    let one = TrendPoint {
        date: "2026-11-01".parse().expect("date"),
        scan: "scan-a".to_owned(),
        open: [1, 0, 0, 0, 0],
    };
    assert_eq!(trend::chart("img", &[one]).svg, None);
}

#[test]
fn a_page_without_data_says_so_instead_of_drawing() {
    let site = Fixture::new();
    site.file(
        "evidence/scan.yaml",
        &format!("{}tool: trivy\nfindings: []\n", item("scan", "scan-empty")),
    );
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = site.read("public/evidence/scan-empty/index.html");
    assert!(page.contains("No data to chart."), "{page}");
    assert!(!page.contains("<svg"), "no empty chart frame");
}

#[test]
fn a_single_group_is_a_single_bar_and_no_disparity() {
    let c = feature_chart(
        "sex",
        &[bars("selection_rate", &[("female", 0.61)])],
        &[dpr(0.9)],
    );
    let s = svg(&c);
    let t = texts(s);
    assert!(t.contains(&"female".to_owned()));
    assert!(t.contains(&"0.61".to_owned()));
    // One bar: the bar fill appears once; no disparity panel, no threshold.
    assert_eq!(s.matches("fill=\"#4A6FA5\"").count(), 1, "{s}");
    assert!(!s.contains("threshold"), "{s}");
    assert!(
        c.notes.iter().any(|n| n.contains("one group")),
        "{:?}",
        c.notes
    );
}

#[test]
fn two_groups_show_the_disparity_against_a_dashed_threshold() {
    let c = feature_chart(
        "sex",
        &[bars("selection_rate", &[("female", 0.61), ("male", 0.65)])],
        &[dpr(0.7)],
    );
    let s = svg(&c);
    let t = texts(s);
    assert!(
        t.iter().any(|x| x == "threshold at least 0.8: past"),
        "{t:?}"
    );
    // The threshold is dashed: drawn as several short thick segments, not one line.
    let dashes = s
        .lines()
        .filter(|l| l.starts_with("<polyline") && l.contains("stroke-width=\"2\""))
        .count();
    assert!(dashes >= 4, "{s}");
}

#[test]
fn values_that_are_not_numbers_are_left_out_and_named() {
    let c = feature_chart(
        "sex",
        &[bars(
            "auc",
            &[
                ("female", f64::NAN),
                ("male", 0.78),
                ("other", f64::INFINITY),
            ],
        )],
        &[],
    );
    let s = svg(&c);
    let t = texts(s);
    assert!(t.contains(&"male".to_owned()));
    assert!(
        !t.contains(&"female".to_owned()),
        "the NaN group is not drawn"
    );
    assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
    assert_eq!(
        c.notes,
        vec![
            "auc of female is not a number: left out of the chart.".to_owned(),
            "auc of other is infinity: left out of the chart.".to_owned(),
        ]
    );
    let i = importance::chart(None, &[("age".to_owned(), f64::NAN)]);
    assert_eq!(i.svg, None, "nothing finite left to draw");
    assert!(i.notes[0].contains("not a number"));
    let d = disparities_chart(&[dpr(f64::NAN)]);
    assert_eq!(d.svg, None);
    assert!(d.notes[0].contains("not a number"));
}

#[test]
fn negative_values_put_zero_inside_the_axis() {
    let c = importance::chart(
        Some("SHAP"),
        &[("income".to_owned(), 0.4), ("debt".to_owned(), -0.3)],
    );
    let t = texts(svg(&c));
    // The axis runs from the negative end through 0 to the positive end.
    for label in ["-0.3", "0", "0.4"] {
        assert!(t.contains(&label.to_owned()), "{label} in {t:?}");
    }
    let all_negative = importance::chart(None, &[("debt".to_owned(), -2.0)]);
    let t = texts(svg(&all_negative));
    assert!(
        t.contains(&"-2".to_owned()) && t.contains(&"0".to_owned()),
        "{t:?}"
    );
}

#[test]
fn five_thousand_findings_are_counted_not_drawn_one_by_one() {
    let counts = vec![
        vec![1000, 200, 0, 0, 0],
        vec![900, 0, 100, 500, 0],
        vec![1000, 0, 0, 0, 300],
        vec![500, 0, 0, 0, 0],
        vec![500, 0, 0, 0, 0],
    ];
    let c = findings::chart(&SEVERITIES, &STATUSES, &counts);
    let s = svg(&c);
    assert!(s.len() < 50_000, "{} bytes", s.len());
    assert!(s.contains("5000 findings"));
    assert!(texts(s).contains(&"1200".to_owned()), "the critical total");
}

#[test]
fn a_scan_of_five_thousand_findings_builds_with_a_small_chart() {
    let site = Fixture::new();
    let mut yaml = format!("{}tool: trivy\nfindings:\n", item("scan", "scan-big"));
    for i in 0..5000 {
        let sev = ["medium", "low", "info"][i % 3];
        yaml.push_str(&format!(
            "  - {{id: F{i}, severity: {sev}, title: Finding {i}}}\n"
        ));
    }
    site.file("evidence/scan.yaml", &yaml);
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = site.read("public/evidence/scan-big/index.html");
    let start = page.find("<svg").expect("a chart");
    let end = page[start..].find("</svg>").expect("closed") + start;
    assert!(end - start < 50_000, "{} bytes", end - start);
    assert!(page[start..end].contains("5000 findings"));
}

#[test]
fn two_hundred_learners_cap_the_heatmap_and_keep_everyone_in_the_table() {
    let learners: Vec<String> = (0..200).map(|i| format!("Learner {i:03}")).collect();
    let criteria: Vec<String> = (0..8).map(|i| format!("c{i}")).collect();
    let statuses: Vec<Vec<&str>> = (0..200)
        .map(|i| {
            (0..8)
                .map(|j| ["met", "partial", "unmet", "unclaimed"][(i + j) % 4])
                .collect()
        })
        .collect();
    let c = coverage::heatmap(&learners, &criteria, &statuses);
    let s = svg(&c);
    assert!(s.len() < 100_000, "{} bytes", s.len());
    let t = texts(s);
    assert!(t.contains(&"Learner 000".to_owned()));
    assert!(
        !t.contains(&"Learner 199".to_owned()),
        "rows past the cap are left out"
    );
    assert!(c.notes[0].contains("of 200 learners"), "{:?}", c.notes);

    // Through a build: the page's table still lists all 200.
    let site = Fixture::new();
    site.file(
        "evidence/rubric.yaml",
        &format!(
            "{}competency: Testing\nlevels: [a]\ncriteria:\n  - {{id: x, level: a}}\n",
            item("rubric", "rub")
        ),
    );
    for i in 0..200 {
        site.file(
            &format!("evidence/pf-{i}.yaml"),
            &format!(
                "kind: portfolio\nid: pf-{i}\ntitle: P{i}\nlearner: {{name: Learner {i:03}, handle: l{i}}}\nclaims:\n  - {{criterion: rub#x}}\n"
            ),
        );
    }
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = Html::parse_document(&site.read("public/coverage/index.html"));
    let rows = Selector::parse("table.matrix tbody tr").expect("selector");
    assert_eq!(page.select(&rows).count(), 200);
    let svgs = Selector::parse("figure.chart svg").expect("selector");
    let chart = page.select(&svgs).next().expect("a heatmap").html();
    assert!(chart.len() < 100_000, "{} bytes", chart.len());
}

#[test]
fn user_text_is_escaped_inside_the_svg() {
    let hostile = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
    ];
    let c = feature_chart(
        hostile[0],
        &[bars(hostile[1], &[(hostile[0], 0.5), (hostile[1], 0.7)])],
        &[],
    );
    let s = svg(&c);
    assert!(!s.contains("<script") && !s.contains("<img"), "{s}");
    assert!(s.contains("&lt;script&gt;"), "{s}");
    let t = texts(s);
    assert!(
        t.iter()
            .any(|x| x.starts_with("\"&gt;<img") || x.starts_with("\"><img")),
        "{t:?}"
    );
    let h = coverage::heatmap(
        &[hostile[1].to_owned()],
        &[hostile[0].to_owned()],
        &[vec!["met"]],
    );
    let s = svg(&h);
    assert!(!s.contains("<script") && !s.contains("<img"), "{s}");
    let tr = trend::chart(
        hostile[1],
        &[
            TrendPoint {
                date: "2026-10-01".parse().expect("date"),
                scan: "a".to_owned(),
                open: [0, 1, 0, 0, 0],
            },
            TrendPoint {
                date: "2026-11-01".parse().expect("date"),
                scan: "b".to_owned(),
                open: [0, 2, 0, 0, 0],
            },
        ],
    );
    let s = svg(&tr);
    assert!(
        !s.contains("<img") && s.contains("&quot;&gt;&lt;img"),
        "{s}"
    );
}

/// A fairness item with hostile group names, a threat model and two scans of one target.
fn chart_site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/fair.yaml",
        &format!(
            "{}metrics:\n  - feature: sex\n    groups:\n      \"<script>alert(1)</script>\": {{selection_rate: 0.5}}\n      \"\\\"><img src=x onerror=alert(1)>\": {{selection_rate: 0.7}}\ndisparities:\n  - {{metric: dpr, feature: sex, value: 0.71, threshold: 0.8, direction: at-least}}\nexplainability:\n  global_importance: {{income: 0.4, debt: -0.2}}\nreview: {{reviewer: Rita, reviewed_on: 2026-11-01, cadence_days: 90, decision: approved}}\n",
            item("fairness", "fair")
        ),
    )
    .file(
        "evidence/tm.yaml",
        &format!(
            "{}threats:\n  - {{id: T1, title: One, category: spoofing, likelihood: high, impact: medium, status: mitigated}}\n",
            item("threat-model", "tm")
        ),
    );
    for (id, date, n) in [("scan-a", "2026-10-01", 3), ("scan-b", "2026-11-01", 1)] {
        let mut yaml = format!(
            "{}tool: trivy\ntarget: img:1\nscanned: {date}\nfindings:\n",
            item("scan", id)
        );
        for i in 0..n {
            yaml.push_str(&format!("  - {{id: F{i}, severity: medium}}\n"));
        }
        site.file(&format!("evidence/{id}.yaml"), &yaml);
    }
    site
}

#[test]
fn pages_show_each_chart_beside_its_table_and_escape_user_text() {
    let site = chart_site();
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fair = site.read("public/evidence/fair/index.html");
    assert!(
        !fair.contains("<script>alert") && !fair.contains("<img src=x"),
        "escaped"
    );
    let doc = Html::parse_document(&fair);
    let svgs = Selector::parse("figure.chart svg[role=img][aria-label]").expect("selector");
    assert_eq!(
        doc.select(&svgs).count(),
        2,
        "metrics by group and importance"
    );
    let title = Selector::parse("figure.chart svg > title").expect("selector");
    assert_eq!(doc.select(&title).count(), 2, "each chart has a <title>");
    let tm = site.read("public/evidence/tm/index.html");
    assert!(tm.contains("Heatmap of 1 threats"), "risk heatmap");
    let scan = Html::parse_document(&site.read("public/evidence/scan-b/index.html"));
    let trend_rows = Selector::parse("table.trend tbody tr").expect("selector");
    assert_eq!(
        scan.select(&trend_rows).count(),
        2,
        "the trend table lists both scans"
    );
    assert!(
        scan.html()
            .contains("Line chart of open findings by severity across 2 scans of img:1")
    );
    // No inline style or script anywhere the charts go (the CSP forbids them).
    for page in [&fair, &tm, &scan.html()] {
        assert!(!page.contains(" style=\""), "no inline style");
        assert!(!page.contains("<style"), "no style element");
    }
}

#[test]
fn charts_are_byte_identical_across_runs_and_thread_counts() {
    let a = feature_chart(
        "sex",
        &[bars("auc", &[("female", 0.781), ("male", 0.776)])],
        &[dpr(0.944)],
    );
    let b = feature_chart(
        "sex",
        &[bars("auc", &[("female", 0.781), ("male", 0.776)])],
        &[dpr(0.944)],
    );
    assert_eq!(a, b);

    let site = chart_site();
    let mut pages = Vec::new();
    for threads in ["1", "2", "1"] {
        let mut cmd = assert_cmd::Command::cargo_bin("evidentia").expect("binary");
        let out = cmd
            .args(["build", "--today", TODAY])
            .arg(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("run");
        assert!(out.status.success());
        pages.push(
            [
                "public/evidence/fair/index.html",
                "public/evidence/tm/index.html",
                "public/evidence/scan-a/index.html",
                "public/coverage/index.html",
            ]
            .map(|p| site.read(p)),
        );
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[1], pages[2]);
}

#[test]
fn an_sbom_page_shows_its_vulnerabilities_chart() {
    let site = Fixture::new();
    site.file(
        "evidence/bom.json",
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"component": {"bom-ref": "acme", "type": "application", "name": "Acme", "version": "2.2.0"}},
  "components": [{"bom-ref": "lib", "type": "library", "name": "lib", "version": "1.0"}],
  "vulnerabilities": [
    {"id": "CVE-1", "ratings": [{"severity": "low"}], "affects": [{"ref": "lib"}]},
    {"id": "CVE-2", "ratings": [{"severity": "medium"}], "analysis": {"state": "resolved"}, "affects": [{"ref": "lib"}]}
  ]}"#,
    );
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = site.read("public/evidence/bom/index.html");
    assert!(
        page.contains("aria-label=\"Stacked bar chart of 2 findings by severity and status\""),
        "{page}"
    );
}
