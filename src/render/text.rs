//! Text helpers shared by the figures: centred styles, titles shrunk to fit, widths
//! measured in a way that agrees between the browser and the bundled font, and notices.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TextStyle};

use super::landscape::{LandscapeLayout, PixelRect};
use super::render_error;
use super::theme::Theme;
use crate::error::Result;

/// A text style anchored at its centre.
pub(crate) fn centred(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// The title, shrunk to fit narrow areas.
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    layout: &LandscapeLayout,
    theme: &Theme,
) -> Result<()> {
    let available = f64::from(area.dim_in_pixel().0) - 2.0 * f64::from(theme.px(8.0));
    let largest = f64::from(layout.title_px) / theme.scale;
    let css_px = fitting_size(area, title, theme, true, available, largest, 9.0)?;
    let style = centred(theme.title_font(css_px));
    area.draw_text(title, &style, layout.title_center)
        .map_err(render_error)
}

/// Device pixels of text measured at, so that even long strings stay on one line while
/// measured (the browser measures in a box no wider than the window).
pub(crate) const MEASURE_DEVICE_PX: f64 = 8.0;

/// The width in device pixels of `text` at `css_px`, measured small and scaled, since text
/// width grows in proportion to font size.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    theme: &Theme,
    bold: bool,
    css_px: f64,
) -> Result<f64> {
    let reference_css_px = MEASURE_DEVICE_PX / theme.scale;
    let style = if bold {
        theme.title_font(reference_css_px)
    } else {
        theme.font(reference_css_px, theme.text())
    };
    let (width, _) = area
        .estimate_text_size(text, &style)
        .map_err(render_error)?;
    Ok(f64::from(width) * css_px * theme.scale / MEASURE_DEVICE_PX)
}

/// The largest size from `largest` down to `smallest` CSS pixels (in steps of 1) at which
/// `text` fits in `available` device pixels; `smallest` if none does.
pub(crate) fn fitting_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    theme: &Theme,
    bold: bool,
    available: f64,
    largest: f64,
    smallest: f64,
) -> Result<f64> {
    let width_at_largest = text_width(area, text, theme, bold, largest)?;
    if width_at_largest <= available || width_at_largest <= 0.0 {
        return Ok(largest);
    }
    let fitting = (largest * available / width_at_largest).floor();
    Ok(fitting.clamp(smallest, largest))
}

/// A short message in a box at the top of the plot.
pub(crate) fn draw_notice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notice: &str,
    plot: &PixelRect,
    theme: &Theme,
) -> Result<()> {
    let style = centred(theme.font(12.5, theme.text()));
    let (text_width, text_height) = area
        .estimate_text_size(notice, &style)
        .map_err(render_error)?;
    let padding = theme.px(6.0);
    // High in the plot, clear of the centre where the path and current point are.
    let centre = (plot.left + plot.width / 2, plot.top + plot.height / 5);
    let half_width = (text_width as i32 / 2 + padding).min(plot.width / 2);
    let half_height = text_height as i32 / 2 + padding;
    let box_shape = Rectangle::new(
        [
            (centre.0 - half_width, centre.1 - half_height),
            (centre.0 + half_width, centre.1 + half_height),
        ],
        theme.legend_background().filled(),
    );
    area.draw(&box_shape).map_err(render_error)?;
    area.draw_text(notice, &style, centre).map_err(render_error)
}
