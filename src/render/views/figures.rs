//! The charts the kind views carry, built from what the views already computed (the
//! scan summary, the risk matrix) or from the model (fairness numbers, scan trends).
//! Kept apart from the views so the chart wiring is in one place.

use super::index::{Index, Link};
use super::scan::{ScanSummary, SummaryRow};
use super::threat_model::Matrix;
use crate::model::kinds::Body;
use crate::model::kinds::common::Severity;
use crate::model::kinds::fairness::{Direction, Fairness};
use crate::model::kinds::scan::{FindingStatus, Scan};
use crate::render::charts::{self, Chart, fairness, findings, risk, trend};
use serde::Serialize;
use std::collections::BTreeMap;

/// The findings chart of a scan or SBOM summary.
pub(super) fn summary_chart(summary: &ScanSummary) -> Chart {
    let severities: Vec<&str> = summary.rows.iter().map(|r| r.severity).collect();
    let counts: Vec<Vec<usize>> = summary
        .rows
        .iter()
        .map(|r: &SummaryRow| r.counts.clone())
        .collect();
    findings::chart(&severities, &summary.columns, &counts)
}

/// The risk heatmap of a threat model's matrix.
pub(super) fn risk_chart(m: &Matrix) -> Chart {
    let impacts: Vec<&str> = m.rows.iter().map(|r| r.impact).collect();
    let counts: Vec<Vec<usize>> = m
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.count).collect())
        .collect();
    let levels: Vec<Vec<&str>> = m
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.level).collect())
        .collect();
    risk::heatmap(&m.likelihoods, &impacts, &counts, &levels)
}

fn disparity_bar(d: &crate::model::kinds::fairness::Disparity) -> fairness::DisparityBar {
    fairness::DisparityBar {
        metric: d.metric.value.clone(),
        value: d.value.value,
        threshold: d.threshold.value,
        at_least: d
            .direction
            .as_ref()
            .is_some_and(|x| x.value == Direction::AtLeast),
        within: d.within(),
    }
}

/// The chart of one feature's metrics by group and its disparities.
pub(super) fn feature_chart(f: &Fairness, feature: &str) -> Chart {
    let mut metrics: Vec<fairness::MetricBars> = Vec::new();
    for frame in f.metrics.iter().filter(|x| x.feature.value == feature) {
        for (group, values) in &frame.groups {
            for (name, v) in values {
                let i = match metrics.iter().position(|m| m.metric == *name) {
                    Some(i) => i,
                    None => {
                        metrics.push(fairness::MetricBars {
                            metric: name.clone(),
                            groups: Vec::new(),
                        });
                        metrics.len() - 1
                    }
                };
                metrics[i].groups.push((group.clone(), v.value));
            }
        }
    }
    let disparities: Vec<fairness::DisparityBar> = f
        .disparities
        .iter()
        .filter(|d| d.feature.as_ref().is_some_and(|x| x.value == feature))
        .map(disparity_bar)
        .collect();
    if metrics.is_empty() && disparities.is_empty() {
        return Chart::empty();
    }
    fairness::feature_chart(feature, &metrics, &disparities)
}

/// The chart of the disparities whose feature has no metrics frame (or none given):
/// `None` when every disparity is charted with its feature.
pub(super) fn loose_disparities(f: &Fairness) -> Option<Chart> {
    let loose: Vec<fairness::DisparityBar> = f
        .disparities
        .iter()
        .filter(|d| match &d.feature {
            Some(x) => !f.metrics.iter().any(|m| m.feature.value == x.value),
            None => true,
        })
        .map(disparity_bar)
        .collect();
    (!loose.is_empty()).then(|| fairness::disparities_chart(&loose))
}

/// Every dated scan of each target, for the trend charts: built once per build.
#[derive(Debug, Default)]
pub(crate) struct Trends {
    by_target: BTreeMap<String, Vec<trend::TrendPoint>>,
}

impl Trends {
    pub(super) fn new(site: &crate::model::Site) -> Trends {
        let mut by_target: BTreeMap<String, Vec<trend::TrendPoint>> = BTreeMap::new();
        for item in &site.items {
            let Body::Scan(s) = &item.body else { continue };
            let (Some(target), Some(date)) = (&s.target, &s.scanned) else {
                continue;
            };
            by_target
                .entry(target.value.trim().to_owned())
                .or_default()
                .push(trend::TrendPoint {
                    date: date.value,
                    scan: item.header.id.clone(),
                    open: open_counts(s),
                });
        }
        by_target.retain(|_, points| points.len() >= 2);
        for points in by_target.values_mut() {
            points.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.scan.cmp(&b.scan)));
        }
        Trends { by_target }
    }
}

fn open_counts(s: &Scan) -> [usize; 5] {
    let mut open = [0usize; 5];
    for f in &s.findings {
        if f.status() != FindingStatus::Open {
            continue;
        }
        let slot = match f.severity {
            Some(Severity::Critical) => 0,
            Some(Severity::High) => 1,
            Some(Severity::Medium) => 2,
            Some(Severity::Low) => 3,
            Some(Severity::Info) | None => 4,
        };
        open[slot] += 1;
    }
    open
}

/// A scan's trend: the chart and its table.
#[derive(Debug, Serialize)]
pub(super) struct TrendView {
    target: String,
    chart: Chart,
    severities: [&'static str; 5],
    rows: Vec<TrendRow>,
}

#[derive(Debug, Serialize)]
struct TrendRow {
    date: String,
    scan: Link,
    /// Whether this row is the page's own scan.
    current: bool,
    open: [usize; 5],
}

/// The trend of the scan `own` of `s`, when other dated scans share its target.
pub(super) fn trend_view(index: &Index<'_>, own: &str, s: &Scan, from: &str) -> Option<TrendView> {
    let target = s.target.as_ref()?.value.trim();
    s.scanned.as_ref()?;
    let points = index.trends.by_target.get(target)?;
    Some(TrendView {
        target: target.to_owned(),
        chart: trend::chart(target, points),
        severities: trend::SEVERITIES,
        rows: points
            .iter()
            .map(|p| TrendRow {
                date: p.date.to_string(),
                scan: index.link(from, &p.scan),
                current: p.scan == own,
                open: p.open,
            })
            .collect(),
    })
}

/// The importance chart of an explainability section.
pub(super) fn importance_chart(method: Option<&str>, features: &[(String, f64)]) -> Chart {
    charts::importance::chart(method, features)
}
