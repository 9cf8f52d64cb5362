//! CycloneDX JSON (specVersion 1.4 to 1.7): one sbom item per bill, with a component for
//! every entry of `components` (nested `components[].components` included, depth first)
//! and a finding for every entry of `vulnerabilities` (a VEX document is a bill whose
//! main content is vulnerabilities with an `analysis`).
//!
//! Schema: <https://cyclonedx.org/schema/bom-1.6.schema.json> (and 1.4, 1.5, 1.7).
//! Mapping notes:
//! - `metadata.tools` is an array of tools in 1.4 and (usually) an object
//!   `{components, services}` in 1.5+; both are read. The tool is `name version` of each.
//! - `metadata.component` is the subject; its `bom-ref` may be the target of `affects`.
//! - A component's name is `group/name` when it has a group (the purl's namespace
//!   notation); its id is its `bom-ref`, else `name@version`, made unique by suffixes.
//! - Licences: `licenses[].license.id`, else `.name`, or `licenses[].expression`.
//! - Severity: the highest of the ratings, each rating's `severity` word, else its
//!   `score` by the CVSS bands; the highest score is kept with its `method`.
//! - VEX `analysis.state` onto status: `not_affected` -> not-affected, `false_positive`
//!   -> not-affected (with "false positive" as justification when none is given),
//!   `resolved` and `resolved_with_pedigree` -> fixed, `exploitable` and `in_triage` (and
//!   any other word) -> open. The justification and the detail become the finding's
//!   justification; the state and the responses are kept as written.
//! - `affects[].ref` -> the component with that `bom-ref` (location `name@version`); a
//!   ref that names no component is kept as written. The first `affects[].versions[]`
//!   with status `unaffected` is the fixed version.
//! - Fix information: `recommendation`, and `advisories[].url`, `references[]` and
//!   `source.url` as references.

use super::common::ids::Suffixes;
use super::common::location::versioned;
use super::common::text::{add_reference, date_prefix, opt};
use super::detect::Probe;
use super::finding::{
    NewFinding, Shared, at, headline, severity_score, severity_word, text, unique_finding_ids,
};
use super::{Format, Report, parse_borrowed};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::common::Severity;
use crate::model::kinds::sbom::{Component, Sbom, SbomFinding};
use crate::model::kinds::scan::{FindingStatus, SeverityKey};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
struct Bom {
    #[serde(rename = "specVersion")]
    spec_version: Option<String>,
    metadata: Option<Metadata>,
    components: Option<Vec<CdxComponent>>,
    vulnerabilities: Option<Vec<Vulnerability>>,
}

#[derive(Deserialize)]
struct Metadata {
    timestamp: Option<String>,
    tools: Option<Tools>,
    component: Option<CdxComponent>,
}

/// `metadata.tools`: an array (1.4, still allowed later) or `{components, services}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Tools {
    List(Vec<Tool>),
    Object {
        components: Option<Vec<Tool>>,
        services: Option<Vec<Tool>>,
    },
}

#[derive(Deserialize)]
struct Tool {
    vendor: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
struct CdxComponent {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    group: Option<String>,
    name: String,
    version: Option<String>,
    purl: Option<String>,
    licenses: Option<Vec<LicenseChoice>>,
    supplier: Option<Organization>,
    publisher: Option<String>,
    components: Option<Vec<CdxComponent>>,
}

#[derive(Deserialize)]
struct Organization {
    name: Option<String>,
}

#[derive(Deserialize)]
struct LicenseChoice {
    license: Option<License>,
    expression: Option<String>,
}

#[derive(Deserialize)]
struct License {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Vulnerability {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    id: Option<String>,
    source: Option<Source>,
    references: Option<Vec<Reference>>,
    ratings: Option<Vec<Rating>>,
    description: Option<String>,
    detail: Option<String>,
    recommendation: Option<String>,
    advisories: Option<Vec<Advisory>>,
    analysis: Option<Analysis>,
    affects: Option<Vec<Affect>>,
}

#[derive(Deserialize)]
struct Source {
    url: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    id: Option<String>,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Rating {
    score: Option<f64>,
    severity: Option<String>,
    method: Option<String>,
}

#[derive(Deserialize)]
struct Advisory {
    url: Option<String>,
}

#[derive(Deserialize)]
struct Analysis {
    state: Option<String>,
    justification: Option<String>,
    response: Option<Vec<String>>,
    detail: Option<String>,
}

#[derive(Deserialize)]
struct Affect {
    #[serde(rename = "ref")]
    target: String,
    versions: Option<Vec<AffectedVersion>>,
}

#[derive(Deserialize)]
struct AffectedVersion {
    version: Option<String>,
    status: Option<String>,
}

/// A CycloneDX bill has `bomFormat` and `specVersion` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("bomFormat") && p.has("specVersion")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let bom: Bom = parse_borrowed(Format::CycloneDx, text, rel)?;
    let metadata = bom.metadata;
    let updated = metadata
        .as_ref()
        .and_then(|m| opt(&m.timestamp))
        .and_then(date_prefix);
    let tool = metadata
        .as_ref()
        .and_then(|m| m.tools.as_ref())
        .and_then(tools);
    let subject_component = metadata.and_then(|m| m.component);

