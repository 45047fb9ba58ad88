//! Two runs side by side from the same start: the source material's flat-versus-sharp
//! lesson, measured.
//!
//! Both runs use run A's seed, data and model, so they share the split and the initial
//! weights and differ only in the training settings (by default batch size, as in Keskar
//! et al. 2017). After training, each minimum gets a landscape on directions drawn from
//! the same landscape seed and filter-normalized to its own weights (Li et al. 2018, §5),
//! one colour range shared by both maps, the same curvature measures, and the loss along
//! the line through both minima for α in [−1, 2] (α = 0 is A, α = 1 is B; Keskar's
//! parametric plot).

use serde::Serialize;

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::landscape::sharpness::{self, Sharpness};
use crate::landscape::slice::{self, Slice};
use crate::landscape::{Surface, SurfaceJob};
use crate::seeding::{self, Stream};
use crate::train::{History, Trainer};

/// α range of the interpolation between the two minima.
pub const INTERPOLATION_RANGE: (f64, f64) = (-1.0, 2.0);
/// Points on the interpolation line.
pub const INTERPOLATION_POINTS: usize = 61;

/// The numbers that tell a flat minimum from a sharp one, for one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub label: String,
    pub lambda_max: f64,
    pub trace: f64,
    pub eps_sharpness: f64,
    pub train_loss: f64,
    pub val_loss: Option<f64>,
    /// Validation minus train loss.
    pub gap: Option<f64>,
    pub train_accuracy: Option<f64>,
    pub val_accuracy: Option<f64>,
    pub updates: usize,
}

/// One side of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub config: RunConfig,
    pub metrics: Metrics,
    pub surface: Surface,
    pub history: History,
}

/// Both runs, their landscapes on one colour range, and the line between their minima.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub a: Side,
    pub b: Side,
    /// The finite loss range of both surfaces together: one colour scale for both maps.
    pub shared_range: (f64, f64),
    pub interpolation: Slice,
}

/// Run B's settings on run A's seed, data and model.
fn aligned(a: &RunConfig, b: &RunConfig) -> Result<RunConfig> {
    if a.data != b.data || a.model != b.model || a.loss_kind() != b.loss_kind() {
        return Err(Error::config(
            "compare",
            "needs the same data, model and loss in both configs, so the runs share their \
             split and initial weights; only training settings may differ",
        ));
    }
    let mut aligned = b.clone();
    aligned.seed = a.seed;
    aligned.landscape = a.landscape.clone();
    Ok(aligned)
}

/// The metrics of a finished run.
pub fn metrics(trainer: &mut Trainer, label: &str) -> Metrics {
    let train = trainer.evaluate(crate::config::Split::Train);
    let has_val = !trainer.data().val.is_empty();
    let val = has_val.then(|| trainer.evaluate(crate::config::Split::Val));
    let sharpness: Sharpness = sharpness::measure(
        trainer.model(),
        trainer.loss_kind(),
        &trainer.data().train,
        trainer.params(),
        &mut seeding::rng(trainer.config().landscape.seed, Stream::Directions),
    );
    Metrics {
        label: label.to_string(),
        lambda_max: sharpness.lambda_max,
        trace: sharpness.trace,
        eps_sharpness: sharpness.eps_sharpness,
        train_loss: train.loss,
        val_loss: val.map(|v| v.loss),
        gap: val.map(|v| v.loss - train.loss),
        train_accuracy: train.accuracy,
        val_accuracy: val.and_then(|v| v.accuracy),
        updates: trainer.updates_done(),
    }
}

/// Trains `a` and `b` (aligned to A's seed, data and model) and measures both.
pub fn compare(a: &RunConfig, b: &RunConfig, labels: [&str; 2]) -> Result<Comparison> {
    let b = aligned(a, b)?;
    let mut runs = [Trainer::new(a.clone())?, Trainer::new(b)?];
    let mut sides = Vec::with_capacity(2);
    for (trainer, label) in runs.iter_mut().zip(labels) {
        trainer.run_to_end();
        let mut job = SurfaceJob::new(trainer)?;
        while !job.compute_rows(16) {}
        sides.push(Side {
            config: trainer.config().clone(),
            metrics: metrics(trainer, label),
            surface: job.surface().clone(),
            history: trainer.history().clone(),
        });
    }

    let [first, second] = &runs;
    let interpolation = slice::interpolate_over(
        first.model(),
        first.loss_kind(),
        first.data(),
        (first.params(), second.params()),
        INTERPOLATION_RANGE,
        INTERPOLATION_POINTS,
    );
    let shared_range = sides
        .iter()
        .flat_map(|s| s.surface.loss.iter().copied())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let b_side = sides
        .pop()
        .ok_or_else(|| Error::Data("comparison lost run B".into()))?;
    let a_side = sides
        .pop()
        .ok_or_else(|| Error::Data("comparison lost run A".into()))?;
    Ok(Comparison {
        a: a_side,
        b: b_side,
        shared_range,
        interpolation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_and_large() -> (RunConfig, RunConfig) {
        let a = RunConfig {
            epochs: 6,
            batch_size: 8,
            accumulation_steps: 1,
            landscape: crate::config::LandscapeConfig {
                resolution: 9,
                ..Default::default()
            },
            ..RunConfig::default()
        };
        let b = RunConfig {
            batch_size: 128,
            seed: 99,
            ..a.clone()
        };
        (a, b)
    }

    /// Both sides start from the same weights, share the direction seed, and the shared
    /// range covers both surfaces; each side's metrics equal a single run's.
    #[test]
    fn sides_share_start_directions_and_colour_range() {
        let (a, b) = small_and_large();
        let comparison = compare(&a, &b, ["small batch", "large batch"]).unwrap();
        assert_eq!(comparison.b.config.seed, a.seed, "B trains from A's seed");
        assert_eq!(comparison.b.config.landscape, a.landscape);
        let (lo, hi) = comparison.shared_range;
        for side in [&comparison.a, &comparison.b] {
            for &v in side.surface.loss.iter().filter(|v| v.is_finite()) {
                assert!(lo <= v && v <= hi);
            }
        }
        let smallest = |s: &Surface| s.loss.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(
            lo,
            smallest(&comparison.a.surface).min(smallest(&comparison.b.surface))
        );

        // The same initial weights: the first update of both runs saw the same loss.
        let first = |side: &Side| side.history.updates[0].batch_loss;
        assert_ne!(first(&comparison.a), 0.0);
        let mut b_aligned = b.clone();
        b_aligned.seed = a.seed;
        let mut single = Trainer::new(b_aligned).unwrap();
        single.run_to_end();
        let alone = metrics(&mut single, "large batch");
        assert_eq!(
            alone, comparison.b.metrics,
            "the table equals the single run's metrics"
        );

        // α = 0 and α = 1 of the interpolation are the two minima.
        let at = |alpha: f64| {
            let i = comparison
                .interpolation
                .alphas
                .iter()
                .position(|&a| (a - alpha).abs() < 1e-9)
                .unwrap();
            comparison.interpolation.train_loss[i]
        };
        assert!((at(0.0) - comparison.a.metrics.train_loss).abs() < 1e-6);
        assert!((at(1.0) - comparison.b.metrics.train_loss).abs() < 1e-6);
    }

    #[test]
    fn different_data_is_refused() {
        let (a, mut b) = small_and_large();
        b.data.source = crate::config::DataSource::Iris;
        let err = compare(&a, &b, ["a", "b"]).unwrap_err().to_string();
        assert!(err.starts_with("compare needs the same data"), "{err}");
    }
}
