//! The native command line: runs the same engine as the page and writes its numbers to
//! files for figures and batch runs.
//!
//! ```text
//! landscape-lab train   [--config FILE] --out DIR   summary.json, epochs.csv, updates.csv
//! landscape-lab surface [--config FILE] --out DIR   the above, then surface.json
//! landscape-lab slice    [--config FILE] --out DIR   the above, then slice.json
//! landscape-lab compare  (--config A --config B | --preset NAME) [--seeds N] --out DIR
//!                          two runs from one start: surface_a/b.json, interpolation.json,
//!                          metrics.json/.csv, and with --seeds spread.csv/.md
//! landscape-lab schedule [--config FILE]           update,lr for all N updates
//! landscape-lab pytorch  [--config FILE]            the run as a PyTorch script
//! landscape-lab data     [--config FILE] --out FILE the run's raw samples as CSV
//! landscape-lab prepared [--config FILE] --out FILE split, scaled data and initial
//!                                                   weights as JSON (for replays)
//! landscape-lab preset NAME                         a preset's config as JSON
//! landscape-lab diagnose LOGFILE... [--out DIR]    a training log from elsewhere:
//!                                                   its curves and the diagnosis
//! ```
//! Without `--config` the reference run (the source material's loop on diabetes) runs.

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use landscape_lab::compare;
use landscape_lab::config::DataSource;
use landscape_lab::data::{self, BatchPlan};
use landscape_lab::export::pytorch;
use landscape_lab::landscape::sharpness::{self, Sharpness};
use landscape_lab::landscape::{directions, slice, PathPoint, SurfaceExport, SurfaceJob};
use landscape_lab::logs;
use landscape_lab::optim::Schedule;
use landscape_lab::presets;
use landscape_lab::render::figure::output as figure;
use landscape_lab::seeding::{self, Stream};
use landscape_lab::train::Trainer;
use landscape_lab::{Error, Result, RunConfig};

const USAGE: &str = "usage:
  landscape-lab train    [--config FILE] --out DIR
  landscape-lab surface  [--config FILE] --out DIR
  landscape-lab slice    [--config FILE] --out DIR
  landscape-lab compare  (--config A --config B | --preset NAME) [--seeds N] --out DIR
  landscape-lab figure   [--config FILE] --view landscape|surface3d|curves|slice|prediction
                         [--format png|svg] [--scale S] [--dark] --out FILE
  landscape-lab schedule [--config FILE]
  landscape-lab pytorch  [--config FILE]
  landscape-lab data     [--config FILE] --out FILE
  landscape-lab prepared [--config FILE] --out FILE
  landscape-lab preset NAME         (reference, lr_too_high, diverged, …)
  landscape-lab diagnose LOGFILE... [--out DIR] [--column ROLE=NAME] [--baseline LOSS]";

/// Rows computed between progress reports on stderr.
const SURFACE_CHUNK_ROWS: usize = 8;

struct Options {
    config: RunConfig,
    out: Option<PathBuf>,
}

impl Options {
    fn out(&self) -> std::result::Result<&Path, String> {
        self.out
            .as_deref()
            .ok_or_else(|| format!("--out is required\n{USAGE}"))
    }
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
            train(&options.config, options.out()?)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        "surface" => {
            let options = parse_options(&args[1..])?;
            surface(&options.config, options.out()?).map_err(|e| e.to_string())
        }
        "compare" => compare_runs(&args[1..]),
        "diagnose" => logs::command::command(&args[1..])
            .map(|text| print_out(&text))
            .map_err(|e| e.to_string()),
        "figure" => figure::command(&args[1..])
            .map(|line| eprintln!("{line}"))
            .map_err(|e| e.to_string()),
        "slice" => {
            let options = parse_options(&args[1..])?;
            slices(&options.config, options.out()?).map_err(|e| e.to_string())
        }
        "schedule" => {
            let options = parse_options(&args[1..])?;
            schedule(&options.config).map_err(|e| e.to_string())
        }
        "pytorch" => {
            let options = parse_options(&args[1..])?;
            print_out(&pytorch::script(
                &options.config,
                &data_file_name(&options.config),
            ));
            Ok(())
        }
        "prepared" => {
            let options = parse_options(&args[1..])?;
            write_prepared(&options.config, options.out()?).map_err(|e| e.to_string())
        }
        "data" => {
            let options = parse_options(&args[1..])?;
            write_samples(&options.config, options.out()?).map_err(|e| e.to_string())
        }
        "preset" => match args.get(1) {
            Some(name) => {
                let preset = presets::find(name).map_err(|e| e.to_string())?;
                let config = preset.config().map_err(|e| e.to_string())?;
                print_out(&format!("{}\n", config.to_json()));
                Ok(())
            }
            None => {
                let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
                Err(format!(
                    "preset needs a name: {}\n{USAGE}",
                    names.join(", ")
                ))
            }
        },
        "-h" | "--help" | "help" => {
            print_out(&format!("{USAGE}\n"));
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\"\n{USAGE}")),
    }
}

