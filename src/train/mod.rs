//! The training loop as a step API: one call to [`Trainer::step`] is one optimizer update
//! (one accumulation window of micro-batches), so the page can interleave training with
//! drawing and the CLI can run to the end.
//!
//! - [`history`]: per-update and per-epoch records.
//! - [`checkpoints`]: weights along the path, thinned to a bounded count.
//! - [`diagnosis`]: the source material's diagnosis table, with rules relative to the
//!   data's scale.
//! - [`summary`]: the run's counts and final numbers, as written to `summary.json`.

pub mod checkpoints;
pub mod diagnosis;
pub mod history;
pub mod summary;
mod trainer;

pub use checkpoints::{Checkpoint, Checkpoints};
pub use diagnosis::Diagnosis;
pub use history::{EpochRecord, History, UpdateRecord};
pub use summary::Summary;
pub use trainer::{Status, StepOutcome, Trainer};
