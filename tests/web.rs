//! Browser tests of the wasm boundary, run in headless Chrome by
//! `wasm-pack test --headless --chrome`: the engine trains inside the browser, and the
//! loss map drawn on a real canvas has the colours of the surface it was given.

#![cfg(target_arch = "wasm32")]

use landscape_lab::render::landscape::LandscapeLayout;
use landscape_lab::render::Theme;
use landscape_lab::web::draw::{draw_curve, draw_landscape};
use landscape_lab::web::seed::random_seed;
use landscape_lab::web::Engine;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A detached canvas of `width` × `height` pixels.
fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

/// The RGBA colour of one pixel, read back from the canvas.
fn pixel(canvas: &HtmlCanvasElement, x: i32, y: i32) -> [u8; 4] {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(f64::from(x), f64::from(y), 1.0, 1.0)
        .unwrap()
        .data();
    [data[0], data[1], data[2], data[3]]
}

/// Perceived brightness of an RGBA pixel (BT.709 weights on the raw channels).
fn brightness(color: [u8; 4]) -> f64 {
    0.2126 * f64::from(color[0]) + 0.7152 * f64::from(color[1]) + 0.0722 * f64::from(color[2])
}

#[wasm_bindgen_test]
fn engine_trains_in_the_browser_and_the_loss_falls() {
    // 10 epochs of the reference run: 3 updates each, 30 in all.
    let mut engine = Engine::new(r#"{"epochs": 10}"#)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        engine.total_updates(),
        30,
        "ceil(354 / 32) = 12 batches, 4 per update"
    );

    let attempted = engine.run_updates(1000, 60_000.0);
    assert_eq!(attempted, 30, "the run stops by itself at its last update");
    assert_eq!(engine.status(), "finished");
    assert_eq!(engine.epochs_done(), 10);

    let epochs: Value = serde_json::from_str(&engine.epochs_since(0).unwrap()).unwrap();
    let epochs = epochs.as_array().unwrap();
    let first = epochs[0]["train_loss_eval"].as_f64().unwrap();
    let last = epochs[9]["train_loss_eval"].as_f64().unwrap();
    assert!(
        last < 0.9 * first,
        "ten epochs of AdamW must lower the train loss by over 10 %: {first} → {last}"
    );

    let updates: Value = serde_json::from_str(&engine.updates_since(25).unwrap()).unwrap();
    assert_eq!(
        updates.as_array().unwrap().len(),
        5,
        "a delta holds only new records"
    );
}

