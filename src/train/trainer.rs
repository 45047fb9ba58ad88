//! [`Trainer`]: the reference training loop, one optimizer update per [`Trainer::step`].
//!
//! An update takes the next accumulation window of the epoch: the gradient is the sum of
//! per-sample gradients over the window's micro-batches divided by the window's sample
//! count (so it equals one big batch exactly), then clipped, then applied with the
//! schedule's rate for this update index. The leftover window at an epoch's end is an
//! update of its own; nothing carries into the next epoch. After the last window the
//! whole train and validation splits are evaluated with the epoch's final weights.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::checkpoints::Checkpoints;
use super::diagnosis::{self, Diagnosis};
use super::history::{EpochRecord, History, UpdateRecord};
use super::summary::Summary;
use crate::config::{LossKind, RunConfig, Split};
use crate::data::{self, BatchPlan, PreparedData};
use crate::error::Result;
use crate::nn::{Batch, Evaluation, Mlp, Workspace};
use crate::optim::{clip_grad_norm, Optimizer, Schedule};
use crate::seeding::{self, Stream};

/// Checkpoints kept for the path at most (thinned evenly beyond this).
const CHECKPOINT_CAPACITY: usize = 512;
/// Parameter values all checkpoints together may hold (80 MB of f32): large models keep
/// fewer checkpoints, never fewer than 16.
const CHECKPOINT_BUDGET_VALUES: usize = 20_000_000;

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    Running,
    Finished,
    /// Update `update` met a non-finite loss or gradient norm and was not applied.
    Diverged {
        update: usize,
    },
}

/// What one call to [`Trainer::step`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepOutcome {
    /// An update was applied; `epoch_ended` tells whether it closed an epoch.
    Updated { epoch_ended: bool },
    /// The update found a non-finite value; no update was applied.
    Diverged,
    /// The run had already finished or diverged; nothing happened.
    Idle,
}

/// A training run in progress.
#[derive(Clone, Debug)]
pub struct Trainer {
    config: RunConfig,
    data: PreparedData,
    model: Mlp,
    params: Vec<f32>,
    optimizer: Optimizer,
    schedule: Schedule,
    plan: BatchPlan,
    shuffle_rng: ChaCha8Rng,
    order: Vec<usize>,
    epoch_index: usize,
    window_index: usize,
    updates_done: usize,
    epoch_batch_loss_sum: f64,
    epoch_batches: usize,
    epoch_norm_sum: f64,
    epoch_norms: usize,
    gradient: Vec<f32>,
    previous_params: Vec<f32>,
    batch_features: Vec<f32>,
    batch_targets: Vec<f32>,
    workspace: Workspace,
    history: History,
    checkpoints: Checkpoints,
    status: Status,
    baseline_loss: f64,
    loss: LossKind,
    stopping: EarlyStoppingState,
    stopped_early_at: Option<usize>,
    restored_epoch: Option<usize>,
}

/// The best validation loss so far, its epoch and weights, and epochs since.
#[derive(Clone, Debug, Default)]
struct EarlyStoppingState {
    best_val: Option<f64>,
    best_epoch: usize,
    best_params: Vec<f32>,
    epochs_without_improvement: usize,
}

impl Trainer {
    /// Loads the data, splits and standardizes it, and initializes the model.
    pub fn new(config: RunConfig) -> Result<Trainer> {
        config.validate()?;
        let prepared = data::prepare(&config)?;
        Self::with_data(config, prepared)
    }

    /// A run on data already prepared (tests, custom data).
    pub fn with_data(config: RunConfig, data: PreparedData) -> Result<Trainer> {
        config.validate()?;
        let width = data.output_width(config.loss_kind());
        let model = Mlp::new(data.train.n_features, width, &config.model)?;
        let params = model.init(config.model.init, config.seed);
        Self::with_params(config, data, model, params)
    }

