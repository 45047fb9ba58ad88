//! Drawing entry points for the page's main thread: the figures of [`crate::render`] on an
//! `HTMLCanvasElement` through plotters-canvas. The canvas's backing store is drawn at
//! its own size; the page sizes it to CSS size × `devicePixelRatio` and passes that ratio
//! as `scale` so text and lines keep their CSS size.
//!
//! Numbers that may be NaN travel as `Float64Array`s; the rest as small JSON objects:
//!
//! - landscape meta: `{alphas, betas, rows_done, center_loss, title?, scale, dark,
//!   colour_scale?: "auto" | "linear" | "log", yaw?, pitch?, mesh?}` (for 3-D)
//! - curve spec: `{title, x_label, y_label, log_y, x_range?: [lo, hi], hline?: {value,
//!   label}, series: [{label, color: "#rrggbb", x: [..], y: [.. | null]}], smoothing?,
//!   marks?: {label, x: [..], y: [..]}, scale, dark}`
//!
//! Hover readouts map a pointer's device pixel back to data in Rust, with the same layout
//! the drawing used: [`landscape_readout`] from the map's meta and size,
//! [`curve_readout`] from the frame [`draw_curve`] returned.
//!
//! The map's filled contours are put on the canvas as one image (`putImageData`) rather
//! than as thousands of rectangles, each of which would cost a colour string and a call
//! into the canvas; the pixels are the same.

use plotters::prelude::IntoDrawingArea;
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::js_error;
use crate::landscape::Surface;
use crate::render::curves::CurveFrame;
use crate::render::landscape::{self, BandFill, LandscapeView, DEFAULT_TITLE};
use crate::render::levels::ScaleChoice;
use crate::render::{curves, render_error, CurveView, Series, Theme};

// The two browser calls that put an RGBA image on a canvas. web-sys declares them only
// behind its `ImageData` feature, which the page's build does not otherwise need.
#[wasm_bindgen]
extern "C" {
    type ImageData;

    /// A `CanvasRenderingContext2D` seen through the one method declared here.
    type ImageContext;

    #[wasm_bindgen(constructor, catch)]
    fn new(rgba: Clamped<&[u8]>, width: u32, height: u32) -> Result<ImageData, JsValue>;

    #[wasm_bindgen(method, catch, js_name = putImageData)]
    fn put_image_data(
        this: &ImageContext,
        image: &ImageData,
        x: f64,
        y: f64,
    ) -> Result<(), JsValue>;
}

/// What a landscape needs besides its losses and path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LandscapeMeta {
    pub(crate) alphas: Vec<f64>,
    pub(crate) betas: Vec<f64>,
    pub(crate) rows_done: usize,
    pub(crate) center_loss: Option<f64>,
    pub(crate) title: Option<String>,
    #[serde(default = "one")]
    pub(crate) scale: f64,
    #[serde(default)]
    pub(crate) dark: bool,
    pub(crate) colour_scale: Option<String>,
    /// The 3-D view's rotation about the vertical axis and tilt, radians.
    pub(crate) yaw: Option<f64>,
    pub(crate) pitch: Option<f64>,
    /// Outline the 3-D view's cells (off while dragging, for speed).
    pub(crate) mesh: Option<bool>,
}

/// One line of a curve chart as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesSpec {
    label: String,
    color: String,
    x: Vec<f64>,
    /// `null` for a missing or non-finite value: a gap in the line.
    y: Vec<Option<f64>>,
}

/// Points to ring on a curve (e.g. clipped updates).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarksSpec {
    label: String,
    x: Vec<f64>,
    y: Vec<Option<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceLine {
    value: f64,
    label: String,
}

/// A curve chart as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurveSpec {
    title: String,
    x_label: String,
    y_label: String,
    #[serde(default)]
    log_y: bool,
    x_range: Option<[f64; 2]>,
    hline: Option<ReferenceLine>,
    series: Vec<SeriesSpec>,
    #[serde(default)]
    smoothing: f64,
    marks: Option<MarksSpec>,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    dark: bool,
}

pub(crate) fn one() -> f64 {
    1.0
}

/// A plotters drawing area over the whole canvas.
pub(crate) fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<plotters::drawing::DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    if canvas.width() == 0 || canvas.height() == 0 {
        return Err(JsError::new(
            "the canvas has no pixels yet (width or height is 0); size it before drawing",
        ));
    }
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2-D drawing context"))?;
    Ok(backend.into_drawing_area())
}

/// The canvas's 2-D context, the one plotters-canvas draws with.
fn context_2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| JsError::new("the canvas has no 2-D drawing context"))
}

