//! The source material's diagnosis table, judged on the curves with rules relative to the
//! data's own scale rather than absolute loss values.
//!
//! The scale is the *baseline*: the train loss of always predicting the train targets'
//! mean (1 for z-scored targets under MSE). Rules, checked in order on the per-epoch
//! evaluated train loss and validation loss:
//!
//! | code | when | fix |
//! |---|---|---|
//! | `diverged` | a non-finite loss or gradient norm | clip gradients, lower the LR |
//! | `too_early` | fewer than 3 epochs | wait |
//! | `lr_too_high` | the train loss rose ≥ 10 % between epochs in ≥ 30 % of recent epochs | lower the LR, add warmup |
//! | `overfitting_past_optimum` | val ≥ 5 % above its minimum, reached ≥ 3 epochs ago | early stopping |
//! | `underfitting` | train ≥ 90 % of baseline and < 2 % better over the last quarter | raise the LR, train longer, bigger model |
//! | `overfitting_begins` | val flat (< 2 % change) while train still falls (> 2 %), gap ≥ 20 % of val | regularize, more data |
//! | `normal` | otherwise | keep training, watch the gap |

use serde::Serialize;

use super::history::History;
use super::trainer::Status;
use crate::config::LossKind;
use crate::data::PreparedData;

/// Epochs needed before any rule but divergence is judged.
const MIN_EPOCHS: usize = 3;

/// A verdict on the curves: a stable code, a sentence of evidence, and the fix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    pub code: String,
    pub message: String,
    pub fix: String,
}

impl Diagnosis {
    fn new(code: &str, message: String, fix: &str) -> Self {
        Diagnosis {
            code: code.into(),
            message,
            fix: fix.into(),
        }
    }
}

/// Train loss of the best constant prediction: the targets' mean for regression, the
/// class frequencies (as logits) for classification. The diagnosis's scale.
pub fn baseline_loss(data: &PreparedData, loss: LossKind) -> f64 {
    let train = &data.train;
    let n = train.len();
    if n == 0 {
        return f64::NAN;
    }
    let prediction: Vec<f32> = match loss {
        LossKind::Mse => (0..train.n_outputs)
            .map(|k| {
                let sum: f64 = (0..n).map(|i| f64::from(train.target_row(i)[k])).sum();
                (sum / n as f64) as f32
            })
            .collect(),
        LossKind::Bce | LossKind::CrossEntropy => {
            let classes = data.n_classes.max(2);
            let mut counts = vec![0.0f64; classes];
            for &y in &train.targets {
                counts[(y as usize).min(classes - 1)] += 1.0;
            }
            // Clamp empty classes so the logits stay finite.
            let p = |k: usize| (counts[k] / n as f64).clamp(1e-7, 1.0 - 1e-7);
            if loss == LossKind::Bce {
                vec![(p(1) / p(0)).ln() as f32]
            } else {
                (0..classes).map(|k| p(k).ln() as f32).collect()
            }
        }
    };
    (0..n)
        .map(|i| loss.sample_loss(&prediction, train.target_row(i)))
        .sum::<f64>()
        / n as f64
}

/// Relative change from `old` to `new` (positive = increase).
fn relative_change(old: f64, new: f64) -> f64 {
    (new - old) / old.abs().max(f64::MIN_POSITIVE)
}

