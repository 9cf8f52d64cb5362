//! A fairness assessment's view: metrics by feature and group, disparities against
//! their thresholds, explainability, review, and an imported model card.

use super::figures;
use super::format::{date, number, text, texts};
use super::index::{CoveredBy, Due, Index};
use crate::model::decode::Choice;
use crate::model::kinds::fairness::{Card, Direction, Explainability, Fairness, Review};
use crate::model::slugify;
use crate::render::charts::Chart;
use crate::render::markdown;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct FairnessView {
    pub(super) model: Option<String>,
    dataset: Option<String>,
    sensitive_features: Vec<String>,
    frames: Vec<FrameView>,
    pub(super) disparities: Vec<DisparityView>,
    /// Disparities past their threshold.
    pub(super) past: usize,
    /// Disparities whose feature has no metrics to chart them beside.
    disparity_chart: Option<Chart>,
    explainability: Option<ExplainView>,
    pub(super) review: Option<ReviewView>,
    /// What an imported Hugging Face model card adds (boxed: most fairness items have none).
    card: Option<Box<CardView>>,
}

#[derive(Debug, Serialize)]
struct CardView {
    /// Label and text of each front-matter fact.
    facts: Vec<(String, String)>,
    /// The card's body as sanitised HTML.
    description: Option<String>,
}

