//! What a configuration amounts to before any training: the split sizes, the model's
//! size, PyTorch's batch counting and the learning rate of every update. The page shows
//! these while settings are edited (the batch calculator and the schedule preview), and a
//! config whose [`RunPlan`] builds is one the trainer accepts.
//!
//! Counting is [`BatchPlan`]'s: `micro_batches_per_epoch = ceil(n / batch_size)` (floor
//! with `drop_last`), `updates_per_epoch = ceil(micro_batches / accumulation_steps)`,
//! `total_updates = updates_per_epoch × epochs`.

use serde::Serialize;

use crate::config::{Plane, RunConfig, Split};
use crate::data::{self, BatchPlan};
use crate::error::{Error, Result};
use crate::landscape::surface;
use crate::nn::Mlp;
use crate::optim::Schedule;

/// The counts of a run, known before it trains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunPlan {
    pub n_train: usize,
    pub n_val: usize,
    pub n_features: usize,
    /// Width of the network's output (1 for regression and BCE, K for cross-entropy).
    pub n_outputs: usize,
    pub parameter_count: usize,
    pub micro_batches_per_epoch: usize,
    pub updates_per_epoch: usize,
    pub total_updates: usize,
    /// Updates of the linear warmup (0 for schedules without one).
    pub warmup_updates: usize,
    /// Samples per full update: batch_size × accumulation_steps.
    pub effective_batch_size: usize,
}

impl RunPlan {
    /// Checks `config` as the trainer would (values, data, model size, batching, the
    /// landscape's plane) and counts its run. Loads and splits the data but trains
    /// nothing.
    pub fn new(config: &RunConfig) -> Result<RunPlan> {
        config.validate()?;
        let prepared = data::prepare(config)?;
        let n_outputs = prepared.output_width(config.loss_kind());
        let model = Mlp::new(prepared.train.n_features, n_outputs, &config.model)?;
        let parameter_count = model.num_params();
        if config.landscape.plane == Plane::Parameters && parameter_count != 2 {
            return Err(Error::config(
                "landscape.plane",
                format!(
                    "\"parameters\" needs a model with exactly 2 parameters, this one has \
                     {parameter_count}"
                ),
            ));
        }

        let landscape_rows = match config.landscape.data {
            Split::Train => prepared.train.len(),
            Split::Val => prepared.val.len(),
        };
        surface::check_work(config.landscape.resolution, landscape_rows, parameter_count)?;

        let batches = BatchPlan::new(
            prepared.train.len(),
            config.batch_size,
            config.accumulation_steps,
            config.drop_last,
        )?;
        let total_updates = batches.updates_per_epoch() * config.epochs;
        let schedule = Schedule::new(&config.schedule, config.optimizer.lr, total_updates);
        Ok(RunPlan {
            n_train: prepared.train.len(),
            n_val: prepared.val.len(),
            n_features: prepared.train.n_features,
            n_outputs,
            parameter_count,
            micro_batches_per_epoch: batches.micro_batches_per_epoch(),
            updates_per_epoch: batches.updates_per_epoch(),
            total_updates,
            warmup_updates: schedule.warmup_updates(),
            effective_batch_size: batches.effective_batch_size(),
        })
    }

    /// The run's learning-rate schedule over its [`RunPlan::total_updates`].
    pub fn schedule(&self, config: &RunConfig) -> Schedule {
        Schedule::new(&config.schedule, config.optimizer.lr, self.total_updates)
    }
}

/// Reads and checks settings as a run's start would: the JSON as a [`RunConfig`], then its
/// [`RunPlan`]; the first problem is the error. The page checks every edit and every link
/// with it (`checkConfig`), so a config that passes is one the engine starts.
pub fn check(config_json: &str) -> Result<(RunConfig, RunPlan)> {
    let config = RunConfig::from_json(config_json)?;
    let plan = RunPlan::new(&config)?;
    Ok((config, plan))
}

