//! What the page's settings panel relies on, checked natively: a config survives the trip
//! through JSON (and so through the page's URL) bit for bit, a config whose plan builds is
//! one the trainer accepts, and the page's history downloads are the CLI's files.

use std::process::Command;

use landscape_lab::config::{RunConfig, ScheduleConfig};
use landscape_lab::export::tables;
use landscape_lab::plan::RunPlan;
use landscape_lab::presets::PRESETS;
use landscape_lab::train::Trainer;
use rand::{Rng, SeedableRng};

/// Numbers written in their shortest form (as JavaScript's JSON.stringify and serde_json
/// write them) must parse back to the same bits, or a shared link would not reproduce
/// its run. serde_json's default float parser is not exact; the crate enables its
/// `float_roundtrip` feature.
#[test]
fn shortest_float_text_parses_to_the_same_bits() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for _ in 0..20_000 {
        let value = f64::from_bits(rng.random::<u64>() >> 2);
        if !value.is_finite() {
            continue;
        }
        let text = format!("{value:e}");
        let back: f64 = serde_json::from_str(&text).unwrap();
        assert_eq!(back.to_bits(), value.to_bits(), "{text} parsed as {back:e}");
    }
}

#[test]
fn a_config_round_trips_through_json_exactly() {
    let mut config = RunConfig {
        seed: (1 << 53) - 1,
        ..RunConfig::default()
    };
    config.optimizer.lr = 0.1 + 0.2;
    config.optimizer.betas = [0.9 - 1e-17, 1.0 - 1.0 / 3.0 * 1e-3];
    config.schedule = ScheduleConfig::WarmupCosine {
        warmup_fraction: 1.0 / 3.0,
        warmup_updates: None,
        start_factor: 0.1 / 7.0,
        eta_min: 2.2250738585072014e-308,
    };
    config.landscape.range = std::f64::consts::PI;
    let compact = serde_json::to_string(&config).unwrap();
    let back = RunConfig::from_json(&compact).unwrap();
    assert_eq!(back, config, "compact JSON must give the same config");
    assert_eq!(serde_json::to_string(&back).unwrap(), compact);
}

#[test]
fn every_preset_plans_like_its_trainer() {
    for preset in PRESETS {
        let config = preset.config().unwrap();
        let plan = RunPlan::new(&config).unwrap();
        let trainer = Trainer::new(config).unwrap();
        assert_eq!(
            plan.total_updates,
            trainer.total_updates(),
            "preset {}",
            preset.name
        );
        assert_eq!(plan.n_train, trainer.data().train.len());
        assert_eq!(plan.parameter_count, trainer.params().len());
    }
}

/// The page's `epochs.csv` and `updates.csv` downloads (`tables::records_csv` in the
/// engine) must be byte for byte the files `landscape-lab train` writes.
#[test]
fn history_downloads_equal_the_cli_files() {
    let config = RunConfig {
        epochs: 3,
        seed: 11,
        ..RunConfig::default()
    };
    let dir = std::env::temp_dir().join(format!("landscape-lab-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config.to_json()).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
        .args(["train", "--config"])
        .arg(&config_path)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");

    let mut trainer = Trainer::new(config).unwrap();
    trainer.run_to_end();
    let history = trainer.history();
    let cli_epochs = std::fs::read_to_string(dir.join("epochs.csv")).unwrap();
    let cli_updates = std::fs::read_to_string(dir.join("updates.csv")).unwrap();
    assert_eq!(tables::records_csv(&history.epochs).unwrap(), cli_epochs);
    assert_eq!(tables::records_csv(&history.updates).unwrap(), cli_updates);
    std::fs::remove_dir_all(&dir).unwrap();
}
