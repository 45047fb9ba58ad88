//! Random directions in parameter space, rescaled to the weights' scale so that plots of
//! different networks (or of one network at different times) are comparable.
//!
//! Filter normalization (Li et al. 2018, §4): for every weight matrix, each output
//! neuron's row of the direction is rescaled to the Frobenius norm of the same row of the
//! weights, `d_row ← d_row · ‖θ_row‖ / ‖d_row‖`. Bias entries are zero unless
//! `include_bias`, in which case a bias vector is treated as one filter. Layer
//! normalization does the same per tensor, model normalization once for the whole vector.
//! The Gaussian draws come from the landscape seed only, so the same (seed, weights,
//! options) give bit-identical directions whatever the grid.

use rand_distr::{Distribution, StandardNormal};

use crate::config::Normalization;
use crate::nn::{BlockKind, ParamBlock};
use crate::seeding::{self, Stream};

/// Guards the division when a direction row is all zeros.
const NORM_EPSILON: f64 = 1e-10;

/// Two normalized directions for the weights `params` with layout `layout`.
pub fn random_directions(
    seed: u64,
    params: &[f32],
    layout: &[ParamBlock],
    normalization: Normalization,
    include_bias: bool,
) -> [Vec<f32>; 2] {
    let mut rng = seeding::rng(seed, Stream::Directions);
    let mut draw = || -> Vec<f32> {
        (0..params.len())
            .map(|_| StandardNormal.sample(&mut rng))
            .collect()
    };
    let mut first = draw();
    let mut second = draw();
    normalize(&mut first, params, layout, normalization, include_bias);
    normalize(&mut second, params, layout, normalization, include_bias);
    [first, second]
}

fn norm(values: &[f32]) -> f64 {
    values
        .iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        .sqrt()
}

fn rescale(direction: &mut [f32], target_norm: f64) {
    let factor = (target_norm / (norm(direction) + NORM_EPSILON)) as f32;
    for d in direction {
        *d *= factor;
    }
}

/// Makes the second direction orthogonal to the first (Gram–Schmidt), keeping its length.
pub fn orthogonalize(directions: &mut [Vec<f32>; 2]) {
    let [first, second] = directions;
    let dot: f64 = first
        .iter()
        .zip(second.iter())
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum();
    let first_squared = norm(first).powi(2);
    if first_squared == 0.0 {
        return;
    }
    let length = norm(second);
    let coefficient = (dot / first_squared) as f32;
    for (b, &a) in second.iter_mut().zip(first.iter()) {
        *b -= coefficient * a;
    }
    rescale(second, length);
}

