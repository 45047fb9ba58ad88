//! The loss landscape around the current weights (Li et al., "Visualizing the Loss
//! Landscape of Neural Nets", NeurIPS 2018).
//!
//! - [`directions`]: two seeded Gaussian directions, filter-normalized by default.
//! - [`surface`]: the grid, and [`SurfaceJob`] which fills it row by row with the first
//!   layer factored out; a one-hidden-layer model's grid rows run their α values as
//!   SIMD lanes (`grid_row`).
//! - [`projection`]: the optimizer path's checkpoints in the plane's coordinates;
//!   [`pca`]: the plane of the path itself.
//! - [`slice`]: 1-D slices along a direction and interpolations between weights.
//! - [`curvature`]: exact Hessian-vector products; [`sharpness`]: λmax, trace and
//!   ε-sharpness built on them.

pub mod curvature;
pub mod directions;
mod grid_row;
pub mod pca;
pub mod projection;
pub mod sharpness;
pub mod slice;
pub mod surface;

pub use surface::{PathPoint, PlaneInfo, ProjectedPath, Surface, SurfaceExport, SurfaceJob};
