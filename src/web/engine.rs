//! [`Engine`]: one training run and the loss maps around it, for the page's Web Worker.
//!
//! The worker calls it in slices of a few milliseconds: [`Engine::run_updates`] trains
//! until a count or a time budget is reached, [`Engine::compute_surface`] adds grid rows
//! to the map in progress until its budget is spent. A finished map becomes the *shown*
//! one; the path is projected onto the shown map's plane on request, so the current point
//! can be seen drifting away from the centre as training goes on.
//!
//! History goes out as JSON deltas (`updatesSince`, `epochsSince`); a non-finite number
//! becomes `null`. Surfaces go out as `Float64Array`s, which keep NaN ("no data"), and
//! for download as the command line's `surface.json` (`surfaceJson`).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::clock::now_ms;
use super::{js_error, trainer_from_json};
use crate::config::Plane;
use crate::export::tables;
use crate::landscape::projection;
use crate::landscape::{sharpness, PathPoint, SurfaceExport, SurfaceJob};
use crate::seeding::{self, Stream};
use crate::train::{Status, Trainer};

/// The grid of a first map's coarse picture: 11 × 11 is every fifth point of the
/// default 51 × 51 grid, about 5 % of its work.
pub const COARSE_RESOLUTION: usize = 11;

/// A training run with its maps.
#[wasm_bindgen]
pub struct Engine {
    trainer: Trainer,
    /// The map being computed, if any.
    job: Option<SurfaceJob>,
    /// Its coarse version, computed first when no map is shown yet.
    coarse: Option<SurfaceJob>,
    /// The last finished map.
    shown: Option<SurfaceJob>,
}

