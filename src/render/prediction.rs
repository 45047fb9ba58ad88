//! What the network predicts, drawn against the data.
//!
//! - Decision regions, for classification with two input features (moons, circles,
//!   spirals, xor, gaussians): the plane of the raw features is sampled on a grid, each
//!   point standardized with the train split's scaler (`z = (x − mean) / scale`) and run
//!   through the network; a binary task shades from one class's colour through the
//!   background (p = ½) to the other's, the way TensorFlow Playground's heat map does, and
//!   draws the p = ½ boundary; K classes take the winning class's colour, faded by how
//!   sure the network is. The samples are drawn on top: train ringed in white,
//!   validation ringed in black.
//! - Predicted against actual, for regression: each sample at (target, prediction) in
//!   the target's original units, with the diagonal where they agree.
//!
//! [`predict`] computes the data (plain numbers, sent as JSON from the page's worker);
//! [`draw_prediction`] draws it on any backend.

use plotters::chart::{ChartBuilder, SeriesLabelPosition};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DashedLineSeries, DrawingArea, DrawingBackend, PathElement};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor};
use serde::{Deserialize, Serialize};

use super::caption::percent;
use super::fill::Grid;
use super::isolines::iso_lines;
use super::render_error;
use super::theme::Theme;
use super::ticks::format_tick;
use crate::config::{LossKind, Task};
use crate::data::Dataset;
use crate::train::Trainer;

/// Class colours: TensorFlow Playground's orange and blue for two classes, then the rest
/// of the Okabe–Ito palette.
const CLASS_COLORS: [RGBColor; 8] = [
    RGBColor(0xf5, 0x93, 0x22),
    RGBColor(0x08, 0x77, 0xbd),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0xf0, 0xe4, 0x42),
    RGBColor(0x99, 0x99, 0x99),
];

/// Shades of confidence: region colours are rounded to this many steps so equal
/// neighbours merge into one rectangle.
const SHADE_STEPS: f64 = 24.0;

/// The colour of class `class`.
pub fn class_color(class: usize) -> RGBColor {
    CLASS_COLORS[class % CLASS_COLORS.len()]
}

/// A sample in the plane of the raw features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelledPoint {
    pub x: f64,
    pub y: f64,
    pub label: usize,
    pub validation: bool,
}

/// The network's class probabilities over the plane of two raw features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionMap {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Grid points per axis.
    pub resolution: usize,
    pub classes: usize,
    /// `probabilities[(row * resolution + column) * classes + class]`; row 0 is the
    /// bottom (smallest y), column 0 the left.
    pub probabilities: Vec<f32>,
    pub points: Vec<LabelledPoint>,
    pub feature_names: [String; 2],
    pub train_accuracy: Option<f64>,
    pub val_accuracy: Option<f64>,
}

/// Predictions against targets, in the target's original units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegressionFit {
    pub actual: Vec<f64>,
    pub predicted: Vec<f64>,
    pub validation: Vec<bool>,
    pub target_name: String,
    /// R² on the validation split (the train split when there is none).
    pub r2: Option<f64>,
}

/// What the prediction view shows for a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Prediction {
    Regions(RegionMap),
    Regression(RegressionFit),
    /// Why there is nothing to draw, e.g. too many input features for a plane.
    Unavailable {
        reason: String,
    },
}

/// The network's outputs for `rows` standardized inputs, in chunks.
fn outputs(trainer: &Trainer, inputs: &[f32], width: usize) -> Vec<f32> {
    let model = trainer.model();
    let rows = inputs.len() / width.max(1);
    let chunk = 256;
    let mut workspace = model.workspace(chunk);
    let mut result = Vec::with_capacity(rows * model.n_outputs());
    for start in (0..rows).step_by(chunk) {
        let count = chunk.min(rows - start);
        let slice = &inputs[start * width..(start + count) * width];
        result.extend_from_slice(model.forward(trainer.params(), slice, count, &mut workspace));
    }
    result
}

