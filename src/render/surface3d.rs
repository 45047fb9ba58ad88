//! The loss surface in three dimensions: the same grid as the contour map, each cell a
//! quadrilateral at its four corner losses, coloured by viridis at the cell's mean on the
//! map's colour scale, with the optimizer path lifted onto the surface.
//!
//! plotters' 3-D chart projects (α, height, β) with a yaw about the vertical axis and a
//! pitch about the horizontal one; it does not sort shapes by depth, so cells are drawn
//! from the farthest to the nearest (painter's algorithm) by the projection's own depth.
//! On a log colour scale the height is log₁₀ of the loss, so a rim decades above the floor
//! does not flatten the valley. The page rotates the view by dragging (yaw, pitch).

use plotters::chart::ChartBuilder;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Polygon};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

use super::colormap::viridis;
use super::fill::Grid;
use super::levels::{Levels, Scale, ScaleChoice};
use super::render_error;
use super::text::centred;
use super::theme::Theme;
use super::ticks::format_tick;
use crate::error::Result;
use crate::landscape::Surface;

/// The initial rotation about the vertical axis, in radians.
pub const DEFAULT_YAW: f64 = 0.75;
/// The initial tilt towards the viewer, in radians.
pub const DEFAULT_PITCH: f64 = 0.5;
/// Pitch is kept in this range so the surface is never seen edge-on or from below.
pub const PITCH_RANGE: (f64, f64) = (0.05, 1.45);

/// The current point: Okabe–Ito vermillion, as on the contour map.
const CURRENT_COLOR: RGBColor = RGBColor(0xd5, 0x5e, 0x00);

/// Everything the 3-D view shows.
#[derive(Clone, Copy, Debug)]
pub struct Surface3dView<'a> {
    pub surface: &'a Surface,
    /// The path in (α, β), oldest first; its last point is the current weights.
    pub path: &'a [(f64, f64)],
    pub title: &'a str,
    pub theme: Theme,
    pub scale: ScaleChoice,
    /// Rotation about the vertical axis, radians.
    pub yaw: f64,
    /// Tilt towards the viewer, radians; clamped to [`PITCH_RANGE`].
    pub pitch: f64,
    /// Outline every cell (a faint mesh that shows the shape); drawing without it is
    /// about five times faster, which the page uses while the surface is dragged.
    pub mesh: bool,
}

/// A loss as a height: log₁₀ on a log scale, the loss itself otherwise.
fn height(levels: &Levels, loss: f64) -> f64 {
    match levels.scale {
        Scale::Log => loss.max(f64::MIN_POSITIVE).log10(),
        Scale::Linear => loss,
    }
}