#[wasm_bindgen]
impl Engine {
    /// A run from JSON settings; omitted keys take the reference run's values (`"{}"` is
    /// the reference run).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<Engine, JsError> {
        let trainer = trainer_from_json(config_json)?;
        log::info!(
            "engine ready: {} parameters, {} updates over {} epochs",
            trainer.params().len(),
            trainer.total_updates(),
            trainer.config().epochs
        );
        Ok(Engine {
            trainer,
            job: None,
            coarse: None,
            shown: None,
        })
    }

    /// The run's fixed facts as JSON: seed, totals, model and optimizer settings.
    #[wasm_bindgen(js_name = runInfo)]
    pub fn run_info(&self) -> String {
        let config = self.trainer.config();
        let data = self.trainer.data();
        let info = serde_json::json!({
            "seed": config.seed,
            "total_updates": self.trainer.total_updates(),
            "total_epochs": config.epochs,
            "parameter_count": self.trainer.params().len(),
            "layer_sizes": self.trainer.model().sizes,
            "train_samples": data.train.len(),
            "val_samples": data.val.len(),
            "clip_norm": config.clip_norm,
            "loss": self.trainer.loss_kind(),
            "task": data.task,
            "config": config,
        });
        info.to_string()
    }

    /// The run's settings as pretty JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        self.trainer.config().to_json()
    }

    /// Applies up to `max_updates` optimizer updates, stopping early once `budget_ms`
    /// milliseconds have passed or the run finishes or diverges. Returns the number of
    /// updates attempted.
    #[wasm_bindgen(js_name = runUpdates)]
    pub fn run_updates(&mut self, max_updates: u32, budget_ms: f64) -> u32 {
        let start_ms = now_ms();
        let mut attempted = 0;
        while attempted < max_updates && self.trainer.status() == Status::Running {
            self.trainer.step();
            attempted += 1;
            if now_ms() - start_ms >= budget_ms {
                break;
            }
        }
        attempted
    }

    /// Applies exactly one optimizer update; false when the run had already ended.
    pub fn step(&mut self) -> bool {
        if self.trainer.status() != Status::Running {
            return false;
        }
        self.trainer.step();
        true
    }

    /// "running", "finished" or "diverged".
    pub fn status(&self) -> String {
        match self.trainer.status() {
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Diverged { .. } => "diverged",
        }
        .to_string()
    }

    #[wasm_bindgen(js_name = updatesDone)]
    pub fn updates_done(&self) -> usize {
        self.trainer.updates_done()
    }

    #[wasm_bindgen(js_name = totalUpdates)]
    pub fn total_updates(&self) -> usize {
        self.trainer.total_updates()
    }

    #[wasm_bindgen(js_name = epochsDone)]
    pub fn epochs_done(&self) -> usize {
        self.trainer.epochs_done()
    }

    #[wasm_bindgen(js_name = totalEpochs)]
    pub fn total_epochs(&self) -> usize {
        self.trainer.config().epochs
    }

    /// How sharp the minimum is and how much of the path the shown map's plane holds, as
    /// JSON: `{sharpness: {lambda_max, trace, trace_std_error, eps_sharpness, eps},
    /// captured_fraction, max_off_plane, plane}` (the last three `null` before a map).
    #[wasm_bindgen(js_name = curvatureJson)]
    pub fn curvature_json(&mut self) -> Result<String, JsError> {
        let trainer = &self.trainer;
        let sharpness = sharpness::measure(
            trainer.model(),
            trainer.loss_kind(),
            &trainer.data().train,
            trainer.params(),
            &mut seeding::rng(trainer.config().landscape.seed, Stream::Directions),
        );
        let checkpoints = trainer.checkpoints().as_slice();
        let path = self.shown.as_mut().map(|job| job.path(checkpoints));
        let max_off_plane = path.as_ref().map(|p| {
            p.points
                .iter()
                .map(|point| point.off_plane)
                .fold(0.0f64, f64::max)
        });
        let value = serde_json::json!({
            "sharpness": sharpness,
            "update": trainer.updates_done(),
            "captured_fraction": path.as_ref().map(|p| p.captured_fraction),
            "max_off_plane": max_off_plane,
            "plane": self.shown.as_ref().map(|job| job.plane().plane),
        });
        serde_json::to_string(&value).map_err(js_error)
    }

    /// The run's seed (at most 2^53 − 1, exact as a JavaScript number).
    pub fn seed(&self) -> f64 {
        self.trainer.config().seed as f64
    }

    /// Per-update records from index `from` on, as a JSON array.
    #[wasm_bindgen(js_name = updatesSince)]
    pub fn updates_since(&self, from: usize) -> Result<String, JsError> {
        let updates = &self.trainer.history().updates;
        let start = from.min(updates.len());
        serde_json::to_string(&updates[start..]).map_err(js_error)
    }

    /// Per-epoch records from index `from` on (epoch `from + 1` first), as a JSON array.
    #[wasm_bindgen(js_name = epochsSince)]
    pub fn epochs_since(&self, from: usize) -> Result<String, JsError> {
        let epochs = &self.trainer.history().epochs;
        let start = from.min(epochs.len());
        serde_json::to_string(&epochs[start..]).map_err(js_error)
    }

    /// The verdict on the curves so far: `{code, message, fix}` as JSON.
    #[wasm_bindgen(js_name = diagnosisJson)]
    pub fn diagnosis_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.trainer.diagnosis()).map_err(js_error)
    }

    /// The run's summary (counts and final losses) as JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.trainer.summary()).map_err(js_error)
    }

    /// The per-epoch history as CSV, with the columns of the CLI's `epochs.csv`.
    #[wasm_bindgen(js_name = epochsCsv)]
    pub fn epochs_csv(&self) -> Result<String, JsError> {
        tables::records_csv(&self.trainer.history().epochs).map_err(js_error)
    }

    /// The per-update history as CSV, with the columns of the CLI's `updates.csv`.
    #[wasm_bindgen(js_name = updatesCsv)]
    pub fn updates_csv(&self) -> Result<String, JsError> {
        tables::records_csv(&self.trainer.history().updates).map_err(js_error)
    }

    /// The whole run so far as pretty JSON: `{config, summary, epochs, updates}` (a
    /// non-finite number is `null`).
    #[wasm_bindgen(js_name = runJson)]
    pub fn run_json(&self) -> Result<String, JsError> {
        let history = self.trainer.history();
        let run = serde_json::json!({
            "config": self.trainer.config(),
            "summary": self.trainer.summary(),
            "epochs": history.epochs,
            "updates": history.updates,
        });
        serde_json::to_string_pretty(&run).map_err(js_error)
    }

    /// The shown map as pretty JSON, in the form of the command line's `surface.json`:
    /// the grid, the losses (row j is `betas[j]`; `null` where not finite), the centre
    /// weights, the directions and the layout, the plane, the path on it with each
    /// checkpoint's true loss and distance from the plane, and `captured_fraction`; plus
    /// `center_update`, the update the map is centred on. Without `sharpness`: the
    /// curvature panel measures it on request, as it can take seconds for a large model.
    #[wasm_bindgen(js_name = surfaceJson)]
    pub fn surface_json(&mut self) -> Result<String, JsError> {
        let checkpoints = self.trainer.checkpoints().as_slice();
        let Some(shown) = self.shown.as_mut() else {
            return Err(js_error(
                "no loss map is finished yet; the first one appears a moment after the run starts",
            ));
        };
        let path = shown.path(checkpoints);
        let report = ShownSurface {
            surface: shown.export(),
            center_update: shown.center_update(),
            captured_fraction: path.captured_fraction,
            path: path.points,
        };
        serde_json::to_string_pretty(&report).map_err(js_error)
    }

    /// Whether a map is being computed.
    #[wasm_bindgen(js_name = surfacePending)]
    pub fn surface_pending(&self) -> bool {
        self.job.is_some()
    }

    /// Whether a new map would show something the shown one does not: there is none yet,
    /// or the weights have moved since its centre, and none is being computed. The plane
    /// of the path's principal components needs two checkpoints before the centre.
    #[wasm_bindgen(js_name = surfaceWanted)]
    pub fn surface_wanted(&self) -> bool {
        if self.job.is_some() {
            return false;
        }
        if self.trainer.config().landscape.plane == Plane::Pca {
            let current = self.trainer.updates_done();
            let checkpoints = self.trainer.checkpoints().as_slice();
            if checkpoints.iter().filter(|c| c.update < current).count() < 2 {
                return false;
            }
        }
        match &self.shown {
            None => true,
            Some(shown) => shown.center_update() != self.trainer.updates_done(),
        }
    }

    /// Starts a map around the current weights, replacing one in progress. When no map
    /// is shown yet and the grid is finer than [`COARSE_RESOLUTION`], the same map on a
    /// coarse grid is computed first and shown at once, so a large model's first picture
    /// does not wait for the whole grid; later maps replace the shown one when finished.
    #[wasm_bindgen(js_name = startSurface)]
    pub fn start_surface(&mut self) -> Result<(), JsError> {
        let job = SurfaceJob::new(&self.trainer).map_err(js_error)?;
        let resolution = self.trainer.config().landscape.resolution;
        self.coarse = (self.shown.is_none() && resolution > COARSE_RESOLUTION)
            .then(|| job.coarse(COARSE_RESOLUTION));
        self.job = Some(job);
        Ok(())
    }

    /// Computes rows of the map in progress until `budget_ms` milliseconds have passed
    /// (at least a few points). Returns true when this call finished it, or finished its
    /// coarse picture (see [`Engine::start_surface`]); that is then the shown map.
    #[wasm_bindgen(js_name = computeSurface)]
    pub fn compute_surface(&mut self, budget_ms: f64) -> bool {
        if self.job.is_none() {
            return false;
        }
        // The coarse map first; finished, it is shown and this call returns.
        let job = match self.coarse.as_mut() {
            Some(coarse) => coarse,
            None => self.job.as_mut().expect("checked above"),
        };
        let start_ms = now_ms();
        let mut complete = false;
        while !complete {
            // A few points at a time, so a large model's map never blocks the worker.
            complete = job.compute_cells(4);
            if now_ms() - start_ms >= budget_ms {
                break;
            }
        }
        job.add_elapsed_ms(now_ms() - start_ms);
        if complete {
            self.shown = match self.coarse.take() {
                Some(coarse) => Some(coarse),
                None => self.job.take(),
            };
        }
        complete
    }

    /// Whether the map in progress is at its coarse picture, which this engine computes
    /// itself; the full grid's rows can then be shared out (see
    /// [`SurfaceRows`](super::SurfaceRows)).
    #[wasm_bindgen(js_name = surfaceCoarsePending)]
    pub fn surface_coarse_pending(&self) -> bool {
        self.coarse.is_some()
    }

    /// The centre weights of the map in progress, for [`SurfaceRows`](super::SurfaceRows)
    /// in other workers (empty when there is none).
    #[wasm_bindgen(js_name = surfaceCenter)]
    pub fn surface_center(&self) -> Vec<f32> {
        self.job
            .as_ref()
            .map_or_else(Vec::new, |job| job.center().to_vec())
    }

    /// Direction `k` (0 or 1) of the map in progress, for
    /// [`SurfaceRows`](super::SurfaceRows).
    #[wasm_bindgen(js_name = surfaceDirection)]
    pub fn surface_direction(&self, k: usize) -> Vec<f32> {
        self.job
            .as_ref()
            .and_then(|job| job.directions().get(k))
            .map_or_else(Vec::new, Clone::clone)
    }

    /// The half width of the map in progress's square, for
    /// [`SurfaceRows`](super::SurfaceRows); NaN when there is none.
    #[wasm_bindgen(js_name = surfaceHalfWidth)]
    pub fn surface_half_width(&self) -> f64 {
        self.job
            .as_ref()
            .map_or(f64::NAN, |job| job.plane().half_width)
    }

    /// Puts in row `j` of the map in progress, computed by a
    /// [`SurfaceRows`](super::SurfaceRows) elsewhere. Returns true when this row finished
    /// it; it is then the shown map.
    #[wasm_bindgen(js_name = putSurfaceRow)]
    pub fn put_surface_row(&mut self, j: usize, losses: &[f64]) -> Result<bool, JsError> {
        let Some(job) = self.job.as_mut() else {
            return Err(JsError::new("there is no map in progress to put a row in"));
        };
        let complete = job.put_row(j, losses).map_err(js_error)?;
        if complete {
            self.shown = self.job.take();
        }
        Ok(complete)
    }

    /// Fraction of the map in progress that is computed, 0 when there is none.
    #[wasm_bindgen(js_name = surfaceProgress)]
    pub fn surface_progress(&self) -> f64 {
        self.job.as_ref().map_or(0.0, SurfaceJob::progress)
    }

    /// The update count at the centre of the map in progress, −1 when there is none.
    #[wasm_bindgen(js_name = pendingCenterUpdate)]
    pub fn pending_center_update(&self) -> f64 {
        self.job
            .as_ref()
            .map_or(-1.0, |job| job.center_update() as f64)
    }

    /// Whether a finished map exists.
    #[wasm_bindgen(js_name = hasShownSurface)]
    pub fn has_shown_surface(&self) -> bool {
        self.shown.is_some()
    }

    /// The update count at the centre of the shown map, −1 when there is none.
    #[wasm_bindgen(js_name = shownCenterUpdate)]
    pub fn shown_center_update(&self) -> f64 {
        self.shown
            .as_ref()
            .map_or(-1.0, |job| job.center_update() as f64)
    }

    /// α_i of the shown map (empty when there is none).
    #[wasm_bindgen(js_name = shownAlphas)]
    pub fn shown_alphas(&self) -> Vec<f64> {
        self.shown
            .as_ref()
            .map_or_else(Vec::new, |job| job.surface().alphas.clone())
    }

    /// β_j of the shown map (empty when there is none).
    #[wasm_bindgen(js_name = shownBetas)]
    pub fn shown_betas(&self) -> Vec<f64> {
        self.shown
            .as_ref()
            .map_or_else(Vec::new, |job| job.surface().betas.clone())
    }

    /// The shown map's losses, row-major by β; NaN where not finite.
    #[wasm_bindgen(js_name = shownLoss)]
    pub fn shown_loss(&self) -> Vec<f64> {
        self.shown
            .as_ref()
            .map_or_else(Vec::new, |job| job.surface().loss.clone())
    }

    /// The loss at the shown map's centre; NaN when there is no map.
    #[wasm_bindgen(js_name = shownCenterLoss)]
    pub fn shown_center_loss(&self) -> f64 {
        self.shown
            .as_ref()
            .map_or(f64::NAN, |job| job.surface().center_loss)
    }

    /// The optimizer path on the shown map's plane as α0, β0, α1, β1, …: every kept
    /// checkpoint, then the current weights (which move on after the map's centre).
    #[wasm_bindgen(js_name = shownPath)]
    pub fn shown_path(&self) -> Vec<f64> {
        let Some(shown) = &self.shown else {
            return Vec::new();
        };
        let (center, directions) = (shown.center(), shown.directions());
        let current_update = self.trainer.updates_done();
        let checkpoints = self.trainer.checkpoints().as_slice();
        let mut path = Vec::with_capacity(2 * (checkpoints.len() + 1));
        for checkpoint in checkpoints.iter().filter(|c| c.update < current_update) {
            if let Some((alpha, beta)) = projection::project(&checkpoint.params, center, directions)
            {
                path.extend([alpha, beta]);
            }
        }
        if let Some((alpha, beta)) = projection::project(self.trainer.params(), center, directions)
        {
            path.extend([alpha, beta]);
        }
        path
    }
}

/// What [`Engine::surface_json`] writes.
#[derive(Serialize)]
struct ShownSurface<'a> {
    #[serde(flatten)]
    surface: SurfaceExport<'a>,
    center_update: usize,
    captured_fraction: f64,
    path: Vec<PathPoint>,
}

impl Engine {
    /// The run, for the views computed in [`super::views`].
    pub(crate) fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The last finished map, if any.
    pub(crate) fn shown_job(&self) -> Option<&SurfaceJob> {
        self.shown.as_ref()
    }
}
