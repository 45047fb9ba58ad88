//! Contour levels picked from the data.
//!
//! The finite values span [min, max]. Interior thresholds are "nice" numbers (1, 2, 2.5, 5
//! times a power of ten on a linear scale; 1, 2, 5 per decade and similar on a log scale)
//! so the colour bar reads easily; `min` and `max` close the first and last band. A log
//! scale is chosen automatically when every value is positive and the data span more than
//! two decades, which is typical of a loss surface whose rim is far above its floor.
//! Non-finite values are ignored here; they are drawn as "no data".

use plotters::style::RGBColor;

use super::colormap::viridis;
use super::ticks::{format_tick, nice_log_ticks, nice_ticks};

/// How many bands a map aims for.
pub const TARGET_BANDS: usize = 12;

/// Decades the data must span before a log scale is chosen automatically.
const LOG_SCALE_MIN_DECADES: f64 = 2.0;

/// How values are placed along the colour axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

/// What the caller asks for; [`ScaleChoice::Auto`] picks as described in the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ScaleChoice {
    #[default]
    Auto,
    Linear,
    Log,
}

/// Band boundaries for one surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Levels {
    pub scale: Scale,
    /// Increasing boundaries: `edges[0]` is the smallest finite value, the last is the
    /// largest, the ones between are the iso-line thresholds. Band k is
    /// `[edges[k], edges[k + 1]]`. A constant surface has two equal edges and one band.
    pub edges: Vec<f64>,
    /// Something the reader must be told, e.g. that the surface is constant.
    pub notice: Option<String>,
}

impl Levels {
    /// Levels for the finite entries of `values`, or `None` when there are none.
    pub fn pick(values: &[f64], choice: ScaleChoice) -> Option<Levels> {
        let (min, max) = finite_range(values)?;

        if min == max {
            return Some(Levels {
                scale: Scale::Linear,
                edges: vec![min, max],
                notice: Some(format!(
                    "the loss is the same everywhere on this plane: {}",
                    format_tick(min)
                )),
            });
        }

        let decades = if min > 0.0 { (max / min).log10() } else { 0.0 };
        let (scale, notice) = match choice {
            ScaleChoice::Linear => (Scale::Linear, None),
            ScaleChoice::Auto if min > 0.0 && decades > LOG_SCALE_MIN_DECADES => (Scale::Log, None),
            ScaleChoice::Auto => (Scale::Linear, None),
            ScaleChoice::Log if min > 0.0 => (Scale::Log, None),
            ScaleChoice::Log => (
                Scale::Linear,
                Some(format!(
                    "a log scale needs positive values, the smallest is {}; drawn linear",
                    format_tick(min)
                )),
            ),
        };

        let interior = match scale {
            Scale::Linear => linear_thresholds(min, max, TARGET_BANDS),
            Scale::Log => log_thresholds(min, max, TARGET_BANDS),
        };
        let mut edges = Vec::with_capacity(interior.len() + 2);
        edges.push(min);
        edges.extend(interior);
        edges.push(max);
        Some(Levels {
            scale,
            edges,
            notice,
        })
    }

    /// Number of colour bands.
    pub fn band_count(&self) -> usize {
        self.edges.len() - 1
    }

    /// The iso-line thresholds (the edges strictly inside the range).
    pub fn thresholds(&self) -> &[f64] {
        &self.edges[1..self.edges.len() - 1]
    }

    /// The band holding `value`, or `None` for a non-finite value. Values outside the
    /// range fall in the first or last band.
    pub fn band_of(&self, value: f64) -> Option<usize> {
        if !value.is_finite() {
            return None;
        }
        let thresholds = self.thresholds();
        // The number of thresholds at or below the value is its band.
        Some(thresholds.partition_point(|&threshold| threshold <= value))
    }

    /// Where `value` sits on the colour axis: 0 at the minimum, 1 at the maximum,
    /// measured on the scale in use.
    pub fn position(&self, value: f64) -> f64 {
        let (min, max) = (self.edges[0], self.edges[self.edges.len() - 1]);
        if max <= min {
            return 0.5;
        }
        let t = match self.scale {
            Scale::Linear => (value - min) / (max - min),
            Scale::Log => (value.max(min).ln() - min.ln()) / (max.ln() - min.ln()),
        };
        t.clamp(0.0, 1.0)
    }

    /// The colour of band `band`: viridis at the band's middle on the colour axis.
    pub fn band_color(&self, band: usize) -> RGBColor {
        let band = band.min(self.band_count() - 1);
        let low = self.position(self.edges[band]);
        let high = self.position(self.edges[band + 1]);
        viridis(0.5 * (low + high))
    }

    /// A short description of the scale for the colour bar, e.g. "log scale".
    pub fn scale_label(&self) -> &'static str {
        match self.scale {
            Scale::Linear => "linear scale",
            Scale::Log => "log scale",
        }
    }
}

/// The smallest and largest finite values, or `None` when there are none.
pub fn finite_range(values: &[f64]) -> Option<(f64, f64)> {
    values
        .iter()
        .copied()
        .filter(|value| value.is_finite())
        .fold(None, |range, value| match range {
            None => Some((value, value)),
            Some((low, high)) => Some((value.min(low), value.max(high))),
        })
}