/// Draws the surface, its axes and the path on `area`.
pub fn draw_surface_3d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &Surface3dView,
) -> Result<()> {
    let theme = view.theme;
    area.fill(&theme.background()).map_err(render_error)?;
    let surface = view.surface;
    let columns = surface.alphas.len();
    let rows = surface.betas.len();
    let done = (surface.rows_done.min(rows) * columns).min(surface.loss.len());
    let levels = Levels::pick(&surface.loss[..done], view.scale);
    let (width, height_px) = area.dim_in_pixel();
    let Some(levels) = levels.filter(|_| columns >= 2 && rows >= 2) else {
        let message = if surface.rows_done == 0 {
            "computing the first surface…"
        } else {
            "no finite loss on this plane"
        };
        let style = centred(theme.font(13.0, theme.muted_text()));
        let middle = (width as i32 / 2, height_px as i32 / 2);
        return area
            .draw_text(message, &style, middle)
            .map_err(render_error);
    };

    let grid = Grid {
        values: &surface.loss,
        columns,
        rows,
        rows_done: surface.rows_done,
    };
    let (alpha_low, alpha_high) = (surface.alphas[0], surface.alphas[columns - 1]);
    let (beta_low, beta_high) = (surface.betas[0], surface.betas[rows - 1]);
    let floor = height(&levels, levels.edges[0]);
    let top = height(&levels, levels.edges[levels.edges.len() - 1]);
    let span = if top > floor { top - floor } else { 1.0 };
    let (floor, top) = (floor - 0.02 * span, top + 0.02 * span);

    let mut chart = ChartBuilder::on(area)
        .caption(view.title, theme.title_font(15.0))
        .margin(theme.px(10.0))
        .build_cartesian_3d(alpha_low..alpha_high, floor..top, beta_low..beta_high)
        .map_err(render_error)?;
    let pitch = view.pitch.clamp(PITCH_RANGE.0, PITCH_RANGE.1);
    let yaw = if view.yaw.is_finite() {
        view.yaw
    } else {
        DEFAULT_YAW
    };
    chart.with_projection(|mut projection| {
        projection.yaw = yaw;
        projection.pitch = pitch;
        projection.scale = 0.78;
        projection.into_matrix()
    });

    let log = levels.scale == Scale::Log;
    let tick = |value: &f64| format_tick(*value);
    let height_tick = move |value: &f64| {
        if log {
            // Two significant digits: 10^0.5 reads as 3.2, not 3.162.
            let loss = 10f64.powf(*value);
            let digits = 1 - loss.log10().floor() as i32;
            let factor = 10f64.powi(digits);
            format_tick((loss * factor).round() / factor)
        } else {
            format_tick(*value)
        }
    };
    chart
        .configure_axes()
        .light_grid_style(theme.grid())
        .bold_grid_style(theme.grid())
        .axis_panel_style(RGBAColor(
            0x80,
            0x80,
            0x80,
            if theme.dark { 0.08 } else { 0.05 },
        ))
        .max_light_lines(1)
        .label_style(theme.font(11.0, theme.text()))
        .tick_size(theme.px(4.0))
        .x_labels(5)
        .y_labels(5)
        .z_labels(5)
        .x_formatter(&tick)
        .y_formatter(&height_tick)
        .z_formatter(&tick)
        .draw()
        .map_err(render_error)?;

    // Cells, farthest first, so nearer ones cover them.
    let coordinates = chart.as_coord_spec().clone();
    let mut cells = Vec::with_capacity((columns - 1) * (rows - 1));
    for row in 0..rows - 1 {
        for column in 0..columns - 1 {
            let corners = [
                (column, row),
                (column + 1, row),
                (column + 1, row + 1),
                (column, row + 1),
            ];
            let values: Option<Vec<f64>> = corners
                .iter()
                .map(|&(c, r)| {
                    (r < grid.rows_done)
                        .then(|| surface.loss[r * columns + c])
                        .filter(|v| v.is_finite())
                })
                .collect();
            let Some(values) = values else {
                continue;
            };
            let mean = values.iter().sum::<f64>() / 4.0;
            let points: Vec<(f64, f64, f64)> = corners
                .iter()
                .zip(&values)
                .map(|(&(c, r), &value)| {
                    (surface.alphas[c], height(&levels, value), surface.betas[r])
                })
                .collect();
            let centre = (
                0.5 * (surface.alphas[column] + surface.alphas[column + 1]),
                height(&levels, mean),
                0.5 * (surface.betas[row] + surface.betas[row + 1]),
            );
            let depth = coordinates.projected_depth(&centre.0, &centre.1, &centre.2);
            cells.push((depth, points, viridis(levels.position(mean))));
        }
    }
    cells.sort_by_key(|cell| std::cmp::Reverse(cell.0));
    let edge = RGBAColor(0, 0, 0, 0.16).stroke_width(1);
    for (_, points, color) in cells {
        let mut outline = points.clone();
        outline.push(points[0]);
        chart
            .plotting_area()
            .draw(&Polygon::new(points, color.filled()))
            .map_err(render_error)?;
        if view.mesh {
            chart
                .plotting_area()
                .draw(&PathElement::new(outline, edge))
                .map_err(render_error)?;
        }
    }

    draw_path_3d(&chart, view, &grid, &levels)?;

    // Axis names outside the middle of the nearer edge of each horizontal axis (the
    // projection's depth grows away from the viewer).
    let label = theme
        .font(14.0, theme.text())
        .pos(Pos::new(HPos::Center, VPos::Center));
    let (alpha_mid, beta_mid) = (0.5 * (alpha_low + alpha_high), 0.5 * (beta_low + beta_high));
    let (alpha_out, beta_out) = (
        0.16 * (alpha_high - alpha_low),
        0.16 * (beta_high - beta_low),
    );
    let nearer = |first: (f64, f64, f64), second: (f64, f64, f64)| {
        let depth = |p: (f64, f64, f64)| coordinates.projected_depth(&p.0, &p.1, &p.2);
        if depth(first) <= depth(second) {
            first
        } else {
            second
        }
    };
    let alpha_at = nearer(
        (alpha_mid, floor, beta_low - beta_out),
        (alpha_mid, floor, beta_high + beta_out),
    );
    let beta_at = nearer(
        (alpha_low - alpha_out, floor, beta_mid),
        (alpha_high + alpha_out, floor, beta_mid),
    );
    area.draw_text("α", &label, coordinates.translate(&alpha_at))
        .map_err(render_error)?;
    area.draw_text("β", &label, coordinates.translate(&beta_at))
        .map_err(render_error)?;
    let caption = if log {
        "height: log₁₀ loss"
    } else {
        "height: loss"
    };
    let muted = theme
        .font(12.0, theme.muted_text())
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw_text(
        caption,
        &muted,
        (theme.px(12.0), height_px as i32 - theme.px(10.0)),
    )
    .map_err(render_error)
}