/// Puts an RGBA image of `width` × `height` pixels on `context` at device pixel (x, y).
fn put_image(
    context: &CanvasRenderingContext2d,
    (x, y): (i32, i32),
    (width, height): (u32, u32),
    rgba: &[u8],
) -> crate::error::Result<()> {
    let failed = |error: JsValue| {
        render_error(format!(
            "a {width} × {height} image could not be put on the canvas: {error:?}"
        ))
    };
    let image = ImageData::new(Clamped(rgba), width, height).map_err(failed)?;
    context
        .unchecked_ref::<ImageContext>()
        .put_image_data(&image, f64::from(x), f64::from(y))
        .map_err(failed)
}

/// The surface described by `meta` with `loss`, checked for consistent sizes.
pub(crate) fn surface_from(loss: &[f64], meta: &LandscapeMeta) -> Result<Surface, JsError> {
    let expected = meta.alphas.len() * meta.betas.len();
    if loss.len() != expected {
        return Err(JsError::new(&format!(
            "surface loss has {} values, expected {} ({} α × {} β)",
            loss.len(),
            expected,
            meta.alphas.len(),
            meta.betas.len()
        )));
    }
    let non_finite_count = loss.iter().filter(|value| !value.is_finite()).count();
    Ok(Surface {
        alphas: meta.alphas.clone(),
        betas: meta.betas.clone(),
        loss: loss.to_vec(),
        rows_done: meta.rows_done.min(meta.betas.len()),
        center_loss: meta.center_loss.unwrap_or(f64::NAN),
        non_finite_count,
    })
}

/// Pairs α0, β0, α1, β1, … as points.
pub(crate) fn path_points(path: &[f64]) -> Result<Vec<(f64, f64)>, JsError> {
    if !path.len().is_multiple_of(2) {
        return Err(JsError::new(&format!(
            "path must hold α, β pairs, got {} numbers",
            path.len()
        )));
    }
    Ok(path
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1]))
        .collect())
}

pub(crate) fn scale_choice(name: Option<&str>) -> Result<ScaleChoice, JsError> {
    match name {
        None | Some("auto") => Ok(ScaleChoice::Auto),
        Some("linear") => Ok(ScaleChoice::Linear),
        Some("log") => Ok(ScaleChoice::Log),
        Some(other) => Err(JsError::new(&format!(
            "colour_scale must be \"auto\", \"linear\" or \"log\", got \"{other}\""
        ))),
    }
}

/// Which parts of the map to paint.
#[derive(Clone, Copy)]
enum Layers {
    All,
    Base,
    Overlay,
}

fn draw_landscape_layers(
    canvas: HtmlCanvasElement,
    loss: &[f64],
    path: &[f64],
    meta_json: &str,
    layers: Layers,
) -> Result<(), JsError> {
    let meta: LandscapeMeta = serde_json::from_str(meta_json)
        .map_err(|error| js_error(format!("landscape meta is not valid: {error}")))?;
    let surface = surface_from(loss, &meta)?;
    let points = path_points(path)?;
    let view = LandscapeView {
        surface: &surface,
        path: &points,
        current: points.last().copied(),
        title: meta.title.as_deref().unwrap_or(DEFAULT_TITLE),
        theme: Theme::new(meta.scale, meta.dark),
        scale: scale_choice(meta.colour_scale.as_deref())?,
        colour_range: None,
    };
    let context = context_2d(&canvas)?;
    let mut paint = |at, size, rgba: &[u8]| put_image(&context, at, size, rgba);
    let area = canvas_area(canvas)?;
    match layers {
        Layers::All => landscape::draw_landscape_with(&area, &view, BandFill::Image(&mut paint)),
        Layers::Base => {
            landscape::draw_landscape_base_with(&area, &view, BandFill::Image(&mut paint))
        }
        Layers::Overlay => landscape::draw_landscape_overlay(&area, &view),
    }
    .map_err(js_error)?;
    area.present().map_err(js_error)
}

/// Draws the whole loss map (contours, axes, colour bar, path) on `canvas`.
/// `path` holds α, β pairs; its last pair is the current weights.
#[wasm_bindgen(js_name = drawLandscape)]
pub fn draw_landscape(
    canvas: HtmlCanvasElement,
    loss: &[f64],
    path: &[f64],
    meta_json: &str,
) -> Result<(), JsError> {
    draw_landscape_layers(canvas, loss, path, meta_json, Layers::All)
}

/// Draws the parts of the map that depend on the surface only, for caching.
#[wasm_bindgen(js_name = drawLandscapeBase)]
pub fn draw_landscape_base(
    canvas: HtmlCanvasElement,
    loss: &[f64],
    meta_json: &str,
) -> Result<(), JsError> {
    draw_landscape_layers(canvas, loss, &[], meta_json, Layers::Base)
}

/// Draws the path and markers over a base drawn with the same meta and canvas size.
#[wasm_bindgen(js_name = drawLandscapeOverlay)]
pub fn draw_landscape_overlay(
    canvas: HtmlCanvasElement,
    loss: &[f64],
    path: &[f64],
    meta_json: &str,
) -> Result<(), JsError> {
    draw_landscape_layers(canvas, loss, path, meta_json, Layers::Overlay)
}

