//! CSV logs with a header: an epoch column, a step column or both, and one column per
//! curve (named as [`super::columns`] reads names). This covers hand-written loggers,
//! Keras's `CSVLogger`, the lab's own `epochs.csv` and `updates.csv`, and PyTorch
//! Lightning's `metrics.csv`, whose rows each fill only the columns logged at that moment
//! (an empty cell is a gap, not an error).
//!
//! Levels: with a step column every value is at its row's step (and epoch, when there is
//! an epoch column), unless its name ends in `_epoch` or the row has no step; with only an epoch column every
//! value is at its epoch; with neither, row n is epoch n. Whole epochs counted from 0
//! (Keras, Lightning) are renumbered from 1; fractional epochs (Hugging Face's count of
//! completed epochs) fall in the epoch they are part of.

use super::columns::{self, ColumnMap, Level, ValueColumn};
use super::series::{
    epoch_from_fraction, parse_number, renumber_zero_based, step_from, whole_epoch_from, LogFormat,
    ParsedLog, Position, Quantity, Sample, RENUMBERED_NOTE,
};

/// A parsed CSV: the header and each row with its 1-based line number.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Splits `text` (BOM already removed) on the header's delimiter: a comma, else a tab,
    /// else a semicolon. Rows must have as many cells as the header.
    pub fn parse(text: &str) -> std::result::Result<Table, String> {
        let first_line = text.lines().next().unwrap_or_default();
        let delimiter = if first_line.contains(',') {
            b','
        } else if first_line.contains('\t') {
            b'\t'
        } else {
            b';'
        };
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .delimiter(delimiter)
            .trim(::csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| format!("cannot read the header: {e}"))?
            .iter()
            .map(str::to_owned)
            .collect();
        if let Some(index) = header.iter().position(String::is_empty) {
            return Err(format!("column {} of the header has no name", index + 1));
        }
        for (index, name) in header.iter().enumerate() {
            if header[..index].contains(name) {
                return Err(format!("column \"{name}\" appears twice in the header"));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() == 1 && record[0].is_empty() {
                continue;
            }
            if record.len() != header.len() {
                return Err(format!(
                    "line {line} has {} cells; the header has {}",
                    record.len(),
                    header.len()
                ));
            }
            rows.push((line, record.iter().map(str::to_owned).collect()));
        }
        if rows.is_empty() {
            return Err("the header is not followed by any rows".into());
        }
        Ok(Table { header, rows })
    }
}

/// Reads a CSV log.
pub fn read(file: &str, text: &str, map: &ColumnMap) -> std::result::Result<ParsedLog, String> {
    let table = Table::parse(text)?;
    let choice = columns::choose(&table.header, map)?;
    let losses = choice
        .values
        .iter()
        .any(|v| matches!(v.quantity, Quantity::TrainLoss | Quantity::ValLoss));
    if !losses {
        return Err(format!(
            "the header ({}) names no loss column: call one train_loss or val_loss, or \
             choose one with --column train_loss=NAME",
            table.header.join(", ")
        ));
    }

    // Fractional epochs anywhere mean the column counts completed epochs.
    let cell = |row: &[String], index: Option<usize>| index.map(|i| row[i].clone());
    let column_name = |index: Option<usize>| index.map_or("", |i| table.header[i].as_str());
    let epoch_error = |line: u64, problem: &str| {
        format!(
            "line {line}, column \"{}\": {problem}",
            column_name(choice.epoch)
        )
    };
    let mut fractional = false;
    for (line, row) in &table.rows {
        if let Some(text) = cell(row, choice.epoch) {
            let epoch = parse_number(&text).map_err(|e| epoch_error(*line, &e))?;
            fractional |= epoch.is_some_and(|e| e.fract() != 0.0);
        }
    }

    let mut log = ParsedLog::new(file, LogFormat::Csv);
    let mut gaps = false;
    for (row_number, (line, row)) in table.rows.iter().enumerate() {
        let epoch = match cell(row, choice.epoch) {
            Some(text) => match parse_number(&text).map_err(|e| epoch_error(*line, &e))? {
                Some(value) if fractional => Some(epoch_from_fraction(value)),
                Some(value) => Some(whole_epoch_from(value)),
                None => None,
            }
            .transpose()
            .map_err(|e| epoch_error(*line, &e))?,
            // Without epoch and step columns, row n is epoch n.
            None if choice.step.is_none() => Some(row_number + 1),
            None => None,
        };
        let step = match cell(row, choice.step) {
            Some(text) => parse_number(&text)
                .and_then(|s| s.map(step_from).transpose())
                .map_err(|e| {
                    format!("line {line}, column \"{}\": {e}", column_name(choice.step))
                })?,
            None => None,
        };
        for column in &choice.values {
            let name = &table.header[column.index];
            let value = parse_number(&row[column.index])
                .map_err(|e| format!("line {line}, column \"{name}\": {e}"))?;
            let Some(value) = value else {
                gaps = true;
                continue;
            };
            let position = position(column, epoch, step, choice.step.is_some())
                .ok_or_else(|| format!("line {line}: the {name} value has no epoch or step"))?;
            log.samples.push(Sample {
                quantity: column.quantity,
                position,
                value,
            });
        }
    }

    if choice.epoch.is_some() && choice.step.is_some() && gaps {
        log.format = LogFormat::Lightning;
    }
    if !fractional && renumber_zero_based(&mut log.samples) {
        log.notes.push(RENUMBERED_NOTE.into());
    }
    if choice.epoch.is_none() && choice.step.is_none() {
        log.notes
            .push("no epoch or step column: row n is taken as epoch n".into());
    }
    for column in &choice.values {
        let level = match column.level {
            Some(Level::Epoch) => "per epoch",
            Some(Level::Step) => "per step",
            None if choice.step.is_some() => "per step",
            None => "per epoch",
        };
        log.used.push(format!(
            "{} → {} {level}",
            table.header[column.index],
            column.quantity.name()
        ));
    }
    if !choice.ignored.is_empty() {
        log.notes
            .push(format!("not used: {}", choice.ignored.join(", ")));
    }
    Ok(log)
}

/// Where a value of `column` in a row at (`epoch`, `step`) was logged.
fn position(
    column: &ValueColumn,
    epoch: Option<usize>,
    step: Option<u64>,
    has_step_column: bool,
) -> Option<Position> {
    let at_epoch = column.level == Some(Level::Epoch) || !has_step_column || step.is_none();
    if at_epoch {
        if let Some(epoch) = epoch {
            return Some(Position::Epoch(epoch));
        }
    }
    step.map(|step| Position::Step { step, epoch })
}
