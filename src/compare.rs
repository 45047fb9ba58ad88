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

mod job;

pub use job::{ComparisonJob, Progress, Stage};

use serde::{Deserialize, Deserializer, Serialize};

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::landscape::sharpness::{self, Sharpness};
use crate::landscape::slice::Slice;
use crate::landscape::Surface;
use crate::seeding::{self, Stream};
use crate::train::{History, Trainer};

/// α range of the interpolation between the two minima.
pub const INTERPOLATION_RANGE: (f64, f64) = (-1.0, 2.0);
/// Points on the interpolation line.
pub const INTERPOLATION_POINTS: usize = 61;

/// The numbers that tell a flat minimum from a sharp one, for one run. A non-finite
/// number (a diverged run) is written to JSON as `null` and read back as NaN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub label: String,
    #[serde(deserialize_with = "number_or_nan")]
    pub lambda_max: f64,
    #[serde(deserialize_with = "number_or_nan")]
    pub trace: f64,
    #[serde(deserialize_with = "number_or_nan")]
    pub eps_sharpness: f64,
    #[serde(deserialize_with = "number_or_nan")]
    pub train_loss: f64,
    pub val_loss: Option<f64>,
    /// Validation minus train loss.
    pub gap: Option<f64>,
    pub train_accuracy: Option<f64>,
    pub val_accuracy: Option<f64>,
    pub updates: usize,
}

/// A number read from JSON, where `null` stands for NaN or an infinity.
fn number_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
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

/// Run B's settings on run A's seed, data and model; an error when the two configs do
/// not share their data, model and loss, so that no common start exists.
pub fn aligned(a: &RunConfig, b: &RunConfig) -> Result<RunConfig> {
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
    let mut job = ComparisonJob::new(a, b, labels)?;
    while !job.advance(usize::MAX, usize::MAX)? {}
    job.into_comparison()
}

/// Run A of the seed spread's run `offset`: `a` with its seed moved by `offset`, checked.
pub fn seeded(a: &RunConfig, offset: u64) -> Result<RunConfig> {
    let mut seeded = a.clone();
    seeded.seed = a.seed.checked_add(offset).ok_or_else(|| {
        Error::config(
            "seed",
            format!("{} + {offset} does not fit 64 bits", a.seed),
        )
    })?;
    seeded.validate()?;
    Ok(seeded)
}

/// Mean and sample standard deviation of one metric over seeds, for both runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpreadRow {
    pub metric: String,
    pub a_mean: f64,
    pub a_std: f64,
    pub b_mean: f64,
    pub b_std: f64,
    /// Seeds on which A's value is below B's.
    pub a_lower: usize,
    pub seeds: usize,
}

/// Reads one metric of a run, if the run has it.
type MetricGetter = fn(&Metrics) -> Option<f64>;

/// Runs the comparison for seeds `a.seed, a.seed + 1, …` (`seeds` of them) and summarizes
/// each metric across them: the evidence that an effect is not one lucky seed.
pub fn seed_spread(a: &RunConfig, b: &RunConfig, seeds: usize) -> Result<Vec<SpreadRow>> {
    let mut pairs = Vec::with_capacity(seeds);
    for offset in 0..seeds as u64 {
        let mut job = ComparisonJob::metrics_only(&seeded(a, offset)?, b, ["A", "B"])?;
        while !job.advance(usize::MAX, usize::MAX)? {}
        pairs.push(job.into_metrics()?);
    }
    Ok(spread_rows(&pairs))
}

/// Mean, spread and "A lower on k of n" of every metric over the `[A, B]` measures of
/// several seeds, in the order given (the sums, and so the last digits, depend on it).
pub fn spread_rows(pairs: &[[Metrics; 2]]) -> Vec<SpreadRow> {
    let pick: [(&str, MetricGetter); 8] = [
        ("lambda_max", |m| Some(m.lambda_max)),
        ("trace", |m| Some(m.trace)),
        ("eps_sharpness", |m| Some(m.eps_sharpness)),
        ("train_loss", |m| Some(m.train_loss)),
        ("val_loss", |m| m.val_loss),
        ("gap", |m| m.gap),
        ("val_accuracy", |m| m.val_accuracy),
        ("updates", |m| Some(m.updates as f64)),
    ];
    let mut rows = Vec::new();
    for (name, get) in pick {
        let values: Vec<(f64, f64)> = pairs
            .iter()
            .filter_map(|[x, y]| Some((get(x)?, get(y)?)))
            .collect();
        if values.is_empty() {
            continue;
        }
        let (a_mean, a_std) = mean_and_std(values.iter().map(|v| v.0));
        let (b_mean, b_std) = mean_and_std(values.iter().map(|v| v.1));
        rows.push(SpreadRow {
            metric: name.to_string(),
            a_mean,
            a_std,
            b_mean,
            b_std,
            a_lower: values.iter().filter(|(x, y)| x < y).count(),
            seeds: values.len(),
        });
    }
    rows
}

