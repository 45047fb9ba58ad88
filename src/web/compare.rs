//! The comparison page's boundary: two runs from the same start ([`crate::compare`]),
//! computed in the page's workers and drawn on its main thread.
//!
//! Worker side: a [`ComparisonTask`] wraps one [`ComparisonJob`] — the full comparison
//! (landscapes, measures, interpolation) or one seed of the spread (measures only) — and
//! advances it within a time budget, so the worker can post its progress between calls.
//! A finished full comparison goes out as `viewJson` (everything but the two surfaces)
//! and `surfaceLoss(side)` (`Float64Array`s, NaN kept as "no data").
//!
//! Main-thread side: the presets, checking two configs with the engine's messages, the
//! seed-spread summary of the measures collected so far, and the drawing of the two maps
//! on one colour scale and of the interpolation. Drawing specs:
//!
//! - maps: `{maps: [{alphas, betas, rows_done, center_loss, title}; 2], shared_range:
//!   [low, high] | null, scale, dark, colour_scale?: "auto" | "linear" | "log"}`
//! - interpolation: `{interpolation: SliceData, labels: [a, b], loss_name, scale, dark}`

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::clock::now_ms;
use super::draw::{canvas_area, one, scale_choice};
use super::js_error;
use crate::compare::{self, Comparison, ComparisonJob, Metrics};
use crate::config::RunConfig;
use crate::error::Error;
use crate::landscape::Surface;
use crate::plan::RunPlan;
use crate::presets::COMPARISONS;
use crate::render::figure::run::loss_name;
use crate::render::pair::{
    draw_interpolation, draw_landscape_pair, side_title, PairSide, PairView,
};
use crate::render::slice::SliceData;
use crate::render::Theme;

/// Optimizer updates per piece of work between two looks at the clock.
const UPDATES_PER_PIECE: usize = 8;
/// Landscape grid points per piece of work (one-hidden-layer models do whole rows).
const CELLS_PER_PIECE: usize = 64;

/// One map of the pair, without its losses (they travel as a `Float64Array`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapMeta {
    alphas: Vec<f64>,
    betas: Vec<f64>,
    rows_done: usize,
    /// `null` when not finite.
    center_loss: Option<f64>,
    title: String,
}

impl MapMeta {
    fn of(surface: &Surface, metrics: &Metrics) -> MapMeta {
        MapMeta {
            alphas: surface.alphas.clone(),
            betas: surface.betas.clone(),
            rows_done: surface.rows_done,
            center_loss: surface
                .center_loss
                .is_finite()
                .then_some(surface.center_loss),
            title: side_title(metrics),
        }
    }

    fn surface(&self, loss: &[f64]) -> Result<Surface, JsError> {
        let expected = self.alphas.len() * self.betas.len();
        if loss.len() != expected {
            return Err(JsError::new(&format!(
                "a comparison map has {} values, expected {} ({} α × {} β)",
                loss.len(),
                expected,
                self.alphas.len(),
                self.betas.len()
            )));
        }
        Ok(Surface {
            alphas: self.alphas.clone(),
            betas: self.betas.clone(),
            loss: loss.to_vec(),
            rows_done: self.rows_done.min(self.betas.len()),
            center_loss: self.center_loss.unwrap_or(f64::NAN),
            non_finite_count: loss.iter().filter(|value| !value.is_finite()).count(),
        })
    }
}

/// One run's loss per epoch and gradient norm per update, for the overlaid curves.
#[derive(Debug, Serialize)]
struct CurveData {
    epochs: Vec<usize>,
    /// Loss on the whole train split at each epoch's end; `null` when not finite.
    train_loss: Vec<Option<f64>>,
    val_loss: Vec<Option<f64>>,
    /// Update indices k (from 0) of the kept update records, and their gradient norms
    /// before clipping.
    updates: Vec<usize>,
    grad_norm: Vec<Option<f64>>,
    updates_per_epoch: usize,
}

