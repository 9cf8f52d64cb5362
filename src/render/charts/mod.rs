//! SVG charts, inline in the pages: pure functions from the numbers a view already holds
//! to SVG text, drawn with plotters' SVG backend.
//!
//! Why this shape:
//! - plotters is built without fonts (`default-features = false`), so nothing here loads
//!   or measures a font: text is written as SVG `<text>` and laid out from a fixed
//!   per-character estimate. The browser draws it with whatever sans-serif it has.
//! - Every string that reaches the SVG passes through plotters' writer, which escapes
//!   `<`, `>`, `&` and quotes, or through [`escape`] for the parts written here (the
//!   root element's label and `<title>`); that is what lets templates print the SVG
//!   with `|safe`.
//! - Output is a function of the input only (integer pixel positions, no maps with
//!   random order, no clocks), so builds stay byte-identical.
//! - Colours are chosen for distinct lightness and every mark has a direct label; the
//!   ink (`#000000`) is recoloured by the stylesheet in dark mode. The page always shows
//!   a table with the same numbers beside the chart.
//! - Bad data degrades instead of failing: nothing to draw gives no SVG (the page says
//!   so), values that are not numbers are left out and named in [`Chart::notes`], and
//!   large inputs are aggregated or capped so a page's SVG stays small.

pub mod coverage;
pub mod fairness;
pub mod findings;
pub mod importance;
pub mod risk;
pub mod trend;

mod draw;

use serde::Serialize;

/// A chart as a page shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Chart {
    /// The SVG markup; `None` when there is nothing to draw, so the page writes a one-line
    /// note instead of an empty frame.
    pub svg: Option<String>,
    /// What the chart left out or shortened (values that are not numbers, rows past the
    /// cap), so a reader knows to look at the table.
    pub notes: Vec<String>,
}

impl Chart {
    /// A chart with nothing to draw.
    pub fn empty() -> Chart {
        Chart::default()
    }

    /// A chart with nothing to draw, and why.
    pub fn empty_because(note: impl Into<String>) -> Chart {
        Chart {
            svg: None,
            notes: vec![note.into()],
        }
    }
}

/// Escapes text for SVG/HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number as a chart label: at most three decimals, no trailing zeros.
pub(crate) fn label_number(x: f64) -> String {
    if !x.is_finite() {
        return not_a_number(x).to_owned();
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// How a value that cannot be drawn is named, in notes and tables.
pub fn not_a_number(x: f64) -> &'static str {
    if x.is_nan() {
        "not a number"
    } else if x > 0.0 {
        "infinity"
    } else {
        "minus infinity"
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut (the table has it whole).
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
