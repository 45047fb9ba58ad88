//! Printed training logs, one line per report, such as the source material's
//! `Epoch  10: train=0.4123 val=0.5012 lr=1.00e-03`, or Keras's
//! `Epoch 3/10` followed by `… - loss: 0.4123 - val_loss: 0.5012`.
//!
//! The pattern is deliberately loose: a line is split into words and numbers; a number
//! belongs to the words just before it (`train loss 0.41`, `val_loss: 0.50`, `lr=1e-3`),
//! whose last one to three words are read like a column name ([`super::columns`]). `,`
//! `;` `|` and a free-standing `-` end a key. A number right after `/` (`Epoch 3/10`) and
//! a number glued to letters (`1s`, `3ms`) are skipped. A line with values needs an epoch
//! or a step, on the line or from an earlier `Epoch N` line. Every other non-blank line is
//! counted and reported, never guessed at.

use super::columns::{read_name, Role};
use super::series::{
    parse_number, renumber_zero_based, step_from, whole_epoch_from, LogFormat, ParsedLog, Position,
    Quantity, Sample, RENUMBERED_NOTE,
};

/// Unrecognised lines quoted in the report.
const QUOTED_LINES: usize = 3;

/// What one line said.
#[derive(Debug, Default, PartialEq)]
struct LineReading {
    epoch: Option<usize>,
    step: Option<u64>,
    values: Vec<(Quantity, f64)>,
}

/// Why a text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// No line holds a value: probably not a log at all.
    NothingRecognised(String),
    /// A recognised line holds a value that cannot be used.
    Damaged(String),
}

/// Reads a text log.
pub fn read(file: &str, text: &str) -> std::result::Result<ParsedLog, TextError> {
    let mut log = ParsedLog::new(file, LogFormat::Text);
    let mut current_epoch = None;
    let mut unrecognised = Vec::new();
    let mut value_lines = 0usize;
    for (index, raw_line) in text.lines().enumerate() {
        let number = index + 1;
        // A progress bar redraws with carriage returns; its last state is the report.
        let line = raw_line
            .rsplit('\r')
            .find(|part| !part.trim().is_empty())
            .unwrap_or("");
        if line.trim().is_empty() {
            continue;
        }
        let reading =
            read_line(line).map_err(|e| TextError::Damaged(format!("line {number}: {e}")))?;
        if reading.epoch.is_some() {
            current_epoch = reading.epoch;
        }
        let position = match (reading.step, reading.epoch.or(current_epoch)) {
            (Some(step), epoch) => Some(Position::Step { step, epoch }),
            (None, Some(epoch)) => Some(Position::Epoch(epoch)),
            (None, None) => None,
        };
        match position {
            Some(position) if !reading.values.is_empty() => {
                value_lines += 1;
                for (quantity, value) in reading.values {
                    log.samples.push(Sample {
                        quantity,
                        position,
                        value,
                    });
                }
            }
            // An `Epoch 3/10` header line.
            _ if reading.epoch.is_some() && reading.values.is_empty() => {}
            _ => unrecognised.push((number, line.trim().to_string())),
        }
    }
    if value_lines == 0 {
        return Err(TextError::NothingRecognised(format!(
            "no line holds a loss with an epoch or step among {} line(s)",
            unrecognised.len()
        )));
    }
    if renumber_zero_based(&mut log.samples) {
        log.notes.push(RENUMBERED_NOTE.into());
    }
    let mut found: Vec<Quantity> = log.samples.iter().map(|s| s.quantity).collect();
    found.sort();
    found.dedup();
    for quantity in found {
        log.used
            .push(format!("{} from {value_lines} lines", quantity.name()));
    }
    if !unrecognised.is_empty() {
        let quoted: Vec<String> = unrecognised
            .iter()
            .take(QUOTED_LINES)
            .map(|(n, line)| format!("line {n}: \"{}\"", super::series::shorten(line)))
            .collect();
        log.notes.push(format!(
            "{} line(s) not recognised, e.g. {}",
            unrecognised.len(),
            quoted.join("; ")
        ));
    }
    Ok(log)
}

/// A token of a line.
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Number(String),
    /// `=` or `:` between a key and its value.
    Assign,
    /// Ends a key: `,` `;` `|` or a free-standing `-`.
    Break,
    /// A number after `/` or glued to letters: never a value.
    Skip,
}

