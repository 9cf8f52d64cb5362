//! An SBOM's view: its components and licences, and its vulnerabilities grouped as a
//! scan's findings are.

use super::Local;
use super::figures;
use super::format::{number, text, texts};
use super::index::Index;
use super::scan::{FindingExtra, ScanSummary, SeverityGroup, finding_groups};
use crate::model::Item;
use crate::model::kinds::sbom::Sbom;
use crate::model::kinds::scan::Finding;
use crate::model::url::fragment;
use crate::render::charts::Chart;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The most components an SBOM page lists; the rest are counted (the raw source stays on
/// the page), so a bill of 50,000 packages still makes a page a browser can open.
const MAX_COMPONENTS: usize = 500;

#[derive(Debug, Serialize)]
pub(crate) struct SbomView {
    tool: Option<String>,
    format: Option<String>,
    spec_version: Option<String>,
    subject: Option<String>,
    pub(super) component_count: usize,
    /// Distinct licences.
    licence_count: usize,
    /// Licence -> number of components, most used first.
    licences: Vec<LicenceCount>,
    /// Components that name no licence (`name@version`).
    unlicensed: Vec<Local>,
    /// The first [`MAX_COMPONENTS`] components.
    components: Vec<ComponentView>,
    /// How many more components the bill holds than the page lists.
    more_components: usize,
    /// Vulnerabilities.
    pub(super) total: usize,
    pub(super) summary: ScanSummary,
    /// The summary as a stacked bar chart.
    chart: Chart,
    groups: Vec<SeverityGroup>,
    /// Vulnerabilities not listed because the page shows at most
    /// [`FINDINGS_SHOWN`](super::scan::FINDINGS_SHOWN).
    hidden: usize,
}

#[derive(Debug, Serialize)]
struct LicenceCount {
    licence: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct ComponentView {
    id: String,
    name: String,
    version: Option<String>,
    kind: Option<String>,
    purl: Option<String>,
    licences: Vec<String>,
    supplier: Option<String>,
    /// Vulnerabilities that affect it.
    vulnerabilities: usize,
}

pub(super) fn view(index: &Index<'_>, item: &Item, s: &Sbom, from: &str) -> SbomView {
    let mut licences: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unlicensed = Vec::new();
    let local = |c: &crate::model::kinds::sbom::Component| Local {
        text: c.label(),
        anchor: Some(format!("#{}", fragment(&c.id.value))),
    };
    for c in &s.components {
        if c.licences.is_empty() {
            unlicensed.push(local(c));
        }
        let mut seen: Vec<&str> = Vec::new();
        for l in &c.licences {
            let l = l.value.trim();
            if !seen.contains(&l) {
                seen.push(l);
                *licences.entry(l).or_default() += 1;
            }
        }
    }
    let mut licences: Vec<LicenceCount> = licences
        .into_iter()
        .map(|(licence, count)| LicenceCount {
            licence: licence.to_owned(),
            count,
        })
        .collect();
    licences.sort_by_key(|l| std::cmp::Reverse(l.count));
    // Component id -> the component, and -> how many vulnerabilities affect it.
    let by_id: HashMap<&str, &crate::model::kinds::sbom::Component> = s
        .components
        .iter()
        .map(|c| (c.id.value.as_str(), c))
        .collect();
    let mut hits: HashMap<&str, usize> = HashMap::new();
    for f in &s.findings {
        for a in &f.affects {
            *hits.entry(a.value.as_str()).or_default() += 1;
        }
    }
    let components = s
        .components
        .iter()
        .take(MAX_COMPONENTS)
        .map(|c| ComponentView {
            id: c.id.value.clone(),
            name: c.name.value.clone(),
            version: text(&c.version),
            kind: text(&c.kind),
            purl: text(&c.purl),
            licences: texts(&c.licences),
            supplier: text(&c.supplier),
            vulnerabilities: hits.get(c.id.value.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let extra = |i: usize| {
        let f = &s.findings[i];
        // Components of the bill link to their rows; what else the location names
        // (the subject, or a ref the bill does not define) stays text.
        let mut affects: Vec<Local> = f
            .affects
            .iter()
            .filter_map(|a| by_id.get(a.value.as_str()))
            .map(|c| local(c))
            .collect();
        if affects.len() < f.affects.len()
            && let Some(location) = &f.finding.location
        {
            for part in location.text.split(", ") {
                if !affects.iter().any(|a| a.text == part) {
                    affects.push(Local {
                        text: part.to_owned(),
                        anchor: None,
                    });
                }
            }
        }
        let score = f.score.as_ref().map(|x| match &f.method {
            Some(m) => format!("{} ({})", number(x.value), m.value),
            None => number(x.value),
        });
        FindingExtra {
            affects,
            score,
            vex_state: f.vex_state.as_ref().map(|v| v.value.replace('_', " ")),
            response: f
                .response
                .iter()
                .map(|r| r.value.replace('_', " "))
                .collect(),
            recommendation: text(&f.recommendation),
        }
    };
    let findings: Vec<&Finding> = s.findings.iter().map(|f| &f.finding).collect();
    let g = finding_groups(index, item, from, &findings, &[], extra);
    SbomView {
        tool: text(&s.tool),
        format: text(&s.format),
        spec_version: text(&s.spec_version),
        subject: text(&s.subject),
        component_count: s.components.len(),
        licence_count: licences.len(),
        licences,
        unlicensed,
        components,
        more_components: s.components.len().saturating_sub(MAX_COMPONENTS),
        total: s.findings.len(),
        chart: figures::summary_chart(&g.summary),
        summary: g.summary,
        groups: g.groups,
        hidden: g.hidden,
    }
}
