//! The Trivy importer against small reports of each shape.

use super::import;
use super::types::Doc;
use crate::import::Report;
use crate::import::detect::{Format, detect};
use crate::import::parse_borrowed as parse;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{Finding, FindingStatus};
use std::borrow::Cow;

const REPORT: &str = r#"{
  "SchemaVersion": 2,
  "CreatedAt": "2024-09-09T13:21:09.230231+06:00",
  "ArtifactName": "alpine:3.10",
  "ArtifactType": "container_image",
  "Results": [
    {"Target": "alpine:3.10 (alpine 3.10.2)", "Class": "os-pkgs", "Type": "alpine",
     "Vulnerabilities": [
      {"VulnerabilityID": "CVE-2019-1549", "PkgName": "libcrypto1.1", "InstalledVersion": "1.1.1c-r0",
       "FixedVersion": "1.1.1d-r0", "Status": "fixed", "Severity": "MEDIUM",
       "Title": "openssl: information disclosure in fork()",
       "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2019-1549",
       "References": ["https://avd.aquasec.com/nvd/cve-2019-1549", "https://example.com/a?x=1\u0026y=2"]},
      {"VulnerabilityID": "CVE-2019-1549", "PkgName": "libssl1.1", "InstalledVersion": "1.1.1c-r0",
       "Severity": "UNKNOWN", "Status": "not_affected"}
     ]},
    {"Target": "Dockerfile", "Class": "config", "Type": "dockerfile",
     "MisconfSummary": {"Successes": 1, "Failures": 1},
     "Misconfigurations": [
      {"ID": "DS002", "AVDID": "AVD-DS-0002", "Title": "Image user should not be 'root'", "Severity": "HIGH",
       "Status": "FAIL", "PrimaryURL": "https://avd.aquasec.com/misconfig/ds002",
       "CauseMetadata": {"Provider": "Dockerfile", "StartLine": 3, "Code": {"Lines": []}}},
      {"ID": "DS001", "Title": "':latest' tag used", "Severity": "MEDIUM", "Status": "PASS"}
     ]},
    {"Target": "deploy.sh", "Class": "secret",
     "Secrets": [
      {"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL", "Title": "AWS Access Key ID",
       "StartLine": 3, "EndLine": 3, "Match": "export AWS_ACCESS_KEY_ID=AKIAREALSECRET",
       "Code": {"Lines": [{"Number": 3, "Content": "export AWS_ACCESS_KEY_ID=AKIAREALSECRET"}]}}
     ]},
    {"Target": "package-lock.json", "Class": "lang-pkgs",
     "ExperimentalModifiedFindings": [
      {"Type": "vulnerability", "Status": "not_affected", "Statement": "vulnerable_code_not_in_execute_path",
       "Source": "./vex.json",
       "Finding": {"VulnerabilityID": "CVE-2017-16137", "PkgName": "debug", "InstalledVersion": "3.0.1",
                   "Status": "fixed", "Severity": "LOW"}},
      {"Type": "misconfiguration", "Status": "ignored", "Source": ".trivyignore.yaml",
       "Finding": {"ID": "DS026", "Title": "No HEALTHCHECK", "Severity": "LOW", "Status": "FAIL",
                   "CauseMetadata": {"StartLine": 1}}},
      {"Type": "secret", "Status": "ignored", "Statement": "test fixture", "Source": ".trivyignore",
       "Finding": {"RuleID": "github-pat", "Title": "GitHub PAT", "Severity": "CRITICAL", "StartLine": 9,
                   "Match": "ghp_SECRETSECRET"}}
     ]}
  ]
}"#;

fn findings(text: &str) -> (Report, Vec<Finding>) {
    let mut r = import(text, "evidence/scans/trivy.json").unwrap();
    let Body::Scan(s) = &mut r.body else { panic!() };
    let f = std::mem::take(&mut s.findings);
    (r, f)
}

fn value<T: ToString>(x: &Option<T>) -> Option<String> {
    x.as_ref().map(ToString::to_string)
}

