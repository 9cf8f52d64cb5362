//! The OSCAL importer, model by model.

use super::{ROOTS, import};
use crate::import::detect;
use crate::import::{Format, Report};
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::Control;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{FindingStatus, Scan};

fn controls(r: &Report) -> &[Control] {
    let Body::Catalog(c) = &r.body else {
        panic!("not a catalog")
    };
    &c.controls
}

#[test]
fn detects_each_model_root() {
    for root in ROOTS {
        let text = format!(r#"{{"{root}": {{}}}}"#);
        assert_eq!(detect(&text), Some(Format::Oscal), "{root}");
    }
    assert_eq!(detect(r#"{"mapping-collection": {}}"#), None);
}

#[test]
fn a_catalog_lists_controls_and_enhancements_with_families() {
    let text = r#"{"catalog": {"uuid": "u", "metadata": {"title": "Demo", "version": "1.0",
      "oscal-version": "1.1.2", "last-modified": "2024-02-01T13:57:28-04:00"},
      "controls": [{"id": "top-1", "title": "Loose"}],
      "groups": [{"id": "ac", "title": "Access Control", "controls": [
        {"id": "ac-1", "title": "Policy", "params": [{"id": "ac-1_prm_1"}],
         "props": [{"name": "label", "value": "AC-1"}],
         "parts": [
          {"id": "ac-1_smt", "name": "statement", "parts": [
            {"id": "a", "name": "item", "props": [{"name": "label", "value": "a."}],
             "prose": "Develop for {{ insert: param, ac-1_prm_1 }}:", "parts": [
               {"name": "item", "props": [{"name": "label", "value": "1."}], "prose": "a policy;"}]},
            {"name": "item", "props": [{"name": "label", "value": "b."}], "prose": "Review it."}]},
          {"name": "guidance", "prose": "Not part of the statement."}],
         "controls": [{"id": "ac-1.1", "title": "Enhancement",
           "parts": [{"name": "statement", "prose": "Automate."}]}]}],
        "groups": [{"title": "Inner", "controls": [{"id": "ac-9", "title": "Nested"}]}]}],
      "back-matter": {"resources": [{"uuid": "x"}]}}}"#;
    let r = import(text, "evidence/cat.json").unwrap();
    assert_eq!(r.kind, Kind::Catalog);
    assert_eq!(r.title, "Demo");
    assert_eq!(r.updated.unwrap().to_string(), "2024-02-01");
    let c = controls(&r);
    let ids: Vec<&str> = c.iter().map(|x| x.id.value.as_str()).collect();
    assert_eq!(ids, ["top-1", "ac-1", "ac-1.1", "ac-9"]);
    assert!(c[0].family.is_none());
    assert_eq!(c[1].family.as_ref().unwrap().value, "Access Control");
    assert_eq!(c[2].family.as_ref().unwrap().value, "Access Control");
    assert_eq!(c[3].family.as_ref().unwrap().value, "Inner");
    assert_eq!(
        c[1].description.as_ref().unwrap().value,
        "a. Develop for {{ insert: param, ac-1_prm_1 }}: 1. a policy; b. Review it."
    );
    assert_eq!(c[2].description.as_ref().unwrap().value, "Automate.");
    assert!(c[3].description.is_none());
    assert_eq!(c[2].id.path, "catalog.groups[0].controls[0].controls[0].id");
    let Body::Catalog(cat) = &r.body else {
        unreachable!()
    };
    assert_eq!(
        cat.source.as_ref().unwrap().value,
        "OSCAL catalog, version 1.0 (OSCAL 1.1.2)"
    );
}

