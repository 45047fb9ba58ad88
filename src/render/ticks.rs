//! Axis ticks: where to put them (multiples of 1, 2, 2.5 or 5 × 10^k) and how to label
//! them (about four significant digits, trailing zeros dropped, scientific notation only
//! for very large or very small magnitudes).

/// The "nice" step (1, 2, 2.5 or 5 × 10^k) closest, on a log scale, to `span / intervals`.
pub fn nice_step(span: f64, intervals: usize) -> f64 {
    let raw_step = span.abs() / intervals.max(1) as f64;
    if !(raw_step.is_finite() && raw_step > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw_step.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|factor| factor * power)
        .min_by(|a, b| {
            let distance = |step: f64| (step / raw_step).ln().abs();
            distance(*a).total_cmp(&distance(*b))
        })
        .unwrap_or(power)
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

/// Nice values in [min, max] (both positive) for a log axis: the densest of 1, 1.5, 2, 3,
/// 5, 7 / 1, 2, 5 / 1, 3 / 1 per decade that gives at most `max_count` values, or every
/// k-th decade for very wide ranges. A range too narrow to hold two such values gets
/// linear ticks instead.
pub fn nice_log_ticks(min: f64, max: f64, max_count: usize) -> Vec<f64> {
    const MANTISSAS: [&[f64]; 4] = [
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
        &[1.0, 2.0, 5.0],
        &[1.0, 3.0],
        &[1.0],
    ];
    if !(min.is_finite() && max.is_finite() && min > 0.0 && max >= min) {
        return Vec::new();
    }
    let limit = max_count.max(1);
    let first_decade = min.log10().floor() as i32;
    let last_decade = max.log10().ceil() as i32;
    let tolerance = 1e-9;
    let inside = |value: f64| value >= min * (1.0 - tolerance) && value <= max * (1.0 + tolerance);

    for (index, mantissas) in MANTISSAS.iter().enumerate() {
        let ticks: Vec<f64> = (first_decade..=last_decade)
            .flat_map(|decade| {
                mantissas
                    .iter()
                    .map(move |&mantissa| times_power_of_ten(mantissa, decade))
            })
            .filter(|&value| inside(value))
            .collect();
        if index == 0 && ticks.len() < 2 {
            return nice_ticks(min, max, limit.min(4));
        }
        if ticks.len() <= limit {
            return ticks;
        }
    }

    let decades = (last_decade - first_decade).max(1) as usize;
    let every = decades.div_ceil(limit).max(1);
    (first_decade..=last_decade)
        .step_by(every)
        .map(|decade| times_power_of_ten(1.0, decade))
        .filter(|&value| inside(value))
        .collect()
}

/// `mantissa × 10^exponent`, dividing for negative exponents so that e.g. 3 × 10⁻¹ is the
/// double nearest 0.3 rather than 0.30000000000000004.
fn times_power_of_ten(mantissa: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        mantissa * 10f64.powi(exponent)
    } else {
        mantissa / 10f64.powi(-exponent)
    }
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
    if !(1e-4..1e5).contains(&magnitude) {
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
    fn log_ticks_prefer_dense_mantissas_and_fall_back() {
        assert_eq!(nice_log_ticks(0.3, 1.3, 8), vec![0.3, 0.5, 0.7, 1.0]);
        assert_eq!(
            nice_log_ticks(0.01, 100.0, 6),
            vec![0.01, 0.1, 1.0, 10.0, 100.0]
        );
        let narrow = nice_log_ticks(0.95, 1.08, 6);
        assert!(
            narrow.len() >= 2,
            "a narrow range still gets ticks: {narrow:?}"
        );
        assert!(
            nice_log_ticks(0.0, 1.0, 6).is_empty(),
            "no log ticks over zero"
        );
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
            (0.0008, "0.0008"),
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