/// A finished comparison for the page, except the surfaces.
#[derive(Debug, Serialize)]
struct ComparisonView {
    labels: [String; 2],
    loss_name: String,
    metrics: [Metrics; 2],
    maps: [MapMeta; 2],
    /// `null` when neither surface has a finite value.
    shared_range: Option<[f64; 2]>,
    interpolation: SliceData,
    curves: [CurveData; 2],
    configs: [RunConfig; 2],
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn curve_data(side: &compare::Side) -> Result<CurveData, Error> {
    let epochs = &side.history.epochs;
    let updates = &side.history.updates;
    Ok(CurveData {
        epochs: epochs.iter().map(|record| record.epoch).collect(),
        train_loss: epochs.iter().map(|r| finite(r.train_loss_eval)).collect(),
        val_loss: epochs.iter().map(|r| r.val_loss.and_then(finite)).collect(),
        updates: updates.iter().map(|record| record.update).collect(),
        grad_norm: updates.iter().map(|r| finite(r.grad_norm)).collect(),
        updates_per_epoch: RunPlan::new(&side.config)?.updates_per_epoch,
    })
}

fn comparison_view(comparison: &Comparison) -> Result<ComparisonView, Error> {
    let (low, high) = comparison.shared_range;
    let sides = [&comparison.a, &comparison.b];
    Ok(ComparisonView {
        labels: sides.map(|side| side.metrics.label.clone()),
        loss_name: loss_name(comparison.a.config.loss_kind()).to_string(),
        metrics: sides.map(|side| side.metrics.clone()),
        maps: sides.map(|side| MapMeta::of(&side.surface, &side.metrics)),
        shared_range: (low.is_finite() && high.is_finite()).then_some([low, high]),
        interpolation: (&comparison.interpolation).into(),
        curves: [curve_data(sides[0])?, curve_data(sides[1])?],
        configs: sides.map(|side| side.config.clone()),
    })
}

/// Where a task is: computing, or finished with what it computed.
enum TaskState {
    Running(Box<ComparisonJob>),
    Compared(Box<Comparison>),
    Measured(Box<[Metrics; 2]>),
    /// Only while moving from one state to the next.
    Moving,
}

/// One comparison computed in a worker: the full one, or one seed of the spread.
#[wasm_bindgen]
pub struct ComparisonTask {
    state: TaskState,
}

#[wasm_bindgen]
impl ComparisonTask {
    /// Two runs from the JSON configs `a_json` and `b_json` (B is trained from A's seed,
    /// data and model), named by `labels_json` (`["batch 8", "batch 456"]`). Run A's seed
    /// is moved by `seed_offset` (the spread's seeds are A's seed, + 1, + 2, …). With
    /// `with_views`, the task also computes both landscapes and the interpolation.
    #[wasm_bindgen(constructor)]
    pub fn new(
        a_json: &str,
        b_json: &str,
        labels_json: &str,
        seed_offset: u32,
        with_views: bool,
    ) -> Result<ComparisonTask, JsError> {
        let labels: [String; 2] = serde_json::from_str(labels_json)
            .map_err(|error| js_error(format!("labels must be two strings: {error}")))?;
        let a = RunConfig::from_json(a_json).map_err(js_error)?;
        let b = RunConfig::from_json(b_json).map_err(js_error)?;
        let a = compare::seeded(&a, u64::from(seed_offset)).map_err(js_error)?;
        let labels = [labels[0].as_str(), labels[1].as_str()];
        let job = if with_views {
            ComparisonJob::new(&a, &b, labels)
        } else {
            ComparisonJob::metrics_only(&a, &b, labels)
        }
        .map_err(js_error)?;
        Ok(ComparisonTask {
            state: TaskState::Running(Box::new(job)),
        })
    }

