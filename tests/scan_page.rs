//! The scan page: each rule's help shown once (from SARIF, Trivy, Grype, Semgrep, Bandit
//! and native scans), finding locations linked to the files the site publishes (and
//! never anywhere else), and the page bounded for huge scans and SBOMs. The corpus check
//! compares the rules of every SARIF log in ../shared/corpus/sarif with the model.

mod common;

use common::{Fixture, item};
use scraper::{Html, Selector};
use serde_json::Value;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn build(site: &Fixture) {
    let out = site.run(&["build", "--today", "2027-01-15"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
}

fn page(site: &Fixture, rel: &str) -> Html {
    Html::parse_document(&site.read(&format!("public/{rel}")))
}

fn show(site: &Fixture, id: &str) -> Value {
    let out = site.run(&["show", id]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("show prints JSON")
}

/// The rule ids of an item's model, with their help links.
fn rules(item: &Value) -> Vec<(String, Option<String>)> {
    item["rules"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|r| {
                    (
                        r["id"].as_str().unwrap_or_default().to_owned(),
                        r["help_uri"].as_str().map(str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

const SARIF: &str = r##"{"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "CodeQL", "rules": [
    {"id": "py/sql-injection", "name": "SqlInjection",
     "shortDescription": {"text": "SQL query built from user-controlled sources"},
     "help": {"text": "Use parameters.", "markdown": "# SQL injection\n\nUse **parameterised** queries.\n\n<script>alert(1)</script>"},
     "helpUri": "https://codeql.github.com/py-sql-injection",
     "properties": {"tags": ["security", "external/cwe/cwe-089"], "security-severity": "8.8"}},
    {"id": "py/unused", "shortDescription": {"text": "Unused import"}}
  ]}},
  "results": [
    {"ruleId": "py/sql-injection", "message": {"text": "Query from input"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "deploy.yaml"}, "region": {"startLine": 3}}}]},
    {"ruleId": "py/sql-injection", "message": {"text": "Another query"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///src/app.py"}, "region": {"startLine": 9}}}]},
    {"ruleId": "py/sql-injection", "message": {"text": "Escapes the site"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "../../etc/passwd"}, "region": {"startLine": 1}}}]},
    {"ruleId": "py/sql-injection", "message": {"text": "A web address"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "https://evil.example/x.py"}, "region": {"startLine": 1}}}]},
    {"ruleId": "py/sql-injection", "message": {"text": "A copied asset"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "content/code/app.py"}, "region": {"startLine": 5}}}]}
  ]}]}"##;

fn sarif_site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "site.toml",
        "title = \"T\"\n\n[policy]\nfail_on_severity = \"critical\"\n",
    )
    .file("evidence/scans/codeql.sarif", SARIF)
    .file(
        "evidence/scans/deploy.yaml",
        &format!("{}tool: kubesec\nfindings: []\n", item("scan", "deploy")),
    )
    .file("content/code/app.py", "print('hi')\n")
    .file("content/index.md", "---\ntitle: Home\n---\nHi\n");
    build(&site);
    site
}

#[test]
fn sarif_rules_are_in_the_model_and_their_help_is_shown_once() {
    let site = sarif_site();
    let id = common::report_id("scans", "codeql.sarif");
    let model = show(&site, &id);
    let r = &model["rules"][0];
    assert_eq!(r["id"], "py/sql-injection");
    assert_eq!(r["name"], "SqlInjection");
    assert_eq!(
        r["description"],
        "SQL query built from user-controlled sources"
    );
    assert_eq!(r["help_uri"], "https://codeql.github.com/py-sql-injection");
    assert_eq!(r["severity"], "high");
    assert_eq!(r["tags"][1], "external/cwe/cwe-089");
    assert!(r["help"].as_str().unwrap().contains("**parameterised**"));

    let doc = page(&site, &format!("evidence/{id}/index.html"));
    let details: Vec<_> = doc.select(&sel("details.rule")).collect();
    // Only the rule the findings name is shown, once for five findings.
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].value().attr("id"), Some("rule-py-sql-injection"));
    let help = details[0].inner_html();
    assert!(help.contains("<strong>parameterised</strong>"), "{help}");
    assert!(!help.to_ascii_lowercase().contains("<script"), "{help}");
    let to_rule = doc
        .select(&sel("table.findings a[href='#rule-py-sql-injection']"))
        .count();
    assert_eq!(to_rule, 5);
}

