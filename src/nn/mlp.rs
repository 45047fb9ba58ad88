//! A multi-layer perceptron over one flat parameter vector θ.
//!
//! Layer l computes `z_l = a_{l-1} W_lᵀ + b_l` (a_{-1} = x) and `a_l = σ(z_l)` for hidden
//! layers; the last layer is linear. Backprop for a batch with `δ_L = ∂loss/∂z_L`:
//! `∂W_l += δ_lᵀ a_{l-1}`, `∂b_l += Σ_rows δ_l`, `δ_{l-1} = (δ_l W_l) ⊙ σ'(z_{l-1})`.
//! Gradients are sums over the batch's samples of per-sample gradients; the caller divides
//! by the number of samples in the accumulation window.

use rand::distr::{Distribution, Uniform};

use super::kernels;
use super::layout::{self, BlockKind, ParamBlock};
use crate::config::{Activation, Init, LossKind, ModelConfig, MAX_PARAMETERS};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::seeding::{self, Stream};

/// Rows evaluated at once when a whole split is scored.
const EVAL_CHUNK_ROWS: usize = 256;

/// The architecture; parameters are passed in separately as a flat slice.
#[derive(Clone, Debug)]
pub struct Mlp {
    /// Layer widths, inputs first, outputs last.
    pub sizes: Vec<usize>,
    pub activation: Activation,
    pub bias: bool,
    pub layout: Vec<ParamBlock>,
    weight_offsets: Vec<usize>,
    bias_offsets: Vec<Option<usize>>,
}

/// Scratch buffers for a batch of up to `capacity` rows, reused across calls so the hot
/// loops do not allocate.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    capacity: usize,
    /// Pre-activations z_l per layer, `rows × sizes[l+1]`.
    pub pre: Vec<Vec<f32>>,
    /// Activations a_l per hidden layer.
    pub post: Vec<Vec<f32>>,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
    /// A transposed weight or gradient block (narrow layers, see [`Mlp::linear`]).
    transposed: Vec<f32>,
}

impl Mlp {
    /// The MLP `n_inputs → hidden… → n_outputs` described by `config`.
    pub fn new(n_inputs: usize, n_outputs: usize, config: &ModelConfig) -> Result<Self> {
        let mut sizes = vec![n_inputs];
        sizes.extend_from_slice(&config.hidden);
        sizes.push(n_outputs);
        let count: usize = sizes
            .windows(2)
            .map(|p| p[0].saturating_mul(p[1]).saturating_add(p[1]))
            .fold(0usize, usize::saturating_add);
        if count > MAX_PARAMETERS {
            return Err(Error::config(
                "model.hidden",
                format!("gives {count} parameters, more than the limit {MAX_PARAMETERS}"),
            ));
        }
        let layout = layout::layout(&sizes, config.bias);
        let layers = sizes.len() - 1;
        let mut weight_offsets = vec![0; layers];
        let mut bias_offsets = vec![None; layers];
        for block in &layout {
            match block.kind {
                BlockKind::Weight => weight_offsets[block.layer] = block.offset,
                BlockKind::Bias => bias_offsets[block.layer] = Some(block.offset),
            }
        }
        Ok(Mlp {
            sizes,
            activation: config.activation,
            bias: config.bias,
            layout,
            weight_offsets,
            bias_offsets,
        })
    }

    /// Number of parameters.
    pub fn num_params(&self) -> usize {
        self.layout.last().map_or(0, |b| b.range().end)
    }

    /// Index ranges of layer `layer`'s weight (out × in) and bias (if any) in θ.
    pub fn layer_ranges(
        &self,
        layer: usize,
    ) -> (std::ops::Range<usize>, Option<std::ops::Range<usize>>) {
        let start = self.weight_offsets[layer];
        let weight = start..start + self.sizes[layer] * self.sizes[layer + 1];
        let bias = self.bias_offsets[layer].map(|b| b..b + self.sizes[layer + 1]);
        (weight, bias)
    }

