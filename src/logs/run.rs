//! All files of one run merged into two tables: one row per epoch for values logged at
//! an epoch's end, one row per step for values logged at optimizer steps.
//!
//! A value logged twice at the same place in one file (a resumed run, a redrawn progress
//! bar) keeps its last occurrence, and the report says how many were replaced. The same
//! curve at the same place in two files is an error: the files are of different runs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::series::{LogFormat, ParsedLog, Position, Quantity};
use crate::error::{Error, Result};

/// The values logged at one epoch or step; `None` where nothing was logged.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Row {
    /// Epoch from 1; for a step, the epoch it belongs to when the log says.
    pub epoch: Option<usize>,
    /// Optimizer step as the log counts them.
    pub step: Option<u64>,
    pub train_loss: Option<f64>,
    pub val_loss: Option<f64>,
    pub lr: Option<f64>,
    pub grad_norm: Option<f64>,
}

impl Row {
    pub fn get(&self, quantity: Quantity) -> Option<f64> {
        match quantity {
            Quantity::TrainLoss => self.train_loss,
            Quantity::ValLoss => self.val_loss,
            Quantity::LearningRate => self.lr,
            Quantity::GradNorm => self.grad_norm,
        }
    }

    pub fn set(&mut self, quantity: Quantity, value: Option<f64>) {
        let slot = match quantity {
            Quantity::TrainLoss => &mut self.train_loss,
            Quantity::ValLoss => &mut self.val_loss,
            Quantity::LearningRate => &mut self.lr,
            Quantity::GradNorm => &mut self.grad_norm,
        };
        *slot = value;
    }

    /// Whether a loss was logged here.
    pub fn has_loss(&self) -> bool {
        self.train_loss.is_some() || self.val_loss.is_some()
    }
}

/// What was read from one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub format: LogFormat,
    pub used: Vec<String>,
    pub notes: Vec<String>,
}

/// The merged tables of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedRun {
    pub files: Vec<FileSummary>,
    /// Rows at epochs' ends, by epoch.
    pub epochs: Vec<Row>,
    /// Rows at steps, by step.
    pub steps: Vec<Row>,
    /// The mean predictor's loss, when a file stated it.
    pub baseline: Option<f64>,
}

/// A table under construction: rows by position, and which file set each value.
struct Table<K> {
    rows: BTreeMap<K, (Row, [Option<usize>; 4])>,
    /// Values replaced by a later one, per file.
    replaced: BTreeMap<usize, usize>,
}

impl<K: Ord + Copy> Table<K> {
    fn new() -> Self {
        Table {
            rows: BTreeMap::new(),
            replaced: BTreeMap::new(),
        }
    }

    /// Sets a value; `Err` names the earlier file when another file set it already.
    fn set(
        &mut self,
        key: K,
        quantity: Quantity,
        value: f64,
        file: usize,
    ) -> std::result::Result<&mut Row, usize> {
        let (row, origins) = self.rows.entry(key).or_default();
        let slot = Quantity::ALL
            .iter()
            .position(|q| *q == quantity)
            .unwrap_or_default();
        match origins[slot] {
            Some(earlier) if earlier != file => return Err(earlier),
            Some(_) => *self.replaced.entry(file).or_default() += 1,
            None => {}
        }
        origins[slot] = Some(file);
        row.set(quantity, Some(value));
        Ok(row)
    }

    fn into_rows(self) -> Vec<Row> {
        self.rows.into_values().map(|(row, _)| row).collect()
    }
}

/// Merges the files of one run.
pub fn merge(logs: Vec<ParsedLog>) -> Result<ImportedRun> {
    let mut epochs: Table<usize> = Table::new();
    let mut steps: Table<u64> = Table::new();
    let mut run = ImportedRun::default();
    for (index, log) in logs.iter().enumerate() {
        for sample in &log.samples {
            let result = match sample.position {
                Position::Epoch(epoch) => epochs
                    .set(epoch, sample.quantity, sample.value, index)
                    .map(|row| row.epoch = Some(epoch)),
                Position::Step { step, epoch } => steps
                    .set(step, sample.quantity, sample.value, index)
                    .map(|row| {
                        row.step = Some(step);
                        row.epoch = epoch.or(row.epoch);
                    }),
            };
            if let Err(earlier) = result {
                let place = match sample.position {
                    Position::Epoch(epoch) => format!("epoch {epoch}"),
                    Position::Step { step, .. } => format!("step {step}"),
                };
                return Err(Error::Log {
                    file: log.file.clone(),
                    message: format!(
                        "its {} at {place} is also in {}: give the files of one run, each \
                         curve in one file",
                        sample.quantity.name(),
                        logs[earlier].file
                    ),
                });
            }
        }
        if log.baseline.is_some() {
            run.baseline = log.baseline;
        }
    }
    let mut replaced = epochs.replaced.clone();
    for (file, count) in &steps.replaced {
        *replaced.entry(*file).or_default() += count;
    }
    run.epochs = epochs.into_rows();
    run.steps = steps.into_rows();
    run.files = logs
        .into_iter()
        .map(|log| FileSummary {
            file: log.file,
            format: log.format,
            used: log.used,
            notes: log.notes,
        })
        .collect();
    for (file, count) in replaced {
        run.files[file].notes.push(format!(
            "{count} value(s) were logged again at the same epoch or step; the last of each \
             is used"
        ));
    }
    if !run.epochs.iter().chain(&run.steps).any(Row::has_loss) {
        let names: Vec<&str> = run.files.iter().map(|f| f.file.as_str()).collect();
        return Err(Error::Log {
            file: names.join(", "),
            message: "no train or validation loss in these files (the lab's summary.json \
                      holds only the baseline: give its epochs.csv too)"
                .into(),
        });
    }
    Ok(run)
}