    /// Works for about `budget_ms` milliseconds (a piece more at most; a curvature
    /// measurement is one piece). Returns true once the task is finished.
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsError> {
        let start_ms = now_ms();
        let TaskState::Running(job) = &mut self.state else {
            return Ok(true);
        };
        loop {
            let done = job
                .advance(UPDATES_PER_PIECE, CELLS_PER_PIECE)
                .map_err(js_error)?;
            if done {
                break;
            }
            if now_ms() - start_ms >= budget_ms {
                return Ok(false);
            }
        }

        // Keep the result in the form the page asks for.
        let TaskState::Running(job) = std::mem::replace(&mut self.state, TaskState::Moving) else {
            return Ok(true);
        };
        self.state = if job.has_views() {
            TaskState::Compared(Box::new(job.into_comparison().map_err(js_error)?))
        } else {
            TaskState::Measured(Box::new(job.into_metrics().map_err(js_error)?))
        };
        Ok(true)
    }

    /// `{stage, side?, label, done, total, fraction}` as JSON; stage is "training",
    /// "landscape", "measuring", "interpolating" or "done".
    #[wasm_bindgen(js_name = progressJson)]
    pub fn progress_json(&self) -> Result<String, JsError> {
        let progress = match &self.state {
            TaskState::Running(job) => serde_json::to_value(job.progress()),
            _ => Ok(json!({"stage": "done", "label": "", "done": 1, "total": 1, "fraction": 1.0})),
        };
        progress.map(|value| value.to_string()).map_err(js_error)
    }

    /// Both runs' measures, `[A, B]` as JSON, once finished.
    #[wasm_bindgen(js_name = metricsJson)]
    pub fn metrics_json(&self) -> Result<String, JsError> {
        let metrics = match &self.state {
            TaskState::Compared(comparison) => {
                [comparison.a.metrics.clone(), comparison.b.metrics.clone()]
            }
            TaskState::Measured(metrics) => (**metrics).clone(),
            _ => return Err(JsError::new("the comparison has not finished yet")),
        };
        serde_json::to_string(&metrics).map_err(js_error)
    }

    /// The finished full comparison for the page, without the surfaces, as JSON:
    /// `{labels, loss_name, metrics, maps, shared_range, interpolation, curves, configs}`.
    #[wasm_bindgen(js_name = viewJson)]
    pub fn view_json(&self) -> Result<String, JsError> {
        let TaskState::Compared(comparison) = &self.state else {
            return Err(JsError::new(
                "no finished comparison with landscapes in this task",
            ));
        };
        let view = comparison_view(comparison).map_err(js_error)?;
        serde_json::to_string(&view).map_err(js_error)
    }

    /// The losses of side 0 (A) or 1 (B)'s map, row-major by β; NaN is "no data".
    #[wasm_bindgen(js_name = surfaceLoss)]
    pub fn surface_loss(&self, side: usize) -> Result<Vec<f64>, JsError> {
        let TaskState::Compared(comparison) = &self.state else {
            return Err(JsError::new(
                "no finished comparison with landscapes in this task",
            ));
        };
        match side {
            0 => Ok(comparison.a.surface.loss.clone()),
            1 => Ok(comparison.b.surface.loss.clone()),
            _ => Err(JsError::new(&format!("side must be 0 or 1, got {side}"))),
        }
    }
}

/// Every comparison preset as a JSON array of `{name, title, labels, explanation, a, b}`
/// with both full configs, the flat-versus-sharp lesson first.
#[wasm_bindgen(js_name = comparisonPresetsJson)]
pub fn comparison_presets_json() -> Result<String, JsError> {
    let mut list = Vec::with_capacity(COMPARISONS.len());
    for preset in COMPARISONS {
        let [a, b] = preset.configs().map_err(js_error)?;
        list.push(json!({
            "name": preset.name,
            "title": preset.title,
            "labels": preset.labels,
            "explanation": preset.explanation,
            "a": a,
            "b": b,
        }));
    }
    Ok(Value::from(list).to_string())
}

/// Checks two configs as the comparison will: each as a run would be checked, then that
/// they share data, model and loss. Returns JSON `{"valid": true, "a": config, "b":
/// config}` with every key filled in, or `{"valid": false, "side": "a" | "b" | null,
/// "message": "…"}`. Never throws: any problem is the message.
#[wasm_bindgen(js_name = checkComparison)]
pub fn check_comparison(a_json: &str, b_json: &str) -> String {
    let check = |text: &str| {
        RunConfig::from_json(text).and_then(|config| RunPlan::new(&config).map(|_| config))
    };
    let a = match check(a_json) {
        Ok(config) => config,
        Err(error) => return invalid(Some("a"), &error),
    };
    let b = match check(b_json) {
        Ok(config) => config,
        Err(error) => return invalid(Some("b"), &error),
    };
    match compare::aligned(&a, &b) {
        Ok(_) => json!({"valid": true, "a": a, "b": b}).to_string(),
        Err(error) => invalid(None, &error),
    }
}

fn invalid(side: Option<&str>, error: &Error) -> String {
    json!({"valid": false, "side": side, "message": error.to_string()}).to_string()
}

/// The seed spread of the measures collected so far: `pairs_json` is `[[A, B], …]` in
/// seed order (each pair as `metricsJson` gave it). Returns the rows as JSON: `[{metric,
/// a_mean, a_std, b_mean, b_std, a_lower, seeds}]`.
#[wasm_bindgen(js_name = spreadRowsJson)]
pub fn spread_rows_json(pairs_json: &str) -> Result<String, JsError> {
    let pairs: Vec<[Metrics; 2]> = serde_json::from_str(pairs_json)
        .map_err(|error| js_error(format!("seed measures are not valid: {error}")))?;
    serde_json::to_string(&compare::spread_rows(&pairs)).map_err(js_error)
}

/// How the two maps are drawn.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapsSpec {
    maps: [MapMeta; 2],
    shared_range: Option<[f64; 2]>,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    dark: bool,
    colour_scale: Option<String>,
}

