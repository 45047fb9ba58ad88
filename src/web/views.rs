//! The page's further views: the 3-D surface, the 1-D slices and the prediction view.
//! The worker computes their data with the [`Engine`] methods here (plain JSON); the main
//! thread draws them with the functions here on canvases, as it draws the map.
//!
//! - theme JSON: `{scale, dark}`; slices JSON: [`SlicePanel`]; prediction JSON:
//!   [`Prediction`] (`{kind: "regions" | "regression" | "unavailable", …}`).

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{canvas_area, one, path_points, scale_choice, surface_from, LandscapeMeta};
use super::js_error;
use super::Engine;
use crate::landscape::{directions, slice};
use crate::render::caption::plane_label;
use crate::render::figure::run::loss_name;
use crate::render::prediction::{draw_prediction as draw_prediction_view, predict, Prediction};
use crate::render::slice::{draw_slice_panel, SlicePanel};
use crate::render::surface3d::{draw_surface_3d, Surface3dView, DEFAULT_PITCH, DEFAULT_YAW};
use crate::render::Theme;

/// Grid points per axis of the page's prediction map.
const PAGE_PREDICTION_RESOLUTION: usize = 90;

/// Pixel density and background, as every drawing call takes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeSpec {
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    dark: bool,
}

fn theme_from(theme_json: &str) -> Result<Theme, JsError> {
    let spec: ThemeSpec = serde_json::from_str(theme_json)
        .map_err(|error| js_error(format!("theme is not valid: {error}")))?;
    Ok(Theme::new(spec.scale, spec.dark))
}

/// Draws the map's grid as a 3-D surface with the path (α, β pairs) on it; the meta is
/// the map's, with `yaw` and `pitch` in radians and `mesh` (default true).
#[wasm_bindgen(js_name = drawSurface3d)]
pub fn draw_surface3d(
    canvas: HtmlCanvasElement,
    loss: &[f64],
    path: &[f64],
    meta_json: &str,
) -> Result<(), JsError> {
    let meta: LandscapeMeta = serde_json::from_str(meta_json)
        .map_err(|error| js_error(format!("landscape meta is not valid: {error}")))?;
    let surface = surface_from(loss, &meta)?;
    let points = path_points(path)?;
    let view = Surface3dView {
        surface: &surface,
        path: &points,
        title: meta.title.as_deref().unwrap_or("Loss surface"),
        theme: Theme::new(meta.scale, meta.dark),
        scale: scale_choice(meta.colour_scale.as_deref())?,
        yaw: meta.yaw.unwrap_or(DEFAULT_YAW),
        pitch: meta.pitch.unwrap_or(DEFAULT_PITCH),
        mesh: meta.mesh.unwrap_or(true),
    };
    let area = canvas_area(canvas)?;
    draw_surface_3d(&area, &view).map_err(js_error)?;
    area.present().map_err(js_error)
}

/// Draws the slices and the interpolation of `slices_json` (from `Engine::slicesJson`).
#[wasm_bindgen(js_name = drawSlices)]
pub fn draw_slices(
    canvas: HtmlCanvasElement,
    slices_json: &str,
    theme_json: &str,
) -> Result<(), JsError> {
    let panel: SlicePanel = serde_json::from_str(slices_json)
        .map_err(|error| js_error(format!("slices are not valid: {error}")))?;
    let area = canvas_area(canvas)?;
    draw_slice_panel(&area, &panel, theme_from(theme_json)?).map_err(js_error)?;
    area.present().map_err(js_error)
}

/// Draws the prediction view of `prediction_json` (from `Engine::predictionJson`).
#[wasm_bindgen(js_name = drawPrediction)]
pub fn draw_prediction(
    canvas: HtmlCanvasElement,
    prediction_json: &str,
    theme_json: &str,
) -> Result<(), JsError> {
    let prediction: Prediction = serde_json::from_str(prediction_json)
        .map_err(|error| js_error(format!("prediction is not valid: {error}")))?;
    let area = canvas_area(canvas)?;
    draw_prediction_view(&area, &prediction, theme_from(theme_json)?).map_err(js_error)?;
    area.present().map_err(js_error)
}

#[wasm_bindgen]
impl Engine {
    /// The loss along each direction of the shown map's plane through the current
    /// weights (the run's random directions before the first map), and from the initial
    /// to the current weights, as JSON ([`SlicePanel`]).
    #[wasm_bindgen(js_name = slicesJson)]
    pub fn slices_json(&self) -> Result<String, JsError> {
        let trainer = self.trainer();
        let settings = &trainer.config().landscape;
        let [first, second] = match self.shown_job() {
            Some(job) => job.directions().clone(),
            None => directions::random_directions(
                settings.seed,
                trainer.params(),
                &trainer.model().layout,
                settings.normalization,
                settings.include_bias,
            ),
        };
        let half_width = self
            .shown_job()
            .map_or(settings.range, |job| job.plane().half_width);
        // Fewer points than the map: three sweeps of both splits must stay quick.
        let resolution = settings.resolution.clamp(9, 41);
        let along = |direction: &[f32]| {
            slice::along(
                trainer.model(),
                trainer.loss_kind(),
                trainer.data(),
                trainer.params(),
                direction,
                half_width,
                resolution,
            )
        };
        let initial = trainer
            .checkpoints()
            .as_slice()
            .first()
            .ok_or_else(|| JsError::new("the run kept no initial checkpoint"))?;
        let interpolation = slice::interpolate(
            trainer.model(),
            trainer.loss_kind(),
            trainer.data(),
            &initial.params,
            trainer.params(),
            resolution,
        );
        let panel = SlicePanel {
            along: [(&along(&first)).into(), (&along(&second)).into()],
            interpolation: (&interpolation).into(),
            loss_name: loss_name(trainer.loss_kind()).to_string(),
        };
        serde_json::to_string(&panel).map_err(js_error)
    }

    /// What the network predicts now, as JSON ([`Prediction`]): decision regions for
    /// 2-D classification, predicted against actual for regression.
    #[wasm_bindgen(js_name = predictionJson)]
    pub fn prediction_json(&self) -> Result<String, JsError> {
        let prediction = predict(self.trainer(), PAGE_PREDICTION_RESOLUTION);
        serde_json::to_string(&prediction).map_err(js_error)
    }

    /// The shown map's plane, e.g. "PCA plane (explained 81 %, 12 %)"; empty without a
    /// map.
    #[wasm_bindgen(js_name = shownPlaneLabel)]
    pub fn shown_plane_label(&self) -> String {
        let normalization = self.trainer().config().landscape.normalization;
        self.shown_job()
            .map(|job| plane_label(job.plane(), normalization))
            .unwrap_or_default()
    }
}