#[test]
fn locations_link_only_to_files_the_site_publishes() {
    let site = sarif_site();
    let id = common::report_id("scans", "codeql.sarif");
    let doc = page(&site, &format!("evidence/{id}/index.html"));
    let cell = |title: &str| {
        doc.select(&sel("table.findings tr"))
            .find(|tr| tr.text().any(|t| t.contains(title)))
            .unwrap_or_else(|| panic!("no row for {title}"))
            .select(&sel("td:nth-child(3)"))
            .next()
            .expect("a location cell")
    };
    let href = |title: &str| {
        cell(title)
            .select(&sel("a"))
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_owned))
    };
    // Beside the report: the item's page, at the line.
    assert_eq!(
        href("Query from input").as_deref(),
        Some("../../evidence/deploy/index.html#L3")
    );
    // A copied content file: linked without a line anchor.
    assert_eq!(href("A copied asset").as_deref(), Some("../../code/app.py"));
    // Not held, climbing out of the site, or a web address: plain text.
    for title in ["Another query", "Escapes the site", "A web address"] {
        assert_eq!(href(title), None, "{title}");
        assert!(cell(title).select(&sel("code")).next().is_some(), "{title}");
    }
    // The target line exists on the item's page.
    let target = page(&site, "evidence/deploy/index.html");
    assert_eq!(target.select(&sel("pre.source span#L3")).count(), 1);
}

