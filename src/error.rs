//! The one error type of the crate. Messages are lower-case, name the offending field or
//! input and carry the bad value, so they can be shown to a user as they are.

use thiserror::Error;

/// Everything that can go wrong in the engine, from reading a CSV to drawing a chart.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// A configuration value is out of range or inconsistent with another.
    #[error("{field} {problem}")]
    Config { field: String, problem: String },

    /// Text that is not JSON at all.
    #[error("config is not valid JSON: {0}")]
    ConfigJson(String),

    /// JSON whose keys or values do not fit a [`crate::config::RunConfig`].
    #[error("config has a wrong key or value: {0}")]
    ConfigValue(String),

    /// A JSON value of the wrong type or range at a known key (`batch_size: invalid
    /// value: integer -5, expected a whole number ≥ 0`).
    #[error("{field}: {problem}")]
    ConfigKey { field: String, problem: String },

    /// A data file or table that cannot be used.
    #[error("{0}")]
    Data(String),

    /// Arrays whose sizes do not fit together.
    #[error("{what}: expected {expected}, got {actual}")]
    Shape {
        what: String,
        expected: usize,
        actual: usize,
    },

    /// Drawing a figure failed in the backend.
    #[error("drawing failed: {0}")]
    Render(String),

    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    Io { path: String, message: String },

    /// A training log that cannot be read; `file` is its name.
    #[error("{file}: {message}")]
    Log { file: String, message: String },
}

impl Error {
    /// A [`Error::Config`] for `field` with a message such as "must be at least 1, got 0".
    pub fn config(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Config {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;
