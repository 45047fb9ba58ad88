//! Flat against sharp: two loss maps side by side on one colour scale, so the same colour
//! means the same loss in both (Keskar et al. 2017; Li et al. 2018 §5 compare minima this
//! way). Each map is drawn by [`super::landscape`] with the shared range; its title names
//! the run and its sharpness.
//!
//! The loss along the straight line through both minima, `L((1 − α)·θ_A + α·θ_B)`, is
//! Keskar et al.'s parametric plot; [`draw_interpolation`] draws it with
//! [`super::slice`]'s chart, a reference line at each minimum.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::figure::curves_panel::series_colors;
use super::landscape::{draw_landscape, LandscapeView};
use super::levels::ScaleChoice;
use super::render_error;
use super::slice::{draw_slice, SliceData, SliceLine, SliceView};
use super::theme::Theme;
use crate::compare::{Comparison, Metrics};
use crate::error::Result;
use crate::landscape::Surface;

/// One map of the pair.
#[derive(Clone, Debug)]
pub struct PairSide<'a> {
    pub surface: &'a Surface,
    /// The path on this map's plane; may be empty.
    pub path: &'a [(f64, f64)],
    pub title: String,
}

/// Two maps and the loss range both colour scales span.
#[derive(Clone, Debug)]
pub struct PairView<'a> {
    pub sides: [PairSide<'a>; 2],
    pub shared_range: (f64, f64),
    pub scale: ScaleChoice,
    pub theme: Theme,
}

/// A side's title: its label and the numbers that tell flat from sharp.
pub fn side_title(metrics: &Metrics) -> String {
    format!(
        "{}: λmax {:.3}, ε-sharpness {:.3}, train loss {:.4}",
        metrics.label, metrics.lambda_max, metrics.eps_sharpness, metrics.train_loss
    )
}

impl<'a> PairView<'a> {
    /// Both runs of a comparison, each map centred on its own minimum.
    pub fn of_comparison(comparison: &'a Comparison, theme: Theme) -> PairView<'a> {
        let side = |side: &'a crate::compare::Side| PairSide {
            surface: &side.surface,
            path: &[],
            title: side_title(&side.metrics),
        };
        PairView {
            sides: [side(&comparison.a), side(&comparison.b)],
            shared_range: comparison.shared_range,
            scale: ScaleChoice::Auto,
            theme,
        }
    }
}

/// Draws both maps of `view` on one colour scale: left and right on a wide area, A above
/// B on a tall one (a phone held upright).
pub fn draw_landscape_pair<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &PairView,
) -> Result<()> {
    area.fill(&view.theme.background()).map_err(render_error)?;
    let (width, height) = area.dim_in_pixel();
    let halves = if width >= height {
        area.split_evenly((1, 2))
    } else {
        area.split_evenly((2, 1))
    };
    for (half, side) in halves.iter().zip(&view.sides) {
        let map = LandscapeView {
            surface: side.surface,
            path: side.path,
            current: Some(side.path.last().copied().unwrap_or((0.0, 0.0))),
            title: &side.title,
            theme: view.theme,
            scale: view.scale,
            colour_range: Some(view.shared_range),
        };
        draw_landscape(half, &map)?;
    }
    Ok(())
}

