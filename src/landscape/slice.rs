//! One-dimensional views of the loss:
//!
//! - a slice along one direction through the centre, `L(θ + α·d)`, α on the grid
//!   `−r + 2r·i/(n−1)`;
//! - the linear interpolation between two weight vectors, `L((1 − α)·θ_A + α·θ_B)` for α
//!   in [−0.5, 1.5] (Goodfellow et al. 2015; Keskar et al. 2017 use it between a
//!   small-batch and a large-batch minimum), so α = 0 is θ_A and α = 1 is θ_B.
//!
//! Both report the train and validation loss, and the accuracy for classification.

use serde::Serialize;

use crate::config::LossKind;
use crate::data::{Dataset, PreparedData};
use crate::nn::{Mlp, Workspace};

/// Loss (and accuracy) along a line in parameter space.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Slice {
    pub alphas: Vec<f64>,
    pub train_loss: Vec<f64>,
    /// Empty without a validation set.
    pub val_loss: Vec<f64>,
    /// Classification only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_accuracy: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub val_accuracy: Option<Vec<f64>>,
}

/// α range of an interpolation.
pub const INTERPOLATION_RANGE: (f64, f64) = (-0.5, 1.5);

/// Evaluates the model at `point(α)` for every α.
fn sweep(
    model: &Mlp,
    loss: LossKind,
    data: &PreparedData,
    alphas: Vec<f64>,
    point: impl Fn(f64, &mut [f32]),
) -> Slice {
    let mut workspace = model.workspace(data.train.len().max(data.val.len()).min(256));
    let mut weights = vec![0.0f32; model.num_params()];
    let classify = loss != LossKind::Mse;
    let mut slice = Slice {
        alphas: Vec::new(),
        train_loss: Vec::new(),
        val_loss: Vec::new(),
        train_accuracy: classify.then(Vec::new),
        val_accuracy: (classify && !data.val.is_empty()).then(Vec::new),
    };
    let evaluate =
        |set: &Dataset, weights: &[f32], ws: &mut Workspace| model.evaluate(weights, set, loss, ws);
    for alpha in alphas {
        point(alpha, &mut weights);
        let train = evaluate(&data.train, &weights, &mut workspace);
        slice.train_loss.push(train.loss);
        if let (Some(list), Some(a)) = (slice.train_accuracy.as_mut(), train.accuracy) {
            list.push(a);
        }
        if !data.val.is_empty() {
            let val = evaluate(&data.val, &weights, &mut workspace);
            slice.val_loss.push(val.loss);
            if let (Some(list), Some(a)) = (slice.val_accuracy.as_mut(), val.accuracy) {
                list.push(a);
            }
        }
        slice.alphas.push(alpha);
    }
    slice
}

/// The loss along `direction` through `center`, on `resolution` points over [−range, range].
pub fn along(
    model: &Mlp,
    loss: LossKind,
    data: &PreparedData,
    center: &[f32],
    direction: &[f32],
    range: f64,
    resolution: usize,
) -> Slice {
    let alphas = super::surface::grid(range, resolution);
    sweep(model, loss, data, alphas, |alpha, weights| {
        for ((w, &c), &d) in weights.iter_mut().zip(center).zip(direction) {
            *w = c + alpha as f32 * d;
        }
    })
}

/// The loss on the line from `from` (α = 0) to `to` (α = 1), α in [−0.5, 1.5].
pub fn interpolate(
    model: &Mlp,
    loss: LossKind,
    data: &PreparedData,
    from: &[f32],
    to: &[f32],
    resolution: usize,
) -> Slice {
    interpolate_over(
        model,
        loss,
        data,
        (from, to),
        INTERPOLATION_RANGE,
        resolution,
    )
}

/// The loss on the line through `from` (α = 0) and `to` (α = 1), α over `range`.
pub fn interpolate_over(
    model: &Mlp,
    loss: LossKind,
    data: &PreparedData,
    (from, to): (&[f32], &[f32]),
    (low, high): (f64, f64),
    resolution: usize,
) -> Slice {
    let last = (resolution.max(2) - 1) as f64;
    let alphas = (0..resolution)
        .map(|i| low + (high - low) * i as f64 / last)
        .collect();
    sweep(model, loss, data, alphas, |alpha, weights| {
        let a = alpha as f32;
        for ((w, &x), &y) in weights.iter_mut().zip(from).zip(to) {
            *w = (1.0 - a) * x + a * y;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DataConfig, DataSource, RunConfig};
    use crate::train::Trainer;

    #[test]
    fn interpolation_ends_are_the_two_weight_vectors() {
        let mut trainer = Trainer::new(RunConfig {
            epochs: 5,
            ..RunConfig::default()
        })
        .unwrap();
        let start = trainer.params().to_vec();
        trainer.run_to_end();
        let slice = interpolate(
            trainer.model(),
            trainer.loss_kind(),
            trainer.data(),
            &start,
            trainer.params(),
            9,
        );
        assert_eq!(slice.alphas[0], -0.5);
        assert_eq!(slice.alphas[8], 1.5);
        assert_eq!(slice.alphas[2], 0.0);
        assert_eq!(slice.alphas[6], 1.0);
        let end_loss = trainer.history().epochs.last().unwrap().train_loss_eval;
        assert!((slice.train_loss[6] - end_loss).abs() < 1e-6 * end_loss);
        assert!(
            slice.train_loss[2] > slice.train_loss[6],
            "training lowered the loss"
        );
        assert_eq!(slice.val_loss.len(), 9);
        assert!(slice.train_accuracy.is_none(), "regression has no accuracy");
    }

    #[test]
    fn classification_slices_carry_accuracy() {
        let mut trainer = Trainer::new(RunConfig {
            epochs: 5,
            accumulation_steps: 1,
            data: DataConfig {
                source: DataSource::Iris,
                ..DataConfig::default()
            },
            ..RunConfig::default()
        })
        .unwrap();
        trainer.run_to_end();
        let direction = vec![0.1f32; trainer.model().num_params()];
        let slice = along(
            trainer.model(),
            trainer.loss_kind(),
            trainer.data(),
            trainer.params(),
            &direction,
            1.0,
            5,
        );
        let accuracy = slice.train_accuracy.unwrap();
        assert_eq!(accuracy.len(), 5);
        assert!(accuracy.iter().all(|a| (0.0..=1.0).contains(a)));
        assert_eq!(slice.val_accuracy.unwrap().len(), 5);
    }
}
