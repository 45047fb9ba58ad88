//! Which reader a file needs, told from its content (and, for TensorBoard downloads, the
//! file name for the tag): JSON objects and lists go to the Hugging Face, TensorBoard,
//! Keras or lab-summary reader by their shape; a first line of column names is a CSV
//! header (TensorBoard's when it is `Wall time,Step,Value`); anything else is read as
//! printed text. A file no reader recognises gets a message listing what is expected.

use serde_json::Value;

use super::columns::ColumnMap;
use super::series::{LogFormat, ParsedLog};
use super::text::{self, TextError};
use super::{csv_table, huggingface, json, keras, tensorboard, LogFile};
use crate::error::{Error, Result};

/// Largest log accepted (the page and the CLI alike).
pub const MAX_LOG_BYTES: usize = 64 * 1024 * 1024;

/// What the readers accept, for messages about files they do not recognise.
pub const EXPECTED: &str = "expected a CSV with a header naming an epoch or step column \
    and loss columns (train_loss, val_loss; lr and grad_norm optional), a TensorBoard \
    scalar download (CSV or JSON), a Hugging Face trainer_state.json, a Keras history \
    saved as JSON, or printed lines like \"Epoch 10: train=0.4123 val=0.5012 lr=1.00e-03\"";

/// Reads one file with the reader its content calls for.
pub fn read(file: &LogFile, map: &ColumnMap) -> Result<ParsedLog> {
    let fail = |message: String| Error::Log {
        file: file.name.clone(),
        message,
    };
    if file.text.len() > MAX_LOG_BYTES {
        return Err(fail(format!(
            "the file is {:.1} MB; the limit is {} MB",
            file.text.len() as f64 / (1024.0 * 1024.0),
            MAX_LOG_BYTES / (1024 * 1024)
        )));
    }
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(fail("the file is empty".into()));
    }

    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match json::parse(text) {
            Ok(value) => return read_json(&file.name, &value, map).map_err(fail),
            // `[step 10] loss=…` is text that happens to start like a JSON list.
            Err(json_error) if trimmed.starts_with('[') => {
                return text::read(&file.name, text).map_err(|_| fail(json_error));
            }
            Err(json_error) => return Err(fail(json_error)),
        }
    }

    let first_line = trimmed.lines().next().unwrap_or_default();
    if let Some(header) = header_names(first_line) {
        let result = if tensorboard::is_scalar_header(&header) {
            tensorboard::read_csv(&file.name, trimmed, map)
        } else {
            csv_table::read(&file.name, trimmed, map)
        };
        return result.map_err(fail);
    }
    text::read(&file.name, text).map_err(|error| match error {
        TextError::NothingRecognised(e) => fail(format!(
            "not a training log this reader knows ({e}); {EXPECTED}"
        )),
        TextError::Damaged(e) => fail(e),
    })
}

/// Dispatches parsed JSON by its shape.
fn read_json(file: &str, value: &Value, map: &ColumnMap) -> std::result::Result<ParsedLog, String> {
    if huggingface::is_trainer_state(value) {
        huggingface::read(file, value)
    } else if let Some(baseline) = lab_baseline(value) {
        let mut log = ParsedLog::new(file, LogFormat::LabSummary);
        log.baseline = Some(baseline);
        log.used.push(format!(
            "baseline_loss {baseline:.4} → the diagnosis's scale"
        ));
        Ok(log)
    } else if tensorboard::is_scalar_json(value) {
        tensorboard::read_json(file, value, map)
    } else if keras::is_history(value) {
        keras::read(file, value, map)
    } else {
        Err(format!(
            "JSON that is not a training log this reader knows: {EXPECTED}"
        ))
    }
}

/// The baseline loss of the lab's summary.json.
fn lab_baseline(value: &Value) -> Option<f64> {
    value.get("diagnosis")?;
    value
        .get("baseline_loss")?
        .as_f64()
        .filter(|b| b.is_finite() && *b > 0.0)
}

/// The names of a CSV header line: at least two cells, each a name (starting with a
/// letter, `_` or a quote; no `=`, and no word that is a number). `None` for anything
/// else, such as a printed `Epoch 1, loss 0.5`.
fn header_names(line: &str) -> Option<Vec<String>> {
    let delimiter = [',', '\t', ';'].into_iter().find(|d| line.contains(*d))?;
    let names: Vec<String> = line
        .split(delimiter)
        .map(|cell| cell.trim().trim_matches('"').trim().to_string())
        .collect();
    let is_name = |cell: &String| {
        cell.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && !cell.contains('=')
            && !cell
                .split_whitespace()
                .any(|word| word.parse::<f64>().is_ok())
    };
    (names.len() >= 2 && names.iter().all(is_name)).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_printed_lines_are_told_apart() {
        assert!(header_names("epoch,train_loss,val_loss").is_some());
        assert!(header_names("Wall time,Step,Value").is_some());
        assert!(header_names("epoch\tloss").is_some());
        assert!(header_names("Epoch 1, loss 0.5").is_none());
        assert!(header_names("Epoch 0: train=0.5, val=0.6").is_none());
        assert!(header_names("1,0.5,0.6").is_none());
    }
}
