//! An imported run's curves, drawn with the lab's own charts ([`crate::render::curves`]):
//! the losses at the judged points, then the learning rate and the gradient norm (at
//! every logged step when the log has steps, else at the points). A curve the log lacks
//! gets a panel that says so. On native targets [`write_png`] puts the figure in a file
//! for the `diagnose` command.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::judge::Grouping;
use super::run::Row;
use super::series::Quantity;
use super::LogDiagnosis;
use crate::error::Result;
use crate::render::curves::{draw_curve, CurveView, Series};
use crate::render::figure::curves_panel::series_colors;
use crate::render::render_error;
use crate::render::theme::Theme;

/// The figure's size in CSS pixels.
pub const FIGURE_SIZE: (u32, u32) = (900, 1000);

/// How the curves are drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogFigureSettings {
    /// Weight of the debiased moving average in [0, 1); 0 draws the raw values only.
    pub smoothing: f64,
    pub log_loss: bool,
    pub theme: Theme,
}

/// The (x, y) pairs of `quantity` in `rows`, x on the grouping's axis.
fn points_of(rows: &[Row], quantity: Quantity, x: impl Fn(&Row) -> f64) -> Vec<(f64, f64)> {
    rows.iter()
        .filter_map(|row| row.get(quantity).map(|value| (x(row), value)))
        .collect()
}

/// Draws the three charts of `diagnosis` stacked on `area`.
pub fn draw_log_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    diagnosis: &LogDiagnosis,
    settings: &LogFigureSettings,
) -> Result<()> {
    let theme = settings.theme;
    area.fill(&theme.background()).map_err(render_error)?;
    let [first, second, _] = series_colors(&theme);
    let grouping = diagnosis.grouping;
    let point_x = |row: &Row| grouping.position_of(row);
    let step_x = |row: &Row| row.step.unwrap_or_default() as f64;
    let series = |label: &str, color, points| Series {
        label: label.to_string(),
        points,
        color,
    };
    let chart = |title, x_label, y_label, series, log_y, smoothing| CurveView {
        title,
        x_label,
        y_label,
        series,
        log_y,
        hline: None,
        x_range: None,
        theme,
        smoothing,
        marks: Vec::new(),
        marks_label: "",
    };

    let x_label = grouping.position();
    let per_point = match grouping {
        Grouping::Epochs => "per epoch".to_string(),
        Grouping::Evaluations => "per evaluation".to_string(),
        Grouping::Windows { steps } => format!("per window of {steps} steps"),
    };
    let loss_title = format!("Loss {per_point} (diagnosis: {})", diagnosis.diagnosis.code);
    let loss = chart(
        loss_title.as_str(),
        x_label,
        "loss",
        vec![
            series(
                "train",
                first,
                points_of(&diagnosis.points, Quantity::TrainLoss, point_x),
            ),
            series(
                "validation",
                second,
                points_of(&diagnosis.points, Quantity::ValLoss, point_x),
            ),
        ],
        settings.log_loss,
        settings.smoothing,
    );

    // Learning rate and gradient norm at full resolution when the log has them per step.
    let per_step = |quantity| {
        diagnosis
            .steps
            .iter()
            .any(|row| row.get(quantity).is_some())
    };
    let detail = |quantity: Quantity| {
        if per_step(quantity) {
            ("step", points_of(&diagnosis.steps, quantity, step_x))
        } else {
            (x_label, points_of(&diagnosis.points, quantity, point_x))
        }
    };
    let (lr_x, lr_points) = detail(Quantity::LearningRate);
    let learning_rate = chart(
        "Learning rate",
        lr_x,
        "learning rate",
        vec![series("", first, lr_points)],
        false,
        0.0,
    );
    let (norm_x, norm_points) = detail(Quantity::GradNorm);
    let gradient = chart(
        "Gradient norm",
        norm_x,
        "gradient L2 norm",
        vec![series("gradient norm", first, norm_points)],
        false,
        settings.smoothing,
    );

    let panels = area.split_evenly((3, 1));
    for (panel, view) in panels.iter().zip([&loss, &learning_rate, &gradient]) {
        if view.series.iter().all(|series| series.points.is_empty()) {
            draw_absent(panel, view.title, &theme)?;
        } else {
            draw_curve(panel, view)?;
        }
    }
    Ok(())
}

/// A panel for a curve the log does not have.
fn draw_absent<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    theme: &Theme,
) -> Result<()> {
    let (width, height) = area.dim_in_pixel();
    let centre_x = width as i32 / 2;
    let title_style = theme
        .title_font(14.0)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw_text(title, &title_style, (centre_x, theme.px(8.0)))
        .map_err(render_error)?;
    let note = theme
        .font(12.0, theme.muted_text())
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text("not in the log", &note, (centre_x, height as i32 / 2))
        .map_err(render_error)
}

/// In the browser there are no files; the page draws on canvases instead.
#[cfg(target_arch = "wasm32")]
pub fn write_png(_diagnosis: &LogDiagnosis, path: &std::path::Path) -> Result<()> {
    Err(crate::error::Error::Io {
        path: path.display().to_string(),
        message: "figures are written to files by the native command line only".into(),
    })
}

/// Writes the figure as a PNG at twice [`FIGURE_SIZE`].
#[cfg(not(target_arch = "wasm32"))]
pub fn write_png(diagnosis: &LogDiagnosis, path: &std::path::Path) -> Result<()> {
    use plotters::prelude::{BitMapBackend, IntoDrawingArea};

    const SCALE: f64 = 2.0;
    // Smoothing a short curve shifts it visibly; only long logs need it.
    const SMOOTHED_FROM_POINTS: usize = 50;
    let long = diagnosis.points.len().max(diagnosis.steps.len()) >= SMOOTHED_FROM_POINTS;
    let settings = LogFigureSettings {
        smoothing: if long {
            crate::render::smoothing::DEFAULT_SMOOTHING
        } else {
            0.0
        },
        log_loss: false,
        theme: Theme::new(SCALE, false),
    };
    let size = (
        (f64::from(FIGURE_SIZE.0) * SCALE) as u32,
        (f64::from(FIGURE_SIZE.1) * SCALE) as u32,
    );
    let area = BitMapBackend::new(path, size).into_drawing_area();
    draw_log_curves(&area, diagnosis, &settings)?;
    area.present().map_err(|error| crate::error::Error::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    })
}
