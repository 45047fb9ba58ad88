//! Keras's `History.history` saved as JSON (`json.dump(history.history, f)`): one list
//! per metric, entry i for epoch i + 1, e.g. `{"loss": [...], "val_loss": [...],
//! "learning_rate": [...]}`. An object that wraps it under `"history"` is read too.
//! Metric names are read like column names ([`super::columns`]); `null` is a gap.

use serde_json::{Map, Value};

use super::columns::{self, ColumnMap, Role};
use super::json;
use super::series::{LogFormat, ParsedLog, Position, Quantity, Sample};

/// The metrics object: the value itself or its `"history"` member.
fn metrics(value: &Value) -> Option<&Map<String, Value>> {
    let object = value.as_object()?;
    match object.get("history") {
        Some(Value::Object(inner)) => Some(inner),
        _ => Some(object),
    }
}

/// Whether a JSON value looks like a Keras history: an object of lists, one of them a
/// loss.
pub fn is_history(value: &Value) -> bool {
    metrics(value).is_some_and(|object| {
        object.values().any(Value::is_array)
            && object.iter().any(|(key, value)| {
                value.is_array()
                    && matches!(
                        columns::read_name(key).map(|r| r.role),
                        Some(Role::Value(Quantity::TrainLoss | Quantity::ValLoss))
                    )
            })
    })
}

/// Reads a Keras history.
pub fn read(file: &str, value: &Value, map: &ColumnMap) -> std::result::Result<ParsedLog, String> {
    let object = metrics(value).ok_or("a Keras history must be a JSON object")?;
    let names: Vec<String> = object
        .iter()
        .filter(|(_, v)| v.is_array())
        .map(|(k, _)| k.clone())
        .collect();
    let choice = columns::choose(&names, map)?;
    let mut log = ParsedLog::new(file, LogFormat::Keras);
    let mut lengths = Vec::new();
    for column in &choice.values {
        let name = &names[column.index];
        let list = object[name]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        lengths.push(list.len());
        for (index, entry) in list.iter().enumerate() {
            let Some(value) =
                json::number(entry).map_err(|e| format!("\"{name}\"[{index}]: {e}"))?
            else {
                continue;
            };
            log.samples.push(Sample {
                quantity: column.quantity,
                position: Position::Epoch(index + 1),
                value,
            });
        }
        log.used
            .push(format!("{name} → {} per epoch", column.quantity.name()));
    }
    if log.samples.is_empty() {
        return Err("the history's loss lists are empty".into());
    }
    lengths.dedup();
    if lengths.len() > 1 {
        log.notes
            .push("the lists have different lengths; list entry i is epoch i + 1".into());
    }
    if !choice.ignored.is_empty() {
        log.notes
            .push(format!("not used: {}", choice.ignored.join(", ")));
    }
    let not_lists: Vec<&str> = object
        .iter()
        .filter(|(_, v)| !v.is_array())
        .map(|(k, _)| k.as_str())
        .collect();
    if !not_lists.is_empty() {
        log.notes
            .push(format!("not lists, not used: {}", not_lists.join(", ")));
    }
    Ok(log)
}
