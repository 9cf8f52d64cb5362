//! OWASP Threat Dragon models, v2 (`detail.diagrams[].cells[]`, threats under
//! `cells[].data.threats` and, as the schema declares them, `cells[].threats`) and v1
//! (`detail.diagrams[].diagramJson.cells[]`, threats on the cell). The diagrams' actors,
//! processes and stores become assets, their flows become flows, and every threat keeps
//! its original STRIDE, LINDDUN, CIA or PLOT4ai type in its description.
//!
//! Everything in a cell that only draws it (`attrs`, ports, labels, sizes) is skipped
//! without being built; the few names v1 keeps in drawing data (`attrs.text.text`, a
//! flow's first label) are dug out by a visitor that never fails on their shape.

use super::common::ids::unique;
use super::common::severity::rating_word;
use super::common::text::Loose;
use super::detect::Probe;
use super::finding::{at, text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::decode::At;
use crate::model::kinds::Body;
use crate::model::kinds::common::Category;
use crate::model::kinds::threat_model::{
    Asset, Flow, Mitigation, MitigationStatus, Threat, ThreatModel, ThreatStatus,
};
use crate::model::{Kind, slugify};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::{HashMap, HashSet};
use std::fmt;

#[derive(Deserialize)]
struct Doc {
    summary: Option<Summary>,
    detail: Option<Detail>,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(default)]
    title: Loose,
    #[serde(default)]
    description: Loose,
}

#[derive(Deserialize)]
struct Detail {
    diagrams: Option<Vec<Diagram>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Diagram {
    #[serde(default)]
    diagram_type: Loose,
    /// v2.
    cells: Option<Vec<Cell>>,
    /// v1.
    diagram_json: Option<DiagramJson>,
}

#[derive(Deserialize)]
struct DiagramJson {
    cells: Option<Vec<Cell>>,
}

#[derive(Deserialize)]
struct Cell {
    #[serde(default)]
    id: Loose,
    /// v2 drawing shape (`actor`, `flow`, `trust-boundary-curve`, ...).
    #[serde(default)]
    shape: Loose,
    /// v1 element type (`tm.Actor`, ...).
    #[serde(default, rename = "type")]
    kind: Loose,
    #[serde(default)]
    name: Loose,
    data: Option<Data>,
    /// `attrs.text.text`: the label v1 (and v2) draw on an element.
    #[serde(default, rename = "attrs", deserialize_with = "attrs_text")]
    drawn_name: Option<String>,
    /// `labels[].attrs.text.text`: the label v1 draws on a flow.
    #[serde(default, rename = "labels", deserialize_with = "labels_text")]
    label: Option<String>,
    source: Option<End>,
    target: Option<End>,
    /// Where the v2 schema declares threats (and where v1 keeps them).
    threats: Option<Vec<TdThreat>>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default, rename = "type")]
    kind: Loose,
    #[serde(default)]
    name: Loose,
    /// Where real v2 files keep threats.
    threats: Option<Vec<TdThreat>>,
}

