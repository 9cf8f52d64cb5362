//! OSCAL JSON (NIST's Open Security Controls Assessment Language, 1.x): catalogs (and
//! resolved-profile catalogs), profiles, component definitions and assessment results.
//!
//! Each OSCAL document has one root key naming its model; the importer parses the file
//! once into the structs below, which read only the fields used (params, props, links,
//! back-matter text and the like are skipped without being built).
//!
//! How each model maps onto Evidentia's (DESIGN 3.8 and 3.2):
//! - `catalog` (also a resolved profile, which is a catalog): a catalog item. Every
//!   control and enhancement (controls nested in controls) becomes a control, in document
//!   order, with OSCAL's id exactly as written (`ac-1`, `ac-2.1`). Its family is the title
//!   of the innermost group holding it (enhancements take their parent's), and its
//!   description is the prose of its `statement` part with every sub-part flattened into
//!   one text, each item prefixed by its label (`a.`, `1.`, `(a)`) and joined with spaces.
//!   Parameter insertions (`{{ insert: param, ac-1_prm_1 }}`) are left as written.
//! - `profile`: a catalog item listing the controls the profile selects
//!   (`imports[].include-controls[].with-ids[]`), titled by their ids and in the family
//!   `profile`; its source names what it imports. Resolving a profile (fetching the
//!   imported catalog, applying `exclude-controls`, `merge` and `modify`) needs that
//!   catalog and is out of scope: import a resolved-profile catalog for the control text.
//! - `component-definition`: a catalog item of control implementations, so a packet can
//!   cite `ID:control-id`. A control implemented by several components is one control
//!   (the id stays citable); its title lists the components, and its description joins
//!   each component's implementation text (the requirement's description followed by its
//!   statements' descriptions).
//! - `assessment-results`: a scan item with one finding per `results[].findings[]`.

