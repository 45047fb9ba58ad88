//! Lessons whose point is a fact about two runs, checked natively: the gradient
//! accumulation preset trains the same network as one big batch.

use landscape_lab::presets;
use landscape_lab::train::Trainer;

/// Batch 8 × 4 accumulation steps against batch 32 × 1 from the same seed: the same
/// update count and, up to f32 summation order, the same losses at every epoch.
#[test]
fn accumulation_preset_matches_one_big_batch() {
    let accumulated = presets::find("accumulation_equals_big_batch")
        .unwrap()
        .config()
        .unwrap();
    let mut big = accumulated.clone();
    big.batch_size = 32;
    big.accumulation_steps = 1;

    let mut a = Trainer::new(accumulated).unwrap();
    let mut b = Trainer::new(big).unwrap();
    assert_eq!(
        a.total_updates(),
        b.total_updates(),
        "12 updates per epoch each"
    );
    assert_eq!(a.total_updates(), 360, "12 per epoch for 30 epochs");
    a.run_to_end();
    b.run_to_end();

    for (x, y) in a.history().epochs.iter().zip(&b.history().epochs) {
        let relative = (x.train_loss_eval - y.train_loss_eval).abs() / y.train_loss_eval;
        assert!(
            relative < 1e-4,
            "epoch {}: train loss {} vs {}",
            x.epoch,
            x.train_loss_eval,
            y.train_loss_eval
        );
        let (vx, vy) = (x.val_loss.unwrap(), y.val_loss.unwrap());
        assert!(
            (vx - vy).abs() / vy < 1e-4,
            "epoch {}: {vx} vs {vy}",
            x.epoch
        );
    }
    assert_eq!(a.diagnosis().code, b.diagnosis().code);
}
