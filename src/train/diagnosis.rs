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
//! | `overfitting_begins` | train still falls (> 2 %) and val improves at under a quarter of its pace, gap ≥ 20 % of val | regularize, more data |
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

/// Judges the run from its history; `clip_norm` is the run's gradient clipping, if any.
pub fn diagnose(
    history: &History,
    status: Status,
    baseline: f64,
    clip_norm: Option<f64>,
) -> Diagnosis {
    if let Status::Diverged { update } = status {
        return diverged(
            format!(
                "the loss or gradient norm became non-finite at update {update}; training \
                 stopped and kept the last finite weights"
            ),
            clip_norm,
        );
    }
    let train: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .map(|e| (e.epoch as f64, e.train_loss_eval))
        .collect();
    // The lab records a validation loss for every epoch or for none.
    let val: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .map(|e| e.val_loss.map(|v| (e.epoch as f64, v)))
        .collect::<Option<_>>()
        .unwrap_or_default();
    let mut diagnosis = judge(&Curves {
        train: &train,
        val: &val,
        unit: "epoch",
        position: "epoch",
        scale: Scale::Baseline(baseline),
    })
    .diagnosis;

    // A finished run cannot "keep training": say what the verdict means for it.
    if status == Status::Finished {
        match diagnosis.code.as_str() {
            "too_early" => {
                let n = history.epochs.len();
                diagnosis.message = format!(
                    "the run had only {n} epoch(s): at least {MIN_EPOCHS} are needed to judge"
                );
                diagnosis.fix = "train for more epochs".into();
            }
            "normal" => diagnosis.fix = "nothing to fix: the run finished normally".into(),
            _ => {}
        }
    }
    diagnosis
}

/// The verdict on a run whose loss or gradient norm became non-finite; `message` says
/// where. A run that clipped its gradients at `clip_norm` already is not told to clip.
pub fn diverged(message: String, clip_norm: Option<f64>) -> Diagnosis {
    let fix = match clip_norm {
        None => {
            "clip gradients, lower the learning rate, and check the data for inf values".to_string()
        }
        Some(clip) => {
            let clip = if (1e-3..1e6).contains(&clip) {
                format!("{clip}")
            } else {
                format!("{clip:e}")
            };
            format!(
                "lower the learning rate or clip harder than norm {clip} (this run clipped \
                 already), and check the data for inf values"
            )
        }
    };
    Diagnosis {
        code: "diverged".into(),
        message,
        fix,
    }
}

/// What the losses are measured against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// The train loss of the best constant prediction ([`baseline_loss`]).
    Baseline(f64),
    /// The first train loss of the curve, standing in for the baseline when it is unknown
    /// (a log from elsewhere): "underfitting" then means the loss stayed near where it
    /// started.
    FirstTrainLoss,
}

/// Finite loss curves to judge: (position, loss) pairs in order, one per point. Either
/// curve may be empty (missing); the rules that need it are then skipped and named in
/// [`Judgement::not_judged`].
#[derive(Clone, Copy, Debug)]
pub struct Curves<'a> {
    pub train: &'a [(f64, f64)],
    pub val: &'a [(f64, f64)],
    /// What one point is, singular: "epoch", "evaluation", "window".
    pub unit: &'a str,
    /// What a position counts, singular: "epoch" or "step".
    pub position: &'a str,
    pub scale: Scale,
}

/// A verdict and the rules that could not be checked for want of a curve.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Judgement {
    pub diagnosis: Diagnosis,
    pub not_judged: Vec<String>,
}

/// Applies the table's rules (see the module docs) to finite curves. With both curves of
/// equal length and [`Scale::Baseline`] this is exactly the lab's diagnosis.
pub fn judge(curves: &Curves) -> Judgement {
    let unit = curves.unit;
    let train: Vec<f64> = curves.train.iter().map(|p| p.1).collect();
    let val: Vec<f64> = curves.val.iter().map(|p| p.1).collect();
    let mut not_judged = Vec::new();
    if train.len() < MIN_EPOCHS && val.len() < MIN_EPOCHS {
        let n = train.len().max(val.len());
        let diagnosis = Diagnosis::new(
            "too_early",
            format!("{n} {unit}(s) so far: at least {MIN_EPOCHS} are needed to judge"),
            "keep training",
        );
        return Judgement {
            diagnosis,
            not_judged,
        };
    }
    let train_judged = train.len() >= MIN_EPOCHS;
    let val_judged = val.len() >= MIN_EPOCHS;
    if !train_judged {
        not_judged.push(format!(
            "{}: oscillation (learning rate too high), underfitting and the \
             train-validation gap were not judged",
            missing_text("train loss", train.len(), unit)
        ));
    }
    if !val_judged {
        not_judged.push(format!(
            "{}: overfitting (past the optimum, or beginning) was not judged",
            missing_text("validation loss", val.len(), unit)
        ));
    }
    let (scale, scale_name) = match curves.scale {
        Scale::Baseline(baseline) => (baseline, "the mean predictor's"),
        Scale::FirstTrainLoss => (
            train.first().copied().unwrap_or(f64::NAN),
            "the first recorded train loss",
        ),
    };
    let diagnosis = rules(curves, &train, &val, (scale, scale_name));
    Judgement {
        diagnosis,
        not_judged,
    }
}

/// "no validation loss" or "only 2 validation loss points".
fn missing_text(what: &str, count: usize, unit: &str) -> String {
    if count == 0 {
        format!("no {what}")
    } else {
        format!("only {count} {unit}(s) with a {what}")
    }
}