use super::detect::Probe;
use super::finding::{NewFinding, at, dedupe_ids, severity_word, text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::{Catalog, Control};
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{FindingStatus, Scan};
use crate::model::{Kind, slugify};
use serde::Deserialize;

/// The document: exactly one of the roots is present in a valid file.
#[derive(Deserialize)]
struct Doc {
    catalog: Option<OscalCatalog>,
    profile: Option<Profile>,
    #[serde(rename = "component-definition")]
    component_definition: Option<ComponentDefinition>,
    #[serde(rename = "assessment-results")]
    assessment_results: Option<AssessmentResults>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: Option<String>,
    version: Option<String>,
    oscal_version: Option<String>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    href: String,
    rel: Option<String>,
}

#[derive(Deserialize)]
struct OscalCatalog {
    metadata: Metadata,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct Group {
    title: Option<String>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct OscalControl {
    id: String,
    title: Option<String>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<OscalControl>,
}

#[derive(Deserialize)]
struct Part {
    name: Option<String>,
    prose: Option<String>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
}

#[derive(Deserialize)]
struct Prop {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Profile {
    metadata: Metadata,
    #[serde(default)]
    imports: Vec<Import>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Import {
    href: String,
    #[serde(default)]
    include_all: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    include_controls: Vec<Selection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Selection {
    #[serde(default)]
    with_ids: Vec<String>,
}

#[derive(Deserialize)]
struct BackMatter {
    #[serde(default)]
    resources: Vec<Resource>,
}

#[derive(Deserialize)]
struct Resource {
    uuid: String,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    rlinks: Vec<Rlink>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    media_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ComponentDefinition {
    metadata: Metadata,
    #[serde(default)]
    components: Vec<Component>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Component {
    title: String,
    #[serde(default)]
    control_implementations: Vec<ControlImplementation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation {
    source: Option<String>,
    #[serde(default)]
    implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ImplementedRequirement {
    control_id: String,
    description: Option<String>,
    #[serde(default)]
    statements: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    description: Option<String>,
}

#[derive(Deserialize)]
struct AssessmentResults {
    metadata: Metadata,
    #[serde(default)]
    results: Vec<ArResult>,
}

#[derive(Deserialize)]
struct ArResult {
    start: Option<String>,
    end: Option<String>,
    #[serde(default)]
    risks: Vec<Risk>,
    #[serde(default)]
    findings: Vec<ArFinding>,
}

#[derive(Deserialize)]
struct Risk {
    uuid: String,
    #[serde(default)]
    characterizations: Vec<Characterization>,
}

#[derive(Deserialize)]
struct Characterization {
    #[serde(default)]
    facets: Vec<Facet>,
}

#[derive(Deserialize)]
struct Facet {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ArFinding {
    uuid: Option<String>,
    title: Option<String>,
    target: Target,
    #[serde(default)]
    related_risks: Vec<RelatedRisk>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    target_id: String,
    status: TargetStatus,
}

#[derive(Deserialize)]
struct TargetStatus {
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

/// An OSCAL document has one of the model roots at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    [
        "catalog",
        "profile",
        "component-definition",
        "assessment-results",
    ]
    .iter()
    .any(|k| p.has(k))
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::Oscal, text, rel)?;
    if let Some(c) = doc.catalog {
        Ok(catalog(&c))
    } else if let Some(p) = doc.profile {
        Ok(profile(&p))
    } else if let Some(c) = doc.component_definition {
        Ok(component_definition(&c))
    } else if let Some(a) = doc.assessment_results {
        Ok(assessment_results(&a))
    } else {
        Err(vec![
            Diagnostic::error(
                "E0210",
                rel,
                "not a valid OSCAL JSON report: its model root is null",
            )
            .with_help(
                "give `catalog`, `profile`, `component-definition` or `assessment-results` an object, or add the file to `ignore`",
            ),
        ])
    }
}

/// The date part of an OSCAL date-time (`2024-02-13T17:43:40Z`).
fn date_of(s: Option<&str>) -> Option<jiff::civil::Date> {
    s?.get(..10)?.parse().ok()
}

/// `MODEL, version V (OSCAL X)` from the metadata.
fn describe(model: &str, m: &Metadata) -> String {
    let mut s = format!("OSCAL {model}");
    if let Some(v) = m.version.as_deref().filter(|v| !v.trim().is_empty()) {
        s.push_str(&format!(", version {}", v.trim()));
    }
    if let Some(v) = m.oscal_version.as_deref().filter(|v| !v.trim().is_empty()) {
        s.push_str(&format!(" (OSCAL {})", v.trim()));
    }
    s
}

fn catalog_report(m: &Metadata, source: String, controls: Vec<Control>) -> Report {
    Report {
        kind: Kind::Catalog,
        title: m.title.trim().to_owned(),
        updated: date_of(m.last_modified.as_deref()),
        body: Body::Catalog(Catalog {
            source: Some(at(source, "source")),
            license: None,
            controls,
        }),
    }
}

fn catalog(c: &OscalCatalog) -> Report {
    let mut controls = Vec::new();
    for (i, ctl) in c.controls.iter().enumerate() {
        walk_controls(ctl, None, &format!("catalog.controls[{i}]"), &mut controls);
    }
    for (i, g) in c.groups.iter().enumerate() {
        walk_group(g, None, &format!("catalog.groups[{i}]"), &mut controls);
    }
    let mut source = describe("catalog", &c.metadata);
    if let Some(l) = c
        .metadata
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("source-profile"))
    {
        source.push_str(&format!(", resolved from profile {}", l.href));
    }
    catalog_report(&c.metadata, source, controls)
}

/// A group's controls take its title as their family; a nested group without a title
/// keeps its parent's.
fn walk_group(g: &Group, family: Option<&str>, path: &str, out: &mut Vec<Control>) {
    let family = g
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or(family);
    for (i, ctl) in g.controls.iter().enumerate() {
        walk_controls(ctl, family, &format!("{path}.controls[{i}]"), out);
    }
    for (i, sub) in g.groups.iter().enumerate() {
        walk_group(sub, family, &format!("{path}.groups[{i}]"), out);
    }
}

fn walk_controls(c: &OscalControl, family: Option<&str>, path: &str, out: &mut Vec<Control>) {
    let mut prose = Vec::new();
    for p in c
        .parts
        .iter()
        .filter(|p| p.name.as_deref() == Some("statement"))
    {
        flatten(p, &mut prose);
    }
    let description = prose.join(" ");
    out.push(Control {
        id: at(c.id.trim().to_owned(), format!("{path}.id")),
        title: text(c.title.as_deref(), &format!("{path}.title")),
        description: text(Some(&description), &format!("{path}.parts")),
        family: text(family, &format!("{path}.family")),
    });
    for (i, sub) in c.controls.iter().enumerate() {
        walk_controls(sub, family, &format!("{path}.controls[{i}]"), out);
    }
}

/// A part's label and prose, then its sub-parts', in document order.
fn flatten(p: &Part, out: &mut Vec<String>) {
    let label = p
        .props
        .iter()
        .find(|x| x.name == "label")
        .map(|x| x.value.trim())
        .filter(|l| !l.is_empty());
    let prose = p.prose.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (label, prose) {
        (Some(l), Some(t)) => out.push(format!("{l} {t}")),
        (Some(l), None) => out.push(l.to_owned()),
        (None, Some(t)) => out.push(t.to_owned()),
        (None, None) => {}
    }
    for sub in &p.parts {
        flatten(sub, out);
    }
}

/// What an href names: a `#uuid` fragment is looked up in the back-matter (its title or
/// description, and the JSON rlink if any); anything else is kept as written.
fn resolve_href(href: &str, back: Option<&BackMatter>) -> String {
    let Some(uuid) = href.strip_prefix('#') else {
        return href.to_owned();
    };
    let Some(r) = back.and_then(|b| b.resources.iter().find(|r| r.uuid == uuid)) else {
        return href.to_owned();
    };
    let name = r
        .title
        .as_deref()
        .or(r.description.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let link = r
        .rlinks
        .iter()
        .find(|l| l.media_type.as_deref().is_some_and(|m| m.ends_with("json")))
        .or_else(|| r.rlinks.first())
        .map(|l| l.href.as_str());
    match (name, link) {
        (Some(n), Some(l)) => format!("{n} ({l})"),
        (Some(n), None) => n.to_owned(),
        (None, Some(l)) => l.to_owned(),
        (None, None) => href.to_owned(),
    }
}

fn profile(p: &Profile) -> Report {
    let mut seen = std::collections::HashSet::new();
    let mut controls = Vec::new();
    let mut imports = Vec::new();
    for (i, imp) in p.imports.iter().enumerate() {
        let mut what = resolve_href(&imp.href, p.back_matter.as_ref());
        if imp.include_all.is_some() {
            what.push_str(" (all controls)");
        }
        imports.push(what);
        for (j, sel) in imp.include_controls.iter().enumerate() {
            for (k, id) in sel.with_ids.iter().enumerate() {
                let id = id.trim();
                if id.is_empty() || !seen.insert(id.to_owned()) {
                    continue;
                }
                let path = format!("profile.imports[{i}].include-controls[{j}].with-ids[{k}]");
                controls.push(Control {
                    id: at(id.to_owned(), path.clone()),
                    title: Some(at(id.to_owned(), path.clone())),
                    description: None,
                    family: Some(at("profile".to_owned(), path)),
                });
            }
        }
    }
    let mut source = describe("profile", &p.metadata);
    if !imports.is_empty() {
        source.push_str(&format!("; imports {}", imports.join(", ")));
    }
    catalog_report(&p.metadata, source, controls)
}

/// One control being gathered from the implementations of every component.
struct Implemented {
    id: String,
    path: String,
    components: Vec<String>,
    texts: Vec<(String, String)>,
}

fn component_definition(c: &ComponentDefinition) -> Report {
    let mut order: Vec<Implemented> = Vec::new();
    let mut index = std::collections::HashMap::<String, usize>::new();
    let mut sources = Vec::new();
    for (i, comp) in c.components.iter().enumerate() {
        let name = comp.title.trim().to_owned();
        for (j, ci) in comp.control_implementations.iter().enumerate() {
            if let Some(s) = ci.source.as_deref() {
                let s = resolve_href(s, c.back_matter.as_ref());
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            for (k, req) in ci.implemented_requirements.iter().enumerate() {
                let id = req.control_id.trim().to_owned();
                let desc: Vec<&str> = req
                    .description
                    .iter()
                    .chain(req.statements.iter().filter_map(|s| s.description.as_ref()))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                let slot = *index.entry(id.clone()).or_insert_with(|| {
                    order.push(Implemented {
                        id: id.clone(),
                        path: format!(
                            "component-definition.components[{i}].control-implementations[{j}].implemented-requirements[{k}]"
                        ),
                        components: Vec::new(),
                        texts: Vec::new(),
                    });
                    order.len() - 1
                });
                let entry = &mut order[slot];
                if !entry.components.contains(&name) {
                    entry.components.push(name.clone());
                }
                if !desc.is_empty() {
                    entry.texts.push((name.clone(), desc.join(" ")));
                }
            }
        }
    }
    let controls = order
        .into_iter()
        .map(|x| {
            let comps = x.components.join(", ");
            let description = match x.texts.as_slice() {
                [(_, t)] => t.clone(),
                many => many
                    .iter()
                    .map(|(c, t)| format!("{c}: {t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let p = |f: &str| format!("{}.{f}", x.path);
            Control {
                title: text(Some(&format!("{comps}: {}", x.id)), &p("title")),
                description: text(Some(&description), &p("description")),
                family: text(Some(&comps), &p("family")),
                id: at(x.id, p("control-id")),
            }
        })
        .collect();
    let mut source = describe("component-definition", &c.metadata);
    if !sources.is_empty() {
        source.push_str(&format!("; implements {}", sources.join(", ")));
    }
    catalog_report(&c.metadata, source, controls)
}

/// One finding per `results[].findings[]`:
/// - id: the first 8 characters of its uuid (made unique), else its title's slug;
/// - rule and location: the target's `target-id` (the objective or control assessed);
/// - status: `satisfied` is fixed, `not-satisfied` (or anything else) open;
/// - severity: the highest `severity`, `impact` or `likelihood` facet of the risks it
///   relates to (a judgement call: the highest overstates a likely-but-minor risk, which
///   errs on the side of review); without such facets, medium when not satisfied and
///   info when satisfied.
fn assessment_results(a: &AssessmentResults) -> Report {
    let mut findings = Vec::new();
    for (i, r) in a.results.iter().enumerate() {
        for (j, f) in r.findings.iter().enumerate() {
            let satisfied = f.target.status.state.trim() == "satisfied";
            let facet_severity = f
                .related_risks
                .iter()
                .filter_map(|rr| r.risks.iter().find(|x| x.uuid == rr.risk_uuid))
                .flat_map(|x| x.characterizations.iter())
                .flat_map(|c| c.facets.iter())
                .filter(|x| {
                    matches!(
                        x.name.trim().to_ascii_lowercase().as_str(),
                        "severity" | "impact" | "likelihood"
                    )
                })
                .filter_map(|x| severity_word(&x.value))
                .max_by_key(|s| s.rank());
            let id = f
                .uuid
                .as_deref()
                .map(|u| u.trim().chars().take(8).collect::<String>())
                .filter(|u| !u.is_empty())
                .or_else(|| f.title.as_deref().map(slugify))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("finding-{}", findings.len() + 1));
            let target = f.target.target_id.trim().to_owned();
            findings.push(
                NewFinding {
                    id,
                    rule: Some(target.clone()),
                    severity: Some(facet_severity.unwrap_or(if satisfied {
                        Severity::Info
                    } else {
                        Severity::Medium
                    })),
                    title: f.title.clone(),
                    location: Some(target),
                    status: Some(if satisfied {
                        FindingStatus::Fixed
                    } else {
                        FindingStatus::Open
                    }),
                    ..NewFinding::default()
                }
                .build(&format!("assessment-results.results[{i}].findings[{j}]")),
            );
        }
    }
    dedupe_ids(&mut findings);
    let scanned = a
        .results
        .first()
        .and_then(|r| date_of(r.end.as_deref()).or_else(|| date_of(r.start.as_deref())));
    Report {
        kind: Kind::Scan,
        title: a.metadata.title.trim().to_owned(),
        updated: scanned.or_else(|| date_of(a.metadata.last_modified.as_deref())),
        body: Body::Scan(Scan {
            rules: Vec::new(),
            tool: Some(at("OSCAL assessment-results".to_owned(), "tool")),
            target: None,
            scanned: scanned.map(|d| at(d, "assessment-results.results[0].end")),
            report: None,
            findings,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect;

    fn controls(r: &Report) -> &[Control] {
        let Body::Catalog(c) = &r.body else {
            panic!("not a catalog")
        };
        &c.controls
    }

    #[test]
    fn detects_each_model_root() {
        for root in [
            "catalog",
            "profile",
            "component-definition",
            "assessment-results",
        ] {
            let text = format!(r#"{{"{root}": {{}}}}"#);
            assert_eq!(detect(&text), Some(Format::Oscal), "{root}");
        }
        assert_eq!(detect(r#"{"system-security-plan": {}}"#), None);
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
}