fn mean_and_std(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    let variance = values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, variance.sqrt())
}

/// The spread as a Markdown table.
pub fn spread_markdown(rows: &[SpreadRow], labels: [&str; 2]) -> String {
    let mut text = format!(
        "| metric | {} (mean ± sd) | {} (mean ± sd) | {0} lower |\n|---|---|---|---|\n",
        labels[0], labels[1]
    );
    for row in rows {
        // Update counts are whole numbers; everything else gets four decimals.
        let digits = if row.metric == "updates" { 0 } else { 4 };
        text.push_str(&format!(
            "| {} | {:.digits$} ± {:.digits$} | {:.digits$} ± {:.digits$} | {}/{} |\n",
            row.metric, row.a_mean, row.a_std, row.b_mean, row.b_std, row.a_lower, row.seeds
        ));
    }
    text
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

    /// The spread over seeds agrees with the individual comparisons it summarizes.
    #[test]
    fn seed_spread_summarizes_each_seed() {
        let (a, b) = small_and_large();
        let rows = seed_spread(&a, &b, 2).unwrap();
        let lambda = rows.iter().find(|r| r.metric == "lambda_max").unwrap();
        let mut values = Vec::new();
        for seed in [a.seed, a.seed + 1] {
            let seeded = RunConfig { seed, ..a.clone() };
            values.push(
                compare(&seeded, &b, ["A", "B"])
                    .unwrap()
                    .a
                    .metrics
                    .lambda_max,
            );
        }
        let mean = (values[0] + values[1]) / 2.0;
        assert!((lambda.a_mean - mean).abs() < 1e-12);
        let sd = ((values[0] - mean).powi(2) + (values[1] - mean).powi(2)).sqrt();
        assert!(
            (lambda.a_std - sd).abs() < 1e-12,
            "sample sd with n − 1 = 1"
        );
        assert_eq!(lambda.seeds, 2);
        let updates = rows.iter().find(|r| r.metric == "updates").unwrap();
        assert!(
            updates.a_mean > updates.b_mean,
            "batch 8 makes more updates than 128"
        );
        let table = spread_markdown(&rows, ["small", "large"]);
        assert!(table.starts_with("| metric | small (mean ± sd)"));
    }

    #[test]
    fn different_data_is_refused() {
        let (a, mut b) = small_and_large();
        b.data.source = crate::config::DataSource::Iris;
        let err = compare(&a, &b, ["a", "b"]).unwrap_err().to_string();
        assert!(err.starts_with("compare needs the same data"), "{err}");
    }

    /// The measures cross the page's worker boundary as JSON and come back equal; a
    /// diverged run's NaN comes back as NaN rather than failing to read.
    #[test]
    fn metrics_round_trip_through_json() {
        let measured = Metrics {
            label: "batch 8".into(),
            lambda_max: 0.38,
            trace: 1.6,
            eps_sharpness: 0.097,
            train_loss: 0.048,
            val_loss: Some(0.085),
            gap: Some(0.037),
            train_accuracy: Some(0.99),
            val_accuracy: None,
            updates: 3420,
        };
        let json = serde_json::to_string(&measured).unwrap();
        assert_eq!(serde_json::from_str::<Metrics>(&json).unwrap(), measured);

        let diverged = Metrics {
            lambda_max: f64::NAN,
            train_loss: f64::INFINITY,
            ..measured
        };
        let json = serde_json::to_string(&diverged).unwrap();
        let back: Metrics = serde_json::from_str(&json).unwrap();
        assert!(
            back.lambda_max.is_nan() && back.train_loss.is_nan(),
            "{json}"
        );
        assert_eq!(back.trace, diverged.trace);
    }
}