/// A flow's end: v2 `{cell, port}`, v1 `{id}`, or a loose point `{x, y}`.
#[derive(Deserialize)]
struct End {
    #[serde(default)]
    cell: Loose,
    #[serde(default)]
    id: Loose,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TdThreat {
    #[serde(default)]
    id: Loose,
    #[serde(default)]
    number: Loose,
    #[serde(default)]
    title: Loose,
    #[serde(default, rename = "type")]
    kind: Loose,
    #[serde(default)]
    status: Loose,
    #[serde(default)]
    severity: Loose,
    #[serde(default)]
    description: Loose,
    #[serde(default)]
    mitigation: Loose,
    #[serde(default)]
    model_type: Loose,
}

/// Text found by following a path of keys through nested objects; any other shape on
/// the way is skipped, never an error (drawing data varies between versions).
struct Dig(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Dig {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Dig {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<String>, E> {
        Ok(self.0.is_empty().then(|| v.to_owned()))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            match self.0.split_first() {
                Some((first, rest)) if found.is_none() && key == *first => {
                    found = map.next_value_seed(Dig(rest))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// The first text found by [`Dig`] in the elements of a list (anything else: nothing).
struct DigEach(&'static [&'static str]);

impl<'de> Visitor<'de> for DigEach {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
        let mut found: Option<String> = None;
        while let Some(t) = seq.next_element_seed(Dig(self.0))? {
            if found.is_none() {
                found = t.filter(|t| !t.trim().is_empty());
            }
        }
        Ok(found)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
        IgnoredAny::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

fn attrs_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Dig(&["text", "text"]).deserialize(d)
}

fn labels_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(DigEach(&["attrs", "text", "text"]))
}

/// A Threat Dragon model has `summary` and `detail` at the top level (v1 and v2 alike).
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("summary") && p.has("detail")
}

/// What a diagram element is, for this import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Asset,
    Flow,
    Other,
}

impl Cell {
    /// `tm.Actor`-style type: v2 `data.type`, else v1 `type`, else from the v2 shape.
    fn element(&self) -> Element {
        let kind = self
            .data
            .as_ref()
            .and_then(|d| d.kind.get())
            .or(self.kind.get());
        if let Some(kind) = kind {
            let kind = kind.strip_prefix("tm.").unwrap_or(kind);
            return match kind.to_ascii_lowercase().as_str() {
                "actor" | "process" | "store" => Element::Asset,
                "flow" => Element::Flow,
                _ => Element::Other,
            };
        }
        match self.shape.get().map(str::to_ascii_lowercase).as_deref() {
            Some("actor" | "process" | "store") => Element::Asset,
            Some("flow") => Element::Flow,
            _ => Element::Other,
        }
    }

    /// The element's name (v2 `data.name`, else the drawn text or label, else `name`),
    /// with the field it came from.
    fn name(&self) -> Option<(String, &'static str)> {
        [
            (self.data.as_ref().and_then(|d| d.name.get()), "data.name"),
            (self.drawn_name.as_deref(), "attrs.text.text"),
            (self.label.as_deref(), "labels[0].attrs.text.text"),
            (self.name.get(), "name"),
        ]
        .into_iter()
        .find_map(|(n, field)| n.map(fold).filter(|s| !s.is_empty()).map(|n| (n, field)))
    }
}

impl End {
    fn cell(&self) -> Option<&str> {
        self.cell.get().or(self.id.get())
    }
}

/// Folds newlines and runs of spaces into single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A threat's `type` as one of our categories: STRIDE words, LINDDUN words, the CIA
/// properties onto the STRIDE threat against each, anything else `other`. Matching
/// ignores case, spaces and hyphens, and takes the last part of a dotted key
/// (`threats.model.linddun.nonRepudiation`).
fn category(word: &str) -> Category {
    let last = word.rsplit('.').next().unwrap_or(word);
    let key: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match key.as_str() {
        "spoofing" => Category::Spoofing,
        "tampering" => Category::Tampering,
        "repudiation" => Category::Repudiation,
        "informationdisclosure" => Category::InformationDisclosure,
        "denialofservice" | "dos" => Category::DenialOfService,
        "elevationofprivilege" | "elevationofprivileges" => Category::ElevationOfPrivilege,
        "linkability" => Category::Linking,
        "identifiability" => Category::Identifying,
        "nonrepudiation" => Category::NonRepudiation,
        "detectability" => Category::Detecting,
        "disclosureofinformation" => Category::DataDisclosure,
        "unawareness" => Category::Unawareness,
        "noncompliance" => Category::NonCompliance,
        "confidentiality" => Category::InformationDisclosure,
        "integrity" => Category::Tampering,
        "availability" => Category::DenialOfService,
        _ => Category::Other,
    }
}

/// A threat's `status` onto ours; `None` for a word Threat Dragon does not use.
fn status(word: &str) -> Option<ThreatStatus> {
    let key: String = word
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match key.as_str() {
        "" | "open" => Some(ThreatStatus::Open),
        "mitigated" | "avoided" | "eliminated" => Some(ThreatStatus::Mitigated),
        "na" | "notapplicable" => Some(ThreatStatus::FalsePositive),
        "accepted" => Some(ThreatStatus::Accepted),
        "transferred" => Some(ThreatStatus::Transferred),
        _ => None,
    }
}

/// One diagram's cells with the path to them (`detail.diagrams[0].cells`).
struct Cells<'a> {
    path: String,
    diagram_type: Option<&'a str>,
    cells: &'a [Cell],
}

fn diagrams(doc: &Doc) -> Vec<Cells<'_>> {
    let Some(diagrams) = doc.detail.as_ref().and_then(|d| d.diagrams.as_ref()) else {
        return Vec::new();
    };
    diagrams
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let (path, cells) = match (
                &d.cells,
                d.diagram_json.as_ref().and_then(|j| j.cells.as_ref()),
            ) {
                (Some(c), _) => (format!("detail.diagrams[{i}].cells"), c),
                (None, Some(c)) => (format!("detail.diagrams[{i}].diagramJson.cells"), c),
                (None, None) => return None,
            };
            Some(Cells {
                path,
                diagram_type: d.diagram_type.get(),
                cells,
            })
        })
        .collect()
}