    /// Number of `Linear` layers.
    pub fn num_layers(&self) -> usize {
        self.sizes.len() - 1
    }

    pub fn n_outputs(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// Initial weights per `init`, drawn from the run seed's init stream.
    pub fn init(&self, init: Init, seed: u64) -> Vec<f32> {
        match init {
            Init::Pytorch => self.init_pytorch(seed),
            Init::Constant(value) => vec![value as f32; self.num_params()],
        }
    }

    /// PyTorch's default `nn.Linear` initialization: weights and biases uniform in
    /// ±1/√fan_in (kaiming_uniform with a = √5 gives the same bound for the weights).
    pub fn init_pytorch(&self, seed: u64) -> Vec<f32> {
        let mut rng = seeding::rng(seed, Stream::Init);
        let mut params = vec![0.0; self.num_params()];
        for block in &self.layout {
            let fan_in = self.sizes[block.layer];
            let bound = 1.0 / (fan_in as f32).sqrt();
            // A zero-width bound cannot happen: fan_in ≥ 1 is enforced by the data.
            let Ok(uniform) = Uniform::new_inclusive(-bound, bound) else {
                continue;
            };
            for p in &mut params[block.range()] {
                *p = uniform.sample(&mut rng);
            }
        }
        params
    }

    /// A workspace for batches of up to `capacity` rows.
    pub fn workspace(&self, capacity: usize) -> Workspace {
        let layers = self.num_layers();
        Workspace {
            capacity,
            pre: (0..layers)
                .map(|l| vec![0.0; capacity * self.sizes[l + 1]])
                .collect(),
            post: (0..layers.saturating_sub(1))
                .map(|l| vec![0.0; capacity * self.sizes[l + 1]])
                .collect(),
            delta: vec![0.0; capacity * self.sizes.iter().max().copied().unwrap_or(1)],
            delta_prev: vec![0.0; capacity * self.sizes.iter().max().copied().unwrap_or(1)],
            transposed: Vec::new(),
        }
    }

    fn weight<'a>(&self, params: &'a [f32], layer: usize) -> &'a [f32] {
        let start = self.weight_offsets[layer];
        &params[start..start + self.sizes[layer] * self.sizes[layer + 1]]
    }

    fn layer_bias<'a>(&self, params: &'a [f32], layer: usize) -> Option<&'a [f32]> {
        self.bias_offsets[layer].map(|start| &params[start..start + self.sizes[layer + 1]])
    }

    /// Whether a layer is narrow on input and wide on output, so that its products run
    /// faster along the outputs with the weights transposed (the reference model's first
    /// layer, 10 → 64).
    fn runs_transposed(&self, layer: usize) -> bool {
        self.sizes[layer] < kernels::LANES && self.sizes[layer + 1] >= kernels::LANES
    }

    /// `out = input Wᵀ + b` for `rows` rows of layer `layer`.
    fn linear(
        &self,
        params: &[f32],
        layer: usize,
        (input, rows): (&[f32], usize),
        out: &mut [f32],
        transposed: &mut Vec<f32>,
    ) {
        let (fan_in, fan_out) = (self.sizes[layer], self.sizes[layer + 1]);
        let weight = self.weight(params, layer);
        let bias = self.layer_bias(params, layer);
        if self.runs_transposed(layer) {
            // z_row = b + Σ_i x_i · (Wᵀ)_i, each term a vectorized sweep over the outputs.
            transpose(weight, fan_out, fan_in, transposed);
            for r in 0..rows {
                let x = &input[r * fan_in..(r + 1) * fan_in];
                let z = &mut out[r * fan_out..(r + 1) * fan_out];
                match bias {
                    Some(b) => z.copy_from_slice(b),
                    None => z.fill(0.0),
                }
                for (i, &x_i) in x.iter().enumerate() {
                    kernels::axpy(x_i, &transposed[i * fan_out..(i + 1) * fan_out], z);
                }
            }
            return;
        }
        for r in 0..rows {
            let x = &input[r * fan_in..(r + 1) * fan_in];
            let z = &mut out[r * fan_out..(r + 1) * fan_out];
            for (o, z_o) in z.iter_mut().enumerate() {
                let w = &weight[o * fan_in..(o + 1) * fan_in];
                *z_o = kernels::dot(x, w) + bias.map_or(0.0, |b| b[o]);
            }
        }
    }

    /// Forward pass of `rows` rows of `inputs`; returns the outputs (`rows × n_outputs`).
    pub fn forward<'w>(
        &self,
        params: &[f32],
        inputs: &[f32],
        rows: usize,
        ws: &'w mut Workspace,
    ) -> &'w [f32] {
        self.ensure_capacity(ws, rows);
        let mut first = std::mem::take(&mut ws.pre[0]);
        self.linear(params, 0, (inputs, rows), &mut first, &mut ws.transposed);
        ws.pre[0] = first;
        self.forward_from_first_layer(params, rows, ws)
    }

    /// Finishes a forward pass whose first pre-activation z_0 is already in `ws.pre[0]`
    /// (the landscape computes z_0 faster by linearity in the plane's coordinates).
    pub fn forward_from_first_layer<'w>(
        &self,
        params: &[f32],
        rows: usize,
        ws: &'w mut Workspace,
    ) -> &'w [f32] {
        let layers = self.num_layers();
        for l in 0..layers - 1 {
            let width = self.sizes[l + 1];
            self.activation
                .apply_slice(&ws.pre[l][..rows * width], &mut ws.post[l][..rows * width]);
            let mut next = std::mem::take(&mut ws.pre[l + 1]);
            self.linear(
                params,
                l + 1,
                (&ws.post[l], rows),
                &mut next,
                &mut ws.transposed,
            );
            ws.pre[l + 1] = next;
        }
        &ws.pre[layers - 1][..rows * self.n_outputs()]
    }

    /// Grows `ws` if a batch has more rows than it was made for.
    pub fn ensure_capacity(&self, ws: &mut Workspace, rows: usize) {
        if ws.capacity < rows || ws.pre.len() != self.num_layers() {
            *ws = self.workspace(rows);
        }
    }

    /// Sum over the rows of the per-sample loss; adds the sum of per-sample gradients
    /// into `gradient` (same layout as `params`).
    pub fn loss_and_gradient_sum(
        &self,
        params: &[f32],
        batch: Batch<'_>,
        loss: LossKind,
        gradient: &mut [f32],
        ws: &mut Workspace,
    ) -> f64 {
        let Batch {
            inputs,
            targets,
            rows,
        } = batch;
        self.forward(params, inputs, rows, ws);
        let layers = self.num_layers();
        let n_out = self.n_outputs();

        // δ_L = ∂loss/∂z_L for every row.
        let target_width = targets.len() / rows.max(1);
        let mut loss_sum = 0.0;
        for r in 0..rows {
            let prediction = &ws.pre[layers - 1][r * n_out..(r + 1) * n_out];
            loss_sum += loss.sample_loss_and_gradient(
                prediction,
                &targets[r * target_width..(r + 1) * target_width],
                &mut ws.delta[r * n_out..(r + 1) * n_out],
            );
        }

        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (self.sizes[l], self.sizes[l + 1]);
            let input: &[f32] = if l == 0 { inputs } else { &ws.post[l - 1] };
            let w_start = self.weight_offsets[l];

            // Weight and bias gradients; a narrow layer accumulates ∂Wᵀ along its outputs.
            if self.runs_transposed(l) {
                let t = &mut ws.transposed;
                t.clear();
                t.resize(fan_in * fan_out, 0.0);
                for r in 0..rows {
                    let d = &ws.delta[r * fan_out..(r + 1) * fan_out];
                    for (i, &x_i) in input[r * fan_in..(r + 1) * fan_in].iter().enumerate() {
                        kernels::axpy(x_i, d, &mut t[i * fan_out..(i + 1) * fan_out]);
                    }
                }
                for o in 0..fan_out {
                    for i in 0..fan_in {
                        gradient[w_start + o * fan_in + i] += t[i * fan_out + o];
                    }
                }
            }
            for r in (0..rows).filter(|_| !self.runs_transposed(l)) {
                let x = &input[r * fan_in..(r + 1) * fan_in];
                for o in 0..fan_out {
                    let d = ws.delta[r * fan_out + o];
                    if d == 0.0 {
                        continue;
                    }
                    let g = &mut gradient[w_start + o * fan_in..w_start + (o + 1) * fan_in];
                    kernels::axpy(d, x, g);
                }
            }
            if let Some(b_start) = self.bias_offsets[l] {
                for r in 0..rows {
                    for o in 0..fan_out {
                        gradient[b_start + o] += ws.delta[r * fan_out + o];
                    }
                }
            }

            // δ for the layer below: (δ W) ⊙ σ'(z_{l-1}).
            if l > 0 {
                let weight = self.weight(params, l);
                let prev = &mut ws.delta_prev[..rows * fan_in];
                prev.fill(0.0);
                for r in 0..rows {
                    let p = &mut prev[r * fan_in..(r + 1) * fan_in];
                    for o in 0..fan_out {
                        let d = ws.delta[r * fan_out + o];
                        if d == 0.0 {
                            continue;
                        }
                        kernels::axpy(d, &weight[o * fan_in..(o + 1) * fan_in], p);
                    }
                }
                self.activation
                    .scale_by_derivative(&ws.pre[l - 1][..rows * fan_in], prev);
                std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
            }
        }
        loss_sum
    }

    /// Mean per-sample loss over a whole data set (eval mode: no gradient).
    pub fn mean_loss(
        &self,
        params: &[f32],
        data: &Dataset,
        loss: LossKind,
        ws: &mut Workspace,
    ) -> f64 {
        self.evaluate(params, data, loss, ws).loss
    }

    /// Loss and metrics over a whole data set (eval mode: no gradient).
    pub fn evaluate(
        &self,
        params: &[f32],
        data: &Dataset,
        loss: LossKind,
        ws: &mut Workspace,
    ) -> Evaluation {
        let n = data.len();
        if n == 0 {
            return Evaluation {
                loss: f64::NAN,
                accuracy: None,
                r2: None,
            };
        }
        let (n_in, n_out) = (data.n_features, self.n_outputs());
        let mut loss_sum = 0.0;
        let mut correct = 0usize;
        let mut squared_error = 0.0f64;
        let mut start = 0;
        while start < n {
            let rows = EVAL_CHUNK_ROWS.min(n - start);
            let x = &data.features[start * n_in..(start + rows) * n_in];
            let outputs = self.forward(params, x, rows, ws);
            for r in 0..rows {
                let output = &outputs[r * n_out..(r + 1) * n_out];
                let target = data.target_row(start + r);
                loss_sum += loss.sample_loss(output, target);
                if loss.is_correct(output, target) == Some(true) {
                    correct += 1;
                }
                if loss == LossKind::Mse {
                    for (p, y) in output.iter().zip(target) {
                        squared_error += f64::from(p - y).powi(2);
                    }
                }
            }
            start += rows;
        }

        let accuracy = (loss != LossKind::Mse).then(|| correct as f64 / n as f64);
        let r2 = (loss == LossKind::Mse).then(|| {
            let mean =
                data.targets.iter().map(|&y| f64::from(y)).sum::<f64>() / data.targets.len() as f64;
            let total: f64 = data
                .targets
                .iter()
                .map(|&y| (f64::from(y) - mean).powi(2))
                .sum();
            if total > 0.0 {
                1.0 - squared_error / total
            } else {
                f64::NAN
            }
        });
        Evaluation {
            loss: loss_sum / n as f64,
            accuracy,
            r2,
        }
    }
}