    /// A run from given initial weights.
    pub fn with_params(
        config: RunConfig,
        data: PreparedData,
        model: Mlp,
        params: Vec<f32>,
    ) -> Result<Trainer> {
        let plan = BatchPlan::new(
            data.train.len(),
            config.batch_size,
            config.accumulation_steps,
            config.drop_last,
        )?;
        let total_updates = plan.updates_per_epoch() * config.epochs;
        let schedule = Schedule::new(&config.schedule, config.optimizer.lr, total_updates);
        let optimizer = Optimizer::new(&config.optimizer, model.num_params());
        let capacity =
            (CHECKPOINT_BUDGET_VALUES / model.num_params().max(1)).clamp(16, CHECKPOINT_CAPACITY);
        let mut checkpoints = Checkpoints::new(capacity);
        checkpoints.offer(0, &params);
        let workspace = model.workspace(config.batch_size);
        let baseline_loss = diagnosis::baseline_loss(&data, config.loss_kind());
        Ok(Trainer {
            shuffle_rng: seeding::rng(config.seed, Stream::Shuffle),
            order: (0..data.train.len()).collect(),
            gradient: vec![0.0; model.num_params()],
            previous_params: params.clone(),
            batch_features: Vec::with_capacity(config.batch_size * data.train.n_features),
            batch_targets: Vec::with_capacity(config.batch_size * data.train.n_outputs),
            data,
            model,
            params,
            optimizer,
            schedule,
            plan,
            epoch_index: 0,
            window_index: 0,
            updates_done: 0,
            epoch_batch_loss_sum: 0.0,
            epoch_batches: 0,
            epoch_norm_sum: 0.0,
            epoch_norms: 0,
            workspace,
            history: History::default(),
            checkpoints,
            status: Status::Running,
            baseline_loss,
            loss: config.loss_kind(),
            stopping: EarlyStoppingState::default(),
            stopped_early_at: None,
            restored_epoch: None,
            config,
        })
    }

    /// Runs one optimizer update.
    pub fn step(&mut self) -> StepOutcome {
        if self.status != Status::Running {
            return StepOutcome::Idle;
        }
        if self.window_index == 0 {
            self.start_epoch();
        }

        // Sum per-sample gradients over the window's micro-batches.
        self.gradient.fill(0.0);
        let mut loss_sum = 0.0;
        let mut samples = 0;
        for range in self.plan.window(self.window_index) {
            let rows = range.len();
            let train = &self.data.train;
            self.batch_features.clear();
            self.batch_targets.clear();
            for &i in &self.order[range] {
                self.batch_features.extend_from_slice(train.feature_row(i));
                self.batch_targets.extend_from_slice(train.target_row(i));
            }
            let batch = Batch {
                inputs: &self.batch_features,
                targets: &self.batch_targets,
                rows,
            };
            let batch_loss = self.model.loss_and_gradient_sum(
                &self.params,
                batch,
                self.loss,
                &mut self.gradient,
                &mut self.workspace,
            );
            self.epoch_batch_loss_sum += batch_loss / rows as f64;
            self.epoch_batches += 1;
            loss_sum += batch_loss;
            samples += rows;
        }
        let scale = 1.0 / samples as f32;
        for g in &mut self.gradient {
            *g *= scale;
        }

        let clip = clip_grad_norm(&mut self.gradient, self.config.clip_norm);
        let lr = self.schedule.lr(self.updates_done);
        let batch_loss = loss_sum / samples as f64;
        self.history.push_update(UpdateRecord {
            update: self.updates_done,
            epoch: self.epoch_index + 1,
            lr,
            grad_norm: clip.norm,
            clipped: clip.clipped,
            batch_loss,
        });
        if !batch_loss.is_finite() || !clip.norm.is_finite() {
            log::warn!(
                "update {} met a non-finite loss or gradient",
                self.updates_done
            );
            self.status = Status::Diverged {
                update: self.updates_done,
            };
            return StepOutcome::Diverged;
        }

        // An update that overflows the weights is undone, so the last finite weights stay.
        self.previous_params.copy_from_slice(&self.params);
        let momentum = self.schedule.momentum(self.updates_done);
        self.optimizer
            .step(&mut self.params, &self.gradient, lr, momentum);
        if self.params.iter().any(|p| !p.is_finite()) {
            log::warn!("update {} made the weights non-finite", self.updates_done);
            self.params.copy_from_slice(&self.previous_params);
            self.status = Status::Diverged {
                update: self.updates_done,
            };
            return StepOutcome::Diverged;
        }
        self.updates_done += 1;
        self.checkpoints.offer(self.updates_done, &self.params);
        self.epoch_norm_sum += clip.norm;
        self.epoch_norms += 1;

        self.window_index += 1;
        if self.window_index == self.plan.updates_per_epoch() {
            self.end_epoch(lr);
            return StepOutcome::Updated { epoch_ended: true };
        }
        StepOutcome::Updated { epoch_ended: false }
    }

