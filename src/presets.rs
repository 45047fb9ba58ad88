//! Named runs, one per lesson of the source material: the reference loop and one per row
//! of its diagnosis table. Each preset is a partial [`RunConfig`] in JSON (omitted keys
//! take the reference values) and a short explanation for the page; tests run every one
//! natively and check it produces the diagnosis it is named for.

use crate::config::RunConfig;
use crate::error::{Error, Result};

/// A named configuration with what it shows.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable identifier (CLI argument, URL value).
    pub name: &'static str,
    pub title: &'static str,
    /// One paragraph for the page.
    pub explanation: &'static str,
    /// The diagnosis code the run ends with.
    pub expected_diagnosis: &'static str,
    json: &'static str,
}

impl Preset {
    /// The full configuration.
    pub fn config(&self) -> Result<RunConfig> {
        RunConfig::from_json(self.json)
    }
}

/// Every preset, reference first.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "reference",
        title: "The reference loop (normal training)",
        explanation: "The source material's loop on the diabetes data: batch 32 with 4 \
            accumulation steps (effective batch 128), AdamW at 1e-3 with 10 % linear warmup \
            and cosine decay, gradients clipped at norm 1. Both losses fall and the \
            validation loss stays close to the training loss: normal training.",
        expected_diagnosis: "normal",
        json: "{}",
    },
    Preset {
        name: "overfitting_begins",
        title: "Overfitting begins",
        explanation: "Handwritten digits with a 64-unit hidden layer and no schedule. After \
            about 20 epochs the validation loss stops improving while the training loss \
            keeps falling toward zero: the network starts memorizing the training images.",
        expected_diagnosis: "overfitting_begins",
        json: r#"{"epochs": 40, "accumulation_steps": 1,
            "data": {"source": "digits"},
            "optimizer": {"name": "adamw", "lr": 0.001},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "overfitting_past_optimum",
        title: "Overfitting past the optimum",
        explanation: "Forty noisy samples of a sine wave, half held out, and a network with \
            two 64-unit layers. The validation loss reaches its minimum early and then \
            rises while the training loss keeps falling: the model is fitting the noise. \
            Early stopping would keep the weights of the best epoch.",
        expected_diagnosis: "overfitting_past_optimum",
        json: r#"{"epochs": 400, "batch_size": 8, "accumulation_steps": 1, "clip_norm": null,
            "data": {"source": "sine", "samples": 40, "noise": 0.5, "val_fraction": 0.5},
            "model": {"hidden": [64, 64]},
            "optimizer": {"name": "adam", "lr": 0.005},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "early_stopping",
        title: "Early stopping",
        explanation: "The same overfitting sine run with early stopping (patience 10): \
            training stops ten epochs after the best validation loss and the best epoch's \
            weights are put back.",
        expected_diagnosis: "overfitting_past_optimum",
        json: r#"{"epochs": 400, "batch_size": 8, "accumulation_steps": 1, "clip_norm": null,
            "early_stopping": {"patience": 10, "restore_best": true},
            "data": {"source": "sine", "samples": 40, "noise": 0.5, "val_fraction": 0.5},
            "model": {"hidden": [64, 64]},
            "optimizer": {"name": "adam", "lr": 0.005},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "underfitting_low_lr",
        title: "Underfitting: learning rate too low",
        explanation: "The reference run with a learning rate of 1e-6 and no schedule. \
            Neither loss moves in 100 epochs: the steps are too small to learn anything. \
            Raise the learning rate.",
        expected_diagnosis: "underfitting",
        json: r#"{"optimizer": {"lr": 1e-6}, "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "lr_too_high",
        title: "Learning rate too high",
        explanation: "Plain SGD at 0.15 on the diabetes data without clipping or warmup. The \
            loss jumps up and down from epoch to epoch instead of settling: each step \
            overshoots the bottom of the valley. Lower the learning rate, or let it decay: \
            warmup with cosine decay ends without oscillating, warmup alone does not.",
        expected_diagnosis: "lr_too_high",
        json: r#"{"accumulation_steps": 1, "clip_norm": null,
            "optimizer": {"name": "sgd", "lr": 0.15},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "diverged",
        title: "Divergence to NaN",
        explanation: "SGD at 0.5 with momentum 0.9 and no clipping. Within a few updates the \
            weights blow up and the loss becomes infinite; training stops and keeps the last \
            finite weights. Clip the gradients or lower the learning rate.",
        expected_diagnosis: "diverged",
        json: r#"{"clip_norm": null,
            "optimizer": {"name": "sgd", "lr": 0.5, "momentum": 0.9},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "accumulation_equals_big_batch",
        title: "Gradient accumulation equals a big batch",
        explanation: "Micro-batches of 8 samples with 4 accumulation steps: every optimizer \
            update averages the gradients of 32 samples, so this run takes the same 12 \
            updates per epoch for 30 epochs and reaches the same losses (up to rounding) as \
            batch 32 without accumulation. Accumulation saves memory, not work, and changes nothing \
            the network learns. Try batch size 32 with 1 accumulation step in the settings \
            and compare.",
        expected_diagnosis: "normal",
        json: r#"{"epochs": 30, "batch_size": 8, "accumulation_steps": 4}"#,
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Result<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name).ok_or_else(|| {
        let known: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
        Error::config(
            "preset",
            format!("\"{name}\" is unknown; known: {}", known.join(", ")),
        )
    })
}

