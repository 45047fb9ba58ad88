//! Every preset produces the diagnosis it is named for: one row of the source material's
//! diagnosis table each, run natively to the end.

use landscape_lab::presets::{self, PRESETS};
use landscape_lab::train::{Status, Trainer};
use landscape_lab::RunConfig;

/// On the preset's own seed and on two more: a lesson must not hang on one lucky seed.
#[test]
fn every_preset_shows_its_diagnosis() {
    for preset in PRESETS {
        for extra_seed in 0..3 {
            let mut config = preset.config().unwrap();
            config.seed += extra_seed;
            let mut trainer = Trainer::new(config).unwrap();
            trainer.run_to_end();
            let diagnosis = trainer.diagnosis();
            assert_eq!(
                diagnosis.code, preset.expected_diagnosis,
                "preset {} (seed + {extra_seed}): {}",
                preset.name, diagnosis.message
            );
            assert!(!diagnosis.fix.is_empty());
        }
    }
}

#[test]
fn the_reference_preset_is_the_default_config() {
    let reference = presets::find("reference").unwrap().config().unwrap();
    assert_eq!(reference, RunConfig::default());
}

#[test]
fn early_stopping_preset_stops_and_restores() {
    let config = presets::find("early_stopping").unwrap().config().unwrap();
    let mut trainer = Trainer::new(config).unwrap();
    trainer.run_to_end();
    assert_eq!(trainer.status(), Status::Finished);
    let stopped = trainer.stopped_early_at().expect("stops before epoch 400");
    assert!(stopped < 400);
    assert_eq!(trainer.restored_epoch(), Some(stopped - 10));
    let message = trainer.diagnosis().message;
    assert!(
        message.contains(&format!("epoch {}", stopped - 10)),
        "{message}"
    );
}

#[test]
fn unknown_preset_lists_the_known_ones() {
    let err = presets::find("nope").unwrap_err().to_string();
    assert!(
        err.contains("\"nope\" is unknown") && err.contains("reference"),
        "{err}"
    );
}

/// The divergence lesson's fix works: with its gradients clipped at norm 1, or a tenth of
/// its learning rate, the same run finishes. (Clipped, SGD at 0.5 still oscillates: the
/// diagnosis moves on to "learning rate too high", the next lesson.)
#[test]
fn diverged_preset_is_fixed_by_clipping_or_a_lower_learning_rate() {
    let preset = presets::find("diverged").unwrap();
    let mut clipped = preset.config().unwrap();
    clipped.clip_norm = Some(1.0);
    let mut slower = preset.config().unwrap();
    slower.optimizer.lr /= 10.0;

    let mut codes = Vec::new();
    for (fix, config) in [("clip at 1", clipped), ("lr 0.05", slower)] {
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        assert_eq!(trainer.status(), Status::Finished, "{fix}");
        assert_eq!(trainer.updates_done(), trainer.total_updates(), "{fix}");
        codes.push(trainer.diagnosis().code);
    }
    assert_eq!(
        codes[0], "lr_too_high",
        "clipped, the steps still overshoot"
    );
}

/// A run that diverges although it clips is not told to clip: the fix names the
/// threshold it had and a lower learning rate.
#[test]
fn a_run_that_clipped_and_still_diverged_is_told_what_else_to_do() {
    let preset = presets::find("diverged").unwrap();
    let unclipped = {
        let mut trainer = Trainer::new(preset.config().unwrap()).unwrap();
        trainer.run_to_end();
        trainer.diagnosis()
    };
    assert_eq!(unclipped.code, "diverged");
    assert!(
        unclipped.fix.starts_with("clip gradients"),
        "{}",
        unclipped.fix
    );

    let mut config = preset.config().unwrap();
    config.clip_norm = Some(1e30);
    let mut trainer = Trainer::new(config).unwrap();
    trainer.run_to_end();
    let verdict = trainer.diagnosis();
    assert_eq!(
        verdict.code, "diverged",
        "a norm of 1e30 clips nothing that matters"
    );
    assert!(
        verdict.fix.starts_with(
            "lower the learning rate or clip harder than norm 1e30 (this run clipped already)"
        ),
        "{}",
        verdict.fix
    );
}

/// The lesson on a learning rate too high says what fixes it: a tenth of the rate, or
/// warmup with cosine decay; warmup that holds the full rate afterwards still oscillates.
#[test]
fn lr_too_high_preset_is_fixed_by_a_lower_or_decaying_learning_rate() {
    let preset = presets::find("lr_too_high").unwrap();
    let code_with = |schedule: &str, lr: f64| {
        let mut config = preset.config().unwrap();
        config.optimizer.lr = lr;
        config.schedule = RunConfig::from_json(&format!(r#"{{"schedule": {schedule}}}"#))
            .unwrap()
            .schedule;
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        trainer.diagnosis().code
    };

    assert_eq!(code_with(r#"{"name": "constant"}"#, 0.15), "lr_too_high");
    assert_ne!(code_with(r#"{"name": "constant"}"#, 0.015), "lr_too_high");
    assert_ne!(
        code_with(r#"{"name": "warmup_cosine"}"#, 0.15),
        "lr_too_high"
    );
    assert_eq!(
        code_with(r#"{"name": "warmup_cosine", "eta_min": 0.15}"#, 0.15),
        "lr_too_high",
        "warmup without decay"
    );
}
