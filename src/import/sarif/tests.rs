//! The SARIF importer against small logs, one rule of the mapping each.

use super::import;
use super::results::format_message;
use super::types::Str;
use crate::import::{Format, Report, detect};
use crate::model::kinds::Body;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{Finding, FindingStatus};
use std::borrow::Cow;

fn scan(text: &str) -> (Report, Vec<Finding>) {
    let mut r = import(text, "evidence/x.sarif").unwrap();
    let Body::Scan(s) = &mut r.body else {
        panic!("not a scan")
    };
    let f = std::mem::take(&mut s.findings);
    (r, f)
}

fn v<T: ToString>(x: &Option<T>) -> Option<String> {
    x.as_ref().map(ToString::to_string)
}

#[test]
fn detects_by_version_and_runs() {
    assert_eq!(
        detect(r#"{"version": "2.1.0", "runs": []}"#),
        Some(Format::Sarif)
    );
    assert_eq!(
        detect(r#"{"$schema": "https://example.org/other.json", "runs": [], "version": "2.1.0"}"#),
        Some(Format::Sarif)
    );
    assert_eq!(
        detect(r#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json"}"#),
        None
    );
}

#[test]
fn rules_in_extensions_by_component_index_guid_and_id() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {
        "driver": {"name": "CodeQL", "guid": "d"},
        "extensions": [{"name": "other"}, {"name": "pack", "guid": "g1", "rules": [
          {"id": "js/a", "shortDescription": {"text": "A rule"}, "helpUri": "https://h/a",
           "defaultConfiguration": {"level": "error"}},
          {"id": "js/b", "defaultConfiguration": {"level": "note"}}]}]},
      "results": [
        {"ruleIndex": 1, "rule": {"toolComponent": {"index": 1}}, "message": {"text": "b here"}},
        {"rule": {"index": 0, "toolComponent": {"guid": "g1"}}, "message": {"text": "a here"}},
        {"rule": {"id": "js/b", "toolComponent": {"name": "pack"}}, "message": {"text": "b"}},
        {"ruleId": "js/a", "message": {"text": "a, no component"}},
        {"ruleId": "js/a", "rule": {"index": 1, "toolComponent": {"index": 1}}, "message": {}}
      ]}]}"#;
    let (r, f) = scan(text);
    let rules: Vec<_> = f.iter().map(|x| v(&x.rule).unwrap()).collect();
    assert_eq!(rules, ["js/b", "js/a", "js/b", "js/a", "js/a"]);
    let ids: Vec<_> = f.iter().map(|x| x.id.to_string().clone()).collect();
    assert_eq!(ids, ["js/b", "js/a", "js/b-2", "js/a-2", "js/a-3"]);
    let sev: Vec<_> = f.iter().map(|x| x.severity.unwrap()).collect();
    use Severity::*;
    assert_eq!(sev, [Low, High, Low, High, High]);
    // The rule's description stands in for an empty message; helpUri is a reference.
    assert_eq!(v(&f[4].title).as_deref(), Some("A rule"));
    assert_eq!(&*f[3].references()[0], "https://h/a");
    assert_eq!(r.title, "CodeQL scan (5 findings)");
}

#[test]
fn message_ids_with_arguments_and_null_messages() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "SpotBugs",
        "globalMessageStrings": {"g": {"text": "global {0}"}},
        "rules": [{"id": "DM", "shortDescription": {"text": "Default encoding"},
          "messageStrings": {"default": {"text": "Found {0}: {1} in {{braces}} {7}"}}}]}},
      "results": [
        {"ruleId": "DM", "ruleIndex": 0, "level": "note",
         "message": {"id": "default", "arguments": ["Boot.main", "new FileWriter"]}},
        {"ruleId": "DM", "message": null},
        {"ruleId": "DM", "message": {"id": "g", "arguments": ["x"]}},
        {"ruleId": "NONE", "message": null},
        {"ruleId": "DM", "message": {"text": "text {0}", "arguments": ["wins"]}}
      ]}]}"#;
    let (_, f) = scan(text);
    let titles: Vec<_> = f.iter().map(|x| v(&x.title)).collect();
    assert_eq!(
        titles,
        [
            Some("Found Boot.main: new FileWriter in {braces} {7}".to_owned()),
            Some("Default encoding".to_owned()),
            Some("global x".to_owned()),
            None,
            Some("text wins".to_owned()),
        ]
    );
    assert_eq!(f[0].severity, Some(Severity::Low));
    // No level and no rule default: warning.
    assert_eq!(f[3].severity, Some(Severity::Medium));
}