    let mut components = Vec::new();
    // bom-ref -> (component id, label) for `affects`.
    let mut refs: HashMap<String, (String, String)> = HashMap::new();
    let list = bom.components.unwrap_or_default();
    let mut written = Vec::new();
    component_ids(&list, &mut written);
    let mut taken = Suffixes::written(written);
    flatten(list, "components", &mut components, &mut refs, &mut taken);
    let subject = subject_component.map(|c| {
        let label = label(&c);
        if let Some(r) = opt(&c.bom_ref) {
            refs.entry(r.to_owned())
                .or_insert_with(|| (r.to_owned(), label.clone()));
        }
        label
    });

    let mut shared = Shared::default();
    let list = shared.text("vulnerabilities");
    let mut findings: Vec<SbomFinding> = bom
        .vulnerabilities
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, v)| vulnerability(v, i, &refs, &list, &mut shared))
        .collect();
    unique_finding_ids(findings.iter_mut().map(|f| &mut f.finding.id));

    let spec = opt(&bom.spec_version).map(str::to_owned);
    let what = match &subject {
        Some(s) => format!(" of {s}"),
        None => String::new(),
    };
    let title = format!(
        "CycloneDX {}SBOM{what} ({} components, {} vulnerabilities)",
        spec.as_deref().map(|s| format!("{s} ")).unwrap_or_default(),
        components.len(),
        findings.len()
    );
    Ok(Report {
        kind: Kind::Sbom,
        title,
        updated,
        body: Body::Sbom(Sbom {
            tool: tool.map(|t| at(t, "metadata.tools")),
            format: Some(at("CycloneDX".to_owned(), "bomFormat")),
            spec_version: spec.map(|s| at(s, "specVersion")),
            subject: subject.map(|s| at(s, "metadata.component")),
            components,
            findings,
        }),
    })
}

