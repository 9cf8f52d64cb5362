//! A fairness result's chart for one sensitive feature: each metric as bars per group,
//! then each disparity of that feature as a bar against its dashed threshold.

use super::draw::{self, BarPanel};
use super::{Chart, label_number, not_a_number};

/// One metric's values by group, in the order written.
#[derive(Debug, Clone)]
pub struct MetricBars {
    /// The metric's name (`selection_rate`).
    pub metric: String,
    /// Group name and value.
    pub groups: Vec<(String, f64)>,
}

/// A disparity and the threshold it is held to.
#[derive(Debug, Clone)]
pub struct DisparityBar {
    /// The disparity metric (`demographic_parity_ratio`).
    pub metric: String,
    /// The measured value.
    pub value: f64,
    /// The limit.
    pub threshold: f64,
    /// Whether the value must be at least the threshold (else at most).
    pub at_least: bool,
    /// Whether the value is on the right side of the threshold.
    pub within: bool,
}

/// The chart of `feature`'s metrics by group and its disparities.
///
/// One group gives single bars and no disparity panels: a disparity between one group
/// and itself is not something a chart can show.
pub fn feature_chart(feature: &str, metrics: &[MetricBars], disparities: &[DisparityBar]) -> Chart {
    let mut notes = Vec::new();
    let mut panels = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for m in metrics {
        let mut bars = Vec::new();
        for (g, v) in &m.groups {
            if !groups.contains(&g.as_str()) {
                groups.push(g);
            }
            if v.is_finite() {
                bars.push((g.clone(), *v));
            } else {
                notes.push(format!(
                    "{} of {g} is {}: left out of the chart.",
                    m.metric,
                    not_a_number(*v)
                ));
            }
        }
        panels.push(BarPanel {
            title: m.metric.clone(),
            bars,
            threshold: None,
            threshold_note: String::new(),
        });
    }
    if groups.len() < 2 && !disparities.is_empty() {
        notes.push(format!(
            "Only one group of {feature}: no disparity to chart."
        ));
    } else {
        panels.extend(disparity_panels(disparities, &mut notes));
    }
    let label = format!(
        "Bar chart of metrics by group of {feature}{}",
        if disparities.is_empty() || groups.len() < 2 {
            String::new()
        } else {
            ", with each disparity against its dashed threshold".to_owned()
        }
    );
    Chart {
        svg: draw::panels(&label, &panels),
        notes,
    }
}

/// The chart of disparities that name no feature with metrics on the page.
pub fn disparities_chart(disparities: &[DisparityBar]) -> Chart {
    let mut notes = Vec::new();
    let panels = disparity_panels(disparities, &mut notes);
    Chart {
        svg: draw::panels(
            "Bar chart of each disparity against its dashed threshold",
            &panels,
        ),
        notes,
    }
}

fn disparity_panels(disparities: &[DisparityBar], notes: &mut Vec<String>) -> Vec<BarPanel> {
    disparities
        .iter()
        .filter_map(|d| {
            if !d.value.is_finite() || !d.threshold.is_finite() {
                notes.push(format!(
                    "Disparity {} is {}: left out of the chart.",
                    d.metric,
                    not_a_number(if d.value.is_finite() {
                        d.threshold
                    } else {
                        d.value
                    })
                ));
                return None;
            }
            let side = if d.at_least { "at least" } else { "at most" };
            let verdict = if d.within { "within" } else { "past" };
            Some(BarPanel {
                title: d.metric.clone(),
                bars: vec![("value".to_owned(), d.value)],
                threshold: Some(d.threshold),
                threshold_note: format!(
                    "threshold {side} {}: {verdict}",
                    label_number(d.threshold)
                ),
            })
        })
        .collect()
}
