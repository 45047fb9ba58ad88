//! The seeded train/validation split and z-scoring with train-split statistics.
//!
//! `n_val = floor(n · val_fraction)` (at least 1 when the fraction is positive), drawn from
//! a seeded permutation; the rest is the train split. Standardization uses the train
//! split's mean and population standard deviation (ddof 0, as scikit-learn's
//! `StandardScaler`); a constant column keeps scale 1 so it maps to 0 instead of NaN.

use rand::seq::SliceRandom;

use super::{source, Dataset};
use crate::config::{LossKind, RunConfig, Task};
use crate::error::{Error, Result};
use crate::seeding::{self, Stream};

/// Per-column affine map `z = (x − mean) / scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
}

impl Standardizer {
    /// The identity map for `columns` columns.
    pub fn identity(columns: usize) -> Self {
        Standardizer {
            mean: vec![0.0; columns],
            scale: vec![1.0; columns],
        }
    }

    /// Mean and population standard deviation of each column of a row-major table.
    pub fn fit(values: &[f32], columns: usize) -> Self {
        let rows = values.len() / columns.max(1);
        let mut mean = vec![0.0f64; columns];
        let mut square = vec![0.0f64; columns];
        for row in values.chunks_exact(columns) {
            for (c, &v) in row.iter().enumerate() {
                mean[c] += f64::from(v);
            }
        }
        for m in &mut mean {
            *m /= rows.max(1) as f64;
        }
        for row in values.chunks_exact(columns) {
            for (c, &v) in row.iter().enumerate() {
                let d = f64::from(v) - mean[c];
                square[c] += d * d;
            }
        }
        let scale = square
            .iter()
            .map(|&s| {
                let std = (s / rows.max(1) as f64).sqrt();
                if std > 0.0 {
                    std as f32
                } else {
                    1.0
                }
            })
            .collect();
        Standardizer {
            mean: mean.iter().map(|&m| m as f32).collect(),
            scale,
        }
    }

    /// Applies the map in place to a row-major table.
    pub fn apply(&self, values: &mut [f32]) {
        let columns = self.mean.len();
        for row in values.chunks_exact_mut(columns) {
            for (c, v) in row.iter_mut().enumerate() {
                *v = (*v - self.mean[c]) / self.scale[c];
            }
        }
    }
}

/// The train and validation splits, ready for training.
#[derive(Clone, Debug)]
pub struct PreparedData {
    pub train: Dataset,
    /// Empty when there is no validation set.
    pub val: Dataset,
    pub feature_scaler: Standardizer,
    /// Identity for classification; z-scoring of a regression target otherwise.
    pub target_scaler: Standardizer,
    pub task: Task,
    /// K for classification (labels 0..K−1), 0 for regression.
    pub n_classes: usize,
}

impl PreparedData {
    /// Width of the network's output for `loss`: one logit for BCE, K for cross-entropy,
    /// one per target column for regression.
    pub fn output_width(&self, loss: LossKind) -> usize {
        match loss {
            LossKind::Mse => self.train.n_outputs,
            LossKind::Bce => 1,
            LossKind::CrossEntropy => self.n_classes,
        }
    }
}

/// Loads the run's samples, splits them with the run seed and standardizes them with
/// train statistics.
pub fn prepare(config: &RunConfig) -> Result<PreparedData> {
    let raw = source::load(&config.data, config.seed)?;
    let task = config.task();
    let data = raw.samples;
    let (mut train, mut val) = match raw.given_val {
        Some(val) => (data, val),
        None => split(&data, config.data.val_fraction, config.seed)?,
    };
    let n_classes = source::class_count(task, &[&train, &val])?;
    if task == Task::Regression {
        if let Some(&first) = train.targets.first() {
            if train.targets.iter().all(|&y| y == first) && train.n_outputs == 1 {
                let name = train.target_names.first().map_or("target", String::as_str);
                return Err(Error::Data(format!(
                    "the target column \"{name}\" is constant (every value is {first}): there \
                     is nothing to learn"
                )));
            }
        }
    }

    let feature_scaler = if config.data.standardize {
        Standardizer::fit(&train.features, train.n_features)
    } else {
        Standardizer::identity(train.n_features)
    };
    let target_scaler = if config.data.standardize && task == Task::Regression {
        Standardizer::fit(&train.targets, train.n_outputs)
    } else {
        Standardizer::identity(train.n_outputs)
    };
    feature_scaler.apply(&mut train.features);
    feature_scaler.apply(&mut val.features);
    target_scaler.apply(&mut train.targets);
    target_scaler.apply(&mut val.targets);

    Ok(PreparedData {
        train,
        val,
        feature_scaler,
        target_scaler,
        task,
        n_classes,
    })
}

