//! A comparison computed a bounded piece at a time, so a caller can report progress
//! between pieces (the page's worker posts it to the page; the CLI does not need to).
//!
//! The stages, in order, for each side A then B: training, its landscape, its curvature
//! measures; then the interpolation between both minima. A job made with
//! [`ComparisonJob::metrics_only`] skips the landscapes and the interpolation: the
//! seed-spread evidence needs only the numbers.
//!
//! Progress is a fraction of the estimated work. The estimate counts sample passes, with
//! costs measured once on a laptop-class machine (release build, breast-cancer presets):
//! one update costs its samples plus about four samples' worth of overhead, a landscape
//! cell about 1/40 of a training sample per data row (its first layer is precomputed),
//! the curvature measures about 175 training samples per row of the train split, and
//! each interpolation point one forward pass of both splits (a third of a training
//! sample each).

use serde::Serialize;

use super::{metrics, Comparison, Metrics, Side, INTERPOLATION_POINTS, INTERPOLATION_RANGE};
use crate::config::{RunConfig, Split};
use crate::error::{Error, Result};
use crate::landscape::slice::{self, Slice};
use crate::landscape::{Surface, SurfaceJob};
use crate::train::{Status, Trainer};

/// Per-update overhead of training, in samples.
const UPDATE_OVERHEAD_SAMPLES: f64 = 4.0;
/// Landscape cells per data row that cost as much as one training sample.
const CELLS_PER_SAMPLE: f64 = 40.0;
/// Cost of the curvature measures per train row, in training samples.
const MEASURE_SAMPLES_PER_ROW: f64 = 175.0;
/// Cost of one forward pass of one sample, in training samples.
const FORWARD_SHARE: f64 = 1.0 / 3.0;

/// What a job is doing; `side` is 0 for A and 1 for B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    Training { side: usize },
    Landscape { side: usize },
    Measuring { side: usize },
    Interpolating,
    Done,
}

/// How far a job has come.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    #[serde(flatten)]
    pub stage: Stage,
    /// Label of the side the stage works on (empty for the interpolation and the end).
    pub label: String,
    /// Work done in the stage and the stage's size, in its own unit (updates for
    /// training, grid rows for a landscape, 0 of 1 for the rest).
    pub done: usize,
    pub total: usize,
    /// Estimated fraction of the whole job, in [0, 1].
    pub fraction: f64,
}

/// Two runs from the same start, trained and measured piece by piece.
pub struct ComparisonJob {
    labels: [String; 2],
    runs: [Trainer; 2],
    with_views: bool,
    stage: Stage,
    surface_job: Option<SurfaceJob>,
    surfaces: Vec<Surface>,
    metrics: Vec<Metrics>,
    interpolation: Option<Slice>,
    /// Estimated cost of each stage in `stage_order`, in training samples.
    costs: Vec<(Stage, f64)>,
}

impl ComparisonJob {
    /// The full comparison: both runs, their landscapes, measures and interpolation.
    pub fn new(a: &RunConfig, b: &RunConfig, labels: [&str; 2]) -> Result<ComparisonJob> {
        Self::build(a, b, labels, true)
    }

    /// Both runs and their measures only (no landscapes, no interpolation).
    pub fn metrics_only(a: &RunConfig, b: &RunConfig, labels: [&str; 2]) -> Result<ComparisonJob> {
        Self::build(a, b, labels, false)
    }

    fn build(
        a: &RunConfig,
        b: &RunConfig,
        labels: [&str; 2],
        with_views: bool,
    ) -> Result<ComparisonJob> {
        let b = super::aligned(a, b)?;
        let runs = [Trainer::new(a.clone())?, Trainer::new(b)?];
        let mut job = ComparisonJob {
            labels: labels.map(str::to_string),
            runs,
            with_views,
            stage: Stage::Training { side: 0 },
            surface_job: None,
            surfaces: Vec::new(),
            metrics: Vec::new(),
            interpolation: None,
            costs: Vec::new(),
        };
        job.costs = job.estimate_costs();
        Ok(job)
    }

    /// The stages this job goes through, in order.
    fn stage_order(&self) -> Vec<Stage> {
        let mut order = Vec::new();
        for side in 0..2 {
            order.push(Stage::Training { side });
            if self.with_views {
                order.push(Stage::Landscape { side });
            }
            order.push(Stage::Measuring { side });
        }
        if self.with_views {
            order.push(Stage::Interpolating);
        }
        order
    }

