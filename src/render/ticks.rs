//! Axis ticks: where to put them (multiples of 1, 2, 2.5 or 5 × 10^k) and how to label
//! them (about four significant digits, trailing zeros dropped, scientific notation only
//! for very large or very small magnitudes).

/// A "nice" step (1, 2, 2.5, 5 or 10 × 10^k) of at least `span / intervals`.
pub fn nice_step(span: f64, intervals: usize) -> f64 {
    let raw_step = span.abs() / intervals.max(1) as f64;
    if !(raw_step.is_finite() && raw_step > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw_step.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|factor| factor * power)
        .find(|&step| step >= raw_step * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// Multiples of a nice step inside [min, max] (ends included when they are multiples),
/// about `intervals` + 1 of them.
pub fn nice_ticks(min: f64, max: f64, intervals: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || max < min {
        return Vec::new();
    }
    if max == min {
        return vec![min];
    }
    let step = nice_step(max - min, intervals);
    let tolerance = (max - min) * 1e-9;
    let first = ((min - tolerance) / step).ceil() as i64;
    let last = ((max + tolerance) / step).floor() as i64;
    (first..=last)
        .map(|multiple| {
            let value = multiple as f64 * step;
            // Snap values like 3 × 0.1 = 0.30000000000000004 and -0 for clean labels.
            let snapped = (value / step).round() * step;
            if snapped == 0.0 {
                0.0
            } else {
                snapped
            }
        })
        .collect()
}

/// `value` as a tick label: "0.0125", "150", "2.5e-5", "1e6". NaN and infinities are
/// spelled out so a bad value is visible rather than hidden.
pub fn format_tick(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "−∞" }.to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }

    let magnitude = value.abs();
    if !(1e-3..1e5).contains(&magnitude) {
        let text = format!("{value:.1e}");
        return text.replace(".0e", "e");
    }

    let exponent = magnitude.log10().floor() as i32;
    let decimals = (3 - exponent).clamp(0, 6) as usize;
    let text = format!("{value:.decimals$}");
    trim_zeros(&text)
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing is left.
fn trim_zeros(text: &str) -> String {
    if !text.contains('.') {
        return text.to_string();
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_on_a_symmetric_range() {
        assert_eq!(nice_ticks(-1.0, 1.0, 4), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            nice_ticks(2.0, 2.0, 5),
            vec![2.0],
            "a single value is its own tick"
        );
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn table_of_labels() {
        let cases = [
            (0.0, "0"),
            (0.5, "0.5"),
            (0.0125, "0.0125"),
            (1.0, "1"),
            (150.0, "150"),
            (123.456, "123.5"),
            (-2.5, "-2.5"),
            (2.5e-5, "2.5e-5"),
            (1e6, "1e6"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "∞"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_tick(value), expected, "label of {value}");
        }
    }
}
