//! One-dimensional views of the loss: slices `L(θ + α·d)` along each direction of the
//! map's plane through the weights, and the interpolation `L((1 − α)·θ_0 + α·θ_T)` from the
//! initial (α = 0) to the final weights (α = 1), Goodfellow et al. 2015. For
//! classification the accuracy is drawn dashed against a second y axis on the right
//! (0–100 %), so a sharp rise in loss can be read against what it costs in accuracy.
//!
//! A loss spanning more than two decades is drawn on a log axis, as the curves are.

use plotters::chart::{ChartBuilder, ChartContext, SeriesLabelPosition};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::{
    BindKeyPoints, Cartesian2d, DashedLineSeries, DrawingArea, DrawingBackend, IntoLogRange,
    LineSeries, PathElement,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};
use serde::{Deserialize, Serialize};

use super::curves::{padded_range, segments};
use super::figure::curves_panel::series_colors;
use super::render_error;
use super::theme::Theme;
use super::ticks::{format_tick, nice_log_ticks};
use crate::error::Result;
use crate::landscape::slice::Slice;

/// Decades a loss must span before its axis turns logarithmic.
const LOG_AXIS_MIN_DECADES: f64 = 2.0;

/// The values of one [`Slice`], in a form the page's worker can send to its main thread
/// as JSON (non-finite losses travel as `null`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SliceData {
    pub alphas: Vec<f64>,
    #[serde(with = "nullable")]
    pub train_loss: Vec<f64>,
    #[serde(with = "nullable")]
    pub val_loss: Vec<f64>,
    pub train_accuracy: Option<Vec<f64>>,
    pub val_accuracy: Option<Vec<f64>>,
}

impl From<&Slice> for SliceData {
    fn from(slice: &Slice) -> SliceData {
        SliceData {
            alphas: slice.alphas.clone(),
            train_loss: slice.train_loss.clone(),
            val_loss: slice.val_loss.clone(),
            train_accuracy: slice.train_accuracy.clone(),
            val_accuracy: slice.val_accuracy.clone(),
        }
    }
}

/// Losses as JSON numbers or `null` for a non-finite value, and back to NaN.
mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        let options: Vec<Option<f64>> = values
            .iter()
            .map(|value| value.is_finite().then_some(*value))
            .collect();
        options.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        let options = Vec::<Option<f64>>::deserialize(deserializer)?;
        Ok(options
            .into_iter()
            .map(|value| value.unwrap_or(f64::NAN))
            .collect())
    }
}

/// The slices the page and the CLI show for one set of weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlicePanel {
    /// Along d₁ and d₂ through the weights.
    pub along: [SliceData; 2],
    /// From the initial (α = 0) to the current or final weights (α = 1).
    pub interpolation: SliceData,
    /// The loss's name for the y axis, e.g. "mean squared error".
    pub loss_name: String,
}

/// One line of a slice chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SliceLine {
    pub label: String,
    pub color: RGBColor,
    pub points: Vec<(f64, f64)>,
    pub dashed: bool,
}

/// One slice chart: loss lines on the left axis, accuracy lines on the right.
#[derive(Clone, Debug, PartialEq)]
pub struct SliceView<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub losses: Vec<SliceLine>,
    /// Accuracies in [0, 1]; empty for regression (no second axis).
    pub accuracies: Vec<SliceLine>,
    /// Vertical reference lines at α with a label, e.g. (1, "final").
    pub markers: Vec<(f64, &'a str)>,
    pub theme: Theme,
}

