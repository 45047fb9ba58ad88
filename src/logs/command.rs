//! The `diagnose` command: `landscape-lab diagnose LOGFILE... [--out DIR] [--column
//! ROLE=NAME]... [--baseline LOSS]`. It reads the files as one run, prints what it read
//! and the verdict, and with `--out` writes the judged points (`points.csv`), the logged
//! steps (`steps.csv`, when there are any), the verdict (`diagnosis.json`) and the curves
//! (`curves.png`).

use std::fs;
use std::path::{Path, PathBuf};

use super::{figure, import, ImportOptions, LogDiagnosis, LogFile};
use crate::error::{Error, Result};

/// Runs the command on its arguments (after `diagnose`); returns the text to print.
pub fn command(args: &[String]) -> Result<String> {
    let mut options = ImportOptions::default();
    let mut out: Option<PathBuf> = None;
    let mut paths = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| Error::config(arg.as_str(), "needs a value"))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--column" => options.columns.add(&value()?)?,
            "--baseline" => {
                let text = value()?;
                let baseline = text.parse::<f64>().map_err(|_| {
                    Error::config("--baseline", format!("must be a number, got \"{text}\""))
                })?;
                options.baseline = Some(baseline);
            }
            flag if flag.starts_with("--") => {
                return Err(Error::config(
                    "diagnose",
                    format!("does not know the option \"{flag}\""),
                ))
            }
            path => paths.push(path.to_string()),
        }
    }
    if paths.is_empty() {
        return Err(Error::config(
            "diagnose",
            "needs at least one log file: landscape-lab diagnose LOGFILE... [--out DIR]",
        ));
    }

    let files = paths
        .iter()
        .map(|path| {
            let bytes = fs::read(path).map_err(|error| Error::Io {
                path: path.clone(),
                message: error.to_string(),
            })?;
            LogFile::from_bytes(path.as_str(), bytes)
        })
        .collect::<Result<Vec<_>>>()?;
    let diagnosis = import(&files, &options)?;
    let mut text = diagnosis.report();
    if let Some(out) = out {
        for written in write_outputs(&diagnosis, &out)? {
            text.push_str(&format!("wrote {}\n", written.display()));
        }
    }
    Ok(text)
}

/// Writes the series, the verdict and the figure to `out`; returns the files written.
pub fn write_outputs(diagnosis: &LogDiagnosis, out: &Path) -> Result<Vec<PathBuf>> {
    let io_error = |path: &Path, error: std::io::Error| Error::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    };
    fs::create_dir_all(out).map_err(|e| io_error(out, e))?;
    let mut written = Vec::new();
    let mut write = |name: &str, text: &str| -> Result<()> {
        let path = out.join(name);
        fs::write(&path, text).map_err(|e| io_error(&path, e))?;
        written.push(path);
        Ok(())
    };
    write("points.csv", &diagnosis.points_csv())?;
    if let Some(steps) = diagnosis.steps_csv() {
        write("steps.csv", &steps)?;
    }
    let verdict = serde_json::json!({
        "files": diagnosis.files,
        "grouping": diagnosis.grouping,
        "baseline": diagnosis.baseline,
        "diagnosis": diagnosis.diagnosis,
        "not_judged": diagnosis.not_judged,
    });
    let json = serde_json::to_string_pretty(&verdict).map_err(|e| Error::Io {
        path: out.join("diagnosis.json").display().to_string(),
        message: e.to_string(),
    })?;
    write("diagnosis.json", &json)?;
    let figure_path = out.join("curves.png");
    figure::write_png(diagnosis, &figure_path)?;
    written.push(figure_path);
    Ok(written)
}
