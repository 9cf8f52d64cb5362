//! Checks that read a fairness assessment: disparities, explainability, its review.

use super::{Facts, Outcome, age, fail, list, pass, plural};
use crate::model::kinds::fairness::Fairness;

/// `disparities-within-threshold`: every disparity on the right side of its threshold.
pub(super) fn disparities_within_threshold(id: &str, f: &Fairness) -> Outcome {
    if f.disparities.is_empty() {
        return fail(format!(
            "{id}: records no disparities to compare with a threshold"
        ));
    }
    let past: Vec<String> = f
        .disparities
        .iter()
        .filter(|d| !d.within())
        .map(|d| {
            let feature = d
                .feature
                .as_ref()
                .map(|x| format!(" for {}", x.value))
                .unwrap_or_default();
            format!(
                "{}{feature} is {}, past its threshold {}",
                d.metric.value, d.value.value, d.threshold.value
            )
        })
        .collect();
    if past.is_empty() {
        pass(format!(
            "{id}: {} within {}",
            plural(f.disparities.len(), "disparity", "disparities"),
            if f.disparities.len() == 1 {
                "its threshold"
            } else {
                "their thresholds"
            }
        ))
    } else {
        fail(format!("{id}: {}", list(&past)))
    }
}

/// `has-explainability`: an explainability section with global feature importance.
pub(super) fn has_explainability(id: &str, f: &Fairness) -> Outcome {
    match &f.explainability {
        Some(x) if !x.global_importance.is_empty() => {
            let method = x
                .method
                .as_ref()
                .map(|m| format!(" ({})", m.value))
                .unwrap_or_default();
            pass(format!(
                "{id}: global importance for {}{method}",
                plural(x.global_importance.len(), "feature", "features")
            ))
        }
        Some(_) => fail(format!(
            "{id}: its explainability section has no feature importance"
        )),
        None => fail(format!("{id}: has no explainability section")),
    }
}

/// `review-current` on a fairness assessment: reviewed within its own cadence, else the
/// check's, else a year.
pub(super) fn review_current(
    id: &str,
    f: &Fairness,
    days: Option<u32>,
    facts: &Facts<'_>,
) -> Outcome {
    let Some(review) = &f.review else {
        return fail(format!("{id}: has no review"));
    };
    let Some(on) = review.reviewed_on.as_ref().map(|x| x.value) else {
        return fail(format!("{id}: its review has no `reviewed_on` date"));
    };
    let cadence = review
        .cadence_days
        .as_ref()
        .map(|c| c.value)
        .or(days)
        .unwrap_or(365);
    age(id, "reviewed", on, cadence, facts.today)
}