pub(super) fn import(report: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::ThreatDragon, report, rel)?;
    let diagrams = diagrams(&doc);

    // Assets first, so flows can name them whatever order the cells come in.
    let mut taken = HashSet::new();
    let mut assets = Vec::new();
    // (diagram, cell id) -> asset id; (diagram, cell id) -> name of any named cell.
    let mut asset_of: HashMap<(usize, &str), String> = HashMap::new();
    let mut name_of: HashMap<(usize, &str), String> = HashMap::new();
    for (d, diagram) in diagrams.iter().enumerate() {
        for (c, cell) in diagram.cells.iter().enumerate() {
            let name = cell.name();
            if let (Some(id), Some((n, _))) = (cell.id.get(), &name) {
                name_of.insert((d, id), n.clone());
            }
            if cell.element() != Element::Asset {
                continue;
            }
            let path = format!("{}[{c}]", diagram.path);
            let (title, field) =
                name.unwrap_or_else(|| ("unnamed element".to_owned(), "data.name"));
            let id = unique(&mut taken, slugify(&title));
            if let Some(cell_id) = cell.id.get() {
                asset_of.insert((d, cell_id), id.clone());
            }
            assets.push(Asset {
                id: at(id, format!("{path}.id")),
                title: Some(at(title, format!("{path}.{field}"))),
                sensitivity: None,
            });
        }
    }

    let mut flows = Vec::new();
    // (diagram, cell index) -> flow id.
    let mut flow_of: HashMap<(usize, usize), String> = HashMap::new();
    for (d, diagram) in diagrams.iter().enumerate() {
        for (c, cell) in diagram.cells.iter().enumerate() {
            if cell.element() != Element::Flow {
                continue;
            }
            let path = format!("{}[{c}]", diagram.path);
            let id = format!("F{}", flows.len() + 1);
            let end = |e: &Option<End>| -> String {
                let Some(cell_id) = e.as_ref().and_then(End::cell) else {
                    return "(unconnected)".to_owned();
                };
                asset_of
                    .get(&(d, cell_id))
                    .or_else(|| name_of.get(&(d, cell_id)))
                    .cloned()
                    .unwrap_or_else(|| "(unconnected)".to_owned())
            };
            flow_of.insert((d, c), id.clone());
            flows.push(Flow {
                id: at(id, format!("{path}.id")),
                title: cell
                    .name()
                    .map(|(n, field)| at(n, format!("{path}.{field}"))),
                from: at(end(&cell.source), format!("{path}.source")),
                to: at(end(&cell.target), format!("{path}.target")),
                crosses: None,
            });
        }
    }

    let mut threats = Vec::new();
    let mut threat_ids = HashSet::new();
    for (d, diagram) in diagrams.iter().enumerate() {
        for (c, cell) in diagram.cells.iter().enumerate() {
            let path = format!("{}[{c}]", diagram.path);
            let affects: Option<String> = cell
                .id
                .get()
                .and_then(|id| asset_of.get(&(d, id)))
                .or_else(|| flow_of.get(&(d, c)))
                .cloned();
            let in_data = cell
                .data
                .as_ref()
                .and_then(|x| x.threats.as_deref())
                .unwrap_or_default();
            let seen: HashSet<&str> = in_data.iter().filter_map(|t| t.id.get()).collect();
            let on_cell = cell
                .threats
                .as_deref()
                .unwrap_or_default()
                .iter()
                .enumerate()
                // The same threat written in both places counts once.
                .filter(|(_, t)| t.id.get().is_none_or(|id| !seen.contains(id)))
                .map(|(i, t)| (format!("{path}.threats[{i}]"), t));
            let listed = in_data
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("{path}.data.threats[{i}]"), t))
                .chain(on_cell);
            for (tpath, t) in listed {
                let n = threats.len() + 1;
                threats.push(threat(
                    t,
                    &tpath,
                    n,
                    diagram.diagram_type,
                    affects
                        .as_ref()
                        .map(|a| at(a.clone(), format!("{path}.id"))),
                    &mut threat_ids,
                ));
            }
        }
    }

    let title = doc
        .summary
        .as_ref()
        .and_then(|s| s.title.get())
        .map(fold)
        .unwrap_or_else(|| "Threat Dragon model".to_owned());
    let system = doc
        .summary
        .as_ref()
        .and_then(|s| text(s.description.get(), "summary.description"))
        .unwrap_or_else(|| at(title.clone(), "summary.title"));
    let methodology = diagrams
        .iter()
        .find_map(|d| d.diagram_type)
        .map(|m| at(m.to_lowercase(), "detail.diagrams[0].diagramType"));
    Ok(Report {
        kind: Kind::ThreatModel,
        title,
        updated: None,
        body: Body::ThreatModel(ThreatModel {
            system,
            methodology,
            assets,
            flows,
            threats,
        }),
    })
}

