//! A million updates keep memory bounded: the history is decimated and the path's
//! checkpoints thinned, whatever the run's length.

use landscape_lab::config::{DataConfig, DataSource, InlineData, ModelConfig, RunConfig};
use landscape_lab::config::{OptimizerConfig, OptimizerKind, ScheduleConfig};
use landscape_lab::train::history::MAX_RECORDS;
use landscape_lab::train::Trainer;

#[test]
fn a_million_updates_stay_bounded() {
    // Ten updates per epoch (batch 1 on ten samples) of a two-parameter model for
    // 100,000 epochs: one run of 10^6 updates, cheap enough for a test.
    let config = RunConfig {
        epochs: 100_000,
        batch_size: 1,
        accumulation_steps: 1,
        clip_norm: None,
        data: DataConfig {
            source: DataSource::Inline,
            standardize: false,
            val_fraction: 0.0,
            train: Some(InlineData {
                x: (1..=10).map(|i| vec![f64::from(i) / 10.0]).collect(),
                y: (1..=10)
                    .map(|i| f64::from(i) / 5.0 + 0.01 * f64::from(i % 3))
                    .collect(),
            }),
            ..DataConfig::default()
        },
        model: ModelConfig {
            hidden: vec![],
            ..ModelConfig::default()
        },
        optimizer: OptimizerConfig {
            name: OptimizerKind::Sgd,
            lr: 0.01,
            weight_decay: None,
            ..OptimizerConfig::default()
        },
        schedule: ScheduleConfig::Constant,
        ..RunConfig::default()
    };
    let mut trainer = Trainer::new(config).unwrap();
    trainer.run_to_end();
    assert_eq!(trainer.updates_done(), 1_000_000);
    let history = trainer.history();
    assert!(
        history.updates.len() <= MAX_RECORDS,
        "{}",
        history.updates.len()
    );
    assert!(
        history.epochs.len() <= MAX_RECORDS,
        "{}",
        history.epochs.len()
    );
    assert!(trainer.checkpoints().as_slice().len() <= 512);
    assert_eq!(
        history.updates.last().unwrap().update,
        999_999,
        "the newest stays"
    );
    assert_eq!(history.epochs.last().unwrap().epoch, 100_000);
    assert!(history
        .updates
        .windows(2)
        .all(|w| w[0].update < w[1].update));
}
