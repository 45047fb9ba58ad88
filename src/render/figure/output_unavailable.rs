//! Figure files on WebAssembly: there is no file system and no bitmap encoder in the page's
//! build, so the `figure` command and the comparison figure report that they need the
//! native command line. The page draws the same figures on its canvases instead.

use std::path::Path;

use crate::compare::Comparison;
use crate::error::{Error, Result};

fn unavailable() -> Error {
    Error::config(
        "figure",
        "files are written by the native command line only (cargo build --release)",
    )
}

/// The `figure` command: unavailable in WebAssembly.
pub fn command(_args: &[String]) -> Result<String> {
    Err(unavailable())
}

/// The comparison figure: unavailable in WebAssembly.
pub fn write_comparison_figure(_comparison: &Comparison, _path: &Path) -> Result<()> {
    Err(unavailable())
}
