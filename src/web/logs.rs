//! The page's "diagnose your own log": files dropped, picked or pasted on the page are
//! read here, in the browser, by the same [`crate::logs`] the command line uses, so a
//! log never leaves the computer.
//!
//! `importLogs(files_json, options_json)` takes `[{name, text}, …]` and `{columns?:
//! {role: name}, baseline?}` and returns the imported run as JSON: `files`, `grouping`,
//! `points` and `steps` (rows of `epoch`, `step`, `train_loss`, `val_loss`, `lr`,
//! `grad_norm`; `null` where the log has nothing or a value is not finite),
//! `diagnosis`, `not_judged`, `judged` (one sentence on what the points are) and
//! `position` (`"epoch"` or `"step"`: the points' x axis). Each file carries its
//! `format_name` for people.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::logs::{self, ImportOptions, LogFile};

/// One file as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    name: String,
    text: String,
}

/// The user's choices as the page sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsSpec {
    #[serde(default)]
    columns: BTreeMap<String, String>,
    baseline: Option<f64>,
}

/// Reads the files of one run and diagnoses it; see the module docs for the JSON.
#[wasm_bindgen(js_name = importLogs)]
pub fn import_logs(files_json: &str, options_json: &str) -> Result<String, JsError> {
    let files: Vec<FileSpec> = serde_json::from_str(files_json)
        .map_err(|error| js_error(format!("the files are not valid: {error}")))?;
    let spec: OptionsSpec = if options_json.trim().is_empty() {
        OptionsSpec::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|error| js_error(format!("the import options are not valid: {error}")))?
    };
    let mut options = ImportOptions {
        baseline: spec.baseline,
        ..ImportOptions::default()
    };
    for (role, name) in &spec.columns {
        options
            .columns
            .add(&format!("{role}={name}"))
            .map_err(js_error)?;
    }
    // Through the byte check, so a binary TensorBoard event file gets its message.
    let files = files
        .into_iter()
        .map(|file| LogFile::from_bytes(file.name, file.text.into_bytes()))
        .collect::<crate::error::Result<Vec<_>>>()
        .map_err(js_error)?;
    let diagnosis = logs::import(&files, &options).map_err(js_error)?;
    let mut value = serde_json::to_value(&diagnosis).map_err(js_error)?;
    value["judged"] = Value::String(diagnosis.judged_text());
    value["position"] = Value::String(diagnosis.grouping.position().into());
    if let Some(summaries) = value["files"].as_array_mut() {
        for (summary, file) in summaries.iter_mut().zip(&diagnosis.files) {
            summary["format_name"] = Value::String(file.format.name().into());
        }
    }
    Ok(value.to_string())
}
