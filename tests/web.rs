//! Browser tests of the wasm boundary, run in headless Chrome by
//! `wasm-pack test --headless --chrome`: the engine trains inside the browser, and the
//! loss map drawn on a real canvas has the colours of the surface it was given.

#![cfg(target_arch = "wasm32")]

use landscape_lab::render::landscape::LandscapeLayout;
use landscape_lab::render::levels::{Levels, ScaleChoice};
use landscape_lab::render::Theme;
use landscape_lab::web::draw::{curve_readout, draw_curve, draw_landscape, landscape_readout};
use landscape_lab::web::seed::random_seed;
use landscape_lab::web::views::{draw_prediction, draw_slices, draw_surface3d};
use landscape_lab::web::{Engine, SurfaceRows};
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
    // The grid point goes through the factored first layer in f32, the centre loss
    // through a plain evaluation: equal to f32 rounding, as tests/cli.rs allows.
    let relative = (centre - engine.shown_center_loss()).abs() / centre.abs().max(1e-12);
    assert!(
        relative < 1e-5,
        "grid centre {centre} vs centre loss: {relative:e}"
    );
    let path = engine.shown_path();
    assert!(
        path.len() >= 4 && path.len().is_multiple_of(2),
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
fn a_first_map_shows_its_coarse_picture_first_and_later_maps_do_not() {
    let mut engine = Engine::new(r#"{"epochs": 10}"#)
        .map_err(JsValue::from)
        .unwrap();
    engine.run_updates(5, 60_000.0);
    engine.start_surface().map_err(JsValue::from).unwrap();
    assert!(
        engine.compute_surface(60_000.0),
        "the coarse picture is done"
    );
    assert_eq!(engine.shown_alphas().len(), 11, "an 11 × 11 picture first");
    assert_eq!(engine.shown_loss().len(), 121);
    assert!(engine.surface_pending(), "the full map is still to come");
    assert_eq!(engine.surface_progress(), 0.0);
    assert!(engine.compute_surface(60_000.0), "then the full map");
    assert_eq!(engine.shown_alphas().len(), 51);
    assert!(!engine.surface_pending());

    // With a map shown, the next one replaces it only when it is finished.
    engine.run_updates(5, 60_000.0);
    engine.start_surface().map_err(JsValue::from).unwrap();
    assert!(engine.compute_surface(60_000.0));
    assert_eq!(
        engine.shown_alphas().len(),
        51,
        "no coarse picture this time"
    );
    assert_eq!(engine.shown_center_update(), 10.0);
}

#[wasm_bindgen_test]
fn rows_computed_in_other_workers_make_the_engines_own_map() {
    for config in [
        r#"{"epochs": 10, "landscape": {"resolution": 21}}"#,
        r#"{"epochs": 10, "model": {"hidden": [12, 8]}, "landscape": {"resolution": 15}}"#,
    ] {
        let new_engine = || {
            let mut engine = Engine::new(config).map_err(JsValue::from).unwrap();
            engine.run_updates(9, 60_000.0);
            engine.start_surface().map_err(JsValue::from).unwrap();
            assert!(engine.compute_surface(60_000.0), "the coarse picture");
            assert!(!engine.surface_coarse_pending());
            engine
        };
        let mut alone = new_engine();
        assert!(alone.compute_surface(60_000.0));

        // The helpers' side: the run from its settings, the map from the engine's
        // centre and directions, rows in an order of their own.
        let mut shared = new_engine();
        let mut rows = SurfaceRows::new(&shared.config_json())
            .map_err(JsValue::from)
            .unwrap();
        rows.start(
            &shared.surface_center(),
            shared.surface_direction(0),
            shared.surface_direction(1),
            shared.surface_half_width(),
        )
        .map_err(JsValue::from)
        .unwrap();
        let n = alone.shown_alphas().len();
        let order: Vec<usize> = (0..n).step_by(2).chain((1..n).step_by(2)).collect();
        for (k, &j) in order.iter().enumerate() {
            let row = rows.row(j).map_err(JsValue::from).unwrap();
            let complete = shared
                .put_surface_row(j, &row)
                .map_err(JsValue::from)
                .unwrap();
            assert_eq!(complete, k == n - 1, "row {j}");
        }
        let bits = |loss: Vec<f64>| loss.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        assert_eq!(
            bits(shared.shown_loss()),
            bits(alone.shown_loss()),
            "{config}"
        );
        assert!(rows.row(n).is_err(), "a row past the grid is an error");
    }
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
    // Beside the exact centre, where the white cross marks the lowest grid point.
    let centre = pixel(
        &target,
        plot.left + plot.width / 2 + 10,
        plot.top + plot.height / 2,
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

/// The page puts the filled contours on the canvas as one image: every pixel away from
/// the iso-lines must hold the colour map's colour of the loss under it, on a HiDPI
/// canvas, and a missing value must leave its cells in the no-data grey.
#[wasm_bindgen_test]
fn the_canvas_map_takes_the_colour_map_at_known_points() {
    // 2 + α + 2β is bilinear, so the loss under every pixel centre is known exactly.
    let resolution = 9;
    let axis: Vec<f64> = (0..resolution)
        .map(|i| -1.0 + 2.0 * i as f64 / (resolution - 1) as f64)
        .collect();
    let mut loss = Vec::with_capacity(resolution * resolution);
    for beta in &axis {
        for alpha in &axis {
            loss.push(2.0 + alpha + 2.0 * beta);
        }
    }
    let levels = Levels::pick(&loss, ScaleChoice::Auto).unwrap();
    // A hole at α = 0.5, β = 0.75 (column 6, row 7), above and right of the centre.
    loss[7 * resolution + 6] = f64::NAN;
    let meta = serde_json::json!({
        "alphas": axis,
        "betas": axis,
        "rows_done": resolution,
        "center_loss": 2.0,
        "scale": 2.0,
        "dark": false,
    })
    .to_string();
    let (width, height) = (900, 760);
    let target = canvas(width, height);
    draw_landscape(target.clone(), &loss, &[], &meta)
        .map_err(JsValue::from)
        .unwrap();

    let theme = Theme::new(2.0, false);
    let plot = LandscapeLayout::new(width, height, &theme).unwrap().plot;
    let pixels = all_pixels(&target);
    let at = |x: i32, y: i32| {
        let index = 4 * (y as usize * width as usize + x as usize);
        [
            pixels[index],
            pixels[index + 1],
            pixels[index + 2],
            pixels[index + 3],
        ]
    };
    let (plot_width, plot_height) = (f64::from(plot.width), f64::from(plot.height));
    // Loss per device pixel across and down, to keep clear of the iso-lines.
    let slope = (2.0 / plot_width).hypot(4.0 / plot_height);
    let mut checked = 0;
    for y in (plot.top + 4..plot.bottom() - 4).step_by(9) {
        for x in (plot.left + 4..plot.right() - 4).step_by(11) {
            let alpha = -1.0 + 2.0 * (f64::from(x - plot.left) + 0.5) / plot_width;
            let beta = 1.0 - 2.0 * (f64::from(y - plot.top) + 0.5) / plot_height;
            let near_hole = (alpha - 0.5).abs() < 0.3 && (beta - 0.75).abs() < 0.3;
            // The lowest grid point, α = β = −1, carries the minimum's cross.
            let near_cross = alpha < -0.85 && beta < -0.85;
            let value = 2.0 + alpha + 2.0 * beta;
            let near_line = levels
                .thresholds()
                .iter()
                .any(|threshold| (threshold - value).abs() < 4.0 * slope);
            if near_hole || near_cross || near_line {
                continue;
            }
            let color = levels.band_color(levels.band_of(value).unwrap());
            assert_eq!(
                at(x, y),
                [color.0, color.1, color.2, 255],
                "pixel ({x}, {y}) shows loss {value:.3} at α {alpha:.3}, β {beta:.3}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} pixels were checked");

    // The cells around the hole have no data.
    let grey = theme.no_data();
    let hole_x = plot.left + (0.75 * plot_width) as i32 + 3;
    let hole_y = plot.top + (0.125 * plot_height) as i32 + 3;
    assert_eq!(
        at(hole_x, hole_y),
        [grey.0, grey.1, grey.2, 255],
        "beside the missing value at ({hole_x}, {hole_y})"
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

/// A 15 × 15 bowl α² + β² + 0.1 on [−1, 1]² and its meta at `scale`.
fn bowl(scale: f64) -> (Vec<f64>, String) {
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
        "scale": scale,
        "dark": false,
    })
    .to_string();
    (loss, meta)
}

/// Every RGBA pixel of a canvas.
fn all_pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    context
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .unwrap()
        .data()
        .to_vec()
}

/// Pixels within `tolerance` of `color` in every channel.
fn count_near(pixels: &[u8], color: [u8; 3], tolerance: i32) -> usize {
    pixels
        .chunks_exact(4)
        .filter(|p| (0..3).all(|c| (i32::from(p[c]) - i32::from(color[c])).abs() <= tolerance))
        .count()
}

#[wasm_bindgen_test]
fn surface_in_3d_is_viridis_with_the_current_point() {
    let (loss, meta) = bowl(1.0);
    let target = canvas(480, 360);
    draw_surface3d(target.clone(), &loss, &[-0.5, -0.5, 0.0, 0.0], &meta)
        .map_err(JsValue::from)
        .unwrap();
    let pixels = all_pixels(&target);
    // Viridis's dark end (#440154 … #482475) paints the floor of the bowl.
    let purple = pixels
        .chunks_exact(4)
        .filter(|p| p[0] < 0x60 && p[1] < 0x50 && p[2] > 0x50)
        .count();
    assert!(purple > 200, "the floor is dark purple ({purple} pixels)");
    let vermillion = count_near(&pixels, [0xd5, 0x5e, 0x00], 8);
    assert!(
        vermillion > 10,
        "the current point is drawn ({vermillion} pixels)"
    );
}

#[wasm_bindgen_test]
fn slices_and_predictions_of_a_running_engine_are_drawn() {
    let config = r#"{"epochs": 20, "data": {"source": "moons", "samples": 200},
        "model": {"hidden": [8], "activation": "tanh"}, "batch_size": 16,
        "accumulation_steps": 1, "optimizer": {"name": "adam", "lr": 0.02},
        "landscape": {"resolution": 9}}"#;
    let mut engine = Engine::new(config).map_err(JsValue::from).unwrap();
    engine.run_updates(10_000, 60_000.0);

    let slices = engine.slices_json().map_err(JsValue::from).unwrap();
    let target = canvas(900, 360);
    draw_slices(target.clone(), &slices, r#"{"scale": 1, "dark": false}"#)
        .map_err(JsValue::from)
        .unwrap();
    let pixels = all_pixels(&target);
    let blue = count_near(&pixels, [0x00, 0x72, 0xb2], 10);
    assert!(
        blue > 300,
        "the slices' blue lines are drawn ({blue} pixels)"
    );

    let prediction = engine.prediction_json().map_err(JsValue::from).unwrap();
    assert!(
        prediction.contains("\"kind\":\"regions\""),
        "moons have two features"
    );
    let target = canvas(480, 420);
    draw_prediction(
        target.clone(),
        &prediction,
        r#"{"scale": 1, "dark": false}"#,
    )
    .map_err(JsValue::from)
    .unwrap();
    let pixels = all_pixels(&target);
    // Regions are the class colours blended with white: orange-ish and blue-ish.
    let orange = pixels
        .chunks_exact(4)
        .filter(|p| p[0] > 0xe0 && p[1] > 0x90 && p[2] < 0xb0 && p[0] > p[2] + 40)
        .count();
    let blue = pixels
        .chunks_exact(4)
        .filter(|p| p[2] > 0xa0 && p[0] < 0x90 && p[2] > p[0] + 40)
        .count();
    assert!(
        orange > 5_000,
        "class 0's region is shaded ({orange} pixels)"
    );
    assert!(blue > 5_000, "class 1's region is shaded ({blue} pixels)");
}

#[wasm_bindgen_test]
fn hover_readouts_map_pixels_back_to_the_data() {
    let (loss, meta) = bowl(1.0);
    let (width, height) = (420, 380);
    let plot = LandscapeLayout::new(width, height, &Theme::new(1.0, false))
        .unwrap()
        .plot;
    let centre_x = f64::from(plot.left) + f64::from(plot.width) / 2.0;
    let centre_y = f64::from(plot.top) + f64::from(plot.height) / 2.0;
    let found = landscape_readout(&loss, &meta, width, height, centre_x, centre_y)
        .map_err(JsValue::from)
        .unwrap();
    let found: Value = serde_json::from_str(&found).unwrap();
    assert!(found["alpha"].as_f64().unwrap().abs() < 1e-9, "{found}");
    assert!(found["beta"].as_f64().unwrap().abs() < 1e-9, "{found}");
    assert!(
        (found["loss"].as_f64().unwrap() - 0.1).abs() < 1e-9,
        "the bowl's floor"
    );
    let outside = landscape_readout(&loss, &meta, width, height, 1.0, 1.0)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(outside, "null");

    let spec = serde_json::json!({
        "title": "loss", "x_label": "epoch", "y_label": "MSE",
        "series": [{"label": "train", "color": "#0072b2",
                    "x": [0, 1, 2, 3, 4], "y": [4.0, 3.0, 2.0, 1.0, 0.5]}],
        "smoothing": 0.6,
        "scale": 1.0, "dark": false,
    })
    .to_string();
    let target = canvas(400, 240);
    let frame = draw_curve(target, &spec).map_err(JsValue::from).unwrap();
    let parsed: Value = serde_json::from_str(&frame).unwrap();
    let plot = parsed["plot"].as_array().unwrap();
    let (left, right) = (plot[0].as_f64().unwrap(), plot[2].as_f64().unwrap());
    let middle_y = (plot[1].as_f64().unwrap() + plot[3].as_f64().unwrap()) / 2.0;
    // Three quarters across the x range [0, 4] is x = 3.
    let x = left + 0.75 * (right - left);
    let readout = curve_readout(&spec, &frame, x, middle_y)
        .map_err(JsValue::from)
        .unwrap();
    let readout: Value = serde_json::from_str(&readout).unwrap();
    let value = &readout["values"][0];
    assert_eq!(value["x"], 3.0, "{readout}");
    assert_eq!(value["y"], 1.0, "the raw value at x = 3");
    assert!(
        value["smoothed"].as_f64().unwrap() > 1.0,
        "the average lags behind"
    );
}

/// At devicePixelRatio 2 the page gives a 600 × 400 CSS box a 1200 × 800 canvas and
/// passes scale 2: the map fills the whole backing store, not its top-left quarter.
#[wasm_bindgen_test]
fn hidpi_canvases_are_drawn_at_full_size() {
    let (loss, meta) = bowl(2.0);
    let target = canvas(1200, 800);
    draw_landscape(target.clone(), &loss, &[], &meta)
        .map_err(JsValue::from)
        .unwrap();
    let theme = Theme::new(2.0, false);
    let plot = LandscapeLayout::new(1200, 800, &theme).unwrap().plot;
    assert!(
        plot.right() > 600 && plot.bottom() > 400,
        "the plot reaches past the 600 × 400 quarter a scale-1 drawing would fill: {plot:?}"
    );
    let far_corner = pixel(&target, plot.right() - 4, plot.bottom() - 4);
    assert!(
        far_corner[0] > far_corner[2] && far_corner[1] > far_corner[2],
        "the bowl's rim is yellow at the plot's far corner, beyond 600 px: {far_corner:?}"
    );
    let one_css_px = LandscapeLayout::new(600, 400, &Theme::new(1.0, false))
        .unwrap()
        .plot;
    assert_eq!(
        plot.width,
        2 * one_css_px.width,
        "the same layout, twice the device pixels"
    );
}
