//! One grid row of a surface (fixed β, every α) for a model with one hidden layer.
//!
//! With the first layer factored, the hidden pre-activation of data row `r` at `(α, β)` is
//! `S_r + α·T_r` with `S = Z0 + β·Z2` and `T = Z1` (see the surface module), and the output
//! layer's weights are `W_β + α·D` with `W_β = W_c + β·D2` and `D = D1`. Every quantity is
//! affine in α, so the grid points of a row are independent SIMD lanes: a block of
//! [`LANES`] α values is computed side by side, each lane accumulating its own sum over the
//! hidden units in order. There are no horizontal sums, and a lane's arithmetic does not
//! depend on the vector width the compiler picks (SSE, AVX or wasm's simd128), so the native
//! and the browser engines give the same bits.
//!
//! Loop order: α blocks outside, data rows inside. A block's output weights
//! (`n_out × width × LANES`) are formed once and stay in cache while every data row uses
//! them; a data row's hidden activations (`width × LANES`) are formed once per block and
//! used by every output.

use crate::config::{Activation, LossKind};
use crate::data::Dataset;

/// Grid points computed side by side.
pub const LANES: usize = 8;

/// Data rows whose outputs are accumulated together: independent sums that keep the
/// adder busy while each one waits for its previous addition, and one load of a weight
/// block for all of them.
const ROWS: usize = 4;

type Block = [f32; LANES];

/// The output layer of one grid row: `W_β` and `D` (`n_out × width`, PyTorch's
/// `[out][in]` order), and the bias `b_β + α·e` when the model has one.
pub struct OutputLayer<'a> {
    pub weight: &'a [f32],
    pub weight_direction: &'a [f32],
    pub bias: Option<(&'a [f32], &'a [f32])>,
}

/// Buffers reused from row to row, so a row allocates nothing once they have grown.
#[derive(Clone, Debug, Default)]
pub struct RowScratch {
    weights: Vec<Block>,
    hidden: Vec<Block>,
    outputs: Vec<Block>,
    sample: Vec<f32>,
}

/// The mean loss over `data` at every α of one grid row.
///
/// `shifted` and `slope` are `S` and `T` above, `rows × width` each.
#[allow(clippy::too_many_arguments)]
pub fn row_losses(
    shifted: &[f32],
    slope: &[f32],
    width: usize,
    alphas: &[f32],
    output: &OutputLayer<'_>,
    activation: Activation,
    loss_kind: LossKind,
    data: &Dataset,
    scratch: &mut RowScratch,
) -> Vec<f64> {
    match activation {
        Activation::Relu => row_losses_with(
            shifted,
            slope,
            width,
            alphas,
            output,
            |z| if z < 0.0 { 0.0 } else { z },
            loss_kind,
            data,
            scratch,
        ),
        other => row_losses_with(
            shifted,
            slope,
            width,
            alphas,
            output,
            |z| other.apply(z),
            loss_kind,
            data,
            scratch,
        ),
    }
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn row_losses_with(
    shifted: &[f32],
    slope: &[f32],
    width: usize,
    alphas: &[f32],
    output: &OutputLayer<'_>,
    activate: impl Fn(f32) -> f32 + Copy,
    loss_kind: LossKind,
    data: &Dataset,
    scratch: &mut RowScratch,
) -> Vec<f64> {
    let rows = data.len();
    let n_out = output.weight.len() / width.max(1);
    let mut totals = vec![0.0f64; alphas.len()];
    let RowScratch {
        weights,
        hidden,
        outputs,
        sample,
    } = scratch;
    weights.resize(n_out * width, [0.0; LANES]);
    hidden.resize(ROWS * width, [0.0; LANES]);
    outputs.resize(ROWS * n_out, [0.0; LANES]);
    sample.resize(n_out, 0.0);

    for (block_alphas, block_totals) in alphas.chunks(LANES).zip(totals.chunks_mut(LANES)) {
        // The last block repeats its last α in the unused lanes; their results are dropped.
        let mut a: Block = [block_alphas[block_alphas.len() - 1]; LANES];
        a[..block_alphas.len()].copy_from_slice(block_alphas);

        for (w, (&base, &direction)) in weights
            .iter_mut()
            .zip(output.weight.iter().zip(output.weight_direction))
        {
            *w = std::array::from_fn(|l| base + a[l] * direction);
        }
        let bias: Vec<Block> = (0..n_out)
            .map(|o| match output.bias {
                Some((base, direction)) => std::array::from_fn(|l| base[o] + a[l] * direction[o]),
                None => [0.0; LANES],
            })
            .collect();

        let mut r = 0;
        while r < rows {
            let block_rows = if rows - r >= ROWS { ROWS } else { 1 };
            let rows_block = r..r + block_rows;
            let (s, t) = (
                &shifted[r * width..(r + block_rows) * width],
                &slope[r * width..(r + block_rows) * width],
            );
            for (h, (&s_k, &t_k)) in hidden.iter_mut().zip(s.iter().zip(t)) {
                *h = std::array::from_fn(|l| activate(s_k + a[l] * t_k));
            }
            if block_rows == ROWS {
                output_block::<ROWS>(&weights[..], &hidden[..], &bias, width, outputs);
            } else {
                output_block::<1>(&weights[..], &hidden[..], &bias, width, outputs);
            }
            for (i, row) in rows_block.enumerate() {
                let target = data.target_row(row);
                for (l, total) in block_totals.iter_mut().enumerate() {
                    for (value, out) in sample.iter_mut().zip(&outputs[i * n_out..]) {
                        *value = out[l];
                    }
                    *total += loss_kind.sample_loss(sample, target);
                }
            }
            r += block_rows;
        }
    }
    totals.iter().map(|t| t / rows as f64).collect()
}

/// `outputs[i·n_out + o] = bias_o + Σ_k weights[o][k] ⊙ hidden[i][k]` for `R` data rows.
#[inline(always)]
fn output_block<const R: usize>(
    weights: &[Block],
    hidden: &[Block],
    bias: &[Block],
    width: usize,
    outputs: &mut [Block],
) {
    let n_out = bias.len();
    for (o, w_o) in weights.chunks_exact(width).enumerate() {
        let mut acc: [Block; R] = [bias[o]; R];
        for (k, w) in w_o.iter().enumerate() {
            for (i, acc_i) in acc.iter_mut().enumerate() {
                let h = &hidden[i * width + k];
                for l in 0..LANES {
                    acc_i[l] += w[l] * h[l];
                }
            }
        }
        for (i, acc_i) in acc.into_iter().enumerate() {
            outputs[i * n_out + o] = acc_i;
        }
    }
}
