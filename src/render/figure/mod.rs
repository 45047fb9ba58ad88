//! Whole figures of a run, for the command line and for slides: every view of the page
//! drawn from a trained [`Trainer`] (and its landscape) onto any plotters area, and, on
//! native targets, written to PNG or SVG files ([`output`]).
//!
//! `landscape-lab figure [--config FILE] --view landscape|surface3d|curves|slice|
//! prediction --format png|svg --out FILE` trains the run, computes what the view needs
//! and draws it at the view's default size (CSS pixels × `--scale`, 2 for PNG).

pub mod curves_panel;
// In the browser there are no files: the same functions report that instead.
#[cfg_attr(target_arch = "wasm32", path = "output_unavailable.rs")]
pub mod output;
pub mod run;

pub use curves_panel::{draw_curves_panel, CurvesSettings, XUnit};
pub use run::{FigureRun, View};
