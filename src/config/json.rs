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

/// Serde's message for the value at `path` (as serde_path_to_error writes it: `.` for the
/// whole config, `optimizer.lr`, `model.hidden[1]`), naming the key it is about. An
/// unknown key is about its group, which the message's list of known keys belongs to.
pub(super) fn error_at(path: &str, message: &str) -> Error {
    let message = plain_type_names(message);
    let field = if message.starts_with("unknown field") {
        path.rsplit_once('.').map_or("", |(group, _)| group)
    } else {
        path
    };
    match field {
        "" | "." => Error::ConfigValue(message),
        field => Error::ConfigKey {
            field: field.to_string(),
            problem: message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RunConfig;

    fn field_of(json: &str) -> Option<String> {
        match RunConfig::from_json(json).unwrap_err() {
            Error::ConfigKey { field, .. } => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_wrong_value_names_its_key_for_the_page_to_mark() {
        assert_eq!(
            field_of(r#"{"batch_size": -5}"#).as_deref(),
            Some("batch_size")
        );
        assert_eq!(
            field_of(r#"{"optimizer": {"lr": "x"}}"#).as_deref(),
            Some("optimizer.lr")
        );
        assert_eq!(
            field_of(r#"{"model": {"hidden": [4, -1]}}"#).as_deref(),
            Some("model.hidden[1]")
        );
        // An unknown key belongs to its group; at the top there is none.
        assert_eq!(
            field_of(r#"{"optimizer": {"foo": 1}}"#).as_deref(),
            Some("optimizer")
        );
        assert_eq!(field_of(r#"{"grad_accum_steps": 4}"#), None);
    }
}