#[test]
fn security_severity_beats_level() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "grype",
        "rules": [{"id": "CVE-1", "properties": {"security-severity": "9.8"}},
                  {"id": "CVE-2", "properties": {"security-severity": 5}},
                  {"id": "CVE-3", "properties": {"security-severity": "n/a", "tags": [1, {"a": null}]}},
                  {"id": "CVE-4", "properties": null}]}},
      "results": [
        {"ruleId": "CVE-1", "level": "note"},
        {"ruleId": "CVE-2", "level": "error"},
        {"ruleId": "CVE-3", "level": "error"},
        {"ruleId": "CVE-4", "level": "none"},
        {"ruleId": "CVE-4", "properties": {"security-severity": 7.5}},
        {"ruleId": "CVE-4", "kind": "informational"}
      ]}]}"#;
    let (_, f) = scan(text);
    let sev: Vec<_> = f.iter().map(|x| x.severity.unwrap()).collect();
    use Severity::*;
    assert_eq!(sev, [Critical, Medium, High, Info, High, Info]);
}

#[test]
fn suppressions_baseline_and_kind_set_the_status() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [
        {"ruleId": "R", "suppressions": [{"kind": "external", "status": "accepted", "justification": "test key"}]},
        {"ruleId": "R", "suppressions": [{"kind": "inSource"}]},
        {"ruleId": "R", "suppressions": [{"kind": "external", "status": "underReview"}]},
        {"ruleId": "R", "suppressions": [{"status": "rejected"}, {"status": "accepted", "justification": "ok"}]},
        {"ruleId": "R", "baselineState": "absent"},
        {"ruleId": "R", "baselineState": "unchanged", "suppressions": []},
        {"ruleId": "R", "kind": "pass"},
        {"ruleId": "R", "kind": "notApplicable"}
      ]}]}"#;
    let (_, f) = scan(text);
    use FindingStatus::*;
    let st: Vec<_> = f.iter().map(Finding::status).collect();
    assert_eq!(
        st,
        [
            Suppressed,
            Suppressed,
            Open,
            Suppressed,
            Fixed,
            Open,
            Fixed,
            NotAffected
        ]
    );
    assert_eq!(v(&f[0].justification).as_deref(), Some("test key"));
    assert_eq!(v(&f[3].justification).as_deref(), Some("ok"));
    assert_eq!(v(&f[1].justification), None);
}

#[test]
fn a_multi_line_message_gives_way_to_a_one_line_title() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy", "rules": [
        {"id": "CVE-1", "shortDescription": {"text": "openssl: fork leak"}}]}},
      "results": [
        {"ruleId": "CVE-1", "message": {"text": "Package: libssl\nInstalled Version: 1"}},
        {"ruleId": "CVE-2", "message": {"text": "\n  First line\nsecond"}}
      ]}]}"#;
    let (_, f) = scan(text);
    assert_eq!(v(&f[0].title).as_deref(), Some("openssl: fork leak"));
    assert_eq!(v(&f[1].title).as_deref(), Some("First line"));
}

#[test]
fn results_before_the_tool_still_find_their_rules() {
    let text = r#"{"runs": [{"results": [{"ruleIndex": 0, "message": {"id": "m", "arguments": ["x"]}}],
        "tool": {"driver": {"name": "T", "rules": [{"id": "R", "helpUri": "https://h",
          "messageStrings": {"m": {"text": "bad {0}"}}}]}}}], "version": "2.1.0"}"#;
    let (r, f) = scan(text);
    assert_eq!(v(&f[0].rule).as_deref(), Some("R"));
    assert_eq!(v(&f[0].title).as_deref(), Some("bad x"));
    assert_eq!(r.title, "T scan (1 finding)");
    let (r, f) = scan(r#"{"version": "2.1.0", "runs": null}"#);
    assert!(f.is_empty());
    assert_eq!(r.title, "unknown tool scan (0 findings)");
}

