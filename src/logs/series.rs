//! What every reader produces: samples of four quantities, each at an epoch or at a step,
//! and the number rules all formats share.
//!
//! Numbers: `nan`, `inf`, `-inf` and `Infinity` in any case are logged values (a run that
//! diverged), so they parse as NaN or infinity. A literal too large for a 64-bit float
//! (`1e400`) is refused: no framework writes one, so it is a damaged file. Anything else
//! that is not a number is refused with the text found.

use serde::Serialize;

/// The curves the diagnosis and the figures know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    TrainLoss,
    ValLoss,
    LearningRate,
    GradNorm,
}

impl Quantity {
    /// Every quantity, in the order of output columns.
    pub const ALL: [Quantity; 4] = [
        Quantity::TrainLoss,
        Quantity::ValLoss,
        Quantity::LearningRate,
        Quantity::GradNorm,
    ];

    /// The name in messages: "train loss".
    pub fn name(self) -> &'static str {
        match self {
            Quantity::TrainLoss => "train loss",
            Quantity::ValLoss => "validation loss",
            Quantity::LearningRate => "learning rate",
            Quantity::GradNorm => "gradient norm",
        }
    }

    /// The column name in output CSVs and the role name of `--column ROLE=NAME`.
    pub fn key(self) -> &'static str {
        match self {
            Quantity::TrainLoss => "train_loss",
            Quantity::ValLoss => "val_loss",
            Quantity::LearningRate => "lr",
            Quantity::GradNorm => "grad_norm",
        }
    }
}

/// Where a sample was logged: at the end of an epoch (numbered from 1), or at an
/// optimizer step (as the log counts them) that may know its epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Epoch(usize),
    Step { step: u64, epoch: Option<usize> },
}

/// One logged value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub quantity: Quantity,
    pub position: Position,
    /// As logged; NaN and infinities are kept (they mean the run diverged).
    pub value: f64,
}

/// The formats the readers recognise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// A CSV with a header: an epoch or step column and loss columns.
    Csv,
    /// PyTorch Lightning's `metrics.csv`: epoch and step columns, rows with gaps.
    Lightning,
    /// TensorBoard's scalar download as CSV: `Wall time,Step,Value`, one tag per file.
    TensorBoardCsv,
    /// TensorBoard's scalar download as JSON: `[[wall_time, step, value], …]`.
    TensorBoardJson,
    /// Hugging Face Trainer's `trainer_state.json` (`log_history`).
    HuggingFace,
    /// Keras `history.history` saved as JSON: one list per metric.
    Keras,
    /// Printed lines such as `Epoch  10: train=0.4123 val=0.5012 lr=1.00e-03`.
    Text,
    /// The lab's own `summary.json`: contributes the baseline loss only.
    LabSummary,
}

impl LogFormat {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Csv => "CSV",
            LogFormat::Lightning => "Lightning metrics.csv",
            LogFormat::TensorBoardCsv => "TensorBoard scalar CSV",
            LogFormat::TensorBoardJson => "TensorBoard scalar JSON",
            LogFormat::HuggingFace => "Hugging Face trainer_state.json",
            LogFormat::Keras => "Keras history JSON",
            LogFormat::Text => "text log",
            LogFormat::LabSummary => "Landscape Lab summary.json",
        }
    }
}

/// One file, read.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedLog {
    pub file: String,
    pub format: LogFormat,
    pub samples: Vec<Sample>,
    /// How each source column or key was read, e.g. "val_loss → validation loss".
    pub used: Vec<String>,
    /// Things the user should know: ignored columns, skipped lines, renumbered epochs.
    pub notes: Vec<String>,
    /// The mean predictor's loss, when the file states it (the lab's summary.json).
    pub baseline: Option<f64>,
}

impl ParsedLog {
    pub fn new(file: &str, format: LogFormat) -> Self {
        ParsedLog {
            file: file.to_string(),
            format,
            samples: Vec::new(),
            used: Vec::new(),
            notes: Vec::new(),
            baseline: None,
        }
    }
}

/// Parses a logged value; empty text is a gap (`None`).
pub fn parse_number(text: &str) -> std::result::Result<Option<f64>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let lower = trimmed.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let negative = lower.starts_with('-');
    match unsigned {
        "nan" => return Ok(Some(f64::NAN)),
        "inf" | "infinity" => {
            return Ok(Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }))
        }
        _ => {}
    }
    match trimmed.parse::<f64>() {
        Ok(value) if value.is_infinite() => {
            Err(format!("\"{trimmed}\" is too large for a 64-bit float"))
        }
        Ok(value) => Ok(Some(value)),
        Err(_) => Err(format!("\"{}\" is not a number", shorten(trimmed))),
    }
}

