//! The fairness item a tool's report becomes.

use crate::model::decode::At;
use crate::model::kinds::fairness::{Fairness, MetricFrame};

/// A fairness result holding only what a report measures: the model, the dataset, the
/// sensitive features and the metrics per group. The disparities, explainability, review
/// and model card stay empty for the importer (or the native item) to fill.
pub(crate) fn reported(
    model: Option<At<String>>,
    dataset: Option<At<String>>,
    sensitive_features: Vec<At<String>>,
    metrics: Vec<MetricFrame>,
) -> Fairness {
    Fairness {
        model,
        dataset,
        sensitive_features,
        metrics,
        disparities: Vec::new(),
        explainability: None,
        review: None,
        card: None,
    }
}
