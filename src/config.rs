//! [`RunConfig`]: every setting of a run in one typed value. It round-trips through JSON
//! (the CLI's `--config`, the page's worker protocol and URL state), fills omitted keys
//! with the reference run's values, rejects unknown keys, and [`RunConfig::validate`]
//! names the field and the bad value ("batch_size must be at least 1, got 0").

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Largest integer a JavaScript number holds exactly; seeds above it would not survive a
/// trip through the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Limits that keep one run responsive on a laptop (stated in the README).
pub const MAX_EPOCHS: usize = 100_000;
pub const MAX_PARAMETERS: usize = 2_000_000;
pub const MAX_RESOLUTION: usize = 201;
pub const MIN_RESOLUTION: usize = 3;

/// Every setting of a training run and of the landscape drawn around it.
///
/// `RunConfig::default()` is the reference run: the source material's loop on the
/// diabetes data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunConfig {
    /// Seeds the split, the initialization and the shuffling (each its own stream).
    pub seed: u64,
    /// Passes over the training split.
    pub epochs: usize,
    /// Samples per micro-batch (PyTorch `DataLoader(batch_size=…)`).
    pub batch_size: usize,
    /// Micro-batches whose gradients form one optimizer update.
    pub accumulation_steps: usize,
    /// Drop the last incomplete micro-batch of each epoch (`DataLoader(drop_last=…)`).
    pub drop_last: bool,
    /// Reshuffle the training split every epoch.
    pub shuffle: bool,
    /// Maximum global gradient L2 norm (`clip_grad_norm_`); `None` disables clipping.
    pub clip_norm: Option<f64>,
    pub data: DataConfig,
    pub model: ModelConfig,
    pub loss: LossKind,
    pub optimizer: OptimizerConfig,
    pub schedule: ScheduleConfig,
    pub landscape: LandscapeConfig,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seed: 0,
            epochs: 100,
            batch_size: 32,
            accumulation_steps: 4,
            drop_last: false,
            shuffle: true,
            clip_norm: Some(1.0),
            data: DataConfig::default(),
            model: ModelConfig::default(),
            loss: LossKind::Mse,
            optimizer: OptimizerConfig::default(),
            schedule: ScheduleConfig::default(),
            landscape: LandscapeConfig::default(),
        }
    }
}

/// Where the samples come from and how they are prepared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    pub source: DataSource,
    /// Fraction of the samples held out for validation, in [0, 1).
    pub val_fraction: f64,
    /// z-score features and target with the train split's mean and standard deviation.
    pub standardize: bool,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            source: DataSource::Diabetes,
            val_fraction: 0.2,
            standardize: true,
        }
    }
}

/// The bundled real data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// 442 patients, 10 baseline measurements, disease progression after one year.
    Diabetes,
}

/// A multi-layer perceptron: `Linear → activation → … → Linear`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Widths of the hidden layers; empty is a linear model.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// Give every layer a bias vector.
    pub bias: bool,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            hidden: vec![64],
            activation: Activation::Relu,
            bias: true,
        }
    }
}

/// The non-linearity between hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    Linear,
}

/// The training objective, averaged over samples (and outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// Mean squared error (`nn.MSELoss`).
    Mse,
}

/// The optimizer and its hyper-parameters, named as in `torch.optim`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OptimizerConfig {
    pub name: OptimizerKind,
    /// Base learning rate; schedules scale it.
    pub lr: f64,
    /// SGD momentum factor (0 = plain SGD).
    pub momentum: f64,
    /// Nesterov momentum for SGD.
    pub nesterov: bool,
    /// Adam's (beta1, beta2).
    pub betas: [f64; 2],
    /// Adam's denominator term.
    pub eps: f64,
    /// `None` takes PyTorch's default for the optimizer: 0.01 for AdamW, 0 otherwise.
    pub weight_decay: Option<f64>,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig {
            name: OptimizerKind::Adamw,
            lr: 1e-3,
            momentum: 0.0,
            nesterov: false,
            betas: [0.9, 0.999],
            eps: 1e-8,
            weight_decay: Some(0.01),
        }
    }
}

