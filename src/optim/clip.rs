//! `torch.nn.utils.clip_grad_norm_`: one L2 norm over all parameters (accumulated in f64
//! here); if `max_norm / (norm + 1e-6) < 1` every entry is scaled by that factor. The norm
//! before clipping is what is returned and recorded.

/// What clipping found and did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipResult {
    /// Global L2 norm before clipping.
    pub norm: f64,
    /// Whether the gradient was scaled down.
    pub clipped: bool,
}

/// Measures the global norm of `gradient` and, with `max_norm`, scales it down in place.
/// A non-finite norm leaves the gradient untouched (the caller skips the update).
pub fn clip_grad_norm(gradient: &mut [f32], max_norm: Option<f64>) -> ClipResult {
    let norm = gradient
        .iter()
        .map(|&g| f64::from(g) * f64::from(g))
        .sum::<f64>()
        .sqrt();
    let mut clipped = false;
    if let Some(max_norm) = max_norm {
        let coefficient = max_norm / (norm + 1e-6);
        if norm.is_finite() && coefficient < 1.0 {
            let scale = coefficient as f32;
            for g in gradient.iter_mut() {
                *g *= scale;
            }
            clipped = true;
        }
    }
    ClipResult { norm, clipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gradients [3, 0] and [0, 4] (two tensors, one global norm), max 1: the recorded
    /// norm is 5 and the clipped gradient is [0.6, 0] and [0, 0.8].
    #[test]
    fn records_pre_clip_norm_and_scales() {
        let mut gradient = [3.0f32, 0.0, 0.0, 4.0];
        let result = clip_grad_norm(&mut gradient, Some(1.0));
        assert_eq!(result.norm, 5.0);
        assert!(result.clipped);
        let expected = [0.6f32, 0.0, 0.0, 0.8];
        for (g, e) in gradient.iter().zip(expected) {
            assert!((g - e).abs() < 1e-6, "{gradient:?}");
        }
    }

    #[test]
    fn below_threshold_and_disabled_leave_gradient() {
        let mut gradient = [0.3f32, 0.4];
        let result = clip_grad_norm(&mut gradient, Some(1.0));
        assert!(!result.clipped);
        assert_eq!(gradient, [0.3, 0.4]);
        let mut big = [30.0f32, 40.0];
        assert_eq!(clip_grad_norm(&mut big, None).norm, 50.0);
        assert_eq!(big, [30.0, 40.0], "no max_norm: measure only");
    }

    #[test]
    fn non_finite_norm_is_reported_not_applied() {
        let mut gradient = [f32::INFINITY, 1.0];
        let result = clip_grad_norm(&mut gradient, Some(1.0));
        assert!(result.norm.is_infinite());
        assert!(!result.clipped);
    }
}