/// Draws both charts of `panel`: side by side on a wide area, stacked on a tall one.
pub fn draw_slice_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &SlicePanel,
    theme: Theme,
) -> Result<()> {
    area.fill(&theme.background()).map_err(render_error)?;
    let [first, second, third] = series_colors(&theme);
    let points = |alphas: &[f64], values: &[f64]| -> Vec<(f64, f64)> {
        alphas.iter().copied().zip(values.iter().copied()).collect()
    };
    let line = |label: &str, color, points, dashed| SliceLine {
        label: label.to_string(),
        color,
        points,
        dashed,
    };

    let [along_first, along_second] = &panel.along;
    let mut along_accuracy = Vec::new();
    for (slice, name, color) in [(along_first, "d₁", first), (along_second, "d₂", second)] {
        if let Some(accuracy) = &slice.train_accuracy {
            along_accuracy.push(line(
                &format!("accuracy along {name}"),
                color,
                points(&slice.alphas, accuracy),
                true,
            ));
        }
    }
    let along = SliceView {
        title: "Train loss along each direction through the weights",
        x_label: "α (distance along the direction)",
        y_label: &panel.loss_name,
        losses: vec![
            line(
                "along d₁",
                first,
                points(&along_first.alphas, &along_first.train_loss),
                false,
            ),
            line(
                "along d₂",
                second,
                points(&along_second.alphas, &along_second.train_loss),
                false,
            ),
        ],
        accuracies: along_accuracy,
        markers: vec![(0.0, "weights")],
        theme,
    };

    let interpolation = &panel.interpolation;
    let mut losses = vec![line(
        "train",
        first,
        points(&interpolation.alphas, &interpolation.train_loss),
        false,
    )];
    if !interpolation.val_loss.is_empty() {
        losses.push(line(
            "validation",
            third,
            points(&interpolation.alphas, &interpolation.val_loss),
            false,
        ));
    }
    let mut accuracies = Vec::new();
    if let Some(accuracy) = &interpolation.train_accuracy {
        accuracies.push(line(
            "train accuracy",
            first,
            points(&interpolation.alphas, accuracy),
            true,
        ));
    }
    if let Some(accuracy) = &interpolation.val_accuracy {
        accuracies.push(line(
            "validation accuracy",
            third,
            points(&interpolation.alphas, accuracy),
            true,
        ));
    }
    let between = SliceView {
        title: "From the initial (α = 0) to the final weights (α = 1)",
        x_label: "α",
        y_label: &panel.loss_name,
        losses,
        accuracies,
        markers: vec![(0.0, "initial"), (1.0, "final")],
        theme,
    };

    let (width, height) = area.dim_in_pixel();
    let parts = if f64::from(width) >= 1.4 * f64::from(height) {
        area.split_evenly((1, 2))
    } else {
        area.split_evenly((2, 1))
    };
    draw_slice(&parts[0], &along)?;
    draw_slice(&parts[1], &between)
}

/// Draws one slice chart on `area`.
pub fn draw_slice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &SliceView,
) -> Result<()> {
    let theme = view.theme;
    area.fill(&theme.background()).map_err(render_error)?;

    let all_points = || view.losses.iter().flat_map(|line| line.points.iter());
    let positive = all_points().all(|&(_, y)| !y.is_finite() || y > 0.0);
    let (low, high) = all_points()
        .map(|point| point.1)
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
            (lo.min(y), hi.max(y))
        });
    let log_y = positive && low > 0.0 && (high / low).log10() > LOG_AXIS_MIN_DECADES;
    let y_values = all_points().map(|point| point.1).filter(|y| y.is_finite());
    let x_values = all_points().map(|point| point.0).filter(|x| x.is_finite());
    let x_range = x_values.fold(None, |range: Option<(f64, f64)>, x| match range {
        None => Some((x, x)),
        Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
    });
    let (Some(y_range), Some(x_range)) = (padded_range(y_values, log_y), x_range) else {
        let style = theme
            .font(12.0, theme.muted_text())
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (width, height) = area.dim_in_pixel();
        let middle = (width as i32 / 2, height as i32 / 2);
        return area
            .draw_text("no finite loss on this line", &style, middle)
            .map_err(render_error);
    };
    let x_range = if x_range.1 > x_range.0 {
        x_range
    } else {
        (x_range.0 - 1.0, x_range.0 + 1.0)
    };

    let has_accuracy = !view.accuracies.is_empty();
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(view.title, theme.title_font(14.0))
        .margin_top(theme.px(6.0))
        .margin_left(theme.px(8.0))
        .margin_right(theme.px(if has_accuracy { 4.0 } else { 16.0 }))
        .margin_bottom(theme.px(6.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(64.0));
    if has_accuracy {
        builder.right_y_label_area_size(theme.px(58.0));
    }
    let x_axis = x_range.0..x_range.1;
    if log_y {
        // Nice values (1, 2, 5 per decade) label a log axis better than plotters' own.
        let key_points = nice_log_ticks(y_range.0, y_range.1, 6);
        let y_axis = (y_range.0..y_range.1)
            .log_scale()
            .with_key_points(key_points);
        let chart = builder
            .build_cartesian_2d(x_axis, y_axis)
            .map_err(render_error)?;
        draw_slice_into(area, chart, view, x_range, y_range, true)
    } else {
        let chart = builder
            .build_cartesian_2d(x_axis, y_range.0..y_range.1)
            .map_err(render_error)?;
        draw_slice_into(area, chart, view, x_range, y_range, false)
    }
}