#[test]
fn a_profile_lists_its_selected_ids_and_resolves_its_import() {
    let text = r##"{"profile": {"uuid": "u", "metadata": {"title": "Baseline"},
      "imports": [{"href": "#r1", "include-controls": [{"with-ids": ["ac-1", "ac-2", "ac-1"]}]},
                  {"href": "other.json", "include-all": {}}],
      "merge": {"as-is": true},
      "back-matter": {"resources": [{"uuid": "r1", "description": "The catalog",
        "rlinks": [{"href": "cat.xml", "media-type": "application/oscal.catalog+xml"},
                   {"href": "cat.json", "media-type": "application/oscal.catalog+json"}]}]}}}"##;
    let r = import(text, "evidence/p.json").unwrap();
    let c = controls(&r);
    let ids: Vec<&str> = c.iter().map(|x| x.id.value.as_str()).collect();
    assert_eq!(ids, ["ac-1", "ac-2"]);
    assert_eq!(c[0].title.as_ref().unwrap().to_string(), "ac-1");
    assert_eq!(c[0].family.as_ref().unwrap().value, "profile");
    let Body::Catalog(cat) = &r.body else {
        unreachable!()
    };
    assert_eq!(
        cat.source.as_ref().unwrap().value,
        "OSCAL profile; imports The catalog (cat.json), other.json (all controls)"
    );
}

#[test]
fn a_component_definition_lists_implementations() {
    let text = r##"{"component-definition": {"uuid": "u", "metadata": {"title": "Defs"},
      "components": [
        {"uuid": "c1", "type": "service", "title": "MongoDB", "control-implementations": [
          {"uuid": "i", "source": "https://x/profile.json", "description": "d",
           "implemented-requirements": [
            {"uuid": "r", "control-id": "sc-8", "description": "TLS.",
             "statements": [{"statement-id": "s", "uuid": "v", "description": "Details."}]},
            {"uuid": "r2", "control-id": "sa-4.9", "description": "Interfaces."}]}]},
        {"uuid": "c2", "type": "software", "title": "Nginx", "control-implementations": [
          {"uuid": "j", "source": "https://x/profile.json", "description": "d",
           "implemented-requirements": [{"uuid": "r3", "control-id": "sc-8", "description": "HTTPS."}]}]}]}}"##;
    let r = import(text, "evidence/cd.json").unwrap();
    let c = controls(&r);
    let ids: Vec<&str> = c.iter().map(|x| x.id.value.as_str()).collect();
    assert_eq!(ids, ["sc-8", "sa-4.9"]);
    assert_eq!(
        c[0].title.as_ref().unwrap().to_string(),
        "MongoDB, Nginx: sc-8"
    );
    assert_eq!(
        c[0].description.as_ref().unwrap().value,
        "MongoDB: TLS. Details. Nginx: HTTPS."
    );
    assert_eq!(c[1].title.as_ref().unwrap().to_string(), "MongoDB: sa-4.9");
    assert_eq!(c[1].family.as_ref().unwrap().value, "MongoDB");
    assert_eq!(c[1].description.as_ref().unwrap().value, "Interfaces.");
}