#[test]
fn trivy_grype_semgrep_bandit_and_native_scans_describe_their_rules() {
    let site = Fixture::new();
    site.file("site.toml", "title = \"T\"\n\n[policy]\nfail_on_severity = \"critical\"\n")
        .file(
            "evidence/trivy.json",
            r#"{"SchemaVersion": 2, "ArtifactName": "app", "Results": [{"Target": "Dockerfile",
              "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-1", "PkgName": "zlib", "InstalledVersion": "1.0",
                "Severity": "HIGH", "Title": "zlib overflow", "Description": "A crafted header overflows.",
                "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2024-1", "CweIDs": ["CWE-787"]}],
              "Misconfigurations": [{"ID": "DS002", "Title": "Root user", "Status": "FAIL", "Severity": "HIGH",
                "Description": "Running as root.", "Resolution": "Add USER.", "PrimaryURL": "https://avd.aquasec.com/misconfig/ds002"}]}]}"#,
        )
        .file(
            "evidence/grype.json",
            r#"{"matches": [{"vulnerability": {"id": "GHSA-1", "dataSource": "https://github.com/advisories/GHSA-1",
                "severity": "Medium", "description": "Bad parsing."}, "artifact": {"name": "uri", "version": "1"}}],
              "source": {"type": "image"}, "descriptor": {"name": "grype"}}"#,
        )
        .file(
            "evidence/semgrep.json",
            r#"{"version": "1.0", "errors": [], "paths": {"scanned": []}, "results": [{"check_id": "python.eval",
              "path": "a.py", "start": {"line": 2}, "extra": {"message": "eval", "severity": "ERROR",
              "metadata": {"cwe": ["CWE-95: Eval injection"], "owasp": "A03:2021", "source": "https://semgrep.dev/r/python.eval"}}}]}"#,
        )
        .file(
            "evidence/bandit.json",
            r#"{"generated_at": "2024-01-01T00:00:00Z", "metrics": {}, "errors": [], "results": [{"test_id": "B105",
              "test_name": "hardcoded_password_string", "issue_severity": "LOW", "issue_text": "Password",
              "more_info": "https://bandit.readthedocs.io/b105.html", "issue_cwe": {"id": 259, "link": "https://cwe.mitre.org/259"}}]}"#,
        )
        .file(
            "evidence/native.yaml",
            &format!(
                "{}tool: manual\nrules:\n  - id: R1\n    description: Secrets in code\n    help: Move them to the **vault**.\n    help_uri: https://example.org/r1\n    severity: high\n    tags: [CWE-798]\nfindings:\n  - {{id: F1, rule: R1, severity: low, title: Key in config}}\n",
                item("scan", "native")
            ),
        );
    build(&site);
    let trivy = show(&site, "trivy");
    assert_eq!(
        rules(&trivy),
        [
            (
                "CVE-2024-1".to_owned(),
                Some("https://avd.aquasec.com/nvd/cve-2024-1".to_owned())
            ),
            (
                "DS002".to_owned(),
                Some("https://avd.aquasec.com/misconfig/ds002".to_owned())
            ),
        ]
    );
    assert_eq!(
        trivy["rules"][0]["help_text"],
        "A crafted header overflows."
    );
    assert_eq!(trivy["rules"][0]["tags"][0], "CWE-787");
    assert_eq!(
        trivy["rules"][1]["help_text"],
        "Running as root.\n\nResolution: Add USER."
    );
    let grype = show(&site, "grype");
    assert_eq!(
        rules(&grype),
        [(
            "GHSA-1".to_owned(),
            Some("https://github.com/advisories/GHSA-1".to_owned())
        )]
    );
    assert_eq!(grype["rules"][0]["help_text"], "Bad parsing.");
    let semgrep = show(&site, "semgrep");
    assert_eq!(
        rules(&semgrep),
        [(
            "python.eval".to_owned(),
            Some("https://semgrep.dev/r/python.eval".to_owned())
        )]
    );
    assert_eq!(
        semgrep["rules"][0]["tags"],
        serde_json::json!(["CWE-95: Eval injection", "A03:2021"])
    );
    let bandit = show(&site, "bandit");
    assert_eq!(
        rules(&bandit),
        [(
            "B105".to_owned(),
            Some("https://bandit.readthedocs.io/b105.html".to_owned())
        )]
    );
    assert_eq!(bandit["rules"][0]["name"], "hardcoded_password_string");
    assert_eq!(bandit["rules"][0]["tags"][0], "CWE-259");
    let native = page(&site, "evidence/native/index.html");
    let help = native
        .select(&sel("details#rule-r1 .rule-help"))
        .next()
        .expect("the native rule's help")
        .inner_html();
    assert!(help.contains("<strong>vault</strong>"), "{help}");
}

#[test]
fn a_huge_scan_lists_the_most_severe_findings_up_to_the_cap() {
    let site = Fixture::new();
    let mut yaml = item("scan", "big") + "tool: t\nfindings:\n";
    for i in 0..1005 {
        let severity = if i == 1004 { "high" } else { "low" };
        yaml += &format!("  - {{id: F{i}, severity: {severity}}}\n");
    }
    site.file("evidence/big.yaml", &yaml).file(
        "evidence/exc.yaml",
        "kind: exception\nid: exc\ntitle: E\nreason: r\napproved_by: [A]\napproved_on: 2026-12-01\nexpires: 2099-01-01\ncovers: [big#F1004]\n",
    );
    build(&site);
    let doc = page(&site, "evidence/big/index.html");
    assert_eq!(doc.select(&sel("table.findings tbody tr")).count(), 1000);
    // The one high finding comes first, though it is last in the file.
    assert!(doc.select(&sel("tr#F1004")).next().is_some());
    let note: String = doc.select(&sel("p.note")).flat_map(|p| p.text()).collect();
    assert!(note.contains("first 1000 of 1005 findings"), "{note}");
    assert!(note.contains("5 more"), "{note}");
    // The summary still counts every finding, and the JSON keeps them all.
    let totals: String = doc
        .select(&sel("table.scan-summary tfoot"))
        .flat_map(|t| t.text())
        .collect();
    assert!(totals.contains("1005"), "{totals}");
    assert_eq!(
        show(&site, "big")["findings"].as_array().map(Vec::len),
        Some(1005)
    );
}