    fn estimate_costs(&self) -> Vec<(Stage, f64)> {
        self.stage_order()
            .into_iter()
            .map(|stage| {
                let run = |side: usize| &self.runs[side];
                let rows = |side: usize, split: Split| match split {
                    Split::Train => run(side).data().train.len() as f64,
                    Split::Val => run(side).data().val.len() as f64,
                };
                let cost = match stage {
                    Stage::Training { side } => {
                        let trainer = run(side);
                        let batch = trainer.plan().effective_batch_size() as f64;
                        trainer.total_updates() as f64 * (batch + UPDATE_OVERHEAD_SAMPLES)
                    }
                    Stage::Landscape { side } => {
                        let settings = &run(side).config().landscape;
                        let cells = (settings.resolution * settings.resolution) as f64;
                        cells * rows(side, settings.data) / CELLS_PER_SAMPLE
                    }
                    Stage::Measuring { side } => MEASURE_SAMPLES_PER_ROW * rows(side, Split::Train),
                    Stage::Interpolating => {
                        let passes = rows(0, Split::Train) + rows(0, Split::Val);
                        INTERPOLATION_POINTS as f64 * passes * FORWARD_SHARE
                    }
                    Stage::Done => 0.0,
                };
                (stage, cost.max(1.0))
            })
            .collect()
    }

    /// Does one bounded piece of work: up to `updates` optimizer updates, or up to
    /// `cells` landscape grid points (at least one row for one-hidden-layer models), or
    /// one whole measurement or interpolation. Returns true once the job is done.
    pub fn advance(&mut self, updates: usize, cells: usize) -> Result<bool> {
        match self.stage {
            Stage::Training { side } => {
                let trainer = &mut self.runs[side];
                for _ in 0..updates.max(1) {
                    trainer.step();
                    if trainer.status() != Status::Running {
                        break;
                    }
                }
                if trainer.status() != Status::Running {
                    self.stage = if self.with_views {
                        Stage::Landscape { side }
                    } else {
                        Stage::Measuring { side }
                    };
                }
            }
            Stage::Landscape { side } => {
                if self.surface_job.is_none() {
                    self.surface_job = Some(SurfaceJob::new(&self.runs[side])?);
                }
                let finished = match self.surface_job.as_mut() {
                    Some(job) => job.compute_cells(cells),
                    None => false,
                };
                if finished {
                    if let Some(job) = self.surface_job.take() {
                        self.surfaces.push(job.surface().clone());
                    }
                    self.stage = Stage::Measuring { side };
                }
            }
            Stage::Measuring { side } => {
                let label = self.labels[side].clone();
                self.metrics.push(metrics(&mut self.runs[side], &label));
                self.stage = match (side, self.with_views) {
                    (0, _) => Stage::Training { side: 1 },
                    (_, true) => Stage::Interpolating,
                    (_, false) => Stage::Done,
                };
            }
            Stage::Interpolating => {
                let [first, second] = &self.runs;
                self.interpolation = Some(slice::interpolate_over(
                    first.model(),
                    first.loss_kind(),
                    first.data(),
                    (first.params(), second.params()),
                    INTERPOLATION_RANGE,
                    INTERPOLATION_POINTS,
                ));
                self.stage = Stage::Done;
            }
            Stage::Done => {}
        }
        Ok(self.is_done())
    }

    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Whether the job computes the landscapes and the interpolation too.
    pub fn has_views(&self) -> bool {
        self.with_views
    }

