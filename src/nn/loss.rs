//! Per-sample losses on the network's outputs (logits for classification). A batch's loss
//! is the mean of its samples' losses, as PyTorch's `reduction="mean"`.
//!
//! - MSE: `mean_k (p_k − y_k)²`, gradient `2 (p_k − y_k) / K`.
//! - BCE with logits: `max(z, 0) − z·y + log(1 + e^(−|z|))`, gradient `σ(z) − y`
//!   (the stable form `BCEWithLogitsLoss` uses).
//! - Cross-entropy on K logits with class index t: `logsumexp(z) − z_t`, gradient
//!   `softmax(z) − onehot(t)`.

use crate::config::LossKind;

impl LossKind {
    /// Loss of one sample; writes ∂loss/∂output into `gradient`. `target` holds the
    /// regression targets, or the class index (0/1 for BCE) as its one entry.
    pub fn sample_loss_and_gradient(
        self,
        output: &[f32],
        target: &[f32],
        gradient: &mut [f32],
    ) -> f64 {
        match self {
            LossKind::Mse => {
                let scale = 2.0 / output.len() as f32;
                let mut sum = 0.0f64;
                for ((p, y), g) in output.iter().zip(target).zip(gradient) {
                    let residual = p - y;
                    sum += f64::from(residual) * f64::from(residual);
                    *g = scale * residual;
                }
                sum / output.len() as f64
            }
            LossKind::Bce => {
                let (z, y) = (f64::from(output[0]), f64::from(target[0]));
                gradient[0] = (sigmoid(z) - y) as f32;
                z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
            }
            LossKind::CrossEntropy => {
                let class = target[0] as usize;
                let max = output.iter().fold(f32::NEG_INFINITY, |m, &z| m.max(z));
                let mut total = 0.0f64;
                for (g, &z) in gradient.iter_mut().zip(output) {
                    let e = f64::from(z - max).exp();
                    *g = e as f32;
                    total += e;
                }
                for g in gradient.iter_mut() {
                    *g = (f64::from(*g) / total) as f32;
                }
                gradient[class] -= 1.0;
                total.ln() + f64::from(max) - f64::from(output[class])
            }
        }
    }

    /// Loss of one sample, without the gradient.
    #[inline]
    pub fn sample_loss(self, output: &[f32], target: &[f32]) -> f64 {
        match self {
            LossKind::Mse => mse(output, target),
            LossKind::Bce => {
                let (z, y) = (f64::from(output[0]), f64::from(target[0]));
                z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
            }
            LossKind::CrossEntropy => {
                let max = output.iter().fold(f32::NEG_INFINITY, |m, &z| m.max(z));
                let total: f64 = output.iter().map(|&z| f64::from(z - max).exp()).sum();
                total.ln() + f64::from(max) - f64::from(output[target[0] as usize])
            }
        }
    }

    /// Whether the sample is classified correctly (`None` for regression).
    pub fn is_correct(self, output: &[f32], target: &[f32]) -> Option<bool> {
        match self {
            LossKind::Mse => None,
            LossKind::Bce => Some((output[0] > 0.0) == (target[0] > 0.5)),
            LossKind::CrossEntropy => {
                let mut best = 0;
                for (k, &z) in output.iter().enumerate() {
                    if z > output[best] {
                        best = k;
                    }
                }
                Some(best == target[0] as usize)
            }
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Mean squared error of one sample, [`LossKind::sample_loss`] for MSE: small enough to
/// inline into a loop over grid points.
#[inline(always)]
pub fn mse(output: &[f32], target: &[f32]) -> f64 {
    let sum: f64 = output
        .iter()
        .zip(target)
        .map(|(p, y)| {
            let r = f64::from(p - y);
            r * r
        })
        .sum();
    sum / output.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of torch.nn.functional.binary_cross_entropy_with_logits and cross_entropy,
    /// worked by hand from the formulas in the module docs:
    /// BCE(z = 2, y = 1) = log(1 + e^−2) = 0.126928011; BCE(z = −1, y = 1) = log(1 + e) =
    /// 1.313261687; CE([1, 2, 3], t = 0) = log(e + e² + e³) − 1 = 2.407605964.
    #[test]
    fn classification_losses_match_the_formulas() {
        let mut g = [0.0f32; 3];
        let bce = LossKind::Bce.sample_loss_and_gradient(&[2.0], &[1.0], &mut g);
        assert!((bce - 0.126928011).abs() < 1e-8);
        assert!((g[0] + 1.0 / (1.0 + 2f32.exp())).abs() < 1e-6, "σ(2) − 1");
        assert!((LossKind::Bce.sample_loss(&[-1.0], &[1.0]) - 1.313261687).abs() < 1e-8);
        let ce = LossKind::CrossEntropy.sample_loss_and_gradient(&[1.0, 2.0, 3.0], &[0.0], &mut g);
        assert!((ce - 2.407605964).abs() < 1e-8);
        let total: f32 = g.iter().sum();
        assert!(total.abs() < 1e-6, "softmax − onehot sums to 0");
        assert!(g[0] < 0.0 && g[2] > 0.0);
    }

    #[test]
    fn extreme_logits_stay_finite() {
        let mut g = [0.0f32; 2];
        let bce = LossKind::Bce.sample_loss_and_gradient(&[-100.0], &[1.0], &mut g);
        assert!((bce - 100.0).abs() < 1e-9, "{bce}");
        let ce = LossKind::CrossEntropy.sample_loss_and_gradient(&[500.0, -500.0], &[1.0], &mut g);
        assert!((ce - 1000.0).abs() < 1e-6, "{ce}");
    }

    #[test]
    fn accuracy_decisions() {
        assert_eq!(LossKind::Bce.is_correct(&[0.3], &[1.0]), Some(true));
        assert_eq!(
            LossKind::CrossEntropy.is_correct(&[0.1, 0.9, 0.2], &[1.0]),
            Some(true)
        );
        assert_eq!(LossKind::Mse.is_correct(&[0.1], &[1.0]), None);
    }
}
