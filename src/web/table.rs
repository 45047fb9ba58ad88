//! The page's "your own data": a CSV chosen on the page is read here, in the browser, by
//! the same [`crate::data::csv::parse`] the command line uses, and turned into a run
//! config with the samples written inline (`data.source: "inline"`). The file never
//! leaves the computer.
//!
//! `readCsv(text, options_json)` takes `{target?, task?, val_fraction?}` (`target` a
//! column name, by default the last column; `task` "regression", "binary" or
//! "multiclass", by default the detected one) and returns JSON: `columns` (the
//! header), `target`, `rows`, `detected_task`, `task` and `data` (the config's `data`
//! object).

use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::config::Task;
use crate::data::csv;

/// Most distinct whole-number targets still read as classes.
pub const MAX_DETECTED_CLASSES: usize = 20;

/// The user's choices as the page sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvOptions {
    target: Option<String>,
    task: Option<Task>,
    val_fraction: Option<f64>,
}

/// The task the targets suggest: classification when they are few whole numbers from 0
/// (binary for 0 and 1 only), regression otherwise.
pub fn detect_task(targets: &[f32]) -> Task {
    let mut classes: Vec<f32> = Vec::new();
    for &value in targets {
        if !(value >= 0.0 && value.fract() == 0.0) {
            return Task::Regression;
        }
        if !classes.contains(&value) {
            classes.push(value);
            if classes.len() > MAX_DETECTED_CLASSES {
                return Task::Regression;
            }
        }
    }
    if classes.len() < 2 {
        Task::Regression
    } else if classes.iter().all(|&c| c <= 1.0) {
        Task::Binary
    } else {
        Task::Multiclass
    }
}

/// Reads a CSV and builds the inline data of a run; see the module docs for the JSON.
#[wasm_bindgen(js_name = readCsv)]
pub fn read_csv(text: &str, options_json: &str) -> Result<String, JsError> {
    let options: CsvOptions = if options_json.trim().is_empty() {
        CsvOptions::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|error| js_error(format!("the CSV options are not valid: {error}")))?
    };
    let dataset = csv::parse(text, options.target.as_deref()).map_err(js_error)?;

    let detected = detect_task(&dataset.targets);
    let task = options.task.unwrap_or(detected);
    let x: Vec<Vec<f64>> = dataset
        .features
        .chunks(dataset.n_features.max(1))
        .map(|row| row.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let y: Vec<f64> = dataset.targets.iter().map(|&v| f64::from(v)).collect();

    let target = dataset.target_names[0].clone();
    let mut columns = dataset.feature_names.clone();
    columns.push(target.clone());
    let mut data = json!({
        "source": "inline",
        "task": task,
        "train": {"x": x, "y": y},
    });
    if let Some(fraction) = options.val_fraction {
        data["val_fraction"] = json!(fraction);
    }
    Ok(json!({
        "columns": columns,
        "target": target,
        "rows": dataset.len(),
        "detected_task": detected,
        "task": task,
        "data": data,
    })
    .to_string())
}
