//! Figures, drawn once against plotters' `DrawingBackend`, so the same code paints the
//! page's canvases (plotters-canvas) and, natively, bitmaps or SVG whose pixels tests can
//! read.
//!
//! - [`colormap`]: viridis, a perceptually uniform map that stays readable with
//!   colour-vision deficiencies and in greyscale.
//! - [`levels`]: contour levels picked from the data (linear or logarithmic).
//! - [`fill`]: filled contours as horizontal runs of equal colour.
//! - [`isolines`]: contour lines by marching squares (the `contour` crate).
//! - [`landscape`]: the loss map with the optimizer path and a colour bar.
//! - [`curves`]: line charts of loss, learning rate and gradient norm.
//! - [`theme`]: colours and sizes for light and dark pages and any pixel density.

pub mod caption;
pub mod colormap;
pub mod curves;
pub mod figure;
pub mod fill;
pub mod fonts;
pub mod isolines;
pub mod landscape;
pub mod levels;
pub mod pair;
pub mod prediction;
pub mod slice;
pub mod smoothing;
pub mod surface3d;
pub(crate) mod text;
pub mod theme;
pub mod ticks;

#[cfg(test)]
pub(crate) mod test_backend;

pub use curves::{draw_curve, CurveView, Series};
pub use landscape::{draw_landscape, LandscapeView};
pub use theme::Theme;

use crate::error::Error;

/// Wraps any drawing failure of a backend as [`Error::Render`].
pub(crate) fn render_error(error: impl std::fmt::Display) -> Error {
    Error::Render(error.to_string())
}