/// Judges the run from its history.
pub fn diagnose(history: &History, status: Status, baseline: f64) -> Diagnosis {
    if let Status::Diverged { update } = status {
        return Diagnosis::new(
            "diverged",
            format!(
                "the loss or gradient norm became non-finite at update {update}; training \
                 stopped and kept the last finite weights"
            ),
            "clip gradients, lower the learning rate, and check the data for inf values",
        );
    }
    let epochs = &history.epochs;
    let n = epochs.len();
    if n < MIN_EPOCHS {
        return Diagnosis::new(
            "too_early",
            format!("{n} epoch(s) so far: at least {MIN_EPOCHS} are needed to judge"),
            "keep training",
        );
    }

    let train: Vec<f64> = epochs.iter().map(|e| e.train_loss_eval).collect();
    let recent = (n / 4).max(MIN_EPOCHS - 1).min(n - 1);
    let last_train = train[n - 1];
    let train_change = relative_change(train[n - 1 - recent], last_train);

    // Oscillation: the evaluated train loss jumps up between epochs often.
    let window = n.min(10);
    let rises = train[n - window..]
        .windows(2)
        .filter(|w| relative_change(w[0], w[1]) >= 0.10)
        .count();
    if rises * 10 >= 3 * (window - 1) {
        return Diagnosis::new(
            "lr_too_high",
            format!(
                "the train loss rose by 10 % or more between epochs {rises} times in the \
                 last {window} epochs"
            ),
            "reduce the learning rate or add warmup",
        );
    }

    let val: Option<Vec<f64>> = epochs.iter().map(|e| e.val_loss).collect();
    if let Some(val) = &val {
        let (best_index, best_val) =
            val.iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (i, v)| if v < best.1 { (i, v) } else { best },
                );
        let last_val = val[n - 1];
        if relative_change(best_val, last_val) >= 0.05 && n - 1 - best_index >= 3 {
            return Diagnosis::new(
                "overfitting_past_optimum",
                format!(
                    "validation loss {last_val:.4} is {:.0} % above its minimum {best_val:.4} \
                     at epoch {}",
                    100.0 * relative_change(best_val, last_val),
                    best_index + 1
                ),
                "stop early: keep the weights from the best epoch",
            );
        }
    }

    if last_train >= 0.9 * baseline && train_change > -0.02 {
        return Diagnosis::new(
            "underfitting",
            format!(
                "train loss {last_train:.4} is {:.0} % of the mean predictor's {baseline:.4} \
                 and changed {:.1} % over the last {recent} epochs",
                100.0 * last_train / baseline,
                100.0 * train_change
            ),
            "increase the learning rate, train longer, or use a larger model",
        );
    }

    if let Some(val) = &val {
        let last_val = val[n - 1];
        let val_change = relative_change(val[n - 1 - recent], last_val);
        let gap = (last_val - last_train) / last_val.abs().max(f64::MIN_POSITIVE);
        if val_change.abs() < 0.02 && train_change < -0.02 && gap >= 0.2 {
            return Diagnosis::new(
                "overfitting_begins",
                format!(
                    "validation loss is flat ({:+.1} %) while train loss still falls \
                     ({:+.1} %); the gap is {:.0} % of the validation loss",
                    100.0 * val_change,
                    100.0 * train_change,
                    100.0 * gap
                ),
                "add regularization (weight decay, dropout) or more data",
            );
        }
    }

    let val_text = val
        .as_ref()
        .map(|v| format!(", validation {:.4}", v[n - 1]))
        .unwrap_or_default();
    Diagnosis::new(
        "normal",
        format!(
            "train loss {last_train:.4} ({:.0} % of the mean predictor's){val_text}; no \
             sign of trouble",
            100.0 * last_train / baseline
        ),
        "continue training and watch the train-validation gap",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::EpochRecord;

    fn history(train: &[f64], val: &[f64]) -> History {
        History {
            updates: vec![],
            epochs: train
                .iter()
                .zip(val)
                .enumerate()
                .map(|(i, (&t, &v))| EpochRecord {
                    epoch: i + 1,
                    train_loss_running: t,
                    train_loss_eval: t,
                    val_loss: Some(v),
                    lr_end: 1e-3,
                    grad_norm_mean: 1.0,
                    train_accuracy: None,
                    val_accuracy: None,
                    val_r2: None,
                    val_rmse: None,
                })
                .collect(),
        }
    }

    fn code(train: &[f64], val: &[f64], baseline: f64) -> String {
        diagnose(&history(train, val), Status::Running, baseline).code
    }

    /// The same curves scaled by 1000 must get the same verdict: the rules are relative.
    #[test]
    fn verdicts_follow_the_table_at_any_scale() {
        for scale in [1.0, 1000.0] {
            let s = |v: &[f64]| v.iter().map(|x| x * scale).collect::<Vec<_>>();
            let falling = [1.0, 0.8, 0.6, 0.5, 0.45, 0.42, 0.40, 0.39];
            let past_optimum = [0.9, 0.7, 0.6, 0.62, 0.66, 0.70, 0.75, 0.8];
            let flat_val = [0.9, 0.7, 0.6, 0.60, 0.60, 0.60, 0.60, 0.60];
            let stuck = [1.0, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99];
            let wild = [1.0, 0.5, 0.9, 0.4, 0.8, 0.4, 0.9, 0.5];
            assert_eq!(code(&s(&falling), &s(&falling), scale), "normal");
            assert_eq!(
                code(&s(&falling), &s(&past_optimum), scale),
                "overfitting_past_optimum"
            );
            assert_eq!(
                code(&s(&falling), &s(&flat_val), scale),
                "overfitting_begins"
            );
            assert_eq!(code(&s(&stuck), &s(&stuck), scale), "underfitting");
            assert_eq!(code(&s(&wild), &s(&wild), scale), "lr_too_high");
        }
        assert_eq!(code(&[1.0, 0.9], &[1.0, 0.9], 1.0), "too_early");
    }
}