#[test]
fn detects_trivy_by_its_keys() {
    assert_eq!(detect(REPORT), Some(Format::Trivy));
    assert_eq!(
        detect(r#"{"SchemaVersion": 2, "ArtifactName": "x"}"#),
        Some(Format::Trivy)
    );
    assert_eq!(
        detect(r#"{"ArtifactName": "x", "Results": []}"#),
        Some(Format::Trivy)
    );
    assert_eq!(detect(r#"{"SchemaVersion": 2}"#), None);
    assert_eq!(detect(r#"{"Results": []}"#), None);
}

#[test]
fn imports_every_kind_of_finding() {
    let (r, f) = findings(REPORT);
    assert_eq!(r.title, "Trivy scan of alpine:3.10 (7 findings)");
    assert_eq!(r.updated.unwrap().to_string(), "2024-09-09");
    let Body::Scan(s) = &r.body else { panic!() };
    assert_eq!(value(&s.target).unwrap(), "alpine:3.10 (container_image)");
    assert_eq!(value(&s.tool).unwrap(), "trivy");
    let ids: Vec<String> = f.iter().map(|x| x.id.to_string()).collect();
    assert_eq!(
        ids,
        [
            "CVE-2019-1549",
            "CVE-2019-1549-2",
            "DS002",
            "aws-access-key-id",
            "CVE-2017-16137",
            "DS026",
            "github-pat"
        ]
    );
    // The repeated CVE keeps its rule, so `SCAN#CVE-2019-1549` covers both.
    assert_eq!(value(&f[1].rule).unwrap(), "CVE-2019-1549");
}

#[test]
fn vulnerabilities_keep_package_fix_and_links() {
    let (_, f) = findings(REPORT);
    let v = &f[0];
    assert_eq!(value(&v.location).unwrap(), "libcrypto1.1@1.1.1c-r0");
    assert_eq!(value(&v.fixed_version).unwrap(), "1.1.1d-r0");
    assert_eq!(value(&v.severity).unwrap().to_string(), "medium");
    assert_eq!(
        value(&v.title).unwrap(),
        "openssl: information disclosure in fork()"
    );
    let refs: Vec<&str> = v.references().iter().map(|r| &**r).collect();
    assert_eq!(
        refs,
        [
            "https://avd.aquasec.com/nvd/cve-2019-1549",
            "https://example.com/a?x=1&y=2"
        ]
    );
    // Status "fixed" means a fix exists, not that this image has it.
    assert_eq!(v.status(), FindingStatus::Open);
    // UNKNOWN gives no severity; not_affected is not-affected; no title gives pkg + id.
    let u = &f[1];
    assert!(u.severity.is_none());
    assert_eq!(u.status(), FindingStatus::NotAffected);
    assert_eq!(
        value(&u.title).unwrap(),
        "libssl1.1 1.1.1c-r0: CVE-2019-1549"
    );
    assert_eq!(u.at.path(), "Results[0].Vulnerabilities[1]");
}

#[test]
fn misconfigurations_and_secrets_are_placed_at_their_line() {
    let (_, f) = findings(REPORT);
    assert_eq!(value(&f[2].location).unwrap(), "Dockerfile:3");
    assert_eq!(value(&f[2].severity).unwrap().to_string(), "high");
    assert_eq!(
        value(&f[2].title).unwrap(),
        "Image user should not be 'root'"
    );
    let s = &f[3];
    assert_eq!(value(&s.location).unwrap(), "deploy.sh:3");
    assert_eq!(value(&s.severity).unwrap().to_string(), "critical");
    assert_eq!(value(&s.title).unwrap(), "AWS Access Key ID");
}

#[test]
fn secret_text_never_reaches_a_finding() {
    let (_, f) = findings(REPORT);
    let json = serde_json::to_string(&f).unwrap();
    assert!(!json.contains("AKIAREALSECRET"), "{json}");
    assert!(!json.contains("ghp_SECRETSECRET"), "{json}");
}

#[test]
fn modified_findings_are_not_affected_or_suppressed() {
    let (_, f) = findings(REPORT);
    let vex = &f[4];
    assert_eq!(vex.status(), FindingStatus::NotAffected);
    assert_eq!(
        value(&vex.justification).unwrap(),
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(value(&vex.location).unwrap(), "debug@3.0.1");
    assert_eq!(vex.at.path(), "Results[3].ExperimentalModifiedFindings[0]");
    let ignored = &f[5];
    assert_eq!(ignored.status(), FindingStatus::Suppressed);
    assert_eq!(
        value(&ignored.justification).unwrap(),
        "ignored by .trivyignore.yaml"
    );
    assert_eq!(value(&ignored.location).unwrap(), "package-lock.json:1");
    assert_eq!(f[6].status(), FindingStatus::Suppressed);
    assert_eq!(value(&f[6].justification).unwrap(), "test fixture");
    assert_eq!(value(&f[6].location).unwrap(), "package-lock.json:9");
}

#[test]
fn a_report_with_no_results_is_an_empty_scan() {
    let (r, f) = findings(r#"{"SchemaVersion": 2, "ArtifactName": "repo", "Results": null}"#);
    assert!(f.is_empty());
    assert_eq!(r.title, "Trivy scan of repo (0 findings)");
    assert!(r.updated.is_none());
}

#[test]
fn strings_without_escapes_are_borrowed() {
    let text = r#"{"SchemaVersion": 2, "ArtifactName": "plain", "Results": [{"Target": "a\u0026b",
        "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "References": ["https://x"]}]}]}"#;
    let doc: Doc<'_> = parse(Format::Trivy, text, "t.json").unwrap();
    assert!(matches!(
        doc.artifact_name.unwrap().0,
        Cow::Borrowed("plain")
    ));
    let r = &doc.results.as_ref().unwrap()[0];
    assert!(matches!(&r.target.as_ref().unwrap().0, Cow::Owned(t) if t == "a&b"));
    let v = &r.vulnerabilities.as_ref().unwrap()[0];
    assert!(matches!(v.id.0, Cow::Borrowed("CVE-1")));
    assert!(matches!(
        v.references.as_ref().unwrap()[0].0,
        Cow::Borrowed(_)
    ));
}

#[test]
fn a_broken_report_names_the_field() {
    let d = import(
        r#"{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Vulnerabilities": [{"VulnerabilityID": 5}]}]}"#,
        "evidence/t.json",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(d[0].path, "Results[0].Vulnerabilities[0].VulnerabilityID");
    assert!(d[0].message.contains("Trivy JSON"), "{}", d[0].message);
}

const K8S: &str = r#"{
  "ClusterName": "kind-kind",
  "Resources": [
    {"Namespace": "default", "Kind": "Deployment", "Name": "web",
     "Metadata": {"OS": {"Family": "debian", "Name": "12.5"}},
     "Results": [
      {"Target": "nginx:1.25 (debian 12.5)", "Class": "os-pkgs", "Type": "debian",
       "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-2511", "PkgName": "libssl3",
         "InstalledVersion": "3.0.11-1", "FixedVersion": "3.0.13-1", "Severity": "LOW"}]}]},
    {"Namespace": "default", "Kind": "Deployment", "Name": "web",
     "Results": [
      {"Target": "Deployment/web", "Class": "config", "Type": "kubernetes",
       "MisconfSummary": {"Successes": 20, "Failures": 1},
       "Misconfigurations": [{"ID": "KSV001", "AVDID": "AVD-KSV-0001",
         "Title": "Can elevate its own privileges", "Severity": "MEDIUM", "Status": "FAIL",
         "CauseMetadata": {"Provider": "Kubernetes", "Service": "general", "StartLine": 132}}]}]},
    {"Kind": "ClusterRole", "Name": "admin", "Error": ""},
    {"Namespace": "kube-system", "Kind": "Pod", "Name": "etcd",
     "Results": [{"Target": "Pod/etcd", "Class": "config", "Type": "kubernetes",
       "Misconfigurations": [{"ID": "KCV0042", "Title": "etcd cert", "Severity": "LOW", "Status": "PASS"}]}]}
  ]
}"#;

#[test]
fn kubernetes_reports_name_the_resource() {
    assert_eq!(detect(K8S), Some(Format::Trivy));
    let (r, f) = findings(K8S);
    assert_eq!(r.title, "Trivy scan of cluster kind-kind (2 findings)");
    let Body::Scan(s) = &r.body else { panic!() };
    assert_eq!(value(&s.target).unwrap(), "cluster kind-kind");
    assert_eq!(
        value(&f[0].location).unwrap(),
        "default/Deployment/web: libssl3@3.0.11-1"
    );
    assert_eq!(f[0].at.path(), "Resources[0].Results[0].Vulnerabilities[0]");
    assert_eq!(value(&f[1].location).unwrap(), "default/Deployment/web:132");
    assert_eq!(value(&f[1].rule).unwrap(), "KSV001");
    assert_eq!(
        f[1].at.path(),
        "Resources[1].Results[0].Misconfigurations[0]"
    );
}

#[test]
fn kubernetes_summary_reports_read_findings() {
    let text = K8S.replace("\"Resources\"", "\"Findings\"");
    assert_eq!(detect(&text), Some(Format::Trivy));
    let (r, f) = findings(&text);
    assert_eq!(r.title, "Trivy scan of cluster kind-kind (2 findings)");
    assert_eq!(f[0].at.path(), "Findings[0].Results[0].Vulnerabilities[0]");
    // A resource without a namespace is KIND/NAME.
    let text = r#"{"ClusterName": "c", "Findings": [{"Kind": "Node", "Name": "n1",
        "Results": [{"Target": "node n1", "Misconfigurations": [{"ID": "KCV1", "Status": "FAIL"}]}]}]}"#;
    let (_, f) = findings(text);
    assert_eq!(value(&f[0].location).unwrap(), "Node/n1: node n1");
}

const LEGACY: &str = r#"[
  {"Target": "python:3.6 (debian 10.3)", "Type": "debian",
   "Vulnerabilities": [
    {"VulnerabilityID": "CVE-2011-3374", "PkgName": "apt", "InstalledVersion": "1.8.2",
     "FixedVersion": "", "Title": "It was found that apt-key ...", "Severity": "LOW",
     "References": ["https://access.redhat.com/security/cve/cve-2011-3374"]},
    {"VulnerabilityID": "CVE-2019-18276", "PkgName": "bash", "InstalledVersion": "5.0-4",
     "Severity": "HIGH"}]},
  {"Target": "app/requirements.txt", "Type": "pip", "Vulnerabilities": null}
]"#;

#[test]
fn legacy_array_reports_import() {
    assert_eq!(detect(LEGACY), Some(Format::Trivy));
    let (r, f) = findings(LEGACY);
    assert_eq!(
        r.title,
        "Trivy scan of python:3.6 (debian 10.3) (2 findings)"
    );
    assert!(r.updated.is_none());
    assert_eq!(value(&f[0].location).unwrap(), "apt@1.8.2");
    assert!(f[0].fixed_version.is_none());
    assert_eq!(f[1].at.path(), "[0].Vulnerabilities[1]");
    assert_eq!(value(&f[1].severity).unwrap().to_string(), "high");
    let d = import(
        r#"[{"Target": "x", "Type": "npm", "Vulnerabilities": [{"VulnerabilityID": ["CVE"]}]}]"#,
        "evidence/t.json",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(d[0].path, "[0].Vulnerabilities[0].VulnerabilityID");
}

#[test]
fn licences_become_findings() {
    let text = r#"{"SchemaVersion": 2, "ArtifactName": "img", "Results": [
      {"Target": "OS Packages", "Class": "license", "Licenses": [
        {"Severity": "HIGH", "Category": "restricted", "PkgName": "musl", "FilePath": "",
         "Name": "GPL-2.0", "Confidence": 1, "Link": ""},
        {"Severity": "LOW", "Category": "notice", "PkgName": "zlib", "Name": "Zlib",
         "Confidence": 1, "Link": "https://spdx.org/licenses/Zlib.html"}]},
      {"Target": "Loose File License(s)", "Class": "license-file", "Licenses": [
        {"Severity": "UNKNOWN", "Category": "unknown", "FilePath": "/usr/share/doc/x/COPYING",
         "Name": "AGPL-3.0", "Confidence": 0.8}]}]}"#;
    let (r, f) = findings(text);
    assert_eq!(r.title, "Trivy scan of img (3 findings)");
    assert_eq!(value(&f[0].rule).unwrap(), "GPL-2.0");
    assert_eq!(value(&f[0].location).unwrap(), "musl");
    assert_eq!(value(&f[0].severity).unwrap().to_string(), "high");
    assert_eq!(
        value(&f[0].title).unwrap(),
        "Licence GPL-2.0 in musl (restricted)"
    );
    assert_eq!(f[0].at.path(), "Results[0].Licenses[0]");
    assert!(f[0].references().is_empty());
    assert_eq!(
        &*f[1].references()[0],
        "https://spdx.org/licenses/Zlib.html"
    );
    assert_eq!(value(&f[2].location).unwrap(), "/usr/share/doc/x/COPYING");
    assert!(f[2].severity.is_none());
    assert_eq!(
        value(&f[2].title).unwrap(),
        "Licence AGPL-3.0 in /usr/share/doc/x/COPYING (unknown, confidence 0.8)"
    );
    let d = import(
        r#"{"SchemaVersion": 2, "Results": [{"Licenses": [{"Name": "MIT", "Confidence": "high"}]}]}"#,
        "evidence/t.json",
    )
    .unwrap_err();
    assert_eq!(d[0].path, "Results[0].Licenses[0].Confidence");
}

#[test]
fn a_broken_kubernetes_report_names_the_field() {
    let d = import(
        r#"{"ClusterName": "c", "Resources": [{"Kind": "Pod", "Name": "p", "Results": {}}]}"#,
        "evidence/t.json",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(d[0].path, "Resources[0].Results");
}