/// Two runs from the same start, compared side by side (see [`crate::compare`]).
#[derive(Clone, Copy, Debug)]
pub struct ComparisonPreset {
    pub name: &'static str,
    pub title: &'static str,
    pub labels: [&'static str; 2],
    /// One paragraph for the page, including what the five-seed evidence shows.
    pub explanation: &'static str,
    a: &'static str,
    b: &'static str,
}

impl ComparisonPreset {
    /// The two configurations.
    pub fn configs(&self) -> Result<[RunConfig; 2]> {
        Ok([RunConfig::from_json(self.a)?, RunConfig::from_json(self.b)?])
    }
}

/// Small against large batches on breast-cancer data, SGD at 0.05, no schedule.
const SMALL_BATCH: &str = r#"{"epochs": 60, "batch_size": 8, "accumulation_steps": 1,
    "clip_norm": null, "data": {"source": "breast_cancer"},
    "optimizer": {"name": "sgd", "lr": 0.05}, "schedule": {"name": "constant"}}"#;

/// Every comparison preset, the flat-versus-sharp lesson first.
pub const COMPARISONS: &[ComparisonPreset] = &[
    ComparisonPreset {
        name: "flat_vs_sharp",
        title: "Small batch vs large batch, same epochs",
        labels: ["batch 8", "batch 456 (full)"],
        explanation: "Both runs start from the same weights on the breast-cancer data and \
            train for 60 epochs with SGD; one takes batches of 8 (3,420 updates), the other \
            the whole training set of 456 at once (60 updates). Over five seeds the small-batch \
            minimum is flatter (lower top Hessian eigenvalue, trace and ε-sharpness) and \
            generalizes better, as Keskar et al. report. But look at the update counts and \
            train losses: the large-batch run has simply trained less.",
        a: SMALL_BATCH,
        b: r#"{"epochs": 60, "batch_size": 456, "accumulation_steps": 1,
            "clip_norm": null, "data": {"source": "breast_cancer"},
            "optimizer": {"name": "sgd", "lr": 0.05}, "schedule": {"name": "constant"}}"#,
    },
    ComparisonPreset {
        name: "flat_vs_sharp_trained_longer",
        title: "Small batch vs large batch, both trained to a low loss",
        labels: ["batch 8, 60 epochs", "batch 456, 3000 epochs"],
        explanation: "The same pair, but the full-batch run gets 3,000 epochs so both reach \
            the same training loss. Now λmax, the trace and ε-sharpness no longer tell the \
            two minima apart, and neither do the validation losses: on a model this small, \
            the 'sharp minimum' of the large batch at equal epochs was under-training, not a \
            different kind of minimum. Keskar et al.'s effect needs larger networks and \
            data than a classroom page trains in seconds.",
        a: SMALL_BATCH,
        b: r#"{"epochs": 3000, "batch_size": 456, "accumulation_steps": 1,
            "clip_norm": null, "data": {"source": "breast_cancer"},
            "optimizer": {"name": "sgd", "lr": 0.05}, "schedule": {"name": "constant"}}"#,
    },
    ComparisonPreset {
        name: "sgd_vs_adam",
        title: "SGD vs Adam",
        labels: ["SGD 0.05", "Adam 1e-3"],
        explanation: "SGD and Adam from the same start, batch 32, 60 epochs on the \
            breast-cancer data. Adam reaches a slightly lower training loss; its minimum \
            is a little sharper by λmax and ε-sharpness on every seed, but the validation \
            losses differ by less than their spread.",
        a: r#"{"epochs": 60, "batch_size": 32, "accumulation_steps": 1,
            "clip_norm": null, "data": {"source": "breast_cancer"},
            "optimizer": {"name": "sgd", "lr": 0.05}, "schedule": {"name": "constant"}}"#,
        b: r#"{"epochs": 60, "batch_size": 32, "accumulation_steps": 1,
            "clip_norm": null, "data": {"source": "breast_cancer"},
            "optimizer": {"name": "adam", "lr": 0.001}, "schedule": {"name": "constant"}}"#,
    },
    ComparisonPreset {
        name: "warmup_vs_no_warmup",
        title: "Warmup vs no warmup",
        labels: ["10 % warmup", "no warmup"],
        explanation: "The reference loop on diabetes at a high learning rate (Adam 0.1), with \
            and without the linear warmup before the cosine decay. Watch the gradient norms \
            over the first 120 updates (the warmup): without warmup the full rate hits the \
            untrained network at once and the gradient norm peaks 1.6 to 2.7 times as high \
            (seeds 0 to 3). \
            Warmup protects the start of training; the cosine decay that follows brings \
            both runs to rest.",
        a: r#"{"accumulation_steps": 1, "clip_norm": null,
            "optimizer": {"name": "adam", "lr": 0.1}}"#,
        b: r#"{"accumulation_steps": 1, "clip_norm": null,
            "optimizer": {"name": "adam", "lr": 0.1},
            "schedule": {"name": "warmup_cosine", "warmup_fraction": 0}}"#,
    },
];

/// The comparison preset called `name`.
pub fn find_comparison(name: &str) -> Result<&'static ComparisonPreset> {
    COMPARISONS.iter().find(|p| p.name == name).ok_or_else(|| {
        let known: Vec<&str> = COMPARISONS.iter().map(|p| p.name).collect();
        Error::config(
            "comparison",
            format!("\"{name}\" is unknown; known: {}", known.join(", ")),
        )
    })
}