/// Axes, reference lines, series and legend on a built chart (linear or log y).
fn draw_slice_into<'a, DB, Y>(
    area: &DrawingArea<DB, Shift>,
    chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    view: &SliceView,
    x_range: (f64, f64),
    y_range: (f64, f64),
    log_y: bool,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let theme = view.theme;
    let has_accuracy = !view.accuracies.is_empty();
    let tick = |value: &f64| format_tick(*value);
    let y_label = if log_y {
        format!("{} (log scale)", view.y_label)
    } else {
        view.y_label.to_string()
    };
    // The mesh is configured on the dual chart, so its labels stay on the left axis.
    let mut chart = chart.set_secondary_coord(x_range.0..x_range.1, -0.02..1.02);
    chart
        .configure_mesh()
        .light_line_style(RGBAColor(0, 0, 0, 0.0))
        .bold_line_style(theme.grid())
        .axis_style(theme.axis().stroke_width(theme.stroke(1.0)))
        .label_style(theme.font(11.5, theme.text()))
        .axis_desc_style(theme.font(12.5, theme.text()))
        .x_desc(view.x_label)
        .y_desc(y_label)
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()
        .map_err(render_error)?;
    if has_accuracy {
        let percent = |value: &f64| format!("{:.0} %", value * 100.0);
        chart
            .configure_secondary_axes()
            .axis_style(theme.axis().stroke_width(theme.stroke(1.0)))
            .label_style(theme.font(11.5, theme.text()))
            .axis_desc_style(theme.font(12.5, theme.text()))
            .y_desc("accuracy (dashed)")
            .y_labels(6)
            .y_label_formatter(&percent)
            .draw()
            .map_err(render_error)?;
    }

    // Reference lines first, so the curves stay on top.
    let marker_style = theme.muted_text().mix(0.7).stroke_width(theme.stroke(1.0));
    for &(alpha, _) in &view.markers {
        if (x_range.0..=x_range.1).contains(&alpha) {
            let dashed = DashedLineSeries::new(
                vec![(alpha, y_range.0), (alpha, y_range.1)],
                theme.px(3.0),
                theme.px(3.0),
                marker_style,
            );
            chart.draw_series(dashed).map_err(render_error)?;
        }
    }
    // Labels at the foot of the reference lines, clear of the legend at the top.
    let marker_text = theme
        .font(11.0, theme.muted_text())
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    for &(alpha, label) in &view.markers {
        if (x_range.0..=x_range.1).contains(&alpha) {
            // The chart maps to backend pixels; text on `area` is relative to its corner.
            let at = chart.backend_coord(&(alpha, y_range.0));
            let base = area.get_base_pixel();
            let place = (at.0 - base.0 + theme.px(4.0), at.1 - base.1 - theme.px(4.0));
            area.draw_text(label, &marker_text, place)
                .map_err(render_error)?;
        }
    }

    let width = theme.stroke(2.0);
    let legend_length = theme.px(18.0);
    for line in &view.losses {
        let color = line.color;
        let mut first = true;
        for piece in segments(&line.points, log_y) {
            let annotation = chart
                .draw_series(LineSeries::new(piece, color.stroke_width(width)))
                .map_err(render_error)?;
            if first {
                annotation.label(line.label.as_str()).legend(move |(x, y)| {
                    PathElement::new(
                        vec![(x, y), (x + legend_length, y)],
                        color.stroke_width(width),
                    )
                });
                first = false;
            }
        }
    }
    for line in &view.accuracies {
        let color = line.color;
        let style = color.stroke_width(theme.stroke(1.6));
        let mut first = true;
        for piece in segments(&line.points, false) {
            let annotation = chart
                .draw_secondary_series(DashedLineSeries::new(
                    piece,
                    theme.px(6.0),
                    theme.px(4.0),
                    style,
                ))
                .map_err(render_error)?;
            if first {
                let dash = theme.px(6.0);
                annotation
                    .label(line.label.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + dash, y)], style));
                first = false;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .margin(theme.px(6.0))
        .legend_area_size(theme.px(24.0))
        .background_style(theme.legend_background().filled())
        .border_style(theme.grid())
        .label_font(theme.font(11.5, theme.text()))
        .draw()
        .map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_backend::PixelBuffer;
    use plotters::prelude::IntoDrawingArea;

    fn data(alphas: &[f64], loss: impl Fn(f64) -> f64, accuracy: bool) -> SliceData {
        SliceData {
            alphas: alphas.to_vec(),
            train_loss: alphas.iter().map(|&a| loss(a)).collect(),
            val_loss: alphas.iter().map(|&a| loss(a) + 0.1).collect(),
            train_accuracy: accuracy.then(|| alphas.iter().map(|&a| 1.0 - a.abs() / 4.0).collect()),
            val_accuracy: None,
        }
    }

    /// Classification gets the accuracy axis (its labels are percent) and dashed lines;
    /// the loss lines are drawn in the series colours; the panel survives JSON.
    #[test]
    fn panel_draws_losses_and_accuracy_on_a_second_axis() {
        let alphas: Vec<f64> = (0..21).map(|i| -1.0 + 0.1 * f64::from(i)).collect();
        let interpolation_alphas: Vec<f64> = (0..21).map(|i| -0.5 + 0.1 * f64::from(i)).collect();
        let panel = SlicePanel {
            along: [
                data(&alphas, |a| a * a + 0.2, true),
                data(&alphas, |a| 2.0 * a * a + 0.2, true),
            ],
            interpolation: data(&interpolation_alphas, |a| (a - 1.0).powi(2) + 0.2, true),
            loss_name: "cross-entropy".into(),
        };
        let json = serde_json::to_string(&panel).unwrap();
        let back: SlicePanel = serde_json::from_str(&json).unwrap();
        assert_eq!(back, panel, "the worker's JSON round-trips");

        let (backend, image) = PixelBuffer::new(900, 380);
        draw_slice_panel(&backend.into_drawing_area(), &panel, Theme::default()).unwrap();
        let image = image.borrow();
        assert!(
            image.texts.iter().any(|t| t == "100 %"),
            "{:?}",
            image.texts
        );
        assert!(image.texts.iter().any(|t| t == "accuracy (dashed)"));
        assert!(
            image.texts.iter().any(|t| t == "initial") && image.texts.iter().any(|t| t == "final")
        );
        let [blue, orange, _] = series_colors(&Theme::default());
        for color in [blue, orange] {
            let count = image
                .pixels
                .iter()
                .filter(|p| **p == [color.0, color.1, color.2])
                .count();
            assert!(count > 200, "{color:?} lines are drawn ({count} pixels)");
        }
    }

    #[test]
    fn non_finite_losses_travel_as_null_and_come_back_as_gaps() {
        let slice = SliceData {
            alphas: vec![0.0, 1.0],
            train_loss: vec![1.0, f64::INFINITY],
            val_loss: vec![],
            train_accuracy: None,
            val_accuracy: None,
        };
        let json = serde_json::to_string(&slice).unwrap();
        assert!(json.contains("null"), "{json}");
        let back: SliceData = serde_json::from_str(&json).unwrap();
        assert!(back.train_loss[1].is_nan());
    }
}