/// Rescales `direction` in place to the scale of `params` (see the module docs).
pub fn normalize(
    direction: &mut [f32],
    params: &[f32],
    layout: &[ParamBlock],
    normalization: Normalization,
    include_bias: bool,
) {
    for block in layout {
        if block.kind == BlockKind::Bias && !include_bias {
            direction[block.range()].fill(0.0);
        }
    }
    match normalization {
        Normalization::None => {}
        Normalization::Filter => {
            for block in layout {
                let range = block.range();
                match block.kind {
                    BlockKind::Weight => {
                        let columns = block.shape[1];
                        let weights = params[range.clone()].chunks(columns);
                        for (d_row, w_row) in direction[range].chunks_mut(columns).zip(weights) {
                            rescale(d_row, norm(w_row));
                        }
                    }
                    BlockKind::Bias if include_bias => {
                        rescale(&mut direction[range.clone()], norm(&params[range]))
                    }
                    BlockKind::Bias => {}
                }
            }
        }
        Normalization::Layer => {
            for block in layout {
                if block.kind == BlockKind::Weight || include_bias {
                    let range = block.range();
                    rescale(&mut direction[range.clone()], norm(&params[range]));
                }
            }
        }
        Normalization::Model => {
            let mut included = 0.0f64;
            for block in layout {
                if block.kind == BlockKind::Weight || include_bias {
                    included += norm(&params[block.range()]).powi(2);
                }
            }
            rescale(direction, included.sqrt());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::layout::layout;

    /// Weights [[3, 4], [0, 5]] (row norms 5 and 5), direction [[1, 0], [0, 2]]:
    /// filter normalization gives [[5, 0], [0, 5]], and the bias direction is zero.
    #[test]
    fn filter_normalization_rescales_each_row() {
        let blocks = layout(&[2, 2], true);
        let params = [3.0, 4.0, 0.0, 5.0, 0.7, -0.2];
        let mut direction = [1.0, 0.0, 0.0, 2.0, 0.3, 0.9];
        normalize(
            &mut direction,
            &params,
            &blocks,
            Normalization::Filter,
            false,
        );
        let expected = [5.0, 0.0, 0.0, 5.0, 0.0, 0.0];
        for (d, e) in direction.iter().zip(expected) {
            assert!((d - e).abs() < 1e-6, "{direction:?}");
        }
    }

    #[test]
    fn layer_and_model_normalization_match_norms() {
        let blocks = layout(&[2, 2], true);
        let params = [3.0, 4.0, 0.0, 5.0, 0.0, 0.0];
        let mut layer = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        normalize(&mut layer, &params, &blocks, Normalization::Layer, false);
        assert!((norm(&layer[..4]) - 50f64.sqrt()).abs() < 1e-5);
        let mut model = [1.0, 1.0, 1.0, 1.0, 9.0, 9.0];
        normalize(&mut model, &params, &blocks, Normalization::Model, false);
        assert!((norm(&model) - 50f64.sqrt()).abs() < 1e-5);
        assert_eq!(&model[4..], &[0.0, 0.0]);
    }

    /// Weights [[3, 4], [0, 1]], direction = identity: filter normalization gives
    /// [[5, 0], [0, 1]] (row norms 5 and 1); layer normalization scales the whole tensor to
    /// the weights' norm √26, i.e. √13 on the diagonal.
    #[test]
    fn filter_versus_layer_on_the_identity() {
        let blocks = layout(&[2, 2], false);
        let params = [3.0, 4.0, 0.0, 1.0];
        let mut filter = [1.0, 0.0, 0.0, 1.0];
        normalize(&mut filter, &params, &blocks, Normalization::Filter, false);
        let mut layer = [1.0, 0.0, 0.0, 1.0];
        normalize(&mut layer, &params, &blocks, Normalization::Layer, false);
        for (got, want) in filter.iter().zip([5.0, 0.0, 0.0, 1.0]) {
            assert!((got - want).abs() < 1e-6, "{filter:?}");
        }
        let root13 = 13f32.sqrt();
        for (got, want) in layer.iter().zip([root13, 0.0, 0.0, root13]) {
            assert!((got - want).abs() < 1e-5, "{layer:?}");
        }
        for row in 0..2 {
            let d = norm(&filter[2 * row..2 * row + 2]);
            let w = norm(&params[2 * row..2 * row + 2]);
            assert!((d - w).abs() < 1e-6, "row {row}");
        }
    }

    #[test]
    fn orthogonalized_directions_are_orthogonal_and_keep_length() {
        let mut pair = [vec![1.0, 1.0, 0.0], vec![1.0, 0.0, 1.0]];
        let before = norm(&pair[1]);
        orthogonalize(&mut pair);
        let dot: f32 = pair[0].iter().zip(&pair[1]).map(|(a, b)| a * b).sum();
        assert!(dot.abs() < 1e-6);
        assert!((norm(&pair[1]) - before).abs() < 1e-6);
    }

    #[test]
    fn same_seed_same_bits_and_seeds_differ() {
        let blocks = layout(&[3, 4, 1], true);
        let params: Vec<f32> = (0..21).map(|i| (i as f32 * 0.37).sin()).collect();
        let a = random_directions(9, &params, &blocks, Normalization::Filter, false);
        let b = random_directions(9, &params, &blocks, Normalization::Filter, false);
        let c = random_directions(10, &params, &blocks, Normalization::Filter, false);
        assert_eq!(a, b);
        assert_ne!(a[0], c[0]);
        assert_ne!(a[0], a[1], "the two directions are different draws");
    }
}
