//! Conformance of the Trivy and Grype importers with the real reports in
//! ../shared/corpus/trivy and ../shared/corpus/grype: each file, alone in a site under
//! evidence/scans/, imports as one scan whose findings are exactly the entries the file
//! holds, counted here straight from its JSON.
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

/// What a report holds, counted from its JSON.
#[derive(Debug, Default)]
struct Expected {
    /// Every finding's rule (advisory, check or secret rule id), in any order.
    rules: Vec<String>,
    /// Entries whose severity is missing or UNKNOWN.
    unknown_severity: usize,
    /// Entries that are not open (suppressed or not affected).
    closed: usize,
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn known(severity: Option<&str>) -> bool {
    matches!(
        severity.map(str::to_ascii_lowercase).as_deref(),
        Some("critical" | "high" | "medium" | "low" | "negligible" | "info")
    )
}

/// Vulnerabilities + failed Misconfigurations + Secrets + Licenses +
/// ExperimentalModifiedFindings, of every result: the report's `Results`, a Kubernetes
/// report's `Resources[].Results` (or summary `Findings[].Results`), or a legacy report's
/// top-level array.
fn trivy_expected(doc: &Value) -> Expected {
    let mut e = Expected::default();
    let mut add = |rule: Option<&str>, severity: Option<&str>, closed: bool| {
        e.rules.push(rule.unwrap_or("?").to_owned());
        e.unknown_severity += usize::from(!known(severity));
        e.closed += usize::from(closed);
    };
    let mut results: Vec<&Value> = list(doc, "Results").iter().collect();
    for key in ["Resources", "Findings"] {
        for res in list(doc, key) {
            results.extend(list(res, "Results"));
        }
    }
    if let Some(legacy) = doc.as_array() {
        results.extend(legacy);
    }
    for r in results {
        for l in list(r, "Licenses") {
            add(str_of(l, "Name"), str_of(l, "Severity"), false);
        }
        for v in list(r, "Vulnerabilities") {
            add(
                str_of(v, "VulnerabilityID"),
                str_of(v, "Severity"),
                str_of(v, "Status") == Some("not_affected"),
            );
        }
        for m in list(r, "Misconfigurations") {
            if str_of(m, "Status") == Some("FAIL") {
                add(str_of(m, "ID"), str_of(m, "Severity"), false);
            }
        }
        for s in list(r, "Secrets") {
            add(str_of(s, "RuleID"), str_of(s, "Severity"), false);
        }
        for m in list(r, "ExperimentalModifiedFindings") {
            let f = &m["Finding"];
            let rule = ["VulnerabilityID", "ID", "RuleID", "Name"]
                .iter()
                .find_map(|k| str_of(f, k));
            add(rule, str_of(f, "Severity"), true);
        }
    }
    e
}

/// matches + ignoredMatches.
fn grype_expected(doc: &Value) -> Expected {
    let mut e = Expected::default();
    for (key, closed) in [("matches", false), ("ignoredMatches", true)] {
        for m in list(doc, key) {
            let v = &m["vulnerability"];
            e.rules.push(str_of(v, "id").unwrap_or("?").to_owned());
            e.unknown_severity += usize::from(!known(str_of(v, "severity")));
            e.closed += usize::from(closed);
        }
    }
    e
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

/// Imports one report in a fresh site and checks it against what the file holds; returns
/// the number of findings.
fn conforms(file: &Path, expected: fn(&Value) -> Expected, tool: &str) -> usize {
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
    assert!(
        view["tool"].as_str().is_some_and(|t| t.starts_with(tool)),
        "{name}: tool {}",
        view["tool"]
    );
    let findings = view["findings"].as_array().expect("findings");
    assert_eq!(
        findings.len(),
        want.rules.len(),
        "{name}: the report holds {} findings",
        want.rules.len()
    );
    let mut got: Vec<String> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("?").to_owned())
        .collect();
    let mut rules = want.rules.clone();
    got.sort();
    rules.sort();
    assert_eq!(got, rules, "{name}: the findings' rules");
    let ids: std::collections::BTreeSet<&str> =
        findings.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids.len(), findings.len(), "{name}: ids are unique");
    let without_severity = findings.iter().filter(|f| f["severity"].is_null()).count();
    assert_eq!(
        without_severity, want.unknown_severity,
        "{name}: a finding lacks a severity the report gave"
    );
    let closed = findings
        .iter()
        .filter(|f| !f["status"].is_null() && f["status"] != "open")
        .count();
    assert_eq!(
        closed, want.closed,
        "{name}: suppressed / not-affected findings"
    );
    for f in findings {
        assert!(
            f["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{name}: finding {} has no title",
            f["id"]
        );
    }
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        !shown.contains("ghp_") && !shown.contains("AWS_ACCESS_KEY_ID="),
        "{name}: secret text leaked into the item"
    );

