//! The loss sampled on a plane through the centre weights θ:
//! `L(α, β) = loss(θ + α·d1 + β·d2)` on the grid `α_i = −r + 2r·i/(n−1)` (same for β),
//! over the train split (or the validation split, by choice) in eval mode, averaged over
//! samples.
//!
//! The array is row-major by β: row j is β_j, column i is α_i. Non-finite cells are kept,
//! counted and drawn as "no data".
//!
//! Speed: the first layer's pre-activation is linear in (α, β),
//! `Z0(α, β) = X·W0ᵀ + b0 + α·(X·D1ᵀ + e1) + β·(X·D2ᵀ + e2)`, so the three products are
//! computed once per surface and each grid point only combines them and runs the layers
//! above.

use serde::Serialize;

use super::{directions, grid_row, pca, projection};
use crate::config::{LandscapeConfig, LossKind, Normalization, Plane, Split};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::nn::{kernels, BlockKind, Mlp, ParamBlock, Workspace};
use crate::train::{Checkpoint, Trainer};

/// A finished or partly computed 2-D surface.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Surface {
    /// α_i, i = 0..n−1.
    pub alphas: Vec<f64>,
    /// β_j, j = 0..n−1.
    pub betas: Vec<f64>,
    /// `loss[j * n + i]` is the loss at (α_i, β_j); NaN (JSON null) where not computed
    /// yet or not finite.
    pub loss: Vec<f64>,
    /// Rows 0..rows_done are computed.
    pub rows_done: usize,
    /// The loss at (0, 0): the train loss of the centre weights.
    pub center_loss: f64,
    /// Computed cells whose loss is NaN or infinite.
    pub non_finite_count: usize,
}

/// Most multiply-adds one surface may take (grid points × data rows × parameters), so a
/// map of a laptop-sized model finishes in seconds rather than hours.
pub const MAX_SURFACE_WORK: f64 = 1e11;

/// Refuses a surface whose cost is past [`MAX_SURFACE_WORK`], naming the factors.
pub fn check_work(resolution: usize, rows: usize, parameters: usize) -> Result<()> {
    let work = (resolution * resolution) as f64 * rows as f64 * parameters as f64;
    if work > MAX_SURFACE_WORK {
        return Err(Error::config(
            "landscape",
            format!(
                "would take {work:.1e} multiply-adds ({resolution}² grid points × {rows} data \
                 rows × {parameters} parameters); the limit is {MAX_SURFACE_WORK:.0e}: lower \
                 landscape.resolution or use a smaller model"
            ),
        ));
    }
    Ok(())
}

/// The grid coordinates `−r + 2r·i/(n−1)`.
pub fn grid(range: f64, resolution: usize) -> Vec<f64> {
    let last = (resolution.max(2) - 1) as f64;
    (0..resolution)
        .map(|i| -range + 2.0 * range * i as f64 / last)
        .collect()
}

/// Which plane a job samples and what is known about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaneInfo {
    pub plane: Plane,
    /// Cosine between the two directions (0 when orthogonal).
    pub cosine: f64,
    /// PCA plane: the fraction of the path's variance each axis explains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explained_variance: Option<[f64; 2]>,
    /// Half-width of the grid in direction units.
    pub half_width: f64,
}

/// A checkpoint of the path in the plane's coordinates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathPoint {
    /// Updates applied when the checkpoint was taken.
    pub update: usize,
    pub alpha: f64,
    pub beta: f64,
    /// Distance from the checkpoint to the plane, in parameter units.
    pub off_plane: f64,
    /// The checkpoint's true loss on the landscape's split (not the contour value under
    /// its projection).
    pub loss: f64,
}

/// The path in the plane and how much of its movement the plane shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedPath {
    pub points: Vec<PathPoint>,
    /// `Σ‖P(θ_t − θ_c)‖² / Σ‖θ_t − θ_c‖²` over the checkpoints: 1 when the path lies in the
    /// plane, near 0 when it moves orthogonally to it.
    pub captured_fraction: f64,
}

/// Computes a surface around a snapshot of a run's weights, a few rows at a time.
#[derive(Clone, Debug)]
pub struct SurfaceJob {
    model: Mlp,
    loss_kind: LossKind,
    data: Dataset,
    center: Vec<f32>,
    center_update: usize,
    directions: [Vec<f32>; 2],
    settings: LandscapeConfig,
    plane: PlaneInfo,
    /// `X·W0ᵀ + b0`, `X·D1ᵀ + e1`, `X·D2ᵀ + e2`, each `n × width0`.
    first_layer: [Vec<f32>; 3],
    surface: Surface,
    point_params: Vec<f32>,
    workspace: Workspace,
    /// Grid points done in the row being computed (deeper models, point by point).
    cells_in_row: usize,
    /// Rows computed, here or put in by [`SurfaceJob::put_row`] from other workers in any
    /// order; `surface.rows_done` counts those before the first missing one.
    row_filled: Vec<bool>,
    /// One data row's hidden activations and outputs (point by point), and the buffers of
    /// a whole grid row (one-hidden-layer models).
    row_hidden: Vec<f32>,
    row_scratch: grid_row::RowScratch,
    row_output: Vec<f32>,
    elapsed_ms: f64,
}

