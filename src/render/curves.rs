//! Line charts of a run's history: one chart, any number of series, a legend, optionally a
//! log y axis and a horizontal reference line (e.g. the gradient-clipping threshold).
//!
//! A point whose y is not finite (or not positive on a log axis) is a gap: the line stops
//! before it and starts again after it, so a diverged or missing value is never drawn as
//! if it were a number. A point with no neighbour on either side is drawn as a dot, and a
//! non-finite value gets a small triangle on the plot's top edge in its series' colour.
//!
//! With smoothing on, each series is drawn twice, as TensorBoard does: the raw values
//! faint, and their debiased moving average ([`super::smoothing`]) solid on top.
//! [`draw_curve`] returns the chart's [`CurveFrame`], from which the page's hover readout
//! maps a pointer position back to data coordinates ([`CurveFrame::data_at`]).
//!
//! A long history is drawn decimated to the plot's width ([`decimate`]): of the points
//! falling in one pixel column only the first, the lowest, the highest and the last are
//! drawn, which paints nearly the same pixels (the line enters and leaves the column where
//! it did and spans the same rows) at a cost bounded by the width rather than by the run's
//! length, and a single spike survives. The axis ranges, smoothing, non-finite markers and
//! marks still see every point; markers that would land on the same pixel are drawn once.

use std::collections::HashSet;

use plotters::chart::{ChartBuilder, ChartContext, SeriesLabelPosition};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::{
    BindKeyPoints, Cartesian2d, Circle, DashedLineSeries, DrawingArea, DrawingBackend,
    IntoLogRange, LineSeries, PathElement, Polygon,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

use super::render_error;
use super::smoothing::smooth;
use super::theme::Theme;
use super::ticks::{format_tick, nice_log_ticks};
use crate::error::Result;

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub label: String,
    /// (x, y) pairs in increasing x; non-finite y values are gaps.
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
}

/// One chart.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveView<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub series: Vec<Series>,
    /// A logarithmic y axis; non-positive values become gaps.
    pub log_y: bool,
    /// A dashed horizontal line at a value, with its legend entry.
    pub hline: Option<(f64, &'a str)>,
    /// The x axis range; `None` fits the data. A page passes the whole run (e.g. epochs
    /// 1 to 100) so the axis stays put while the curve grows.
    pub x_range: Option<(f64, f64)>,
    pub theme: Theme,
    /// Weight of the debiased moving average in [0, 1); 0 draws the raw series only.
    pub smoothing: f64,
    /// Points to mark with rings (e.g. clipped updates) and their legend entry.
    pub marks: Vec<(f64, f64)>,
    pub marks_label: &'a str,
}

/// Where a drawn chart's plot lies and which data ranges its axes span.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurveFrame {
    /// Device pixels of the plot: left, top, right, bottom (inclusive).
    pub plot: [i32; 4],
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub log_y: bool,
}

impl CurveFrame {
    /// The data point (x, y) under device pixel (x_px, y_px), `None` outside the plot.
    pub fn data_at(&self, x_px: f64, y_px: f64) -> Option<(f64, f64)> {
        let [left, top, right, bottom] = self.plot.map(f64::from);
        if !(left..=right).contains(&x_px) || !(top..=bottom).contains(&y_px) || right <= left {
            return None;
        }
        let across = (x_px - left) / (right - left);
        let up = if bottom > top {
            (bottom - y_px) / (bottom - top)
        } else {
            0.5
        };
        let (x_low, x_high) = self.x_range;
        let (y_low, y_high) = self.y_range;
        let x = x_low + across * (x_high - x_low);
        let y = if self.log_y && y_low > 0.0 && y_high > 0.0 {
            (y_low.ln() + up * (y_high.ln() - y_low.ln())).exp()
        } else {
            y_low + up * (y_high - y_low)
        };
        Some((x, y))
    }
}

/// The points of every series at the x nearest a pointer.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CurveReadout {
    pub x: f64,
    pub y: f64,
    /// For each series with a point: label, the point's x, its raw y (NaN when not
    /// finite) and its smoothed y when smoothing is on.
    pub values: Vec<ReadoutValue>,
}

/// One series' value in a [`CurveReadout`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ReadoutValue {
    pub label: String,
    pub x: f64,
    pub y: Option<f64>,
    pub smoothed: Option<f64>,
}