fn threat(
    t: &TdThreat,
    path: &str,
    n: usize,
    diagram_type: Option<&str>,
    affects: Option<At<String>>,
    taken: &mut HashSet<String>,
) -> Threat {
    let p = |f: &str| format!("{path}.{f}");
    let (base, id_field) = match t.number.get() {
        Some(number) => (format!("T{number}"), "number"),
        None => (format!("T{n}"), "id"),
    };
    let id = unique(taken, base);
    let status_word = t.status.get().unwrap_or("");
    let mapped = status(status_word);
    let mut description = Vec::new();
    if let Some(kind) = t.kind.get() {
        match t.model_type.get().or(diagram_type) {
            Some(model) => description.push(format!("Threat Dragon type: {kind} ({model})")),
            None => description.push(format!("Threat Dragon type: {kind}")),
        }
    }
    if mapped.is_none() {
        description.push(format!("Threat Dragon status: {status_word}"));
    }
    if let Some(d) = t.description.get() {
        if !description.is_empty() {
            description.push(String::new());
        }
        description.push(d.to_owned());
    }
    let status = mapped.unwrap_or(ThreatStatus::Open);
    let mitigations = t
        .mitigation
        .get()
        .map(|m| Mitigation {
            control: None,
            text: Some(at(m.to_owned(), p("mitigation"))),
            evidence: Vec::new(),
            owner: None,
            due: None,
            status: Some(at(
                if status == ThreatStatus::Mitigated {
                    MitigationStatus::Done
                } else {
                    MitigationStatus::Planned
                },
                p("status"),
            )),
            path: p("mitigation"),
        })
        .into_iter()
        .collect();
    Threat {
        id: at(id, p(id_field)),
        title: at(
            t.title
                .get()
                .or(t.kind.get())
                .map(fold)
                .unwrap_or_else(|| "Untitled threat".to_owned()),
            p("title"),
        ),
        description: text(Some(&description.join("\n")), &p("description")),
        category: t.kind.get().map(|k| at(category(k), p("type"))),
        atlas: Vec::new(),
        owasp: Vec::new(),
        affects: affects.into_iter().collect(),
        likelihood: None,
        impact: t
            .severity
            .get()
            .and_then(rating_word)
            .map(|i| at(i, p("severity"))),
        status: Some(at(status, p("status"))),
        mitigations,
        acceptance: None,
        path: path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::Choice;
    use crate::model::kinds::common::Rating;

    fn model(text: &str) -> ThreatModel {
        let r = import(text, "evidence/tm/x.json").unwrap();
        assert_eq!(r.kind, Kind::ThreatModel);
        let Body::ThreatModel(tm) = r.body else {
            panic!("not a threat model")
        };
        tm
    }

    const V2: &str = r#"{
      "version": "2.3.0",
      "summary": {"title": "Demo", "owner": "me", "description": "A web app", "id": 0},
      "detail": {"contributors": [], "diagrams": [{
        "id": 0, "title": "Main", "diagramType": "STRIDE", "version": "2.3.0",
        "cells": [
          {"id": "a", "shape": "actor", "attrs": {"text": {"text": "Browser"}, "body": {"strokeDasharray": null}},
           "data": {"type": "tm.Actor", "name": "Browser", "threats": []}},
          {"id": "p", "shape": "process", "data": {"type": "tm.Process", "name": "Web\nApplication",
           "threats": [{"id": "u1", "title": "Spoofed user", "type": "Spoofing", "status": "Open",
                        "severity": "High", "description": "Someone pretends", "mitigation": "Use MFA",
                        "modelType": "STRIDE"}]},
           "threats": [{"id": "u2", "title": "Cell-level threat", "type": "Tampering", "status": "Mitigated",
                        "severity": "low", "mitigation": "Sign it"},
                       {"id": "u1", "title": "Spoofed user", "type": "Spoofing"}]},
          {"id": "s", "shape": "store", "data": {"type": "tm.Store", "name": "Database"}},
          {"id": "s2", "shape": "store", "data": {"type": "tm.Store", "name": "Database"}},
          {"id": "b", "shape": "trust-boundary-curve", "data": {"type": "tm.Boundary", "name": "Internet"},
           "source": {"x": 1, "y": 2}, "target": {"x": 3, "y": 4}},
          {"id": "f", "shape": "flow", "source": {"cell": "a", "port": "x"}, "target": {"cell": "p"},
           "labels": [{"attrs": {"labelText": {"text": "Web request"}}}],
           "data": {"type": "tm.Flow", "name": "Web request", "threats": [
             {"id": "u3", "number": 7, "title": "Sniffing", "type": "Information disclosure",
              "status": "N/A", "severity": "", "score": ""}]}},
          {"id": "g", "shape": "flow", "source": {"x": 0, "y": 0}, "target": {"cell": "b"},
           "data": {"type": "tm.Flow", "name": ""}}
        ]}]}
    }"#;

    #[test]
    fn detects_summary_and_detail() {
        assert_eq!(super::super::detect(V2), Some(Format::ThreatDragon));
        assert_eq!(super::super::detect(r#"{"summary": {}, "other": 1}"#), None);
    }

    #[test]
    fn v2_reads_threats_in_both_places() {
        let tm = model(V2);
        assert_eq!(tm.system.value, "A web app");
        assert_eq!(tm.methodology.as_ref().unwrap().value, "stride");
        let ids: Vec<&str> = tm.assets.iter().map(|a| a.id.value.as_str()).collect();
        assert_eq!(
            ids,
            ["browser", "web-application", "database", "database-2"]
        );
        assert_eq!(
            tm.assets[1].title.as_ref().unwrap().value,
            "Web Application"
        );
        assert_eq!(tm.flows.len(), 2);
        assert_eq!(tm.flows[0].id.value, "F1");
        assert_eq!(tm.flows[0].from.value, "browser");
        assert_eq!(tm.flows[0].to.value, "web-application");
        assert_eq!(tm.flows[0].title.as_ref().unwrap().value, "Web request");
        assert_eq!(tm.flows[1].from.value, "(unconnected)");
        assert_eq!(tm.flows[1].to.value, "Internet");
        assert!(tm.flows[1].title.is_none());

        // data.threats, then cell.threats (the duplicate of u1 counted once), then the flow's.
        assert_eq!(tm.threats.len(), 3);
        let t = &tm.threats[0];
        assert_eq!(t.id.value, "T1");
        assert_eq!(t.title.value, "Spoofed user");
        assert_eq!(
            t.description.as_ref().unwrap().value,
            "Threat Dragon type: Spoofing (STRIDE)\n\nSomeone pretends"
        );
        assert_eq!(t.category.as_ref().unwrap().value, Category::Spoofing);
        assert_eq!(t.impact.as_ref().unwrap().value, Rating::High);
        assert_eq!(t.status.as_ref().unwrap().value, ThreatStatus::Open);
        assert_eq!(t.affects[0].value, "web-application");
        assert_eq!(
            t.status.as_ref().unwrap().path,
            "detail.diagrams[0].cells[1].data.threats[0].status"
        );
        assert_eq!(t.mitigations.len(), 1);
        assert_eq!(t.mitigations[0].text.as_ref().unwrap().value, "Use MFA");
        assert_eq!(
            t.mitigations[0].status.as_ref().unwrap().value,
            MitigationStatus::Planned
        );

        let t = &tm.threats[1];
        assert_eq!(t.id.value, "T2");
        assert_eq!(t.path, "detail.diagrams[0].cells[1].threats[0]");
        assert_eq!(t.status.as_ref().unwrap().value, ThreatStatus::Mitigated);
        assert_eq!(t.impact.as_ref().unwrap().value, Rating::Low);
        assert_eq!(
            t.mitigations[0].status.as_ref().unwrap().value,
            MitigationStatus::Done
        );
        // The diagram's type stands in for a missing modelType.
        assert!(
            t.description
                .as_ref()
                .unwrap()
                .value
                .starts_with("Threat Dragon type: Tampering (STRIDE)")
        );

        let t = &tm.threats[2];
        assert_eq!(t.id.value, "T7");
        assert_eq!(t.affects[0].value, "F1");
        assert_eq!(
            t.status.as_ref().unwrap().value,
            ThreatStatus::FalsePositive
        );
        assert!(t.impact.is_none());
        assert!(t.mitigations.is_empty());
    }

    #[test]
    fn v1_reads_drawn_names_and_cell_threats() {
        let tm = model(
            r#"{"summary": {"title": "Old model", "owner": "me"},
              "detail": {"contributors": [], "reviewer": "", "diagrams": [{
                "title": "Main", "diagramType": "STRIDE", "id": 0, "diagramJson": {"cells": [
                  {"type": "tm.Process", "id": "p", "attrs": {"text": {"text": "Background\nWorker"}},
                   "threats": [{"status": "Open", "severity": "Medium", "title": "Poison messages",
                                "type": "Denial of service", "description": "Bad input",
                                "mitigation": "Poison queue"}]},
                  {"type": "tm.Actor", "id": "a", "attrs": {"text": {"text": "Browser"}}},
                  {"type": "tm.Boundary", "id": "b", "source": {"x": 1, "y": 2}, "target": {"x": 3, "y": 4}},
                  {"type": "tm.Flow", "id": "f", "source": {"id": "a"}, "target": {"id": "p"},
                   "labels": [{"position": 0.5, "attrs": {"text": {"text": "Web Request"}}}],
                   "threats": [{"status": "Mitigated", "severity": "High", "title": "Use HTTPS",
                                "type": "Information disclosure"}]}
                ]}}]}}"#,
        );
        assert_eq!(tm.system.value, "Old model");
        let ids: Vec<&str> = tm.assets.iter().map(|a| a.id.value.as_str()).collect();
        assert_eq!(ids, ["background-worker", "browser"]);
        assert_eq!(tm.flows[0].from.value, "browser");
        assert_eq!(tm.flows[0].to.value, "background-worker");
        assert_eq!(tm.flows[0].title.as_ref().unwrap().value, "Web Request");
        assert_eq!(tm.threats.len(), 2);
        assert_eq!(
            tm.threats[0].path,
            "detail.diagrams[0].diagramJson.cells[0].threats[0]"
        );
        assert_eq!(
            tm.threats[0].category.as_ref().unwrap().value,
            Category::DenialOfService
        );
        assert_eq!(
            tm.threats[0].description.as_ref().unwrap().value,
            "Threat Dragon type: Denial of service (STRIDE)\n\nBad input"
        );
        assert_eq!(tm.threats[1].affects[0].value, "F1");
        assert_eq!(tm.threats[1].id.value, "T2");
    }

    #[test]
    fn linddun_cia_and_plot4ai_types_are_kept() {
        let tm = model(
            r#"{"summary": {"title": "Privacy"}, "detail": {"diagrams": [{"diagramType": "LINDDUN",
               "cells": [{"id": "s", "data": {"type": "tm.Store", "name": "Profiles", "threats": [
                 {"title": "a", "type": "Linkability", "status": "Accepted", "severity": "critical", "modelType": "LINDDUN"},
                 {"title": "b", "type": "Identifiability", "status": "Transferred"},
                 {"title": "c", "type": "Non-repudiation", "status": "Avoided"},
                 {"title": "d", "type": "Detectability", "status": "Eliminated"},
                 {"title": "e", "type": "Disclosure of information", "status": "NA"},
                 {"title": "f", "type": "Unawareness", "status": ""},
                 {"title": "g", "type": "Non-compliance", "status": "Reviewing"},
                 {"title": "h", "type": "Integrity", "modelType": "CIA"},
                 {"title": "i", "type": "Lack of human oversight", "modelType": "PLOT4ai"}
               ]}}]}]}}"#,
        );
        assert_eq!(tm.methodology.as_ref().unwrap().value, "linddun");
        let cats: Vec<&str> = tm
            .threats
            .iter()
            .map(|t| t.category.as_ref().unwrap().value.name())
            .collect();
        assert_eq!(
            cats,
            [
                "linking",
                "identifying",
                "non-repudiation",
                "detecting",
                "data-disclosure",
                "unawareness",
                "non-compliance",
                "tampering",
                "other"
            ]
        );
        let statuses: Vec<&str> = tm
            .threats
            .iter()
            .map(|t| t.status.as_ref().unwrap().value.name())
            .collect();
        assert_eq!(
            statuses,
            [
                "accepted",
                "transferred",
                "mitigated",
                "mitigated",
                "false-positive",
                "open",
                "open",
                "open",
                "open"
            ]
        );
        assert_eq!(
            tm.threats[0].impact.as_ref().unwrap().value,
            Rating::Critical
        );
        assert!(
            tm.threats[6]
                .description
                .as_ref()
                .unwrap()
                .value
                .contains("Threat Dragon status: Reviewing")
        );
        assert_eq!(
            tm.threats[8].description.as_ref().unwrap().value,
            "Threat Dragon type: Lack of human oversight (PLOT4ai)"
        );
    }

    #[test]
    fn a_broken_model_names_the_field() {
        let d = import(
            r#"{"summary": {"title": "x"}, "detail": {"diagrams": [{"cells": [
                 {"id": "p", "data": {"type": "tm.Process", "threats": [{"title": ["no"]}]}}]}]}}"#,
            "evidence/tm/x.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(
            d[0].path,
            "detail.diagrams[0].cells[0].data.threats[0].title"
        );

        let d = import(
            r#"{"summary": {}, "detail": {"diagrams": {"cells": []}}}"#,
            "evidence/tm/x.json",
        )
        .unwrap_err();
        assert_eq!(d[0].path, "detail.diagrams");
    }

    #[test]
    fn drawing_data_of_any_shape_is_skipped() {
        let tm = model(
            r#"{"summary": {"title": "x"}, "detail": {"diagrams": [{"cells": [
                 {"id": "p", "type": "tm.Process", "attrs": [1, {"text": 2}], "labels": {"a": 1}},
                 {"id": "q", "type": "tm.Process", "attrs": {"text": {"text": 5}}, "labels": "x"}]}]}}"#,
        );
        assert_eq!(tm.assets.len(), 2);
        assert_eq!(tm.assets[0].id.value, "unnamed-element");
        assert_eq!(tm.assets[1].id.value, "unnamed-element-2");
        assert!(tm.methodology.is_none());
    }
}
