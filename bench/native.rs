//! Native timings of the engine's hot paths, medians of repeated runs after a warm-up:
//!
//! 1. `surface`: the reference surface, MLP 10→64→1 on the 354 diabetes train rows, 51×51,
//!    filter-normalized, f32, first layer factored, around the weights at the end of the
//!    reference run (the surface `landscape-lab surface` writes);
//! 2. `updates`: 1000 AdamW updates at batch 32 on the same model and data (no
//!    accumulation, no clipping, constant LR, no shuffling so that other implementations
//!    can replay the same batches). Every update also computes the gradient norm and
//!    records its history, and every 12th update ends an epoch, which evaluates the loss on
//!    the whole train and validation splits: 83 evaluations in 1000 updates;
//! 3. `digits`: MLP 64→128→10, cross-entropy, 1437 train rows, 51×51, around the weights
//!    at the end of its run;
//! 4. `coarse`: the same digits surface at 11×11, a sub-grid of the 51×51 one (the picture
//!    a coarse first pass would show).
//!
//! A surface's time includes drawing and normalizing its directions and the first layer's
//! three products, as a new map on the page does.
//!
//! Run: `cargo run --release --example bench_native [REPEATS] [WORKLOAD]` (all four
//! without a name; prints `workload,median_ms,fastest_ms,runs`), or `… bench_native --configs
//! DIR` to write the configurations as `reference.json`, `updates.json`, `digits.json`,
//! `coarse.json` for the command line and the browser. `bench/run.sh` runs this with the
//! other engines and the peers.

use std::time::Instant;

use landscape_lab::config::{DataConfig, DataSource, ModelConfig, RunConfig, ScheduleConfig};
use landscape_lab::landscape::SurfaceJob;
use landscape_lab::train::Trainer;

/// Updates timed by the `updates` workload.
const UPDATES: usize = 1000;

/// Updates per epoch of the reference data at batch 32: ceil(354 / 32).
const UPDATES_PER_EPOCH: usize = 12;

/// The median and the fastest of some timings, in milliseconds.
#[derive(Clone, Copy)]
struct Timing {
    runs: usize,
    median_ms: f64,
    fastest_ms: f64,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3},{:.3},{}",
            self.median_ms, self.fastest_ms, self.runs
        )
    }
}

/// Timed runs last at least this long in all (more runs than asked for when they are
/// short), so that a burst of load on a shared machine moves the median less.
const MIN_TOTAL_MS: f64 = 2000.0;

/// At most this many timed runs.
const MAX_RUNS: usize = 51;

/// Timings of `work` on a fresh `setup()` each time, after one warm-up run; `setup` is
/// not timed. Runs `repeats` times, or more when that would take less than
/// [`MIN_TOTAL_MS`].
fn time_ms<T>(repeats: usize, mut setup: impl FnMut() -> T, mut work: impl FnMut(T)) -> Timing {
    let mut once = |input: T| {
        let started = Instant::now();
        work(input);
        started.elapsed().as_secs_f64() * 1e3
    };
    let warm_up_ms = once(setup());
    let runs = repeats.max(((MIN_TOTAL_MS / warm_up_ms.max(1e-3)).ceil() as usize).min(MAX_RUNS));
    let mut samples: Vec<f64> = (0..runs).map(|_| once(setup())).collect();
    samples.sort_by(f64::total_cmp);
    Timing {
        runs,
        median_ms: samples[samples.len() / 2],
        fastest_ms: samples[0],
    }
}

/// The four workloads' configurations, by name.
fn configs() -> Vec<(&'static str, RunConfig)> {
    let updates = RunConfig {
        epochs: UPDATES.div_ceil(UPDATES_PER_EPOCH),
        accumulation_steps: 1,
        clip_norm: None,
        shuffle: false,
        schedule: ScheduleConfig::Constant,
        ..RunConfig::default()
    };
    let digits = RunConfig {
        data: DataConfig {
            source: DataSource::Digits,
            ..DataConfig::default()
        },
        model: ModelConfig {
            hidden: vec![128],
            ..ModelConfig::default()
        },
        ..RunConfig::default()
    };
    let mut coarse = digits.clone();
    coarse.landscape.resolution = 11;
    vec![
        ("reference", RunConfig::default()),
        ("updates", updates),
        ("digits", digits),
        ("coarse", coarse),
    ]
}

/// The trainer of `config` after its whole run.
fn trained(config: RunConfig) -> Trainer {
    let mut trainer = Trainer::new(config).expect("bench config is valid");
    trainer.run_to_end();
    trainer
}

fn surface_ms(trainer: &Trainer, repeats: usize) -> Timing {
    time_ms(
        repeats,
        || (),
        |()| {
            let mut job = SurfaceJob::new(trainer).expect("surface job");
            while !job.compute_rows(trainer.config().landscape.resolution) {}
        },
    )
}

fn write_configs(dir: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, config) in configs() {
        std::fs::write(format!("{dir}/{name}.json"), config.to_json())?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--configs") {
        let dir = args.get(1).map_or("bench-configs", String::as_str);
        if let Err(error) = write_configs(dir) {
            eprintln!("error: cannot write the configurations to {dir}: {error}");
            std::process::exit(2);
        }
        return;
    }
    let repeats: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(7);
    let only = args.get(1).cloned().unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only == name;
    let config = |name: &str| {
        configs()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
            .expect("known workload")
    };
    println!("workload,median_ms,fastest_ms,runs");

    if wanted("surface") {
        let trainer = trained(config("reference"));
        let elapsed_ms = surface_ms(&trainer, repeats);
        println!("surface,{elapsed_ms}");
    }

    if wanted("updates") {
        let fresh = Trainer::new(config("updates")).expect("valid");
        let elapsed_ms = time_ms(
            repeats,
            || fresh.clone(),
            |mut trainer| {
                for _ in 0..UPDATES {
                    trainer.step();
                }
            },
        );
        println!("updates,{elapsed_ms}");
    }

    for name in ["digits", "coarse"] {
        if wanted(name) {
            let trainer = trained(config(name));
            let elapsed_ms = surface_ms(&trainer, repeats);
            println!("{name},{elapsed_ms}");
        }
    }
}