/// The rules in order; each curve is used only when it has enough points.
fn rules(curves: &Curves, train: &[f64], val: &[f64], scale: (f64, &str)) -> Diagnosis {
    let unit = curves.unit;
    let (baseline, scale_name) = scale;
    let recent_of = |n: usize| (n / 4).max(MIN_EPOCHS - 1).min(n - 1);

    let train_trend = (train.len() >= MIN_EPOCHS).then(|| {
        let n = train.len();
        let recent = recent_of(n);
        (
            train[n - 1],
            relative_change(train[n - 1 - recent], train[n - 1]),
            recent,
        )
    });
    if train_trend.is_some() {
        // Oscillation: the train loss jumps up between points often.
        let n = train.len();
        let window = n.min(10);
        let rises = train[n - window..]
            .windows(2)
            .filter(|w| relative_change(w[0], w[1]) >= 0.10)
            .count();
        if rises * 10 >= 3 * (window - 1) {
            return Diagnosis::new(
                "lr_too_high",
                format!(
                    "the train loss rose by 10 % or more between {unit}s {rises} times in \
                     the last {window} {unit}s"
                ),
                "reduce the learning rate or add warmup",
            );
        }
    }

    let val_judged = val.len() >= MIN_EPOCHS;
    if val_judged {
        let n = val.len();
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
                     at {} {}",
                    100.0 * relative_change(best_val, last_val),
                    curves.position,
                    position_text(curves.val[best_index].0)
                ),
                "stop early: keep the weights from the best epoch",
            );
        }
    }

    if let Some((last_train, train_change, recent)) = train_trend {
        if last_train >= 0.9 * baseline && train_change > -0.02 {
            return Diagnosis::new(
                "underfitting",
                format!(
                    "train loss {last_train:.4} is {:.0} % of {scale_name} {baseline:.4} \
                     and changed {:.1} % over the last {recent} {unit}s",
                    100.0 * last_train / baseline,
                    100.0 * train_change
                ),
                "increase the learning rate, train longer, or use a larger model",
            );
        }
        if val_judged {
            let n = val.len();
            let last_val = val[n - 1];
            let val_change = relative_change(val[n - 1 - recent_of(n)], last_val);
            let gap = (last_val - last_train) / last_val.abs().max(f64::MIN_POSITIVE);
            // Validation improves (or rises) at less than a quarter of the train loss's pace.
            let plateau = val_change < 0.02 && val_change > train_change / 4.0;
            if plateau && train_change < -0.02 && gap >= 0.2 {
                return Diagnosis::new(
                    "overfitting_begins",
                    format!(
                        "validation loss changed {:+.1} % while train loss fell {:.1} %; \
                         the gap is {:.0} % of the validation loss",
                        100.0 * val_change,
                        -100.0 * train_change,
                        100.0 * gap
                    ),
                    "add regularization (weight decay, dropout) or more data",
                );
            }
        }
    }

    let val_text = val
        .last()
        .filter(|_| val_judged)
        .map(|v| format!("validation {v:.4}"));
    let message = match (train_trend, val_text) {
        (Some((last_train, _, _)), val_text) => {
            let val_text = val_text.map(|t| format!(", {t}")).unwrap_or_default();
            let short_name = match curves.scale {
                Scale::Baseline(_) => "the mean predictor's",
                Scale::FirstTrainLoss => "the first recorded one",
            };
            format!(
                "train loss {last_train:.4} ({:.0} % of {short_name}){val_text}; no sign of \
                 trouble",
                100.0 * last_train / baseline
            )
        }
        (None, Some(val_text)) => format!("{val_text}; no sign of trouble"),
        (None, None) => "no sign of trouble".to_string(),
    };
    let fix = if val_judged {
        "continue training and watch the train-validation gap"
    } else {
        "continue training"
    };
    Diagnosis::new("normal", message, fix)
}

/// A position as text: whole numbers without decimals.
fn position_text(position: f64) -> String {
    if position.fract() == 0.0 && position.abs() < 1e15 {
        format!("{}", position as i64)
    } else {
        format!("{position}")
    }
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
        diagnose(&history(train, val), Status::Running, baseline, None).code
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

    /// Curves with one side missing are judged on what is there, and say what was not.
    #[test]
    fn missing_curves_are_named() {
        let points = |v: &[f64]| -> Vec<(f64, f64)> {
            v.iter()
                .enumerate()
                .map(|(i, &y)| ((i + 1) as f64, y))
                .collect()
        };
        let falling = points(&[1.0, 0.8, 0.6, 0.5, 0.45, 0.42, 0.40, 0.39]);
        let past_optimum = points(&[0.9, 0.7, 0.6, 0.62, 0.66, 0.70, 0.75, 0.8]);
        let curves = |train, val| Curves {
            train,
            val,
            unit: "evaluation",
            position: "step",
            scale: Scale::FirstTrainLoss,
        };

        let train_only = judge(&curves(&falling, &[]));
        assert_eq!(train_only.diagnosis.code, "normal");
        assert!(
            train_only
                .diagnosis
                .message
                .contains("39 % of the first recorded one"),
            "{}",
            train_only.diagnosis.message
        );
        assert_eq!(
            train_only.not_judged.len(),
            1,
            "only the validation rules are skipped"
        );
        assert!(train_only.not_judged[0].starts_with("no validation loss"));

        let val_only = judge(&curves(&[], &past_optimum));
        assert_eq!(val_only.diagnosis.code, "overfitting_past_optimum");
        assert!(
            val_only.diagnosis.message.ends_with("at step 3"),
            "the position is named: {}",
            val_only.diagnosis.message
        );
        assert!(val_only.not_judged[0].starts_with("no train loss"));

        let stuck = points(&[1.0, 0.99, 0.99, 0.99, 0.99]);
        let relative = judge(&curves(&stuck, &[]));
        assert_eq!(
            relative.diagnosis.code, "underfitting",
            "99 % of the first loss"
        );
    }
}
