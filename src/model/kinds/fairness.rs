//! fairness (DESIGN 3.4): metrics by group, disparities against thresholds,
//! explainability and the review.

use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::Serialize;

choice!(
    /// Which side of its threshold a disparity must stay.
    Direction { AtMost = "at-most", AtLeast = "at-least" }
);

/// A fairness and explainability result.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Fairness {
    /// The model evaluated.
    pub model: Option<At<String>>,
    /// The evaluation data.
    pub dataset: Option<At<String>>,
    /// Features whose groups are compared.
    pub sensitive_features: Vec<At<String>>,
    /// Metrics per group of a feature (Fairlearn's MetricFrame.by_group).
    pub metrics: Vec<MetricFrame>,
    /// Disparities and their thresholds.
    pub disparities: Vec<Disparity>,
    /// Feature importances.
    pub explainability: Option<Explainability>,
    /// The human review.
    pub review: Option<Review>,
    /// What an imported Hugging Face model card adds; native items never have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub card: Option<Card>,
}

/// The parts of a Hugging Face model card a fairness result has no field for, kept so
/// the item's page shows the whole card.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// Front-matter facts worth showing (licence, base model, datasets, ...), in order.
    pub facts: Vec<CardFact>,
    /// The card's Markdown body, rendered as the item's description.
    pub description: Option<String>,
    /// Metrics whose value is not a number, kept as written rather than dropped.
    pub text_metrics: Vec<TextMetric>,
}

/// A labelled front-matter fact.
#[derive(Debug, Clone, Serialize)]
pub struct CardFact {
    /// What it is (`License`, `Base model`).
    pub label: String,
    /// Its text (lists joined with commas).
    pub value: String,
}

/// A metric reported as text (`"95.2 ± 0.3"`, `"N/A"`), placed like a numeric one.
#[derive(Debug, Clone, Serialize)]
pub struct TextMetric {
    /// The frame's feature.
    pub feature: String,
    /// The group.
    pub group: String,
    /// The metric's name.
    pub metric: String,
    /// The value as written.
    pub value: At<String>,
}

/// One group's metrics, by name, in the order written.
pub type GroupMetrics = Vec<(String, At<f64>)>;

/// Metrics of each group of one feature.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MetricFrame {
    /// The sensitive feature.
    pub feature: At<String>,
    /// Group name to metric name to value.
    #[serde(serialize_with = "crate::model::decode::pairs_nested")]
    #[schemars(
        with = "std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>"
    )]
    pub groups: Vec<(String, GroupMetrics)>,
}

/// A disparity and its threshold.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Disparity {
    /// The metric (demographic_parity_ratio, ...).
    pub metric: At<String>,
    /// The feature.
    pub feature: Option<At<String>>,
    /// The measured value.
    pub value: At<f64>,
    /// The limit.
    pub threshold: At<f64>,
    /// at-most (default) or at-least.
    pub direction: Option<At<Direction>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

impl Disparity {
    /// Whether the value is on the right side of its threshold.
    pub fn within(&self) -> bool {
        match self
            .direction
            .as_ref()
            .map_or(Direction::AtMost, |d| d.value)
        {
            Direction::AtMost => self.value.value <= self.threshold.value,
            Direction::AtLeast => self.value.value >= self.threshold.value,
        }
    }
}

/// Explainability results.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Explainability {
    /// SHAP, permutation importance, ...
    pub method: Option<At<String>>,
    /// Feature to importance.
    #[serde(serialize_with = "crate::model::decode::pairs")]
    #[schemars(with = "std::collections::BTreeMap<String, f64>")]
    pub global_importance: Vec<(String, At<f64>)>,
    /// Remarks.
    pub notes: Option<At<String>>,
}

/// A human review with its cadence.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Review {
    /// Who reviewed.
    pub reviewer: Option<At<String>>,
    /// When.
    pub reviewed_on: Option<At<Date>>,
    /// What was decided (approved, approved-with-conditions, rejected, ...).
    pub decision: Option<At<String>>,
    /// Days until the next review is due.
    pub cadence_days: Option<At<u32>>,
    /// Remarks.
    pub notes: Option<At<String>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// Fields of a fairness result beyond the header.
pub const FIELDS: &[&str] = &[
    "model",
    "dataset",
    "sensitive_features",
    "metrics",
    "disparities",
    "explainability",
    "review",
];

impl Fairness {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Fairness> {
        let metrics = d.list(doc, "metrics", |d, n| {
            d.fields(n, "a metric frame", &["feature", "groups"]);
            let feature = d.req_text(n, "feature", "name the sensitive feature in `feature`");
            let groups = match n.get("groups") {
                Some(g) => d.at_key("groups", |d| match &g.value {
                    crate::model::Value::Map(entries) => entries
                        .iter()
                        .map(|e| (e.key.clone(), d.number_map(g, &e.key)))
                        .collect(),
                    _ => {
                        d.error(
                            "E0206",
                            g.pos,
                            1,
                            format!(
                                "`groups` must be a mapping of group names to metrics, found {}",
                                g.shape()
                            ),
                            "write `group: {metric: value}` lines".to_owned(),
                        );
                        Vec::new()
                    }
                }),
                None => Vec::new(),
            };
            Some(MetricFrame {
                feature: feature?,
                groups,
            })
        });
        let disparities = d.list(doc, "disparities", |d, n| {
            d.fields(
                n,
                "a disparity",
                &["metric", "feature", "value", "threshold", "direction"],
            );
            let path = d.path();
            let metric = d.req_text(n, "metric", "name the metric in `metric`");
            let value = d.number(n, "value");
            if value.is_none() && n.get("value").is_none() {
                d.missing(n, "value", "write the measured value");
            }
            let threshold = d.number(n, "threshold");
            if threshold.is_none() && n.get("threshold").is_none() {
                d.missing(n, "threshold", "write the limit the value must respect");
            }
            Some(Disparity {
                metric: metric?,
                feature: d.text(n, "feature"),
                value: value?,
                threshold: threshold?,
                direction: d.choice(n, "direction"),
                path,
            })
        });
        let explainability = d.nested(doc, "explainability", |d, n| {
            d.fields(
                n,
                "explainability",
                &["method", "global_importance", "notes"],
            );
            Some(Explainability {
                method: d.text(n, "method"),
                global_importance: d.number_map(n, "global_importance"),
                notes: d.text(n, "notes"),
            })
        });
        let review = d.nested(doc, "review", |d, n| {
            d.fields(
                n,
                "a review",
                &[
                    "reviewer",
                    "reviewed_on",
                    "decision",
                    "cadence_days",
                    "notes",
                ],
            );
            Some(Review {
                path: d.path(),
                reviewer: d.text(n, "reviewer"),
                reviewed_on: d.req_date(n, "reviewed_on"),
                decision: d.text(n, "decision"),
                cadence_days: d.count(n, "cadence_days"),
                notes: d.text(n, "notes"),
            })
        });
        Some(Fairness {
            model: d.text(doc, "model"),
            dataset: d.text(doc, "dataset"),
            sensitive_features: d.texts(doc, "sensitive_features"),
            metrics,
            disparities,
            explainability,
            review,
            card: None,
        })
    }
}