impl SurfaceJob {
    /// A job around the trainer's current weights on the split, plane and grid the run's
    /// landscape settings name.
    pub fn new(trainer: &Trainer) -> Result<SurfaceJob> {
        let settings = &trainer.config().landscape;
        let data = landscape_data(trainer);
        let model = trainer.model();
        check_work(settings.resolution, data.len(), model.num_params())?;
        let center = trainer.params();
        let center_update = trainer.updates_done();
        let (directions, cosine, explained_variance, half_width) = match settings.plane {
            Plane::Random => {
                let (directions, cosine) = random_plane(model, center, settings);
                (directions, cosine, None, settings.range)
            }
            Plane::Parameters => (parameter_plane(model)?, 0.0, None, settings.range),
            Plane::Pca => {
                let points: Vec<&[f32]> = trainer
                    .checkpoints()
                    .as_slice()
                    .iter()
                    .filter(|c| c.update < center_update)
                    .map(|c| c.params.as_slice())
                    .chain(std::iter::once(center))
                    .collect();
                let pca = pca::path_pca(&points, center)?;
                let extent = points
                    .iter()
                    .filter_map(|p| projection::project(p, center, &pca.axes))
                    .fold(0.0f64, |m, (a, b)| m.max(a.abs()).max(b.abs()));
                let half_width = settings.range * 1.25 * extent.max(1e-6);
                (pca.axes, 0.0, Some(pca.explained_variance), half_width)
            }
        };
        let plane = PlaneInfo {
            plane: settings.plane,
            cosine,
            explained_variance,
            half_width,
        };
        Self::with_directions(
            model,
            trainer.loss_kind(),
            data,
            (center, center_update),
            directions,
            settings,
            plane,
        )
    }

    /// A job around `center` on the random plane of `settings` (tests, comparisons).
    pub fn around(
        model: &Mlp,
        loss_kind: LossKind,
        data: &Dataset,
        center: &[f32],
        center_update: usize,
        settings: &LandscapeConfig,
    ) -> Result<SurfaceJob> {
        let (directions, cosine) = random_plane(model, center, settings);
        let plane = PlaneInfo {
            plane: Plane::Random,
            cosine,
            explained_variance: None,
            half_width: settings.range,
        };
        Self::with_directions(
            model,
            loss_kind,
            data,
            (center, center_update),
            directions,
            settings,
            plane,
        )
    }

    /// A job on the plane through `center` (the weights after the given number of
    /// updates) spanned by `directions`, over `[−half_width, half_width]²`.
    pub fn with_directions(
        model: &Mlp,
        loss_kind: LossKind,
        data: &Dataset,
        (center, center_update): (&[f32], usize),
        directions: [Vec<f32>; 2],
        settings: &LandscapeConfig,
        plane: PlaneInfo,
    ) -> Result<SurfaceJob> {
        if data.is_empty() {
            return Err(Error::Data(
                "the landscape's data split has no samples".into(),
            ));
        }
        if projection::gram(&directions).is_none() {
            return Err(Error::Data(
                "the two landscape directions are zero or parallel (are all weights zero?); \
                 try normalization \"none\" or another seed"
                    .into(),
            ));
        }

        let first_layer = [
            first_layer_product(model, data, center),
            first_layer_product(model, data, &directions[0]),
            first_layer_product(model, data, &directions[1]),
        ];
        let mut workspace = model.workspace(data.len());
        let center_loss = model.mean_loss(center, data, loss_kind, &mut workspace);
        let n = settings.resolution;
        let axis = grid(plane.half_width, n);
        Ok(SurfaceJob {
            model: model.clone(),
            loss_kind,
            data: data.clone(),
            center: center.to_vec(),
            center_update,
            directions,
            settings: settings.clone(),
            plane,
            first_layer,
            surface: Surface {
                alphas: axis.clone(),
                betas: axis,
                loss: vec![f64::NAN; n * n],
                rows_done: 0,
                center_loss,
                non_finite_count: 0,
            },
            point_params: center.to_vec(),
            workspace,
            cells_in_row: 0,
            row_filled: vec![false; n],
            row_hidden: vec![0.0; model.sizes.get(1).copied().unwrap_or(0)],
            row_output: vec![0.0; model.n_outputs()],
            row_scratch: grid_row::RowScratch::default(),
            elapsed_ms: 0.0,
        })
    }