    let out = evidentia(
        &["check", "--today", "2026-11-27", "--format", "json"],
        site.path(),
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: check printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        !codes.iter().any(|c| c.starts_with("E02")),
        "{name}: import errors {codes:?}\n{report:#}"
    );
    findings.len()
}

#[test]
fn every_trivy_report_in_the_corpus_imports_whole() {
    let Some(dir) = corpus("trivy") else { return };
    for file in common::corpus_files(&dir, &["json"]) {
        let n = conforms(&file, trivy_expected, "trivy");
        eprintln!("{}: {n} findings", file.display());
    }
}

/// The shapes the corpus lacks (SOURCES.md: Kubernetes and legacy reports are "seen in
/// the wild" only), written in Trivy's shape, go through the same conformance check.
#[test]
fn kubernetes_legacy_and_licence_reports_import_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = [
        (
            "k8s_all.json",
            r#"{"ClusterName": "kind-kind", "Resources": [
              {"Namespace": "default", "Kind": "Deployment", "Name": "web", "Results": [
                {"Target": "nginx:1.25 (debian 12.5)", "Class": "os-pkgs", "Type": "debian",
                 "Vulnerabilities": [
                  {"VulnerabilityID": "CVE-2024-2511", "PkgName": "libssl3", "InstalledVersion": "3.0.11-1", "Severity": "LOW"},
                  {"VulnerabilityID": "CVE-2023-5678", "PkgName": "libssl3", "InstalledVersion": "3.0.11-1", "Severity": "UNKNOWN"}]},
                {"Target": "Deployment/web", "Class": "config", "Type": "kubernetes",
                 "Misconfigurations": [
                  {"ID": "KSV001", "Title": "Can elevate its own privileges", "Severity": "MEDIUM", "Status": "FAIL"},
                  {"ID": "KSV003", "Title": "Default capabilities not dropped", "Severity": "LOW", "Status": "PASS"}]}]},
              {"Kind": "ClusterRoleBinding", "Name": "admin", "Results": [
                {"Target": "ClusterRoleBinding/admin", "Class": "config", "Type": "kubernetes",
                 "Misconfigurations": [{"ID": "KSV111", "Title": "cluster-admin bound", "Severity": "CRITICAL", "Status": "FAIL"}]}]},
              {"Namespace": "kube-system", "Kind": "Pod", "Name": "etcd", "Error": "timeout"}]}"#,
        ),
        (
            "k8s_summary.json",
            r#"{"ClusterName": "prod", "Findings": [
              {"Namespace": "shop", "Kind": "StatefulSet", "Name": "db", "Results": [
                {"Target": "postgres:16", "Class": "os-pkgs", "Vulnerabilities": [
                  {"VulnerabilityID": "CVE-2024-0985", "PkgName": "postgresql-16", "InstalledVersion": "16.1", "Severity": "HIGH"}]},
                {"Target": "StatefulSet/db", "Class": "config", "Misconfigurations": [
                  {"ID": "KSV012", "Title": "Runs as root user", "Severity": "MEDIUM", "Status": "FAIL"}]}]}]}"#,
        ),
        (
            "legacy.json",
            r#"[{"Target": "python:3.6 (debian 10.3)", "Type": "debian", "Vulnerabilities": [
                {"VulnerabilityID": "CVE-2011-3374", "PkgName": "apt", "InstalledVersion": "1.8.2", "Severity": "LOW"},
                {"VulnerabilityID": "CVE-2019-18276", "PkgName": "bash", "InstalledVersion": "5.0-4", "Severity": "HIGH"}]},
               {"Target": "app/Pipfile.lock", "Type": "pipenv", "Vulnerabilities": null}]"#,
        ),
        (
            "licences.json",
            r#"{"SchemaVersion": 2, "ArtifactName": "alpine:3.19", "ArtifactType": "container_image", "Results": [
              {"Target": "OS Packages", "Class": "license", "Licenses": [
                {"Severity": "HIGH", "Category": "restricted", "PkgName": "musl", "FilePath": "", "Name": "GPL-2.0", "Confidence": 1, "Link": ""},
                {"Severity": "LOW", "Category": "notice", "PkgName": "zlib", "FilePath": "", "Name": "Zlib", "Confidence": 1, "Link": ""}]},
              {"Target": "Loose File License(s)", "Class": "license-file", "Licenses": [
                {"Severity": "UNKNOWN", "Category": "unknown", "FilePath": "/opt/x/LICENSE", "Name": "AGPL-3.0", "Confidence": 0.9, "Link": ""}]}]}"#,
        ),
    ];
    let want = [4, 2, 2, 3];
    for ((name, text), n) in reports.iter().zip(want) {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write fixture");
        assert_eq!(conforms(&path, trivy_expected, "trivy"), n, "{name}");
    }
}

