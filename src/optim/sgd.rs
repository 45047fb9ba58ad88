//! `torch.optim.SGD` with dampening 0:
//! `g ← g + wd·θ`; with momentum μ, `b ← g` on the first step, then `b ← μ·b + g`;
//! Nesterov uses `g ← g + μ·b`, otherwise `g ← b`; finally `θ ← θ − lr·g`.

/// SGD state: the momentum buffer (empty until the first step).
#[derive(Clone, Debug)]
pub struct Sgd {
    momentum: f32,
    nesterov: bool,
    weight_decay: f32,
    buffer: Vec<f32>,
    started: bool,
}

impl Sgd {
    pub fn new(num_params: usize, momentum: f64, nesterov: bool, weight_decay: f64) -> Self {
        Sgd {
            momentum: momentum as f32,
            nesterov,
            weight_decay: weight_decay as f32,
            buffer: vec![0.0; if momentum > 0.0 { num_params } else { 0 }],
            started: false,
        }
    }

    /// Changes the momentum factor from the next step on (a cycling schedule).
    pub fn set_momentum(&mut self, momentum: f64) {
        self.momentum = momentum as f32;
    }

    pub fn step(&mut self, params: &mut [f32], gradient: &[f32], lr: f64) {
        let lr = lr as f32;
        let (mu, wd) = (self.momentum, self.weight_decay);
        if mu == 0.0 {
            for (p, &g) in params.iter_mut().zip(gradient) {
                *p -= lr * (g + wd * *p);
            }
            return;
        }
        if self.buffer.len() != params.len() {
            self.buffer = vec![0.0; params.len()];
        }
        for ((p, &g), b) in params.iter_mut().zip(gradient).zip(&mut self.buffer) {
            let g = g + wd * *p;
            *b = if self.started { mu * *b + g } else { g };
            let direction = if self.nesterov { g + mu * *b } else { *b };
            *p -= lr * direction;
        }
        self.started = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Golden values from bench/golden/optimizers.py (torch.optim.SGD, lr 0.1,
    /// momentum 0.9, weight_decay 0.1, θ0 = [1, −2], gradients [0.5, 0.25] then
    /// [−1, 0.5]); the script prints the same numbers from the formulas in NumPy.
    #[test]
    fn momentum_and_nesterov_match_golden() {
        let grads = [[0.5f32, 0.25], [-1.0, 0.5]];
        let mut params = [1.0f32, -2.0];
        let mut sgd = Sgd::new(2, 0.9, false, 0.1);
        for g in &grads {
            sgd.step(&mut params, g, 0.1);
        }
        // Step 1: g = [0.6, 0.05], b = g, θ = [0.94, −2.005].
        // Step 2: g = [−0.906, 0.2995], b = [−0.366, 0.3445], θ = [0.9766, −2.03945].
        assert!((params[0] - 0.9766).abs() < 1e-6, "{params:?}");
        assert!((params[1] + 2.03945).abs() < 1e-6, "{params:?}");

        let mut params = [1.0f32, -2.0];
        let mut nesterov = Sgd::new(2, 0.9, true, 0.1);
        for g in &grads {
            nesterov.step(&mut params, g, 0.1);
        }
        // Step 1: g + μb = 1.9·[0.6, 0.05] → θ = [0.886, −2.0095].
        // Step 2: g = [−0.9114, 0.29905], b = [−0.3714, 0.34405],
        //         θ −= 0.1·(g + 0.9b) = θ − 0.1·[−1.24566, 0.608695] → [1.010566, −2.0703695].
        assert!((params[0] - 1.010566).abs() < 1e-5, "{params:?}");
        assert!((params[1] + 2.0703695).abs() < 1e-5, "{params:?}");
    }
}
