//! Browser tests of the settings exports the page calls on its main thread: the engine's
//! own check of a config, the batch calculator, the schedule preview, the presets, the
//! PyTorch export, and the history as CSV.

#![cfg(target_arch = "wasm32")]

use landscape_lab::web::settings::{
    batch_counts, check_config, data_file_name, presets_json, pytorch_script, samples_csv,
    schedule_curve,
};
use landscape_lab::web::Engine;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[wasm_bindgen_test]
fn check_config_fills_every_key_and_counts_the_run() {
    let result = json(&check_config(r#"{"epochs": 5}"#));
    assert_eq!(result["valid"], true);
    assert_eq!(result["config"]["epochs"], 5);
    assert_eq!(
        result["config"]["batch_size"], 32,
        "omitted keys are filled in"
    );
    assert_eq!(result["plan"]["n_train"], 354);
    assert_eq!(result["plan"]["total_updates"], 15, "3 updates × 5 epochs");
}

#[wasm_bindgen_test]
fn check_config_names_the_field_and_never_throws() {
    let result = json(&check_config(r#"{"batch_size": 0}"#));
    assert_eq!(result["valid"], false);
    assert_eq!(result["field"], "batch_size");
    assert_eq!(result["message"], "batch_size must be at least 1, got 0");

    // A problem only the data reveals is caught before the run starts.
    let result = json(&check_config(r#"{"batch_size": 1000, "drop_last": true}"#));
    assert_eq!(result["field"], "batch_size");

    for broken in ["", "{", "[1]", "null", r#"{"bogus": 1}"#] {
        let result = json(&check_config(broken));
        assert_eq!(result["valid"], false, "{broken:?} must be invalid");
        assert!(result["field"].is_null(), "{broken:?}: not a field's value");
        assert!(!result["message"].as_str().unwrap().is_empty());
    }

    // A value of the wrong type or sign is named by its key, so the page marks it.
    for (broken, field) in [
        (r#"{"seed": -1}"#, "seed"),
        (r#"{"optimizer": {"lr": "fast"}}"#, "optimizer.lr"),
    ] {
        let result = json(&check_config(broken));
        assert_eq!(result["valid"], false, "{broken:?} must be invalid");
        assert_eq!(result["field"], field, "{broken:?}");
        assert!(
            result["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{field}: ")),
            "{result}"
        );
    }
}

/// Practice question 1: 10,000 samples at batch 32 are 313 micro-batches, 312 with
/// drop_last; question 3: batch 8 × 4 steps is an effective batch of 32.
#[wasm_bindgen_test]
fn batch_counts_answer_the_practice_questions() {
    let counts = json(&batch_counts(10_000.0, 32.0, 1.0, 100.0));
    assert_eq!(counts["kept"]["micro_batches_per_epoch"], 313);
    assert_eq!(counts["dropped"]["micro_batches_per_epoch"], 312);
    assert_eq!(counts["kept"]["total_updates"], 31_300);
    let counts = json(&batch_counts(10_000.0, 8.0, 4.0, 1.0));
    assert_eq!(counts["kept"]["effective_batch_size"], 32);

    let counts = json(&batch_counts(10.0, 0.5, 1.0, 1.0));
    assert!(
        counts["kept"]["error"]
            .as_str()
            .unwrap()
            .contains("batch_size"),
        "a fraction is an error, not a silent truncation: {counts}"
    );
}

#[wasm_bindgen_test]
fn schedule_curve_spans_the_run() {
    let curve = json(&schedule_curve("{}", 1000).map_err(JsValue::from).unwrap());
    assert_eq!(curve["total_updates"], 300);
    assert_eq!(curve["warmup_updates"], 30);
    let lr = curve["lr"].as_array().unwrap();
    assert_eq!(lr.len(), 300, "every update of a short run");
    assert_eq!(lr[30], 1e-3, "the warmup ends at the base rate");

    let long = json(
        &schedule_curve(r#"{"epochs": 10000}"#, 200)
            .map_err(JsValue::from)
            .unwrap(),
    );
    assert_eq!(long["updates"].as_array().unwrap().len(), 200);
    assert_eq!(long["updates"][199], 29_999, "the last update is kept");
    assert!(schedule_curve(r#"{"epochs": 0}"#, 10).is_err());
}

#[wasm_bindgen_test]
fn presets_come_with_their_configs() {
    let presets = json(&presets_json().map_err(JsValue::from).unwrap());
    let presets = presets.as_array().unwrap();
    assert_eq!(presets[0]["name"], "reference");
    for preset in presets {
        assert!(!preset["explanation"].as_str().unwrap().is_empty());
        let config = preset["config"].to_string();
        assert_eq!(json(&check_config(&config))["valid"], true, "{config}");
    }
}

#[wasm_bindgen_test]
fn pytorch_export_reads_the_samples_it_names() {
    let script = pytorch_script(r#"{"batch_size": 16}"#)
        .map_err(JsValue::from)
        .unwrap();
    assert!(script.contains("BATCH_SIZE = 16"), "{script}");
    assert!(script.contains("\"diabetes.csv\""));
    assert_eq!(
        data_file_name("{}").map_err(JsValue::from).unwrap(),
        "diabetes.csv"
    );
    let samples = samples_csv("{}").map_err(JsValue::from).unwrap();
    assert_eq!(samples.lines().count(), 443, "a header and 442 patients");
}

#[wasm_bindgen_test]
fn engine_history_exports_as_csv_and_json() {
    let mut engine = Engine::new(r#"{"epochs": 2}"#)
        .map_err(JsValue::from)
        .unwrap();
    engine.run_updates(100, 60_000.0);
    let epochs = engine.epochs_csv().map_err(JsValue::from).unwrap();
    assert!(epochs.starts_with("epoch,train_loss_running,train_loss_eval,val_loss,"));
    assert_eq!(epochs.lines().count(), 3);
    let updates = engine.updates_csv().map_err(JsValue::from).unwrap();
    assert_eq!(updates.lines().count(), 7, "a header and 6 updates");
    let run = json(&engine.run_json().map_err(JsValue::from).unwrap());
    assert_eq!(run["summary"]["total_updates"], 6);
    assert_eq!(run["epochs"].as_array().unwrap().len(), 2);
}