/// Largest step or epoch count accepted: every whole number below it is exact in f64.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// A step: a whole number ≥ 0 (written as `12` or `12.0`).
pub fn step_from(value: f64) -> std::result::Result<u64, String> {
    if (0.0..MAX_COUNT).contains(&value) && value.fract() == 0.0 {
        Ok(value as u64)
    } else {
        Err(format!("a step must be a whole number ≥ 0, got {value}"))
    }
}

/// An epoch number as logged (0- or 1-based, whole).
pub fn whole_epoch_from(value: f64) -> std::result::Result<usize, String> {
    if (0.0..MAX_COUNT).contains(&value) && value.fract() == 0.0 {
        Ok(value as usize)
    } else {
        Err(format!("an epoch must be a whole number ≥ 0, got {value}"))
    }
}

/// The epoch (from 1) a fractional count of completed epochs falls in, as Hugging Face
/// logs it: 0.25 and 1.0 are in epoch 1, 1.5 in epoch 2.
pub fn epoch_from_fraction(value: f64) -> std::result::Result<usize, String> {
    if (0.0..MAX_COUNT).contains(&value) {
        // A tolerance keeps 2.0000000001 (float noise in the log) in epoch 2.
        Ok(((value - 1e-9).ceil() as usize).max(1))
    } else {
        Err(format!("an epoch must be a number ≥ 0, got {value}"))
    }
}

/// Renumbers 0-based epochs from 1 when the smallest epoch is 0; says whether it did.
pub fn renumber_zero_based(samples: &mut [Sample]) -> bool {
    let epoch_of = |sample: &Sample| match sample.position {
        Position::Epoch(epoch) => Some(epoch),
        Position::Step { epoch, .. } => epoch,
    };
    if samples.iter().filter_map(epoch_of).min() != Some(0) {
        return false;
    }
    for sample in samples {
        match &mut sample.position {
            Position::Epoch(epoch) => *epoch += 1,
            Position::Step {
                epoch: Some(epoch), ..
            } => *epoch += 1,
            Position::Step { epoch: None, .. } => {}
        }
    }
    true
}

/// The note added when epochs were renumbered.
pub const RENUMBERED_NOTE: &str = "epochs counted from 0 were renumbered from 1";

/// Cuts long text for messages.
pub fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    if text.chars().count() <= MAX_CHARS {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX_CHARS).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Logged non-finite values are data; overflowing literals and words are errors.
    #[test]
    fn numbers_follow_the_logging_conventions() {
        assert_eq!(parse_number(" 0.25 "), Ok(Some(0.25)));
        assert_eq!(parse_number("1.00e-03"), Ok(Some(1e-3)));
        assert_eq!(parse_number(""), Ok(None), "an empty cell is a gap");
        assert!(parse_number("NaN").unwrap().unwrap().is_nan());
        assert!(parse_number("nan").unwrap().unwrap().is_nan());
        assert_eq!(parse_number("-Infinity"), Ok(Some(f64::NEG_INFINITY)));
        assert_eq!(parse_number("inf"), Ok(Some(f64::INFINITY)));
        assert_eq!(
            parse_number("1e400"),
            Err("\"1e400\" is too large for a 64-bit float".into())
        );
        assert_eq!(
            parse_number("tensor(0.5)"),
            Err("\"tensor(0.5)\" is not a number".into())
        );
    }

    /// Hugging Face's fractional epochs land in the epoch they belong to.
    #[test]
    fn fractional_epochs_round_up() {
        assert_eq!(epoch_from_fraction(0.0), Ok(1));
        assert_eq!(epoch_from_fraction(0.25), Ok(1));
        assert_eq!(epoch_from_fraction(1.0), Ok(1));
        assert_eq!(epoch_from_fraction(1.0000000001), Ok(1));
        assert_eq!(epoch_from_fraction(1.5), Ok(2));
        assert!(epoch_from_fraction(-1.0).is_err());
        assert_eq!(step_from(12.0), Ok(12));
        assert!(step_from(1.5).is_err());
        assert!(step_from(1e300).is_err());
    }
}