    /// Steps until the run finishes or diverges.
    pub fn run_to_end(&mut self) {
        while matches!(self.step(), StepOutcome::Updated { .. }) {}
    }

    fn start_epoch(&mut self) {
        self.order = (0..self.data.train.len()).collect();
        if self.config.shuffle {
            self.order.shuffle(&mut self.shuffle_rng);
        }
        self.epoch_batch_loss_sum = 0.0;
        self.epoch_batches = 0;
        self.epoch_norm_sum = 0.0;
        self.epoch_norms = 0;
    }

    fn end_epoch(&mut self, lr_end: f64) {
        let train = self.evaluate(Split::Train);
        let val = (!self.data.val.is_empty()).then(|| self.evaluate(Split::Val));
        let epoch = self.epoch_index + 1;
        let target_scale = self
            .data
            .target_scaler
            .scale
            .first()
            .copied()
            .unwrap_or(1.0);
        self.history.push_epoch(EpochRecord {
            epoch,
            train_loss_running: self.epoch_batch_loss_sum / self.epoch_batches as f64,
            train_loss_eval: train.loss,
            val_loss: val.map(|v| v.loss),
            lr_end,
            grad_norm_mean: self.epoch_norm_sum / self.epoch_norms as f64,
            train_accuracy: train.accuracy,
            val_accuracy: val.and_then(|v| v.accuracy),
            val_r2: val.and_then(|v| v.r2),
            val_rmse: val
                .filter(|_| self.loss == LossKind::Mse)
                .map(|v| v.loss.sqrt() * f64::from(target_scale)),
        });
        self.epoch_index += 1;
        self.window_index = 0;

        if !train.loss.is_finite() {
            // The weights are finite but their loss is not: the next update cannot run.
            self.status = Status::Diverged {
                update: self.updates_done,
            };
            return;
        }
        let stop_early = match (&self.config.early_stopping, val) {
            (Some(settings), Some(val)) => {
                let improved = self.stopping.best_val.is_none_or(|best| val.loss < best);
                if improved {
                    self.stopping.best_val = Some(val.loss);
                    self.stopping.best_epoch = epoch;
                    self.stopping.best_params.clone_from(&self.params);
                    self.stopping.epochs_without_improvement = 0;
                } else {
                    self.stopping.epochs_without_improvement += 1;
                }
                self.stopping.epochs_without_improvement >= settings.patience
            }
            _ => false,
        };
        if stop_early {
            self.stopped_early_at = Some(epoch);
        }
        if stop_early || self.epoch_index == self.config.epochs {
            self.finish();
        }
    }

    /// Ends the run, restoring the best epoch's weights when early stopping asks for it.
    fn finish(&mut self) {
        self.status = Status::Finished;
        let restore = self
            .config
            .early_stopping
            .as_ref()
            .is_some_and(|s| s.restore_best);
        if restore && !self.stopping.best_params.is_empty() {
            self.params.clone_from(&self.stopping.best_params);
            self.restored_epoch = Some(self.stopping.best_epoch);
            self.checkpoints
                .offer_latest(self.updates_done, &self.params);
        }
    }

    /// Loss and metrics of the current weights on a split.
    pub fn evaluate(&mut self, split: Split) -> Evaluation {
        let data = match split {
            Split::Train => &self.data.train,
            Split::Val => &self.data.val,
        };
        self.model
            .evaluate(&self.params, data, self.loss, &mut self.workspace)
    }

    /// The epoch the run stopped at early, if it did.
    pub fn stopped_early_at(&self) -> Option<usize> {
        self.stopped_early_at
    }

