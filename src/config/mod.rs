//! [`RunConfig`]: every setting of a run in one typed value. It round-trips through JSON
//! (the CLI's `--config`, the page's worker protocol and URL state), fills omitted keys
//! with the reference run's values, rejects unknown keys, and [`RunConfig::validate`]
//! names the field and the bad value ("batch_size must be at least 1, got 0").

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod json;
mod validate;

/// Largest integer a JavaScript number holds exactly; seeds above it would not survive a
/// trip through the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Limits that keep one run responsive on a laptop (stated in the README).
pub const MAX_EPOCHS: usize = 100_000;
pub const MAX_PARAMETERS: usize = 2_000_000;
pub const MAX_RESOLUTION: usize = 201;
pub const MIN_RESOLUTION: usize = 3;
/// Largest half width of a map, in units of the directions (1 is the weights' own scale
/// under filter normalization): past it the plane's corners are weights no training
/// reaches, and the map's numbers lose their meaning long before f64 overflows.
pub const MAX_RANGE: f64 = 1000.0;

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
    /// Stop when the validation loss has not improved for `patience` epochs; `None` = off.
    pub early_stopping: Option<EarlyStopping>,
    pub data: DataConfig,
    pub model: ModelConfig,
    /// `None` takes the task's loss: mse, bce or cross_entropy.
    pub loss: Option<LossKind>,
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
            early_stopping: None,
            data: DataConfig::default(),
            model: ModelConfig::default(),
            loss: None,
            optimizer: OptimizerConfig::default(),
            schedule: ScheduleConfig::default(),
            landscape: LandscapeConfig::default(),
        }
    }
}

/// Early stopping on the validation loss (improvement = strictly lower).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EarlyStopping {
    /// Epochs without improvement before stopping.
    pub patience: usize,
    /// Put back the best epoch's weights when the run ends, stopped early or not.
    pub restore_best: bool,
}

impl Default for EarlyStopping {
    fn default() -> Self {
        EarlyStopping {
            patience: 10,
            restore_best: true,
        }
    }
}

/// Where the samples come from and how they are prepared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    pub source: DataSource,
    /// `None`: known for bundled and synthetic sets, regression for csv and inline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// Fraction of the samples held out for validation, in [0, 1).
    pub val_fraction: f64,
    /// z-score features (and a regression target) with the train split's statistics.
    pub standardize: bool,
    /// Synthetic sets: number of samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Synthetic sets: standard deviation of the Gaussian noise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    /// `csv`: the file to read (command line only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `csv`: the target column's name; `None` is the last column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `inline`: the training samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train: Option<InlineData>,
    /// `inline`: the validation samples; given, nothing is split off the train samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub val: Option<InlineData>,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            source: DataSource::Diabetes,
            task: None,
            val_fraction: 0.2,
            standardize: true,
            samples: None,
            noise: None,
            path: None,
            target: None,
            train: None,
            val: None,
        }
    }
}

/// Default sample count of the synthetic sets.
pub const DEFAULT_SYNTHETIC_SAMPLES: usize = 200;
/// Default noise of the synthetic sets.
pub const DEFAULT_SYNTHETIC_NOISE: f64 = 0.1;
/// Most samples a synthetic set may have.
pub const MAX_SYNTHETIC_SAMPLES: usize = 100_000;

/// Samples given in the config itself: `x` is a list of feature rows, `y` one target per
/// row (a class index for classification).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineData {
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
}

/// Where the samples come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// 442 patients, 10 baseline measurements, disease progression after one year.
    Diabetes,
    /// 569 tumours, 30 nucleus measurements, malignant (0) or benign (1).
    BreastCancer,
    /// 1797 8×8 images of handwritten digits, 10 classes.
    Digits,
    /// 150 flowers, 4 measurements, 3 species.
    Iris,
    /// 178 wines, 13 chemical measurements, 3 cultivars.
    Wine,
    /// Two interleaving half circles (binary).
    Moons,
    /// A small circle inside a large one (binary).
    Circles,
    /// Two interleaved spiral arms (binary).
    Spirals,
    /// Quadrant signs of uniform points (binary).
    Xor,
    /// Three Gaussian blobs (3 classes).
    Gaussians,
    /// y = sin(x) + noise on x in [−3, 3] (regression).
    Sine,
    /// A CSV file (`path`, `target`).
    Csv,
    /// Samples written in the config (`train`, optional `val`).
    Inline,
}

impl DataSource {
    /// The task a bundled or synthetic set is made for; `None` for csv and inline.
    pub fn known_task(self) -> Option<Task> {
        use DataSource::*;
        match self {
            Diabetes | Sine => Some(Task::Regression),
            BreastCancer | Moons | Circles | Spirals | Xor => Some(Task::Binary),
            Digits | Iris | Wine | Gaussians => Some(Task::Multiclass),
            Csv | Inline => None,
        }
    }

