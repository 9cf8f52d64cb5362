//! Explainability's global feature importance as horizontal bars, most important first.

use super::draw::{self, BarPanel};
use super::{Chart, not_a_number};

/// The most features drawn; a model with hundreds keeps the rest in the table.
pub const MAX_FEATURES: usize = 40;

/// The chart of `features` (name and importance, in the order to draw them).
pub fn chart(method: Option<&str>, features: &[(String, f64)]) -> Chart {
    let mut notes = Vec::new();
    let mut bars = Vec::new();
    for (name, v) in features {
        if v.is_finite() {
            bars.push((name.clone(), *v));
        } else {
            notes.push(format!(
                "Importance of {name} is {}: left out of the chart.",
                not_a_number(*v)
            ));
        }
    }
    if bars.len() > MAX_FEATURES {
        notes.push(format!(
            "The chart shows the first {MAX_FEATURES} of {} features; the table lists all.",
            bars.len()
        ));
        bars.truncate(MAX_FEATURES);
    }
    let title = match method {
        Some(m) => format!("Global importance ({})", super::clip(m, 60)),
        None => "Global importance".to_owned(),
    };
    let panel = BarPanel {
        title,
        bars,
        threshold: None,
        threshold_note: String::new(),
    };
    Chart {
        svg: draw::panels("Bar chart of global feature importance", &[panel]),
        notes,
    }
}