#[derive(Debug, Serialize)]
struct FrameView {
    feature: String,
    /// Column headings: every metric of any group, in first-written order.
    metrics: Vec<String>,
    rows: Vec<GroupRow>,
    /// The metrics by group, with the feature's disparities.
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct GroupRow {
    group: String,
    /// One per metric; `None` where the group lacks it.
    values: Vec<Option<String>>,
}

#[derive(Debug, Serialize)]
pub(super) struct DisparityView {
    /// An anchor for `FAIRNESS#METRIC` links, on the first disparity of each metric.
    anchor: Option<String>,
    metric: String,
    feature: Option<String>,
    value: String,
    threshold: String,
    direction: &'static str,
    within: bool,
    covered_by: Vec<CoveredBy>,
}

#[derive(Debug, Serialize)]
struct ExplainView {
    method: Option<String>,
    notes: Option<String>,
    /// Most important first.
    features: Vec<Importance>,
    /// The largest importance: the meters' maximum.
    max: f64,
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct Importance {
    name: String,
    value: f64,
    text: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ReviewView {
    reviewer: Option<String>,
    pub(super) reviewed_on: Option<String>,
    pub(super) decision: Option<String>,
    /// The decision as a badge class.
    decision_class: Option<String>,
    cadence_days: Option<u32>,
    next_due: Due,
    notes: Option<String>,
}

pub(super) fn view(index: &Index<'_>, own: &str, f: &Fairness, from: &str) -> FairnessView {
    let disparities = disparities(index, own, f, from);
    FairnessView {
        model: text(&f.model),
        dataset: text(&f.dataset),
        sensitive_features: texts(&f.sensitive_features),
        frames: frames(f),
        past: disparities.iter().filter(|d| !d.within).count(),
        disparity_chart: figures::loose_disparities(f),
        disparities,
        explainability: f.explainability.as_ref().map(explainability),
        review: f.review.as_ref().map(|r| review(index, r)),
        card: f.card.as_ref().map(|c| Box::new(card(index, c, from))),
    }
}

/// Each frame's groups with their metrics as display text: the numbers, then the
/// metrics a model card reported as text, placed in their frame and group.
fn frames(f: &Fairness) -> Vec<FrameView> {
    type Cells = Vec<(String, Vec<(String, String)>)>;
    let mut tables: Vec<(String, Cells)> = f
        .metrics
        .iter()
        .map(|frame| {
            let groups = frame
                .groups
                .iter()
                .map(|(g, ms)| {
                    (
                        g.clone(),
                        ms.iter()
                            .map(|(n, v)| (n.clone(), number(v.value)))
                            .collect(),
                    )
                })
                .collect();
            (frame.feature.value.clone(), groups)
        })
        .collect();
    for t in f.card.iter().flat_map(|c| &c.text_metrics) {
        let ti = match tables.iter().position(|(feat, _)| *feat == t.feature) {
            Some(i) => i,
            None => {
                tables.push((t.feature.clone(), Vec::new()));
                tables.len() - 1
            }
        };
        let groups = &mut tables[ti].1;
        let gi = match groups.iter().position(|(g, _)| *g == t.group) {
            Some(i) => i,
            None => {
                groups.push((t.group.clone(), Vec::new()));
                groups.len() - 1
            }
        };
        groups[gi].1.push((t.metric.clone(), t.value.value.clone()));
    }
    tables
        .into_iter()
        .map(|(feature, groups)| {
            let mut metrics: Vec<String> = Vec::new();
            for (_, group) in &groups {
                for (name, _) in group {
                    if !metrics.contains(name) {
                        metrics.push(name.clone());
                    }
                }
            }
            let rows = groups
                .iter()
                .map(|(group, values)| GroupRow {
                    group: group.clone(),
                    values: metrics
                        .iter()
                        .map(|m| values.iter().find(|(n, _)| n == m).map(|(_, v)| v.clone()))
                        .collect(),
                })
                .collect();
            FrameView {
                chart: figures::feature_chart(f, &feature),
                feature,
                metrics,
                rows,
            }
        })
        .collect()
}

fn card(index: &Index<'_>, c: &Card, from: &str) -> CardView {
    CardView {
        facts: c
            .facts
            .iter()
            .map(|x| (x.label.clone(), x.value.clone()))
            .collect(),
        description: c
            .description
            .as_ref()
            .map(|d| markdown::to_html(d, &index.site.registry, from)),
    }
}

fn disparities(index: &Index<'_>, own: &str, f: &Fairness, from: &str) -> Vec<DisparityView> {
    f.disparities
        .iter()
        .enumerate()
        .map(|(i, d)| DisparityView {
            anchor: f.disparities[..i]
                .iter()
                .all(|x| x.metric.value != d.metric.value)
                .then(|| d.metric.value.clone()),
            metric: d.metric.value.clone(),
            feature: text(&d.feature),
            value: number(d.value.value),
            threshold: number(d.threshold.value),
            direction: d
                .direction
                .as_ref()
                .map_or(Direction::AtMost, |x| x.value)
                .name(),
            within: d.within(),
            covered_by: index.covered_by(from, own, &[d.metric.value.as_str()]),
        })
        .collect()
}

fn explainability(e: &Explainability) -> ExplainView {
    let mut features: Vec<Importance> = e
        .global_importance
        .iter()
        .map(|(name, v)| Importance {
            name: name.clone(),
            value: v.value,
            text: number(v.value),
        })
        .collect();
    features.sort_by(|a, b| b.value.total_cmp(&a.value));
    let max = features.iter().map(|x| x.value).fold(0.0_f64, f64::max);
    let pairs: Vec<(String, f64)> = features.iter().map(|x| (x.name.clone(), x.value)).collect();
    ExplainView {
        chart: figures::importance_chart(e.method.as_ref().map(|m| m.value.as_str()), &pairs),
        method: text(&e.method),
        notes: text(&e.notes),
        features,
        max: if max > 0.0 { max } else { 1.0 },
    }
}

fn review(index: &Index<'_>, r: &Review) -> ReviewView {
    let next = match (&r.reviewed_on, &r.cadence_days) {
        (Some(on), Some(c)) => on
            .value
            .checked_add(jiff::Span::new().days(i64::from(c.value)))
            .ok(),
        _ => None,
    };
    ReviewView {
        reviewer: text(&r.reviewer),
        reviewed_on: date(&r.reviewed_on),
        decision: text(&r.decision),
        decision_class: r.decision.as_ref().map(|d| slugify(&d.value)),
        cadence_days: r.cadence_days.as_ref().map(|c| c.value),
        next_due: index.due(next, false),
        notes: text(&r.notes),
    }
}
