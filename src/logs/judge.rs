//! From a merged run to the points the diagnosis judges, and the verdict.
//!
//! The lab judges one point per epoch. A log gives what it gives, so the points are, in
//! order of preference:
//! 1. **epochs**, when losses were logged per epoch (missing values are filled from the
//!    epoch's steps), or when steps say which epoch they belong to and there are at least
//!    as many epochs as evaluations: the train loss is the mean of the epoch's step
//!    losses (the source material's running mean), the validation loss the epoch's last;
//! 2. **evaluations**, when validation losses were logged at steps: one point per
//!    evaluation, its train loss the mean over the steps since the previous one;
//! 3. **windows** of equal numbers of steps (about [`TARGET_WINDOWS`] of them), when
//!    only train losses were logged at steps.
//!
//! Divergence is looked for first, on every value as logged: the first non-finite train
//! loss, validation loss or gradient norm is the verdict, as in the lab. Long logs are
//! bounded exactly as the lab's history is: the points and steps pass through
//! [`History`], whose decimation keeps the recent half intact and the extremes of the
//! older half, and the diagnosis judges what is kept.

use std::collections::BTreeMap;

use serde::Serialize;

use super::run::{ImportedRun, Row};
use super::series::Quantity;
use crate::train::diagnosis::{self, Curves, Judgement, Scale};
use crate::train::{EpochRecord, History, UpdateRecord};

/// About how many windows a steps-only log is cut into.
pub const TARGET_WINDOWS: usize = 50;

/// What one judged point is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Grouping {
    Epochs,
    Evaluations,
    Windows { steps: usize },
}

impl Grouping {
    /// The noun for one point, as the diagnosis's messages use it.
    pub fn unit(self) -> &'static str {
        match self {
            Grouping::Epochs => "epoch",
            Grouping::Evaluations => "evaluation",
            Grouping::Windows { .. } => "window",
        }
    }

    /// What a point's position counts.
    pub fn position(self) -> &'static str {
        match self {
            Grouping::Epochs => "epoch",
            _ => "step",
        }
    }

    /// The position of `row` on this grouping's axis.
    pub fn position_of(self, row: &Row) -> f64 {
        match self {
            Grouping::Epochs => row.epoch.unwrap_or_default() as f64,
            _ => row.step.unwrap_or_default() as f64,
        }
    }
}

/// Picks the grouping and builds its points from the run's full-resolution rows.
pub fn points(run: &ImportedRun) -> (Grouping, Vec<Row>) {
    let epoch_losses = run.epochs.iter().any(Row::has_loss);
    let mut step_epochs: Vec<usize> = run
        .steps
        .iter()
        .filter(|row| row.has_loss())
        .filter_map(|row| row.epoch)
        .collect();
    step_epochs.sort_unstable();
    step_epochs.dedup();
    let evaluations = run.steps.iter().filter(|r| r.val_loss.is_some()).count();
    if epoch_losses || (!step_epochs.is_empty() && step_epochs.len() >= evaluations) {
        (Grouping::Epochs, by_epoch(run))
    } else if evaluations > 0 {
        (Grouping::Evaluations, by_evaluation(&run.steps))
    } else {
        let with_train = run.steps.iter().filter(|r| r.train_loss.is_some()).count();
        let size = with_train.div_ceil(TARGET_WINDOWS).max(1);
        (
            Grouping::Windows { steps: size },
            by_window(&run.steps, size),
        )
    }
}

/// Mean of the values present, `None` when there are none.
fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, count) = values
        .flatten()
        .fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
    (count > 0).then(|| sum / count as f64)
}

/// Fills a point's missing values from the steps it covers: means of the train loss and
/// the gradient norm, the last validation loss and learning rate.
fn fill_from_steps(point: &mut Row, steps: &[&Row]) {
    let last = |quantity| steps.iter().rev().find_map(|r: &&Row| r.get(quantity));
    point.train_loss = point
        .train_loss
        .or_else(|| mean(steps.iter().map(|r| r.train_loss)));
    point.val_loss = point.val_loss.or_else(|| last(Quantity::ValLoss));
    point.lr = point.lr.or_else(|| last(Quantity::LearningRate));
    point.grad_norm = point
        .grad_norm
        .or_else(|| mean(steps.iter().map(|r| r.grad_norm)));
}

fn by_epoch(run: &ImportedRun) -> Vec<Row> {
    let mut points: BTreeMap<usize, (Row, Vec<&Row>)> = BTreeMap::new();
    for row in &run.epochs {
        if let Some(epoch) = row.epoch {
            points.entry(epoch).or_default().0 = row.clone();
        }
    }
    for row in &run.steps {
        if let Some(epoch) = row.epoch {
            let entry = points.entry(epoch).or_default();
            entry.0.epoch = Some(epoch);
            entry.1.push(row);
        }
    }
    points
        .into_values()
        .map(|(mut point, steps)| {
            fill_from_steps(&mut point, &steps);
            point.step = steps.last().and_then(|r| r.step);
            point
        })
        .filter(Row::has_loss)
        .collect()
}

fn by_evaluation(steps: &[Row]) -> Vec<Row> {
    let mut points = Vec::new();
    let mut window: Vec<&Row> = Vec::new();
    for row in steps {
        window.push(row);
        if row.val_loss.is_some() {
            let mut point = Row {
                epoch: row.epoch,
                step: row.step,
                val_loss: row.val_loss,
                ..Row::default()
            };
            fill_from_steps(&mut point, &window);
            points.push(point);
            window.clear();
        }
    }
    points
}