/// Class probabilities from the network's outputs for one row.
fn probabilities(loss: LossKind, output: &[f32], classes: usize) -> Vec<f32> {
    match loss {
        LossKind::Bce | LossKind::Mse => {
            let p = 1.0 / (1.0 + (-output[0]).exp());
            vec![1.0 - p, p]
        }
        LossKind::CrossEntropy => {
            let max = output.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let exps: Vec<f32> = output.iter().map(|v| (v - max).exp()).collect();
            let sum: f32 = exps.iter().sum();
            exps.iter()
                .take(classes)
                .map(|e| if sum > 0.0 { e / sum } else { f32::NAN })
                .collect()
        }
    }
}

/// The raw (unstandardized) feature rows of a set.
fn raw_features(set: &Dataset, mean: &[f32], scale: &[f32]) -> Vec<(f64, f64)> {
    (0..set.len())
        .map(|i| {
            let row = set.feature_row(i);
            let raw = |c: usize| f64::from(row[c] * scale[c] + mean[c]);
            (raw(0), raw(1))
        })
        .collect()
}

/// What the network predicts, on a `resolution` × `resolution` grid for 2-D
/// classification.
pub fn predict(trainer: &Trainer, resolution: usize) -> Prediction {
    let data = trainer.data();
    match data.task {
        Task::Regression => regression_fit(trainer),
        Task::Binary | Task::Multiclass if data.train.n_features == 2 => {
            Prediction::Regions(region_map(trainer, resolution.clamp(8, 400)))
        }
        Task::Binary | Task::Multiclass => Prediction::Unavailable {
            reason: format!(
                "decision regions need exactly 2 input features; this data has {}",
                data.train.n_features
            ),
        },
    }
}

fn region_map(trainer: &Trainer, resolution: usize) -> RegionMap {
    let data = trainer.data();
    let scaler = &data.feature_scaler;
    let loss = trainer.loss_kind();
    let classes = if loss == LossKind::CrossEntropy {
        data.n_classes.max(2)
    } else {
        2
    };

    // The samples in raw units, and a box around them with a margin.
    let mut points = Vec::new();
    for (set, validation) in [(&data.train, false), (&data.val, true)] {
        for (i, (x, y)) in raw_features(set, &scaler.mean, &scaler.scale)
            .into_iter()
            .enumerate()
        {
            let label = set
                .target_row(i)
                .first()
                .map_or(0, |&t| t.max(0.0) as usize);
            points.push(LabelledPoint {
                x,
                y,
                label,
                validation,
            });
        }
    }
    let bounds = |values: &mut dyn Iterator<Item = f64>| {
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !low.is_finite() || !high.is_finite() {
            return (-1.0, 1.0);
        }
        let margin = ((high - low) * 0.08).max(1e-3);
        (low - margin, high + margin)
    };
    let x_range = bounds(&mut points.iter().map(|p| p.x));
    let y_range = bounds(&mut points.iter().map(|p| p.y));

    // Grid points, standardized like the training data.
    let last = (resolution - 1) as f64;
    let mut inputs = Vec::with_capacity(resolution * resolution * 2);
    for row in 0..resolution {
        let y = y_range.0 + (y_range.1 - y_range.0) * row as f64 / last;
        for column in 0..resolution {
            let x = x_range.0 + (x_range.1 - x_range.0) * column as f64 / last;
            inputs.push((x as f32 - scaler.mean[0]) / scaler.scale[0]);
            inputs.push((y as f32 - scaler.mean[1]) / scaler.scale[1]);
        }
    }
    let width = trainer.model().n_outputs();
    let grid_outputs = outputs(trainer, &inputs, 2);
    let grid_probabilities: Vec<f32> = grid_outputs
        .chunks_exact(width)
        .flat_map(|output| probabilities(loss, output, classes))
        .collect();

    let accuracy = |set: &Dataset| -> Option<f64> {
        if set.is_empty() {
            return None;
        }
        let set_outputs = outputs(trainer, &set.features, 2);
        let correct = set_outputs
            .chunks_exact(width)
            .enumerate()
            .filter(|(i, output)| {
                let p = probabilities(loss, output, classes);
                let predicted = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]));
                let label = set.target_row(*i).first().map(|&t| t as usize);
                predicted.is_some() && predicted == label
            })
            .count();
        Some(correct as f64 / set.len() as f64)
    };
    let name = |c: usize| {
        data.train
            .feature_names
            .get(c)
            .cloned()
            .unwrap_or_else(|| format!("x{}", c + 1))
    };
    RegionMap {
        x_range,
        y_range,
        resolution,
        classes,
        probabilities: grid_probabilities,
        points,
        feature_names: [name(0), name(1)],
        train_accuracy: accuracy(&data.train),
        val_accuracy: accuracy(&data.val),
    }
}