#[test]
fn assessment_results_become_findings() {
    let text = r#"{"assessment-results": {"uuid": "u", "metadata": {"title": "AR"},
      "import-ap": {"href": "ap.json"},
      "results": [{"uuid": "r", "title": "R", "description": "d",
        "start": "2023-06-02T08:31:20-04:00", "end": "2023-06-02T08:46:51-04:00",
        "reviewed-controls": {"control-selections": []},
        "risks": [{"uuid": "risk-1", "title": "t", "description": "d", "statement": "s",
          "status": "open", "characterizations": [{"origin": {"actors": []}, "facets": [
            {"name": "likelihood", "system": "https://fedramp.gov", "value": "low"},
            {"name": "impact", "system": "https://fedramp.gov", "value": "high"}]}]}],
        "findings": [
          {"uuid": "45d8a6c2-1368-4bad", "title": "Over-privileged role", "description": "d",
           "target": {"type": "objective-id", "target-id": "ac-6.1_obj",
                      "status": {"state": "not-satisfied"}},
           "related-risks": [{"risk-uuid": "risk-1"}]},
          {"uuid": "45d8a6c2-ffff", "title": "Logging", "description": "d",
           "target": {"type": "objective-id", "target-id": "au-2_obj",
                      "status": {"state": "satisfied"}}},
          {"uuid": "99999999-0000", "title": "Gap", "description": "d",
           "target": {"type": "objective-id", "target-id": "ac-2_obj",
                      "status": {"state": "not-satisfied"}}}]}]}}"#;
    let r = import(text, "evidence/ar.json").unwrap();
    assert_eq!(r.kind, Kind::Scan);
    assert_eq!(r.updated.unwrap().to_string(), "2023-06-02");
    let Body::Scan(s) = r.body else { panic!() };
    let got: Vec<(String, String, String, FindingStatus)> = s
        .findings
        .iter()
        .map(|f| {
            (
                f.id.to_string(),
                f.rule.as_ref().unwrap().to_string(),
                f.severity.unwrap().to_string(),
                f.status(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "45d8a6c2".to_owned(),
                "ac-6.1_obj".to_owned(),
                "high".to_owned(),
                FindingStatus::Open
            ),
            (
                "45d8a6c2-2".to_owned(),
                "au-2_obj".to_owned(),
                "info".to_owned(),
                FindingStatus::Fixed
            ),
            (
                "99999999".to_owned(),
                "ac-2_obj".to_owned(),
                "medium".to_owned(),
                FindingStatus::Open
            ),
        ]
    );
    assert_eq!(
        s.findings[0].location.as_ref().unwrap().to_string(),
        "ac-6.1_obj"
    );
    assert_eq!(s.tool.unwrap().value, "OSCAL assessment-results");
}

#[test]
fn a_broken_document_names_the_field() {
    let d = import(
        r#"{"catalog": {"metadata": {"title": "x"}, "groups": [{"controls": [{"title": "no id"}]}]}}"#,
        "evidence/c.json",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(d[0].path, "catalog.groups[0].controls[0]");
    let d = import(r#"{"catalog": null}"#, "evidence/c.json").unwrap_err();
    assert_eq!(d[0].code, "E0210");
}

fn scan_of(r: &Report) -> &Scan {
    let Body::Scan(s) = &r.body else {
        panic!("not a scan")
    };
    s
}

const SSP: &str = r##"{"system-security-plan": {
  "uuid": "cff8385f-108e-40a5-8f7a-82f3dc0eaba8",
  "metadata": {"title": "Enterprise Logging SSP", "last-modified": "2024-03-01T10:00:00Z",
    "version": "1.2", "oscal-version": "1.1.2"},
  "import-profile": {"href": "#prof"},
  "system-characteristics": {"system-ids": [{"id": "saas-1"}], "system-name": "Logger",
    "description": "d", "status": {"state": "operational"}},
  "system-implementation": {"users": [], "components": [
    {"uuid": "795533ab-9427-4abe-820f-0b571bacfe6d", "type": "this-system", "title": "Logger platform",
     "description": "d", "status": {"state": "operational"}},
    {"uuid": "fa39eb84-3014-46b4-b6bc-7da10527c262", "type": "policy", "title": "Audit policy",
     "description": "d", "status": {"state": "operational"}}]},
  "control-implementation": {"description": "How Logger implements the baseline.",
    "implemented-requirements": [
      {"uuid": "u1", "control-id": "au-2",
       "by-components": [{"component-uuid": "795533ab-9427-4abe-820f-0b571bacfe6d", "uuid": "b1",
          "description": "Logs every API call.", "implementation-status": {"state": "implemented"}}],
       "statements": [{"statement-id": "au-2_smt.a", "uuid": "s1", "by-components": [
          {"component-uuid": "fa39eb84-3014-46b4-b6bc-7da10527c262", "uuid": "b2",
           "description": "Names the auditable events.", "implementation-status": {"state": "partial"}},
          {"component-uuid": "795533ab-9427-4abe-820f-0b571bacfe6d", "uuid": "b3",
           "description": "Emits them."}]}]},
      {"uuid": "u2", "control-id": "au-11", "statements": [{"statement-id": "au-11_smt", "uuid": "s2",
          "by-components": [{"component-uuid": "00000000-dead-beef-0000-000000000000", "uuid": "b4",
           "description": "Keeps logs 90 days."}]}]},
      {"uuid": "u3", "control-id": "ac-1"},
      {"uuid": "u4", "control-id": "au-2", "by-components": [
          {"component-uuid": "fa39eb84-3014-46b4-b6bc-7da10527c262", "uuid": "b5", "description": "Reviewed yearly."}]}]},
  "back-matter": {"resources": [{"uuid": "prof", "title": "Moderate baseline"}]}}}"##;

