//! OSCAL JSON (NIST's Open Security Controls Assessment Language, 1.x): catalogs (and
//! resolved-profile catalogs), profiles, component definitions, system security plans,
//! assessment plans, assessment results and plans of action and milestones.
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
//! - `system-security-plan`: a catalog item of control implementations, the same shape
//!   as a component definition's (see [`system_security_plan`]).
//! - `assessment-plan`: a catalog item of the controls it reviews, with its tasks in the
//!   source; no findings (see [`assessment_plan`]).
//! - `assessment-results`: a scan item with one finding per `results[].findings[]`.
//! - `plan-of-action-and-milestones`: a scan item with one finding per `poam-items[]`,
//!   its status from the risks it relates to (see [`poam`]).

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
    #[serde(rename = "system-security-plan")]
    system_security_plan: Option<Ssp>,
    #[serde(rename = "assessment-plan")]
    assessment_plan: Option<AssessmentPlan>,
    #[serde(rename = "plan-of-action-and-milestones")]
    poam: Option<Poam>,
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
    title: Option<String>,
    /// open, investigating, remediating, deviation-requested, deviation-approved, closed.
    status: Option<String>,
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

#[derive(Deserialize)]
struct Href {
    href: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Ssp {
    metadata: Metadata,
    import_profile: Option<Href>,
    system_characteristics: Option<SystemCharacteristics>,
    system_implementation: Option<SystemImplementation>,
    control_implementation: SspControlImplementation,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SystemCharacteristics {
    system_name: Option<String>,
}

#[derive(Deserialize)]
struct SystemImplementation {
    #[serde(default)]
    components: Vec<SspComponent>,
}

#[derive(Deserialize)]
struct SspComponent {
    uuid: String,
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspControlImplementation {
    #[serde(default)]
    implemented_requirements: Vec<SspRequirement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspRequirement {
    control_id: String,
    #[serde(default)]
    by_components: Vec<ByComponent>,
    #[serde(default)]
    statements: Vec<SspStatement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspStatement {
    statement_id: Option<String>,
    #[serde(default)]
    by_components: Vec<ByComponent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ByComponent {
    component_uuid: String,
    description: Option<String>,
    implementation_status: Option<ImplementationStatus>,
}

#[derive(Deserialize)]
struct ImplementationStatus {
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentPlan {
    metadata: Metadata,
    import_ssp: Option<Href>,
    reviewed_controls: Option<ReviewedControls>,
    #[serde(default)]
    tasks: Vec<Task>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    #[serde(default)]
    control_selections: Vec<ControlSelection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    #[serde(default)]
    include_all: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    include_controls: Vec<SelectControl>,
    #[serde(default)]
    exclude_controls: Vec<SelectControl>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
    #[serde(default)]
    statement_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Task {
    title: String,
    timing: Option<Timing>,
    #[serde(default)]
    tasks: Vec<Task>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Timing {
    on_date: Option<OnDate>,
    within_date_range: Option<DateRange>,
}

#[derive(Deserialize)]
struct OnDate {
    date: String,
}

#[derive(Deserialize)]
struct DateRange {
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Poam {
    metadata: Metadata,
    system_id: Option<SystemId>,
    #[serde(default)]
    risks: Vec<Risk>,
    #[serde(default)]
    findings: Vec<PoamFinding>,
    #[serde(default)]
    poam_items: Vec<PoamItem>,
}

#[derive(Deserialize)]
struct SystemId {
    id: String,
}

#[derive(Deserialize)]
struct PoamFinding {
    uuid: String,
    target: Option<PoamTarget>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PoamTarget {
    target_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    related_risks: Vec<RelatedRisk>,
    #[serde(default)]
    related_findings: Vec<RelatedFinding>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedFinding {
    finding_uuid: String,
}

/// The model roots this importer reads.
const ROOTS: &[&str] = &[
    "catalog",
    "profile",
    "component-definition",
    "assessment-results",
    "system-security-plan",
    "assessment-plan",
    "plan-of-action-and-milestones",
];

/// An OSCAL document has one of the model roots at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    ROOTS.iter().any(|k| p.has(k))
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
    } else if let Some(s) = doc.system_security_plan {
        Ok(system_security_plan(&s))
    } else if let Some(a) = doc.assessment_plan {
        Ok(assessment_plan(&a))
    } else if let Some(p) = doc.poam {
        Ok(poam(&p))
    } else {
        Err(vec![
            Diagnostic::error(
                "E0210",
                rel,
                "not a valid OSCAL JSON report: its model root is null",
            )
            .with_help(
                "give the model root (`catalog`, `system-security-plan`, `plan-of-action-and-milestones`, ...) an object, or add the file to `ignore`",
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
            version: None,
            url: None,
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
        maps: Vec::new(),
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
                    maps: Vec::new(),
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

/// Control implementations gathered in first-seen order, one control per id.
#[derive(Default)]
struct Gathered {
    order: Vec<Implemented>,
    index: std::collections::HashMap<String, usize>,
}

impl Gathered {
    /// Records that `component` implements control `id` with `text` (empty: no text).
    fn add(&mut self, id: &str, path: String, component: &str, text: String) {
        let slot = match self.index.get(id) {
            Some(&i) => i,
            None => {
                self.order.push(Implemented {
                    id: id.to_owned(),
                    path,
                    components: Vec::new(),
                    texts: Vec::new(),
                });
                self.index.insert(id.to_owned(), self.order.len() - 1);
                self.order.len() - 1
            }
        };
        let entry = &mut self.order[slot];
        if !entry.components.iter().any(|c| c == component) {
            entry.components.push(component.to_owned());
        }
        if !text.is_empty() {
            entry.texts.push((component.to_owned(), text));
        }
    }

    /// The controls: titled and grouped by the components that implement them, described
    /// by their implementation texts (each prefixed by its component when several).
    fn controls(self) -> Vec<Control> {
        self.order
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
                    maps: Vec::new(),
                    id: at(x.id, p("control-id")),
                }
            })
            .collect()
    }
}

fn component_definition(c: &ComponentDefinition) -> Report {
    let mut gathered = Gathered::default();
    let mut sources = Vec::new();
    for (i, comp) in c.components.iter().enumerate() {
        let name = comp.title.trim();
        for (j, ci) in comp.control_implementations.iter().enumerate() {
            if let Some(s) = ci.source.as_deref() {
                let s = resolve_href(s, c.back_matter.as_ref());
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            for (k, req) in ci.implemented_requirements.iter().enumerate() {
                let desc: Vec<&str> = req
                    .description
                    .iter()
                    .chain(req.statements.iter().filter_map(|s| s.description.as_ref()))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                gathered.add(
                    req.control_id.trim(),
                    format!(
                        "component-definition.components[{i}].control-implementations[{j}].implemented-requirements[{k}]"
                    ),
                    name,
                    desc.join(" "),
                );
            }
        }
    }
    let mut source = describe("component-definition", &c.metadata);
    if !sources.is_empty() {
        source.push_str(&format!("; implements {}", sources.join(", ")));
    }
    catalog_report(&c.metadata, source, gathered.controls())
}

/// A system security plan: like a component definition, one control per
/// implemented requirement, implemented by the components its `by-components` name
/// (requirement-wide and per statement), each component's uuid resolved to its title in
/// `system-implementation.components`. A requirement no component claims is implemented
/// by the system itself (its `system-name`). The description joins the requirement-wide
/// texts, then each statement's as `STATEMENT-ID: text`; an implementation-status other
/// than `implemented` follows in brackets.
fn system_security_plan(s: &Ssp) -> Report {
    let system = s
        .system_characteristics
        .as_ref()
        .and_then(|c| c.system_name.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("the system");
    let component = |uuid: &str| -> String {
        s.system_implementation
            .as_ref()
            .and_then(|i| i.components.iter().find(|c| c.uuid == uuid))
            .and_then(|c| c.title.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map_or_else(|| format!("component {}", short(uuid)), str::to_owned)
    };
    let said = |b: &ByComponent| -> String {
        let mut t = b
            .description
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_owned();
        if let Some(state) = b
            .implementation_status
            .as_ref()
            .map(|x| x.state.trim())
            .filter(|x| !x.is_empty() && *x != "implemented")
        {
            t = if t.is_empty() {
                format!("({state})")
            } else {
                format!("{t} ({state})")
            };
        }
        t
    };
    let mut gathered = Gathered::default();
    for (i, req) in s
        .control_implementation
        .implemented_requirements
        .iter()
        .enumerate()
    {
        let path =
            format!("system-security-plan.control-implementation.implemented-requirements[{i}]");
        // Component name -> its texts, in first-written order.
        let mut by: Vec<(String, Vec<String>)> = Vec::new();
        let mut push = |uuid: &str, t: String| {
            let name = component(uuid);
            match by.iter_mut().find(|(n, _)| *n == name) {
                Some((_, ts)) => ts.push(t),
                None => by.push((name, vec![t])),
            }
        };
        for b in &req.by_components {
            push(&b.component_uuid, said(b));
        }
        for st in &req.statements {
            for b in &st.by_components {
                let t = said(b);
                let t = match st.statement_id.as_deref().map(str::trim) {
                    Some(id) if !id.is_empty() && !t.is_empty() => format!("{id}: {t}"),
                    _ => t,
                };
                push(&b.component_uuid, t);
            }
        }
        if by.is_empty() {
            by.push((system.to_owned(), Vec::new()));
        }
        for (name, texts) in by {
            let texts: Vec<String> = texts.into_iter().filter(|t| !t.is_empty()).collect();
            gathered.add(req.control_id.trim(), path.clone(), &name, texts.join(" "));
        }
    }
    let mut source = describe("system-security-plan", &s.metadata);
    source.push_str(&format!(" of {system}"));
    if let Some(p) = &s.import_profile {
        source.push_str(&format!(
            "; implements {}",
            resolve_href(&p.href, s.back_matter.as_ref())
        ));
    }
    catalog_report(&s.metadata, source, gathered.controls())
}

/// The first 8 characters of a uuid, enough to tell items apart on a page.
fn short(uuid: &str) -> String {
    uuid.trim().chars().take(8).collect()
}

/// An assessment plan plans work and reports no findings: a catalog item whose controls
/// are the controls it reviews (`reviewed-controls.control-selections[].include-controls`,
/// each titled by its id, described by the statements it names, family `assessment
/// plan`), so a packet can cite what the plan covers. Its source names the SSP it
/// assesses, an `include-all` selection, the excluded controls and the tasks (sub-tasks
/// flattened) with their dates.
fn assessment_plan(a: &AssessmentPlan) -> Report {
    let mut controls = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut all = false;
    let mut excluded = Vec::new();
    let selections = a
        .reviewed_controls
        .as_ref()
        .map(|r| r.control_selections.as_slice())
        .unwrap_or_default();
    for (i, sel) in selections.iter().enumerate() {
        all |= sel.include_all.is_some();
        for x in &sel.exclude_controls {
            excluded.push(x.control_id.trim().to_owned());
        }
        for (j, c) in sel.include_controls.iter().enumerate() {
            let id = c.control_id.trim();
            if id.is_empty() || !seen.insert(id.to_owned()) {
                continue;
            }
            let path = format!(
                "assessment-plan.reviewed-controls.control-selections[{i}].include-controls[{j}]"
            );
            let statements: Vec<&str> = c
                .statement_ids
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            let description =
                (!statements.is_empty()).then(|| format!("Statements {}", statements.join(", ")));
            controls.push(Control {
                id: at(id.to_owned(), format!("{path}.control-id")),
                title: text(Some(id), &format!("{path}.control-id")),
                description: text(description.as_deref(), &format!("{path}.statement-ids")),
                family: text(Some("assessment plan"), &path),
                maps: Vec::new(),
            });
        }
    }
    let mut source = describe("assessment-plan", &a.metadata);
    if let Some(ssp) = &a.import_ssp {
        source.push_str(&format!(
            "; assesses {}",
            resolve_href(&ssp.href, a.back_matter.as_ref())
        ));
    }
    if all {
        source.push_str("; reviews all controls");
    }
    if !excluded.is_empty() {
        source.push_str(&format!(" except {}", excluded.join(", ")));
    }
    let mut tasks = Vec::new();
    for t in &a.tasks {
        describe_task(t, &mut tasks);
    }
    if !tasks.is_empty() {
        source.push_str(&format!("; tasks: {}", tasks.join("; ")));
    }
    catalog_report(&a.metadata, source, controls)
}

/// A task as `TITLE (DATE)` or `TITLE (START to END)`, then its sub-tasks.
fn describe_task(t: &Task, out: &mut Vec<String>) {
    let day = |s: &str| s.get(..10).unwrap_or(s).to_owned();
    let when = t.timing.as_ref().and_then(|x| {
        x.on_date.as_ref().map(|d| day(&d.date)).or_else(|| {
            x.within_date_range
                .as_ref()
                .map(|r| format!("{} to {}", day(&r.start), day(&r.end)))
        })
    });
    let title = t.title.trim();
    out.push(match when {
        Some(w) => format!("{title} ({w})"),
        None => title.to_owned(),
    });
    for sub in &t.tasks {
        describe_task(sub, out);
    }
}

/// The highest `severity`, `impact` or `likelihood` facet of some risks (a judgement
/// call: the highest overstates a likely-but-minor risk, which errs on the side of
/// review).
fn facet_severity<'r>(risks: impl Iterator<Item = &'r Risk>) -> Option<Severity> {
    risks
        .flat_map(|x| x.characterizations.iter())
        .flat_map(|c| c.facets.iter())
        .filter(|x| {
            matches!(
                x.name.trim().to_ascii_lowercase().as_str(),
                "severity" | "impact" | "likelihood"
            )
        })
        .filter_map(|x| severity_word(&x.value))
        .max_by_key(|s| s.rank())
}

/// One finding per `poam-items[]`:
/// - id: the first 8 characters of its uuid (made unique), else its title's slug;
/// - title: its title, else its description;
/// - rule and location: the `target-id` of the first related finding that has one
///   (the control or objective the weakness is against), else the location is the
///   system id;
/// - status, from the risks it relates to (the least settled wins): any `open`,
///   `investigating`, `remediating` or `deviation-requested` risk keeps it open; else a
///   `deviation-approved` risk suppresses it (justified by the risk); only when every
///   risk is `closed` is it fixed. An item with no related risk is open: a POA&M lists
///   weaknesses still to address;
/// - severity: the highest severity, impact or likelihood facet of those risks, else
///   medium when open and info otherwise.
fn poam(p: &Poam) -> Report {
    let system = p
        .system_id
        .as_ref()
        .map(|s| s.id.trim())
        .filter(|s| !s.is_empty());
    let mut findings = Vec::new();
    for (i, item) in p.poam_items.iter().enumerate() {
        let risks: Vec<&Risk> = item
            .related_risks
            .iter()
            .filter_map(|rr| p.risks.iter().find(|x| x.uuid == rr.risk_uuid))
            .collect();
        let states: Vec<String> = risks
            .iter()
            .map(|r| {
                r.status
                    .as_deref()
                    .unwrap_or("open")
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let (status, justification) = if states.is_empty()
            || states
                .iter()
                .any(|s| s != "closed" && s != "deviation-approved")
        {
            (FindingStatus::Open, None)
        } else if let Some(r) = risks
            .iter()
            .zip(&states)
            .find(|(_, s)| *s == "deviation-approved")
        {
            let why = match r
                .0
                .title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                Some(t) => format!("deviation approved for risk: {t}"),
                None => "deviation approved".to_owned(),
            };
            (FindingStatus::Suppressed, Some(why))
        } else {
            (FindingStatus::Fixed, None)
        };
        let target = item
            .related_findings
            .iter()
            .filter_map(|rf| p.findings.iter().find(|f| f.uuid == rf.finding_uuid))
            .filter_map(|f| f.target.as_ref())
            .map(|t| t.target_id.trim())
            .find(|t| !t.is_empty());
        let title = [item.title.as_deref(), item.description.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|t| !t.is_empty());
        let id = item
            .uuid
            .as_deref()
            .map(short)
            .filter(|u| !u.is_empty())
            .or_else(|| title.map(slugify))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("poam-{}", i + 1));
        let open = status == FindingStatus::Open;
        findings.push(
            NewFinding {
                id,
                rule: target.map(str::to_owned),
                severity: Some(facet_severity(risks.iter().copied()).unwrap_or(if open {
                    Severity::Medium
                } else {
                    Severity::Info
                })),
                title: title.map(str::to_owned),
                location: target.or(system).map(str::to_owned),
                status: Some(status),
                justification,
                ..NewFinding::default()
            }
            .build(&format!("plan-of-action-and-milestones.poam-items[{i}]")),
        );
    }
    dedupe_ids(&mut findings);
    let updated = date_of(p.metadata.last_modified.as_deref());
    Report {
        kind: Kind::Scan,
        title: p.metadata.title.trim().to_owned(),
        updated,
        body: Body::Scan(Scan {
            rules: Vec::new(),
            tool: Some(at("OSCAL plan-of-action-and-milestones".to_owned(), "tool")),
            target: system.map(|s| at(s.to_owned(), "plan-of-action-and-milestones.system-id")),
            scanned: None,
            report: None,
            findings,
        }),
    }
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
            let facet_severity = facet_severity(
                f.related_risks
                    .iter()
                    .filter_map(|rr| r.risks.iter().find(|x| x.uuid == rr.risk_uuid)),
            );
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
}
