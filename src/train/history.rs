//! What the curves show: one record per optimizer update and one per epoch. Epochs are
//! numbered from 1, updates from 0, in every output.
//!
//! Memory stays bounded: past [`MAX_RECORDS`] records of a kind, the older half is
//! decimated by keeping, from every run of four records, the two with the lowest and the
//! highest loss (non-finite ones always stay). Recent records are never touched, so the
//! diagnosis sees them at full resolution, and spikes survive in the old part.

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
    /// Fraction of the train split classified correctly (classification).
    pub train_accuracy: Option<f64>,
    /// Fraction of the validation split classified correctly (classification).
    pub val_accuracy: Option<f64>,
    /// R² on the validation split (regression).
    pub val_r2: Option<f64>,
    /// Root-mean-square validation error in the target's original units (regression).
    pub val_rmse: Option<f64>,
}

/// Records of one kind kept before the older half is decimated.
pub const MAX_RECORDS: usize = 20_000;

/// All records of a run so far (older ones decimated on long runs).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct History {
    pub updates: Vec<UpdateRecord>,
    pub epochs: Vec<EpochRecord>,
}

impl History {
    pub fn push_update(&mut self, record: UpdateRecord) {
        self.updates.push(record);
        if self.updates.len() > MAX_RECORDS {
            decimate_older_half(&mut self.updates, |r| r.batch_loss);
        }
    }

    pub fn push_epoch(&mut self, record: EpochRecord) {
        self.epochs.push(record);
        if self.epochs.len() > MAX_RECORDS {
            decimate_older_half(&mut self.epochs, |r| {
                r.val_loss.unwrap_or(r.train_loss_eval)
            });
        }
    }
}

/// Halves the older half of `records`: of every four, the lowest and highest `key` stay
/// (in their order), and any non-finite one too.
fn decimate_older_half<T>(records: &mut Vec<T>, key: impl Fn(&T) -> f64) {
    let older = records.len() / 2;
    let mut keep = vec![true; records.len()];
    for start in (0..older - older % 4).step_by(4) {
        let bucket = start..start + 4;
        let values: Vec<f64> = bucket.clone().map(|i| key(&records[i])).collect();
        let by_value = |pick_max: bool| {
            (0..4).filter(|&k| values[k].is_finite()).reduce(|a, b| {
                let better = if pick_max {
                    values[b] > values[a]
                } else {
                    values[b] < values[a]
                };
                if better {
                    b
                } else {
                    a
                }
            })
        };
        let (low, high) = (by_value(false), by_value(true));
        for k in 0..4 {
            keep[start + k] = !values[k].is_finite() || Some(k) == low || Some(k) == high;
        }
    }
    let mut flags = keep.into_iter();
    records.retain(|_| flags.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(k: usize, loss: f64) -> UpdateRecord {
        UpdateRecord {
            update: k,
            epoch: 1,
            lr: 0.1,
            grad_norm: 1.0,
            clipped: false,
            batch_loss: loss,
        }
    }

    /// A million updates keep at most MAX_RECORDS records, the newest intact and in order,
    /// and a single loss spike early on survives every decimation.
    #[test]
    fn a_long_run_stays_bounded_and_keeps_extremes() {
        let mut history = History::default();
        for k in 0..1_000_000 {
            let loss = if k == 1234 {
                50.0
            } else {
                1.0 / (1.0 + k as f64).sqrt()
            };
            history.push_update(update(k, loss));
        }
        assert!(
            history.updates.len() <= MAX_RECORDS,
            "{}",
            history.updates.len()
        );
        assert!(history.updates.len() > MAX_RECORDS / 2);
        assert_eq!(history.updates.last().unwrap().update, 999_999);
        assert!(history
            .updates
            .windows(2)
            .all(|w| w[0].update < w[1].update));
        assert!(
            history.updates.iter().any(|r| r.batch_loss == 50.0),
            "the spike stays"
        );
    }
}
