//! Hugging Face Trainer's `trainer_state.json`: `log_history` is a list of entries, each
//! with the optimizer `step`, the fractional `epoch` (completed epochs: 0.5 halfway
//! through the first) and what was logged then: `loss` (the train loss averaged since
//! the previous log), `learning_rate`, `grad_norm`, or `eval_loss` from an evaluation.
//! The final entry, which carries `train_runtime`, reports an average over the whole run
//! and is skipped. Other keys (accuracies, runtimes) are listed as not used.

use std::collections::BTreeSet;

use serde_json::Value;

use super::json;
use super::series::{
    epoch_from_fraction, step_from, LogFormat, ParsedLog, Position, Quantity, Sample,
};

/// The keys read, and the curve each holds.
const KEYS: [(&str, Quantity); 4] = [
    ("loss", Quantity::TrainLoss),
    ("eval_loss", Quantity::ValLoss),
    ("learning_rate", Quantity::LearningRate),
    ("grad_norm", Quantity::GradNorm),
];

/// Keys that place an entry rather than hold a curve.
const POSITION_KEYS: [&str; 2] = ["step", "epoch"];

/// Whether a JSON value is a trainer state.
pub fn is_trainer_state(value: &Value) -> bool {
    value.get("log_history").is_some()
}

/// Reads a trainer state.
pub fn read(file: &str, state: &Value) -> std::result::Result<ParsedLog, String> {
    let history = state
        .get("log_history")
        .and_then(Value::as_array)
        .ok_or("log_history is not a list")?;
    if history.is_empty() {
        return Err("log_history is empty: the trainer logged nothing yet".into());
    }
    let mut log = ParsedLog::new(file, LogFormat::HuggingFace);
    let mut found = BTreeSet::new();
    let mut unused = BTreeSet::new();
    for (index, entry) in history.iter().enumerate() {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("log_history[{index}] is not an object"))?;
        if entry.contains_key("train_runtime") {
            continue;
        }
        let at = |key: &str| format!("log_history[{index}].{key}");
        let step = json::number(entry.get("step").unwrap_or(&Value::Null))
            .and_then(|s| s.map(step_from).transpose())
            .map_err(|e| format!("{}: {e}", at("step")))?
            .ok_or_else(|| format!("log_history[{index}] has no step"))?;
        let epoch = json::number(entry.get("epoch").unwrap_or(&Value::Null))
            .and_then(|e| e.map(epoch_from_fraction).transpose())
            .map_err(|e| format!("{}: {e}", at("epoch")))?;
        for (key, value) in entry {
            let Some((_, quantity)) = KEYS.iter().find(|(k, _)| k == key) else {
                if !POSITION_KEYS.contains(&key.as_str()) {
                    unused.insert(key.clone());
                }
                continue;
            };
            let Some(value) = json::number(value).map_err(|e| format!("{}: {e}", at(key)))? else {
                continue;
            };
            found.insert(key.as_str());
            log.samples.push(Sample {
                quantity: *quantity,
                position: Position::Step { step, epoch },
                value,
            });
        }
    }
    if !log
        .samples
        .iter()
        .any(|s| matches!(s.quantity, Quantity::TrainLoss | Quantity::ValLoss))
    {
        return Err("log_history has no \"loss\" or \"eval_loss\" entries".into());
    }
    for (key, quantity) in KEYS {
        if found.contains(&key) {
            log.used
                .push(format!("{key} → {} per step", quantity.name()));
        }
    }
    if !unused.is_empty() {
        let names: Vec<String> = unused.into_iter().collect();
        log.notes.push(format!("not used: {}", names.join(", ")));
    }
    Ok(log)
}
