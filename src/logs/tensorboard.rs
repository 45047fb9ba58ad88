//! TensorBoard's scalar downloads (the Scalars tab's "show data download links"): one
//! file per tag and run, as CSV (`Wall time,Step,Value`) or JSON (`[[wall_time, step,
//! value], …]`). The file says nothing about which curve it holds, so its name does:
//! TensorBoard names downloads `run-<run>-tag-<tag>`, and the tag (refined by the run,
//! where `add_scalars` puts the `train` / `val` split) is read like a column name
//! ([`super::columns`]). Several files are read together as one run; steps are whatever
//! the run logged against (updates or epochs), so they are kept as steps.

use serde_json::Value;

use super::columns::{normalize, read_name, ColumnMap, Role};
use super::csv_table::Table;
use super::json;
use super::series::{parse_number, step_from, LogFormat, ParsedLog, Position, Quantity, Sample};

/// Whether a CSV header is TensorBoard's.
pub fn is_scalar_header(header: &[String]) -> bool {
    let names: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    names == ["wall_time", "step", "value"]
}

/// Whether a JSON value is TensorBoard's list of `[wall_time, step, value]` triples,
/// judged by its first entry (a damaged later entry gets its own message).
pub fn is_scalar_json(value: &Value) -> bool {
    let first = value.as_array().and_then(|rows| rows.first());
    first
        .and_then(Value::as_array)
        .is_some_and(|cells| cells.len() == 3 && cells[0].is_number())
}

/// Reads one CSV download.
pub fn read_csv(file: &str, text: &str, map: &ColumnMap) -> std::result::Result<ParsedLog, String> {
    let quantity = tag_quantity(file, map)?;
    let table = Table::parse(text)?;
    let mut log = ParsedLog::new(file, LogFormat::TensorBoardCsv);
    for (line, row) in &table.rows {
        let step = parse_number(&row[1])
            .and_then(|s| s.map(step_from).transpose())
            .map_err(|e| format!("line {line}, column \"Step\": {e}"))?
            .ok_or_else(|| format!("line {line} has no step"))?;
        let value = parse_number(&row[2])
            .map_err(|e| format!("line {line}, column \"Value\": {e}"))?
            .ok_or_else(|| format!("line {line} has no value"))?;
        log.samples.push(sample(quantity, step, value));
    }
    log.used
        .push(format!("{} → {} per step", stem(file), quantity.name()));
    Ok(log)
}

/// Reads one JSON download.
pub fn read_json(
    file: &str,
    value: &Value,
    map: &ColumnMap,
) -> std::result::Result<ParsedLog, String> {
    let quantity = tag_quantity(file, map)?;
    let mut log = ParsedLog::new(file, LogFormat::TensorBoardJson);
    for (index, row) in value.as_array().into_iter().flatten().enumerate() {
        let cells = row
            .as_array()
            .filter(|cells| cells.len() == 3)
            .ok_or_else(|| format!("entry {index} is not [wall_time, step, value]"))?;
        let step = json::number(&cells[1])
            .and_then(|s| s.map(step_from).transpose())
            .map_err(|e| format!("entry {index}, step: {e}"))?
            .ok_or_else(|| format!("entry {index} has no step"))?;
        let value = json::number(&cells[2])
            .map_err(|e| format!("entry {index}, value: {e}"))?
            .ok_or_else(|| format!("entry {index} has no value"))?;
        log.samples.push(sample(quantity, step, value));
    }
    log.used
        .push(format!("{} → {} per step", stem(file), quantity.name()));
    Ok(log)
}

fn sample(quantity: Quantity, step: u64, value: f64) -> Sample {
    Sample {
        quantity,
        position: Position::Step { step, epoch: None },
        value,
    }
}

/// The file name without directories and extension.
fn stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// The curve a download holds, from the user's `--column` choice or the file's name.
fn tag_quantity(file: &str, map: &ColumnMap) -> std::result::Result<Quantity, String> {
    let stem = stem(file);
    if let Some(Role::Value(quantity)) = map.role_of(stem).or_else(|| map.role_of(file)) {
        return Ok(quantity);
    }
    let (run, tag) = stem.split_once("-tag-").unwrap_or(("", stem));
    let from_tag = read_name(tag).map(|r| r.role);
    let quantity = match from_tag {
        // `add_scalars("Loss", {"train": …, "val": …})` puts the split in the run.
        Some(Role::Value(Quantity::TrainLoss)) => match read_name(&format!("{run}_{tag}")) {
            Some(reading) if reading.role == Role::Value(Quantity::ValLoss) => {
                Some(Quantity::ValLoss)
            }
            _ => Some(Quantity::TrainLoss),
        },
        Some(Role::Value(quantity)) => Some(quantity),
        _ => match read_name(stem).map(|r| r.role) {
            Some(Role::Value(quantity)) => Some(quantity),
            _ => None,
        },
    };
    quantity.ok_or_else(|| {
        format!(
            "the name \"{stem}\" does not say which curve this TensorBoard download holds: \
             rename it to mention train_loss, val_loss, lr or grad_norm, or choose with \
             --column val_loss={stem}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Download names as TensorBoard writes them for the source material's loop.
    #[test]
    fn tags_from_download_names() {
        let map = ColumnMap::default();
        let cases = [
            ("run-dynamics_Loss_train-tag-Loss.csv", Quantity::TrainLoss),
            ("run-dynamics_Loss_val-tag-Loss.csv", Quantity::ValLoss),
            ("logs/run-dynamics-tag-LR.json", Quantity::LearningRate),
            ("run-dynamics-tag-GradNorm.csv", Quantity::GradNorm),
            ("run-training-tag-loss_validation.csv", Quantity::ValLoss),
        ];
        for (file, expected) in cases {
            assert_eq!(tag_quantity(file, &map), Ok(expected), "{file}");
        }
        assert!(tag_quantity("run-x-tag-accuracy.csv", &map)
            .unwrap_err()
            .contains("--column val_loss=run-x-tag-accuracy"));
        let mut map = ColumnMap::default();
        map.add("val_loss=run-x-tag-accuracy").unwrap();
        assert_eq!(
            tag_quantity("run-x-tag-accuracy.csv", &map),
            Ok(Quantity::ValLoss)
        );
    }
}
