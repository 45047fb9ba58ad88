//! Curvature of the loss at a point, over a whole data set, in f64.
//!
//! Hessian-vector products are exact, by Pearlmutter's R-operator (forward-over-backward):
//! with `R(x) = d/dt x(θ + t·v)|₀`, the forward pass gives
//! `R(z_l) = R(a_{l−1}) W_lᵀ + a_{l−1} V_lᵀ + v_b`, `R(a_l) = σ'(z_l) R(z_l)`; the loss
//! gives `R(δ_L) = ∇²ℓ(z_L) R(z_L)`; the backward pass gives
//! `R(δ_{l−1}) = (R(δ_l) W_l + δ_l V_l) ⊙ σ'(z_{l−1}) + (δ_l W_l) ⊙ σ''(z_{l−1}) R(z_{l−1})`,
//! and `Hv` collects `R(∂W_l) = R(δ_l)ᵀ a_{l−1} + δ_lᵀ R(a_{l−1})`, `R(∂b_l) = Σ R(δ_l)`.
//! For ReLU σ'' is taken as 0 (the kink has measure zero).

use crate::config::LossKind;
use crate::data::Dataset;
use crate::nn::Mlp;

/// The loss of one model on one data set around weights θ, ready for gradients and
/// Hessian-vector products.
pub struct Curvature<'a> {
    model: &'a Mlp,
    loss: LossKind,
    data: &'a Dataset,
    params: Vec<f64>,
}

/// Per-layer values of a forward pass over all rows.
struct Forward {
    /// z_l, `rows × width_l`.
    pre: Vec<Vec<f64>>,
    /// a_l for l = −1..L−1 (a_{−1} = inputs), `rows × width`.
    post: Vec<Vec<f64>>,
}

impl<'a> Curvature<'a> {
    pub fn new(model: &'a Mlp, loss: LossKind, data: &'a Dataset, params: &[f32]) -> Self {
        Curvature {
            model,
            loss,
            data,
            params: params.iter().map(|&p| f64::from(p)).collect(),
        }
    }

    /// Number of parameters.
    pub fn dimension(&self) -> usize {
        self.params.len()
    }

    fn rows(&self) -> usize {
        self.data.len()
    }

    fn linear(&self, layer: usize, input: &[f64], vector: &[f64], with_bias: bool) -> Vec<f64> {
        let (fan_in, fan_out) = (self.model.sizes[layer], self.model.sizes[layer + 1]);
        let (weight, bias) = self.model.layer_ranges(layer);
        let w = &vector[weight];
        let mut out = vec![0.0; self.rows() * fan_out];
        for (x, z) in input
            .chunks_exact(fan_in)
            .zip(out.chunks_exact_mut(fan_out))
        {
            for (o, z_o) in z.iter_mut().enumerate() {
                let row = &w[o * fan_in..(o + 1) * fan_in];
                *z_o = x.iter().zip(row).map(|(a, b)| a * b).sum::<f64>();
                if let (true, Some(b)) = (with_bias, &bias) {
                    *z_o += vector[b.start + o];
                }
            }
        }
        out
    }

    fn forward(&self) -> Forward {
        let layers = self.model.num_layers();
        let inputs: Vec<f64> = self.data.features.iter().map(|&x| f64::from(x)).collect();
        let mut pre = Vec::with_capacity(layers);
        let mut post = vec![inputs];
        for l in 0..layers {
            let z = self.linear(l, &post[l], &self.params, true);
            if l + 1 < layers {
                let a = z
                    .iter()
                    .map(|&v| self.model.activation.derivatives_f64(v).0)
                    .collect();
                post.push(a);
            }
            pre.push(z);
        }
        Forward { pre, post }
    }

    /// ∂ℓ/∂z_L per row and the mean loss.
    fn output_gradient(&self, outputs: &[f64]) -> (Vec<f64>, f64) {
        let width = self.model.n_outputs();
        let mut delta = vec![0.0; outputs.len()];
        let mut total = 0.0;
        for r in 0..self.rows() {
            let z = &outputs[r * width..(r + 1) * width];
            let y = self.data.target_row(r);
            let d = &mut delta[r * width..(r + 1) * width];
            total += match self.loss {
                LossKind::Mse => {
                    let mut sum = 0.0;
                    for k in 0..width {
                        let residual = z[k] - f64::from(y[k]);
                        sum += residual * residual;
                        d[k] = 2.0 * residual / width as f64;
                    }
                    sum / width as f64
                }
                LossKind::Bce => {
                    let (z, y) = (z[0], f64::from(y[0]));
                    d[0] = 1.0 / (1.0 + (-z).exp()) - y;
                    z.max(0.0) - z * y + (-z.abs()).exp().ln_1p()
                }
                LossKind::CrossEntropy => {
                    let class = y[0] as usize;
                    let p = softmax(z);
                    for k in 0..width {
                        d[k] = p[k] - if k == class { 1.0 } else { 0.0 };
                    }
                    -p[class].max(f64::MIN_POSITIVE).ln()
                }
            };
        }
        (delta, total / self.rows() as f64)
    }

