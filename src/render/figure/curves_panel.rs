//! The run's curves as one figure: loss per epoch, learning rate and gradient norm per
//! update, stacked. Loss and gradient norm are smoothed with the debiased moving average
//! (raw values faint behind); the gradient norm shows the clipping threshold as a dashed
//! line and rings the updates that were clipped.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::RGBColor;

use crate::error::Result;
use crate::render::curves::{draw_curve, CurveView, Series};
use crate::render::render_error;
use crate::render::theme::Theme;
use crate::train::History;

/// Okabe–Ito blue, orange and green for light backgrounds; sky blue replaces blue on
/// dark ones. Distinguishable with every common colour-vision deficiency.
pub fn series_colors(theme: &Theme) -> [RGBColor; 3] {
    let first = if theme.dark {
        RGBColor(0x56, 0xb4, 0xe9)
    } else {
        RGBColor(0x00, 0x72, 0xb2)
    };
    [
        first,
        RGBColor(0xe6, 0x9f, 0x00),
        RGBColor(0x00, 0x9e, 0x73),
    ]
}

/// Whether the per-update x axis shows epochs (update / updates per epoch) or updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XUnit {
    Updates,
    Epochs,
}

/// What the curves figure shows besides the history.
#[derive(Clone, Copy, Debug)]
pub struct CurvesSettings<'a> {
    pub loss_name: &'a str,
    pub clip_norm: Option<f64>,
    pub updates_per_epoch: usize,
    pub smoothing: f64,
    pub x_unit: XUnit,
    pub log_loss: bool,
    pub theme: Theme,
}

/// Draws the three charts of `history` stacked on `area`.
pub fn draw_curves_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &History,
    settings: &CurvesSettings,
) -> Result<()> {
    let theme = settings.theme;
    area.fill(&theme.background()).map_err(render_error)?;
    let [first, second, third] = series_colors(&theme);
    let per_epoch = settings.updates_per_epoch.max(1) as f64;
    let (x_label, update_x): (&str, Box<dyn Fn(usize) -> f64>) = match settings.x_unit {
        XUnit::Updates => ("optimizer update", Box::new(|update| update as f64)),
        // Update k ends at epoch (k + 1) / updates per epoch.
        XUnit::Epochs => (
            "epoch",
            Box::new(move |update| (update as f64 + 1.0) / per_epoch),
        ),
    };
    let epoch_x = |epoch: usize| match settings.x_unit {
        XUnit::Updates => epoch as f64 * per_epoch - 1.0,
        XUnit::Epochs => epoch as f64,
    };

    let epochs = &history.epochs;
    let updates = &history.updates;
    let series = |label: &str, color, points: Vec<(f64, f64)>| Series {
        label: label.to_string(),
        points,
        color,
    };
    let loss_series = vec![
        series(
            "train (running)",
            first,
            epochs
                .iter()
                .map(|e| (epoch_x(e.epoch), e.train_loss_running))
                .collect(),
        ),
        series(
            "train (evaluated)",
            second,
            epochs
                .iter()
                .map(|e| (epoch_x(e.epoch), e.train_loss_eval))
                .collect(),
        ),
        series(
            "validation",
            third,
            epochs
                .iter()
                .filter_map(|e| e.val_loss.map(|v| (epoch_x(e.epoch), v)))
                .collect(),
        ),
    ];
    let smoothed = |title: String| {
        if settings.smoothing > 0.0 {
            format!("{title}, smoothed {}", settings.smoothing)
        } else {
            title
        }
    };
    let loss_title = smoothed(format!("Loss per epoch ({})", settings.loss_name));
    let gradient_title = smoothed("Gradient norm per update (before clipping)".to_string());
    let loss = CurveView {
        title: &loss_title,
        x_label,
        y_label: settings.loss_name,
        series: loss_series,
        log_y: settings.log_loss,
        hline: None,
        x_range: None,
        theme,
        smoothing: settings.smoothing,
        marks: Vec::new(),
        marks_label: "",
    };
    let learning_rate = CurveView {
        title: "Learning rate per update",
        x_label,
        y_label: "learning rate",
        series: vec![series(
            "",
            first,
            updates.iter().map(|u| (update_x(u.update), u.lr)).collect(),
        )],
        log_y: false,
        hline: None,
        x_range: None,
        theme,
        smoothing: 0.0,
        marks: Vec::new(),
        marks_label: "",
    };
    let clip_label = settings
        .clip_norm
        .map(|norm| format!("clip threshold {norm}"))
        .unwrap_or_default();
    let gradient = CurveView {
        title: &gradient_title,
        x_label,
        y_label: "gradient L2 norm",
        series: vec![series(
            "gradient norm",
            first,
            updates
                .iter()
                .map(|u| (update_x(u.update), u.grad_norm))
                .collect(),
        )],
        log_y: false,
        hline: settings.clip_norm.map(|norm| (norm, clip_label.as_str())),
        x_range: None,
        theme,
        smoothing: settings.smoothing,
        marks: updates
            .iter()
            .filter(|u| u.clipped)
            .map(|u| (update_x(u.update), u.grad_norm))
            .collect(),
        marks_label: "clipped",
    };

    let panels = area.split_evenly((3, 1));
    draw_curve(&panels[0], &loss)?;
    draw_curve(&panels[1], &learning_rate)?;
    draw_curve(&panels[2], &gradient)?;
    Ok(())
}
