//! Checks on the raw JSON before serde reads it, and serde's messages in JSON words.

use crate::error::{Error, Result};

/// Settings groups that must be JSON objects where given. Serde would otherwise also read
/// a struct from an array of its fields in order, so `[1, 2, 3]` would silently set the
/// seed, the epochs and the batch size.
const OBJECT_KEYS: [&str; 8] = [
    "",
    "data",
    "model",
    "optimizer",
    "landscape",
    "early_stopping",
    "data.train",
    "data.val",
];

pub(super) fn require_objects(value: &serde_json::Value) -> Result<()> {
    for key in OBJECT_KEYS {
        let found = key
            .split('.')
            .filter(|part| !part.is_empty())
            .try_fold(value, |v, part| v.get(part));
        let Some(found) = found else { continue };
        let allowed_null = key == "early_stopping" || key.starts_with("data.");
        if !(found.is_object() || (allowed_null && found.is_null())) {
            let name = if key.is_empty() { "a run config" } else { key };
            let kind = match found {
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return Err(Error::ConfigValue(format!(
                "{name} must be a JSON object {{…}}, got {kind}"
            )));
        }
    }
    Ok(())
}

/// Serde's messages name Rust types ("expected usize"); users know JSON.
pub(super) fn plain_type_names(message: &str) -> String {
    [
        ("expected usize", "expected a whole number ≥ 0"),
        ("expected u64", "expected a whole number ≥ 0"),
        ("expected u32", "expected a whole number ≥ 0"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("struct RunConfig", "a run config object"),
    ]
    .iter()
    .fold(message.to_string(), |text, (rust, plain)| {
        text.replace(rust, plain)
    })
}