    /// The same job on a coarser `resolution` × `resolution` grid over the same square:
    /// the same centre, plane and data, so its picture is the full map's at lower
    /// resolution. A page shows it while the full map is computed.
    pub fn coarse(&self, resolution: usize) -> SurfaceJob {
        let axis = grid(self.plane.half_width, resolution);
        let mut job = self.clone();
        job.settings.resolution = resolution;
        job.surface = Surface {
            alphas: axis.clone(),
            betas: axis,
            loss: vec![f64::NAN; resolution * resolution],
            rows_done: 0,
            center_loss: self.surface.center_loss,
            non_finite_count: 0,
        };
        job.cells_in_row = 0;
        job.row_filled = vec![false; resolution];
        job.elapsed_ms = 0.0;
        job
    }

    /// A job that computes rows of another's map in a worker of its own: the trainer's
    /// model, loss, data split and grid, at `center` on the plane of `directions` over
    /// `[−half_width, half_width]²`, as the other job's [`SurfaceJob::center`],
    /// [`SurfaceJob::directions`] and [`PlaneInfo::half_width`] give them. Its rows are
    /// bit for bit the other job's rows (the same kernels on the same inputs).
    pub fn for_rows(
        trainer: &Trainer,
        center: &[f32],
        directions: [Vec<f32>; 2],
        half_width: f64,
    ) -> Result<SurfaceJob> {
        let settings = &trainer.config().landscape;
        let data = landscape_data(trainer);
        let model = trainer.model();
        let expected = model.num_params();
        for (name, vector) in [
            ("centre", center),
            ("first direction", &directions[0]),
            ("second direction", &directions[1]),
        ] {
            if vector.len() != expected {
                return Err(Error::Shape {
                    what: format!("parameters of the map's {name}"),
                    expected,
                    actual: vector.len(),
                });
            }
        }
        if !(half_width.is_finite() && half_width > 0.0) {
            return Err(Error::Data(format!(
                "the map's half width must be a positive number, got {half_width}"
            )));
        }
        check_work(settings.resolution, data.len(), expected)?;
        let plane = PlaneInfo {
            plane: settings.plane,
            cosine: 0.0,
            explained_variance: None,
            half_width,
        };
        Self::with_directions(
            model,
            trainer.loss_kind(),
            data,
            (center, 0),
            directions,
            settings,
            plane,
        )
    }

    /// The losses of grid row `j` (β_j, every α), computed as [`SurfaceJob::compute_cells`]
    /// computes them; an error when `j` is past the grid.
    pub fn row_losses(&mut self, j: usize) -> Result<Vec<f64>> {
        self.check_row(j)?;
        let beta = self.surface.betas[j];
        if self.model.num_layers() == 2 {
            return Ok(self.grid_row_one_hidden_layer(beta));
        }
        Ok((0..self.settings.resolution)
            .map(|i| self.loss_at(self.surface.alphas[i], beta))
            .collect())
    }

    /// Puts in row `j` computed elsewhere (by a job from [`SurfaceJob::for_rows`]); rows
    /// may come in any order. Returns true once the surface is complete.
    pub fn put_row(&mut self, j: usize, losses: &[f64]) -> Result<bool> {
        self.check_row(j)?;
        let n = self.settings.resolution;
        if losses.len() != n {
            return Err(Error::Shape {
                what: format!("losses of row {j} of a map of {n} rows"),
                expected: n,
                actual: losses.len(),
            });
        }
        if !self.row_filled[j] {
            self.store_row(j, losses);
        }
        Ok(self.is_complete())
    }

    fn check_row(&self, j: usize) -> Result<()> {
        let n = self.settings.resolution;
        if j >= n {
            return Err(Error::Data(format!(
                "the map has rows 0 to {}, got row {j}",
                n - 1
            )));
        }
        Ok(())
    }

    /// Stores a whole row's losses and marks it done.
    fn store_row(&mut self, j: usize, losses: &[f64]) {
        let n = self.settings.resolution;
        for (i, &value) in losses.iter().enumerate() {
            self.store(j * n + i, value);
        }
        self.fill_row(j);
    }

    /// Marks row `j` done and counts the rows done before the first missing one.
    fn fill_row(&mut self, j: usize) {
        self.row_filled[j] = true;
        let n = self.settings.resolution;
        while self.surface.rows_done < n && self.row_filled[self.surface.rows_done] {
            self.surface.rows_done += 1;
        }
    }

    /// Computes up to `rows` more rows; returns true once the surface is complete.
    pub fn compute_rows(&mut self, rows: usize) -> bool {
        let n = self.settings.resolution;
        let cells = rows.saturating_mul(n).saturating_sub(self.cells_in_row);
        self.compute_cells(cells)
    }

    /// Computes up to `cells` more grid points in row order (at least one, or a whole row
    /// for one-hidden-layer models, whose rows are computed in one pass); returns true
    /// once the surface is complete. Small steps keep a large model's map responsive.
    pub fn compute_cells(&mut self, cells: usize) -> bool {
        let n = self.settings.resolution;
        let mut budget = cells.max(1);
        while budget > 0 && !self.is_complete() {
            let j = self.surface.rows_done;
            let beta = self.surface.betas[j];
            if self.model.num_layers() == 2 {
                let row = self.grid_row_one_hidden_layer(beta);
                self.store_row(j, &row);
                budget = budget.saturating_sub(n);
                continue;
            }
            let i = self.cells_in_row;
            let value = self.loss_at(self.surface.alphas[i], beta);
            self.store(j * n + i, value);
            budget -= 1;
            self.cells_in_row += 1;
            if self.cells_in_row == n {
                self.cells_in_row = 0;
                self.fill_row(j);
            }
        }
        self.is_complete()
    }