/// The path on the surface: each point lifted to the interpolated loss under it.
fn draw_path_3d<DB: DrawingBackend>(
    chart: &plotters::chart::ChartContext<
        '_,
        DB,
        plotters::coord::cartesian::Cartesian3d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    view: &Surface3dView,
    grid: &Grid,
    levels: &Levels,
) -> Result<()> {
    let theme = view.theme;
    let surface = view.surface;
    let (alphas, betas) = (&surface.alphas, &surface.betas);
    let to_grid = |value: f64, axis: &[f64]| {
        let (low, high) = (axis[0], axis[axis.len() - 1]);
        (value - low) / (high - low) * (axis.len() - 1) as f64
    };
    let lifted = |&(alpha, beta): &(f64, f64)| -> Option<(f64, f64, f64)> {
        let inside = (alphas[0]..=alphas[alphas.len() - 1]).contains(&alpha)
            && (betas[0]..=betas[betas.len() - 1]).contains(&beta);
        if !inside {
            return None;
        }
        let loss = grid.interpolate(to_grid(alpha, alphas), to_grid(beta, betas))?;
        Some((alpha, height(levels, loss), beta))
    };

    let outline = RGBAColor(0x10, 0x10, 0x14, 0.8);
    let white = RGBColor(255, 255, 255);
    let mut piece: Vec<(f64, f64, f64)> = Vec::new();
    let mut pieces = Vec::new();
    for point in view.path {
        match lifted(point) {
            Some(lifted) => piece.push(lifted),
            None if piece.len() >= 2 => pieces.push(std::mem::take(&mut piece)),
            None => piece.clear(),
        }
    }
    if piece.len() >= 2 {
        pieces.push(piece);
    }
    let area = chart.plotting_area();
    for piece in &pieces {
        area.draw(&PathElement::new(
            piece.clone(),
            outline.stroke_width(theme.stroke(4.5)),
        ))
        .map_err(render_error)?;
        area.draw(&PathElement::new(
            piece.clone(),
            white.stroke_width(theme.stroke(2.0)),
        ))
        .map_err(render_error)?;
    }
    let radius = theme.stroke(5.0);
    if let Some(start) = view.path.first().and_then(lifted) {
        area.draw(&Circle::new(
            start,
            radius,
            outline.stroke_width(theme.stroke(4.0)),
        ))
        .map_err(render_error)?;
        area.draw(&Circle::new(
            start,
            radius,
            white.stroke_width(theme.stroke(2.0)),
        ))
        .map_err(render_error)?;
    }
    if let Some(current) = view.path.last().and_then(lifted) {
        area.draw(&Circle::new(
            current,
            radius + theme.stroke(1.5),
            white.filled(),
        ))
        .map_err(render_error)?;
        area.draw(&Circle::new(current, radius, CURRENT_COLOR.filled()))
            .map_err(render_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::colormap::luminance;
    use crate::render::test_backend::PixelBuffer;
    use plotters::prelude::IntoDrawingArea;

    /// A bowl α² + β² + 0.1 on [−1, 1]², all rows done.
    fn bowl() -> Surface {
        let axis = crate::landscape::surface::grid(1.0, 15);
        let loss = axis
            .iter()
            .flat_map(|beta| {
                axis.iter()
                    .map(move |alpha| alpha * alpha + beta * beta + 0.1)
            })
            .collect();
        Surface {
            alphas: axis.clone(),
            betas: axis,
            loss,
            rows_done: 15,
            center_loss: 0.1,
            non_finite_count: 0,
        }
    }

    fn view<'a>(surface: &'a Surface, path: &'a [(f64, f64)]) -> Surface3dView<'a> {
        Surface3dView {
            surface,
            path,
            title: "bowl",
            theme: Theme::default(),
            scale: ScaleChoice::Linear,
            yaw: DEFAULT_YAW,
            pitch: DEFAULT_PITCH,
            mesh: true,
        }
    }

    /// Every cell is painted with viridis at its mean loss, so the darkest viridis end
    /// (the floor) and the bright end (the rim) both appear, and the current point is
    /// vermillion.
    #[test]
    fn surface_spans_the_colour_map_and_shows_the_current_point() {
        let surface = bowl();
        let path = [(-0.6, -0.6), (-0.3, -0.2), (0.0, 0.0)];
        let (backend, image) = PixelBuffer::new(420, 380);
        draw_surface_3d(&backend.into_drawing_area(), &view(&surface, &path)).unwrap();
        let image = image.borrow();
        let colours: Vec<RGBColor> = image
            .pixels
            .iter()
            .map(|p| RGBColor(p[0], p[1], p[2]))
            .collect();
        let darkest_cell = luminance(viridis(0.15));
        let dark = colours
            .iter()
            .filter(|c| luminance(**c) < darkest_cell)
            .count();
        let bright = colours
            .iter()
            .filter(|c| c.0 > 150 && c.1 > 180 && c.2 < 120)
            .count();
        assert!(dark > 50, "the floor is dark purple ({dark} pixels)");
        assert!(bright > 50, "the rim is yellow-green ({bright} pixels)");
        let vermillion = colours.iter().filter(|c| **c == CURRENT_COLOR).count();
        assert!(
            vermillion > 10,
            "the current point is drawn ({vermillion} pixels)"
        );
        assert!(image.texts.iter().any(|t| t == "α") && image.texts.iter().any(|t| t == "β"));
    }

    /// Turning the view by half a circle moves the picture: the same surface drawn at
    /// another yaw gives other pixels.
    #[test]
    fn yaw_rotates_the_picture() {
        let surface = bowl();
        let draw = |yaw: f64| {
            let (backend, image) = PixelBuffer::new(300, 260);
            let mut rotated = view(&surface, &[]);
            rotated.yaw = yaw;
            draw_surface_3d(&backend.into_drawing_area(), &rotated).unwrap();
            let pixels = image.borrow().pixels.clone();
            pixels
        };
        assert_ne!(draw(0.3), draw(1.3), "a different yaw draws differently");
    }

    #[test]
    fn an_empty_surface_says_so() {
        let mut surface = bowl();
        surface.rows_done = 0;
        let (backend, image) = PixelBuffer::new(300, 260);
        draw_surface_3d(&backend.into_drawing_area(), &view(&surface, &[])).unwrap();
        assert!(image.borrow().texts.iter().any(|t| t.contains("computing")));
    }
}
