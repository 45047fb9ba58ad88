//! The comparison presets show what their explanations claim, on more than one seed, and
//! the command line writes the seed-spread table the README quotes
//! (bench/flat_vs_sharp.sh runs the full five seeds).

use std::process::Command;

use landscape_lab::compare;
use landscape_lab::presets::{self, COMPARISONS};
use landscape_lab::train::Trainer;
use landscape_lab::RunConfig;

#[test]
fn every_comparison_preset_is_valid_and_shares_its_start() {
    for preset in COMPARISONS {
        let [a, b] = preset.configs().unwrap();
        assert_eq!(a.data, b.data, "{}: same data", preset.name);
        assert_eq!(a.model, b.model, "{}: same model", preset.name);
    }
}

/// Equal epochs: the small-batch minimum is flatter and validates better on every seed.
#[test]
fn flat_vs_sharp_holds_on_two_seeds() {
    let [a, b] = presets::find_comparison("flat_vs_sharp")
        .unwrap()
        .configs()
        .unwrap();
    let rows = compare::seed_spread(&a, &b, 2).unwrap();
    for metric in ["lambda_max", "trace", "eps_sharpness", "val_loss"] {
        let row = rows.iter().find(|r| r.metric == metric).unwrap();
        assert_eq!(row.a_lower, 2, "{metric}: {row:?}");
    }
}

#[test]
fn compare_command_writes_the_spread_table() {
    let out = std::env::temp_dir().join(format!("landscape-lab-compare-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
        .args([
            "compare",
            "--preset",
            "sgd_vs_adam",
            "--seeds",
            "2",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.starts_with("| metric | SGD 0.05 (mean ± sd) | Adam 1e-3 (mean ± sd)"));
    assert!(table.contains("| lambda_max |"));
    for file in [
        "surface_a.json",
        "surface_b.json",
        "interpolation.json",
        "metrics.csv",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
    let metrics = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert!(metrics.starts_with("label,lambda_max,trace,eps_sharpness,train_loss,val_loss,gap"));
    let _ = std::fs::remove_dir_all(&out);
}

/// Without warmup the gradient norm over the warmup's updates (the first tenth) peaks
/// higher than with it, on every one of four seeds.
#[test]
fn warmup_vs_no_warmup_calms_the_start_on_four_seeds() {
    let [warmup, none] = presets::find_comparison("warmup_vs_no_warmup")
        .unwrap()
        .configs()
        .unwrap();
    let peak_at_start = |config: &RunConfig, seed_offset: u64| {
        let mut config = config.clone();
        config.seed += seed_offset;
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        let warmup_updates = trainer.total_updates() / 10;
        trainer.history().updates[..warmup_updates]
            .iter()
            .map(|update| update.grad_norm)
            .fold(0.0, f64::max)
    };
    for seed_offset in 0..4 {
        let (with, without) = (
            peak_at_start(&warmup, seed_offset),
            peak_at_start(&none, seed_offset),
        );
        assert!(
            without > 1.2 * with,
            "seed + {seed_offset}: peak {without} without warmup, {with} with"
        );
    }
}