fn regression_fit(trainer: &Trainer) -> Prediction {
    let data = trainer.data();
    let width = trainer.model().n_outputs();
    let (mean, scale) = (
        f64::from(data.target_scaler.mean.first().copied().unwrap_or(0.0)),
        f64::from(data.target_scaler.scale.first().copied().unwrap_or(1.0)),
    );
    let target_width = data.train.n_outputs.max(1);
    let mut fit = RegressionFit {
        actual: Vec::new(),
        predicted: Vec::new(),
        validation: Vec::new(),
        target_name: data
            .train
            .target_names
            .first()
            .cloned()
            .unwrap_or_else(|| "target".into()),
        r2: None,
    };
    for (set, validation) in [(&data.train, false), (&data.val, true)] {
        let set_outputs = outputs(trainer, &set.features, set.n_features);
        for (i, output) in set_outputs.chunks_exact(width).enumerate() {
            let target = set.targets[i * target_width];
            fit.actual.push(f64::from(target) * scale + mean);
            fit.predicted.push(f64::from(output[0]) * scale + mean);
            fit.validation.push(validation);
        }
    }
    // R² on validation, or on train without a validation split.
    let scored = !data.val.is_empty();
    let pairs: Vec<(f64, f64)> = fit
        .actual
        .iter()
        .zip(&fit.predicted)
        .zip(&fit.validation)
        .filter(|(_, &validation)| validation == scored)
        .map(|((&a, &p), _)| (a, p))
        .collect();
    if pairs.len() >= 2 {
        let mean_actual = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len() as f64;
        let total: f64 = pairs.iter().map(|p| (p.0 - mean_actual).powi(2)).sum();
        let residual: f64 = pairs.iter().map(|p| (p.0 - p.1).powi(2)).sum();
        fit.r2 = (total > 0.0).then(|| 1.0 - residual / total);
    }
    Prediction::Regression(fit)
}

/// `color` faded towards `background` by `1 − strength` (strength in [0, 1]).
fn blend(color: RGBColor, background: RGBColor, strength: f64) -> RGBColor {
    let strength = if strength.is_finite() {
        strength.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix =
        |a: u8, b: u8| (f64::from(b) + (f64::from(a) - f64::from(b)) * strength).round() as u8;
    RGBColor(
        mix(color.0, background.0),
        mix(color.1, background.1),
        mix(color.2, background.2),
    )
}

/// The shade of one grid point: the winning class's colour, as strong as the network is
/// sure (rounded to [`SHADE_STEPS`]); `None` when the probabilities are not finite.
pub fn region_color(probabilities: &[f32], theme: &Theme) -> Option<RGBColor> {
    let classes = probabilities.len();
    if classes < 2 || probabilities.iter().any(|p| !p.is_finite()) {
        return None;
    }
    let (winner, &best) = probabilities
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let chance = 1.0 / classes as f64;
    let sure = (f64::from(best) - chance) / (1.0 - chance);
    let shade = (sure * SHADE_STEPS).round() / SHADE_STEPS;
    // Even a certain region stays lighter than the samples drawn on it.
    Some(blend(class_color(winner), theme.background(), 0.75 * shade))
}

/// Draws `prediction` on `area`.
pub fn draw_prediction<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    prediction: &Prediction,
    theme: Theme,
) -> crate::error::Result<()> {
    area.fill(&theme.background()).map_err(render_error)?;
    match prediction {
        Prediction::Regions(map) => draw_regions(area, map, theme),
        Prediction::Regression(fit) => draw_regression(area, fit, theme),
        Prediction::Unavailable { reason } => {
            let (width, height) = area.dim_in_pixel();
            let style = theme
                .font(13.0, theme.muted_text())
                .pos(Pos::new(HPos::Center, VPos::Center));
            area.draw_text(reason, &style, (width as i32 / 2, height as i32 / 2))
                .map_err(render_error)
        }
    }
}