/// Draws the loss (and, for classification, the accuracy) on the line through both
/// minima of a comparison: `data.alphas` from the interpolation, α = 0 at run A (named
/// `labels[0]`), α = 1 at run B.
pub fn draw_interpolation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SliceData,
    labels: [&str; 2],
    loss_name: &str,
    theme: Theme,
) -> Result<()> {
    let [train_color, _, val_color] = series_colors(&theme);
    let line = |label: &str, color, values: &[f64], dashed| SliceLine {
        label: label.to_string(),
        color,
        points: data
            .alphas
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect(),
        dashed,
    };
    let mut losses = vec![line("train", train_color, &data.train_loss, false)];
    if !data.val_loss.is_empty() {
        losses.push(line("validation", val_color, &data.val_loss, false));
    }
    let mut accuracies = Vec::new();
    if let Some(accuracy) = &data.train_accuracy {
        accuracies.push(line("train accuracy", train_color, accuracy, true));
    }
    if let Some(accuracy) = &data.val_accuracy {
        accuracies.push(line("validation accuracy", val_color, accuracy, true));
    }
    let x_label = format!("α   (0: {}, 1: {})", labels[0], labels[1]);
    let view = SliceView {
        title: "Loss on the straight line through both minima",
        x_label: &x_label,
        y_label: loss_name,
        losses,
        accuracies,
        markers: vec![(0.0, labels[0]), (1.0, labels[1])],
        theme,
    };
    draw_slice(area, &view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_backend::PixelBuffer;
    use plotters::prelude::IntoDrawingArea;

    /// A bowl c·(α² + β²) + 0.1 on [−1, 1]².
    fn bowl(curvature: f64) -> Surface {
        let axis = crate::landscape::surface::grid(1.0, 21);
        let loss = axis
            .iter()
            .flat_map(|beta| {
                axis.iter()
                    .map(move |alpha| curvature * (alpha * alpha + beta * beta) + 0.1)
            })
            .collect();
        Surface {
            alphas: axis.clone(),
            betas: axis,
            loss,
            rows_done: 21,
            center_loss: 0.1,
            non_finite_count: 0,
        }
    }

    /// The same loss has the same colour on both maps: the flat bowl's rim (loss 2.1) and
    /// the sharp bowl at the point where it reaches 2.1 are painted alike, while each
    /// map's own range would have painted both rims yellow.
    #[test]
    fn one_colour_scale_for_both_maps() {
        let (flat, sharp) = (bowl(1.0), bowl(10.0));
        let view = PairView {
            sides: [
                PairSide {
                    surface: &flat,
                    path: &[],
                    title: "flat".into(),
                },
                PairSide {
                    surface: &sharp,
                    path: &[],
                    title: "sharp".into(),
                },
            ],
            shared_range: (0.1, 20.1),
            scale: ScaleChoice::Linear,
            theme: Theme::default(),
        };
        let (backend, image) = PixelBuffer::new(1000, 460);
        draw_landscape_pair(&backend.into_drawing_area(), &view).unwrap();
        let image = image.borrow();
        let layout =
            crate::render::landscape::LandscapeLayout::new(500, 460, &Theme::default()).unwrap();
        let plot = layout.plot;
        // Near the corner of the left (flat) map and of the right (sharp) map.
        let flat_corner = image.at(plot.left + 3, plot.top + 3);
        let sharp_corner = image.at(500 + plot.left + 3, plot.top + 3);
        assert_ne!(
            flat_corner, sharp_corner,
            "the flat rim (2.1) is far below the sharp rim (20.1) on a shared scale"
        );
        let levels =
            crate::render::levels::Levels::pick(&[0.1, 20.1], ScaleChoice::Linear).unwrap();
        let expected_flat = levels.band_color(levels.band_of(2.0).unwrap());
        let pixel = plotters::style::RGBColor(flat_corner[0], flat_corner[1], flat_corner[2]);
        assert_eq!(
            pixel, expected_flat,
            "the flat map's corner has the shared scale's colour for a loss near 2"
        );
    }

    /// Both minima are marked with their run's label, the losses and the accuracies are
    /// drawn, and a regression interpolation (no accuracy) has no second axis.
    #[test]
    fn interpolation_marks_both_minima() {
        let alphas: Vec<f64> = (0..31).map(|i| -1.0 + 0.1 * f64::from(i)).collect();
        let curve = |offset: f64| -> Vec<f64> {
            alphas
                .iter()
                .map(|a| (a * (a - 1.0)).powi(2) + offset)
                .collect()
        };
        let classification = SliceData {
            alphas: alphas.clone(),
            train_loss: curve(0.05),
            val_loss: curve(0.1),
            train_accuracy: Some(vec![0.95; alphas.len()]),
            val_accuracy: Some(vec![0.9; alphas.len()]),
        };
        let (backend, image) = PixelBuffer::new(700, 360);
        let area = backend.into_drawing_area();
        draw_interpolation(
            &area,
            &classification,
            ["batch 8", "batch 456"],
            "binary cross-entropy",
            Theme::default(),
        )
        .unwrap();
        let image = image.borrow();
        for text in [
            "batch 8",
            "batch 456",
            "accuracy (dashed)",
            "validation accuracy",
        ] {
            assert!(
                image.texts.iter().any(|t| t == text),
                "{text} is written: {:?}",
                image.texts
            );
        }
        let [train, _, val] = series_colors(&Theme::default());
        for color in [train, val] {
            let count = image
                .pixels
                .iter()
                .filter(|p| **p == [color.0, color.1, color.2])
                .count();
            assert!(count > 200, "{color:?} lines are drawn ({count} pixels)");
        }

        let regression = SliceData {
            train_accuracy: None,
            val_accuracy: None,
            ..classification
        };
        let (backend, image) = PixelBuffer::new(700, 360);
        draw_interpolation(
            &backend.into_drawing_area(),
            &regression,
            ["A", "B"],
            "mean squared error",
            Theme::default(),
        )
        .unwrap();
        assert!(
            !image
                .borrow()
                .texts
                .iter()
                .any(|t| t == "accuracy (dashed)"),
            "no accuracy axis for regression"
        );
    }

    /// On a tall area the maps are stacked, each as wide as the area: the flat map's
    /// corner colour shows up in the top half, the sharp map's in the bottom half.
    #[test]
    fn tall_area_stacks_the_maps() {
        let (flat, sharp) = (bowl(1.0), bowl(10.0));
        let side = |surface, title: &str| PairSide {
            surface,
            path: &[],
            title: title.into(),
        };
        let view = PairView {
            sides: [side(&flat, "flat"), side(&sharp, "sharp")],
            shared_range: (0.1, 20.1),
            scale: ScaleChoice::Linear,
            theme: Theme::default(),
        };
        let (backend, image) = PixelBuffer::new(460, 1000);
        draw_landscape_pair(&backend.into_drawing_area(), &view).unwrap();
        let image = image.borrow();
        let layout =
            crate::render::landscape::LandscapeLayout::new(460, 500, &Theme::default()).unwrap();
        let plot = layout.plot;
        let top_corner = image.at(plot.left + 3, plot.top + 3);
        let bottom_corner = image.at(plot.left + 3, 500 + plot.top + 3);
        assert_ne!(top_corner, bottom_corner, "two maps, one above the other");
        assert_eq!(
            image
                .texts
                .iter()
                .filter(|t| *t == "flat" || *t == "sharp")
                .count(),
            2,
            "both titles: {:?}",
            image.texts
        );
    }
}