/// Every rule of every SARIF log in the corpus that has a help text or link is in the
/// model (counted from the file's own JSON, by id, the first definition of an id).
#[test]
fn corpus_sarif_rules_with_help_are_in_the_model() {
    let Some(dir) = common::corpus("sarif") else {
        return;
    };
    let mut checked = 0;
    for path in common::corpus_files(&dir, &["sarif"]) {
        let text = std::fs::read_to_string(&path).expect("read the corpus file");
        let doc: Value = serde_json::from_str(&text).expect("corpus SARIF is JSON");
        let mut expected: Vec<(String, Option<String>)> = Vec::new();
        for run in doc["runs"].as_array().into_iter().flatten() {
            let tool = &run["tool"];
            let components = std::iter::once(&tool["driver"])
                .chain(tool["extensions"].as_array().into_iter().flatten());
            for c in components {
                for r in c["rules"].as_array().into_iter().flatten() {
                    let Some(id) = r["id"].as_str().map(str::trim).filter(|s| !s.is_empty()) else {
                        continue;
                    };
                    let has_help = r["help"].is_object() || r["helpUri"].is_string();
                    if has_help && !expected.iter().any(|(x, _)| x == id) {
                        expected.push((
                            id.to_owned(),
                            r["helpUri"].as_str().map(|u| u.trim().to_owned()),
                        ));
                    }
                }
            }
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a file name");
        let site = Fixture::new();
        site.file(&format!("evidence/scans/{name}"), &text);
        let model = show(&site, &common::report_id("scans", name));
        let got = rules(&model);
        for (id, uri) in &expected {
            let found = got.iter().find(|(x, _)| x == id);
            assert!(found.is_some(), "{name}: rule {id} is not in the model");
            assert_eq!(&found.expect("found").1, uri, "{name}: rule {id}'s helpUri");
            checked += 1;
        }
    }
    assert!(checked > 0, "the corpus has SARIF rules with help");
}

/// An SBOM page shares the scan page's cap: the most severe vulnerabilities first, the
/// rest counted, the affected component still linked, every finding kept in the data.
#[test]
fn a_huge_sbom_lists_the_most_severe_vulnerabilities_up_to_the_cap() {
    let site = Fixture::new();
    let mut yaml = item("sbom", "bom")
        + "tool: t\nformat: CycloneDX\ncomponents:\n  - {id: pkg-a, name: a, version: '1.0'}\nfindings:\n";
    for i in 0..1003 {
        let severity = if i == 1002 { "critical" } else { "low" };
        yaml += &format!("  - {{id: V{i}, severity: {severity}, affects: [pkg-a]}}\n");
    }
    site.file("evidence/bom.yaml", &yaml).file(
        "evidence/exc.yaml",
        "kind: exception\nid: exc\ntitle: E\nreason: r\napproved_by: [A]\napproved_on: 2026-12-01\nexpires: 2099-01-01\ncovers: [bom#V1002]\n",
    );
    build(&site);
    let doc = page(&site, "evidence/bom/index.html");
    assert_eq!(doc.select(&sel("table.findings tbody tr")).count(), 1000);
    let first = doc
        .select(&sel("table.findings tbody tr"))
        .next()
        .expect("a row");
    assert_eq!(first.value().id(), Some("V1002"));
    let affects: Vec<&str> = first
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(affects.contains(&"#pkg-a"), "{affects:?}");
    let note: String = doc.select(&sel("p.note")).flat_map(|p| p.text()).collect();
    assert!(
        note.contains("first 1000 of 1003 vulnerabilities"),
        "{note}"
    );
    let heading: String = doc
        .select(&sel("h3#severity-low"))
        .flat_map(|h| h.text())
        .collect();
    assert!(heading.contains("1002 low"), "{heading}");
    let data = show(&site, "bom");
    let findings = data["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1003);
    assert_eq!(findings[1002]["id"], "V1002");
    assert_eq!(findings[1002]["affects"][0], "pkg-a");
}