fn draw_regions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &RegionMap,
    theme: Theme,
) -> crate::error::Result<()> {
    let title = match (map.train_accuracy, map.val_accuracy) {
        (Some(train), Some(val)) => format!(
            "Decision regions (accuracy: train {} %, validation {} %)",
            percent(train),
            percent(val)
        ),
        (Some(train), None) => format!("Decision regions (train accuracy {} %)", percent(train)),
        _ => "Decision regions".to_string(),
    };
    let (x_low, x_high) = map.x_range;
    let (y_low, y_high) = map.y_range;
    let mut chart = ChartBuilder::on(area)
        .caption(&title, theme.title_font(14.0))
        .margin(theme.px(10.0))
        .margin_right(theme.px(18.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(x_low..x_high, y_low..y_high)
        .map_err(render_error)?;

    // Shaded cells, merged into runs of one colour along each row.
    let resolution = map.resolution;
    let classes = map.classes;
    let plot = chart.plotting_area().strip_coord_spec();
    let (width, height) = plot.dim_in_pixel();
    let valid = resolution >= 2
        && classes >= 2
        && map.probabilities.len() == resolution * resolution * classes;
    if valid {
        let cell_color = |column: usize, row: usize| {
            let start = (row * resolution + column) * classes;
            region_color(&map.probabilities[start..start + classes], &theme)
        };
        // Pixel (x, y) takes the nearest grid point.
        let to_column = |x: u32| {
            ((f64::from(x) + 0.5) / f64::from(width) * (resolution - 1) as f64).round() as usize
        };
        let to_row = |y: u32| {
            ((f64::from(height - y) - 0.5) / f64::from(height) * (resolution - 1) as f64).round()
                as usize
        };
        let columns: Vec<usize> = (0..width).map(to_column).collect();
        let mut y = 0;
        while y < height {
            let row = to_row(y);
            // Rows of pixels that share a grid row are drawn as one band.
            let mut band_end = y + 1;
            while band_end < height && to_row(band_end) == row {
                band_end += 1;
            }
            let mut start = 0usize;
            while start < columns.len() {
                let color = cell_color(columns[start], row);
                let mut end = start + 1;
                while end < columns.len() && cell_color(columns[end], row) == color {
                    end += 1;
                }
                let fill = color.unwrap_or_else(|| theme.no_data());
                let rectangle = plotters::prelude::Rectangle::new(
                    [(start as i32, y as i32), (end as i32, band_end as i32)],
                    fill.filled(),
                );
                plot.draw(&rectangle).map_err(render_error)?;
                start = end;
            }
            y = band_end;
        }

        // The p = ½ boundary of a binary task.
        if classes == 2 {
            let second: Vec<f64> = map
                .probabilities
                .chunks_exact(2)
                .map(|p| f64::from(p[1]))
                .collect();
            let grid = Grid {
                values: &second,
                columns: resolution,
                rows: resolution,
                rows_done: resolution,
            };
            let scale_x = f64::from(width) / (resolution - 1) as f64;
            let scale_y = f64::from(height) / (resolution - 1) as f64;
            let style = theme.text().mix(0.55).stroke_width(theme.stroke(1.5));
            for line in iso_lines(&grid, &[0.5]) {
                let pixels: Vec<(i32, i32)> = line
                    .iter()
                    .map(|&(column, row)| {
                        let x = column * scale_x;
                        let y = f64::from(height) - row * scale_y;
                        (x.round() as i32, y.round() as i32)
                    })
                    .collect();
                plot.draw(&PathElement::new(pixels, style))
                    .map_err(render_error)?;
            }
        }
    }

    let tick = |value: &f64| format_tick(*value);
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(theme.axis().stroke_width(theme.stroke(1.0)))
        .label_style(theme.font(11.5, theme.text()))
        .axis_desc_style(theme.font(12.5, theme.text()))
        .x_desc(map.feature_names[0].as_str())
        .y_desc(map.feature_names[1].as_str())
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()
        .map_err(render_error)?;

    // Samples: train ringed in white, validation in black, both filled with their class.
    let radius = theme.stroke(3.2);
    let ring = theme.stroke(1.2);
    for validation in [false, true] {
        let outline = if validation {
            RGBColor(0x10, 0x10, 0x14)
        } else {
            RGBColor(255, 255, 255)
        };
        let samples = map.points.iter().filter(|p| p.validation == validation);
        for point in samples {
            let centre = (point.x, point.y);
            chart
                .draw_series([
                    Circle::new(centre, radius + ring, outline.filled()),
                    Circle::new(centre, radius, class_color(point.label).filled()),
                ])
                .map_err(render_error)?;
        }
    }

    // Legend: one entry per class, then the two rings.
    let labelled_classes =
        (0..classes).map(|class| (format!("class {class}"), class_color(class), None));
    let rings = [
        (
            "train".to_string(),
            theme.muted_text(),
            Some(RGBColor(255, 255, 255)),
        ),
        (
            "validation".to_string(),
            theme.muted_text(),
            Some(RGBColor(0x10, 0x10, 0x14)),
        ),
    ];
    for (label, fill, outline) in labelled_classes.chain(rings) {
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
            .map_err(render_error)?
            .label(label)
            .legend(move |(x, y)| {
                let centre = (x + radius as i32, y);
                let (outer, inner) = match outline {
                    Some(outline) => (outline, fill),
                    None => (fill, fill),
                };
                plotters::element::EmptyElement::at(centre)
                    + Circle::new((0, 0), radius + ring, outer.filled())
                    + Circle::new((0, 0), radius, inner.filled())
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(theme.px(6.0))
        .legend_area_size(theme.px(16.0))
        .background_style(theme.legend_background().filled())
        .border_style(theme.grid())
        .label_font(theme.font(11.5, theme.text()))
        .draw()
        .map_err(render_error)
}

fn draw_regression<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fit: &RegressionFit,
    theme: Theme,
) -> crate::error::Result<()> {
    let title = match fit.r2 {
        Some(r2) => format!("Predicted against actual (validation R² = {r2:.2})"),
        None => "Predicted against actual".to_string(),
    };
    let values = fit
        .actual
        .iter()
        .chain(&fit.predicted)
        .copied()
        .filter(|v| v.is_finite());
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (low, high) = if low.is_finite() && high > low {
        let pad = (high - low) * 0.05;
        (low - pad, high + pad)
    } else {
        (-1.0, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&title, theme.title_font(14.0))
        .margin(theme.px(10.0))
        .margin_right(theme.px(18.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(60.0))
        .build_cartesian_2d(low..high, low..high)
        .map_err(render_error)?;
    let tick = |value: &f64| format_tick(*value);
    let actual_label = format!("actual {}", fit.target_name);
    let predicted_label = format!("predicted {}", fit.target_name);
    chart
        .configure_mesh()
        .light_line_style(plotters::style::RGBAColor(0, 0, 0, 0.0))
        .bold_line_style(theme.grid())
        .axis_style(theme.axis().stroke_width(theme.stroke(1.0)))
        .label_style(theme.font(11.5, theme.text()))
        .axis_desc_style(theme.font(12.5, theme.text()))
        .x_desc(actual_label.as_str())
        .y_desc(predicted_label.as_str())
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()
        .map_err(render_error)?;

    let diagonal = theme.muted_text().stroke_width(theme.stroke(1.2));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(low, low), (high, high)],
            theme.px(6.0),
            theme.px(4.0),
            diagonal,
        ))
        .map_err(render_error)?
        .label("prediction = actual")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], diagonal));

    let radius = theme.stroke(3.0);
    let [train_color, val_color] = [class_color(1), class_color(0)];
    for (validation, color, label) in [
        (false, train_color, "train"),
        (true, val_color, "validation"),
    ] {
        let points: Vec<(f64, f64)> = fit
            .actual
            .iter()
            .zip(&fit.predicted)
            .zip(&fit.validation)
            .filter(|(pair, &is_val)| {
                is_val == validation && pair.0.is_finite() && pair.1.is_finite()
            })
            .map(|((&a, &p), _)| (a, p))
            .collect();
        if points.is_empty() {
            continue;
        }
        let alpha = if validation { 0.9 } else { 0.45 };
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(|point| Circle::new(point, radius, color.mix(alpha).filled())),
            )
            .map_err(render_error)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 9, y), radius, color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
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

    /// A map whose network is sure of class 1 right of x = 0 and of class 0 left of it.
    fn split_map() -> RegionMap {
        let resolution = 21;
        let mut probabilities = Vec::new();
        for _row in 0..resolution {
            for column in 0..resolution {
                let p = if column > resolution / 2 { 0.99 } else { 0.01 };
                probabilities.extend([1.0 - p, p]);
            }
        }
        RegionMap {
            x_range: (-1.0, 1.0),
            y_range: (-1.0, 1.0),
            resolution,
            classes: 2,
            probabilities,
            points: vec![LabelledPoint {
                x: 0.5,
                y: 0.5,
                label: 1,
                validation: false,
            }],
            feature_names: ["x1".into(), "x2".into()],
            train_accuracy: Some(1.0),
            val_accuracy: None,
        }
    }

    #[test]
    fn confident_regions_take_their_class_colour_and_unsure_ones_the_background() {
        let theme = Theme::default();
        let sure = region_color(&[0.0, 1.0], &theme).unwrap();
        assert_eq!(
            sure,
            blend(class_color(1), theme.background(), 0.75),
            "certainty gives the class colour at three quarters strength"
        );
        assert_eq!(
            region_color(&[0.5, 0.5], &theme),
            Some(theme.background()),
            "a coin flip is the background"
        );
        assert_eq!(
            region_color(&[f32::NAN, 0.5], &theme),
            None,
            "NaN is no data"
        );
    }

    /// Pixels left of the middle are orange-tinted (class 0), right of it blue-tinted
    /// (class 1), and the sample at (0.5, 0.5) is drawn in class 1's full colour.
    #[test]
    fn regions_are_drawn_where_the_network_puts_them() {
        let map = split_map();
        let (backend, image) = PixelBuffer::new(400, 360);
        draw_prediction(
            &backend.into_drawing_area(),
            &Prediction::Regions(map),
            Theme::default(),
        )
        .unwrap();
        let image = image.borrow();
        let left = blend(class_color(0), Theme::default().background(), 0.75);
        let right = blend(class_color(1), Theme::default().background(), 0.75);
        let count = |color: RGBColor| {
            image
                .pixels
                .iter()
                .filter(|p| **p == [color.0, color.1, color.2])
                .count()
        };
        assert!(count(left) > 10_000, "class 0's side: {}", count(left));
        assert!(count(right) > 10_000, "class 1's side: {}", count(right));
        let full = class_color(1);
        assert!(count(full) > 5, "the sample is drawn in its class colour");
        assert!(image.texts.iter().any(|t| t.contains("Decision regions")));
    }

    #[test]
    fn classification_with_many_features_explains_why_there_is_no_map() {
        let config = crate::config::RunConfig::from_json(
            r#"{"data": {"source": "iris"}, "epochs": 1, "model": {"hidden": [4]}}"#,
        )
        .unwrap();
        let trainer = Trainer::new(config).unwrap();
        match predict(&trainer, 10) {
            Prediction::Unavailable { reason } => assert!(reason.contains("4"), "{reason}"),
            other => panic!("iris has 4 features, got {other:?}"),
        }
    }
}
