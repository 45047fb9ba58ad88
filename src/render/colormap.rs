//! Viridis (van der Walt & Smith, matplotlib 2.0): a sequential colour map whose lightness
//! rises steadily from dark purple to yellow, so equal steps in value look like equal
//! steps in colour, and the order survives colour-vision deficiencies and greyscale.
//!
//! The map is rebuilt from eleven of its published sRGB samples, at t = 0, 0.1, …, 1,
//! joined by linear interpolation in sRGB. Between samples the error against the full
//! 256-entry table is a few units of 255, invisible at the dozen bands a contour map uses.

use plotters::style::RGBColor;

/// Published viridis samples at t = i/10, i = 0..=10.
const VIRIDIS_SAMPLES: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5f, 0x8d),
    (0x2a, 0x78, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x22, 0xa8, 0x84),
    (0x44, 0xbf, 0x70),
    (0x7a, 0xd1, 0x51),
    (0xbd, 0xdf, 0x26),
    (0xfd, 0xe7, 0x25),
];

/// The viridis colour at `t` in [0, 1]: 0 is dark purple (low loss), 1 is yellow (high).
/// Values outside [0, 1] are clamped; NaN maps to the low end.
pub fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let last = (VIRIDIS_SAMPLES.len() - 1) as f64;
    let position = t * last;
    let lower = (position.floor() as usize).min(VIRIDIS_SAMPLES.len() - 2);
    let fraction = position - lower as f64;

    let (r0, g0, b0) = VIRIDIS_SAMPLES[lower];
    let (r1, g1, b1) = VIRIDIS_SAMPLES[lower + 1];
    let mix = |a: u8, b: u8| -> u8 {
        let value = f64::from(a) + (f64::from(b) - f64::from(a)) * fraction;
        value.round().clamp(0.0, 255.0) as u8
    };
    RGBColor(mix(r0, r1), mix(g0, g1), mix(b0, b1))
}

/// Relative luminance (ITU-R BT.709 weights on the sRGB-decoded channels), 0 = black,
/// 1 = white. Used to pick a readable text colour over a band and in tests.
pub fn luminance(color: RGBColor) -> f64 {
    let decode = |channel: u8| -> f64 {
        let value = f64::from(channel) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * decode(color.0) + 0.7152 * decode(color.1) + 0.0722 * decode(color.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_the_published_purple_and_yellow() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54), "t = 0 is #440154");
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25), "t = 1 is #fde725");
        assert_eq!(
            viridis(0.5),
            RGBColor(0x21, 0x91, 0x8c),
            "t = 0.5 is #21918c"
        );
    }

    #[test]
    fn out_of_range_and_nan_are_clamped() {
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(
            viridis(f64::NAN),
            viridis(0.0),
            "NaN must not panic or wrap"
        );
    }

    #[test]
    fn lightness_rises_monotonically() {
        // The point of a sequential map: brighter always means higher.
        let mut previous = -1.0;
        for step in 0..=100 {
            let value = luminance(viridis(f64::from(step) / 100.0));
            assert!(value > previous, "luminance must rise at t = {}", step);
            previous = value;
        }
    }

    #[test]
    fn halfway_between_samples_is_the_average() {
        let mid = viridis(0.05);
        assert_eq!(
            mid,
            RGBColor(0x46, 0x13, 0x65),
            "mean of #440154 and #482475"
        );
    }
}
