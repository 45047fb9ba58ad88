//! Browser tests of the comparison page's exports: a task in the worker gives the same
//! comparison as the library, a seed of the spread the same measures, the maps' shared
//! range covers both surfaces as they travel to the page, and two configs are checked with
//! the engine's messages.

#![cfg(target_arch = "wasm32")]

use landscape_lab::compare;
use landscape_lab::web::compare::{
    check_comparison, comparison_presets_json, spread_rows_json, ComparisonTask,
};
use landscape_lab::RunConfig;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A small pair: batch 16 against the full training split, 3 epochs, a 9 × 9 map.
const A: &str = r#"{"epochs": 3, "batch_size": 16, "accumulation_steps": 1,
    "landscape": {"resolution": 9}}"#;
const B: &str = r#"{"epochs": 3, "batch_size": 354, "accumulation_steps": 1}"#;
const LABELS: &str = r#"["small", "full"]"#;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn finish(task: &mut ComparisonTask) {
    while !task.advance(50.0).map_err(JsValue::from).unwrap() {}
}

#[wasm_bindgen_test]
fn a_task_gives_the_library_comparison() {
    let mut task = ComparisonTask::new(A, B, LABELS, 0, true)
        .map_err(JsValue::from)
        .unwrap();
    let first = json(&task.progress_json().map_err(JsValue::from).unwrap());
    assert_eq!(first["stage"], "training");
    assert_eq!(first["side"], 0);
    finish(&mut task);

    let a = RunConfig::from_json(A).unwrap();
    let b = RunConfig::from_json(B).unwrap();
    let expected = compare::compare(&a, &b, ["small", "full"]).unwrap();
    let metrics: [compare::Metrics; 2] =
        serde_json::from_str(&task.metrics_json().map_err(JsValue::from).unwrap()).unwrap();
    assert_eq!(metrics, [expected.a.metrics, expected.b.metrics]);

    // Both maps reach the page whole, and the shared range spans both.
    let view = json(&task.view_json().map_err(JsValue::from).unwrap());
    let range = view["shared_range"].as_array().unwrap();
    let (low, high) = (range[0].as_f64().unwrap(), range[1].as_f64().unwrap());
    let mut lowest = f64::INFINITY;
    for side in 0..2 {
        let loss = task.surface_loss(side).map_err(JsValue::from).unwrap();
        assert_eq!(loss.len(), 81, "9 × 9 grid");
        for &value in loss.iter().filter(|v| v.is_finite()) {
            assert!(low <= value && value <= high, "{value} in [{low}, {high}]");
            lowest = lowest.min(value);
        }
    }
    assert_eq!(lowest, low, "the range starts at the lower map's minimum");
    assert_eq!(
        view["maps"][0]["alphas"], view["maps"][1]["alphas"],
        "one grid for both maps"
    );
    assert_eq!(view["curves"][0]["epochs"].as_array().unwrap().len(), 3);
    assert_eq!(view["curves"][1]["updates_per_epoch"], 1, "the full split");
    assert_eq!(view["interpolation"]["alphas"][0], -1.0);
    assert!(task.surface_loss(2).is_err());
}

#[wasm_bindgen_test]
fn a_seed_task_measures_what_the_library_measures() {
    let mut task = ComparisonTask::new(A, B, LABELS, 1, false)
        .map_err(JsValue::from)
        .unwrap();
    finish(&mut task);
    assert!(
        task.view_json().is_err(),
        "a seed of the spread has no maps"
    );
    let pair: [compare::Metrics; 2] =
        serde_json::from_str(&task.metrics_json().map_err(JsValue::from).unwrap()).unwrap();

    let a = RunConfig::from_json(A).unwrap();
    let b = RunConfig::from_json(B).unwrap();
    let seeded = compare::seeded(&a, 1).unwrap();
    let expected = compare::compare(&seeded, &b, ["small", "full"]).unwrap();
    assert_eq!(pair, [expected.a.metrics, expected.b.metrics]);

    let pairs = serde_json::to_string(&[pair]).unwrap();
    let rows = json(&spread_rows_json(&pairs).map_err(JsValue::from).unwrap());
    let updates = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["metric"] == "updates")
        .unwrap();
    assert_eq!(updates["seeds"], 1);
    assert_eq!(updates["a_lower"], 0, "23 updates an epoch against 1");
}

#[wasm_bindgen_test]
fn two_configs_are_checked_with_the_engines_messages() {
    let valid = json(&check_comparison(A, B));
    assert_eq!(valid["valid"], true);
    assert_eq!(valid["b"]["batch_size"], 354, "every key filled in");

    let wrong_b = json(&check_comparison(A, r#"{"batch_size": 0}"#));
    assert_eq!(wrong_b["side"], "b");
    assert_eq!(wrong_b["message"], "batch_size must be at least 1, got 0");

    let apart = json(&check_comparison(A, r#"{"data": {"source": "iris"}}"#));
    assert_eq!(apart["valid"], false);
    assert!(apart["side"].is_null(), "neither config alone is wrong");
    assert!(apart["message"]
        .as_str()
        .unwrap()
        .starts_with("compare needs the same data"));
}

#[wasm_bindgen_test]
fn presets_come_with_their_labels_and_configs() {
    let presets = json(&comparison_presets_json().map_err(JsValue::from).unwrap());
    let first = &presets[0];
    assert_eq!(first["name"], "flat_vs_sharp");
    assert_eq!(first["labels"][0], "batch 8");
    assert_eq!(first["a"]["batch_size"], 8);
    assert_eq!(first["b"]["batch_size"], 456);
}