    /// Where the job is and how much of it is done.
    pub fn progress(&self) -> Progress {
        let (done, total) = match self.stage {
            Stage::Training { side } => {
                let trainer = &self.runs[side];
                (trainer.updates_done(), trainer.total_updates())
            }
            Stage::Landscape { side } => {
                let resolution = self.runs[side].config().landscape.resolution;
                let rows = self
                    .surface_job
                    .as_ref()
                    .map_or(0, |job| job.surface().rows_done);
                (rows, resolution)
            }
            Stage::Measuring { .. } | Stage::Interpolating => (0, 1),
            Stage::Done => (1, 1),
        };
        let label = match self.stage {
            Stage::Training { side } | Stage::Landscape { side } | Stage::Measuring { side } => {
                self.labels[side].clone()
            }
            Stage::Interpolating | Stage::Done => String::new(),
        };

        // Finished stages count whole, the current one by its share done.
        let total_cost: f64 = self.costs.iter().map(|(_, cost)| cost).sum();
        let position = self
            .costs
            .iter()
            .position(|(stage, _)| *stage == self.stage);
        let finished_cost: f64 = match position {
            Some(index) => self.costs[..index].iter().map(|(_, cost)| cost).sum(),
            None => total_cost,
        };
        let current_cost = position.map_or(0.0, |index| self.costs[index].1);
        let share = if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        };
        let fraction = ((finished_cost + current_cost * share) / total_cost).clamp(0.0, 1.0);
        Progress {
            stage: self.stage,
            label,
            done,
            total,
            fraction,
        }
    }

    /// The measures of both sides, once the job is done.
    pub fn into_metrics(self) -> Result<[Metrics; 2]> {
        if !self.is_done() {
            return Err(Error::Data(
                "the comparison's measures were asked for before the job finished".into(),
            ));
        }
        <[Metrics; 2]>::try_from(self.metrics)
            .map_err(|_| Error::Data("the comparison did not measure both runs".into()))
    }

    /// The whole comparison, once a job made with [`ComparisonJob::new`] is done.
    pub fn into_comparison(self) -> Result<Comparison> {
        if !self.is_done() || !self.with_views {
            return Err(Error::Data(
                "the comparison was asked for before its job finished, or of a job without \
                 landscapes"
                    .into(),
            ));
        }
        let (Some(interpolation), [surface_a, surface_b], [metrics_a, metrics_b]) = (
            self.interpolation,
            <[Surface; 2]>::try_from(self.surfaces)
                .map_err(|_| Error::Data("the comparison lost a landscape".into()))?,
            <[Metrics; 2]>::try_from(self.metrics)
                .map_err(|_| Error::Data("the comparison did not measure both runs".into()))?,
        ) else {
            return Err(Error::Data("the comparison has no interpolation".into()));
        };
        let shared_range = [&surface_a, &surface_b]
            .iter()
            .flat_map(|surface| surface.loss.iter().copied())
            .filter(|value| value.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| {
                (low.min(value), high.max(value))
            });
        let [run_a, run_b] = self.runs;
        let side = |trainer: Trainer, metrics, surface| Side {
            config: trainer.config().clone(),
            metrics,
            surface,
            history: trainer.history().clone(),
        };
        Ok(Comparison {
            a: side(run_a, metrics_a, surface_a),
            b: side(run_b, metrics_b, surface_b),
            shared_range,
            interpolation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LandscapeConfig;

    fn small_and_large() -> (RunConfig, RunConfig) {
        let a = RunConfig {
            epochs: 4,
            batch_size: 16,
            accumulation_steps: 1,
            landscape: LandscapeConfig {
                resolution: 7,
                ..Default::default()
            },
            ..RunConfig::default()
        };
        let b = RunConfig {
            batch_size: 128,
            ..a.clone()
        };
        (a, b)
    }

    /// Small pieces reach the same comparison as one call, and the progress only grows,
    /// from 0 at the start to 1 at the end, through every stage in order.
    #[test]
    fn pieces_add_up_to_the_whole_comparison() {
        let (a, b) = small_and_large();
        let whole = super::super::compare(&a, &b, ["A", "B"]).unwrap();

        let mut job = ComparisonJob::new(&a, &b, ["A", "B"]).unwrap();
        assert_eq!(job.progress().fraction, 0.0, "nothing done yet");
        let mut fractions = vec![0.0];
        let mut stages = vec![job.progress().stage];
        while !job.advance(5, 3).unwrap() {
            let progress = job.progress();
            fractions.push(progress.fraction);
            if stages.last() != Some(&progress.stage) {
                stages.push(progress.stage);
            }
        }
        assert_eq!(job.progress().fraction, 1.0);
        assert!(
            fractions.windows(2).all(|pair| pair[0] <= pair[1]),
            "progress never goes back: {fractions:?}"
        );
        assert_eq!(
            stages,
            [
                Stage::Training { side: 0 },
                Stage::Landscape { side: 0 },
                Stage::Measuring { side: 0 },
                Stage::Training { side: 1 },
                Stage::Landscape { side: 1 },
                Stage::Measuring { side: 1 },
                Stage::Interpolating,
            ]
        );

        let pieces = job.into_comparison().unwrap();
        assert_eq!(pieces.a.metrics, whole.a.metrics);
        assert_eq!(pieces.b.metrics, whole.b.metrics);
        assert_eq!(pieces.a.surface, whole.a.surface);
        assert_eq!(pieces.b.surface, whole.b.surface);
        assert_eq!(pieces.interpolation, whole.interpolation);
        assert_eq!(pieces.shared_range, whole.shared_range);
    }

    /// The seed spread's jobs skip the views but measure exactly what the full one does.
    #[test]
    fn metrics_only_measures_what_the_full_job_measures() {
        let (a, b) = small_and_large();
        let whole = super::super::compare(&a, &b, ["A", "B"]).unwrap();
        let mut job = ComparisonJob::metrics_only(&a, &b, ["A", "B"]).unwrap();
        let mut stages = Vec::new();
        while !job.advance(usize::MAX, usize::MAX).unwrap() {
            stages.push(job.progress().stage);
        }
        assert!(
            !stages
                .iter()
                .any(|s| matches!(s, Stage::Landscape { .. } | Stage::Interpolating)),
            "no landscape and no interpolation: {stages:?}"
        );
        assert_eq!(
            job.into_metrics().unwrap(),
            [whole.a.metrics, whole.b.metrics]
        );

        let mut unfinished = ComparisonJob::metrics_only(&a, &b, ["A", "B"]).unwrap();
        unfinished.advance(1, 1).unwrap();
        assert!(unfinished.into_metrics().is_err(), "not done yet");
        let mut views_missing = ComparisonJob::metrics_only(&a, &b, ["A", "B"]).unwrap();
        while !views_missing.advance(usize::MAX, usize::MAX).unwrap() {}
        assert!(
            views_missing.into_comparison().is_err(),
            "a metrics-only job has no landscapes to give"
        );
    }
}
