//! The page's settings, lessons and downloads that need no running engine: checking a
//! config with the engine's own messages, the batch calculator, the schedule preview,
//! the presets, and the PyTorch script with its data. Each export is a thin wrapper over
//! library code ([`crate::plan`], [`crate::presets`], [`crate::export`]) that speaks JSON.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::config::RunConfig;
use crate::error::Error;
use crate::export::{pytorch, tables};
use crate::plan::{self, BatchCounts, RunPlan};
use crate::presets::PRESETS;

/// Checks settings as the engine will when a run starts. Returns JSON:
/// `{"valid": true, "config": {every key}, "plan": {counts}}`, or
/// `{"valid": false, "field": "batch_size" or null, "message": "batch_size must be at
/// least 1, got 0"}`. Never throws: any problem is the message.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(config_json: &str) -> String {
    match plan::check(config_json) {
        Ok((config, plan)) => json!({"valid": true, "config": config, "plan": plan}),
        Err(error) => {
            let field = match &error {
                Error::Config { field, .. } | Error::ConfigKey { field, .. } => {
                    Value::from(field.as_str())
                }
                _ => Value::Null,
            };
            json!({"valid": false, "field": field, "message": error.to_string()})
        }
    }
    .to_string()
}

/// A count from the page as a `usize`: a whole number from `min` to 2^32 − 1, with the
/// engine's own words for one below `min` ("must be at least 1, got -5").
fn count(name: &str, value: f64, min: usize) -> Result<usize, Error> {
    if value.fract() != 0.0 || value > u32::MAX as f64 || value.is_nan() {
        return Err(Error::config(
            name,
            format!(
                "must be a whole number from {min} to {}, got {value}",
                u32::MAX
            ),
        ));
    }
    if value < min as f64 {
        return Err(Error::config(
            name,
            format!("must be at least {min}, got {value}"),
        ));
    }
    Ok(value as usize)
}

/// The batch calculator: how `samples` training samples divide with the given batching,
/// without and with `drop_last`, as JSON `{"kept": counts, "dropped": counts}` where
/// counts is `{micro_batches_per_epoch, updates_per_epoch, total_updates,
/// effective_batch_size, samples_per_epoch, dropped_samples, last_micro_batch}` or
/// `{"error": message}`.
#[wasm_bindgen(js_name = batchCounts)]
pub fn batch_counts(samples: f64, batch_size: f64, accumulation_steps: f64, epochs: f64) -> String {
    let counts = |drop_last: bool| -> Value {
        let result = count("samples", samples, 0).and_then(|n| {
            BatchCounts::new(
                n,
                count("batch_size", batch_size, 1)?,
                count("accumulation_steps", accumulation_steps, 1)?,
                drop_last,
                count("epochs", epochs, 0)?,
            )
        });
        match result {
            Ok(counts) => json!(counts),
            Err(error) => json!({"error": error.to_string()}),
        }
    };
    json!({"kept": counts(false), "dropped": counts(true)}).to_string()
}

/// The learning rate the run would use, at most `max_points` updates evenly spaced over
/// all of them: JSON `{"updates": [k…], "lr": […], "total_updates", "warmup_updates"}`.
#[wasm_bindgen(js_name = scheduleCurve)]
pub fn schedule_curve(config_json: &str, max_points: usize) -> Result<String, JsError> {
    let config = RunConfig::from_json(config_json).map_err(js_error)?;
    let run_plan = RunPlan::new(&config).map_err(js_error)?;
    let points = plan::sample_curve(&run_plan.schedule(&config), max_points);
    let (updates, lr): (Vec<usize>, Vec<f64>) = points.into_iter().unzip();
    Ok(json!({
        "updates": updates,
        "lr": lr,
        "total_updates": run_plan.total_updates,
        "warmup_updates": run_plan.warmup_updates,
    })
    .to_string())
}

/// Every preset as a JSON array of `{name, title, explanation, expected_diagnosis,
/// config}` with the full config, reference first.
#[wasm_bindgen(js_name = presetsJson)]
pub fn presets_json() -> Result<String, JsError> {
    let mut list = Vec::with_capacity(PRESETS.len());
    for preset in PRESETS {
        let config = preset.config().map_err(js_error)?;
        list.push(json!({
            "name": preset.name,
            "title": preset.title,
            "explanation": preset.explanation,
            "expected_diagnosis": preset.expected_diagnosis,
            "config": config,
        }));
    }
    Ok(Value::from(list).to_string())
}

/// The run as a PyTorch script reading its samples from [`data_file_name`].
#[wasm_bindgen(js_name = pytorchScript)]
pub fn pytorch_script(config_json: &str) -> Result<String, JsError> {
    let config = RunConfig::from_json(config_json).map_err(js_error)?;
    Ok(pytorch::script(&config, &tables::data_file_name(&config)))
}

/// The name of the CSV the PyTorch script reads ("diabetes.csv", "data.csv").
#[wasm_bindgen(js_name = dataFileName)]
pub fn data_file_name(config_json: &str) -> Result<String, JsError> {
    let config = RunConfig::from_json(config_json).map_err(js_error)?;
    Ok(tables::data_file_name(&config))
}

/// The run's raw samples as CSV (header, features, target), the script's data file.
#[wasm_bindgen(js_name = samplesCsv)]
pub fn samples_csv(config_json: &str) -> Result<String, JsError> {
    let config = RunConfig::from_json(config_json).map_err(js_error)?;
    tables::samples_csv(&config).map_err(js_error)
}
