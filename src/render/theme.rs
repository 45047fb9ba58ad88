//! Colours and sizes shared by every figure. Sizes are given in CSS pixels and multiplied
//! by [`Theme::scale`] (the page's `devicePixelRatio`), so a figure looks the same on any
//! screen; the dark variant follows the page's `prefers-color-scheme`.

use plotters::style::{FontFamily, FontStyle, IntoFont, RGBAColor, RGBColor, TextStyle};

/// How a figure is painted: pixel density and light or dark background.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel; 1.0 on a plain screen, 2.0 on most laptops.
    pub scale: f64,
    /// Light text on a dark background.
    pub dark: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            scale: 1.0,
            dark: false,
        }
    }
}

impl Theme {
    /// A theme for `scale` device pixels per CSS pixel; non-finite or non-positive scales
    /// fall back to 1.
    pub fn new(scale: f64, dark: bool) -> Theme {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale.clamp(0.25, 8.0)
        } else {
            1.0
        };
        Theme { scale, dark }
    }

    /// `css_px` CSS pixels in device pixels, rounded.
    pub fn px(&self, css_px: f64) -> i32 {
        (css_px * self.scale).round() as i32
    }

    /// `css_px` CSS pixels in device pixels, at least 1 (for line widths and radii).
    pub fn stroke(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round().max(1.0) as u32
    }

    /// The figure's background.
    pub fn background(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x1c, 0x1e, 0x24)
        } else {
            RGBColor(0xff, 0xff, 0xff)
        }
    }

    /// Titles, labels and tick numbers.
    pub fn text(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xe6, 0xe8, 0xee)
        } else {
            RGBColor(0x1f, 0x23, 0x2b)
        }
    }

    /// Secondary text such as notices.
    pub fn muted_text(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xa4, 0xa9, 0xb6)
        } else {
            RGBColor(0x5a, 0x61, 0x6e)
        }
    }

    /// Axis lines and frames.
    pub fn axis(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x8a, 0x90, 0x9c)
        } else {
            RGBColor(0x4a, 0x50, 0x5c)
        }
    }

    /// Light grid lines behind curves.
    pub fn grid(&self) -> RGBAColor {
        if self.dark {
            RGBAColor(0xff, 0xff, 0xff, 0.08)
        } else {
            RGBAColor(0x00, 0x00, 0x00, 0.07)
        }
    }

    /// Cells of a surface that have no finite value (not computed yet, or diverged).
    /// A neutral grey that viridis never produces.
    pub fn no_data(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x4b, 0x4e, 0x56)
        } else {
            RGBColor(0xc8, 0xca, 0xcf)
        }
    }

    /// A legend's box behind its entries.
    pub fn legend_background(&self) -> RGBAColor {
        if self.dark {
            RGBAColor(0x1c, 0x1e, 0x24, 0.85)
        } else {
            RGBAColor(0xff, 0xff, 0xff, 0.85)
        }
    }

    /// Sans-serif text of `css_px` CSS pixels in `color`.
    pub fn font(&self, css_px: f64, color: RGBColor) -> TextStyle<'static> {
        super::fonts::ensure_registered();
        (FontFamily::SansSerif, css_px * self.scale)
            .into_font()
            .color(&color)
    }

    /// Bold sans-serif text of `css_px` CSS pixels in the text colour, for titles.
    pub fn title_font(&self, css_px: f64) -> TextStyle<'static> {
        super::fonts::ensure_registered();
        (FontFamily::SansSerif, css_px * self.scale, FontStyle::Bold)
            .into_font()
            .color(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_scales_fall_back_to_one() {
        assert_eq!(Theme::new(f64::NAN, false).scale, 1.0);
        assert_eq!(Theme::new(0.0, false).scale, 1.0);
        assert_eq!(Theme::new(2.0, true).scale, 2.0);
    }

    #[test]
    fn sizes_scale_with_density() {
        let theme = Theme::new(2.0, false);
        assert_eq!(
            theme.px(10.0),
            20,
            "10 CSS px are 20 device px at density 2"
        );
        assert_eq!(Theme::new(0.3, false).stroke(1.0), 1, "lines never vanish");
    }
}