/// Draws both maps side by side on one colour scale: `loss_a` and `loss_b` from
/// `surfaceLoss(0)` and `surfaceLoss(1)`, the rest from `spec_json` (see the module
/// docs; `maps` and `shared_range` as `viewJson` gave them).
#[wasm_bindgen(js_name = drawComparisonMaps)]
pub fn draw_comparison_maps(
    canvas: HtmlCanvasElement,
    loss_a: &[f64],
    loss_b: &[f64],
    spec_json: &str,
) -> Result<(), JsError> {
    let spec: MapsSpec = serde_json::from_str(spec_json)
        .map_err(|error| js_error(format!("comparison maps spec is not valid: {error}")))?;
    let surfaces = [spec.maps[0].surface(loss_a)?, spec.maps[1].surface(loss_b)?];
    let side = |index: usize| PairSide {
        surface: &surfaces[index],
        path: &[],
        title: spec.maps[index].title.clone(),
    };
    let view = PairView {
        sides: [side(0), side(1)],
        shared_range: spec
            .shared_range
            .map_or((f64::NAN, f64::NAN), |[low, high]| (low, high)),
        scale: scale_choice(spec.colour_scale.as_deref())?,
        theme: Theme::new(spec.scale, spec.dark),
    };
    let area = canvas_area(canvas)?;
    draw_landscape_pair(&area, &view).map_err(js_error)?;
    area.present().map_err(js_error)
}

/// How the interpolation is drawn.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InterpolationSpec {
    interpolation: SliceData,
    labels: [String; 2],
    loss_name: String,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    dark: bool,
}

/// Draws the loss on the line through both minima (α = 0 at A, 1 at B) from
/// `spec_json` (see the module docs; `interpolation`, `labels` and `loss_name` as
/// `viewJson` gave them).
#[wasm_bindgen(js_name = drawComparisonInterpolation)]
pub fn draw_comparison_interpolation(
    canvas: HtmlCanvasElement,
    spec_json: &str,
) -> Result<(), JsError> {
    let spec: InterpolationSpec = serde_json::from_str(spec_json)
        .map_err(|error| js_error(format!("interpolation spec is not valid: {error}")))?;
    let area = canvas_area(canvas)?;
    let labels = [spec.labels[0].as_str(), spec.labels[1].as_str()];
    draw_interpolation(
        &area,
        &spec.interpolation,
        labels,
        &spec.loss_name,
        Theme::new(spec.scale, spec.dark),
    )
    .map_err(js_error)?;
    area.present().map_err(js_error)
}