    fn store(&mut self, index: usize, value: f64) {
        if !value.is_finite() {
            self.surface.non_finite_count += 1;
        }
        self.surface.loss[index] = value;
    }

    /// A whole grid row (fixed β, every α) of a model with one hidden layer: `Z0 + β·Z2`
    /// and the output layer at β are formed once, then [`grid_row::row_losses`] runs the
    /// row's α values side by side.
    fn grid_row_one_hidden_layer(&mut self, beta: f64) -> Vec<f64> {
        let b = beta as f32;
        let width = self.model.sizes[1];
        let alphas: Vec<f32> = self.surface.alphas.iter().map(|&a| a as f32).collect();
        let [base, first, second] = &self.first_layer;
        let shifted: Vec<f32> = base
            .iter()
            .zip(second)
            .map(|(&z0, &z2)| z0 + b * z2)
            .collect();

        // W_c + β·D2 and D1 for the output layer's weights, and the same for its bias.
        let at_beta = |range: std::ops::Range<usize>| -> (Vec<f32>, &[f32]) {
            let (c, d1, d2) = (
                &self.center[range.clone()],
                &self.directions[0][range.clone()],
                &self.directions[1][range],
            );
            (c.iter().zip(d2).map(|(&c, &d)| c + b * d).collect(), d1)
        };
        let (weight_range, bias_range) = self.model.layer_ranges(1);
        let (weight, weight_direction) = at_beta(weight_range);
        let bias = bias_range.map(at_beta);
        let output = grid_row::OutputLayer {
            weight: &weight,
            weight_direction,
            bias: bias.as_ref().map(|(b, d)| (b.as_slice(), *d)),
        };
        grid_row::row_losses(
            &shifted,
            first,
            width,
            &alphas,
            &output,
            self.model.activation,
            self.loss_kind,
            &self.data,
            &mut self.row_scratch,
        )
    }

    /// The loss at (α, β) with the first layer factored (see the module docs).
    pub fn loss_at(&mut self, alpha: f64, beta: f64) -> f64 {
        let (a, b) = (alpha as f32, beta as f32);
        for ((p, &c), (&d1, &d2)) in self
            .point_params
            .iter_mut()
            .zip(&self.center)
            .zip(self.directions[0].iter().zip(&self.directions[1]))
        {
            *p = c + a * d1 + b * d2;
        }
        let rows = self.data.len();
        let n_out = self.model.n_outputs();
        let [base, first, second] = &self.first_layer;
        let combine = |z: &mut [f32], range: std::ops::Range<usize>| {
            // Equal lengths up front let the compiler drop bounds checks and vectorize.
            let n = z.len().min(range.len());
            let start = range.start;
            let (z0, z1, z2) = (
                &base[start..start + n],
                &first[start..start + n],
                &second[start..start + n],
            );
            let z = &mut z[..n];
            for i in 0..n {
                z[i] = z0[i] + a * z1[i] + b * z2[i];
            }
        };

        let sum: f64 = match self.model.num_layers() {
            // One hidden layer: each row's hidden activations live in a small buffer and
            // the output follows at once, so nothing of size rows × width is written.
            2 => {
                let width = self.model.sizes[1];
                let (weight, bias) = self.model.layer_ranges(1);
                let weight = &self.point_params[weight];
                let bias = bias.map(|range| &self.point_params[range]);
                let (hidden, output) = (&mut self.row_hidden, &mut self.row_output);
                let mut total = 0.0;
                for r in 0..rows {
                    combine(hidden, r * width..(r + 1) * width);
                    self.model.activation.apply_in_place(hidden);
                    for (k, out) in output.iter_mut().enumerate() {
                        *out = kernels::dot(hidden, &weight[k * width..(k + 1) * width])
                            + bias.map_or(0.0, |b| b[k]);
                    }
                    total += self.loss_kind.sample_loss(output, self.data.target_row(r));
                }
                total
            }
            _ => {
                let pre = &mut self.workspace.pre[0];
                let len = pre.len().min(base.len());
                combine(&mut pre[..len], 0..len);
                let outputs = self.model.forward_from_first_layer(
                    &self.point_params,
                    rows,
                    &mut self.workspace,
                );
                (0..rows)
                    .map(|r| {
                        self.loss_kind.sample_loss(
                            &outputs[r * n_out..(r + 1) * n_out],
                            self.data.target_row(r),
                        )
                    })
                    .sum()
            }
        };
        sum / rows as f64
    }