#[wasm_bindgen_test]
fn engine_computes_a_map_and_projects_the_path() {
    let mut engine = Engine::new(r#"{"epochs": 3, "landscape": {"resolution": 9}}"#)
        .map_err(JsValue::from)
        .unwrap();
    engine.run_updates(1000, 60_000.0);
    assert!(engine.surface_wanted(), "no map yet");
    engine.start_surface().map_err(JsValue::from).unwrap();
    let mut complete = false;
    for _ in 0..100 {
        if engine.compute_surface(50.0) {
            complete = true;
            break;
        }
    }
    assert!(complete, "a 9 × 9 map finishes");
    assert!(
        !engine.surface_wanted(),
        "the map is centred on the final weights"
    );
    let loss = engine.shown_loss();
    assert_eq!(loss.len(), 81);
    let centre = loss[4 * 9 + 4];
    assert!((centre - engine.shown_center_loss()).abs() < 1e-9 * centre.abs().max(1.0));
    let path = engine.shown_path();
    assert!(
        path.len() >= 4 && path.len() % 2 == 0,
        "α, β pairs: {}",
        path.len()
    );
    let (alpha, beta) = (path[path.len() - 2], path[path.len() - 1]);
    assert!(
        alpha.abs() < 1e-6 && beta.abs() < 1e-6,
        "current weights are the centre"
    );
}

#[wasm_bindgen_test]
fn contour_map_of_a_bowl_is_dark_in_the_middle_and_bright_in_the_corner() {
    // A 15 × 15 bowl α² + β² + 0.1 on [−1, 1]².
    let resolution = 15;
    let axis: Vec<f64> = (0..resolution)
        .map(|i| -1.0 + 2.0 * i as f64 / (resolution - 1) as f64)
        .collect();
    let mut loss = Vec::with_capacity(resolution * resolution);
    for beta in &axis {
        for alpha in &axis {
            loss.push(alpha * alpha + beta * beta + 0.1);
        }
    }
    let meta = serde_json::json!({
        "alphas": axis,
        "betas": axis,
        "rows_done": resolution,
        "center_loss": 0.1,
        "scale": 1.0,
        "dark": false,
    })
    .to_string();
    let (width, height) = (420, 380);
    let target = canvas(width, height);
    draw_landscape(target.clone(), &loss, &[], &meta)
        .map_err(JsValue::from)
        .unwrap();

    let plot = LandscapeLayout::new(width, height, &Theme::new(1.0, false))
        .unwrap()
        .plot;
    let centre = pixel(
        &target,
        plot.left + plot.width / 2 + 3,
        plot.top + plot.height / 2 + 3,
    );
    let corner = pixel(&target, plot.left + 3, plot.top + 3);
    assert_eq!(centre[3], 255, "the map is opaque");
    assert_ne!(centre, corner, "a bowl is not one colour");
    assert!(
        brightness(centre) + 60.0 < brightness(corner),
        "the bottom of the bowl (dark viridis) is much darker than its rim (yellow): \
         centre {centre:?}, corner {corner:?}"
    );
    // Viridis starts purple: the lowest band has more blue than green.
    assert!(centre[2] > centre[1], "centre is purple-blue: {centre:?}");
    // And ends yellow: the highest band has more red and green than blue.
    assert!(
        corner[0] > corner[2] && corner[1] > corner[2],
        "corner is yellow: {corner:?}"
    );
}

#[wasm_bindgen_test]
fn curve_chart_draws_its_line_on_the_canvas() {
    let spec = serde_json::json!({
        "title": "loss",
        "x_label": "epoch",
        "y_label": "MSE",
        "log_y": true,
        "series": [{
            "label": "train",
            "color": "#ff0000",
            "x": [1, 2, 3, 4, 5, 6],
            "y": [1.0, 0.7, null, 0.4, 0.3, 0.25],
        }],
        "scale": 1.0,
        "dark": false,
    })
    .to_string();
    let target = canvas(400, 240);
    draw_curve(target.clone(), &spec)
        .map_err(JsValue::from)
        .unwrap();

    let context: CanvasRenderingContext2d = target
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = context
        .get_image_data(0.0, 0.0, 400.0, 240.0)
        .unwrap()
        .data();
    let red = data
        .chunks_exact(4)
        .filter(|p| p[0] > 200 && p[1] < 80 && p[2] < 80)
        .count();
    assert!(red > 100, "the red train line is drawn ({red} red pixels)");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    let error = draw_curve(canvas(100, 100), "{not json").err();
    assert!(error.is_some(), "malformed JSON is reported");
    let error = Engine::new(r#"{"batch_size": 0}"#).err().map(JsValue::from);
    let message = error
        .and_then(|value| js_sys::Reflect::get(&value, &"message".into()).ok())
        .and_then(|value| value.as_string())
        .unwrap_or_default();
    assert!(
        message.contains("batch_size"),
        "the message names the field: {message}"
    );
}

#[wasm_bindgen_test]
fn random_seeds_fit_a_javascript_number_and_differ() {
    let first = random_seed().map_err(JsValue::from).unwrap();
    let second = random_seed().map_err(JsValue::from).unwrap();
    let limit = 9_007_199_254_740_991.0; // 2^53 − 1
    assert!((0.0..=limit).contains(&first) && first.fract() == 0.0);
    assert_ne!(
        first, second,
        "two 53-bit draws collide with probability 2^-53"
    );
}
