//! Browser tests of `readCsv`, the page's "your own data": the task it detects, the
//! inline config it builds, and the CSV reader's own message for a refused file.

#![cfg(target_arch = "wasm32")]

use landscape_lab::config::Task;
use landscape_lab::web::table::{detect_task, read_csv, MAX_DETECTED_CLASSES};
use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn few_whole_numbers_from_zero_are_classes() {
    assert_eq!(detect_task(&[0.0, 1.0, 1.0]), Task::Binary, "0 and 1 only");
    assert_eq!(
        detect_task(&[0.0, 2.0, 1.0]),
        Task::Multiclass,
        "three classes"
    );
    assert_eq!(detect_task(&[0.5, 1.0]), Task::Regression, "a fraction");
    assert_eq!(
        detect_task(&[-1.0, 1.0]),
        Task::Regression,
        "a negative value"
    );
    assert_eq!(detect_task(&[3.0, 3.0]), Task::Regression, "a single value");
    let many: Vec<f32> = (0..=MAX_DETECTED_CLASSES as u16).map(f32::from).collect();
    assert_eq!(
        detect_task(&many),
        Task::Regression,
        "too many distinct values"
    );
}

#[wasm_bindgen_test]
fn a_table_becomes_inline_data() {
    let text = "a,b,label\n1,2,0\n3,4,1\n5,6,2\n";
    let table: Value = serde_json::from_str(&read_csv(text, "").unwrap()).unwrap();
    assert_eq!(table["rows"], 3, "three data rows");
    assert_eq!(table["task"], "multiclass", "0, 1 and 2 are classes");
    assert_eq!(table["data"]["source"], "inline");
    assert_eq!(
        table["data"]["train"]["x"][2],
        serde_json::json!([5.0, 6.0])
    );
    assert_eq!(
        table["data"]["train"]["y"],
        serde_json::json!([0.0, 1.0, 2.0])
    );

    // Another target and an explicit task override what was detected.
    let options = r#"{"target": "a", "task": "regression", "val_fraction": 0.5}"#;
    let table: Value = serde_json::from_str(&read_csv(text, options).unwrap()).unwrap();
    assert_eq!(table["target"], "a");
    assert_eq!(table["task"], "regression");
    assert_eq!(
        table["data"]["train"]["x"][0],
        serde_json::json!([2.0, 0.0])
    );
    assert_eq!(table["data"]["val_fraction"], 0.5);
}

#[wasm_bindgen_test]
fn a_ragged_row_is_refused_with_the_readers_message() {
    let text = include_str!("corpus/csv/ragged.csv");
    let Err(error) = read_csv(text, "") else {
        panic!("a ragged CSV must be refused");
    };
    let message = wasm_bindgen::JsValue::from(error);
    let message = js_sys::Reflect::get(&message, &"message".into()).unwrap();
    let message = message.as_string().unwrap_or_default();
    assert!(
        message.contains("CSV row 3 has 2 cells, the header has 3"),
        "the page shows the reader's message, got {message:?}"
    );
}
