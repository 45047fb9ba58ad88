//! Fresh seeds for a new run, from the browser's `crypto.getRandomValues` (through
//! getrandom's `wasm_js` backend).

use wasm_bindgen::prelude::*;

use super::js_error;
use crate::config::MAX_SEED;

/// A random seed in [0, 2^53 − 1], so it survives the trip through a JavaScript number
/// and the page's URL exactly.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<f64, JsError> {
    let bits = getrandom::u64()
        .map_err(|error| js_error(format!("the browser gave no random numbers: {error}")))?;
    Ok((bits & MAX_SEED) as f64)
}