impl OptimizerConfig {
    /// The weight decay in force, with PyTorch's per-optimizer default when omitted.
    pub fn weight_decay_or_default(&self) -> f64 {
        self.weight_decay.unwrap_or(match self.name {
            OptimizerKind::Adamw => 0.01,
            OptimizerKind::Sgd | OptimizerKind::Adam => 0.0,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Adam,
    Adamw,
}

/// How the learning rate moves with the optimizer-update index k = 0..N-1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScheduleConfig {
    /// The base learning rate throughout.
    Constant,
    /// `LinearLR` warmup then `CosineAnnealingLR`, chained as `SequentialLR` does.
    WarmupCosine {
        /// Warmup length as a fraction of all updates (floor(N · fraction) updates).
        #[serde(default = "default_warmup_fraction")]
        warmup_fraction: f64,
        /// Factor of the base rate at update 0.
        #[serde(default = "default_start_factor")]
        start_factor: f64,
        /// Learning rate at the end of the cosine.
        #[serde(default = "default_eta_min")]
        eta_min: f64,
    },
    /// `StepLR`: multiply by `gamma` every `step_size` updates.
    Step { step_size: usize, gamma: f64 },
    /// `ExponentialLR`: multiply by `gamma` every update.
    Exponential { gamma: f64 },
}

fn default_warmup_fraction() -> f64 {
    0.1
}

fn default_start_factor() -> f64 {
    0.01
}

fn default_eta_min() -> f64 {
    1e-6
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig::WarmupCosine {
            warmup_fraction: default_warmup_fraction(),
            start_factor: default_start_factor(),
            eta_min: default_eta_min(),
        }
    }
}

/// The plane the loss is sampled on, and how finely.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LandscapeConfig {
    /// Grid points per axis.
    pub resolution: usize,
    /// Half-width r of the square [−r, r]² in units of the normalized directions.
    pub range: f64,
    /// Seeds the two random directions.
    pub seed: u64,
    pub normalization: Normalization,
    /// Give bias entries a direction too (Li et al. zero them by default).
    pub include_bias: bool,
}

impl Default for LandscapeConfig {
    fn default() -> Self {
        LandscapeConfig {
            resolution: 51,
            range: 1.0,
            seed: 0,
            normalization: Normalization::Filter,
            include_bias: false,
        }
    }
}

/// How a random direction is rescaled to the weights' scale (Li et al. 2018, §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// Each output neuron's row gets the norm of the same row of the weights.
    Filter,
    /// Each tensor gets the norm of the same tensor of the weights.
    Layer,
    /// The whole vector gets the norm of all the weights.
    Model,
    /// The raw Gaussian direction.
    None,
}

