//! Samples, where they come from, and how they are cut into batches.
//!
//! - [`Dataset`]: a feature matrix and a target matrix, row-major `f32`.
//! - [`source`]: the samples a config names — [`bundled`] real sets, [`synthetic`] ones,
//!   a [`csv`] file, or samples written inline.
//! - [`split`]: the seeded train/validation split and train-split standardization.
//! - [`batch`]: micro-batches and accumulation windows of one epoch (PyTorch's
//!   `DataLoader` counting).

pub mod batch;
pub mod bundled;
pub mod csv;
pub mod source;
pub mod split;
pub mod synthetic;

pub use batch::BatchPlan;
pub use split::{prepare, PreparedData, Standardizer};

/// A table of samples: `features` is `len × n_features`, `targets` is `len × n_outputs`,
/// both row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub features: Vec<f32>,
    pub targets: Vec<f32>,
    pub n_features: usize,
    pub n_outputs: usize,
    pub feature_names: Vec<String>,
    pub target_names: Vec<String>,
}

impl Dataset {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.targets.len().checked_div(self.n_outputs).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Feature row of sample `i`.
    pub fn feature_row(&self, i: usize) -> &[f32] {
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// Target row of sample `i`.
    pub fn target_row(&self, i: usize) -> &[f32] {
        &self.targets[i * self.n_outputs..(i + 1) * self.n_outputs]
    }

    /// A new data set with the samples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let mut features = Vec::with_capacity(indices.len() * self.n_features);
        let mut targets = Vec::with_capacity(indices.len() * self.n_outputs);
        for &i in indices {
            features.extend_from_slice(self.feature_row(i));
            targets.extend_from_slice(self.target_row(i));
        }
        Dataset {
            features,
            targets,
            n_features: self.n_features,
            n_outputs: self.n_outputs,
            feature_names: self.feature_names.clone(),
            target_names: self.target_names.clone(),
        }
    }
}
