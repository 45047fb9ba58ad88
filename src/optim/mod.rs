//! Optimizers, learning-rate schedules and gradient clipping, with PyTorch's semantics.
//!
//! - [`Optimizer`]: SGD (momentum, Nesterov), Adam (L2 weight decay), AdamW (decoupled).
//! - [`Schedule`]: the learning rate as a function of the optimizer-update index.
//! - [`clip_grad_norm`]: one global L2 norm, the pre-clip value returned.

mod adam;
mod clip;
mod schedule;
mod sgd;

pub use adam::Adam;
pub use clip::{clip_grad_norm, ClipResult};
pub use schedule::Schedule;
pub use sgd::Sgd;

use crate::config::{OptimizerConfig, OptimizerKind};

/// One of the supported optimizers, holding its state.
#[derive(Clone, Debug)]
pub enum Optimizer {
    Sgd(Sgd),
    Adam(Adam),
}

impl Optimizer {
    /// A fresh optimizer for `num_params` parameters.
    pub fn new(config: &OptimizerConfig, num_params: usize) -> Self {
        let weight_decay = config.weight_decay_or_default();
        match config.name {
            OptimizerKind::Sgd => Optimizer::Sgd(Sgd::new(
                num_params,
                config.momentum,
                config.nesterov,
                weight_decay,
            )),
            OptimizerKind::Adam | OptimizerKind::Adamw => Optimizer::Adam(Adam::new(
                num_params,
                config.betas,
                config.eps,
                weight_decay,
                config.name == OptimizerKind::Adamw,
            )),
        }
    }

    /// Applies one update with learning rate `lr` to `params` given `gradient`.
    /// `momentum`, when a schedule cycles it, replaces SGD's momentum or Adam's beta1 for
    /// this update, as PyTorch's OneCycleLR writes it into the parameter group.
    pub fn step(&mut self, params: &mut [f32], gradient: &[f32], lr: f64, momentum: Option<f64>) {
        match self {
            Optimizer::Sgd(sgd) => {
                if let Some(momentum) = momentum {
                    sgd.set_momentum(momentum);
                }
                sgd.step(params, gradient, lr)
            }
            Optimizer::Adam(adam) => {
                if let Some(beta1) = momentum {
                    adam.set_beta1(beta1);
                }
                adam.step(params, gradient, lr)
            }
        }
    }
}