/// What lies under device pixel (x_px, y_px) of `view` drawn with `frame`.
pub fn curve_readout(
    view: &CurveView,
    frame: &CurveFrame,
    x_px: f64,
    y_px: f64,
) -> Option<CurveReadout> {
    let (x, y) = frame.data_at(x_px, y_px)?;
    let values = view
        .series
        .iter()
        .filter_map(|series| {
            let index = nearest_index(&series.points, x)?;
            let (point_x, point_y) = series.points[index];
            let smoothed = (view.smoothing > 0.0)
                .then(|| smooth(&series.points, view.smoothing)[index].1)
                .filter(|value| value.is_finite());
            Some(ReadoutValue {
                label: series.label.clone(),
                x: point_x,
                y: point_y.is_finite().then_some(point_y),
                smoothed,
            })
        })
        .collect();
    Some(CurveReadout { x, y, values })
}

/// The index of the point whose x is closest to `x` (points in increasing x).
fn nearest_index(points: &[(f64, f64)], x: f64) -> Option<usize> {
    if points.is_empty() || !x.is_finite() {
        return None;
    }
    let after = points.partition_point(|point| point.0 < x);
    let candidates = [
        after.checked_sub(1),
        (after < points.len()).then_some(after),
    ];
    candidates
        .into_iter()
        .flatten()
        .min_by(|&a, &b| (points[a].0 - x).abs().total_cmp(&(points[b].0 - x).abs()))
}

/// The dashed reference line's colour.
const REFERENCE_COLOR: RGBColor = RGBColor(0xcc, 0x79, 0xa7);

/// The visible pieces of a series: maximal runs of drawable points.
pub fn segments(points: &[(f64, f64)], log_y: bool) -> Vec<Vec<(f64, f64)>> {
    let drawable = |&(x, y): &(f64, f64)| x.is_finite() && y.is_finite() && (!log_y || y > 0.0);
    let mut pieces = Vec::new();
    let mut current = Vec::new();
    for point in points {
        if drawable(point) {
            current.push(*point);
        } else if !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The points of `piece` (in increasing x) that decide its line when `x_range` spans
/// `width_px` pixel columns: in each column, the first, the lowest, the highest and the
/// last point, in their original order. A piece with at most four points per column is
/// returned whole. Columns are cut where plotters puts its pixels (x_low at column 0,
/// x_high at column `width_px`, rounded down after adding 1e-3), so that a column's
/// points are exactly those drawn in one pixel column.
pub fn decimate(piece: &[(f64, f64)], x_range: (f64, f64), width_px: u32) -> Vec<(f64, f64)> {
    let (x_low, x_high) = x_range;
    let span = x_high - x_low;
    let enough = piece.len() <= 4 * width_px as usize;
    if enough || !span.is_finite() || span <= 0.0 {
        return piece.to_vec();
    }
    let width = f64::from(width_px);
    let column = |x: f64| (width * ((x - x_low) / span) + 1e-3).floor();

    let mut kept = Vec::with_capacity(4 * width_px as usize + 8);
    let mut start = 0;
    while start < piece.len() {
        let this_column = column(piece[start].0);
        let mut end = start + 1;
        while end < piece.len() && column(piece[end].0) == this_column {
            end += 1;
        }
        let (mut lowest, mut highest) = (start, start);
        for index in start + 1..end {
            if piece[index].1 < piece[lowest].1 {
                lowest = index;
            }
            if piece[index].1 > piece[highest].1 {
                highest = index;
            }
        }
        let mut chosen = [start, lowest, highest, end - 1];
        chosen.sort_unstable();
        let mut previous = None;
        for index in chosen {
            if previous != Some(index) {
                kept.push(piece[index]);
                previous = Some(index);
            }
        }
        start = end;
    }
    kept
}

/// The range of the drawable values, widened so lines do not touch the frame.
pub(crate) fn padded_range(values: impl Iterator<Item = f64>, log: bool) -> Option<(f64, f64)> {
    let (low, high) = values.fold(None, |range: Option<(f64, f64)>, value| match range {
        None => Some((value, value)),
        Some((low, high)) => Some((low.min(value), high.max(value))),
    })?;
    if log {
        let (low, high) = if high / low < 1.01 {
            (low / 1.5, high * 1.5)
        } else {
            (low, high)
        };
        let factor = (high / low).powf(0.06);
        return Some((low / factor, high * factor));
    }
    // One value, or a flat line (the learning rate after one update, a constant schedule):
    // half the value's own size either side, so the axis reads in the value's units, e.g.
    // 5e-6 to 1.5e-5 around a warm-up's first 1e-5 rather than −5e-4 to 5e-4.
    let pad = if high - low <= f64::EPSILON * high.abs().max(low.abs()) {
        if high == 0.0 {
            0.5
        } else {
            high.abs() * 0.5
        }
    } else {
        (high - low) * 0.06
    };
    // A non-negative quantity keeps a floor of zero rather than dipping below it.
    let floor = if low >= 0.0 {
        (low - pad).max(0.0)
    } else {
        low - pad
    };
    Some((floor, high + pad))
}

/// Draws `view` on `area`, its lines decimated to the plot's width; returns where the plot
/// went (`None` while there is no data).
pub fn draw_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CurveView,
) -> Result<Option<CurveFrame>> {
    draw_curve_with(area, view, true)
}

/// [`draw_curve`], with every point of every line drawn when `decimated` is false.
fn draw_curve_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CurveView,
    decimated: bool,
) -> Result<Option<CurveFrame>> {
    let theme = &view.theme;
    area.fill(&theme.background()).map_err(render_error)?;

    let pieces: Vec<Vec<Vec<(f64, f64)>>> = view
        .series
        .iter()
        .map(|series| segments(&series.points, view.log_y))
        .collect();
    let drawn_points = || pieces.iter().flatten().flatten();

    let hline_value = view
        .hline
        .map(|(value, _)| value)
        .filter(|value| value.is_finite() && (!view.log_y || *value > 0.0));
    let y_values = drawn_points().map(|point| point.1).chain(hline_value);
    let Some(y_range) = padded_range(y_values, view.log_y) else {
        return draw_waiting(area, view).map(|()| None);
    };

    let x_range = match view.x_range {
        Some((low, high)) if low.is_finite() && high.is_finite() && high > low => (low, high),
        _ => {
            let xs = drawn_points().map(|point| point.0);
            match xs.fold(None, |range: Option<(f64, f64)>, x| match range {
                None => Some((x, x)),
                Some((low, high)) => Some((low.min(x), high.max(x))),
            }) {
                Some((low, high)) if high > low => (low, high),
                Some((low, _)) => (low - 1.0, low + 1.0),
                None => (0.0, 1.0),
            }
        }
    };

    let mut builder = ChartBuilder::on(area);
    builder
        .caption(view.title, theme.title_font(14.0))
        .margin_top(theme.px(6.0))
        .margin_left(theme.px(8.0))
        .margin_right(theme.px(16.0))
        .margin_bottom(theme.px(6.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(64.0));
    let x_axis = x_range.0..x_range.1;
    if view.log_y {
        // Plotters' own log key points are sparse over less than a decade; nice values
        // (1, 2, 5 … per decade) label such an axis well.
        let key_points = nice_log_ticks(y_range.0, y_range.1, 7);
        let y_axis = (y_range.0..y_range.1)
            .log_scale()
            .with_key_points(key_points);
        let mut chart = builder
            .build_cartesian_2d(x_axis, y_axis)
            .map_err(render_error)?;
        draw_into(&mut chart, view, &pieces, x_range, decimated)?;
        Ok(Some(frame_of(&chart, x_range, y_range, true)))
    } else {
        let mut chart = builder
            .build_cartesian_2d(x_axis, y_range.0..y_range.1)
            .map_err(render_error)?;
        draw_into(&mut chart, view, &pieces, x_range, decimated)?;
        Ok(Some(frame_of(&chart, x_range, y_range, false)))
    }
}

/// The plot's pixel rectangle and data ranges of a built chart.
fn frame_of<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    log_y: bool,
) -> CurveFrame {
    let (columns, rows) = chart.plotting_area().get_pixel_range();
    CurveFrame {
        plot: [columns.start, rows.start, columns.end - 1, rows.end - 1],
        x_range,
        y_range,
        log_y,
    }
}