fn by_window(steps: &[Row], size: usize) -> Vec<Row> {
    let with_train: Vec<&Row> = steps.iter().filter(|r| r.train_loss.is_some()).collect();
    with_train
        .chunks(size)
        .map(|chunk| {
            let end = chunk[chunk.len() - 1];
            let mut point = Row {
                epoch: end.epoch,
                step: end.step,
                ..Row::default()
            };
            fill_from_steps(&mut point, chunk);
            point
        })
        .collect()
}

/// The first non-finite loss or gradient norm, as the verdict's message.
pub fn divergence(run: &ImportedRun) -> Option<String> {
    const WATCHED: [Quantity; 3] = [Quantity::TrainLoss, Quantity::ValLoss, Quantity::GradNorm];
    let first = |rows: &[Row]| {
        rows.iter().find_map(|row| {
            WATCHED.iter().find_map(|&q| {
                row.get(q)
                    .filter(|v| !v.is_finite())
                    .map(|v| (row.clone(), q, v))
            })
        })
    };
    let in_steps = first(&run.steps);
    let in_epochs = first(&run.epochs);
    // The earlier of the two: a step whose epoch is unknown counts as earlier.
    let (row, quantity, value) = match (in_steps, in_epochs) {
        (Some(step), Some(epoch)) if step.0.epoch.is_some_and(|e| Some(e) > epoch.0.epoch) => epoch,
        (Some(step), _) => step,
        (None, Some(epoch)) => epoch,
        (None, None) => return None,
    };
    let place = match (row.step, row.epoch) {
        (Some(step), Some(epoch)) => format!("step {step} (epoch {epoch})"),
        (Some(step), None) => format!("step {step}"),
        (None, Some(epoch)) => format!("epoch {epoch}"),
        (None, None) => "an unknown place".into(),
    };
    Some(format!(
        "the {} is {value} at {place}, the first non-finite value in the log",
        quantity.name()
    ))
}

/// Bounds `points` as the lab bounds its per-epoch history.
pub fn decimate_points(points: Vec<Row>) -> Vec<Row> {
    let mut history = History::default();
    for (index, row) in points.iter().enumerate() {
        // The record carries the point's index; its losses are the decimation's key.
        history.push_epoch(EpochRecord {
            epoch: index,
            train_loss_running: f64::NAN,
            train_loss_eval: row.train_loss.unwrap_or(f64::NAN),
            val_loss: row.val_loss,
            lr_end: f64::NAN,
            grad_norm_mean: f64::NAN,
            train_accuracy: None,
            val_accuracy: None,
            val_r2: None,
            val_rmse: None,
        });
    }
    let kept: Vec<usize> = history.epochs.iter().map(|r| r.epoch).collect();
    select(points, &kept)
}

/// Bounds `steps` as the lab bounds its per-update history.
pub fn decimate_steps(steps: Vec<Row>) -> Vec<Row> {
    let mut history = History::default();
    for (index, row) in steps.iter().enumerate() {
        let key = row
            .train_loss
            .or(row.val_loss)
            .or(row.grad_norm)
            .or(row.lr)
            .unwrap_or(f64::NAN);
        history.push_update(UpdateRecord {
            update: index,
            epoch: row.epoch.unwrap_or_default(),
            lr: f64::NAN,
            grad_norm: f64::NAN,
            clipped: false,
            batch_loss: key,
        });
    }
    let kept: Vec<usize> = history.updates.iter().map(|r| r.update).collect();
    select(steps, &kept)
}

/// The rows at the `kept` indices (increasing).
fn select(rows: Vec<Row>, kept: &[usize]) -> Vec<Row> {
    if kept.len() == rows.len() {
        return rows;
    }
    let mut wanted = kept.iter().peekable();
    rows.into_iter()
        .enumerate()
        .filter(|(index, _)| wanted.next_if_eq(&index).is_some())
        .map(|(_, row)| row)
        .collect()
}

/// Judges the (decimated) points; `divergence` from [`divergence`] wins over every rule.
pub fn judge(
    grouping: Grouping,
    points: &[Row],
    run: &ImportedRun,
    divergence: Option<String>,
) -> Judgement {
    if let Some(message) = divergence {
        return Judgement {
            diagnosis: diagnosis::diverged(message, None),
            not_judged: Vec::new(),
        };
    }
    let curve = |quantity| -> Vec<(f64, f64)> {
        points
            .iter()
            .filter_map(|row| row.get(quantity).map(|v| (grouping.position_of(row), v)))
            .collect()
    };
    let train = curve(Quantity::TrainLoss);
    let val = curve(Quantity::ValLoss);
    let scale = run.baseline.map_or(Scale::FirstTrainLoss, Scale::Baseline);
    let mut judgement = diagnosis::judge(&Curves {
        train: &train,
        val: &val,
        unit: grouping.unit(),
        position: grouping.position(),
        scale,
    });
    if scale == Scale::FirstTrainLoss && train.len() >= 3 {
        judgement.not_judged.push(format!(
            "no baseline loss: underfitting is measured against the first recorded train \
             loss ({:.4}) instead of the mean predictor's; give --baseline LOSS or the lab's \
             summary.json for the lab's scale",
            train[0].1
        ));
    }
    let any_grad_norm = run
        .steps
        .iter()
        .chain(&run.epochs)
        .any(|r| r.grad_norm.is_some());
    if !any_grad_norm {
        judgement
            .not_judged
            .push("no gradient norm: only a non-finite loss could show divergence".into());
    }
    judgement
}
