//! The drawing kit the charts share: an SVG canvas on plotters' string backend, text
//! without font metrics, and the horizontal bar panel that the fairness and
//! explainability charts are built from.

use super::{clip, escape, label_number};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(crate) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The colour of text, axes and outlines; the stylesheet swaps it for the page's text
/// colour (it matches `[fill="#000000"]` and `[stroke="#000000"]`), so dark mode works.
pub(crate) const INK: RGBColor = RGBColor(0, 0, 0);
/// Text on dark fills.
pub(crate) const ON_DARK: RGBColor = RGBColor(255, 255, 255);
/// Text on light fills (not [`INK`], so dark mode leaves it dark on its light fill).
pub(crate) const ON_LIGHT: RGBColor = RGBColor(17, 17, 17);
/// Grid lines and faint outlines.
pub(crate) const FAINT: RGBColor = RGBColor(140, 148, 158);
/// The single colour of plain bars: mid lightness, so it reads on light and dark pages.
pub(crate) const BAR: RGBColor = RGBColor(74, 111, 165);

/// Every chart's width in SVG units; CSS scales it down on narrow screens.
pub(crate) const WIDTH: i32 = 640;
/// The label font size in pixels.
pub(crate) const FONT: f64 = 12.0;

/// Draws with `f` on a canvas of `width` x `height` and returns the SVG, with the root
/// element carrying `role="img"`, `label` as its accessible name and `<title>`.
pub(crate) fn svg(
    width: i32,
    height: i32,
    label: &str,
    f: impl FnOnce(&Area<'_>) -> Drawn,
) -> Option<String> {
    let (w, h) = (u32::try_from(width).ok()?, u32::try_from(height).ok()?);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        f(&root).ok()?;
        root.present().ok()?;
    }
    // plotters opens with its own <svg ...> line; ours adds the class and accessibility.
    let body = buf.find('>').map(|i| &buf[i + 1..])?;
    let label = escape(label);
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\">\n\
         <title>{label}</title>{body}"
    ))
}

/// Approximate width of `text` at `px`: without font metrics, an average glyph is
/// taken as 0.6 em, which is generous for sans-serif.
pub(crate) fn text_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.6).ceil() as i32
}

/// How many characters fit in `width` at `px`.
pub(crate) fn chars_in(width: i32, px: f64) -> usize {
    usize::try_from((f64::from(width) / (px * 0.6)).floor() as i64).unwrap_or(0)
}

/// Text anchored at `at`, vertically centred.
pub(crate) fn text(
    area: &Area<'_>,
    s: &str,
    at: (i32, i32),
    px: f64,
    h: HPos,
    color: &RGBColor,
) -> Drawn {
    if s.is_empty() {
        return Ok(());
    }
    // plotters writes font-size as size / 1.24.
    let style = TextStyle::from(("sans-serif", px * 1.24).into_font())
        .color(color)
        .pos(Pos::new(h, VPos::Center));
    area.draw(&Text::new(s.to_owned(), at, style))
}

/// Bold text anchored at `at`, vertically centred.
pub(crate) fn bold(area: &Area<'_>, s: &str, at: (i32, i32), px: f64, h: HPos) -> Drawn {
    let style = TextStyle::from(("sans-serif", px * 1.24, FontStyle::Bold).into_font())
        .color(&INK)
        .pos(Pos::new(h, VPos::Center));
    area.draw(&Text::new(s.to_owned(), at, style))
}

/// Text turned to read upwards, its end at `at` (for column headings).
pub(crate) fn upward(area: &Area<'_>, s: &str, at: (i32, i32), px: f64) -> Drawn {
    let style = TextStyle::from(("sans-serif", px * 1.24).into_font())
        .color(&INK)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(s.to_owned(), at, style))
}

pub(crate) fn rect(area: &Area<'_>, a: (i32, i32), b: (i32, i32), fill: &RGBColor) -> Drawn {
    area.draw(&Rectangle::new([a, b], fill.filled()))
}

pub(crate) fn outline(area: &Area<'_>, a: (i32, i32), b: (i32, i32), color: &RGBColor) -> Drawn {
    area.draw(&Rectangle::new([a, b], color.stroke_width(1)))
}

pub(crate) fn line(area: &Area<'_>, a: (i32, i32), b: (i32, i32), color: &RGBColor) -> Drawn {
    area.draw(&PathElement::new(vec![a, b], color.stroke_width(1)))
}

/// A dashed line: thresholds are always dashed, so they read without colour.
pub(crate) fn dashed(area: &Area<'_>, points: Vec<(i32, i32)>, width: u32) -> Drawn {
    area.draw(&plotters::element::DashedPathElement::new(
        points,
        6,
        4,
        INK.stroke_width(width),
    ))
}

/// One panel of horizontal bars: a title, a bar per label from zero to its value, the
/// value written beside each bar, an axis with its ends and zero, and an optional
/// dashed threshold.
pub(crate) struct BarPanel {
    pub(crate) title: String,
    /// Finite values only; the caller has taken the others out.
    pub(crate) bars: Vec<(String, f64)>,
    pub(crate) threshold: Option<f64>,
    /// What the threshold means, written under the axis ("at least 0.8: within").
    pub(crate) threshold_note: String,
}

