//! The run's counts and final numbers, as the CLI writes them to `summary.json`.

use serde::Serialize;

use super::diagnosis::Diagnosis;
use super::trainer::{Status, Trainer};

/// Final losses of the last finished epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FinalLosses {
    pub train_loss_running: f64,
    pub train_loss_eval: f64,
    pub val_loss: Option<f64>,
}

/// Everything a reader needs to check the run's bookkeeping at a glance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub n_train: usize,
    pub n_val: usize,
    pub num_params: usize,
    pub micro_batches_per_epoch: usize,
    pub updates_per_epoch: usize,
    pub total_updates: usize,
    pub warmup_updates: usize,
    pub effective_batch_size: usize,
    pub updates_done: usize,
    pub epochs_run: usize,
    pub status: Status,
    /// `None` before the first epoch ends.
    #[serde(rename = "final")]
    pub final_losses: Option<FinalLosses>,
    /// Epoch (from 1) with the lowest validation loss.
    pub best_epoch: Option<usize>,
    /// Epoch at which early stopping ended the run.
    pub stopped_early_at: Option<usize>,
    /// Epoch whose weights were restored at the end.
    pub restored_epoch: Option<usize>,
    pub task: crate::config::Task,
    pub loss: crate::config::LossKind,
    /// The train loss of predicting the mean target: the diagnosis's scale.
    pub baseline_loss: f64,
    pub diagnosis: Diagnosis,
}

impl Summary {
    pub fn of(trainer: &Trainer) -> Summary {
        let plan = trainer.plan();
        let history = trainer.history();
        let final_losses = history.epochs.last().map(|e| FinalLosses {
            train_loss_running: e.train_loss_running,
            train_loss_eval: e.train_loss_eval,
            val_loss: e.val_loss,
        });
        let best_epoch = history
            .epochs
            .iter()
            .filter_map(|e| e.val_loss.map(|v| (e.epoch, v)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(epoch, _)| epoch);
        Summary {
            n_train: trainer.data().train.len(),
            n_val: trainer.data().val.len(),
            num_params: trainer.model().num_params(),
            micro_batches_per_epoch: plan.micro_batches_per_epoch(),
            updates_per_epoch: plan.updates_per_epoch(),
            total_updates: trainer.total_updates(),
            warmup_updates: trainer.schedule().warmup_updates(),
            effective_batch_size: plan.effective_batch_size(),
            updates_done: trainer.updates_done(),
            epochs_run: trainer.epochs_done(),
            status: trainer.status(),
            final_losses,
            best_epoch,
            stopped_early_at: trainer.stopped_early_at(),
            restored_epoch: trainer.restored_epoch(),
            task: trainer.data().task,
            loss: trainer.loss_kind(),
            baseline_loss: trainer.baseline_loss(),
            diagnosis: trainer.diagnosis(),
        }
    }
}