    /// Whether `samples` and `noise` apply.
    pub fn is_synthetic(self) -> bool {
        use DataSource::*;
        matches!(self, Moons | Circles | Spirals | Xor | Gaussians | Sine)
    }
}

/// What the network predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Real-valued targets.
    Regression,
    /// Targets 0 or 1.
    Binary,
    /// Targets 0..K−1.
    Multiclass,
}

impl Task {
    /// The loss PyTorch users would pick for the task.
    pub fn default_loss(self) -> LossKind {
        match self {
            Task::Regression => LossKind::Mse,
            Task::Binary => LossKind::Bce,
            Task::Multiclass => LossKind::CrossEntropy,
        }
    }
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
    pub init: Init,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            hidden: vec![64],
            activation: Activation::Relu,
            bias: true,
            init: Init::Pytorch,
        }
    }
}

/// Initial weights: `"pytorch"` or `{"constant": c}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// `nn.Linear`'s default: uniform in ±1/√fan_in for weights and biases.
    Pytorch,
    /// Every parameter equal to this value.
    Constant(f64),
}

/// The non-linearity between hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    /// `nn.GELU()`: x·Φ(x) with the exact normal CDF.
    Gelu,
    Linear,
}

/// The training objective, averaged over samples (and outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// Mean squared error (`nn.MSELoss`), regression.
    Mse,
    /// Binary cross-entropy on one logit (`nn.BCEWithLogitsLoss`), binary tasks.
    Bce,
    /// Softmax cross-entropy on K logits (`nn.CrossEntropyLoss`), classification.
    CrossEntropy,
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
        /// Warmup length as a fraction of all updates (floor(N · fraction) updates);
        /// ignored when `warmup_updates` is given.
        #[serde(default = "default_warmup_fraction")]
        warmup_fraction: f64,
        /// Warmup length in updates (overrides `warmup_fraction`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        warmup_updates: Option<usize>,
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
    /// `OneCycleLR` (two phases): from max_lr/div_factor up to max_lr over
    /// `pct_start` of the updates, then down to max_lr/(div_factor·final_div_factor).
    /// Like PyTorch it cycles the momentum (SGD) or beta1 (Adam) inversely between
    /// `max_momentum` and `base_momentum` unless `cycle_momentum` is false.
    OneCycle {
        /// Peak rate; `None` uses `optimizer.lr`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_lr: Option<f64>,
        #[serde(default = "default_pct_start")]
        pct_start: f64,
        #[serde(default = "default_div_factor")]
        div_factor: f64,
        #[serde(default = "default_final_div_factor")]
        final_div_factor: f64,
        #[serde(default)]
        anneal: Anneal,
        #[serde(default = "default_true")]
        cycle_momentum: bool,
        #[serde(default = "default_base_momentum")]
        base_momentum: f64,
        #[serde(default = "default_max_momentum")]
        max_momentum: f64,
    },
}

/// The interpolation of a `one_cycle` phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anneal {
    #[default]
    Cos,
    Linear,
}

fn default_pct_start() -> f64 {
    0.3
}

fn default_div_factor() -> f64 {
    25.0
}

fn default_final_div_factor() -> f64 {
    1e4
}

fn default_true() -> bool {
    true
}

fn default_base_momentum() -> f64 {
    0.85
}

fn default_max_momentum() -> f64 {
    0.95
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
            warmup_updates: None,
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
    /// The split the loss is evaluated on.
    pub data: Split,
    /// Which plane through the weights is sampled.
    pub plane: Plane,
    /// Make the second random direction orthogonal to the first (off in Li et al.).
    pub orthogonalize: bool,
}

/// The plane a 2-D landscape is drawn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plane {
    /// Two seeded random directions, normalized per `normalization`.
    Random,
    /// The top two principal components of the optimizer path (Li et al. §7); the grid
    /// then spans `range` × 1.25 × the path's extent.
    Pca,
    /// The two parameters themselves, for a model with exactly two: no projection at all.
    Parameters,
}

/// A data split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    Val,
}

impl Default for LandscapeConfig {
    fn default() -> Self {
        LandscapeConfig {
            resolution: 51,
            range: 1.0,
            seed: 0,
            normalization: Normalization::Filter,
            include_bias: false,
            data: Split::Train,
            plane: Plane::Random,
            orthogonalize: false,
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
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::ConfigJson(e.to_string()))?;
        json::require_objects(&value)?;
        let config: RunConfig = serde_path_to_error::deserialize(value)
            .map_err(|e| json::error_at(&e.path().to_string(), &e.inner().to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Pretty JSON with every key written out.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The task: given, or known from the source, or regression.
    pub fn task(&self) -> Task {
        self.data
            .task
            .or(self.data.source.known_task())
            .unwrap_or(Task::Regression)
    }

    /// The loss: given, or the task's default.
    pub fn loss_kind(&self) -> LossKind {
        self.loss.unwrap_or(self.task().default_loss())
    }
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
