//! `torch.optim.Adam` and `torch.optim.AdamW` (Kingma & Ba 2015; Loshchilov & Hutter 2019).
//!
//! At step t (from 1): Adam adds L2 decay to the gradient, `g ← g + wd·θ`; AdamW instead
//! decays the weights, `θ ← θ − lr·wd·θ`, with the scheduled lr. Then
//! `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
//! `θ ← θ − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)` — PyTorch's arrangement of the
//! bias correction, which places ε after the correction.

/// Adam / AdamW state: first and second moments and the step count.
#[derive(Clone, Debug)]
pub struct Adam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
}

impl Adam {
    /// `decoupled` selects AdamW.
    pub fn new(
        num_params: usize,
        betas: [f64; 2],
        eps: f64,
        weight_decay: f64,
        decoupled: bool,
    ) -> Self {
        Adam {
            beta1: betas[0],
            beta2: betas[1],
            eps,
            weight_decay,
            decoupled,
            m: vec![0.0; num_params],
            v: vec![0.0; num_params],
            t: 0,
        }
    }

    /// Changes beta1 from the next step on (a cycling schedule); the bias correction then
    /// uses the new beta1, as PyTorch's does.
    pub fn set_beta1(&mut self, beta1: f64) {
        self.beta1 = beta1;
    }

    pub fn step(&mut self, params: &mut [f32], gradient: &[f32], lr: f64) {
        self.t = self.t.saturating_add(1);
        let bias_correction1 = 1.0 - self.beta1.powi(self.t);
        let bias_correction2_sqrt = (1.0 - self.beta2.powi(self.t)).sqrt();
        let step_size = (lr / bias_correction1) as f32;
        let (beta1, beta2) = (self.beta1 as f32, self.beta2 as f32);
        let (one_minus_beta1, one_minus_beta2) =
            ((1.0 - self.beta1) as f32, (1.0 - self.beta2) as f32);
        let inv_correction2 = (1.0 / bias_correction2_sqrt) as f32;
        let eps = self.eps as f32;
        let decay = self.weight_decay as f32;
        let decoupled_factor = (1.0 - lr * self.weight_decay) as f32;

        for (((p, &g), m), v) in params
            .iter_mut()
            .zip(gradient)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            let g = if self.decoupled {
                *p *= decoupled_factor;
                g
            } else {
                g + decay * *p
            };
            *m = beta1 * *m + one_minus_beta1 * g;
            *v = beta2 * *v + one_minus_beta2 * g * g;
            let denominator = v.sqrt() * inv_correction2 + eps;
            *p -= step_size * *m / denominator;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Golden values from bench/golden/optimizers.py: torch.optim.AdamW / Adam with
    /// lr 0.01, betas (0.9, 0.999), eps 1e-8, weight_decay 0.1, θ0 = [1, −2], gradients
    /// [0.5, 0.25], [−1, 0.5], [0.2, −0.3] (the script also recomputes them in NumPy).
    /// w0 = 1, lr 0.1, weight decay 0.1, zero data gradient, one step. Adam: g = 0.1·1,
    /// m̂ = g, v̂ = g², step = lr·g/(|g| + 1e-8) ≈ 0.1 → 0.90000001. AdamW: w ← 1·(1 −
    /// 0.1·0.1) = 0.99, then a zero gradient moves nothing → 0.99.
    #[test]
    fn adam_couples_decay_adamw_decouples_it() {
        let mut adam_w = [1.0f32];
        Adam::new(1, [0.9, 0.999], 1e-8, 0.1, false).step(&mut adam_w, &[0.0], 0.1);
        let mut adamw_w = [1.0f32];
        Adam::new(1, [0.9, 0.999], 1e-8, 0.1, true).step(&mut adamw_w, &[0.0], 0.1);
        assert!((adam_w[0] - 0.90000001).abs() < 1e-7, "Adam {}", adam_w[0]);
        assert!((adamw_w[0] - 0.99).abs() < 1e-7, "AdamW {}", adamw_w[0]);
    }

    #[test]
    fn adamw_and_adam_match_golden() {
        let grads = [[0.5f32, 0.25], [-1.0, 0.5], [0.2, -0.3]];
        let mut params = [1.0f32, -2.0];
        let mut adamw = Adam::new(2, [0.9, 0.999], 1e-8, 0.1, true);
        for g in &grads {
            adamw.step(&mut params, g, 0.01);
        }
        let expected_adamw = [0.99234062f64, -2.0171795];
        let mut plain = [1.0f32, -2.0];
        let mut adam = Adam::new(2, [0.9, 0.999], 1e-8, 0.1, false);
        for g in &grads {
            adam.step(&mut plain, g, 0.01);
        }
        let expected_adam = [0.99262798f64, -2.0163491];
        for i in 0..2 {
            assert!(
                (f64::from(params[i]) - expected_adamw[i]).abs() < 2e-6,
                "AdamW {params:?}"
            );
            assert!(
                (f64::from(plain[i]) - expected_adam[i]).abs() < 2e-6,
                "Adam {plain:?}"
            );
        }
    }
}
