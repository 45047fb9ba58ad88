//! The native command line: runs the same engine as the page and writes its numbers to
//! files for figures and batch runs.
//!
//! ```text
//! landscape-lab train   [--config FILE] --out DIR   summary.json, epochs.csv, updates.csv
//! landscape-lab surface [--config FILE] --out DIR   the above, then surface.json
//! landscape-lab preset reference                    the reference config as JSON
//! ```
//! Without `--config` the reference run (the source material's loop on diabetes) runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use landscape_lab::landscape::SurfaceJob;
use landscape_lab::train::Trainer;
use landscape_lab::{Error, Result, RunConfig};

const USAGE: &str = "usage:
  landscape-lab train   [--config FILE] --out DIR
  landscape-lab surface [--config FILE] --out DIR
  landscape-lab preset reference";

/// Rows computed between progress reports on stderr.
const SURFACE_CHUNK_ROWS: usize = 8;

struct Options {
    config: RunConfig,
    out: PathBuf,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> std::result::Result<(), String> {
    let Some(command) = args.first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "train" => {
            let options = parse_options(&args[1..])?;
            train(&options).map(|_| ()).map_err(|e| e.to_string())
        }
        "surface" => {
            let options = parse_options(&args[1..])?;
            surface(&options).map_err(|e| e.to_string())
        }
        "preset" => match args.get(1).map(String::as_str) {
            Some("reference") => {
                println!("{}", RunConfig::default().to_json());
                Ok(())
            }
            Some(other) => Err(format!("unknown preset \"{other}\"; known: reference")),
            None => Err(format!("preset needs a name\n{USAGE}")),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\"\n{USAGE}")),
    }
}

fn parse_options(args: &[String]) -> std::result::Result<Options, String> {
    let mut config = None;
    let mut out = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--config" => config = Some(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option \"{other}\"\n{USAGE}")),
        }
    }
    let config = match config {
        None => RunConfig::default(),
        Some(path) => {
            let text = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            RunConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
    };
    let out = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    Ok(Options { config, out })
}

/// Trains to the end and writes summary.json, epochs.csv and updates.csv.
fn train(options: &Options) -> Result<Trainer> {
    fs::create_dir_all(&options.out).map_err(|e| io_error(&options.out, e))?;
    let mut trainer = Trainer::new(options.config.clone())?;
    let started = Instant::now();
    trainer.run_to_end();
    let summary = trainer.summary();
    eprintln!(
        "trained {} updates in {} epochs ({:.0} ms): {}",
        trainer.updates_done(),
        trainer.epochs_done(),
        started.elapsed().as_secs_f64() * 1e3,
        summary.diagnosis.message
    );

    write_json(&options.out.join("summary.json"), &summary)?;
    write_csv(&options.out.join("epochs.csv"), &trainer.history().epochs)?;
    write_csv(&options.out.join("updates.csv"), &trainer.history().updates)?;
    Ok(trainer)
}

/// Trains, then samples the landscape around the final weights into surface.json.
fn surface(options: &Options) -> Result<()> {
    let trainer = train(options)?;
    let mut job = SurfaceJob::new(&trainer)?;
    let started = Instant::now();
    while !job.compute_rows(SURFACE_CHUNK_ROWS) {
        eprint!("\rsurface {:3.0} %", 100.0 * job.progress());
    }
    job.add_elapsed_ms(started.elapsed().as_secs_f64() * 1e3);
    eprintln!(
        "\rsurface {0}×{0} in {1:.0} ms, centre loss {2:.6}",
        trainer.config().landscape.resolution,
        job.export().elapsed_ms,
        job.surface().center_loss
    );
    write_json(&options.out.join("surface.json"), &job.export())
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    fs::write(path, text).map_err(|e| io_error(path, e))
}

fn write_csv<T: serde::Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let csv_error = |e: csv::Error| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut writer = csv::Writer::from_path(path).map_err(csv_error)?;
    for row in rows {
        writer.serialize(row).map_err(csv_error)?;
    }
    writer.flush().map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}
