//! The seeded train/validation split and z-scoring with train-split statistics.
//!
//! `n_val = floor(n · val_fraction)` (at least 1 when the fraction is positive), drawn from
//! a seeded permutation; the rest is the train split. Standardization uses the train
//! split's mean and population standard deviation (ddof 0, as scikit-learn's
//! `StandardScaler`); a constant column keeps scale 1 so it maps to 0 instead of NaN.

use rand::seq::SliceRandom;

use super::Dataset;
use crate::config::DataConfig;
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
    /// Empty when `val_fraction` is 0.
    pub val: Dataset,
    pub feature_scaler: Standardizer,
    pub target_scaler: Standardizer,
}

/// Splits `data` with the run seed and standardizes both splits with train statistics.
pub fn prepare(data: &Dataset, config: &DataConfig, seed: u64) -> Result<PreparedData> {
    let n = data.len();
    let mut n_val = (n as f64 * config.val_fraction).floor() as usize;
    if config.val_fraction > 0.0 {
        n_val = n_val.max(1);
    }
    if n_val >= n {
        return Err(Error::Data(format!(
            "data.val_fraction {} leaves no training samples out of {n}",
            config.val_fraction
        )));
    }

    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut seeding::rng(seed, Stream::Split));
    let (val_indices, train_indices) = order.split_at(n_val);
    let mut train = data.select(train_indices);
    let mut val = data.select(val_indices);

    let (feature_scaler, target_scaler) = if config.standardize {
        (
            Standardizer::fit(&train.features, train.n_features),
            Standardizer::fit(&train.targets, train.n_outputs),
        )
    } else {
        (
            Standardizer::identity(train.n_features),
            Standardizer::identity(train.n_outputs),
        )
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DataSource;
    use crate::data::bundled;

    #[test]
    fn diabetes_splits_354_88_and_train_is_z_scored() {
        let data = bundled::load(DataSource::Diabetes).unwrap();
        let prepared = prepare(&data, &DataConfig::default(), 0).unwrap();
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
        let data = bundled::load(DataSource::Diabetes).unwrap();
        let a = prepare(&data, &DataConfig::default(), 7).unwrap();
        let b = prepare(&data, &DataConfig::default(), 7).unwrap();
        let c = prepare(&data, &DataConfig::default(), 8).unwrap();
        assert_eq!(a.train.features, b.train.features);
        assert_ne!(
            a.train.features, c.train.features,
            "another seed, another split"
        );
    }

    #[test]
    fn constant_column_maps_to_zero() {
        let scaler = Standardizer::fit(&[2.0, 2.0, 2.0], 1);
        let mut values = vec![2.0, 2.0];
        scaler.apply(&mut values);
        assert_eq!(values, vec![0.0, 0.0]);
    }
}