/// How `n_samples` divide into micro-batches and updates, for the batch calculator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BatchCounts {
    pub micro_batches_per_epoch: usize,
    pub updates_per_epoch: usize,
    pub total_updates: usize,
    pub effective_batch_size: usize,
    /// Samples an epoch trains on.
    pub samples_per_epoch: usize,
    /// Samples of the incomplete last micro-batch that `drop_last` leaves out.
    pub dropped_samples: usize,
    /// Samples of the epoch's last micro-batch (smaller than a full batch when
    /// `n_samples` is not a multiple of the batch size).
    pub last_micro_batch: usize,
}

impl BatchCounts {
    /// Counts for `n_samples` with the given batching over `epochs` epochs; an error when
    /// a size is 0 or `drop_last` leaves no batch.
    pub fn new(
        n_samples: usize,
        batch_size: usize,
        accumulation_steps: usize,
        drop_last: bool,
        epochs: usize,
    ) -> Result<BatchCounts> {
        let plan = BatchPlan::new(n_samples, batch_size, accumulation_steps, drop_last)?;
        let micro_batches = plan.micro_batches_per_epoch();
        let samples = plan.samples_per_epoch();
        let last_micro_batch = samples - (micro_batches - 1) * batch_size;
        Ok(BatchCounts {
            micro_batches_per_epoch: micro_batches,
            updates_per_epoch: plan.updates_per_epoch(),
            total_updates: plan.updates_per_epoch().saturating_mul(epochs),
            effective_batch_size: plan.effective_batch_size(),
            samples_per_epoch: samples,
            dropped_samples: n_samples - samples,
            last_micro_batch,
        })
    }
}