/// The tools as `name version`, joined.
fn tools(t: &Tools) -> Option<String> {
    let list: Vec<&Tool> = match t {
        Tools::List(l) => l.iter().collect(),
        Tools::Object {
            components,
            services,
        } => components
            .iter()
            .flatten()
            .chain(services.iter().flatten())
            .collect(),
    };
    let names: Vec<String> = list
        .into_iter()
        .filter_map(|t| {
            let name = opt(&t.name)
                .or(opt(&t.group))
                .or(opt(&t.vendor))?
                .to_owned();
            Some(match opt(&t.version) {
                Some(v) => format!("{name} {v}"),
                None => name,
            })
        })
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// `group/name`, or the name.
fn full_name(c: &CdxComponent) -> String {
    match opt(&c.group) {
        Some(g) => format!("{g}/{}", c.name.trim()),
        None => c.name.trim().to_owned(),
    }
}

/// `name@version`, or the name.
fn label(c: &CdxComponent) -> String {
    versioned(&full_name(c), opt(&c.version))
}

/// The id every component in `list` would have before repeats are numbered (its bom-ref,
/// else its label), nested ones included: what the numbering must step over.
fn component_ids(list: &[CdxComponent], out: &mut Vec<String>) {
    for c in list {
        out.push(opt(&c.bom_ref).map_or_else(|| label(c), str::to_owned));
        if let Some(nested) = &c.components {
            component_ids(nested, out);
        }
    }
}

/// Appends `list` (at `path`) and their nested components, depth first.
fn flatten(
    list: Vec<CdxComponent>,
    path: &str,
    out: &mut Vec<Component>,
    refs: &mut HashMap<String, (String, String)>,
    taken: &mut Suffixes,
) {
    for (i, mut c) in list.into_iter().enumerate() {
        let path = format!("{path}[{i}]");
        let p = |f: &str| format!("{path}.{f}");
        let label = label(&c);
        let base = opt(&c.bom_ref).map_or_else(|| label.clone(), str::to_owned);
        let id = taken.claim(base);
        if let Some(r) = opt(&c.bom_ref) {
            refs.entry(r.to_owned())
                .or_insert_with(|| (id.clone(), label.clone()));
        }
        let licences = c
            .licenses
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(j, l)| {
                let value = l
                    .license
                    .as_ref()
                    .and_then(|x| opt(&x.id).or(opt(&x.name)))
                    .or(opt(&l.expression))?;
                Some(at(value.to_owned(), format!("{path}.licenses[{j}]")))
            })
            .collect();
        let supplier = c
            .supplier
            .as_ref()
            .and_then(|s| opt(&s.name))
            .or(opt(&c.publisher));
        out.push(Component {
            id: at(id, p("bom-ref")),
            name: at(full_name(&c), p("name")),
            version: text(c.version.as_deref(), &p("version")),
            purl: text(c.purl.as_deref(), &p("purl")),
            licences,
            kind: text(c.kind.as_deref(), &p("type")),
            supplier: text(supplier, &p("supplier")),
        });
        let nested = c.components.take().unwrap_or_default();
        flatten(nested, &p("components"), out, refs, taken);
    }
}

/// The highest severity of the ratings, and the highest score with its method.
fn rating(ratings: &[Rating]) -> (Option<Severity>, Option<(f64, Option<String>)>) {
    let mut severity: Option<Severity> = None;
    let mut score: Option<(f64, Option<String>)> = None;
    for r in ratings {
        let s = opt(&r.severity)
            .and_then(severity_word)
            .or_else(|| r.score.map(severity_score));
        if let Some(s) = s
            && severity.is_none_or(|x| s.rank() > x.rank())
        {
            severity = Some(s);
        }
        if let Some(x) = r.score.filter(|x| x.is_finite())
            && score.as_ref().is_none_or(|(best, _)| x > *best)
        {
            score = Some((x, opt(&r.method).map(str::to_owned)));
        }
    }
    (severity, score)
}

/// VEX `analysis.state` as a finding status (`None` is open).
fn status(state: &str) -> Option<FindingStatus> {
    match state {
        "not_affected" | "false_positive" => Some(FindingStatus::NotAffected),
        "resolved" | "resolved_with_pedigree" => Some(FindingStatus::Fixed),
        _ => None,
    }
}