/// `out = mᵀ` for a row-major `rows × columns` matrix `m`.
fn transpose(m: &[f32], rows: usize, columns: usize, out: &mut Vec<f32>) {
    out.clear();
    out.resize(rows * columns, 0.0);
    for r in 0..rows {
        for c in 0..columns {
            out[c * rows + r] = m[r * columns + c];
        }
    }
}

/// Rows of inputs and their targets, both row-major.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    pub inputs: &'a [f32],
    pub targets: &'a [f32],
    pub rows: usize,
}

/// Loss and metrics of a model over a data set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// Mean per-sample loss.
    pub loss: f64,
    /// Fraction classified correctly (classification).
    pub accuracy: Option<f64>,
    /// Coefficient of determination `1 − SSE/SST` against the set's own mean
    /// (regression; NaN for a constant target).
    pub r2: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(hidden: Vec<usize>, activation: Activation) -> Mlp {
        let config = ModelConfig {
            hidden,
            activation,
            bias: true,
            init: Init::Pytorch,
        };
        Mlp::new(3, 2, &config).unwrap()
    }

    fn batch() -> (Vec<f32>, Vec<f32>) {
        let x = vec![0.5, -1.0, 2.0, 1.5, 0.3, -0.7, -0.2, 0.9, 0.4];
        let y = vec![1.0, -0.5, 0.2, 0.8, -1.1, 0.3];
        (x, y)
    }

    /// Every parameter's gradient against a central finite difference of the loss, in f64
    /// arithmetic on the f32 model (step 1e-2 keeps round-off small next to the change).
    #[test]
    fn gradients_match_central_differences() {
        for activation in [
            Activation::Relu,
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Gelu,
            Activation::Linear,
        ] {
            let mlp = model(vec![4, 5], activation);
            let params = mlp.init_pytorch(3);
            let (x, y) = batch();
            let mut ws = mlp.workspace(3);
            let mut gradient = vec![0.0; mlp.num_params()];
            mlp.loss_and_gradient_sum(
                &params,
                Batch {
                    inputs: &x,
                    targets: &y,
                    rows: 3,
                },
                LossKind::Mse,
                &mut gradient,
                &mut ws,
            );

            let h = 1e-2f32;
            for i in 0..params.len() {
                let mut plus = params.clone();
                plus[i] += h;
                let mut minus = params.clone();
                minus[i] -= h;
                let mut scratch = vec![0.0; params.len()];
                let f_plus = mlp.loss_and_gradient_sum(
                    &plus,
                    Batch {
                        inputs: &x,
                        targets: &y,
                        rows: 3,
                    },
                    LossKind::Mse,
                    &mut scratch,
                    &mut ws,
                );
                let f_minus = mlp.loss_and_gradient_sum(
                    &minus,
                    Batch {
                        inputs: &x,
                        targets: &y,
                        rows: 3,
                    },
                    LossKind::Mse,
                    &mut scratch,
                    &mut ws,
                );
                let numeric = (f_plus - f_minus) / (2.0 * f64::from(h));
                let analytic = f64::from(gradient[i]);
                // ReLU kinks make a finite difference across 0 meaningless; none of these
                // pre-activations are within h of 0 for this seed.
                assert!(
                    (numeric - analytic).abs() < 2e-3 * (1.0 + numeric.abs()),
                    "{activation:?} parameter {i}: analytic {analytic}, numeric {numeric}"
                );
            }
        }
    }

    #[test]
    fn classification_gradients_match_central_differences() {
        let mlp = model(vec![4], Activation::Tanh);
        let params = mlp.init_pytorch(4);
        let (x, _) = batch();
        let classes = vec![1.0, 0.0, 1.0];
        for loss in [LossKind::CrossEntropy, LossKind::Bce] {
            let (mlp, params) = if loss == LossKind::Bce {
                let single = Mlp::new(
                    3,
                    1,
                    &ModelConfig {
                        hidden: vec![4],
                        ..ModelConfig::default()
                    },
                )
                .unwrap();
                let p = single.init_pytorch(4);
                (single, p)
            } else {
                (mlp.clone(), params.clone())
            };
            let mut ws = mlp.workspace(3);
            let mut gradient = vec![0.0; mlp.num_params()];
            mlp.loss_and_gradient_sum(
                &params,
                Batch {
                    inputs: &x,
                    targets: &classes,
                    rows: 3,
                },
                loss,
                &mut gradient,
                &mut ws,
            );
            let h = 1e-2f32;
            for i in 0..params.len() {
                let mut scratch = vec![0.0; params.len()];
                let mut shifted = params.clone();
                shifted[i] += h;
                let plus = mlp.loss_and_gradient_sum(
                    &shifted,
                    Batch {
                        inputs: &x,
                        targets: &classes,
                        rows: 3,
                    },
                    loss,
                    &mut scratch,
                    &mut ws,
                );
                shifted[i] -= 2.0 * h;
                let minus = mlp.loss_and_gradient_sum(
                    &shifted,
                    Batch {
                        inputs: &x,
                        targets: &classes,
                        rows: 3,
                    },
                    loss,
                    &mut scratch,
                    &mut ws,
                );
                let numeric = (plus - minus) / (2.0 * f64::from(h));
                let analytic = f64::from(gradient[i]);
                assert!(
                    (numeric - analytic).abs() < 2e-3 * (1.0 + numeric.abs()),
                    "{loss:?} parameter {i}: analytic {analytic}, numeric {numeric}"
                );
            }
        }
    }

    #[test]
    fn init_is_within_pytorch_bounds_and_seeded() {
        let mlp = Mlp::new(10, 1, &ModelConfig::default()).unwrap();
        let params = mlp.init_pytorch(0);
        let first_bound = 1.0 / 10f32.sqrt();
        let second_bound = 1.0 / 64f32.sqrt();
        assert!(params[..704].iter().all(|p| p.abs() <= first_bound));
        assert!(params[704..].iter().all(|p| p.abs() <= second_bound));
        let spread = params[..640].iter().fold(0.0f32, |m, p| m.max(p.abs()));
        assert!(
            spread > 0.9 * first_bound,
            "uniform draws fill the interval"
        );
        assert_eq!(params, mlp.init_pytorch(0));
        assert_ne!(params, mlp.init_pytorch(1));
    }

    #[test]
    fn mean_loss_equals_gradient_pass_loss() {
        let mlp = model(vec![4], Activation::Tanh);
        let params = mlp.init_pytorch(5);
        let (x, y) = batch();
        let data = Dataset {
            features: x.clone(),
            targets: y.clone(),
            n_features: 3,
            n_outputs: 2,
            feature_names: vec![],
            target_names: vec![],
        };
        let mut ws = mlp.workspace(3);
        let mut gradient = vec![0.0; mlp.num_params()];
        let sum = mlp.loss_and_gradient_sum(
            &params,
            Batch {
                inputs: &x,
                targets: &y,
                rows: 3,
            },
            LossKind::Mse,
            &mut gradient,
            &mut ws,
        );
        let mean = mlp.mean_loss(&params, &data, LossKind::Mse, &mut ws);
        assert!((sum / 3.0 - mean).abs() < 1e-9);
    }

    #[test]
    fn too_many_parameters_is_an_error() {
        let config = ModelConfig {
            hidden: vec![1_000_000, 1_000_000],
            ..ModelConfig::default()
        };
        let err = Mlp::new(10, 1, &config).unwrap_err();
        assert!(err.to_string().starts_with("model.hidden gives"), "{err}");
    }
}
