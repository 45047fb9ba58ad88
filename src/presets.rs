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
        json: r#"{"epochs": 300, "batch_size": 8, "accumulation_steps": 1, "clip_norm": null,
            "data": {"source": "sine", "samples": 40, "noise": 0.5, "val_fraction": 0.5},
            "model": {"hidden": [64, 64]},
            "optimizer": {"name": "adam", "lr": 0.01},
            "schedule": {"name": "constant"}}"#,
    },
    Preset {
        name: "early_stopping",
        title: "Early stopping",
        explanation: "The same overfitting sine run with early stopping (patience 10): \
            training stops ten epochs after the best validation loss and the best epoch's \
            weights are put back.",
        expected_diagnosis: "overfitting_past_optimum",
        json: r#"{"epochs": 300, "batch_size": 8, "accumulation_steps": 1, "clip_norm": null,
            "early_stopping": {"patience": 10, "restore_best": true},
            "data": {"source": "sine", "samples": 40, "noise": 0.5, "val_fraction": 0.5},
            "model": {"hidden": [64, 64]},
            "optimizer": {"name": "adam", "lr": 0.01},
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
        explanation: "Adam at 0.1 on the diabetes data without clipping or warmup. The loss \
            jumps up and down from epoch to epoch instead of settling: each step overshoots \
            the valley. Lower the learning rate or add warmup.",
        expected_diagnosis: "lr_too_high",
        json: r#"{"accumulation_steps": 1, "clip_norm": null,
            "optimizer": {"name": "adam", "lr": 0.1},
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