fn parse_options(args: &[String]) -> std::result::Result<Options, String> {
    let options = parse_many(args)?;
    if options.configs.len() > 1 {
        return Err(format!(
            "--config given twice; only compare takes two\n{USAGE}"
        ));
    }
    Ok(Options {
        config: options.configs.into_iter().next().unwrap_or_default(),
        out: options.out,
    })
}

/// Options that may name several configs (compare).
struct ManyOptions {
    configs: Vec<RunConfig>,
    out: Option<PathBuf>,
}

fn parse_many(args: &[String]) -> std::result::Result<ManyOptions, String> {
    let mut configs = Vec::new();
    let mut out = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--config" => {
                let path = value()?;
                let text = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                configs.push(RunConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))?);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option \"{other}\"\n{USAGE}")),
        }
    }
    Ok(ManyOptions { configs, out })
}

/// Trains two runs from the same start and writes both surfaces, the interpolation
/// between their minima and the metric table; with `--seeds N`, also the spread of every
/// metric over N seeds.
fn compare_runs(args: &[String]) -> std::result::Result<(), String> {
    let mut seeds = 0usize;
    let mut preset = None;
    let mut rest = Vec::new();
    let mut items = args.iter();
    while let Some(arg) = items.next() {
        match arg.as_str() {
            "--seeds" => {
                let text = items.next().ok_or("--seeds needs a value")?;
                seeds = text
                    .parse()
                    .map_err(|_| format!("--seeds must be a whole number, got \"{text}\""))?;
            }
            "--preset" => preset = Some(items.next().ok_or("--preset needs a name")?.clone()),
            _ => rest.push(arg.clone()),
        }
    }
    let options = parse_many(&rest)?;
    let (configs, labels) = match preset {
        Some(name) => {
            let preset = presets::find_comparison(&name).map_err(|e| e.to_string())?;
            (
                preset.configs().map_err(|e| e.to_string())?.to_vec(),
                preset.labels,
            )
        }
        None => (options.configs, ["A", "B"]),
    };
    let [a, b] = <[RunConfig; 2]>::try_from(configs)
        .map_err(|_| format!("compare needs two --config files or --preset NAME\n{USAGE}"))?;
    let out = options
        .out
        .ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    let run = || -> Result<()> {
        fs::create_dir_all(&out).map_err(|e| io_error(&out, e))?;
        let comparison = compare::compare(&a, &b, labels)?;
        write_json(&out.join("surface_a.json"), &comparison.a.surface)?;
        write_json(&out.join("surface_b.json"), &comparison.b.surface)?;
        write_json(&out.join("interpolation.json"), &comparison.interpolation)?;
        let metrics = [&comparison.a.metrics, &comparison.b.metrics];
        write_json(
            &out.join("metrics.json"),
            &serde_json::json!({"runs": metrics, "shared_range": comparison.shared_range}),
        )?;
        write_csv(&out.join("metrics.csv"), &metrics)?;
        figure::write_comparison_figure(&comparison, &out.join("figure.png"))?;
        for m in metrics {
            eprintln!(
                "{}: λmax {:.3}  trace {:.3}  ε-sharpness {:.4}  train {:.4}  val {}",
                m.label,
                m.lambda_max,
                m.trace,
                m.eps_sharpness,
                m.train_loss,
                m.val_loss.map_or("–".into(), |v| format!("{v:.4}"))
            );
        }
        if seeds > 0 {
            let rows = compare::seed_spread(&a, &b, seeds)?;
            write_csv(&out.join("spread.csv"), &rows)?;
            let table = compare::spread_markdown(&rows, labels);
            fs::write(out.join("spread.md"), &table).map_err(|e| io_error(&out, e))?;
            print_out(&table);
        }
        Ok(())
    };
    run().map_err(|e| e.to_string())
}

/// Trains to the end and writes summary.json, epochs.csv and updates.csv.
fn train(config: &RunConfig, out: &Path) -> Result<Trainer> {
    fs::create_dir_all(out).map_err(|e| io_error(out, e))?;
    let mut trainer = Trainer::new(config.clone())?;
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

    write_json(&out.join("summary.json"), &summary)?;
    write_csv(&out.join("epochs.csv"), &trainer.history().epochs)?;
    write_csv(&out.join("updates.csv"), &trainer.history().updates)?;
    Ok(trainer)
}

/// Prints `update,lr` for every update of the run, without training.
fn schedule(config: &RunConfig) -> Result<()> {
    let prepared = data::prepare(config)?;
    let plan = BatchPlan::new(
        prepared.train.len(),
        config.batch_size,
        config.accumulation_steps,
        config.drop_last,
    )?;
    let total = plan.updates_per_epoch() * config.epochs;
    let schedule = Schedule::new(&config.schedule, config.optimizer.lr, total);
    let mut text = String::from("update,lr\n");
    for (k, lr) in schedule.curve().iter().enumerate() {
        text.push_str(&format!("{k},{lr}\n"));
    }
    print_out(&text);
    Ok(())
}

