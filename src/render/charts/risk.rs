//! A threat model's likelihood x impact heatmap: each cell shaded by its risk level and
//! labelled with its count and level, so it reads in greyscale.

use super::Chart;
use super::draw::{self, FONT, INK, ON_DARK, ON_LIGHT};
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

const CELL_W: i32 = 96;
const CELL_H: i32 = 52;
const LABEL_W: i32 = 110;
const HEAD_H: i32 = 40;

fn fill(level: &str) -> (RGBColor, &'static RGBColor) {
    match level {
        "critical" => (RGBColor(122, 31, 36), &ON_DARK),
        "high" => (RGBColor(210, 105, 58), &ON_DARK),
        "medium" => (RGBColor(233, 196, 106), &ON_LIGHT),
        _ => (RGBColor(238, 243, 234), &ON_LIGHT),
    }
}

/// The heatmap of `counts[row][column]`: rows are `impacts` (top to bottom), columns
/// `likelihoods`, `levels` the risk level of each cell (low | medium | high | critical).
pub fn heatmap(
    likelihoods: &[&str],
    impacts: &[&str],
    counts: &[Vec<usize>],
    levels: &[Vec<&str>],
) -> Chart {
    let total: usize = counts.iter().flatten().sum();
    if total == 0 {
        return Chart::empty_because("No threat has both a likelihood and an impact.");
    }
    let cols = i32::try_from(likelihoods.len()).unwrap_or(0);
    let rows = i32::try_from(impacts.len()).unwrap_or(0);
    let width = LABEL_W + cols * CELL_W + 4;
    let height = HEAD_H + rows * CELL_H + 4;
    let svg = draw::svg(
        width,
        height,
        &format!("Heatmap of {total} threats by impact (rows) and likelihood (columns)"),
        |area| {
            draw::text(area, "Impact ↓", (4, 12), FONT - 1.0, HPos::Left, &INK)?;
            draw::text(area, "Likelihood →", (4, 28), FONT - 1.0, HPos::Left, &INK)?;
            for (c, l) in likelihoods.iter().enumerate() {
                let x = LABEL_W + i32::try_from(c).unwrap_or(0) * CELL_W + CELL_W / 2;
                draw::bold(area, l, (x, HEAD_H / 2 + 6), FONT, HPos::Center)?;
            }
            for (r, impact) in impacts.iter().enumerate() {
                let y = HEAD_H + i32::try_from(r).unwrap_or(0) * CELL_H;
                draw::bold(
                    area,
                    impact,
                    (LABEL_W - 10, y + CELL_H / 2),
                    FONT,
                    HPos::Right,
                )?;
                for c in 0..likelihoods.len() {
                    let x = LABEL_W + i32::try_from(c).unwrap_or(0) * CELL_W;
                    let n = counts
                        .get(r)
                        .and_then(|row| row.get(c))
                        .copied()
                        .unwrap_or(0);
                    let level = levels
                        .get(r)
                        .and_then(|row| row.get(c))
                        .copied()
                        .unwrap_or("low");
                    let (bg, ink) = fill(level);
                    let (a, b) = ((x + 1, y + 1), (x + CELL_W - 1, y + CELL_H - 1));
                    draw::rect(area, a, b, &bg)?;
                    draw::outline(area, a, b, &INK)?;
                    draw::text(
                        area,
                        &n.to_string(),
                        (x + CELL_W / 2, y + CELL_H / 2 - 6),
                        if n > 0 { FONT + 4.0 } else { FONT },
                        HPos::Center,
                        ink,
                    )?;
                    draw::text(
                        area,
                        level,
                        (x + CELL_W / 2, y + CELL_H - 11),
                        FONT - 2.0,
                        HPos::Center,
                        ink,
                    )?;
                }
            }
            Ok(())
        },
    );
    Chart {
        svg,
        notes: Vec::new(),
    }
}
