//! A threat model's view: its assets, flows and threats, and the likelihood x impact
//! matrix with its heatmap.

use super::Local;
use super::figures;
use super::format::{date, text, texts, word};
use super::index::{CoveredBy, Due, Index, Link, Validity};
use crate::model::decode::Choice;
use crate::model::kinds::common::Rating;
use crate::model::kinds::threat_model::{MitigationStatus, ThreatModel, ThreatStatus};
use crate::model::url::fragment;
use crate::render::charts::Chart;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct ThreatModelView {
    pub(super) system: String,
    methodology: Option<String>,
    assets: Vec<AssetView>,
    flows: Vec<FlowView>,
    pub(super) threats: Vec<ThreatView>,
    /// Threats per status, statuses in their usual order, zero counts left out.
    pub(super) status_counts: Vec<Count>,
    matrix: Matrix,
    /// The matrix as a heatmap.
    chart: Chart,
}

#[derive(Debug, Serialize)]
pub(super) struct Count {
    pub(super) name: &'static str,
    pub(super) count: usize,
}

#[derive(Debug, Serialize)]
struct AssetView {
    id: String,
    title: Option<String>,
    sensitivity: Option<String>,
}

#[derive(Debug, Serialize)]
struct FlowView {
    id: String,
    title: Option<String>,
    from: Local,
    to: Local,
    crosses: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct ThreatView {
    id: String,
    /// The id as a URL fragment (without `#`).
    anchor: String,
    title: String,
    description: Option<String>,
    category: Option<&'static str>,
    atlas: Vec<String>,
    owasp: Vec<String>,
    affects: Vec<Local>,
    likelihood: Option<&'static str>,
    impact: Option<&'static str>,
    status: Option<&'static str>,
    mitigations: Vec<MitigationView>,
    /// Mitigations with status done.
    done: usize,
    acceptance: Option<AcceptanceView>,
    covered_by: Vec<CoveredBy>,
}

#[derive(Debug, Serialize)]
struct MitigationView {
    control: Option<Link>,
    text: Option<String>,
    evidence: Vec<Link>,
    owner: Option<String>,
    due: Due,
    status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct AcceptanceView {
    by: Option<String>,
    on: Option<String>,
    validity: Option<Validity>,
    rationale: Option<String>,
}

/// Likelihood x impact.
#[derive(Debug, Serialize)]
pub(super) struct Matrix {
    /// Column headings, low to critical.
    pub(super) likelihoods: Vec<&'static str>,
    /// Rows, impact critical to low.
    pub(super) rows: Vec<MatrixRow>,
    /// Threats without a likelihood or an impact.
    unrated: Vec<MatrixThreat>,
}

#[derive(Debug, Serialize)]
pub(super) struct MatrixRow {
    pub(super) impact: &'static str,
    pub(super) cells: Vec<MatrixCell>,
}

#[derive(Debug, Serialize)]
pub(super) struct MatrixCell {
    likelihood: &'static str,
    /// low, medium, high or critical: likelihood times impact, for shading.
    pub(super) level: &'static str,
    pub(super) count: usize,
    threats: Vec<MatrixThreat>,
}

#[derive(Debug, Serialize)]
struct MatrixThreat {
    id: String,
    /// The id as a URL fragment (without `#`).
    anchor: String,
    title: String,
    status: Option<&'static str>,
}

impl MatrixThreat {
    fn of(x: &crate::model::kinds::threat_model::Threat) -> MatrixThreat {
        MatrixThreat {
            id: x.id.value.clone(),
            anchor: fragment(&x.id.value),
            title: x.title.value.clone(),
            status: word(&x.status),
        }
    }
}

const RATINGS: [Rating; 4] = [Rating::Low, Rating::Medium, Rating::High, Rating::Critical];

fn risk_level(likelihood: Rating, impact: Rating) -> &'static str {
    match likelihood.rank() * impact.rank() {
        0..=2 => "low",
        3..=4 => "medium",
        5..=8 => "high",
        _ => "critical",
    }
}

pub(super) fn view(index: &Index<'_>, own: &str, t: &ThreatModel, from: &str) -> ThreatModelView {
    let local = |s: &str| {
        let known =
            t.assets.iter().any(|a| a.id.value == s) || t.flows.iter().any(|f| f.id.value == s);
        Local {
            text: s.to_owned(),
            anchor: known.then(|| format!("#{}", fragment(s))),
        }
    };
    let assets = t
        .assets
        .iter()
        .map(|a| AssetView {
            id: a.id.value.clone(),
            title: text(&a.title),
            sensitivity: text(&a.sensitivity),
        })
        .collect();
    let flows = t
        .flows
        .iter()
        .map(|f| FlowView {
            id: f.id.value.clone(),
            title: text(&f.title),
            from: local(&f.from.value),
            to: local(&f.to.value),
            crosses: text(&f.crosses),
        })
        .collect();
    let threats: Vec<ThreatView> = t
        .threats
        .iter()
        .map(|x| {
            let mitigations: Vec<MitigationView> = x
                .mitigations
                .iter()
                .map(|m| {
                    let done = m
                        .status
                        .as_ref()
                        .is_some_and(|s| s.value == MitigationStatus::Done);
                    MitigationView {
                        control: m.control.as_ref().map(|c| index.link(from, &c.value)),
                        text: text(&m.text),
                        evidence: index.links(from, &m.evidence),
                        owner: text(&m.owner),
                        due: index.due(m.due.as_ref().map(|d| d.value), done),
                        status: word(&m.status),
                    }
                })
                .collect();
            ThreatView {
                id: x.id.value.clone(),
                anchor: fragment(&x.id.value),
                title: x.title.value.clone(),
                description: text(&x.description),
                category: word(&x.category),
                atlas: texts(&x.atlas),
                owasp: texts(&x.owasp),
                affects: x.affects.iter().map(|a| local(&a.value)).collect(),
                likelihood: word(&x.likelihood),
                impact: word(&x.impact),
                status: word(&x.status),
                done: x
                    .mitigations
                    .iter()
                    .filter(|m| {
                        m.status
                            .as_ref()
                            .is_some_and(|s| s.value == MitigationStatus::Done)
                    })
                    .count(),
                mitigations,
                acceptance: x.acceptance.as_ref().map(|a| AcceptanceView {
                    by: text(&a.by),
                    on: date(&a.on),
                    validity: a.expires.as_ref().map(|e| index.validity(e.value)),
                    rationale: text(&a.rationale),
                }),
                covered_by: index.covered_by(from, own, &[x.id.value.as_str()]),
            }
        })
        .collect();
    let status_counts = ThreatStatus::NAMES
        .iter()
        .map(|name| Count {
            name,
            count: threats.iter().filter(|x| x.status == Some(*name)).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let matrix = matrix(t);
    ThreatModelView {
        chart: figures::risk_chart(&matrix),
        system: t.system.value.clone(),
        methodology: text(&t.methodology),
        assets,
        flows,
        threats,
        status_counts,
        matrix,
    }
}

/// The likelihood x impact matrix: every rated threat in its cell, the rest apart.
fn matrix(t: &ThreatModel) -> Matrix {
    let rows = RATINGS
        .iter()
        .rev()
        .map(|impact| MatrixRow {
            impact: impact.name(),
            cells: RATINGS
                .iter()
                .map(|likelihood| {
                    let threats: Vec<MatrixThreat> = t
                        .threats
                        .iter()
                        .filter(|x| {
                            x.likelihood.as_ref().map(|l| l.value) == Some(*likelihood)
                                && x.impact.as_ref().map(|i| i.value) == Some(*impact)
                        })
                        .map(MatrixThreat::of)
                        .collect();
                    MatrixCell {
                        likelihood: likelihood.name(),
                        level: risk_level(*likelihood, *impact),
                        count: threats.len(),
                        threats,
                    }
                })
                .collect(),
        })
        .collect();
    let unrated = t
        .threats
        .iter()
        .filter(|x| x.likelihood.is_none() || x.impact.is_none())
        .map(MatrixThreat::of)
        .collect();
    Matrix {
        likelihoods: RATINGS.iter().map(|r| r.name()).collect(),
        rows,
        unrated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_levels() {
        assert_eq!(risk_level(Rating::Low, Rating::Low), "low");
        assert_eq!(risk_level(Rating::Low, Rating::Critical), "medium");
        assert_eq!(risk_level(Rating::High, Rating::High), "critical");
        assert_eq!(risk_level(Rating::Medium, Rating::High), "high");
    }
}
