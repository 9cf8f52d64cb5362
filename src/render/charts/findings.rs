//! A scan's (or SBOM's) findings by severity, each bar stacked by status. It is drawn
//! from the counts, so a report with a million findings gives the same small chart.

use super::Chart;
use super::draw::{self, FONT, INK, ON_DARK, ON_LIGHT, WIDTH};
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

/// Status fills, in stacking order, from dark to light (greyscale luminance about 40,
/// 105, 145, 195, 230), so the order reads without colour; the legend names them.
const FILLS: [RGBColor; 5] = [
    RGBColor(110, 20, 35),
    RGBColor(192, 86, 42),
    RGBColor(139, 143, 168),
    RGBColor(159, 211, 168),
    RGBColor(228, 231, 235),
];

const LABEL_W: i32 = 84;
const LEGEND_H: i32 = 28;
const ROW_H: i32 = 26;
const TOTAL_W: i32 = 60;

/// The chart of `counts[row][column]`: rows are `severities`, columns `statuses` (at
/// most five are drawn; the fills run out after that).
pub fn chart(severities: &[&str], statuses: &[&str], counts: &[Vec<usize>]) -> Chart {
    let totals: Vec<usize> = counts.iter().map(|r| r.iter().sum()).collect();
    let grand: usize = totals.iter().sum();
    if grand == 0 || severities.is_empty() {
        return Chart::empty_because("There are no findings.");
    }
    let columns = statuses.len().min(FILLS.len());
    let max = totals.iter().copied().max().unwrap_or(1).max(1);
    let rows = i32::try_from(severities.len().min(counts.len())).unwrap_or(0);
    let height = LEGEND_H + rows * ROW_H + 8;
    let x0 = LABEL_W;
    let x1 = WIDTH - TOTAL_W;
    let svg = draw::svg(
        WIDTH,
        height,
        &format!("Stacked bar chart of {grand} findings by severity and status"),
        |area| {
            // Legend: a swatch and the status word, in stacking order.
            let mut x = 0;
            for (i, s) in statuses.iter().take(columns).enumerate() {
                draw::rect(area, (x, 8), (x + 14, 22), &FILLS[i])?;
                draw::outline(area, (x, 8), (x + 14, 22), &INK)?;
                draw::text(area, s, (x + 19, 15), FONT, HPos::Left, &INK)?;
                x += 19 + draw::text_width(s, FONT) + 16;
            }
            for (r, (sev, row)) in severities.iter().zip(counts).enumerate() {
                let y = LEGEND_H + i32::try_from(r).unwrap_or(0) * ROW_H;
                let mid = y + ROW_H / 2;
                draw::text(area, sev, (x0 - 8, mid), FONT, HPos::Right, &INK)?;
                // Segment ends from running totals, so rounding never drifts.
                let x_of = |n: usize| x0 + ((n as f64 / max as f64) * f64::from(x1 - x0)) as i32;
                let mut run = 0usize;
                for (c, n) in row.iter().take(columns).enumerate() {
                    if *n == 0 {
                        continue;
                    }
                    let (a, b) = (x_of(run), x_of(run + n));
                    run += n;
                    if b <= a {
                        continue;
                    }
                    draw::rect(area, (a, y + 4), (b, y + ROW_H - 4), &FILLS[c])?;
                    let label = n.to_string();
                    if b - a >= draw::text_width(&label, FONT - 1.0) + 6 {
                        let ink = if c < 2 { &ON_DARK } else { &ON_LIGHT };
                        draw::text(
                            area,
                            &label,
                            ((a + b) / 2, mid),
                            FONT - 1.0,
                            HPos::Center,
                            ink,
                        )?;
                    }
                }
                if run > 0 {
                    draw::outline(area, (x0, y + 4), (x_of(run), y + ROW_H - 4), &INK)?;
                }
                let total: usize = row.iter().sum();
                draw::text(
                    area,
                    &total.to_string(),
                    (x1 + 8, mid),
                    FONT,
                    HPos::Left,
                    &INK,
                )?;
            }
            draw::line(area, (x0, LEGEND_H), (x0, LEGEND_H + rows * ROW_H), &INK)
        },
    );
    Chart {
        svg,
        notes: Vec::new(),
    }
}