#[test]
fn a_system_security_plan_lists_control_implementations() {
    assert_eq!(detect(SSP), Some(Format::Oscal));
    let r = import(SSP, "evidence/ssp.json").unwrap();
    assert_eq!(r.kind, Kind::Catalog);
    assert_eq!(r.title, "Enterprise Logging SSP");
    assert_eq!(r.updated.unwrap().to_string(), "2024-03-01");
    let c = controls(&r);
    let ids: Vec<&str> = c.iter().map(|x| x.id.value.as_str()).collect();
    assert_eq!(ids, ["au-2", "au-11", "ac-1"]);
    assert_eq!(
        c[0].family.as_ref().unwrap().value,
        "Logger platform, Audit policy"
    );
    assert_eq!(
        c[0].description.as_ref().unwrap().value,
        "Logger platform: Logs every API call. au-2_smt.a: Emits them. \
         Audit policy: au-2_smt.a: Names the auditable events. (partial) \
         Audit policy: Reviewed yearly."
    );
    // An unknown component uuid is named by its start; no component: the system.
    assert_eq!(c[1].family.as_ref().unwrap().value, "component 00000000");
    assert_eq!(
        c[1].description.as_ref().unwrap().value,
        "au-11_smt: Keeps logs 90 days."
    );
    assert_eq!(c[2].title.as_ref().unwrap().value, "Logger: ac-1");
    assert!(c[2].description.is_none());
    assert_eq!(
        c[0].id.path,
        "system-security-plan.control-implementation.implemented-requirements[0].control-id"
    );
    let Body::Catalog(cat) = &r.body else {
        unreachable!()
    };
    assert_eq!(
        cat.source.as_ref().unwrap().value,
        "OSCAL system-security-plan, version 1.2 (OSCAL 1.1.2) of Logger; implements Moderate baseline"
    );
}

const AP: &str = r##"{"assessment-plan": {
  "uuid": "60077e84-e62f-4375-8c6c-b0e0d4560c5f",
  "metadata": {"title": "Logger annual assessment plan", "last-modified": "2024-04-02T09:00:00Z",
    "version": "1.0", "oscal-version": "1.1.2"},
  "import-ssp": {"href": "../ssp/logger-ssp.json"},
  "reviewed-controls": {"control-selections": [
    {"description": "Audit family", "include-controls": [
      {"control-id": "au-2", "statement-ids": ["au-2_smt.a", "au-2_smt.b"]},
      {"control-id": "au-11"}, {"control-id": "au-2"}],
     "exclude-controls": [{"control-id": "au-12"}]},
    {"include-all": {}}]},
  "assessment-subjects": [{"type": "component", "include-all": {}}],
  "tasks": [
    {"uuid": "t1", "type": "milestone", "title": "Kick-off", "timing": {"on-date": {"date": "2024-05-01T09:00:00Z"}}},
    {"uuid": "t2", "type": "action", "title": "Interviews",
     "timing": {"within-date-range": {"start": "2024-05-02T00:00:00Z", "end": "2024-05-10T00:00:00Z"}},
     "tasks": [{"uuid": "t3", "type": "action", "title": "Admin interview"}]}]}}"##;