const TITLE_H: i32 = 22;
const ROW_H: i32 = 22;
const AXIS_H: i32 = 20;
const NOTE_H: i32 = 18;
/// The column at the right that holds each bar's value.
const VALUE_W: i32 = 56;

impl BarPanel {
    pub(crate) fn height(&self) -> i32 {
        let rows = i32::try_from(self.bars.len()).unwrap_or(i32::MAX / 2);
        TITLE_H
            + rows.saturating_mul(ROW_H)
            + AXIS_H
            + if self.threshold.is_some() { NOTE_H } else { 0 }
            + 10
    }
}

/// Draws `p` in the box from `(left, top)`, `width` wide, its labels in a column
/// `label_w` wide.
pub(crate) fn bar_panel(
    area: &Area<'_>,
    (left, top): (i32, i32),
    width: i32,
    label_w: i32,
    p: &BarPanel,
) -> Drawn {
    let title = clip(&p.title, chars_in(width - 8, FONT));
    bold(area, &title, (left, top + TITLE_H / 2), FONT, HPos::Left)?;
    let max_chars = chars_in(label_w - 4, FONT);
    let label_w = left + label_w;
    let x0 = label_w + 6;
    let x1 = left + width - VALUE_W - 6;
    let mut lo = 0.0_f64;
    let mut hi = 0.0_f64;
    for v in p.bars.iter().map(|(_, v)| *v).chain(p.threshold) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= f64::EPSILON {
        hi = lo + 1.0;
    }
    let x_of = |v: f64| x0 + ((v - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32;
    let rows_top = top + TITLE_H;
    let rows = i32::try_from(p.bars.len()).unwrap_or(0);
    let rows_bottom = rows_top + rows * ROW_H;
    let zero = x_of(0.0);
    for (i, (label, v)) in p.bars.iter().enumerate() {
        let y = rows_top + i32::try_from(i).unwrap_or(0) * ROW_H;
        let mid = y + ROW_H / 2;
        text(
            area,
            &clip(label, max_chars),
            (label_w, mid),
            FONT,
            HPos::Right,
            &INK,
        )?;
        let end = x_of(*v);
        let (a, b) = if end >= zero {
            (zero, end)
        } else {
            (end, zero)
        };
        if b > a {
            rect(area, (a, y + 3), (b, y + ROW_H - 3), &BAR)?;
        }
        text(
            area,
            &label_number(*v),
            (x1 + 8, mid),
            FONT,
            HPos::Left,
            &INK,
        )?;
    }
    // Axis: zero as a solid line, the ends and zero labelled.
    line(area, (zero, rows_top), (zero, rows_bottom + 4), &INK)?;
    line(area, (x0, rows_bottom + 4), (x1, rows_bottom + 4), &INK)?;
    let ay = rows_bottom + 4 + AXIS_H / 2;
    text(
        area,
        &label_number(lo),
        (x0, ay),
        FONT - 1.0,
        HPos::Left,
        &INK,
    )?;
    text(
        area,
        &label_number(hi),
        (x1, ay),
        FONT - 1.0,
        HPos::Right,
        &INK,
    )?;
    if zero - x0 > 30 && x1 - zero > 30 {
        text(area, "0", (zero, ay), FONT - 1.0, HPos::Center, &INK)?;
    }
    if let Some(t) = p.threshold {
        let tx = x_of(t);
        dashed(area, vec![(tx, rows_top - 2), (tx, rows_bottom + 6)], 2)?;
        let ny = rows_bottom + 4 + AXIS_H + NOTE_H / 2;
        dashed(area, vec![(x0, ny), (x0 + 22, ny)], 2)?;
        text(
            area,
            &clip(
                &p.threshold_note,
                chars_in(left + width - x0 - 28, FONT - 1.0),
            ),
            (x0 + 28, ny),
            FONT - 1.0,
            HPos::Left,
            &INK,
        )?;
    }
    Ok(())
}

/// Draws `panels` as one chart: a single panel full width, several in two columns
/// (small multiples, row by row), so a feature's metrics sit side by side.
pub(crate) fn panels(label: &str, panels: &[BarPanel]) -> Option<String> {
    let panels: Vec<&BarPanel> = panels.iter().filter(|p| !p.bars.is_empty()).collect();
    if panels.is_empty() {
        return None;
    }
    let columns: usize = if panels.len() > 1 { 2 } else { 1 };
    let column_w = WIDTH / i32::try_from(columns).unwrap_or(1);
    let longest = panels
        .iter()
        .flat_map(|p| &p.bars)
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(if columns == 1 { 26 } else { 14 });
    let label_w = (longest as f64 * FONT * 0.6).ceil() as i32 + 8;
    let row_heights: Vec<i32> = panels
        .chunks(columns)
        .map(|row| row.iter().map(|p| p.height()).max().unwrap_or(0))
        .collect();
    let height: i32 = row_heights.iter().sum();
    svg(WIDTH, height, label, |area| {
        let mut top = 0;
        for (row, h) in panels.chunks(columns).zip(&row_heights) {
            for (c, p) in row.iter().enumerate() {
                let left = i32::try_from(c).unwrap_or(0) * column_w;
                let gap = if columns > 1 { 16 } else { 0 };
                bar_panel(area, (left, top), column_w - gap, label_w, p)?;
            }
            top += h;
        }
        Ok(())
    })
}
