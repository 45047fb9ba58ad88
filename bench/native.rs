//! Native timings of the engine's hot paths, medians of repeated runs after a warm-up:
//!
//! 1. the reference surface: MLP 10→64→1 on the 354 diabetes train rows, 51×51,
//!    filter-normalized, f32, first layer factored;
//! 2. 1000 AdamW updates at batch 32 (no accumulation, no clipping) on the same model;
//! 3. a digits surface: MLP 64→128→10 on the 1437 train rows, 51×51.
//!
//! Run: `cargo run --release --example bench_native [REPEATS] [surface|updates|digits]`
//! (all three without a name; bench/run.sh runs it with the other engines).

use std::time::Instant;

use landscape_lab::config::{DataConfig, DataSource, ModelConfig, RunConfig, ScheduleConfig};
use landscape_lab::landscape::SurfaceJob;
use landscape_lab::train::Trainer;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time_ms(repeats: usize, mut work: impl FnMut()) -> f64 {
    work();
    let samples = (0..repeats)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    median(samples)
}

fn surface_ms(config: RunConfig, repeats: usize) -> f64 {
    let trainer = Trainer::new(config).expect("bench config is valid");
    time_ms(repeats, || {
        let mut job = SurfaceJob::new(&trainer).expect("surface job");
        while !job.compute_rows(51) {}
    })
}

fn main() {
    let repeats: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);

    let only = std::env::args().nth(2).unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only == name;
    println!("workload,native_ms");

    if wanted("surface") {
        let reference = surface_ms(RunConfig::default(), repeats);
        println!("reference surface 51x51,{reference:.2}");
    }

    let training = RunConfig {
        epochs: 1000usize.div_ceil(12),
        accumulation_steps: 1,
        clip_norm: None,
        schedule: ScheduleConfig::Constant,
        ..RunConfig::default()
    };
    if wanted("updates") {
        let updates_ms = time_ms(repeats, || {
            let mut trainer = Trainer::new(training.clone()).expect("valid");
            for _ in 0..1000 {
                trainer.step();
            }
        });
        println!("1000 AdamW updates batch 32,{updates_ms:.2}");
    }

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
    if wanted("digits") {
        let digits_ms = surface_ms(digits, repeats.min(5));
        println!("digits surface 51x51,{digits_ms:.2}");
    }
}