#[test]
fn an_assessment_plan_shows_its_reviewed_controls_and_tasks() {
    assert_eq!(detect(AP), Some(Format::Oscal));
    let r = import(AP, "evidence/ap.json").unwrap();
    assert_eq!(r.kind, Kind::Catalog);
    assert_eq!(r.updated.unwrap().to_string(), "2024-04-02");
    let c = controls(&r);
    let ids: Vec<&str> = c.iter().map(|x| x.id.value.as_str()).collect();
    assert_eq!(ids, ["au-2", "au-11"]);
    assert_eq!(
        c[0].description.as_ref().unwrap().value,
        "Statements au-2_smt.a, au-2_smt.b"
    );
    assert_eq!(c[1].family.as_ref().unwrap().value, "assessment plan");
    let Body::Catalog(cat) = &r.body else {
        unreachable!()
    };
    assert_eq!(
        cat.source.as_ref().unwrap().value,
        "OSCAL assessment-plan, version 1.0 (OSCAL 1.1.2); assesses ../ssp/logger-ssp.json; \
         reviews all controls except au-12; tasks: Kick-off (2024-05-01); \
         Interviews (2024-05-02 to 2024-05-10); Admin interview"
    );
}

const POAM: &str = r#"{"plan-of-action-and-milestones": {
  "uuid": "714210d2-f8df-448c-be3e-e2213816cf79",
  "metadata": {"title": "Logger POA&M", "last-modified": "2024-06-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"},
  "import-ssp": {"href": "ssp.json"},
  "system-id": {"identifier-type": "http://ietf.org/rfc/rfc4122", "id": "8101e04d-8305-4e73-bb95-6b59f645b143"},
  "observations": [{"uuid": "o1", "methods": ["TEST"], "collected": "2024-05-05T00:00:00Z"}],
  "risks": [
    {"uuid": "r1", "title": "Weak TLS", "description": "d", "statement": "s", "status": "open",
     "characterizations": [{"origin": {"actors": [{"type": "tool", "actor-uuid": "a"}]},
       "facets": [{"name": "likelihood", "system": "https://fedramp.gov", "value": "low"},
                  {"name": "impact", "system": "https://fedramp.gov", "value": "high"}]}]},
    {"uuid": "r2", "title": "Old agent", "description": "d", "statement": "s", "status": "closed"},
    {"uuid": "r3", "title": "Legacy cipher", "description": "d", "statement": "s", "status": "deviation-approved"},
    {"uuid": "r4", "title": "Patch lag", "description": "d", "statement": "s", "status": "remediating"}],
  "findings": [{"uuid": "f1", "title": "TLS", "description": "d",
    "target": {"type": "objective-id", "target-id": "sc-8_obj", "status": {"state": "not-satisfied"}}}],
  "poam-items": [
    {"uuid": "2cc7ab5c-0a2b-4d62-9a65-6c5d7c6b4e11", "title": "Enable TLS 1.3", "description": "d",
     "related-findings": [{"finding-uuid": "f1"}], "related-risks": [{"risk-uuid": "r1"}]},
    {"uuid": "3dd7ab5c-0a2b-4d62-9a65-6c5d7c6b4e12", "title": "Remove agent", "description": "d",
     "related-risks": [{"risk-uuid": "r2"}]},
    {"uuid": "4ee7ab5c-0a2b-4d62-9a65-6c5d7c6b4e13", "title": "Keep cipher for partner", "description": "d",
     "related-risks": [{"risk-uuid": "r3"}, {"risk-uuid": "r2"}]},
    {"uuid": "5ff7ab5c-0a2b-4d62-9a65-6c5d7c6b4e14", "title": "Patch faster", "description": "d",
     "related-risks": [{"risk-uuid": "r2"}, {"risk-uuid": "r4"}]},
    {"title": "", "description": "Document the exception process"}]}}"#;

