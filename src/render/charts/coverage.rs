//! The coverage matrix as a heatmap: learners (rows) against a rubric's criteria
//! (columns), each cell shaded by its verdict (darker is further along) and marked with
//! the verdict's symbol, as the table beside it is.

use super::draw::{self, FONT, INK, ON_DARK, ON_LIGHT};
use super::{Chart, clip};
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

/// The most learners drawn: past it the chart would be a grey wall, and its SVG large;
/// the table beside it lists everyone.
pub const MAX_ROWS: usize = 30;
/// The most criteria drawn.
pub const MAX_COLUMNS: usize = 30;

const CELL: i32 = 22;
const GAP: i32 = 2;

fn look(status: &str) -> (RGBColor, &'static RGBColor, &'static str) {
    match status {
        "met" => (RGBColor(31, 81, 48), &ON_DARK, "✓"),
        "partial" => (RGBColor(127, 166, 80), &ON_LIGHT, "◐"),
        "unmet" => (RGBColor(240, 180, 168), &ON_LIGHT, "✗"),
        _ => (RGBColor(246, 246, 246), &ON_LIGHT, "–"),
    }
}

/// The heatmap of `statuses[learner][criterion]` (met | partial | unmet | unclaimed).
pub fn heatmap(learners: &[String], criteria: &[String], statuses: &[Vec<&str>]) -> Chart {
    if learners.is_empty() || criteria.is_empty() {
        return Chart::empty_because("There are no learners or criteria.");
    }
    let mut notes = Vec::new();
    let shown_rows = learners.len().min(MAX_ROWS);
    let shown_cols = criteria.len().min(MAX_COLUMNS);
    if shown_rows < learners.len() {
        notes.push(format!(
            "The chart shows the first {shown_rows} of {} learners; the table lists everyone.",
            learners.len()
        ));
    }
    if shown_cols < criteria.len() {
        notes.push(format!(
            "The chart shows the first {shown_cols} of {} criteria; the table lists all.",
            criteria.len()
        ));
    }
    let label_chars = learners
        .iter()
        .take(shown_rows)
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let label_w = (label_chars as f64 * FONT * 0.6).ceil() as i32 + 10;
    let head_chars = criteria
        .iter()
        .take(shown_cols)
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .min(16);
    let head_h = (head_chars as f64 * (FONT - 1.0) * 0.6).ceil() as i32 + 10;
    let legend_h = 26;
    let rows = i32::try_from(shown_rows).unwrap_or(0);
    let cols = i32::try_from(shown_cols).unwrap_or(0);
    let grid_w = cols * (CELL + GAP);
    let width = (label_w + grid_w + 8).max(360);
    let height = legend_h + head_h + rows * (CELL + GAP) + 6;
    let svg = draw::svg(
        width,
        height,
        &format!(
            "Heatmap of {} learners against {} criteria, shaded by verdict",
            learners.len(),
            criteria.len()
        ),
        |area| {
            let mut x = 0;
            for s in ["met", "partial", "unmet", "unclaimed"] {
                let (bg, ink, mark) = look(s);
                draw::rect(area, (x, 4), (x + 16, 20), &bg)?;
                draw::outline(area, (x, 4), (x + 16, 20), &INK)?;
                draw::text(area, mark, (x + 8, 12), FONT - 1.0, HPos::Center, ink)?;
                draw::text(area, s, (x + 21, 12), FONT, HPos::Left, &INK)?;
                x += 21 + draw::text_width(s, FONT) + 14;
            }
            for (c, crit) in criteria.iter().take(shown_cols).enumerate() {
                let cx = label_w + i32::try_from(c).unwrap_or(0) * (CELL + GAP) + CELL / 2;
                draw::upward(
                    area,
                    &clip(crit, 16),
                    (cx, legend_h + head_h - 4),
                    FONT - 1.0,
                )?;
            }
            let top = legend_h + head_h;
            for (r, learner) in learners.iter().take(shown_rows).enumerate() {
                let y = top + i32::try_from(r).unwrap_or(0) * (CELL + GAP);
                draw::text(
                    area,
                    &clip(learner, 24),
                    (label_w - 8, y + CELL / 2),
                    FONT,
                    HPos::Right,
                    &INK,
                )?;
                for c in 0..shown_cols {
                    let x = label_w + i32::try_from(c).unwrap_or(0) * (CELL + GAP);
                    let status = statuses
                        .get(r)
                        .and_then(|row| row.get(c))
                        .copied()
                        .unwrap_or("unclaimed");
                    let (bg, ink, mark) = look(status);
                    draw::rect(area, (x, y), (x + CELL, y + CELL), &bg)?;
                    draw::text(
                        area,
                        mark,
                        (x + CELL / 2, y + CELL / 2),
                        FONT,
                        HPos::Center,
                        ink,
                    )?;
                }
            }
            draw::outline(
                area,
                (label_w - 1, top - 1),
                (
                    label_w + grid_w - GAP + 1,
                    top + rows * (CELL + GAP) - GAP + 1,
                ),
                &INK,
            )
        },
    );
    Chart { svg, notes }
}