/// At most `max_points` (update, lr) pairs of `schedule`, evenly spaced over its updates,
/// always including the first and the last; every update when there are few enough.
/// Between two kept updates a step schedule may change more than once; the preview shows
/// the overall shape, the trainer uses [`Schedule::lr`] for every update.
pub fn sample_curve(schedule: &Schedule, max_points: usize) -> Vec<(usize, f64)> {
    let total = schedule.total_updates();
    if total == 0 || max_points == 0 {
        return Vec::new();
    }
    if total <= max_points || max_points == 1 {
        let step = if total <= max_points { 1 } else { total };
        return (0..total)
            .step_by(step)
            .map(|k| (k, schedule.lr(k)))
            .collect();
    }

    // Evenly spaced indices from 0 to total − 1; rounding may repeat one on tiny grids.
    let last = (total - 1) as f64;
    let mut points: Vec<(usize, f64)> = Vec::with_capacity(max_points);
    for i in 0..max_points {
        let k = (last * i as f64 / (max_points - 1) as f64).round() as usize;
        if points.last().is_none_or(|&(previous, _)| previous != k) {
            points.push((k, schedule.lr(k)));
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference run: 442 diabetes rows, 20 % held out → 354 train; batch 32 → 12
    /// micro-batches (the last of 2 samples), 4 accumulated → 3 updates per epoch.
    #[test]
    fn reference_plan_matches_the_summary() {
        let plan = RunPlan::new(&RunConfig::default()).unwrap();
        assert_eq!((plan.n_train, plan.n_val), (354, 88));
        assert_eq!(plan.micro_batches_per_epoch, 12);
        assert_eq!(plan.updates_per_epoch, 3);
        assert_eq!(plan.total_updates, 300);
        assert_eq!(plan.warmup_updates, 30, "10 % of 300 updates");
        assert_eq!(plan.effective_batch_size, 128);
        assert_eq!(plan.parameter_count, 10 * 64 + 64 + 64 + 1);
    }

    #[test]
    fn check_reads_then_plans_and_names_the_first_problem() {
        let (config, plan) = check("{}").unwrap();
        assert_eq!(config, RunConfig::default(), "{{}} is the reference run");
        assert_eq!(plan.total_updates, 300);

        let err = check(r#"{"batch_size": 0}"#).unwrap_err().to_string();
        assert!(err.contains("batch_size") && err.contains('0'), "{err}");
        let err = check(r#"{"epochs": 1"#).unwrap_err().to_string();
        assert!(
            err.contains("EOF"),
            "truncated JSON is a parse error: {err}"
        );
        // Valid JSON whose run cannot be made: only the plan finds it.
        let err = check(r#"{"batch_size": 1000, "drop_last": true}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("leaves no batch"), "{err}");
    }

    #[test]
    fn a_model_whose_map_is_past_the_work_limit_is_refused() {
        // 10 → 1000 → 1000 → 1 on the 354 train rows: 1.01e6 parameters, 9.3e11
        // multiply-adds for a 51 × 51 map.
        let config = RunConfig::from_json(r#"{"model": {"hidden": [1000, 1000]}}"#).unwrap();
        let err = RunPlan::new(&config).unwrap_err().to_string();
        assert!(
            err.contains("landscape") && err.contains("9.3e11") && err.contains("1e11"),
            "{err}"
        );
        // The same model with a coarser map fits.
        let config = RunConfig::from_json(
            r#"{"model": {"hidden": [1000, 1000]}, "landscape": {"resolution": 15}}"#,
        )
        .unwrap();
        assert!(RunPlan::new(&config).is_ok());
    }

    #[test]
    fn plan_rejects_what_the_trainer_rejects() {
        let config = RunConfig {
            batch_size: 1000,
            drop_last: true,
            ..RunConfig::default()
        };
        let err = RunPlan::new(&config).unwrap_err().to_string();
        assert!(err.contains("leaves no batch"), "{err}");

        let mut config = RunConfig::default();
        config.landscape.plane = Plane::Parameters;
        let err = RunPlan::new(&config).unwrap_err();
        assert!(
            matches!(&err, Error::Config { field, .. } if field == "landscape.plane"),
            "the message names the field: {err}"
        );
    }

    /// Practice question 1: 10,000 samples at batch 32 are 313 micro-batches (the last
    /// holds 16 samples), 312 with drop_last (16 samples left out); 100 epochs.
    #[test]
    fn practice_question_with_and_without_drop_last() {
        let kept = BatchCounts::new(10_000, 32, 1, false, 100).unwrap();
        assert_eq!(kept.micro_batches_per_epoch, 313);
        assert_eq!(kept.total_updates, 31_300);
        assert_eq!(kept.last_micro_batch, 16);
        assert_eq!(kept.dropped_samples, 0);
        let dropped = BatchCounts::new(10_000, 32, 1, true, 100).unwrap();
        assert_eq!(dropped.micro_batches_per_epoch, 312);
        assert_eq!(dropped.total_updates, 31_200);
        assert_eq!(dropped.dropped_samples, 16);
        assert_eq!(dropped.last_micro_batch, 32);
    }

    /// Practice question 3: batch 8 with 4 accumulation steps is an effective batch of 32.
    #[test]
    fn accumulation_counts_updates_not_micro_batches() {
        let counts = BatchCounts::new(10_000, 8, 4, false, 1).unwrap();
        assert_eq!(counts.effective_batch_size, 32);
        assert_eq!(counts.micro_batches_per_epoch, 1250);
        assert_eq!(counts.updates_per_epoch, 313, "ceil(1250 / 4)");
        assert!(BatchCounts::new(10, 0, 1, false, 1).is_err());
    }

    #[test]
    fn sampled_curve_keeps_both_ends() {
        let config = RunConfig::default();
        let schedule = Schedule::new(&config.schedule, 1e-3, 300);
        let all = sample_curve(&schedule, 1000);
        assert_eq!(all.len(), 300, "few updates: every one");
        assert_eq!(all[30], (30, 1e-3), "the warmup ends at the base rate");

        let long = Schedule::new(&config.schedule, 1e-3, 1_000_000);
        let sampled = sample_curve(&long, 500);
        assert_eq!(sampled.len(), 500);
        assert_eq!(sampled[0].0, 0);
        assert_eq!(sampled[499].0, 999_999);
        assert!(sampled.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(sample_curve(&Schedule::new(&config.schedule, 1e-3, 0), 10).is_empty());
    }
}