#[test]
fn every_grype_report_in_the_corpus_imports_whole() {
    let Some(dir) = corpus("grype") else { return };
    for file in common::corpus_files(&dir, &["json"]) {
        let n = conforms(&file, grype_expected, "grype");
        eprintln!("{}: {n} findings", file.display());
    }
}

/// `SCAN#CVE` in an exception covers every finding of that advisory, the repeats included
/// (their ids get suffixes, their rule stays the CVE).
#[test]
fn an_exception_on_the_advisory_covers_every_package_it_hit() {
    let trivy = r#"{"SchemaVersion": 2, "ArtifactName": "img", "Results": [{"Target": "img (alpine)",
        "Vulnerabilities": [
          {"VulnerabilityID": "CVE-2024-0001", "PkgName": "a", "InstalledVersion": "1", "Severity": "HIGH"},
          {"VulnerabilityID": "CVE-2024-0001", "PkgName": "b", "InstalledVersion": "1", "Severity": "CRITICAL"}]}]}"#;
    let grype = r#"{"matches": [
          {"vulnerability": {"id": "CVE-2024-0002", "severity": "High"}, "artifact": {"name": "a", "version": "1"}},
          {"vulnerability": {"id": "CVE-2024-0002", "severity": "Critical"}, "artifact": {"name": "b", "version": "1"}}],
        "source": {"type": "directory", "target": "."}, "descriptor": {"name": "grype", "version": "0.80.0"}}"#;
    let site = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = site.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("site.toml", "title = \"T\"\n");
    write("evidence/scans/trivy.json", trivy);
    write("evidence/scans/grype.json", grype);
    let codes = |site: &Path| -> Vec<String> {
        let out = evidentia(
            &["check", "--today", "2026-11-27", "--format", "json"],
            site,
        );
        let report: Value = serde_json::from_slice(&out.stdout).expect("check JSON");
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| format!("{} {}", d["code"].as_str().unwrap_or("?"), d["message"]))
            .collect()
    };
    let before = codes(site.path());
    assert_eq!(
        before.iter().filter(|c| c.starts_with("E0405")).count(),
        4,
        "{before:#?}"
    );
    write(
        "evidence/exceptions.yaml",
        "kind: exception\nid: ex\ntitle: E\nreason: r\n\
         covers: [scans-trivy#CVE-2024-0001, scans-grype#CVE-2024-0002]\n\
         approved_on: 2026-01-01\nexpires: 2027-06-30\n",
    );
    let after = codes(site.path());
    assert!(after.is_empty(), "{after:#?}");
}