#[test]
fn runs_without_tool_and_locations() {
    let text = r#"{"version": "2.1.0", "runs": [
      {"results": [{"ruleId": "CKV_1", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a\/b.yaml"},
          "region": {"startLine": 2, "snippet": {"text": "x"}}}}]}]},
      {"tool": {"driver": {"name": "grype"}}, "results": [
        {"ruleId": "CVE-9", "locations": [{"logicalLocations": [{"name": "n", "fullyQualifiedName": "img@:/f"}]}]},
        {"ruleId": "CVE-9", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "c.txt"}}}]},
        {"ruleId": "CVE-9", "locations": []}]},
      {"tool": {"driver": {"name": "grype"}}, "results": null}
    ]}"#;
    let (r, f) = scan(text);
    assert_eq!(r.title, "unknown tool, grype scan (4 findings)");
    let locs: Vec<_> = f.iter().map(|x| v(&x.location)).collect();
    assert_eq!(
        locs,
        [
            Some("a/b.yaml:2".to_owned()),
            Some("img@:/f".to_owned()),
            Some("c.txt".to_owned()),
            None
        ]
    );
    assert_eq!(f[0].at.path(), "runs[0].results[0]");
    assert_eq!(f[1].at.path(), "runs[1].results[0]");
}

#[test]
fn date_and_target() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy"}},
        "invocations": [{"startTimeUtc": "2024-05-01T10:00:00Z", "endTimeUtc": "2024-05-02T00:00:01Z",
          "toolExecutionNotifications": [{"message": {"text": "big"}}]}],
        "properties": {"imageName": "alpine:3.10", "repoTags": ["alpine:3.10"], "repoDigests": null},
        "results": []}]}"#;
    let (r, _) = scan(text);
    assert_eq!(r.updated.unwrap().to_string(), "2024-05-02");
    let Body::Scan(s) = &r.body else { panic!() };
    assert_eq!(v(&s.target).as_deref(), Some("alpine:3.10"));
    assert_eq!(v(&s.tool).as_deref(), Some("Trivy"));
    assert_eq!(r.title, "Trivy scan (0 findings)");

    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL"}},
        "properties": {"repoTags": ["img:1"]},
        "versionControlProvenance": [{"repositoryUri": "https://github.com/o/r"}],
        "invocations": [{"startTimeUtc": "2023-01-02T00:00:00Z"}],
        "results": [{"ruleId": "x"}]}]}"#;
    let (r, _) = scan(text);
    let Body::Scan(s) = &r.body else { panic!() };
    assert_eq!(v(&s.target).as_deref(), Some("https://github.com/o/r"));
    assert_eq!(r.updated.unwrap().to_string(), "2023-01-02");
    assert_eq!(r.title, "CodeQL scan (1 finding)");

    let text = r#"{"version": "2.1.0", "runs": [{"properties": {"repoTags": ["img:1"]}}]}"#;
    let (r, _) = scan(text);
    let Body::Scan(s) = &r.body else { panic!() };
    assert_eq!(v(&s.target).as_deref(), Some("img:1"));
    assert!(r.updated.is_none());
}

#[test]
fn hierarchical_rule_ids_and_missing_rules() {
    let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "PM",
        "rules": [{"id": "CSCAN0060", "helpUri": "https://h"}]}},
        "results": [{"ruleId": "CSCAN0060/0", "message": null}, {"message": {"text": "no rule"}}]}]}"#;
    let (_, f) = scan(text);
    assert_eq!(v(&f[0].rule).as_deref(), Some("CSCAN0060/0"));
    assert_eq!(&*f[0].references()[0], "https://h");
    assert_eq!(f[1].id.to_string(), "result");
    assert_eq!(v(&f[1].rule), None);
}

#[test]
fn formats_placeholders() {
    let a = [Str(Cow::Borrowed("x")), Str(Cow::Borrowed("y"))];
    assert_eq!(format_message("{1}{0} {2} {a} {", &a), "yx {2} {a} {");
    assert_eq!(format_message("}} {{0}} {0}", &a), "} {0} x");
    assert_eq!(format_message("plain", &[]), "plain");
}

#[test]
fn a_broken_log_names_the_field() {
    let d = import(
        r#"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "a"}, {"ruleId": 7}]}]}"#,
        "evidence/b.sarif",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(d[0].path, "runs[0].results[1].ruleId");
    let d = import(r#"{"version": "2.1.0", "runs": {}}"#, "evidence/b.sarif").unwrap_err();
    assert_eq!(d[0].path, "runs");
}