    /// `∇²ℓ(z) · Rz` per row.
    fn output_hessian_times(&self, outputs: &[f64], r_outputs: &[f64]) -> Vec<f64> {
        let width = self.model.n_outputs();
        let mut out = vec![0.0; outputs.len()];
        for r in 0..self.rows() {
            let z = &outputs[r * width..(r + 1) * width];
            let rz = &r_outputs[r * width..(r + 1) * width];
            let o = &mut out[r * width..(r + 1) * width];
            match self.loss {
                LossKind::Mse => {
                    for k in 0..width {
                        o[k] = 2.0 / width as f64 * rz[k];
                    }
                }
                LossKind::Bce => {
                    let s = 1.0 / (1.0 + (-z[0]).exp());
                    o[0] = s * (1.0 - s) * rz[0];
                }
                LossKind::CrossEntropy => {
                    // (diag(p) − p pᵀ) Rz
                    let p = softmax(z);
                    let dot: f64 = p.iter().zip(rz).map(|(a, b)| a * b).sum();
                    for k in 0..width {
                        o[k] = p[k] * (rz[k] - dot);
                    }
                }
            }
        }
        out
    }

    /// Mean loss and its gradient at θ.
    pub fn gradient(&self) -> (f64, Vec<f64>) {
        let (loss, gradient, _) = self.passes(None);
        (loss, gradient)
    }

    /// The Hessian of the mean loss at θ times `vector`.
    pub fn hessian_times(&self, vector: &[f64]) -> Vec<f64> {
        self.passes(Some(vector)).2
    }

