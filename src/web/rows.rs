//! [`SurfaceRows`]: rows of an engine's map computed in a Web Worker of its own, so a
//! map's grid rows are shared out over the machine's cores. Each worker builds the run
//! from the same settings once, then computes the rows it is given of each map at the
//! engine's centre and directions; its rows are bit for bit those the engine would
//! compute.

use wasm_bindgen::prelude::*;

use super::{js_error, trainer_from_json};
use crate::landscape::SurfaceJob;
use crate::train::Trainer;

/// Rows of the maps of one run, computed on request.
#[wasm_bindgen]
pub struct SurfaceRows {
    /// The run as the engine started it: its model, loss, data and landscape settings.
    trainer: Trainer,
    /// The current map, once [`SurfaceRows::start`] has named it.
    job: Option<SurfaceJob>,
}

#[wasm_bindgen]
impl SurfaceRows {
    /// The run of `config_json` (the engine's `configJson`).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<SurfaceRows, JsError> {
        let trainer = trainer_from_json(config_json)?;
        Ok(SurfaceRows { trainer, job: None })
    }

    /// Starts the map at `center` on the plane of `direction_a` and `direction_b` over
    /// `[−half_width, half_width]²` (the engine's `surfaceCenter`, `surfaceDirection` and
    /// `surfaceHalfWidth`).
    pub fn start(
        &mut self,
        center: &[f32],
        direction_a: Vec<f32>,
        direction_b: Vec<f32>,
        half_width: f64,
    ) -> Result<(), JsError> {
        self.job = None;
        let job = SurfaceJob::for_rows(
            &self.trainer,
            center,
            [direction_a, direction_b],
            half_width,
        )
        .map_err(js_error)?;
        self.job = Some(job);
        Ok(())
    }

    /// The losses of grid row `j` (β_j, every α) of the started map, for the engine's
    /// `putSurfaceRow`.
    pub fn row(&mut self, j: usize) -> Result<Vec<f64>, JsError> {
        let Some(job) = self.job.as_mut() else {
            return Err(JsError::new("no map is started to compute rows of"));
        };
        job.row_losses(j).map_err(js_error)
    }
}
