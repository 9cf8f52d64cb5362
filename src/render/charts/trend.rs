//! Open findings over time, where several scans share a target: a line per severity over
//! the scans' `scanned` dates. Each severity has its own marker and line style, and the
//! legend gives its latest count, so the lines read without colour.

use super::Chart;
use super::draw::{self, FONT, INK, WIDTH};
use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// The severities, most severe first: the order of [`TrendPoint::open`].
pub const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

/// One scan of the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// When it was scanned.
    pub date: Date,
    /// The scan's id.
    pub scan: String,
    /// Open findings per severity, in [`SEVERITIES`] order.
    pub open: [usize; 5],
}

const COLORS: [RGBColor; 5] = [
    RGBColor(110, 20, 35),
    RGBColor(192, 86, 42),
    RGBColor(120, 100, 0),
    RGBColor(61, 111, 168),
    RGBColor(107, 114, 128),
];

const LEFT: i32 = 44;
const TOP: i32 = 14;
const PLOT_H: i32 = 200;
const LEGEND_W: i32 = 150;
const HEIGHT: i32 = TOP + PLOT_H + 40;

/// The chart of `points` (any order; drawn by date, then scan id). Fewer than two
/// points is no trend, and no chart.
pub fn chart(target: &str, points: &[TrendPoint]) -> Chart {
    if points.len() < 2 {
        return Chart::empty_because("There is only one dated scan of this target.");
    }
    let mut points: Vec<&TrendPoint> = points.iter().collect();
    points.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.scan.cmp(&b.scan)));
    let mut series: Vec<usize> = (0..SEVERITIES.len())
        .filter(|s| points.iter().any(|p| p.open[*s] > 0))
        .collect();
    if series.is_empty() {
        // Nothing open at any date: one flat line still says so.
        series.push(0);
    }
    let max = points
        .iter()
        .flat_map(|p| series.iter().map(|s| p.open[*s]))
        .max()
        .unwrap_or(0)
        .max(1);
    let first = points[0].date;
    let days: Vec<i64> = points
        .iter()
        .map(|p| first.until(p.date).map_or(0, |s| i64::from(s.get_days())))
        .collect();
    let span = days.last().copied().unwrap_or(0).max(1);
    let (x0, x1) = (LEFT, WIDTH - LEGEND_W - 16);
    let bottom = TOP + PLOT_H;
    let x_of = |i: usize| {
        if days.last().copied().unwrap_or(0) == 0 {
            // Every scan on one day: spread them evenly instead.
            x0 + (i as f64 / (points.len() - 1) as f64 * f64::from(x1 - x0)) as i32
        } else {
            x0 + (days[i] as f64 / span as f64 * f64::from(x1 - x0)) as i32
        }
    };
    let y_of = |n: usize| bottom - (n as f64 / max as f64 * f64::from(PLOT_H)) as i32;
    let svg = draw::svg(
        WIDTH,
        HEIGHT,
        &format!(
            "Line chart of open findings by severity across {} scans of {target}",
            points.len()
        ),
        |area| {
            // Axes, with the y axis at 0, half and the maximum.
            draw::line(area, (x0, TOP), (x0, bottom), &INK)?;
            draw::line(area, (x0, bottom), (x1, bottom), &INK)?;
            // Every count when there are few, else the ends and the middle.
            let ticks: Vec<usize> = if max <= 5 {
                (0..=max).collect()
            } else {
                vec![0, max / 2, max]
            };
            for t in ticks {
                let y = y_of(t);
                draw::line(area, (x0 - 4, y), (x0, y), &INK)?;
                if t > 0 {
                    draw::line(area, (x0 + 1, y), (x1, y), &draw::FAINT)?;
                }
                draw::text(
                    area,
                    &t.to_string(),
                    (x0 - 7, y),
                    FONT - 1.0,
                    HPos::Right,
                    &INK,
                )?;
            }
            // Date labels, thinned so they never overlap.
            let mut last_label: Option<i32> = None;
            for (i, p) in points.iter().enumerate() {
                let x = x_of(i);
                draw::line(area, (x, bottom), (x, bottom + 4), &INK)?;
                if last_label.is_none_or(|l| x - l >= 84) {
                    draw::text(
                        area,
                        &p.date.to_string(),
                        (x, bottom + 14),
                        FONT - 1.0,
                        HPos::Center,
                        &INK,
                    )?;
                    last_label = Some(x);
                }
            }
            draw::text(
                area,
                "open findings by scan date",
                (x0, bottom + 32),
                FONT - 1.0,
                HPos::Left,
                &INK,
            )?;
            for (k, s) in series.iter().enumerate() {
                let color = &COLORS[*s];
                let pts: Vec<(i32, i32)> = (0..points.len())
                    .map(|i| (x_of(i), y_of(points[i].open[*s])))
                    .collect();
                if s % 2 == 0 {
                    area.draw(&PathElement::new(pts.clone(), color.stroke_width(2)))?;
                } else {
                    area.draw(&plotters::element::DashedPathElement::new(
                        pts.clone(),
                        5,
                        3,
                        color.stroke_width(2),
                    ))?;
                }
                for p in &pts {
                    marker(area, *s, *p, color)?;
                }
                // Legend: marker, severity and latest count.
                let ly = TOP + 8 + i32::try_from(k).unwrap_or(0) * 22;
                let lx = x1 + 24;
                marker(area, *s, (lx, ly), color)?;
                let latest = points.last().map_or(0, |p| p.open[*s]);
                draw::text(
                    area,
                    &format!("{} (now {latest})", SEVERITIES[*s]),
                    (lx + 12, ly),
                    FONT,
                    HPos::Left,
                    &INK,
                )?;
            }
            Ok(())
        },
    );
    Chart {
        svg,
        notes: Vec::new(),
    }
}

/// A severity's own marker shape, so lines are told apart without colour.
fn marker(
    area: &draw::Area<'_>,
    severity: usize,
    (x, y): (i32, i32),
    color: &RGBColor,
) -> draw::Drawn {
    match severity {
        0 => area.draw(&Circle::new((x, y), 4, color.filled())),
        1 => area.draw(&TriangleMarker::new((x, y), 5, color.filled())),
        2 => area.draw(&Rectangle::new(
            [(x - 4, y - 4), (x + 4, y + 4)],
            color.filled(),
        )),
        3 => area.draw(&Cross::new((x, y), 4, color.stroke_width(2))),
        _ => area.draw(&Circle::new((x, y), 4, color.stroke_width(2))),
    }
}