    /// The loss at (α, β) the slow way: build the weights and run the whole network.
    pub fn loss_at_naive(&mut self, alpha: f64, beta: f64) -> f64 {
        let weights: Vec<f32> = self
            .center
            .iter()
            .zip(self.directions[0].iter().zip(&self.directions[1]))
            .map(|(&c, (&d1, &d2))| c + alpha as f32 * d1 + beta as f32 * d2)
            .collect();
        self.model
            .mean_loss(&weights, &self.data, self.loss_kind, &mut self.workspace)
    }

    /// Adds `elapsed_ms` of computing time to the job's total (timed by the caller, which
    /// knows the platform's clock).
    pub fn add_elapsed_ms(&mut self, elapsed_ms: f64) {
        self.elapsed_ms += elapsed_ms;
    }

    pub fn is_complete(&self) -> bool {
        self.surface.rows_done == self.settings.resolution
    }

    /// Fraction of rows done (here or put in), in [0, 1].
    pub fn progress(&self) -> f64 {
        let filled = self.row_filled.iter().filter(|&&done| done).count();
        filled as f64 / self.settings.resolution as f64
    }

    pub fn surface(&self) -> &Surface {
        &self.surface
    }

    pub fn directions(&self) -> &[Vec<f32>; 2] {
        &self.directions
    }

    pub fn plane(&self) -> &PlaneInfo {
        &self.plane
    }

    pub fn center(&self) -> &[f32] {
        &self.center
    }

    /// Number of updates the centre weights had received.
    pub fn center_update(&self) -> usize {
        self.center_update
    }

    /// The path up to the centre in (α, β): every checkpoint up to the centre's update,
    /// projected by least squares onto the directions, then the centre itself at (0, 0).
    pub fn project(&self, checkpoints: &[Checkpoint]) -> Vec<(f64, f64)> {
        let mut path: Vec<(f64, f64)> = checkpoints
            .iter()
            .filter(|c| c.update < self.center_update)
            .filter_map(|c| projection::project(&c.params, &self.center, &self.directions))
            .collect();
        path.push((0.0, 0.0));
        path
    }

    /// The path with each checkpoint's distance from the plane and true loss, and the
    /// fraction of the path's movement the plane captures.
    pub fn path(&mut self, checkpoints: &[Checkpoint]) -> ProjectedPath {
        let mut points = Vec::new();
        let (mut captured, mut total) = (0.0, 0.0);
        let before = checkpoints.iter().filter(|c| c.update < self.center_update);
        for checkpoint in before {
            let Some(fit) = projection::fit(&checkpoint.params, &self.center, &self.directions)
            else {
                continue;
            };
            captured += fit.in_plane_squared;
            total += fit.offset_squared;
            let loss = self.model.mean_loss(
                &checkpoint.params,
                &self.data,
                self.loss_kind,
                &mut self.workspace,
            );
            points.push(PathPoint {
                update: checkpoint.update,
                alpha: fit.alpha,
                beta: fit.beta,
                off_plane: fit.off_plane(),
                loss,
            });
        }
        points.push(PathPoint {
            update: self.center_update,
            alpha: 0.0,
            beta: 0.0,
            off_plane: 0.0,
            loss: self.surface.center_loss,
        });
        ProjectedPath {
            points,
            captured_fraction: if total > 0.0 { captured / total } else { 1.0 },
        }
    }

    /// Everything `surface.json` holds.
    pub fn export(&self) -> SurfaceExport<'_> {
        SurfaceExport {
            alphas: &self.surface.alphas,
            betas: &self.surface.betas,
            loss: &self.surface.loss,
            center_loss: self.surface.center_loss,
            weights: &self.center,
            directions: [&self.directions[0], &self.directions[1]],
            layout: &self.model.layout,
            plane: &self.plane,
            normalization: self.settings.normalization,
            include_bias: self.settings.include_bias,
            data: self.settings.data,
            seed: self.settings.seed,
            range: self.settings.range,
            resolution: self.settings.resolution,
            non_finite_count: self.surface.non_finite_count,
            elapsed_ms: self.elapsed_ms,
        }
    }
}

/// The filter-normalized (or as configured) random pair, orthogonalized on request, and
/// the cosine between the two as drawn.
/// The split a run's maps are computed on.
fn landscape_data(trainer: &Trainer) -> &Dataset {
    match trainer.config().landscape.data {
        Split::Train => &trainer.data().train,
        Split::Val => &trainer.data().val,
    }
}

fn random_plane(model: &Mlp, center: &[f32], settings: &LandscapeConfig) -> ([Vec<f32>; 2], f64) {
    let mut directions = directions::random_directions(
        settings.seed,
        center,
        &model.layout,
        settings.normalization,
        settings.include_bias,
    );
    let cosine = projection::cosine(&directions[0], &directions[1]);
    if settings.orthogonalize {
        directions::orthogonalize(&mut directions);
    }
    let reported = if settings.orthogonalize { 0.0 } else { cosine };
    (directions, reported)
}

