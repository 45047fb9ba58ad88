//! Per-sample losses. A sample's loss is the mean over its outputs, so a batch mean equals
//! PyTorch's `reduction="mean"` over all elements.

use crate::config::LossKind;

impl LossKind {
    /// Loss of one sample with outputs `prediction` and targets `target`; writes
    /// ∂loss/∂prediction into `gradient`.
    pub fn sample_loss_and_gradient(
        self,
        prediction: &[f32],
        target: &[f32],
        gradient: &mut [f32],
    ) -> f64 {
        match self {
            LossKind::Mse => {
                let scale = 2.0 / prediction.len() as f32;
                let mut sum = 0.0f64;
                for ((p, y), g) in prediction.iter().zip(target).zip(gradient) {
                    let residual = p - y;
                    sum += f64::from(residual) * f64::from(residual);
                    *g = scale * residual;
                }
                sum / prediction.len() as f64
            }
        }
    }

    /// Loss of one sample, without the gradient.
    pub fn sample_loss(self, prediction: &[f32], target: &[f32]) -> f64 {
        match self {
            LossKind::Mse => {
                let sum: f64 = prediction
                    .iter()
                    .zip(target)
                    .map(|(p, y)| {
                        let r = f64::from(p - y);
                        r * r
                    })
                    .sum();
                sum / prediction.len() as f64
            }
        }
    }
}