fn vulnerability(
    v: Vulnerability,
    i: usize,
    refs: &HashMap<String, (String, String)>,
    list: &Arc<str>,
    shared: &mut Shared,
) -> SbomFinding {
    let path = format!("vulnerabilities[{i}]");
    let id = opt(&v.id)
        .or(opt(&v.bom_ref))
        .map_or_else(|| format!("vulnerability-{}", i + 1), str::to_owned);
    let affects: Vec<&Affect> = v.affects.iter().flatten().collect();
    let mut affected_ids = Vec::new();
    let mut labels = Vec::new();
    for (j, a) in affects.iter().enumerate() {
        let r = a.target.trim();
        let (cid, label) = refs
            .get(r)
            .cloned()
            .unwrap_or_else(|| (r.to_owned(), r.to_owned()));
        affected_ids.push(at(cid, format!("{path}.affects[{j}].ref")));
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let fixed_version = affects
        .iter()
        .flat_map(|a| a.versions.iter().flatten())
        .find(|x| opt(&x.status) == Some("unaffected"))
        .and_then(|x| opt(&x.version))
        .map(str::to_owned);
    let (severity, score) = rating(v.ratings.as_deref().unwrap_or_default());
    let analysis = v.analysis.as_ref();
    let state = analysis.and_then(|a| opt(&a.state));
    let mut why: Vec<String> = Vec::new();
    if let Some(j) = analysis.and_then(|a| opt(&a.justification)) {
        why.push(j.replace('_', " "));
    } else if state == Some("false_positive") {
        why.push("false positive".to_owned());
    }
    if let Some(d) = analysis.and_then(|a| opt(&a.detail)) {
        why.push(d.to_owned());
    }
    let mut references: Vec<String> = Vec::new();
    let mut add = |r: &str| add_reference(&mut references, &id, r);
    for a in v.advisories.iter().flatten() {
        if let Some(u) = opt(&a.url) {
            add(u);
        }
    }
    for r in v.references.iter().flatten() {
        if let Some(rid) = opt(&r.id) {
            add(rid);
        }
        if let Some(u) = r.source.as_ref().and_then(|s| opt(&s.url)) {
            add(u);
        }
    }
    if let Some(u) = v.source.as_ref().and_then(|s| opt(&s.url)) {
        add(u);
    }
    let location = (!labels.is_empty()).then(|| labels.join(", "));
    let title = opt(&v.description)
        .or(opt(&v.detail))
        .map(headline)
        .or_else(|| location.as_ref().map(|l| format!("{id} in {l}")));
    let finding = NewFinding {
        rule: opt(&v.id).map(str::to_owned),
        severity,
        title,
        location,
        fixed_version,
        references,
        status: state.and_then(status),
        justification: (!why.is_empty()).then(|| why.join(": ")),
        id,
        // A diagnostic about the severity points at the ratings it comes from.
        severity_key: SeverityKey::Ratings,
        line: None,
    }
    .build_shared(list, i, shared);
    let response = analysis
        .and_then(|a| a.response.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, r)| !r.trim().is_empty())
        .map(|(j, r)| {
            at(
                r.trim().to_owned(),
                format!("{path}.analysis.response[{j}]"),
            )
        })
        .collect();
    SbomFinding {
        finding,
        affects: affected_ids,
        score: score
            .as_ref()
            .map(|(s, _)| at(*s, format!("{path}.ratings"))),
        method: score
            .and_then(|(_, m)| m)
            .map(|m| at(m, format!("{path}.ratings"))),
        vex_state: text(state, &format!("{path}.analysis.state")),
        response,
        recommendation: text(opt(&v.recommendation), &format!("{path}.recommendation")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(severity: Option<&str>, score: Option<f64>, method: Option<&str>) -> Rating {
        Rating {
            severity: severity.map(str::to_owned),
            score,
            method: method.map(str::to_owned),
        }
    }

    #[test]
    fn the_highest_rating_wins_and_keeps_its_method() {
        let (sev, score) = rating(&[
            r(Some("medium"), None, None),
            r(Some("low"), Some(9.8), Some("CVSSv31")),
            r(None, Some(7.5), Some("CVSSv2")),
            r(Some("unknown"), None, None),
        ]);
        // A rating's own word counts before its score: low for 9.8, high for 7.5.
        assert_eq!(sev, Some(Severity::High));
        assert_eq!(score, Some((9.8, Some("CVSSv31".to_owned()))));
        assert_eq!(rating(&[]), (None, None));
        assert_eq!(
            rating(&[r(Some("none"), None, None)]).0,
            Some(Severity::Info)
        );
    }

    #[test]
    fn vex_states() {
        assert_eq!(status("not_affected"), Some(FindingStatus::NotAffected));
        assert_eq!(status("false_positive"), Some(FindingStatus::NotAffected));
        assert_eq!(status("resolved"), Some(FindingStatus::Fixed));
        assert_eq!(status("resolved_with_pedigree"), Some(FindingStatus::Fixed));
        assert_eq!(status("exploitable"), None);
        assert_eq!(status("in_triage"), None);
        assert_eq!(status("whatever"), None);
    }
}
