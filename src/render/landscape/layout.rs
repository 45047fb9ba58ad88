//! Where the parts of a loss map go in an area of a given size, and the map from plane
//! coordinates (α, β) to device pixels and back.

use crate::landscape::Surface;
use crate::render::theme::Theme;

/// A rectangle in device pixels of the drawing area: columns `left..left + width`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub left: i32,
    pub top: i32,
    pub width: i32,
    pub height: i32,
}

impl PixelRect {
    /// The first column past the rectangle.
    pub fn right(&self) -> i32 {
        self.left + self.width
    }

    /// The first row below the rectangle.
    pub fn bottom(&self) -> i32 {
        self.top + self.height
    }

    /// Whether pixel (x, y) lies inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        (self.left..self.right()).contains(&x) && (self.top..self.bottom()).contains(&y)
    }
}

/// Where the parts of the map go in an area of a given size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LandscapeLayout {
    /// The square plot of the surface.
    pub plot: PixelRect,
    /// The colour bar right of the plot.
    pub bar: PixelRect,
    /// The baseline centre of the title.
    pub title_center: (i32, i32),
    /// The title's size in device pixels.
    pub title_px: i32,
}

impl LandscapeLayout {
    /// The layout for an area of `width` × `height` device pixels, or `None` when the
    /// area is too small for a readable map.
    pub fn new(width: u32, height: u32, theme: &Theme) -> Option<LandscapeLayout> {
        let (width, height) = (width as i32, height as i32);
        let margin = theme.px(10.0);
        let title_band = theme.px(34.0);
        let left_labels = theme.px(50.0);
        let bottom_labels = theme.px(50.0);
        let bar_gap = theme.px(16.0);
        let bar_width = theme.px(16.0);
        let bar_labels = theme.px(56.0);
        let right_part = bar_gap + bar_width + bar_labels;

        let side_by_width = width - 2 * margin - left_labels - right_part;
        let side_by_height = height - title_band - bottom_labels - margin;
        let side = side_by_width.min(side_by_height);
        if side < theme.px(60.0) {
            return None;
        }

        // Centre the block of labels, plot and bar horizontally.
        let block_width = left_labels + side + right_part;
        let block_left = (width - block_width) / 2;
        let plot = PixelRect {
            left: block_left + left_labels,
            top: title_band,
            width: side,
            height: side,
        };
        let bar = PixelRect {
            left: plot.right() + bar_gap,
            top: plot.top,
            width: bar_width,
            height: side,
        };
        Some(LandscapeLayout {
            plot,
            bar,
            title_center: (width / 2, title_band / 2),
            title_px: theme.px(15.0),
        })
    }
}

/// Maps plane coordinates to device pixels of the plot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlaneToPixels {
    pub(crate) plot: PixelRect,
    pub(crate) alpha_range: (f64, f64),
    pub(crate) beta_range: (f64, f64),
}

impl PlaneToPixels {
    pub(crate) fn new(plot: PixelRect, surface: &Surface) -> PlaneToPixels {
        PlaneToPixels {
            plot,
            alpha_range: axis_range(&surface.alphas),
            beta_range: axis_range(&surface.betas),
        }
    }

    /// (α, β) as fractional device pixels; β grows upwards.
    pub(crate) fn pixel(&self, alpha: f64, beta: f64) -> (f64, f64) {
        let (alpha_low, alpha_high) = self.alpha_range;
        let (beta_low, beta_high) = self.beta_range;
        let x = f64::from(self.plot.left)
            + (alpha - alpha_low) / (alpha_high - alpha_low) * f64::from(self.plot.width);
        let y = f64::from(self.plot.top)
            + (beta_high - beta) / (beta_high - beta_low) * f64::from(self.plot.height);
        (x, y)
    }

    /// The plane point under fractional device pixel (x, y): the inverse of `pixel`.
    pub(crate) fn plane(&self, x: f64, y: f64) -> (f64, f64) {
        let (alpha_low, alpha_high) = self.alpha_range;
        let (beta_low, beta_high) = self.beta_range;
        let alpha = alpha_low
            + (x - f64::from(self.plot.left)) / f64::from(self.plot.width)
                * (alpha_high - alpha_low);
        let beta = beta_high
            - (y - f64::from(self.plot.top)) / f64::from(self.plot.height) * (beta_high - beta_low);
        (alpha, beta)
    }

    pub(crate) fn rounded(&self, alpha: f64, beta: f64) -> (i32, i32) {
        let (x, y) = self.pixel(alpha, beta);
        (x.round() as i32, y.round() as i32)
    }

    /// The middle of the plotted range (the map's centre weights on a symmetric grid).
    pub(crate) fn centre(&self) -> (f64, f64) {
        (
            0.5 * (self.alpha_range.0 + self.alpha_range.1),
            0.5 * (self.beta_range.0 + self.beta_range.1),
        )
    }

    /// Half the plotted width in plane units (r on a grid over [−r, r]).
    pub(crate) fn half_width(&self) -> f64 {
        0.5 * (self.alpha_range.1 - self.alpha_range.0)
    }

    pub(crate) fn inside(&self, alpha: f64, beta: f64) -> bool {
        let tolerance = 1e-12;
        (self.alpha_range.0 - tolerance..=self.alpha_range.1 + tolerance).contains(&alpha)
            && (self.beta_range.0 - tolerance..=self.beta_range.1 + tolerance).contains(&beta)
    }
}

/// First and last grid coordinate, or [−1, 1] for a degenerate axis.
pub(crate) fn axis_range(coordinates: &[f64]) -> (f64, f64) {
    match (coordinates.first(), coordinates.last()) {
        (Some(&low), Some(&high)) if low.is_finite() && high.is_finite() && high > low => {
            (low, high)
        }
        _ => (-1.0, 1.0),
    }
}