impl RunConfig {
    /// Parses JSON; omitted keys take the reference run's values.
    pub fn from_json(text: &str) -> Result<RunConfig> {
        let config: RunConfig =
            serde_json::from_str(text).map_err(|e| Error::ConfigJson(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Pretty JSON with every key written out.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every field; the message names the field and the value.
    pub fn validate(&self) -> Result<()> {
        if self.seed > MAX_SEED {
            return Err(Error::config(
                "seed",
                format!("must be at most {MAX_SEED}, got {}", self.seed),
            ));
        }
        at_least("epochs", self.epochs, 1)?;
        at_most("epochs", self.epochs, MAX_EPOCHS)?;
        at_least("batch_size", self.batch_size, 1)?;
        at_least("accumulation_steps", self.accumulation_steps, 1)?;
        if let Some(max_norm) = self.clip_norm {
            positive_finite("clip_norm", max_norm)?;
        }

        let fraction = self.data.val_fraction;
        if !(0.0..1.0).contains(&fraction) {
            return Err(Error::config(
                "data.val_fraction",
                format!("must be in [0, 1), got {fraction}"),
            ));
        }

        for (i, &width) in self.model.hidden.iter().enumerate() {
            at_least(&format!("model.hidden[{i}]"), width, 1)?;
        }

        let opt = &self.optimizer;
        positive_finite("optimizer.lr", opt.lr)?;
        unit_interval("optimizer.momentum", opt.momentum)?;
        if opt.nesterov && opt.momentum <= 0.0 {
            return Err(Error::config(
                "optimizer.nesterov",
                "needs optimizer.momentum > 0, got momentum 0",
            ));
        }
        unit_interval("optimizer.betas[0]", opt.betas[0])?;
        unit_interval("optimizer.betas[1]", opt.betas[1])?;
        positive_finite("optimizer.eps", opt.eps)?;
        let decay = opt.weight_decay_or_default();
        if !decay.is_finite() || decay < 0.0 {
            return Err(Error::config(
                "optimizer.weight_decay",
                format!("must be a finite number ≥ 0, got {decay}"),
            ));
        }

        match &self.schedule {
            ScheduleConfig::Constant => {}
            ScheduleConfig::WarmupCosine {
                warmup_fraction,
                start_factor,
                eta_min,
            } => {
                if !(0.0..=1.0).contains(warmup_fraction) {
                    return Err(Error::config(
                        "schedule.warmup_fraction",
                        format!("must be in [0, 1], got {warmup_fraction}"),
                    ));
                }
                if !(*start_factor > 0.0 && *start_factor <= 1.0) {
                    return Err(Error::config(
                        "schedule.start_factor",
                        format!("must be in (0, 1], got {start_factor}"),
                    ));
                }
                if !eta_min.is_finite() || *eta_min < 0.0 {
                    return Err(Error::config(
                        "schedule.eta_min",
                        format!("must be a finite number ≥ 0, got {eta_min}"),
                    ));
                }
            }
            ScheduleConfig::Step { step_size, gamma } => {
                at_least("schedule.step_size", *step_size, 1)?;
                positive_finite("schedule.gamma", *gamma)?;
            }
            ScheduleConfig::Exponential { gamma } => positive_finite("schedule.gamma", *gamma)?,
        }

        let land = &self.landscape;
        at_least("landscape.resolution", land.resolution, MIN_RESOLUTION)?;
        at_most("landscape.resolution", land.resolution, MAX_RESOLUTION)?;
        positive_finite("landscape.range", land.range)?;
        if land.seed > MAX_SEED {
            return Err(Error::config(
                "landscape.seed",
                format!("must be at most {MAX_SEED}, got {}", land.seed),
            ));
        }
        Ok(())
    }
}

fn at_least(field: &str, value: usize, min: usize) -> Result<()> {
    if value < min {
        return Err(Error::config(
            field,
            format!("must be at least {min}, got {value}"),
        ));
    }
    Ok(())
}

fn at_most(field: &str, value: usize, max: usize) -> Result<()> {
    if value > max {
        return Err(Error::config(
            field,
            format!("must be at most {max}, got {value}"),
        ));
    }
    Ok(())
}

fn positive_finite(field: &str, value: f64) -> Result<()> {
    if !(value.is_finite() && value > 0.0) {
        return Err(Error::config(
            field,
            format!("must be a finite number > 0, got {value}"),
        ));
    }
    Ok(())
}

fn unit_interval(field: &str, value: f64) -> Result<()> {
    if !(0.0..1.0).contains(&value) {
        return Err(Error::config(
            field,
            format!("must be in [0, 1), got {value}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_reference_run_and_round_trips() {
        let config = RunConfig::default();
        config.validate().unwrap();
        let back = RunConfig::from_json(&config.to_json()).unwrap();
        assert_eq!(back, config, "JSON must round-trip every field");
    }

    #[test]
    fn omitted_keys_take_reference_values() {
        let config = RunConfig::from_json(r#"{"epochs": 5}"#).unwrap();
        assert_eq!(config.epochs, 5);
        assert_eq!(
            config.batch_size, 32,
            "omitted batch_size keeps the reference 32"
        );
        assert_eq!(config.clip_norm, Some(1.0));
        let off = RunConfig::from_json(r#"{"clip_norm": null}"#).unwrap();
        assert_eq!(off.clip_norm, None, "null turns clipping off");
    }

    #[test]
    fn bad_values_are_named_with_the_value() {
        let err = RunConfig::from_json(r#"{"batch_size": 0}"#).unwrap_err();
        assert_eq!(err.to_string(), "batch_size must be at least 1, got 0");
        let err = RunConfig::from_json(r#"{"data": {"val_fraction": 1.5}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "data.val_fraction must be in [0, 1), got 1.5"
        );
        let err = RunConfig::from_json(r#"{"bogus": 1}"#).unwrap_err();
        assert!(
            err.to_string().contains("bogus"),
            "unknown key named: {err}"
        );
    }
}
