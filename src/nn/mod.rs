//! The network: a multi-layer perceptron whose parameters live in one flat `f32` vector,
//! with hand-written forward and backward passes.
//!
//! - [`layout`]: where each layer's weight and bias sit in the flat vector.
//! - [`activation`]: the non-linearities and their derivatives.
//! - [`loss`]: per-sample losses and their gradients with respect to the outputs.
//! - [`mlp`]: forward, backward, evaluation over a data set, initialization.

pub mod activation;
pub mod kernels;
pub mod layout;
pub mod loss;
pub mod mlp;

pub use layout::{BlockKind, ParamBlock};
pub use mlp::{Batch, Evaluation, Mlp, Workspace};
