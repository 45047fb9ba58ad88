//! The wasm-bindgen boundary: the only code that touches wasm-bindgen, web-sys and
//! js-sys. Nothing panics across it: every export returns `Result<_, JsError>` with a
//! message a person can act on, and a panic hook reports any bug to the console and to the
//! page.
//!
//! - [`engine`]: [`Engine`], the training run and its landscape, driven by the page's
//!   Web Worker in small time slices.
//! - [`draw`]: the main thread's drawing entry points (plotters on a canvas).
//! - [`settings`]: checking settings, the batch calculator, the schedule preview, the
//!   presets and the PyTorch export, for the page's settings panel.
//! - [`views`]: the 3-D surface, slices and prediction views, their data from the
//!   engine and their drawing on canvases.
//! - [`rows`]: rows of a map computed in workers of their own, beside the engine's.
//! - [`logs`]: training logs from elsewhere, read and diagnosed in the browser.
//! - [`table`]: a CSV of the user's own samples, read in the browser into inline data.
//! - [`seed`]: fresh run seeds from the browser's cryptographic generator.
//! - [`panic`]: the panic hook that tells the page, and the deliberate panic its test uses.
//! - [`clock`]: a millisecond clock that works in windows and workers.

pub mod clock;
pub mod compare;
pub mod draw;
pub mod engine;
pub mod logs;
pub mod panic;
pub mod rows;
pub mod seed;
pub mod settings;
pub mod table;
pub mod views;

pub use engine::Engine;
pub use rows::SurfaceRows;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated (on the page and in the worker): routes
/// panics to the console and the page ([`panic::install_hook`]) and the `log` facade to
/// the console.
#[wasm_bindgen(start)]
pub fn start() {
    panic::install_hook();
    // A second instantiation in the same context finds the logger already set; that is
    // harmless, so the error is ignored on purpose.
    let _ = console_log::init_with_level(log::Level::Info);
}

/// The run of JSON settings (omitted keys take the reference run's values), for the
/// engine and the map workers alike.
pub(crate) fn trainer_from_json(config_json: &str) -> Result<crate::train::Trainer, JsError> {
    let config = crate::RunConfig::from_json(config_json).map_err(js_error)?;
    crate::train::Trainer::new(config).map_err(js_error)
}

/// Turns any error into a JavaScript `Error` carrying its message.
pub(crate) fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}