/// The unit directions of the two parameters of a two-parameter model.
fn parameter_plane(model: &Mlp) -> Result<[Vec<f32>; 2]> {
    let count = model.num_params();
    if count != 2 {
        return Err(Error::config(
            "landscape.plane",
            format!("\"parameters\" needs a model with exactly 2 parameters, this one has {count}"),
        ));
    }
    Ok([vec![1.0, 0.0], vec![0.0, 1.0]])
}

/// The surface with what is needed to recompute it elsewhere.
#[derive(Clone, Debug, Serialize)]
pub struct SurfaceExport<'a> {
    pub alphas: &'a [f64],
    pub betas: &'a [f64],
    pub loss: &'a [f64],
    pub center_loss: f64,
    pub weights: &'a [f32],
    pub directions: [&'a [f32]; 2],
    pub layout: &'a [ParamBlock],
    pub plane: &'a PlaneInfo,
    pub normalization: Normalization,
    pub include_bias: bool,
    pub data: Split,
    pub seed: u64,
    pub range: f64,
    pub resolution: usize,
    pub non_finite_count: usize,
    pub elapsed_ms: f64,
}

/// `X·Vᵀ + c` for the first layer's weight block V and bias block c of `vector`.
fn first_layer_product(model: &Mlp, data: &Dataset, vector: &[f32]) -> Vec<f32> {
    let (fan_in, width) = (model.sizes[0], model.sizes[1]);
    let block = |kind| {
        model
            .layout
            .iter()
            .find(|b| b.layer == 0 && b.kind == kind)
            .map(|b| &vector[b.range()])
    };
    let weight = block(BlockKind::Weight).unwrap_or(&[]);
    let bias = block(BlockKind::Bias);
    let mut out = vec![0.0; data.len() * width];
    for (x, z) in data
        .features
        .chunks_exact(fan_in)
        .zip(out.chunks_exact_mut(width))
    {
        for (o, z_o) in z.iter_mut().enumerate() {
            let w = &weight[o * fan_in..(o + 1) * fan_in];
            *z_o = x.iter().zip(w).map(|(a, b)| a * b).sum::<f32>() + bias.map_or(0.0, |c| c[o]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RunConfig;

    fn trained(epochs: usize) -> Trainer {
        let mut trainer = Trainer::new(RunConfig {
            epochs,
            ..RunConfig::default()
        })
        .unwrap();
        trainer.run_to_end();
        trainer
    }

    #[test]
    fn grid_matches_the_convention() {
        let axis = grid(1.0, 5);
        assert_eq!(axis, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(grid(1.0, 51)[25], 0.0, "the centre is exactly 0");
    }

    /// The value at (0, 0) is the train loss of the centre weights, and the factored
    /// evaluation equals the naive one.
    #[test]
    fn centre_is_train_loss_and_factoring_is_exact() {
        let mut trainer = trained(5);
        let mut job = SurfaceJob::new(&trainer).unwrap();
        let train_loss = trainer.train_loss();
        assert!(job.compute_rows(100), "a 51-row surface completes");
        let surface = job.surface().clone();
        let centre = surface.loss[25 * 51 + 25];
        assert!(
            (centre - train_loss).abs() < 1e-5 * train_loss,
            "{centre} vs {train_loss}"
        );
        assert_eq!(surface.center_loss, train_loss);
        let mut worst = 0.0f64;
        for j in 0..51 {
            for i in 0..51 {
                let naive = job.loss_at_naive(surface.alphas[i], surface.betas[j]);
                let fast = surface.loss[j * 51 + i];
                assert!(
                    (naive - fast).abs() <= 1e-5 * naive,
                    "({i},{j}): {fast} vs {naive}"
                );
                worst = worst.max((naive - fast).abs());
            }
        }
        println!("factored vs naive surface: max abs diff {worst:e}");
        assert!(
            surface.loss[0] > centre,
            "the corner of the bowl is higher than the centre"
        );
    }

    #[test]
    fn rows_fill_in_order_and_directions_ignore_the_grid() {
        let trainer = trained(2);
        let mut job = SurfaceJob::new(&trainer).unwrap();
        assert!(!job.compute_rows(10));
        assert_eq!(job.surface().rows_done, 10);
        assert!(
            job.surface().loss[10 * 51].is_nan(),
            "row 10 is still pending"
        );
        let mut coarse_config = trainer.config().landscape.clone();
        coarse_config.resolution = 11;
        coarse_config.range = 3.0;
        let coarse = SurfaceJob::around(
            trainer.model(),
            trainer.loss_kind(),
            &trainer.data().train,
            trainer.params(),
            trainer.updates_done(),
            &coarse_config,
        )
        .unwrap();
        assert_eq!(
            coarse.directions(),
            job.directions(),
            "same seed and weights"
        );
    }

    /// L = (w1 − 1)² + 4(w2 − 2)² from a two-parameter linear model (samples x = (√2, 0),
    /// y = √2 and x = (0, 2√2), y = 4√2, MSE), sampled on the plane of the parameters at
    /// (1, 2), 5 × 5 on [−1, 1]: L(α, β) = α² + 4β². The rows below are listed with α
    /// down and β across; the array is row-major by β, so entry [j][i] is rows[i][j].
    #[test]
    fn quadratic_on_the_parameter_plane() {
        let config = RunConfig {
            data: crate::config::DataConfig {
                source: crate::config::DataSource::Inline,
                standardize: false,
                val_fraction: 0.0,
                train: Some(crate::config::InlineData {
                    x: vec![vec![2f64.sqrt(), 0.0], vec![0.0, 2.0 * 2f64.sqrt()]],
                    y: vec![2f64.sqrt(), 4.0 * 2f64.sqrt()],
                }),
                ..crate::config::DataConfig::default()
            },
            model: crate::config::ModelConfig {
                hidden: vec![],
                bias: false,
                ..crate::config::ModelConfig::default()
            },
            landscape: LandscapeConfig {
                plane: Plane::Parameters,
                resolution: 5,
                ..LandscapeConfig::default()
            },
            ..RunConfig::default()
        };
        let data = crate::data::prepare(&config).unwrap();
        let model = Mlp::new(2, 1, &config.model).unwrap();
        let trainer = Trainer::with_params(config, data, model, vec![1.0, 2.0]).unwrap();
        let mut job = SurfaceJob::new(&trainer).unwrap();
        job.compute_rows(5);
        let rows = [
            [5.0, 2.0, 1.0, 2.0, 5.0],
            [4.25, 1.25, 0.25, 1.25, 4.25],
            [4.0, 1.0, 0.0, 1.0, 4.0],
            [4.25, 1.25, 0.25, 1.25, 4.25],
            [5.0, 2.0, 1.0, 2.0, 5.0],
        ];
        let loss = &job.surface().loss;
        for i in 0..5 {
            for j in 0..5 {
                assert!(
                    (loss[j * 5 + i] - rows[i][j]).abs() < 1e-5,
                    "α {} β {}: {}",
                    job.surface().alphas[i],
                    job.surface().betas[j],
                    loss[j * 5 + i]
                );
            }
        }
    }

    /// A two-hidden-layer model's map filled a few points at a time equals the map filled
    /// in one go, and pending points stay NaN.
    #[test]
    fn a_coarse_map_is_the_full_map_at_fewer_points() {
        let trainer = trained(3);
        let mut full = SurfaceJob::new(&trainer).unwrap();
        let mut coarse = full.coarse(11);
        while !coarse.compute_rows(1) {}
        while !full.compute_rows(51) {}
        let (full, coarse) = (full.surface(), coarse.surface());
        assert_eq!(coarse.alphas, grid(full.alphas[50], 11));
        assert_eq!(coarse.loss.len(), 121);
        // Every fifth point of the 51 × 51 grid is a point of the 11 × 11 one.
        for j in 0..11 {
            for i in 0..11 {
                let (c, f) = (coarse.loss[j * 11 + i], full.loss[j * 5 * 51 + i * 5]);
                assert_eq!(coarse.alphas[i], full.alphas[i * 5]);
                assert!(
                    (c - f).abs() <= 1e-12 * f.abs(),
                    "({i}, {j}): coarse {c}, full {f}"
                );
            }
        }
        assert_eq!(coarse.center_loss, full.center_loss);
    }

    #[test]
    fn rows_from_other_workers_in_any_order_make_the_same_map() {
        for hidden in ["[16]", "[8, 6]"] {
            let config = RunConfig::from_json(&format!(
                r#"{{"epochs": 3, "model": {{"hidden": {hidden}}},
                    "landscape": {{"resolution": 9}}}}"#
            ))
            .unwrap();
            let mut trainer = Trainer::new(config.clone()).unwrap();
            for _ in 0..7 {
                trainer.step();
            }
            let mut here = SurfaceJob::new(&trainer).unwrap();
            while !here.compute_rows(2) {}

            // A worker of its own starts from the config, as the page's helpers do.
            let elsewhere_trainer = Trainer::new(config).unwrap();
            let mut elsewhere = SurfaceJob::for_rows(
                &elsewhere_trainer,
                here.center(),
                here.directions().clone(),
                here.plane().half_width,
            )
            .unwrap();
            let mut shown = SurfaceJob::new(&trainer).unwrap();
            for j in (0..9).rev() {
                let row = elsewhere.row_losses(j).unwrap();
                let complete = shown.put_row(j, &row).unwrap();
                assert_eq!(complete, j == 0, "row {j}");
                assert_eq!(shown.surface().rows_done, if j == 0 { 9 } else { 0 });
            }
            let bits = |job: &SurfaceJob| -> Vec<u64> {
                job.surface().loss.iter().map(|v| v.to_bits()).collect()
            };
            assert_eq!(bits(&shown), bits(&here), "hidden {hidden}");
            assert_eq!(
                shown.surface().non_finite_count,
                here.surface().non_finite_count
            );
        }
    }

    #[test]
    fn rows_of_the_wrong_shape_are_refused() {
        let trainer = trained(1);
        let mut job = SurfaceJob::new(&trainer).unwrap();
        let n = job.surface().alphas.len();
        let err = job.put_row(n, &vec![0.0; n]).unwrap_err().to_string();
        assert!(err.contains(&format!("got row {n}")), "{err}");
        let err = job.put_row(0, &[0.0; 3]).unwrap_err().to_string();
        assert!(err.contains(&format!("expected {n}, got 3")), "{err}");
        let center = job.center().to_vec();
        let err = SurfaceJob::for_rows(&trainer, &center[1..], job.directions().clone(), 1.0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("centre") && err.contains(&format!("got {}", center.len() - 1)));
    }

    #[test]
    fn cell_steps_fill_the_same_map() {
        let config = RunConfig {
            epochs: 2,
            model: crate::config::ModelConfig {
                hidden: vec![8, 8],
                ..crate::config::ModelConfig::default()
            },
            landscape: LandscapeConfig {
                resolution: 7,
                ..LandscapeConfig::default()
            },
            ..RunConfig::default()
        };
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        let mut whole = SurfaceJob::new(&trainer).unwrap();
        assert!(whole.compute_rows(7));
        let mut steps = SurfaceJob::new(&trainer).unwrap();
        assert!(!steps.compute_cells(10));
        assert_eq!(
            steps.surface().rows_done,
            1,
            "10 points: one row and three more"
        );
        assert!(steps.surface().loss[9].is_finite() && steps.surface().loss[10].is_nan());
        while !steps.compute_cells(3) {}
        assert_eq!(steps.surface().loss, whole.surface().loss);
    }

    #[test]
    fn a_surface_past_the_work_limit_is_refused() {
        let err = check_work(51, 354, 1_013_001).unwrap_err().to_string();
        assert!(
            err.starts_with("landscape would take 9.3e11 multiply-adds"),
            "{err}"
        );
        assert!(
            check_work(51, 1437, 9610).is_ok(),
            "the digits map stays allowed"
        );
    }

    #[test]
    fn parameter_plane_needs_two_parameters() {
        let mut trainer = trained(1);
        let mut config = trainer.config().clone();
        config.landscape.plane = Plane::Parameters;
        trainer = Trainer::new(config).unwrap();
        let err = SurfaceJob::new(&trainer).unwrap_err().to_string();
        assert!(
            err.contains("exactly 2 parameters, this one has 769"),
            "{err}"
        );
    }

    /// On the PCA plane the path is mostly in the plane (the two components capture most
    /// of its movement), and on a random plane of a 769-parameter model it is mostly not.
    #[test]
    fn pca_plane_captures_the_path_a_random_plane_does_not() {
        let mut config = RunConfig {
            epochs: 20,
            ..RunConfig::default()
        };
        config.landscape.plane = Plane::Pca;
        config.landscape.resolution = 11;
        let mut trainer = Trainer::new(config.clone()).unwrap();
        trainer.run_to_end();
        let mut pca_job = SurfaceJob::new(&trainer).unwrap();
        let pca_path = pca_job.path(trainer.checkpoints().as_slice());
        let ratios = pca_job.plane().explained_variance.unwrap();
        assert!(ratios[0] > 0.5 && ratios[0] >= ratios[1], "{ratios:?}");
        assert!(
            pca_path.captured_fraction > 0.8,
            "{}",
            pca_path.captured_fraction
        );
        let farthest = pca_path
            .points
            .iter()
            .fold(0.0f64, |m, p| m.max(p.alpha.abs()).max(p.beta.abs()));
        let half = pca_job.plane().half_width;
        assert!(
            (half - 1.25 * farthest).abs() < 1e-9 * half,
            "the grid spans the path"
        );

        let mut random_job = SurfaceJob::around(
            trainer.model(),
            trainer.loss_kind(),
            &trainer.data().train,
            trainer.params(),
            trainer.updates_done(),
            &LandscapeConfig::default(),
        )
        .unwrap();
        let random_path = random_job.path(trainer.checkpoints().as_slice());
        assert!(
            random_path.captured_fraction < 0.2,
            "{}",
            random_path.captured_fraction
        );
        let start = &random_path.points[0];
        assert!(start.off_plane > 0.0);
        let initial_loss = trainer.history().updates[0].batch_loss;
        assert!(
            start.loss > 0.5 * initial_loss,
            "the true loss, not the contour value"
        );
    }

    #[test]
    fn path_ends_at_the_centre() {
        let trainer = trained(3);
        let job = SurfaceJob::new(&trainer).unwrap();
        let path = job.project(trainer.checkpoints().as_slice());
        assert_eq!(
            path.len(),
            10,
            "9 updates before the centre, then the centre"
        );
        assert_eq!(path.last(), Some(&(0.0, 0.0)));
        assert!(
            path[0].0.abs() + path[0].1.abs() > 0.0,
            "the start is off-centre"
        );
    }
}