/// Axes, series, reference line and legend on a built chart (linear or log y).
fn draw_into<'a, DB, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    view: &CurveView,
    pieces: &[Vec<Vec<(f64, f64)>>],
    x_range: (f64, f64),
    decimated: bool,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let theme = &view.theme;
    // The pixel columns the x range spans, as the chart maps it.
    let any_y = chart.y_range().start;
    let left_px = chart.backend_coord(&(x_range.0, any_y)).0;
    let right_px = chart.backend_coord(&(x_range.1, any_y)).0;
    let width_px = u32::try_from(right_px - left_px).unwrap_or(0).max(1);
    let line_points = |piece: &[(f64, f64)]| {
        if decimated {
            decimate(piece, x_range, width_px)
        } else {
            piece.to_vec()
        }
    };
    let label_format = |value: &f64| format_tick(*value);
    chart
        .configure_mesh()
        .light_line_style(RGBAColor(0, 0, 0, 0.0))
        .bold_line_style(theme.grid())
        .axis_style(theme.axis().stroke_width(theme.stroke(1.0)))
        .label_style(theme.font(11.5, theme.text()))
        .axis_desc_style(theme.font(12.5, theme.text()))
        .x_desc(view.x_label)
        .y_desc(view.y_label)
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&label_format)
        .y_label_formatter(&label_format)
        .draw()
        .map_err(render_error)?;

    let width = theme.stroke(2.0);
    let legend_length = theme.px(18.0);
    let mut labelled = 0;
    let smoothing = view.smoothing.is_finite() && view.smoothing > 0.0;
    for (series, raw_pieces) in view.series.iter().zip(pieces) {
        let color = series.color;
        let smoothed_pieces;
        let series_pieces = if smoothing {
            // The raw values stay visible, faint, behind their moving average.
            let faint = RGBAColor(color.0, color.1, color.2, 0.28).stroke_width(theme.stroke(1.2));
            for piece in raw_pieces.iter().filter(|piece| piece.len() > 1) {
                let line = LineSeries::new(line_points(piece), faint);
                chart.draw_series(line).map_err(render_error)?;
            }
            smoothed_pieces = segments(&smooth(&series.points, view.smoothing), view.log_y);
            &smoothed_pieces
        } else {
            raw_pieces
        };
        let mut first = true;
        for piece in series_pieces {
            let annotation = if piece.len() == 1 {
                let dot = Circle::new(piece[0], theme.stroke(2.5), color.filled());
                chart
                    .draw_series(std::iter::once(dot))
                    .map_err(render_error)?
            } else {
                let line = LineSeries::new(line_points(piece), color.stroke_width(width));
                chart.draw_series(line).map_err(render_error)?
            };
            if first && !series.label.is_empty() {
                annotation
                    .label(series.label.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(
                            vec![(x, y), (x + legend_length, y)],
                            color.stroke_width(width),
                        )
                    });
                labelled += 1;
                first = false;
            }
        }
    }

    labelled += draw_marks(chart, view)?;
    labelled += draw_non_finite(chart, view)?;

    if let Some((value, label)) = view.hline {
        let drawable = value.is_finite() && (!view.log_y || value > 0.0);
        if drawable {
            let style = REFERENCE_COLOR.stroke_width(theme.stroke(1.5));
            let dashed = DashedLineSeries::new(
                vec![(x_range.0, value), (x_range.1, value)],
                theme.px(6.0),
                theme.px(4.0),
                style,
            );
            let annotation = chart.draw_series(dashed).map_err(render_error)?;
            if !label.is_empty() {
                annotation.label(label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + legend_length, y)], style)
                });
                labelled += 1;
            }
        }
    }

    if labelled > 0 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .margin(theme.px(6.0))
            .legend_area_size(theme.px(24.0))
            .background_style(theme.legend_background().filled())
            .border_style(theme.grid())
            .label_font(theme.font(11.5, theme.text()))
            .draw()
            .map_err(render_error)?;
    }
    Ok(())
}

