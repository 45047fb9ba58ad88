//! Landscape Lab: train a small network and watch its loss landscape.
//!
//! The numerics ([`data`], [`nn`], [`optim`], [`train`], [`landscape`]) are plain Rust and
//! know nothing of the browser; [`render`] draws every figure against plotters'
//! `DrawingBackend`; `web` (wasm32 only) is the single wasm-bindgen boundary.

pub mod compare;
pub mod config;
pub mod data;
pub mod error;
pub mod export;
pub mod landscape;
pub mod logs;
pub mod nn;
pub mod optim;
pub mod plan;
pub mod presets;
pub mod render;
pub mod seeding;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::RunConfig;
pub use error::{Error, Result};
