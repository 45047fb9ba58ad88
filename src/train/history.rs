//! What the curves show: one record per optimizer update and one per epoch. Epochs are
//! numbered from 1, updates from 0, in every output.

use serde::Serialize;

/// One optimizer update (or the attempt that found a non-finite loss or gradient).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpdateRecord {
    /// Update index k, from 0.
    pub update: usize,
    /// Epoch the update belongs to, from 1.
    pub epoch: usize,
    /// The learning rate this update used.
    pub lr: f64,
    /// Global gradient L2 norm before clipping.
    pub grad_norm: f64,
    /// Whether clipping scaled the gradient down.
    pub clipped: bool,
    /// Mean per-sample loss over the update's samples (all its micro-batches).
    pub batch_loss: f64,
}

/// One epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochRecord {
    /// Epoch number, from 1.
    pub epoch: usize,
    /// Mean over the epoch's micro-batches of their mean loss, taken during training (what
    /// the source material logs).
    pub train_loss_running: f64,
    /// Loss over the whole train split with the epoch's final weights (eval mode).
    pub train_loss_eval: f64,
    /// Loss over the validation split; `None` without a validation split.
    pub val_loss: Option<f64>,
    /// Learning rate of the epoch's last update.
    pub lr_end: f64,
    /// Mean of the epoch's pre-clip gradient norms (one per update).
    pub grad_norm_mean: f64,
}

/// All records of a run so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct History {
    pub updates: Vec<UpdateRecord>,
    pub epochs: Vec<EpochRecord>,
}