/// Rings at the view's marked points (e.g. clipped updates); returns legend entries made.
fn draw_marks<'a, DB, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    view: &CurveView,
) -> Result<usize>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let theme = view.theme;
    // A ring per pixel: thousands of clipped updates in one spot look the same as one.
    let mut ringed = HashSet::new();
    let drawable: Vec<(f64, f64)> = view
        .marks
        .iter()
        .copied()
        .filter(|&(x, y)| x.is_finite() && y.is_finite() && (!view.log_y || y > 0.0))
        .filter(|point| ringed.insert(chart.backend_coord(point)))
        .collect();
    if drawable.is_empty() {
        return Ok(0);
    }
    let style = REFERENCE_COLOR.stroke_width(theme.stroke(1.2));
    let radius = theme.stroke(3.0);
    let rings = drawable
        .into_iter()
        .map(move |point| Circle::new(point, radius, style));
    let annotation = chart.draw_series(rings).map_err(render_error)?;
    if view.marks_label.is_empty() {
        return Ok(0);
    }
    annotation
        .label(view.marks_label)
        .legend(move |(x, y)| Circle::new((x + radius as i32 * 2, y), radius, style));
    Ok(1)
}

/// A small downward triangle on the plot's top edge at the x of every non-finite value,
/// in the series' colour; returns legend entries made (one, for all series).
fn draw_non_finite<'a, DB, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    view: &CurveView,
) -> Result<usize>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let theme = view.theme;
    let (x_pixels, _) = chart.plotting_area().get_pixel_range();
    let (x_low, x_high) = {
        let range = chart.x_range();
        (range.start, range.end)
    };
    let half = theme.px(4.5);
    // The stripped plotting area counts pixels from its own upper-left corner.
    let top = 0;
    let width = f64::from(x_pixels.end - x_pixels.start);
    let mut any = false;
    for series in &view.series {
        // One triangle per pixel column and series, however many values it stands for.
        let mut marked = HashSet::new();
        for &(x, y) in &series.points {
            if y.is_finite() || !x.is_finite() || x < x_low || x > x_high || x_high <= x_low {
                continue;
            }
            let across = (x - x_low) / (x_high - x_low);
            let centre = (across * width).round() as i32;
            if !marked.insert(centre) {
                continue;
            }
            let triangle = Polygon::new(
                vec![
                    (centre - half, top),
                    (centre + half, top),
                    (centre, top + 2 * half),
                ],
                series.color.filled(),
            );
            chart
                .plotting_area()
                .strip_coord_spec()
                .draw(&triangle)
                .map_err(render_error)?;
            any = true;
        }
    }
    if !any {
        return Ok(0);
    }
    // An empty series carries the legend entry for the triangles.
    let color = view.theme.muted_text();
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
        .map_err(render_error)?
        .label("not finite (gap)")
        .legend(move |(x, y)| {
            Polygon::new(
                vec![
                    (x, y - half),
                    (x + 2 * half, y - half),
                    (x + half, y + half),
                ],
                color.filled(),
            )
        });
    Ok(1)
}

