//! A trained run and the data each view needs, computed once and drawn on any area.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::curves_panel::{draw_curves_panel, CurvesSettings, XUnit};
use crate::config::{LossKind, RunConfig};
use crate::error::{Error, Result};
use crate::landscape::{directions, slice, SurfaceJob};
use crate::render::caption::plane_label;
use crate::render::landscape::{draw_landscape, LandscapeView};
use crate::render::levels::ScaleChoice;
use crate::render::prediction::{draw_prediction, predict};
use crate::render::slice::{draw_slice_panel, SlicePanel};
use crate::render::smoothing::DEFAULT_SMOOTHING;
use crate::render::surface3d::{draw_surface_3d, Surface3dView, DEFAULT_PITCH, DEFAULT_YAW};
use crate::render::theme::Theme;
use crate::train::Trainer;

/// Grid points per axis of a prediction map.
const PREDICTION_RESOLUTION: usize = 120;

/// One of the page's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Filled contours of the loss with iso-lines and the path.
    Landscape,
    /// The same grid as a 3-D surface with the path on it.
    Surface3d,
    /// Loss, learning rate and gradient norm.
    Curves,
    /// 1-D slices along the plane's directions and the interpolation from the start.
    Slice,
    /// Decision regions (2-D classification) or predicted against actual (regression).
    Prediction,
}

impl View {
    /// Every view, in the order the CLI lists them.
    pub const ALL: [View; 5] = [
        View::Landscape,
        View::Surface3d,
        View::Curves,
        View::Slice,
        View::Prediction,
    ];

    /// The view called `name` on the command line.
    pub fn parse(name: &str) -> Result<View> {
        View::ALL
            .into_iter()
            .find(|view| view.name() == name)
            .ok_or_else(|| {
                Error::config(
                    "--view",
                    format!(
                        "must be landscape, surface3d, curves, slice or prediction, got \"{name}\""
                    ),
                )
            })
    }

    /// The view's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            View::Landscape => "landscape",
            View::Surface3d => "surface3d",
            View::Curves => "curves",
            View::Slice => "slice",
            View::Prediction => "prediction",
        }
    }

    /// The figure's default size in CSS pixels (multiplied by the scale for files).
    pub fn default_size(self) -> (u32, u32) {
        match self {
            View::Landscape | View::Surface3d => (860, 760),
            View::Curves => (900, 1000),
            View::Slice => (1100, 480),
            View::Prediction => (760, 700),
        }
    }
}

/// A finished run and, once asked for, the landscape around its final weights.
pub struct FigureRun {
    trainer: Trainer,
    job: Option<SurfaceJob>,
}

impl FigureRun {
    /// Trains `config` to the end.
    pub fn train(config: &RunConfig) -> Result<FigureRun> {
        let mut trainer = Trainer::new(config.clone())?;
        trainer.run_to_end();
        Ok(FigureRun { trainer, job: None })
    }

    /// The trained run.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The landscape around the final weights, computed on first use.
    pub fn surface_job(&mut self) -> Result<&SurfaceJob> {
        if self.job.is_none() {
            let mut job = SurfaceJob::new(&self.trainer)?;
            while !job.compute_rows(16) {}
            self.job = Some(job);
        }
        self.job
            .as_ref()
            .ok_or_else(|| Error::Data("the landscape was not computed".into()))
    }

    /// The map's title: what it shows and on which plane.
    fn landscape_title(&mut self) -> Result<String> {
        let normalization = self.trainer.config().landscape.normalization;
        let job = self.surface_job()?;
        Ok(format!(
            "Loss around the final weights — {}",
            plane_label(job.plane(), normalization)
        ))
    }

    /// Draws `view` on `area` with `theme`.
    pub fn draw<DB: DrawingBackend>(
        &mut self,
        area: &DrawingArea<DB, Shift>,
        view: View,
        theme: Theme,
    ) -> Result<()> {
        match view {
            View::Landscape | View::Surface3d => {
                let title = self.landscape_title()?;
                let checkpoints = self.trainer.checkpoints().as_slice().to_vec();
                let job = self.surface_job()?;
                let path = job.project(&checkpoints);
                if view == View::Landscape {
                    let view = LandscapeView {
                        surface: job.surface(),
                        path: &path,
                        current: path.last().copied(),
                        title: &title,
                        theme,
                        scale: ScaleChoice::Auto,
                        colour_range: None,
                    };
                    draw_landscape(area, &view)
                } else {
                    let view = Surface3dView {
                        surface: job.surface(),
                        path: &path,
                        title: &title,
                        theme,
                        scale: ScaleChoice::Auto,
                        yaw: DEFAULT_YAW,
                        pitch: DEFAULT_PITCH,
                        mesh: true,
                    };
                    draw_surface_3d(area, &view)
                }
            }
            View::Curves => {
                let config = self.trainer.config();
                let settings = CurvesSettings {
                    loss_name: loss_name(self.trainer.loss_kind()),
                    clip_norm: config.clip_norm,
                    updates_per_epoch: self.trainer.plan().updates_per_epoch(),
                    smoothing: DEFAULT_SMOOTHING,
                    x_unit: XUnit::Updates,
                    log_loss: true,
                    theme,
                };
                draw_curves_panel(area, self.trainer.history(), &settings)
            }
            View::Slice => {
                let panel = self.slice_panel()?;
                draw_slice_panel(area, &panel, theme)
            }
            View::Prediction => {
                let prediction = predict(&self.trainer, PREDICTION_RESOLUTION);
                draw_prediction(area, &prediction, theme)
            }
        }
    }

    /// The loss along each random direction through the final weights and from the
    /// initial to the final weights.
    pub fn slice_panel(&self) -> Result<SlicePanel> {
        let trainer = &self.trainer;
        let settings = &trainer.config().landscape;
        let [first, second] = directions::random_directions(
            settings.seed,
            trainer.params(),
            &trainer.model().layout,
            settings.normalization,
            settings.include_bias,
        );
        let along = |direction: &[f32]| {
            slice::along(
                trainer.model(),
                trainer.loss_kind(),
                trainer.data(),
                trainer.params(),
                direction,
                settings.range,
                settings.resolution,
            )
        };
        let initial = trainer
            .checkpoints()
            .as_slice()
            .first()
            .ok_or_else(|| Error::Data("the run kept no initial checkpoint".into()))?;
        Ok(SlicePanel {
            along: [(&along(&first)).into(), (&along(&second)).into()],
            interpolation: (&slice::interpolate(
                trainer.model(),
                trainer.loss_kind(),
                trainer.data(),
                &initial.params,
                trainer.params(),
                settings.resolution,
            ))
                .into(),
            loss_name: loss_name(trainer.loss_kind()).to_string(),
        })
    }
}

/// The loss's name on axes.
pub fn loss_name(loss: LossKind) -> &'static str {
    match loss {
        LossKind::Mse => "mean squared error",
        LossKind::Bce => "binary cross-entropy",
        LossKind::CrossEntropy => "cross-entropy",
    }
}