    /// Forward and backward passes, with the R-operator passes when `vector` is given.
    fn passes(&self, vector: Option<&[f64]>) -> (f64, Vec<f64>, Vec<f64>) {
        let model = self.model;
        let layers = model.num_layers();
        let rows = self.rows();
        let scale = 1.0 / rows as f64;
        let forward = self.forward();

        // R-forward: R(z_l) and R(a_l); R(a_{−1}) = 0.
        let mut r_pre: Vec<Vec<f64>> = Vec::new();
        let mut r_post: Vec<Vec<f64>> = vec![vec![0.0; forward.post[0].len()]];
        if let Some(v) = vector {
            for l in 0..layers {
                let mut rz = self.linear(l, &forward.post[l], v, true);
                if l > 0 {
                    let carried = self.linear(l, &r_post[l], &self.params, false);
                    for (a, b) in rz.iter_mut().zip(carried) {
                        *a += b;
                    }
                }
                if l + 1 < layers {
                    let ra = rz
                        .iter()
                        .zip(&forward.pre[l])
                        .map(|(&r, &z)| model.activation.derivatives_f64(z).1 * r)
                        .collect();
                    r_post.push(ra);
                }
                r_pre.push(rz);
            }
        }

        let (mut delta, loss) = self.output_gradient(&forward.pre[layers - 1]);
        let mut r_delta = match vector {
            Some(_) => self.output_hessian_times(&forward.pre[layers - 1], &r_pre[layers - 1]),
            None => Vec::new(),
        };
        let mut gradient = vec![0.0; self.params.len()];
        let mut product = vec![0.0; self.params.len()];

        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (model.sizes[l], model.sizes[l + 1]);
            let (weight, bias) = model.layer_ranges(l);
            let input = &forward.post[l];

            // Weight and bias gradients (and their R-images), as means over rows.
            for r in 0..rows {
                let x = &input[r * fan_in..(r + 1) * fan_in];
                for o in 0..fan_out {
                    let d = delta[r * fan_out + o] * scale;
                    let g =
                        &mut gradient[weight.start + o * fan_in..weight.start + (o + 1) * fan_in];
                    for (g_i, &x_i) in g.iter_mut().zip(x) {
                        *g_i += d * x_i;
                    }
                    if vector.is_some() {
                        let rd = r_delta[r * fan_out + o] * scale;
                        let rx = &r_post[l][r * fan_in..(r + 1) * fan_in];
                        let h = &mut product
                            [weight.start + o * fan_in..weight.start + (o + 1) * fan_in];
                        for ((h_i, &x_i), &rx_i) in h.iter_mut().zip(x).zip(rx) {
                            *h_i += rd * x_i + d * rx_i;
                        }
                    }
                }
            }
            if let Some(b) = &bias {
                for r in 0..rows {
                    for o in 0..fan_out {
                        gradient[b.start + o] += delta[r * fan_out + o] * scale;
                        if vector.is_some() {
                            product[b.start + o] += r_delta[r * fan_out + o] * scale;
                        }
                    }
                }
            }
            if l == 0 {
                break;
            }

            // Back to layer l − 1.
            let w = &self.params[weight.clone()];
            let mut next = vec![0.0; rows * fan_in];
            let mut r_next = vec![0.0; if vector.is_some() { rows * fan_in } else { 0 }];
            for r in 0..rows {
                for i in 0..fan_in {
                    let mut back = 0.0;
                    let mut r_back = 0.0;
                    for o in 0..fan_out {
                        let w_oi = w[o * fan_in + i];
                        back += delta[r * fan_out + o] * w_oi;
                        if let Some(v) = vector {
                            let v_oi = v[weight.start + o * fan_in + i];
                            r_back +=
                                r_delta[r * fan_out + o] * w_oi + delta[r * fan_out + o] * v_oi;
                        }
                    }
                    let z = forward.pre[l - 1][r * fan_in + i];
                    let (_, first, second) = model.activation.derivatives_f64(z);
                    next[r * fan_in + i] = back * first;
                    if vector.is_some() {
                        let rz = r_pre[l - 1][r * fan_in + i];
                        r_next[r * fan_in + i] = r_back * first + back * second * rz;
                    }
                }
            }
            delta = next;
            r_delta = r_next;
        }
        (loss, gradient, product)
    }
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let max = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let e: Vec<f64> = z.iter().map(|&v| (v - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Activation, ModelConfig};

    fn data(rows: usize, features: usize, classes: Option<usize>) -> Dataset {
        let x: Vec<f32> = (0..rows * features)
            .map(|i| (i as f32 * 0.731).sin() * 1.3)
            .collect();
        let y: Vec<f32> = (0..rows)
            .map(|r| match classes {
                Some(k) => (r % k) as f32,
                None => (r as f32 * 0.37).cos(),
            })
            .collect();
        Dataset {
            features: x,
            targets: y,
            n_features: features,
            n_outputs: 1,
            feature_names: vec![],
            target_names: vec![],
        }
    }

    /// Each column of the Hessian from `hessian_times(e_i)` against central differences of
    /// the f64 gradient, for every activation and loss.
    #[test]
    fn hessian_vector_products_match_differences_of_gradients() {
        for (activation, loss, outputs, classes) in [
            (Activation::Tanh, LossKind::Mse, 1, None),
            (Activation::Sigmoid, LossKind::Bce, 1, Some(2)),
            (Activation::Gelu, LossKind::CrossEntropy, 3, Some(3)),
            (Activation::Relu, LossKind::Mse, 1, None),
        ] {
            let config = ModelConfig {
                hidden: vec![4],
                activation,
                ..ModelConfig::default()
            };
            let model = Mlp::new(2, outputs, &config).unwrap();
            let params = model.init_pytorch(7);
            let set = data(9, 2, classes);
            let curvature = Curvature::new(&model, loss, &set, &params);
            let n = curvature.dimension();
            let h = 1e-5;
            for i in 0..n {
                let mut unit = vec![0.0; n];
                unit[i] = 1.0;
                let column = curvature.hessian_times(&unit);
                let mut plus = curvature.params.clone();
                plus[i] += h;
                let mut minus = curvature.params.clone();
                minus[i] -= h;
                let g_plus = Curvature {
                    params: plus,
                    ..curvature_copy(&curvature)
                }
                .gradient()
                .1;
                let g_minus = Curvature {
                    params: minus,
                    ..curvature_copy(&curvature)
                }
                .gradient()
                .1;
                for j in 0..n {
                    let numeric = (g_plus[j] - g_minus[j]) / (2.0 * h);
                    assert!(
                        (numeric - column[j]).abs() < 1e-6 * (1.0 + numeric.abs()),
                        "{activation:?}/{loss:?} H[{j}][{i}]: {} vs {numeric}",
                        column[j]
                    );
                }
            }
        }
    }

    fn curvature_copy<'a>(c: &Curvature<'a>) -> Curvature<'a> {
        Curvature {
            model: c.model,
            loss: c.loss,
            data: c.data,
            params: c.params.clone(),
        }
    }

    /// A linear model with MSE has the Hessian 2/n·X̃ᵀX̃ (X̃ = inputs with a column of ones
    /// for the bias), whatever the weights.
    #[test]
    fn linear_model_hessian_is_two_over_n_xtx() {
        let config = ModelConfig {
            hidden: vec![],
            ..ModelConfig::default()
        };
        let model = Mlp::new(3, 1, &config).unwrap();
        let params = model.init_pytorch(1);
        let set = data(11, 3, None);
        let curvature = Curvature::new(&model, LossKind::Mse, &set, &params);
        let v = [0.3, -1.2, 0.7, 2.0];
        let hv = curvature.hessian_times(&v);
        for j in 0..4 {
            let mut expected = 0.0;
            for r in 0..11 {
                let row = set.feature_row(r);
                let xj = if j < 3 { f64::from(row[j]) } else { 1.0 };
                let xv: f64 = (0..3).map(|k| f64::from(row[k]) * v[k]).sum::<f64>() + v[3];
                expected += 2.0 / 11.0 * xj * xv;
            }
            assert!(
                (hv[j] - expected).abs() < 1e-12 * (1.0 + expected.abs()),
                "{j}"
            );
        }
    }
}