/// The title and a note while a chart has nothing to show yet.
fn draw_waiting<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, view: &CurveView) -> Result<()> {
    let theme = &view.theme;
    let (width, height) = area.dim_in_pixel();
    let title = theme
        .title_font(14.0)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw_text(view.title, &title, (width as i32 / 2, theme.px(8.0)))
        .map_err(render_error)?;
    let note = theme
        .font(12.0, theme.muted_text())
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(
        "waiting for data…",
        &note,
        (width as i32 / 2, height as i32 / 2),
    )
    .map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_backend::PixelBuffer;
    use plotters::prelude::IntoDrawingArea;

    fn view(series: Vec<Series>, log_y: bool) -> CurveView<'static> {
        CurveView {
            title: "loss",
            x_label: "epoch",
            y_label: "MSE",
            series,
            log_y,
            hline: None,
            x_range: None,
            theme: Theme::default(),
            smoothing: 0.0,
            marks: Vec::new(),
            marks_label: "",
        }
    }

    #[test]
    fn non_finite_values_split_the_line() {
        let points = [
            (1.0, 1.0),
            (2.0, 2.0),
            (3.0, f64::NAN),
            (4.0, 4.0),
            (5.0, f64::INFINITY),
        ];
        let pieces = segments(&points, false);
        assert_eq!(pieces, vec![vec![(1.0, 1.0), (2.0, 2.0)], vec![(4.0, 4.0)]]);
    }

    #[test]
    fn log_axis_treats_non_positive_values_as_gaps() {
        let points = [(1.0, 1.0), (2.0, 0.0), (3.0, -1.0), (4.0, 0.5), (5.0, 0.25)];
        let pieces = segments(&points, true);
        assert_eq!(
            pieces,
            vec![vec![(1.0, 1.0)], vec![(4.0, 0.5), (5.0, 0.25)]]
        );
        assert_eq!(segments(&points, false).len(), 1, "linear axis keeps them");
    }

    #[test]
    fn ranges_are_padded_and_never_empty() {
        let (low, high) = padded_range([1.0, 3.0].into_iter(), false).unwrap();
        assert!(low < 1.0 && high > 3.0 && low >= 0.0, "({low}, {high})");
        let (low, high) = padded_range([2.0].into_iter(), false).unwrap();
        assert!(
            low < 2.0 && high > 2.0,
            "a single value gets room: ({low}, {high})"
        );
        let (low, high) = padded_range([0.01, 10.0].into_iter(), true).unwrap();
        assert!(low < 0.01 && high > 10.0 && low > 0.0);
        assert!(padded_range(std::iter::empty(), false).is_none());
    }

    /// After one update the learning-rate chart has one point, the warm-up's first rate
    /// 1e-5: its axis must stay around it, above zero, with labels in its units (it used
    /// to span −5e-4 to 5e-4 with the point labelled "-1.1e-19").
    #[test]
    fn a_single_learning_rate_gets_an_axis_around_it() {
        let range = |values: &[f64]| padded_range(values.iter().copied(), false).unwrap();
        let close = |(low, high): (f64, f64), (want_low, want_high): (f64, f64)| {
            let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
            assert!(
                near(low, want_low) && near(high, want_high),
                "({low}, {high}), want ({want_low}, {want_high})"
            );
        };
        close(range(&[1e-5]), (5e-6, 1.5e-5));
        close(range(&[1e-3, 1e-3, 1e-3]), (5e-4, 1.5e-3));
        close(range(&[-2.0]), (-3.0, -1.0));
        assert_eq!(range(&[0.0]), (0.0, 0.5), "zero keeps its floor");

        let series = vec![Series {
            label: String::new(),
            points: vec![(0.0, 1e-5)],
            color: RGBColor(0, 0x72, 0xb2),
        }];
        let mut chart = view(series, false);
        chart.x_range = Some((0.0, 299.0));
        let (backend, image) = PixelBuffer::new(540, 220);
        let frame = draw_curve(&backend.into_drawing_area(), &chart)
            .unwrap()
            .unwrap();
        assert!(
            frame.y_range.0 > 0.0 && frame.y_range.0 < 1e-5 && frame.y_range.1 > 1e-5,
            "{:?}",
            frame.y_range
        );
        let image = image.borrow();
        let numbers: Vec<f64> = image
            .texts
            .iter()
            .filter_map(|text| text.parse::<f64>().ok())
            // The x axis labels updates 0, 50, …, 250.
            .filter(|value| *value != 0.0 && value.abs() < 1.0)
            .collect();
        assert!(numbers.len() >= 3, "y labels are drawn: {:?}", image.texts);
        assert!(
            numbers.iter().all(|value| *value > 1e-7 && *value < 2e-5),
            "every y label is a learning rate near 1e-5: {:?}",
            image.texts
        );
    }

    #[test]
    fn chart_draws_lines_and_legend_and_survives_gaps() {
        let series = vec![
            Series {
                label: "train".into(),
                points: (1..=20)
                    .map(|e| (f64::from(e), 1.0 / f64::from(e)))
                    .collect(),
                color: RGBColor(0, 0x72, 0xb2),
            },
            Series {
                label: "validation".into(),
                points: vec![(1.0, f64::NAN), (2.0, 0.8), (3.0, f64::NAN)],
                color: RGBColor(0xe6, 0x9f, 0x00),
            },
        ];
        for log_y in [false, true] {
            let mut chart = view(series.clone(), log_y);
            chart.hline = Some((0.5, "threshold"));
            let (backend, image) = PixelBuffer::new(420, 260);
            draw_curve(&backend.into_drawing_area(), &chart).unwrap();
            let image = image.borrow();
            assert!(
                image.texts.iter().any(|t| t == "train"),
                "legend: {:?}",
                image.texts
            );
            assert!(image.texts.iter().any(|t| t == "threshold"));
            let blue = image
                .pixels
                .iter()
                .filter(|p| **p == [0, 0x72, 0xb2])
                .count();
            assert!(blue > 100, "the train line is drawn ({blue} pixels)");
        }
    }

    #[test]
    fn empty_chart_says_it_is_waiting() {
        let (backend, image) = PixelBuffer::new(300, 200);
        draw_curve(&backend.into_drawing_area(), &view(Vec::new(), true)).unwrap();
        assert!(image.borrow().texts.iter().any(|t| t.contains("waiting")));
    }

    /// A diverged value is a gap with a triangle on the top edge in the series' colour,
    /// and the legend says what the triangle means.
    #[test]
    fn non_finite_points_get_a_marker_on_the_top_edge() {
        let color = RGBColor(0xd5, 0x5e, 0x00);
        let series = vec![Series {
            label: "loss".into(),
            points: vec![
                (1.0, 1.0),
                (2.0, 0.8),
                (3.0, f64::NAN),
                (4.0, 0.6),
                (5.0, 0.5),
            ],
            color,
        }];
        let (backend, image) = PixelBuffer::new(420, 260);
        let frame = draw_curve(&backend.into_drawing_area(), &view(series, false))
            .unwrap()
            .unwrap();
        let image = image.borrow();
        assert!(image.texts.iter().any(|t| t == "not finite (gap)"));
        // x = 3 is in the middle of [1, 5]; the triangle hangs from the plot's top.
        let [left, top, right, _] = frame.plot;
        let x = (left + right) / 2;
        let below_top = image.at(x, top + 2);
        assert_eq!(
            below_top,
            [color.0, color.1, color.2],
            "the marker sits at x = 3 just under the top edge"
        );
    }

    /// With smoothing the raw line is faint (blended towards the background) and the
    /// average is solid; the readout reports both at the nearest point.
    #[test]
    fn smoothing_draws_raw_faint_and_average_solid_and_the_readout_finds_both() {
        let color = RGBColor(0, 0x72, 0xb2);
        let points: Vec<(f64, f64)> = (0..40)
            .map(|i| (f64::from(i), if i % 2 == 0 { 1.0 } else { 3.0 }))
            .collect();
        let mut chart = view(
            vec![Series {
                label: "noisy".into(),
                points: points.clone(),
                color,
            }],
            false,
        );
        chart.smoothing = 0.6;
        let (backend, image) = PixelBuffer::new(420, 260);
        let frame = draw_curve(&backend.into_drawing_area(), &chart)
            .unwrap()
            .unwrap();
        let image = image.borrow();
        let solid = image
            .pixels
            .iter()
            .filter(|p| **p == [color.0, color.1, color.2])
            .count();
        let faint = image
            .pixels
            .iter()
            .filter(|p| p[2] > 200 && p[0] > 150 && p[0] < 250)
            .count();
        assert!(solid > 100, "the average is drawn solid ({solid} pixels)");
        assert!(
            faint > 100,
            "the raw zigzag is drawn faint ({faint} pixels)"
        );

        // Pointer over x = 20 (an even index: raw value 1).
        let [left, top, right, bottom] = frame.plot;
        let x_px = f64::from(left) + f64::from(right - left) * 20.0 / 39.0;
        let y_px = f64::from(top + bottom) / 2.0;
        let readout = curve_readout(&chart, &frame, x_px, y_px).unwrap();
        let value = &readout.values[0];
        assert_eq!(value.x, 20.0);
        assert_eq!(value.y, Some(1.0));
        let expected = crate::render::smoothing::smooth(&points, 0.6)[20].1;
        assert_eq!(value.smoothed, Some(expected));
        assert!(
            curve_readout(&chart, &frame, 0.0, 0.0).is_none(),
            "outside the plot"
        );
    }

    /// A noisy decaying loss over `count` updates with one huge value at `spike`.
    fn long_run(count: u32, spike: u32) -> Vec<(f64, f64)> {
        (0..count)
            .map(|i| {
                let x = f64::from(i);
                let noise = 0.08 * (x * 0.7).sin() + 0.05 * (x * 3.1).cos();
                let y = if i == spike {
                    60.0
                } else {
                    1.0 / (1.0 + x / 2000.0) + noise
                };
                (x, y)
            })
            .collect()
    }

    #[test]
    fn decimation_keeps_each_columns_ends_and_extremes() {
        let points = long_run(10_000, 5_003);
        let kept = decimate(&points, (0.0, 9_999.0), 100);
        assert!(
            kept.len() <= 400 && kept.len() >= 200,
            "at most four points per column: {}",
            kept.len()
        );
        assert_eq!(kept[0], points[0], "the first point stays");
        assert_eq!(kept.last(), points.last(), "the last point stays");
        assert!(kept.contains(&points[5_003]), "the spike stays");
        assert!(
            kept.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "the kept points stay in order, each once"
        );
        let lowest = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        assert!(kept.iter().any(|p| p.1 == lowest), "the lowest value stays");

        // Columns 0 and 1 of x in [0, 10) at 100 columns over [0, 1000): ten points per
        // column, of which first, lowest, highest and last remain.
        let column: Vec<(f64, f64)> = (0..20)
            .map(|i| (f64::from(i) * 0.5, f64::from((i * 7 + 3) % 10)))
            .collect();
        let kept = decimate(&column, (0.0, 10.0), 2);
        assert_eq!(
            kept,
            vec![
                (0.0, 3.0),
                (0.5, 0.0),
                (4.0, 9.0),
                (4.5, 6.0),
                (5.0, 3.0),
                (5.5, 0.0),
                (9.0, 9.0),
                (9.5, 6.0)
            ],
            "per column: first, then the lowest and highest in order, then last"
        );

        let few = long_run(300, 10);
        assert_eq!(
            decimate(&few, (0.0, 299.0), 100),
            few,
            "few points stay whole"
        );
        assert_eq!(
            decimate(&points, (5.0, 5.0), 100),
            points,
            "an empty x range draws everything"
        );
    }

    /// The topmost and lowest rows of `image` with a pixel of `color` in each column of the
    /// plot (`None` for a column without one).
    fn line_extents(
        image: &crate::render::test_backend::Image,
        plot: [i32; 4],
        color: RGBColor,
    ) -> Vec<Option<(i32, i32)>> {
        let [left, top, right, bottom] = plot;
        (left..=right)
            .map(|x| {
                let rows: Vec<i32> = (top..=bottom)
                    .filter(|&y| image.at(x, y) == [color.0, color.1, color.2])
                    .collect();
                Some((*rows.first()?, *rows.last()?))
            })
            .collect()
    }

    /// 20,000 noisy updates on a 600-pixel chart: drawn decimated, the line spans the same
    /// rows in every pixel column as drawn whole, give or take a pixel at the joints. The
    /// lines are one pixel wide (scale 0.5), which the test backend rasterizes segment by
    /// segment as a canvas does; its wider lines are polygons with miter joins that vary
    /// with every point.
    #[test]
    fn a_decimated_chart_matches_the_full_one() {
        let color = RGBColor(0, 0x72, 0xb2);
        let no_spike = 20_000;
        let mut chart = view(
            vec![Series {
                label: "loss".into(),
                points: long_run(20_000, no_spike),
                color,
            }],
            false,
        );
        chart.theme.scale = 0.5;
        for smoothing in [0.0, 0.6] {
            chart.smoothing = smoothing;
            let draw = |decimated: bool| {
                let (backend, image) = PixelBuffer::new(600, 260);
                let frame = draw_curve_with(&backend.into_drawing_area(), &chart, decimated)
                    .unwrap()
                    .unwrap();
                let image = image.borrow().clone();
                (frame, image)
            };
            let (frame, full) = draw(false);
            let (decimated_frame, decimated) = draw(true);
            assert_eq!(frame, decimated_frame, "the same axes");

            let full_extents = line_extents(&full, frame.plot, color);
            let decimated_extents = line_extents(&decimated, frame.plot, color);
            let mut exact = 0;
            for (column, (a, b)) in full_extents.iter().zip(&decimated_extents).enumerate() {
                let (Some((a_top, a_bottom)), Some((b_top, b_bottom))) = (a, b) else {
                    assert_eq!(a, b, "column {column}: line in one drawing only");
                    continue;
                };
                let off = (a_top - b_top).abs().max((a_bottom - b_bottom).abs());
                assert!(
                    off <= 2,
                    "column {column}: rows {a_top}..{a_bottom} whole, \
                     {b_top}..{b_bottom} decimated (smoothing {smoothing})"
                );
                exact += usize::from(off == 0);
            }
            assert!(
                exact * 10 >= full_extents.len() * 9,
                "{exact} of {} columns exact (smoothing {smoothing})",
                full_extents.len()
            );
        }
    }

    /// One huge loss among 20,000 updates still reaches the top of the decimated chart.
    #[test]
    fn a_spike_survives_decimation() {
        let color = RGBColor(0, 0x72, 0xb2);
        let spike = 12_345;
        let chart = view(
            vec![Series {
                label: "loss".into(),
                points: long_run(20_000, spike),
                color,
            }],
            false,
        );
        let (backend, image) = PixelBuffer::new(600, 260);
        let frame = draw_curve(&backend.into_drawing_area(), &chart)
            .unwrap()
            .unwrap();
        assert!(frame.y_range.1 > 60.0, "the axis spans the spike");
        let extents = line_extents(&image.borrow(), frame.plot, color);
        let [left, top, right, _] = frame.plot;
        let column = ((f64::from(spike) / 19_999.0) * f64::from(right - left)) as usize;
        let highest = extents[column - 2..=column + 2]
            .iter()
            .flatten()
            .map(|(row, _)| *row)
            .min();
        assert!(
            highest.is_some_and(|row| row < top + 15),
            "the spike's column {} reaches row {highest:?}, the plot's top is {top}",
            column as i32 + left
        );
    }

    /// Rings and non-finite markers that would land on the same pixel are drawn once.
    #[test]
    fn markers_on_the_same_pixel_are_drawn_once() {
        let color = RGBColor(0xd5, 0x5e, 0x00);
        let points: Vec<(f64, f64)> = (0..5_000)
            .map(|i| {
                let y = if (2_000..2_003).contains(&i) {
                    f64::NAN
                } else {
                    1.0
                };
                (f64::from(i), y)
            })
            .collect();
        let mut chart = view(
            vec![Series {
                label: "norm".into(),
                points,
                color,
            }],
            false,
        );
        chart.marks = (0..5_000).map(|i| (f64::from(i), 1.0)).collect();
        chart.marks_label = "clipped";
        let (backend, image) = PixelBuffer::new(420, 260);
        let frame = draw_curve(&backend.into_drawing_area(), &chart)
            .unwrap()
            .unwrap();
        let image = image.borrow();
        assert!(image.texts.iter().any(|t| t == "clipped"));
        assert!(image.texts.iter().any(|t| t == "not finite (gap)"));
        let [left, top, right, _] = frame.plot;
        let x = left + ((2_001.0 / 4_999.0) * f64::from(right - left)) as i32;
        assert_eq!(
            image.at(x, top + 2),
            [color.0, color.1, color.2],
            "the three non-finite values keep their marker"
        );
    }

    #[test]
    fn frames_map_pixels_to_data_on_log_axes() {
        let frame = CurveFrame {
            plot: [100, 10, 300, 210],
            x_range: (0.0, 10.0),
            y_range: (0.01, 100.0),
            log_y: true,
        };
        let (x, y) = frame.data_at(200.0, 110.0).unwrap();
        assert!((x - 5.0).abs() < 1e-12, "the middle column is x = 5");
        assert!(
            (y - 1.0).abs() < 1e-9,
            "the middle row of 0.01..100 on a log axis is 1: {y}"
        );
        assert_eq!(frame.data_at(50.0, 110.0), None);
    }
}
