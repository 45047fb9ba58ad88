//! Diagnose a training run from elsewhere: read its log, turn it into the curves the lab
//! draws, and judge them with the lab's own diagnosis.
//!
//! The pipeline, one file per step:
//! - [`detect`]: which reader a file needs, from its content.
//! - the readers, each producing [`series::Sample`]s: [`csv_table`] (CSV with a header,
//!   Lightning's `metrics.csv`), [`tensorboard`] (scalar downloads), [`huggingface`]
//!   (`trainer_state.json`), [`keras`] (`history.history` as JSON), [`text`] (printed
//!   lines); [`columns`] reads column names for all of them, [`json`] reads Python's JSON.
//! - [`run`]: the files of one run merged into per-epoch and per-step rows.
//! - [`judge`]: the points the diagnosis judges (epochs, evaluations or windows),
//!   divergence, the lab's decimation of long histories, and the verdict.
//! - [`report`]: the verdict as text, the series as CSV; [`figure`]: the curves.
//! - [`command`]: the `diagnose` command of the CLI.
//!
//! Nothing here reads files: callers pass text ([`LogFile`]), so the page parses a dropped
//! file in the browser exactly as the command line parses one from disk.

pub mod columns;
pub mod command;
pub mod csv_table;
pub mod detect;
pub mod figure;
pub mod huggingface;
pub mod json;
pub mod judge;
pub mod keras;
pub mod report;
pub mod run;
pub mod series;
pub mod tensorboard;
pub mod text;

use serde::Serialize;

pub use columns::ColumnMap;
pub use judge::Grouping;
pub use run::{FileSummary, Row};
pub use series::{LogFormat, Quantity};

use crate::error::{Error, Result};
use crate::train::diagnosis::Diagnosis;

/// A log's name (for messages and TensorBoard tags) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFile {
    pub name: String,
    pub text: String,
}

impl LogFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        LogFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// A file's bytes as a log: UTF-8 text, not a binary TensorBoard event file.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self> {
        let name = name.into();
        if name.contains("tfevents") {
            return Err(Error::Log {
                file: name,
                message: "a TensorBoard event file is binary: download the scalars from \
                          TensorBoard's Scalars tab (\"show data download links\") as CSV \
                          or JSON and give those"
                    .into(),
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(LogFile { name, text }),
            Err(_) => Err(Error::Log {
                file: name,
                message: "the file is not text (UTF-8)".into(),
            }),
        }
    }
}

/// Choices the user can make about reading.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportOptions {
    /// Column names for roles the names alone leave ambiguous.
    pub columns: ColumnMap,
    /// The mean predictor's loss: the scale of the underfitting rule. Without it, and
    /// without the lab's summary.json among the files, the first train loss stands in.
    pub baseline: Option<f64>,
}

/// An imported run: what was read, the points judged, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogDiagnosis {
    pub files: Vec<FileSummary>,
    pub grouping: Grouping,
    /// One row per judged point (epoch, evaluation or window), decimated on long logs.
    pub points: Vec<Row>,
    /// Every value logged at a step, decimated on long logs.
    pub steps: Vec<Row>,
    pub baseline: Option<f64>,
    pub diagnosis: Diagnosis,
    /// Rules that could not be checked, and why.
    pub not_judged: Vec<String>,
}

/// Reads the files of one run and diagnoses it.
pub fn import(files: &[LogFile], options: &ImportOptions) -> Result<LogDiagnosis> {
    if files.is_empty() {
        return Err(Error::config("diagnose", "needs at least one log file"));
    }
    if let Some(baseline) = options.baseline {
        if !(baseline.is_finite() && baseline > 0.0) {
            return Err(Error::config(
                "--baseline",
                format!("must be a positive loss, got {baseline}"),
            ));
        }
    }
    let logs = files
        .iter()
        .map(|file| detect::read(file, &options.columns))
        .collect::<Result<Vec<_>>>()?;
    let mut run = run::merge(logs)?;
    if options.baseline.is_some() {
        run.baseline = options.baseline;
    }

    let (grouping, points) = judge::points(&run);
    let divergence = judge::divergence(&run);
    let points = judge::decimate_points(points);
    let judgement = judge::judge(grouping, &points, &run, divergence);
    let steps = judge::decimate_steps(std::mem::take(&mut run.steps));
    Ok(LogDiagnosis {
        files: run.files,
        grouping,
        points,
        steps,
        baseline: run.baseline,
        diagnosis: judgement.diagnosis,
        not_judged: judgement.not_judged,
    })
}