/// The CSV name the PyTorch script reads: the bundled file, the csv path, or data.csv.
fn data_file_name(config: &RunConfig) -> String {
    let source = serde_json::to_value(config.data.source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    match config.data.source {
        DataSource::Csv => config.data.path.clone().unwrap_or_default(),
        s if s.is_synthetic() || s == DataSource::Inline => "data.csv".into(),
        _ => format!("www/data/{source}.csv"),
    }
}

/// Writes the run's raw samples (before splitting and scaling) as CSV, target last.
fn write_samples(config: &RunConfig, out: &Path) -> Result<()> {
    let raw = data::source::load(&config.data, config.seed)?;
    let samples = raw.samples;
    let mut text = samples.feature_names.join(",");
    text.push(',');
    text.push_str(&samples.target_names.join(","));
    text.push('\n');
    for i in 0..samples.len() {
        let row: Vec<String> = samples
            .feature_row(i)
            .iter()
            .chain(samples.target_row(i))
            .map(|v| v.to_string())
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    fs::write(out, text).map_err(|e| io_error(out, e))
}

/// Writes the split and standardized data and the initial weights as JSON, so another
/// framework can replay the run from exactly the same start.
fn write_prepared(config: &RunConfig, out: &Path) -> Result<()> {
    let trainer = Trainer::new(config.clone())?;
    let data = trainer.data();
    let report = serde_json::json!({
        "n_features": data.train.n_features,
        "train_x": data.train.features,
        "train_y": data.train.targets,
        "val_x": data.val.features,
        "val_y": data.val.targets,
        "initial_weights": trainer.params(),
        "layout": trainer.model().layout,
        "config": trainer.config(),
    });
    write_json(out, &report)
}

/// Trains, then samples the landscape around the final weights into surface.json.
fn surface(config: &RunConfig, out: &Path) -> Result<()> {
    let trainer = train(config, out)?;
    let mut job = SurfaceJob::new(&trainer)?;
    let started = Instant::now();
    // A progress line only on a terminal; piped output gets the summary alone.
    let show_progress = std::io::stderr().is_terminal();
    while !job.compute_rows(SURFACE_CHUNK_ROWS) {
        if show_progress {
            eprint!("\rsurface {:3.0} %", 100.0 * job.progress());
        }
    }
    job.add_elapsed_ms(started.elapsed().as_secs_f64() * 1e3);
    eprintln!(
        "{0}surface {1}×{1} in {2:.0} ms, centre loss {3:.6}",
        if show_progress { "\r" } else { "" },
        trainer.config().landscape.resolution,
        job.export().elapsed_ms,
        job.surface().center_loss
    );
    let path = job.path(trainer.checkpoints().as_slice());
    let sharpness = sharpness::measure(
        trainer.model(),
        trainer.loss_kind(),
        &trainer.data().train,
        trainer.params(),
        &mut seeding::rng(trainer.config().landscape.seed, Stream::Directions),
    );
    eprintln!(
        "path: {:.1} % of its movement in the plane; λmax {:.4}, trace {:.3}, ε-sharpness {:.4}",
        100.0 * path.captured_fraction,
        sharpness.lambda_max,
        sharpness.trace,
        sharpness.eps_sharpness
    );
    let report = SurfaceReport {
        surface: job.export(),
        captured_fraction: path.captured_fraction,
        path: path.points,
        sharpness,
    };
    write_json(&out.join("surface.json"), &report)
}

/// What `surface.json` holds: the surface, the path on it and the centre's sharpness.
#[derive(serde::Serialize)]
struct SurfaceReport<'a> {
    #[serde(flatten)]
    surface: SurfaceExport<'a>,
    captured_fraction: f64,
    path: Vec<PathPoint>,
    sharpness: Sharpness,
}

/// Trains, then writes slice.json: the loss along each direction of the run's random
/// plane through the final weights, and the interpolation from the initial weights.
fn slices(config: &RunConfig, out: &Path) -> Result<()> {
    let trainer = train(config, out)?;
    let settings = &trainer.config().landscape;
    let directions = directions::random_directions(
        settings.seed,
        trainer.params(),
        &trainer.model().layout,
        settings.normalization,
        settings.include_bias,
    );
    let along = |direction: &[f32]| {
        slice::along(
            trainer.model(),
            trainer.loss_kind(),
            trainer.data(),
            trainer.params(),
            direction,
            settings.range,
            settings.resolution,
        )
    };
    let initial = &trainer.checkpoints().as_slice()[0].params;
    let report = serde_json::json!({
        "along_d1": along(&directions[0]),
        "along_d2": along(&directions[1]),
        "init_to_final": slice::interpolate(
            trainer.model(),
            trainer.loss_kind(),
            trainer.data(),
            initial,
            trainer.params(),
            settings.resolution,
        ),
    });
    write_json(&out.join("slice.json"), &report)
}

/// Writes to stdout; a closed pipe (`| head`) just ends the output.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
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