fn tokens(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    while i < chars.len() {
        let c = chars[i];
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let signed = matches!(c, '-' | '+')
            && !previous.is_some_and(char::is_alphanumeric)
            && next.is_some_and(|n| n.is_ascii_digit() || n == '.' || n == 'i' || n == 'n');
        if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) || signed {
            let start = i;
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                let exponent_sign = matches!(d, '+' | '-') && matches!(chars[i - 1], 'e' | 'E');
                let exponent = matches!(d, 'e' | 'E')
                    && chars
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_digit() || *n == '-' || *n == '+');
                if d.is_ascii_digit() || d == '.' || exponent || exponent_sign {
                    i += 1;
                } else {
                    break;
                }
            }
            // `-inf`, `-nan`.
            if signed && chars[start + 1].is_alphabetic() {
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                out.push(Token::Number(text(start, i)));
                continue;
            }
            let glued = i < chars.len() && chars[i].is_alphabetic();
            let after_slash = previous == Some('/');
            if glued || after_slash {
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                out.push(Token::Skip);
            } else {
                out.push(Token::Number(text(start, i)));
            }
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                let joiner = matches!(d, '/' | '-' | '.')
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
                if d.is_alphanumeric() || d == '_' || joiner {
                    i += 1;
                } else {
                    break;
                }
            }
            let word = text(start, i);
            let lower = word.to_ascii_lowercase();
            if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
                out.push(Token::Number(word));
            } else {
                out.push(Token::Word(lower));
            }
            continue;
        }
        match c {
            '=' | ':' => out.push(Token::Assign),
            ',' | ';' | '|' | '-' => out.push(Token::Break),
            _ => {}
        }
        i += 1;
    }
    out
}

/// The epoch, step and values a line states.
fn read_line(line: &str) -> std::result::Result<LineReading, String> {
    let mut reading = LineReading::default();
    let mut words: Vec<String> = Vec::new();
    for token in tokens(line) {
        match token {
            Token::Word(word) => words.push(word),
            Token::Assign => {}
            Token::Break | Token::Skip => words.clear(),
            Token::Number(text) => {
                let role = key_role(&words);
                words.clear();
                let Some(role) = role else { continue };
                let value = parse_number(&text)?.unwrap_or(f64::NAN);
                match role {
                    Role::Epoch => reading.epoch = Some(whole_epoch_from(value)?),
                    Role::Step => reading.step = Some(step_from(value)?),
                    Role::Value(quantity) => reading.values.push((quantity, value)),
                }
            }
        }
    }
    Ok(reading)
}

/// The role of the key made of the last one to three `words`, longest first.
fn key_role(words: &[String]) -> Option<Role> {
    (1..=words.len().min(3)).rev().find_map(|count| {
        let key = words[words.len() - count..].join("_");
        read_name(&key).map(|r| r.role)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> LineReading {
        read_line(text).unwrap()
    }

    /// Lines from common printouts, and what each says.
    #[test]
    fn printouts_read_as_they_mean() {
        use Quantity::*;
        let source = line("Epoch  10: train=0.4123 val=0.5012 lr=1.00e-03");
        assert_eq!(source.epoch, Some(10));
        assert_eq!(
            source.values,
            vec![(TrainLoss, 0.4123), (ValLoss, 0.5012), (LearningRate, 1e-3)]
        );
        let keras =
            line("32/32 [====] - 1s 3ms/step - loss: 0.6512 - accuracy: 0.5 - val_loss: -inf");
        assert_eq!(keras.epoch, None);
        assert_eq!(
            keras.values,
            vec![(TrainLoss, 0.6512), (ValLoss, f64::NEG_INFINITY)]
        );
        assert_eq!(line("Epoch 3/10").epoch, Some(3));
        let stepped = line("[step 1200] epoch 2 | train loss 0.31 | grad norm 1.7");
        assert_eq!((stepped.step, stepped.epoch), (Some(1200), Some(2)));
        assert_eq!(stepped.values, vec![(TrainLoss, 0.31), (GradNorm, 1.7)]);
        let diverged = line("Epoch 4: train=nan val=NaN");
        assert!(diverged.values.iter().all(|(_, v)| v.is_nan()));
        assert_eq!(
            line("Saving checkpoint to out/model.pt"),
            LineReading::default()
        );
        assert!(read_line("Epoch 4: train=1e999").is_err());
    }
}