    /// The epoch whose weights were restored at the end, if any.
    pub fn restored_epoch(&self) -> Option<usize> {
        self.restored_epoch
    }

    /// The loss being minimized.
    pub fn loss_kind(&self) -> LossKind {
        self.loss
    }

    /// Mean loss over the train split at the current weights.
    pub fn train_loss(&mut self) -> f64 {
        self.model.mean_loss(
            &self.params,
            &self.data.train,
            self.loss,
            &mut self.workspace,
        )
    }

    /// Mean loss over the validation split at the current weights (NaN when empty).
    pub fn val_loss(&mut self) -> f64 {
        self.model
            .mean_loss(&self.params, &self.data.val, self.loss, &mut self.workspace)
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn updates_done(&self) -> usize {
        self.updates_done
    }

    /// N: optimizer updates over all epochs.
    pub fn total_updates(&self) -> usize {
        self.plan.updates_per_epoch() * self.config.epochs
    }

    pub fn epochs_done(&self) -> usize {
        self.epoch_index
    }

    pub fn plan(&self) -> &BatchPlan {
        &self.plan
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn params(&self) -> &[f32] {
        &self.params
    }

    pub fn model(&self) -> &Mlp {
        &self.model
    }

    pub fn data(&self) -> &PreparedData {
        &self.data
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The path's checkpoints (the current weights may be newer than the last one).
    pub fn checkpoints(&self) -> &Checkpoints {
        &self.checkpoints
    }

    /// Train loss of always predicting the train targets' mean: the scale the diagnosis
    /// rules are relative to.
    pub fn baseline_loss(&self) -> f64 {
        self.baseline_loss
    }

    /// The diagnosis of the run so far; a run that early stopping ended says so.
    pub fn diagnosis(&self) -> Diagnosis {
        let mut verdict = diagnosis::diagnose(
            &self.history,
            self.status,
            self.baseline_loss,
            self.config.clip_norm,
        );
        if let Some(stopped) = self.stopped_early_at {
            let best = self.stopping.best_epoch;
            let best_val = self.stopping.best_val.unwrap_or(f64::NAN);
            let restored = if self.restored_epoch.is_some() {
                format!("; the weights of epoch {best} were restored")
            } else {
                String::new()
            };
            verdict.message = format!(
                "early stopping ended the run at epoch {stopped}, {} epochs after the best \
                 validation loss {best_val:.4} at epoch {best}{restored}. Before stopping: {}",
                stopped - best,
                verdict.message
            );
            verdict.fix = if self.restored_epoch.is_some() {
                "nothing to fix: early stopping kept the best epoch's weights".into()
            } else {
                format!("set early_stopping.restore_best to keep epoch {best}'s weights")
            };
        }
        verdict
    }

    /// Counts and final numbers of the run so far.
    pub fn summary(&self) -> Summary {
        Summary::of(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Activation, ModelConfig, OptimizerConfig, OptimizerKind};
    use crate::config::{DataConfig, ScheduleConfig};
    use crate::data::{Dataset, Standardizer};

    fn raw(x: Vec<f32>, y: Vec<f32>) -> PreparedData {
        let n = y.len();
        let train = Dataset {
            features: x,
            targets: y,
            n_features: 1,
            n_outputs: 1,
            feature_names: vec!["x".into()],
            target_names: vec!["y".into()],
        };
        PreparedData {
            val: train.select(&[]),
            train,
            feature_scaler: Standardizer::identity(1),
            target_scaler: Standardizer::identity(n.min(1)),
            task: crate::config::Task::Regression,
            n_classes: 0,
        }
    }

    /// f = w·x with x = 1, y = 1..6, batch 1, accumulation 4, SGD lr 0.1, w0 = 0, MSE,
    /// one epoch, no shuffling: two updates. Window 1 (y = 1..4): mean gradient of
    /// (w − y)² is 2(0 − 2.5) = −5, so w = 0.5. Window 2, the leftover (y = 5, 6):
    /// 2(0.5 − 5.5) = −10, so w = 1.5. Gradients of the leftover window must not leak.
    #[test]
    fn leftover_window_is_stepped_with_its_own_size() {
        let config = linear_sgd(1, 4, 0.1);
        let data = raw(vec![1.0; 6], (1..=6).map(|y| y as f32).collect());
        let model = Mlp::new(1, 1, &config.model).unwrap();
        let mut trainer = Trainer::with_params(config, data, model, vec![0.0]).unwrap();
        assert_eq!(trainer.total_updates(), 2);
        trainer.step();
        assert!(
            (trainer.params()[0] - 0.5).abs() < 1e-6,
            "{:?}",
            trainer.params()
        );
        assert_eq!(trainer.step(), StepOutcome::Updated { epoch_ended: true });
        assert!(
            (trainer.params()[0] - 1.5).abs() < 1e-6,
            "{:?}",
            trainer.params()
        );
        assert_eq!(trainer.status(), Status::Finished);
        assert_eq!(trainer.step(), StepOutcome::Idle);
        let epoch = &trainer.history().epochs[0];
        // Running loss: batch losses at w = 0 for y = 1..4 and at w = 0.5 for y = 5, 6.
        let expected = (1.0 + 4.0 + 9.0 + 16.0 + 4.5f64.powi(2) + 5.5f64.powi(2)) / 6.0;
        assert!((epoch.train_loss_running - expected).abs() < 1e-9);
    }

    fn linear_sgd(batch_size: usize, accumulation_steps: usize, lr: f64) -> RunConfig {
        RunConfig {
            epochs: 1,
            batch_size,
            accumulation_steps,
            shuffle: false,
            clip_norm: None,
            data: DataConfig {
                val_fraction: 0.0,
                standardize: false,
                ..DataConfig::default()
            },
            model: ModelConfig {
                hidden: vec![],
                activation: Activation::Linear,
                bias: false,
                init: crate::config::Init::Pytorch,
            },
            optimizer: OptimizerConfig {
                name: OptimizerKind::Sgd,
                lr,
                weight_decay: None,
                ..OptimizerConfig::default()
            },
            schedule: ScheduleConfig::Constant,
            ..RunConfig::default()
        }
    }

    /// f = w·x, x = 1, y = [1, 2, 3, 4, 10], w = 0: micro-batches of 2, 2 and 1 with
    /// accumulation 3 form one window whose loss is (1 + 4 + 9 + 16 + 100)/5 = 26 and
    /// whose gradient is 2·(0 − 4) = −8 (SGD with lr 1 then gives w = 8); one batch of 5
    /// gives exactly the same.
    #[test]
    fn unequal_micro_batches_weigh_each_sample_once() {
        for (batch_size, accumulation) in [(2, 3), (5, 1)] {
            let config = linear_sgd(batch_size, accumulation, 1.0);
            let data = raw(vec![1.0; 5], vec![1.0, 2.0, 3.0, 4.0, 10.0]);
            let model = Mlp::new(1, 1, &config.model).unwrap();
            let mut trainer = Trainer::with_params(config, data, model, vec![0.0]).unwrap();
            assert_eq!(trainer.total_updates(), 1);
            trainer.step();
            let record = &trainer.history().updates[0];
            assert!((record.batch_loss - 26.0).abs() < 1e-9, "{record:?}");
            assert!(
                (record.grad_norm - 8.0).abs() < 1e-6,
                "|gradient| = 8: {record:?}"
            );
            assert!((trainer.params()[0] - 8.0).abs() < 1e-5, "w = 0 − 1·(−8)");
        }
    }

    /// 98 samples, batch 32: 4 micro-batches (3 with drop_last); accumulation 2 gives 2
    /// updates per epoch either way and an effective batch of 64.
    #[test]
    fn ninety_eight_samples_in_batches_of_32() {
        for (drop_last, micro) in [(false, 4), (true, 3)] {
            let plan = BatchPlan::new(98, 32, 2, drop_last).unwrap();
            assert_eq!(plan.micro_batches_per_epoch(), micro);
            assert_eq!(plan.updates_per_epoch(), 2);
            assert_eq!(plan.effective_batch_size(), 64);
        }
    }

    /// Early stopping on a run that overfits: it stops `patience` epochs after the best
    /// validation loss and puts that epoch's weights back.
    #[test]
    fn early_stopping_restores_the_best_epoch() {
        let config = RunConfig {
            epochs: 400,
            batch_size: 8,
            accumulation_steps: 1,
            clip_norm: None,
            early_stopping: Some(crate::config::EarlyStopping {
                patience: 5,
                restore_best: true,
            }),
            data: DataConfig {
                source: crate::config::DataSource::Sine,
                samples: Some(40),
                noise: Some(0.5),
                val_fraction: 0.5,
                ..DataConfig::default()
            },
            model: ModelConfig {
                hidden: vec![64, 64],
                ..ModelConfig::default()
            },
            optimizer: OptimizerConfig {
                name: OptimizerKind::Adam,
                lr: 0.01,
                weight_decay: None,
                ..OptimizerConfig::default()
            },
            schedule: ScheduleConfig::Constant,
            ..RunConfig::default()
        };
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        let stopped = trainer
            .stopped_early_at()
            .expect("a noisy 20-sample fit overfits");
        let best = trainer.restored_epoch().unwrap();
        assert_eq!(stopped, best + 5, "stops patience epochs after the best");
        let epochs = &trainer.history().epochs;
        let best_val = epochs[best - 1].val_loss.unwrap();
        assert!(epochs.iter().all(|e| e.val_loss.unwrap() >= best_val));
        let now = trainer.evaluate(Split::Val).loss;
        assert!(
            (now - best_val).abs() < 1e-12,
            "restored weights give the best val loss"
        );
    }

    /// Accumulating 4 micro-batches of 8 must give exactly the update of one batch of 32.
    #[test]
    fn accumulation_equals_one_big_batch() {
        let big = RunConfig {
            epochs: 2,
            batch_size: 32,
            accumulation_steps: 1,
            ..RunConfig::default()
        };
        let small = RunConfig {
            batch_size: 8,
            accumulation_steps: 4,
            ..big.clone()
        };
        let mut a = Trainer::new(big).unwrap();
        let mut b = Trainer::new(small).unwrap();
        assert_eq!(a.total_updates(), b.total_updates());
        a.run_to_end();
        b.run_to_end();
        let worst = a
            .params()
            .iter()
            .zip(b.params())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-5, "parameters differ by {worst}");
        let (ea, eb) = (&a.history().epochs[1], &b.history().epochs[1]);
        assert!((ea.train_loss_eval - eb.train_loss_eval).abs() < 1e-6);
    }

    #[test]
    fn reference_run_learns_and_is_deterministic() {
        let config = RunConfig {
            epochs: 20,
            ..RunConfig::default()
        };
        let mut trainer = Trainer::new(config.clone()).unwrap();
        let initial = trainer.train_loss();
        trainer.run_to_end();
        assert_eq!(trainer.updates_done(), 60, "3 updates per epoch × 20");
        let last = trainer.history().epochs.last().unwrap();
        assert!(
            last.train_loss_eval < 0.8 * initial,
            "train loss {} from {initial}",
            last.train_loss_eval
        );
        let mut again = Trainer::new(config).unwrap();
        again.run_to_end();
        assert_eq!(again.params(), trainer.params(), "same seed, same bits");
        assert_eq!(again.history(), trainer.history());
    }

    #[test]
    fn non_finite_loss_pauses_and_keeps_last_finite_weights() {
        let config = RunConfig {
            epochs: 50,
            clip_norm: None,
            optimizer: OptimizerConfig {
                name: OptimizerKind::Sgd,
                lr: 50.0,
                weight_decay: None,
                ..OptimizerConfig::default()
            },
            schedule: ScheduleConfig::Constant,
            ..RunConfig::default()
        };
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        let Status::Diverged { update } = trainer.status() else {
            panic!("lr 50 must diverge, got {:?}", trainer.status());
        };
        assert!(trainer.params().iter().all(|p| p.is_finite()));
        assert_eq!(
            trainer.updates_done(),
            update,
            "the failing update was not applied"
        );
        let diagnosis = trainer.diagnosis();
        assert_eq!(diagnosis.code, "diverged");
        assert!(diagnosis.message.contains(&update.to_string()));
    }
}