/// `#rrggbb` as a colour.
fn parse_color(text: &str) -> Result<RGBColor, JsError> {
    let invalid = || JsError::new(&format!("colour must look like #1f77b4, got \"{text}\""));
    let hex = text.strip_prefix('#').ok_or_else(invalid)?;
    if hex.len() != 6 || !hex.is_ascii() {
        return Err(invalid());
    }
    let channel =
        |range: std::ops::Range<usize>| u8::from_str_radix(&hex[range], 16).map_err(|_| invalid());
    Ok(RGBColor(channel(0..2)?, channel(2..4)?, channel(4..6)?))
}

/// The chart `spec` describes, checked.
fn curve_view(spec: &CurveSpec) -> Result<CurveView<'_>, JsError> {
    let mut series = Vec::with_capacity(spec.series.len());
    for line in &spec.series {
        if line.x.len() != line.y.len() {
            return Err(JsError::new(&format!(
                "series \"{}\" has {} x values but {} y values",
                line.label,
                line.x.len(),
                line.y.len()
            )));
        }
        let points = line
            .x
            .iter()
            .zip(&line.y)
            .map(|(&x, &y)| (x, y.unwrap_or(f64::NAN)))
            .collect();
        series.push(Series {
            label: line.label.clone(),
            points,
            color: parse_color(&line.color)?,
        });
    }
    let marks = spec.marks.as_ref().map_or_else(Vec::new, |marks| {
        marks
            .x
            .iter()
            .zip(&marks.y)
            .map(|(&x, &y)| (x, y.unwrap_or(f64::NAN)))
            .collect()
    });
    Ok(CurveView {
        title: &spec.title,
        x_label: &spec.x_label,
        y_label: &spec.y_label,
        series,
        log_y: spec.log_y,
        hline: spec
            .hline
            .as_ref()
            .map(|line| (line.value, line.label.as_str())),
        x_range: spec.x_range.map(|[low, high]| (low, high)),
        theme: Theme::new(spec.scale, spec.dark),
        smoothing: spec.smoothing,
        marks,
        marks_label: spec.marks.as_ref().map_or("", |marks| marks.label.as_str()),
    })
}

fn parse_curve_spec(spec_json: &str) -> Result<CurveSpec, JsError> {
    serde_json::from_str(spec_json)
        .map_err(|error| js_error(format!("curve spec is not valid: {error}")))
}

/// Draws one line chart described by `spec_json` on `canvas`. Returns the chart's frame
/// as JSON (`null` while there is no data), for [`curve_readout`].
#[wasm_bindgen(js_name = drawCurve)]
pub fn draw_curve(canvas: HtmlCanvasElement, spec_json: &str) -> Result<String, JsError> {
    let spec = parse_curve_spec(spec_json)?;
    let view = curve_view(&spec)?;
    let area = canvas_area(canvas)?;
    let frame = curves::draw_curve(&area, &view).map_err(js_error)?;
    area.present().map_err(js_error)?;
    serde_json::to_string(&frame).map_err(js_error)
}

/// What lies under device pixel (x, y) of a chart drawn from `spec_json` with the frame
/// `frame_json` that [`draw_curve`] returned: `{x, y, values: [{label, x, y, smoothed}]}`
/// as JSON, or `null` outside the plot.
#[wasm_bindgen(js_name = curveReadout)]
pub fn curve_readout(spec_json: &str, frame_json: &str, x: f64, y: f64) -> Result<String, JsError> {
    let spec = parse_curve_spec(spec_json)?;
    let view = curve_view(&spec)?;
    let frame: Option<CurveFrame> = serde_json::from_str(frame_json)
        .map_err(|error| js_error(format!("curve frame is not valid: {error}")))?;
    let readout = frame.and_then(|frame| curves::curve_readout(&view, &frame, x, y));
    serde_json::to_string(&readout).map_err(js_error)
}

/// The map's value under device pixel (x, y) of a `width` × `height` canvas drawn from
/// `loss` and `meta_json`: `{alpha, beta, loss}` as JSON (`loss` null where there is no
/// data), or `null` outside the plot.
#[wasm_bindgen(js_name = landscapeReadout)]
pub fn landscape_readout(
    loss: &[f64],
    meta_json: &str,
    width: u32,
    height: u32,
    x: f64,
    y: f64,
) -> Result<String, JsError> {
    let meta: LandscapeMeta = serde_json::from_str(meta_json)
        .map_err(|error| js_error(format!("landscape meta is not valid: {error}")))?;
    let surface = surface_from(loss, &meta)?;
    let theme = Theme::new(meta.scale, meta.dark);
    let readout =
        landscape::plane_point_at(width, height, &theme, &surface, x, y).map(|(alpha, beta)| {
            let value = landscape::value_at(&surface, alpha, beta);
            serde_json::json!({"alpha": alpha, "beta": beta, "loss": value})
        });
    serde_json::to_string(&readout).map_err(js_error)
}