#[test]
fn a_poam_lists_its_items_with_status_from_risks() {
    assert_eq!(detect(POAM), Some(Format::Oscal));
    let r = import(POAM, "evidence/poam.json").unwrap();
    assert_eq!(r.kind, Kind::Scan);
    assert_eq!(r.title, "Logger POA&M");
    assert_eq!(r.updated.unwrap().to_string(), "2024-06-01");
    let s = scan_of(&r);
    assert_eq!(
        s.target.as_ref().unwrap().value,
        "8101e04d-8305-4e73-bb95-6b59f645b143"
    );
    let f = &s.findings;
    let ids: Vec<String> = f.iter().map(|x| x.id.to_string()).collect();
    assert_eq!(
        ids,
        [
            "2cc7ab5c",
            "3dd7ab5c",
            "4ee7ab5c",
            "5ff7ab5c",
            "document-the-exception-process"
        ]
    );
    let statuses: Vec<FindingStatus> = f.iter().map(|x| x.status()).collect();
    assert_eq!(
        statuses,
        [
            FindingStatus::Open,
            FindingStatus::Fixed,
            FindingStatus::Suppressed,
            FindingStatus::Open,
            FindingStatus::Open
        ]
    );
    assert_eq!(f[0].severity.unwrap(), Severity::High);
    assert_eq!(&**f[0].rule.as_ref().unwrap(), "sc-8_obj");
    assert_eq!(f[0].location.as_ref().unwrap().to_string(), "sc-8_obj");
    assert_eq!(f[1].severity.unwrap(), Severity::Info);
    assert!(f[1].rule.is_none());
    assert_eq!(
        f[1].location.as_ref().unwrap().to_string(),
        "8101e04d-8305-4e73-bb95-6b59f645b143"
    );
    assert_eq!(
        &**f[2].justification.as_ref().unwrap(),
        "deviation approved for risk: Legacy cipher"
    );
    assert_eq!(f[3].severity.unwrap(), Severity::Medium);
    assert_eq!(
        &**f[4].title.as_ref().unwrap(),
        "Document the exception process"
    );
    assert_eq!(
        f[4].at.path(),
        "plan-of-action-and-milestones.poam-items[4]"
    );
}

#[test]
fn broken_plans_name_the_field() {
    let d = import(
        r#"{"system-security-plan": {"metadata": {"title": "x"}, "control-implementation":
            {"implemented-requirements": [{"control-id": "ac-1", "by-components": [{"description": "no uuid"}]}]}}}"#,
        "evidence/ssp.json",
    )
    .unwrap_err();
    assert_eq!(d[0].code, "E0210");
    assert_eq!(
        d[0].path,
        "system-security-plan.control-implementation.implemented-requirements[0].by-components[0]"
    );
    let d = import(
        r#"{"system-security-plan": {"metadata": {"title": "x"}}}"#,
        "evidence/ssp.json",
    )
    .unwrap_err();
    assert!(
        d[0].message.contains("control-implementation"),
        "{}",
        d[0].message
    );
    let d = import(
        r#"{"plan-of-action-and-milestones": {"metadata": {"title": "x"}, "poam-items": [{"related-risks": [{"risk": "r1"}]}]}}"#,
        "evidence/poam.json",
    )
    .unwrap_err();
    assert_eq!(
        d[0].path,
        "plan-of-action-and-milestones.poam-items[0].related-risks[0]"
    );
    let d = import(
        r#"{"assessment-plan": {"metadata": {"title": "x"}, "tasks": [{"title": 3}]}}"#,
        "evidence/ap.json",
    )
    .unwrap_err();
    assert_eq!(d[0].path, "assessment-plan.tasks[0].title");
    assert_eq!((d[0].line, d[0].column), (1, 70));
}
