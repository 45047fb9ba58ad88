//! Milliseconds from the page's high-resolution clock, `performance.now()`, which exists
//! both on the main thread and in workers (unlike `window`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Milliseconds since the page or worker started, with sub-millisecond resolution.
pub fn now_ms() -> f64 {
    performance_now()
}
