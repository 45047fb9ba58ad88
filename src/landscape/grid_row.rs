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
//!
//! For ReLU there is a shorter way to the same numbers ([`relu_row_losses`]). Along the
//! row, unit `k` of data row `r` is either off (`S + α·T ≤ 0`) or contributes
//! `(W + α·D)·(S + α·T)`, a quadratic in α, and it switches at most once, because
//! `S + α·T` is monotone in α (also after rounding to f32). So each output is a piecewise
//! quadratic `c0 + c1·α + c2·α²` whose coefficients change only at the grid index where
//! a unit switches: each unit adds its three coefficients once, at that index, to a
//! difference array, and a running sum over the grid gives every point's coefficients.
//! That is `O(width + grid)` per data row and output instead of `O(width · grid)`, and
//! nothing is approximated: the active set at each grid point is the one `S + α·T` gives
//! in f32, and the coefficients are summed in f64, so the outputs agree with the lane
//! kernel's to f32 rounding.

use crate::config::{Activation, LossKind};
use crate::data::Dataset;
use crate::nn::loss::mse;

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
    /// ReLU: per output, the running sums of the coefficients and their changes at each
    /// grid index.
    sums: Vec<Quadratic>,
    changes: Vec<Quadratic>,
}

/// `c0 + c1·α + c2·α²`.
type Quadratic = [f64; 3];

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
    // Without an early exit, so the check runs as vector compares.
    let finite = |values: &[f32]| values.iter().fold(true, |all, v| all & v.is_finite());
    let all_finite = finite(shifted)
        && finite(slope)
        && finite(alphas)
        && finite(output.weight)
        && finite(output.weight_direction)
        && output.bias.is_none_or(|(b, e)| finite(b) && finite(e));
    match activation {
        // Non-finite inputs take the lane kernel, whose arithmetic says what they give.
        // One output (regression, binary) gets its own copy, with the loop over
        // outputs unrolled away.
        Activation::Relu if all_finite && output.weight.len() == width => relu_row_losses::<1>(
            shifted, slope, width, alphas, output, loss_kind, data, scratch,
        ),
        Activation::Relu if all_finite => relu_row_losses::<0>(
            shifted, slope, width, alphas, output, loss_kind, data, scratch,
        ),
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
        ..
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
                    *total += if loss_kind == LossKind::Mse {
                        mse(sample, target)
                    } else {
                        loss_kind.sample_loss(sample, target)
                    };
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

/// [`row_losses`] for ReLU with finite inputs, by the piecewise quadratics of the module
/// docs. `OUTPUTS` is the number of outputs when known at compile time, 0 otherwise.
#[allow(clippy::too_many_arguments)]
fn relu_row_losses<const OUTPUTS: usize>(
    shifted: &[f32],
    slope: &[f32],
    width: usize,
    alphas: &[f32],
    output: &OutputLayer<'_>,
    loss_kind: LossKind,
    data: &Dataset,
    scratch: &mut RowScratch,
) -> Vec<f64> {
    let rows = data.len();
    let n = alphas.len();
    let n_out = if OUTPUTS > 0 {
        OUTPUTS
    } else {
        output.weight.len() / width.max(1)
    };
    let mut totals = vec![0.0f64; n];
    if n == 0 {
        return totals;
    }
    let RowScratch {
        sample,
        sums,
        changes,
        ..
    } = scratch;
    sample.resize(n_out, 0.0);
    sums.resize(n_out, [0.0; 3]);
    changes.resize((n + 1 + width) * n_out, [0.0; 3]);
    let bias: Vec<Quadratic> = (0..n_out)
        .map(|o| match output.bias {
            Some((base, direction)) => [f64::from(base[o]), f64::from(direction[o]), 0.0],
            None => [0.0; 3],
        })
        .collect();
    // The grid is uniform; a guess from it is corrected by exact tests below.
    let first = alphas.first().map_or(0.0, |&a| f64::from(a));
    let inverse_step = if n > 1 {
        (n - 1) as f64 / (f64::from(alphas[n - 1]) - first)
    } else {
        1.0
    };

    for row in 0..rows {
        // Slots past n are written, never read: they need no clearing.
        changes[..n * n_out].fill([0.0; 3]);
        sums.copy_from_slice(&bias);
        let mut single_start: Quadratic = [0.0; 3];
        let (s_row, t_row) = (
            &shifted[row * width..(row + 1) * width],
            &slope[row * width..(row + 1) * width],
        );
        for (k, (&s, &t)) in s_row.iter().zip(t_row).enumerate() {
            // On at α_0 and off from grid index `switch` (t < 0), or off at α_0 and on
            // from `switch` (t > 0); with t = 0 it never switches. A unit on at α_0 adds
            // its terms at index 0; at `switch` it subtracts them (t < 0) or adds them
            // (t > 0). A unit that does not switch within the grid writes to a slot of
            // its own past n, which the running sum never reads. No branch depends on
            // the unit (its sign and switch are random, mispredictions would cost more
            // than the arithmetic), and no two units wait on the same slot in memory.
            let on_at_start = (t < 0.0) | ((t == 0.0) & (s > 0.0));
            let switch = switch_index(alphas, first, inverse_step, s, t, on_at_start);
            let slot = switch + (k + 1) * usize::from(switch == n);
            let keep = 0u64.wrapping_sub(u64::from(on_at_start));
            let flip = keep & (1 << 63);
            let (s, t) = (f64::from(s), f64::from(t));
            for o in 0..n_out {
                let w = f64::from(output.weight[o * width + k]);
                let d = f64::from(output.weight_direction[o * width + k]);
                let term = [w * s, w * t + d * s, d * t];
                let at_start = term.map(|x| f64::from_bits(x.to_bits() & keep));
                if OUTPUTS == 1 {
                    // In registers: one chain of additions instead of one through memory.
                    add(&mut single_start, &at_start);
                } else {
                    add(&mut changes[o], &at_start);
                }
                add(
                    &mut changes[slot * n_out + o],
                    &term.map(|x| f64::from_bits(x.to_bits() ^ flip)),
                );
            }
        }
        if OUTPUTS == 1 {
            add(&mut changes[0], &single_start);
        }

        let target = data.target_row(row);
        for (i, total) in totals.iter_mut().enumerate() {
            let alpha = f64::from(alphas[i]);
            for (o, value) in sample.iter_mut().enumerate() {
                add(&mut sums[o], &changes[i * n_out + o]);
                let [c0, c1, c2] = sums[o];
                *value = (c0 + alpha * (c1 + alpha * c2)) as f32;
            }
            *total += if loss_kind == LossKind::Mse {
                mse(sample, target)
            } else {
                loss_kind.sample_loss(sample, target)
            };
        }
    }
    totals.iter().map(|t| t / rows as f64).collect()
}

/// The first grid index at which a unit whose pre-activation `s + α·t` crosses zero at
/// `α = −s/t` has switched from its state at α_0 (`alphas.len()` if it never does):
/// guessed from the uniform grid `first + i / inverse_step` as the first point past the
/// crossing, then checked against the test in f32 itself; a guess that fails (a
/// crossing within rounding of a grid point, or t = 0) is corrected by a search.
#[inline(always)]
fn switch_index(
    alphas: &[f32],
    first: f64,
    inverse_step: f64,
    s: f32,
    t: f32,
    on_at_start: bool,
) -> usize {
    let n = alphas.len();
    let switched = |i: usize| (s + alphas[i] * t > 0.0) != on_at_start;
    let crossing = -f64::from(s) / f64::from(t);
    // Clamped before the cast, which then truncates a value ≥ −1: ⌊x⌋ + 1 or one more.
    let past = ((crossing - first) * inverse_step).max(-1.0).min(n as f64);
    let mut index = ((past as i64 + 1).max(0) as usize).min(n);
    // Index −1 counts as not switched and index n as switched.
    let before = |i: usize| (i > 0) & switched(i.max(1) - 1);
    let at = |i: usize| (i >= n) | switched(i.min(n - 1));
    if before(index) | !at(index) {
        index = (0..n).find(|&i| switched(i)).unwrap_or(n);
    }
    index
}

#[inline(always)]
fn add(sum: &mut Quadratic, term: &Quadratic) {
    for (s, t) in sum.iter_mut().zip(term) {
        *s += t;
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// A grid row's inputs: `rows` data rows of a model `width` wide with `n_out`
    /// outputs, values around the scale of a trained model's.
    struct Row {
        shifted: Vec<f32>,
        slope: Vec<f32>,
        weight: Vec<f32>,
        weight_direction: Vec<f32>,
        bias: Vec<f32>,
        bias_direction: Vec<f32>,
        data: Dataset,
    }

    fn random_row(seed: u64, rows: usize, width: usize, n_out: usize, loss: LossKind) -> Row {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut values =
            |n: usize| -> Vec<f32> { (0..n).map(|_| rng.random_range(-1.0f32..1.0)).collect() };
        let (shifted, slope) = (values(rows * width), values(rows * width));
        let (weight, weight_direction) = (values(n_out * width), values(n_out * width));
        let (bias, bias_direction) = (values(n_out), values(n_out));
        let targets: Vec<f32> = match loss {
            LossKind::CrossEntropy => (0..rows).map(|r| (r % n_out) as f32).collect(),
            LossKind::Bce => (0..rows).map(|r| (r % 2) as f32).collect(),
            LossKind::Mse => values(rows * n_out),
        };
        let n_outputs = targets.len() / rows;
        Row {
            shifted,
            slope,
            weight,
            weight_direction,
            bias,
            bias_direction,
            data: Dataset {
                features: vec![0.0; rows],
                targets,
                n_features: 1,
                n_outputs,
                feature_names: vec!["x".into()],
                target_names: (0..n_outputs).map(|o| format!("y{o}")).collect(),
            },
        }
    }

    fn both_kernels(row: &Row, width: usize, alphas: &[f32], loss: LossKind) -> [Vec<f64>; 2] {
        let output = OutputLayer {
            weight: &row.weight,
            weight_direction: &row.weight_direction,
            bias: Some((&row.bias, &row.bias_direction)),
        };
        let mut scratch = RowScratch::default();
        let relu = |z: f32| if z < 0.0 { 0.0 } else { z };
        let lanes = row_losses_with(
            &row.shifted,
            &row.slope,
            width,
            alphas,
            &output,
            relu,
            loss,
            &row.data,
            &mut scratch,
        );
        let quadratics = row_losses(
            &row.shifted,
            &row.slope,
            width,
            alphas,
            &output,
            Activation::Relu,
            loss,
            &row.data,
            &mut scratch,
        );
        [lanes, quadratics]
    }

    fn assert_close(lanes: &[f64], quadratics: &[f64], what: &str) {
        assert_eq!(lanes.len(), quadratics.len());
        for (i, (a, b)) in lanes.iter().zip(quadratics).enumerate() {
            assert!(
                (a - b).abs() <= 2e-6 * a.abs().max(1.0),
                "{what}, grid point {i}: lane kernel {a}, piecewise quadratics {b}"
            );
        }
    }

    /// The uniform grid `landscape::grid` makes, in f32 as the surface hands it over.
    fn alphas(range: f64, resolution: usize) -> Vec<f32> {
        super::super::surface::grid(range, resolution)
            .iter()
            .map(|&a| a as f32)
            .collect()
    }

    #[test]
    fn piecewise_quadratics_equal_the_lane_kernel_for_every_loss() {
        for (seed, loss, n_out) in [
            (1, LossKind::Mse, 1),
            (2, LossKind::Mse, 3),
            (3, LossKind::Bce, 1),
            (4, LossKind::CrossEntropy, 10),
        ] {
            let row = random_row(seed, 37, 19, n_out, loss);
            for resolution in [2, 5, 51] {
                let [lanes, quadratics] = both_kernels(&row, 19, &alphas(1.0, resolution), loss);
                assert_close(
                    &lanes,
                    &quadratics,
                    &format!("{loss:?} × {n_out}, {resolution}"),
                );
            }
        }
    }

    /// Units whose pre-activation is exactly zero at a grid point, that never switch
    /// (t = 0), or switch outside the grid: the active sets must still be the f32 test's.
    #[test]
    fn switches_on_and_between_grid_points_and_units_that_never_switch() {
        let (rows, width) = (6, 8);
        let mut row = random_row(5, rows, width, 1, LossKind::Mse);
        let grid = alphas(1.0, 11);
        for (k, (s, t)) in row.shifted.iter_mut().zip(row.slope.iter_mut()).enumerate() {
            (*s, *t) = match k % 8 {
                // Zero exactly at α = 0.2 and at α = −1 (the first point), α = 1 (the last).
                0 => (-0.2 * 0.5, 0.5),
                1 => (1.0, 1.0),
                2 => (-1.0, 1.0),
                // Never switching: on everywhere, off everywhere, zero everywhere.
                3 => (0.7, 0.0),
                4 => (-0.7, 0.0),
                5 => (0.0, 0.0),
                // Switching far outside the grid, and just past a grid point.
                6 => (100.0, -1.0),
                _ => (-0.3 - 1e-7, -1.0),
            };
        }
        let [lanes, quadratics] = both_kernels(&row, width, &grid, LossKind::Mse);
        assert_close(&lanes, &quadratics, "edge cases");
    }

    /// A non-finite input takes the lane kernel, so NaN and infinity come out as its
    /// arithmetic gives them rather than from a guessed switch.
    #[test]
    fn non_finite_inputs_give_what_the_lane_kernel_gives() {
        let mut row = random_row(6, 5, 4, 1, LossKind::Mse);
        row.weight[2] = f32::INFINITY;
        let grid = alphas(1.0, 5);
        let [lanes, quadratics] = both_kernels(&row, 4, &grid, LossKind::Mse);
        for (a, b) in lanes.iter().zip(&quadratics) {
            assert!(a.to_bits() == b.to_bits(), "{a} vs {b}");
        }
        assert!(quadratics.iter().any(|v| !v.is_finite()));
    }
}
