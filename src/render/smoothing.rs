//! Exponential moving average with bias correction, as TensorBoard's scalar dashboard
//! smooths a noisy curve:
//!
//! `s_t = w·s_{t−1} + (1 − w)·x_t` with `s_0 = 0`, shown as `s_t / (1 − w^t)`,
//!
//! where t counts the finite points seen so far. Without the division the first points
//! would be pulled towards 0; with it the first smoothed point equals the first value.
//! Non-finite points stay gaps and do not enter the average. `w = 0` returns the series
//! unchanged; the page's slider defaults to [`DEFAULT_SMOOTHING`].

/// The smoothing weight the page starts with (TensorBoard's default).
pub const DEFAULT_SMOOTHING: f64 = 0.6;

/// The debiased exponential moving average of the y values of `points` with weight
/// `weight` in [0, 1) (clamped to [0, 0.999]; NaN means 0). x values are kept.
pub fn smooth(points: &[(f64, f64)], weight: f64) -> Vec<(f64, f64)> {
    let weight = if weight.is_nan() {
        0.0
    } else {
        weight.clamp(0.0, 0.999)
    };
    let mut accumulated = 0.0;
    let mut weight_power = 1.0;
    points
        .iter()
        .map(|&(x, y)| {
            if !y.is_finite() {
                return (x, y);
            }
            accumulated = weight * accumulated + (1.0 - weight) * y;
            weight_power *= weight;
            let debias = 1.0 - weight_power;
            let smoothed = if debias > 0.0 {
                accumulated / debias
            } else {
                y
            };
            (x, smoothed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_point_is_unbiased_and_the_formula_holds() {
        let points = [(0.0, 10.0), (1.0, 20.0), (2.0, 20.0)];
        let smoothed = smooth(&points, 0.6);
        assert!((smoothed[0].1 - 10.0).abs() < 1e-12, "debiasing: s_1 = x_1");
        // s_2 = 0.6·4 + 0.4·20 = 10.4, debiased by 1 − 0.36 = 0.64 → 16.25.
        assert!((smoothed[1].1 - 16.25).abs() < 1e-12, "{smoothed:?}");
        // s_3 = 0.6·10.4 + 0.4·20 = 14.24, debiased by 1 − 0.216 = 0.784.
        assert!((smoothed[2].1 - 14.24 / 0.784).abs() < 1e-12);
    }

    #[test]
    fn a_constant_stays_constant_and_zero_weight_is_identity() {
        let points: Vec<(f64, f64)> = (0..50).map(|i| (f64::from(i), 3.5)).collect();
        for (_, y) in smooth(&points, 0.9) {
            assert!((y - 3.5).abs() < 1e-12, "no pull towards zero: {y}");
        }
        let noisy = [(0.0, 1.0), (1.0, 5.0), (2.0, -2.0)];
        assert_eq!(smooth(&noisy, 0.0), noisy.to_vec());
    }

    #[test]
    fn non_finite_points_stay_gaps_and_are_skipped() {
        let points = [
            (0.0, 2.0),
            (1.0, f64::NAN),
            (2.0, f64::INFINITY),
            (3.0, 2.0),
        ];
        let smoothed = smooth(&points, 0.6);
        assert!(smoothed[1].1.is_nan(), "a gap stays a gap");
        assert!(smoothed[2].1.is_infinite());
        assert!(
            (smoothed[3].1 - 2.0).abs() < 1e-12,
            "the gap does not pull the average: {smoothed:?}"
        );
    }
}