/// Splits off `floor(n · val_fraction)` samples (at least 1 for a positive fraction) from
/// a seeded permutation.
fn split(data: &Dataset, val_fraction: f64, seed: u64) -> Result<(Dataset, Dataset)> {
    let n = data.len();
    let mut n_val = (n as f64 * val_fraction).floor() as usize;
    if val_fraction > 0.0 {
        n_val = n_val.max(1);
    }
    if n_val >= n {
        return Err(Error::Data(format!(
            "data.val_fraction {val_fraction} leaves no training samples out of {n}"
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut seeding::rng(seed, Stream::Split));
    let (val_indices, train_indices) = order.split_at(n_val);
    Ok((data.select(train_indices), data.select(val_indices)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DataConfig, DataSource};

    fn config(source: DataSource, seed: u64) -> RunConfig {
        RunConfig {
            seed,
            data: DataConfig {
                source,
                ..DataConfig::default()
            },
            ..RunConfig::default()
        }
    }

    #[test]
    fn diabetes_splits_354_88_and_train_is_z_scored() {
        let prepared = prepare(&config(DataSource::Diabetes, 0)).unwrap();
        assert_eq!(prepared.train.len(), 354);
        assert_eq!(prepared.val.len(), 88);
        let refit = Standardizer::fit(&prepared.train.features, 10);
        for c in 0..10 {
            assert!(
                refit.mean[c].abs() < 1e-5,
                "column {c} mean {}",
                refit.mean[c]
            );
            assert!((refit.scale[c] - 1.0).abs() < 1e-5, "column {c} std");
        }
        let target = Standardizer::fit(&prepared.train.targets, 1);
        assert!(target.mean[0].abs() < 1e-5 && (target.scale[0] - 1.0).abs() < 1e-5);
    }

    #[test]
    fn split_depends_on_seed_only() {
        let a = prepare(&config(DataSource::Diabetes, 7)).unwrap();
        let b = prepare(&config(DataSource::Diabetes, 7)).unwrap();
        let c = prepare(&config(DataSource::Diabetes, 8)).unwrap();
        assert_eq!(a.train.features, b.train.features);
        assert_ne!(
            a.train.features, c.train.features,
            "another seed, another split"
        );
    }

    #[test]
    fn classification_targets_stay_class_indices() {
        let prepared = prepare(&config(DataSource::Iris, 0)).unwrap();
        assert_eq!(prepared.n_classes, 3);
        assert_eq!(prepared.output_width(LossKind::CrossEntropy), 3);
        assert!(prepared
            .train
            .targets
            .iter()
            .all(|&y| y == 0.0 || y == 1.0 || y == 2.0));
    }

    #[test]
    fn standardize_false_leaves_values_as_given() {
        let mut raw = config(DataSource::Diabetes, 0);
        raw.data.standardize = false;
        let prepared = prepare(&raw).unwrap();
        assert!(prepared
            .train
            .targets
            .iter()
            .all(|&y| (25.0..=346.0).contains(&y)));
    }

    #[test]
    fn constant_column_maps_to_zero() {
        let scaler = Standardizer::fit(&[2.0, 2.0, 2.0], 1);
        let mut values = vec![2.0, 2.0];
        scaler.apply(&mut values);
        assert_eq!(values, vec![0.0, 0.0]);
    }
}