/// Multiples of a nice step (1, 2, 2.5 or 5 × 10^k) strictly inside (min, max), making
/// about `target_bands` bands.
fn linear_thresholds(min: f64, max: f64, target_bands: usize) -> Vec<f64> {
    // Thresholds too close to an end would make a band of zero width.
    let margin = (max - min) * 1e-9;
    nice_ticks(min, max, target_bands)
        .into_iter()
        .filter(|&threshold| threshold > min + margin && threshold < max - margin)
        .collect()
}

/// Nice values strictly inside (min, max) on a log scale, both positive, making fewer
/// than `target_bands` bands.
fn log_thresholds(min: f64, max: f64, target_bands: usize) -> Vec<f64> {
    let margin = 1e-9;
    nice_log_ticks(min, max, target_bands.saturating_sub(1).max(1))
        .into_iter()
        .filter(|&value| value > min * (1.0 + margin) && value < max * (1.0 - margin))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_levels_are_nice_numbers_inside_the_range() {
        let levels = Levels::pick(&[0.3, 1.0, 2.7], ScaleChoice::Auto).unwrap();
        assert_eq!(
            levels.scale,
            Scale::Linear,
            "less than a decade stays linear"
        );
        assert_eq!(levels.edges.first(), Some(&0.3));
        assert_eq!(levels.edges.last(), Some(&2.7));
        // span 2.4 / 12 = 0.2 → step 0.2: 0.4, 0.6, …, 2.6 (12 thresholds, 13 bands)
        let thresholds = levels.thresholds();
        assert_eq!(thresholds.len(), 12, "thresholds: {thresholds:?}");
        assert!((thresholds[0] - 0.4).abs() < 1e-12);
        assert!((thresholds[11] - 2.6).abs() < 1e-12);
    }

    #[test]
    fn wide_positive_range_gets_log_levels() {
        let levels = Levels::pick(&[0.01, 0.5, 50.0], ScaleChoice::Auto).unwrap();
        assert_eq!(levels.scale, Scale::Log, "3.7 decades, all positive");
        assert!(
            levels.thresholds().len() < TARGET_BANDS,
            "{:?}",
            levels.thresholds()
        );
        assert!(levels.thresholds().contains(&1.0), "decades are thresholds");
        assert_eq!(levels.scale_label(), "log scale");
    }

    #[test]
    fn wide_range_with_zero_stays_linear() {
        let levels = Levels::pick(&[0.0, 500.0], ScaleChoice::Auto).unwrap();
        assert_eq!(levels.scale, Scale::Linear, "log is impossible over 0");
        assert!(levels.notice.is_none(), "auto choice needs no excuse");

        let forced = Levels::pick(&[0.0, 500.0], ScaleChoice::Log).unwrap();
        assert_eq!(forced.scale, Scale::Linear);
        assert!(
            forced.notice.unwrap().contains("positive"),
            "a refused log is told"
        );
    }

    #[test]
    fn non_finite_values_are_ignored_and_all_nan_is_none() {
        let levels = Levels::pick(&[f64::NAN, 1.0, f64::INFINITY, 2.0], ScaleChoice::Auto);
        let levels = levels.unwrap();
        assert_eq!(levels.edges.first(), Some(&1.0));
        assert_eq!(levels.edges.last(), Some(&2.0));
        assert!(Levels::pick(&[f64::NAN; 4], ScaleChoice::Auto).is_none());
        assert!(Levels::pick(&[], ScaleChoice::Auto).is_none());
    }

    #[test]
    fn constant_surface_has_one_band_and_a_notice() {
        let levels = Levels::pick(&[3.0; 9], ScaleChoice::Auto).unwrap();
        assert_eq!(levels.band_count(), 1);
        assert_eq!(levels.band_of(3.0), Some(0));
        assert!(levels.notice.unwrap().contains("same everywhere"));
    }

    #[test]
    fn bands_are_ordered_and_colours_darken_downwards() {
        let levels = Levels::pick(&[0.0, 10.0], ScaleChoice::Linear).unwrap();
        assert_eq!(levels.band_of(0.0), Some(0));
        assert_eq!(levels.band_of(10.0), Some(levels.band_count() - 1));
        assert_eq!(levels.band_of(f64::NAN), None, "NaN is no data, not band 0");
        assert!(levels.band_of(2.1) < levels.band_of(7.9));
        let low = super::super::colormap::luminance(levels.band_color(0));
        let high = super::super::colormap::luminance(levels.band_color(levels.band_count() - 1));
        assert!(low < high, "low loss is dark, high loss is bright");
    }

    #[test]
    fn extremely_wide_range_falls_back_to_decades() {
        let levels = Levels::pick(&[1e-10, 1e30], ScaleChoice::Auto).unwrap();
        assert!(levels.thresholds().len() < TARGET_BANDS);
        assert!(levels.thresholds().len() >= 5, "{:?}", levels.thresholds());
    }
}
