//! The loss map: filled contours of a [`Surface`] with iso-lines, the optimizer path
//! projected onto the plane, α and β axes and a colour bar.
//!
//! Drawing is split in two so a page can cache the expensive part: [`draw_landscape_base`]
//! paints everything that depends on the surface only, [`draw_landscape_overlay`] paints
//! the path and the markers, which move with every update. Both derive the same
//! [`LandscapeLayout`] from the area's size, so the overlay lands on the base exactly.
//! [`draw_landscape`] does both. The `_with` variants take a [`BandFill`]: the page puts
//! the filled contours on its canvas as one image, files draw them as rectangles.

mod colour_bar;
mod layout;
mod path;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

pub use layout::{LandscapeLayout, PixelRect};

use self::colour_bar::draw_colour_bar;
use self::layout::PlaneToPixels;
use self::path::{draw_inset, draw_path, inset_zoom};
pub use super::fill::BandFill;

use super::fill::{draw_bands, Grid};
use super::isolines::iso_lines;
use super::levels::{Levels, ScaleChoice};
use super::render_error;
use super::text::{centred, draw_notice, draw_title};
use super::theme::Theme;
use super::ticks::{format_tick, nice_ticks};
use crate::error::Result;
use crate::landscape::Surface;

/// The default title of the map.
pub const DEFAULT_TITLE: &str = "Loss around the current weights (filter-normalized random plane)";

/// The current point: Okabe–Ito vermillion, distinct from every viridis colour.
const CURRENT_COLOR: RGBColor = RGBColor(0xd5, 0x5e, 0x00);

/// Everything the map shows.
#[derive(Clone, Copy, Debug)]
pub struct LandscapeView<'a> {
    pub surface: &'a Surface,
    /// The optimizer path in (α, β) coordinates of the surface's plane, oldest first.
    pub path: &'a [(f64, f64)],
    /// The current weights in (α, β), drawn as a filled dot.
    pub current: Option<(f64, f64)>,
    pub title: &'a str,
    pub theme: Theme,
    /// Linear, log, or chosen from the data.
    pub scale: ScaleChoice,
    /// The loss range the colours span; `None` spans this surface's finite values. Two
    /// maps given the same range share one colour scale (flat versus sharp).
    pub colour_range: Option<(f64, f64)>,
}

/// The colour levels of a view: from its colour range when given, else from the finished
/// rows of its surface; `None` when there is no finite value.
pub fn view_levels(view: &LandscapeView) -> Option<Levels> {
    match view.colour_range {
        Some((low, high)) if low.is_finite() && high.is_finite() && low <= high => {
            Levels::pick(&[low, high], view.scale)
        }
        _ => Levels::pick(finished_values(view.surface), view.scale),
    }
}

/// The lowest finished grid point as (α, β, loss), `None` without finite values.
pub fn surface_minimum(surface: &Surface) -> Option<(f64, f64, f64)> {
    let columns = surface.alphas.len();
    if columns == 0 {
        return None;
    }
    let (index, loss) = finished_values(surface)
        .iter()
        .enumerate()
        .filter(|(_, value)| value.is_finite())
        .min_by(|a, b| a.1.total_cmp(b.1))?;
    let alpha = *surface.alphas.get(index % columns)?;
    let beta = *surface.betas.get(index / columns)?;
    Some((alpha, beta, *loss))
}

/// The loss at plane point (α, β) by bilinear interpolation of the grid, as the filled
/// contours show it; `None` outside the grid or next to a missing value.
pub fn value_at(surface: &Surface, alpha: f64, beta: f64) -> Option<f64> {
    let grid = surface_grid(surface)?;
    let (alpha_low, alpha_high) = layout::axis_range(&surface.alphas);
    let (beta_low, beta_high) = layout::axis_range(&surface.betas);
    let inside =
        (alpha_low..=alpha_high).contains(&alpha) && (beta_low..=beta_high).contains(&beta);
    if !inside || grid.columns < 2 || grid.rows < 2 {
        return None;
    }
    let column = (alpha - alpha_low) / (alpha_high - alpha_low) * (grid.columns - 1) as f64;
    let row = (beta - beta_low) / (beta_high - beta_low) * (grid.rows - 1) as f64;
    grid.interpolate(column, row)
}

/// The plane point (α, β) under device pixel (x, y) of a map drawn on a `width` ×
/// `height` area, `None` outside the plot. The page's hover readout uses it.
pub fn plane_point_at(
    width: u32,
    height: u32,
    theme: &Theme,
    surface: &Surface,
    x: f64,
    y: f64,
) -> Option<(f64, f64)> {
    let layout = LandscapeLayout::new(width, height, theme)?;
    let plot = layout.plot;
    let inside = x >= f64::from(plot.left)
        && x <= f64::from(plot.right())
        && y >= f64::from(plot.top)
        && y <= f64::from(plot.bottom());
    inside.then(|| PlaneToPixels::new(plot, surface).plane(x, y))
}

/// The surface's values as a [`Grid`], or `None` when its sizes do not fit together.
fn surface_grid(surface: &Surface) -> Option<Grid<'_>> {
    let columns = surface.alphas.len();
    let rows = surface.betas.len();
    if columns * rows != surface.loss.len() {
        log::warn!(
            "surface has {} values for a {columns} × {rows} grid; drawn as no data",
            surface.loss.len()
        );
        return None;
    }
    Some(Grid {
        values: &surface.loss,
        columns,
        rows,
        rows_done: surface.rows_done,
    })
}

/// The finished rows' values, from which the levels are picked.
fn finished_values(surface: &Surface) -> &[f64] {
    let done = (surface.rows_done * surface.alphas.len()).min(surface.loss.len());
    &surface.loss[..done]
}

/// Draws the whole map: [`draw_landscape_base`] then [`draw_landscape_overlay`].
pub fn draw_landscape<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
) -> Result<()> {
    draw_landscape_with(area, view, BandFill::Rectangles)
}

/// [`draw_landscape`] with the filled contours painted the way `fill` chooses.
pub fn draw_landscape_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
    fill: BandFill,
) -> Result<()> {
    draw_landscape_base_with(area, view, fill)?;
    draw_landscape_overlay(area, view)
}

/// Draws the background, title, filled contours, iso-lines, axes and colour bar.
pub fn draw_landscape_base<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
) -> Result<()> {
    draw_landscape_base_with(area, view, BandFill::Rectangles)
}

/// [`draw_landscape_base`] with the filled contours painted the way `fill` chooses.
pub fn draw_landscape_base_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
    fill: BandFill,
) -> Result<()> {
    let theme = &view.theme;
    area.fill(&theme.background()).map_err(render_error)?;
    let (width, height) = area.dim_in_pixel();
    let Some(layout) = LandscapeLayout::new(width, height, theme) else {
        let style = centred(theme.font(12.0, theme.muted_text()));
        let middle = (width as i32 / 2, height as i32 / 2);
        return area
            .draw_text("too small for the map", &style, middle)
            .map_err(render_error);
    };

    draw_title(area, view.title, &layout, theme)?;

    let surface = view.surface;
    let levels = view_levels(view);
    let plot = layout.plot;
    let plot_area = area
        .clone()
        .shrink((plot.left, plot.top), (plot.width, plot.height));
    match (surface_grid(surface), &levels) {
        (Some(grid), Some(levels)) => {
            draw_bands(&plot_area, &grid, levels, theme, fill)?;
            draw_iso_lines(&plot_area, &grid, levels)?;
        }
        _ => plot_area.fill(&theme.no_data()).map_err(render_error)?,
    }

    let frame = Rectangle::new(
        [(plot.left, plot.top), (plot.right(), plot.bottom())],
        theme.axis().stroke_width(theme.stroke(1.0)),
    );
    area.draw(&frame).map_err(render_error)?;
    draw_axes(area, &PlaneToPixels::new(plot, surface), theme)?;
    draw_colour_bar(area, levels.as_ref(), &layout, theme)?;

    // Tell the reader why the map is plain, if it is.
    let notice = match &levels {
        None if surface.rows_done == 0 => Some("computing the first surface…".to_string()),
        None => Some("no finite loss on this plane: the weights have diverged".to_string()),
        Some(levels) => levels.notice.clone(),
    };
    if let Some(notice) = notice {
        draw_notice(area, &notice, &plot, theme)?;
    }
    Ok(())
}

/// Draws the optimizer path (clipped to the plot), its start and the current point.
pub fn draw_landscape_overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
) -> Result<()> {
    let theme = &view.theme;
    let (width, height) = area.dim_in_pixel();
    let Some(layout) = LandscapeLayout::new(width, height, theme) else {
        return Ok(());
    };
    let mapping = PlaneToPixels::new(layout.plot, view.surface);
    if let Some((alpha, beta, _)) = surface_minimum(view.surface) {
        draw_minimum(area, mapping.rounded(alpha, beta), theme)?;
    }
    draw_path(area, view, &mapping, theme.stroke(5.5))?;

    if let Some(zoom) = inset_zoom(view, &mapping) {
        draw_inset(area, view, &mapping, zoom)?;
    }
    Ok(())
}

/// The lowest grid point: a white cross with a dark outline, drawn under the path.
fn draw_minimum<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    centre: (i32, i32),
    theme: &Theme,
) -> Result<()> {
    let arm = theme.px(6.0);
    let (x, y) = centre;
    let strokes = [
        (RGBAColor(0x10, 0x10, 0x14, 0.85), theme.stroke(4.5)),
        (RGBAColor(255, 255, 255, 1.0), theme.stroke(2.0)),
    ];
    for (color, width) in strokes {
        for (dx, dy) in [(arm, arm), (arm, -arm)] {
            let line = PathElement::new(
                vec![(x - dx, y - dy), (x + dx, y + dy)],
                color.stroke_width(width),
            );
            area.draw(&line).map_err(render_error)?;
        }
    }
    Ok(())
}

/// Thin dark iso-lines at the levels' thresholds, on the plot's own area.
fn draw_iso_lines<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    grid: &Grid,
    levels: &Levels,
) -> Result<()> {
    let (width, height) = plot_area.dim_in_pixel();
    let column_scale = f64::from(width) / grid.columns.saturating_sub(1).max(1) as f64;
    let row_scale = f64::from(height) / grid.rows.saturating_sub(1).max(1) as f64;
    let style = RGBAColor(0, 0, 0, 0.42).stroke_width(1);
    for line in iso_lines(grid, levels.thresholds()) {
        let pixels: Vec<(i32, i32)> = line
            .iter()
            .map(|&(column, row)| {
                let x = column * column_scale;
                let y = f64::from(height) - row * row_scale;
                (x.round() as i32, y.round() as i32)
            })
            .collect();
        plot_area
            .draw(&PathElement::new(pixels, style))
            .map_err(render_error)?;
    }
    Ok(())
}

/// Tick marks, numbers and the α and β labels around the plot.
fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mapping: &PlaneToPixels,
    theme: &Theme,
) -> Result<()> {
    let plot = mapping.plot;
    let tick_length = theme.px(5.0);
    let gap = theme.px(3.0);
    let axis = theme.axis().stroke_width(theme.stroke(1.0));
    let numbers = theme.font(12.0, theme.text());

    let (alpha_low, alpha_high) = mapping.alpha_range;
    for alpha in nice_ticks(alpha_low, alpha_high, 4) {
        let (x, _) = mapping.rounded(alpha, mapping.beta_range.0);
        let bottom = plot.bottom();
        let mark = PathElement::new(vec![(x, bottom), (x, bottom + tick_length)], axis);
        area.draw(&mark).map_err(render_error)?;
        let style = numbers.pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(&format_tick(alpha), &style, (x, bottom + tick_length + gap))
            .map_err(render_error)?;
    }

    let (beta_low, beta_high) = mapping.beta_range;
    for beta in nice_ticks(beta_low, beta_high, 4) {
        let (_, y) = mapping.rounded(mapping.alpha_range.0, beta);
        let left = plot.left;
        let mark = PathElement::new(vec![(left - tick_length, y), (left, y)], axis);
        area.draw(&mark).map_err(render_error)?;
        let style = numbers.pos(Pos::new(HPos::Right, VPos::Center));
        area.draw_text(&format_tick(beta), &style, (left - tick_length - gap, y))
            .map_err(render_error)?;
    }

    let label = centred(theme.font(15.0, theme.text()));
    let alpha_label_at = (plot.left + plot.width / 2, plot.bottom() + theme.px(34.0));
    area.draw_text("α", &label, alpha_label_at)
        .map_err(render_error)?;
    let beta_label_at = (plot.left - theme.px(42.0), plot.top + plot.height / 2);
    area.draw_text("β", &label, beta_label_at)
        .map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::path::{clip_path, clip_segment};
    use super::*;
    use crate::render::colormap::luminance;
    use crate::render::test_backend::PixelBuffer;
    use plotters::prelude::IntoDrawingArea;

    /// An n × n bowl α² + β² + 0.1 on [−1, 1]², with `rows_done` rows computed.
    fn bowl(resolution: usize, rows_done: usize) -> Surface {
        let axis = crate::landscape::surface::grid(1.0, resolution);
        let mut loss = vec![f64::NAN; resolution * resolution];
        for (j, beta) in axis.iter().enumerate().take(rows_done) {
            for (i, alpha) in axis.iter().enumerate() {
                loss[j * resolution + i] = alpha * alpha + beta * beta + 0.1;
            }
        }
        Surface {
            alphas: axis.clone(),
            betas: axis,
            loss,
            rows_done,
            center_loss: 0.1,
            non_finite_count: 0,
        }
    }

    fn view<'a>(surface: &'a Surface, path: &'a [(f64, f64)]) -> LandscapeView<'a> {
        LandscapeView {
            surface,
            path,
            current: path.last().copied(),
            title: DEFAULT_TITLE,
            theme: Theme::default(),
            scale: ScaleChoice::Auto,
            colour_range: None,
        }
    }

    fn rgb(color: [u8; 3]) -> RGBColor {
        RGBColor(color[0], color[1], color[2])
    }

    #[test]
    fn bowl_is_dark_in_the_middle_and_bright_at_the_corners() {
        let surface = bowl(21, 21);
        let (backend, image) = PixelBuffer::new(480, 400);
        let area = backend.into_drawing_area();
        draw_landscape(&area, &view(&surface, &[])).unwrap();

        let layout = LandscapeLayout::new(480, 400, &Theme::default()).unwrap();
        let plot = layout.plot;
        let image = image.borrow();
        // Off the exact centre (where the minimum's cross is) and the corner, away from
        // iso-lines and frame.
        let centre = rgb(image.at(plot.left + plot.width / 2 + 10, plot.top + plot.height / 2));
        let corner = rgb(image.at(plot.left + 3, plot.top + 3));
        assert_ne!(centre, corner, "a bowl must not be drawn in one colour");
        assert!(
            luminance(centre) < luminance(corner),
            "low loss (centre) is darker than high loss (corner): {centre:?} vs {corner:?}"
        );
        assert!(
            image.texts.iter().any(|text| text == "α"),
            "α axis is labelled"
        );
        assert!(
            image.texts.iter().any(|text| text == "β"),
            "β axis is labelled"
        );
        assert!(image
            .texts
            .iter()
            .any(|text| text == "log scale" || text == "linear scale"));
    }

    #[test]
    fn the_image_fill_draws_the_same_map_as_rectangles() {
        // A bowl with a hole and two rows still to come, on a 2× theme, so that no data,
        // iso-lines, path and labels all lie over the filled bands.
        let mut surface = bowl(21, 19);
        surface.loss[5 * 21 + 7] = f64::NAN;
        let path = [(-0.8, -0.6), (-0.4, -0.2), (0.0, 0.0)];
        let mut map = view(&surface, &path);
        map.theme = Theme::new(2.0, false);
        let (width, height) = (700, 620);

        let (backend, rectangles) = PixelBuffer::new(width, height);
        draw_landscape(&backend.into_drawing_area(), &map).unwrap();

        let (backend, image) = PixelBuffer::new(width, height);
        let mut puts = Vec::new();
        let mut paint = |(left, top): (i32, i32), (w, h): (u32, u32), rgba: &[u8]| {
            puts.push((left, top, w, h));
            let mut target = image.borrow_mut();
            for (index, pixel) in rgba.chunks_exact(4).enumerate() {
                let (x, y) = (
                    left as u32 + index as u32 % w,
                    top as u32 + index as u32 / w,
                );
                let at = (y * target.width + x) as usize;
                target.pixels[at] = [pixel[0], pixel[1], pixel[2]];
            }
            Ok(())
        };
        draw_landscape_with(
            &backend.into_drawing_area(),
            &map,
            BandFill::Image(&mut paint),
        )
        .unwrap();

        let plot = LandscapeLayout::new(width, height, &map.theme)
            .unwrap()
            .plot;
        assert_eq!(
            puts,
            [(plot.left, plot.top, plot.width as u32, plot.height as u32)],
            "one image covering the plot"
        );
        let (rectangles, image) = (rectangles.borrow(), image.borrow());
        let differing = (0..rectangles.pixels.len())
            .filter(|&index| rectangles.pixels[index] != image.pixels[index])
            .count();
        assert_eq!(differing, 0, "pixels that differ between the two fills");
        assert_eq!(rectangles.texts, image.texts, "the same labels");
    }

    #[test]
    fn unfinished_rows_are_grey_and_the_notice_explains_an_empty_map() {
        let surface = bowl(11, 5);
        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &[])).unwrap();
        let plot = LandscapeLayout::new(480, 400, &Theme::default())
            .unwrap()
            .plot;
        let top_left = image.borrow().at(plot.left + 3, plot.top + 3);
        assert_eq!(
            rgb(top_left),
            Theme::default().no_data(),
            "β = 1 is not computed yet"
        );

        let empty = bowl(11, 0);
        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&empty, &[])).unwrap();
        let texts = &image.borrow().texts;
        assert!(
            texts.iter().any(|text| text.contains("computing")),
            "{texts:?}"
        );
    }

    #[test]
    fn path_and_current_point_are_drawn_where_they_belong() {
        let surface = bowl(21, 21);
        let path = [(-0.8, -0.6), (-0.4, -0.2), (0.0, 0.0)];
        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &path)).unwrap();
        let layout = LandscapeLayout::new(480, 400, &Theme::default()).unwrap();
        let mapping = PlaneToPixels::new(layout.plot, &surface);
        let image = image.borrow();

        let (x, y) = mapping.rounded(0.0, 0.0);
        assert_eq!(
            rgb(image.at(x, y)),
            CURRENT_COLOR,
            "the current point is vermillion"
        );
        let (x, y) = mapping.rounded(-0.6, -0.4);
        assert_eq!(
            image.at(x, y),
            [255, 255, 255],
            "the path is white mid-segment"
        );
    }

    #[test]
    fn the_lowest_grid_point_is_marked_and_found() {
        // The bowl's minimum moved to (0.5, −0.5): (α − 0.5)² + (β + 0.5)².
        let mut surface = bowl(21, 21);
        for (j, beta) in surface.betas.clone().iter().enumerate() {
            for (i, alpha) in surface.alphas.clone().iter().enumerate() {
                surface.loss[j * 21 + i] = (alpha - 0.5).powi(2) + (beta + 0.5).powi(2);
            }
        }
        let (alpha, beta, loss) = surface_minimum(&surface).unwrap();
        assert!((alpha - 0.5).abs() < 1e-12 && (beta + 0.5).abs() < 1e-12 && loss < 1e-20);

        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &[])).unwrap();
        let layout = LandscapeLayout::new(480, 400, &Theme::default()).unwrap();
        let mapping = PlaneToPixels::new(layout.plot, &surface);
        let (x, y) = mapping.rounded(0.5, -0.5);
        assert_eq!(
            image.borrow().at(x, y),
            [255, 255, 255],
            "the white cross sits on the minimum"
        );
    }

    #[test]
    fn pixels_map_back_to_the_plane() {
        let surface = bowl(21, 21);
        let theme = Theme::default();
        let layout = LandscapeLayout::new(480, 400, &theme).unwrap();
        let mapping = PlaneToPixels::new(layout.plot, &surface);
        let (x, y) = mapping.pixel(0.25, -0.75);
        let (alpha, beta) = plane_point_at(480, 400, &theme, &surface, x, y).unwrap();
        assert!(
            (alpha - 0.25).abs() < 1e-9 && (beta + 0.75).abs() < 1e-9,
            "the readout inverts the drawing map: ({alpha}, {beta})"
        );
        assert_eq!(
            plane_point_at(480, 400, &theme, &surface, 1.0, 1.0),
            None,
            "outside the plot there is no plane point"
        );
    }

    #[test]
    fn clipping_keeps_only_the_visible_part() {
        let inside = clip_segment((0.0, 0.0), (0.5, 0.5), (-1.0, 1.0), (-1.0, 1.0));
        assert_eq!(
            inside,
            Some(((0.0, 0.0), (0.5, 0.5))),
            "inside is untouched"
        );
        let crossing = clip_segment((0.0, 0.0), (2.0, 0.0), (-1.0, 1.0), (-1.0, 1.0));
        assert_eq!(
            crossing,
            Some(((0.0, 0.0), (1.0, 0.0))),
            "ends on the border"
        );
        let outside = clip_segment((2.0, 2.0), (3.0, 2.0), (-1.0, 1.0), (-1.0, 1.0));
        assert_eq!(outside, None);

        let surface = bowl(5, 5);
        let layout = LandscapeLayout::new(480, 400, &Theme::default()).unwrap();
        let mapping = PlaneToPixels::new(layout.plot, &surface);
        let path = [
            (0.0, 0.0),
            (5.0, 0.0),
            (5.0, 0.5),
            (0.5, 0.5),
            (f64::NAN, 0.0),
            (0.1, 0.1),
        ];
        let pieces = clip_path(&path, &mapping);
        assert_eq!(
            pieces.len(),
            2,
            "leaving the plot and coming back makes two pieces"
        );
    }

    #[test]
    fn a_short_path_gets_a_magnified_inset() {
        let surface = bowl(21, 21);
        let path = [(-0.012, -0.006), (-0.006, -0.002), (0.0, 0.0)];
        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &path)).unwrap();
        let texts = &image.borrow().texts;
        assert!(
            texts
                .iter()
                .any(|text| text.starts_with("path") && text.ends_with("×50")),
            "0.8 / 0.012 ≈ 67 rounds down to ×50: {texts:?}"
        );

        let long = [(-0.5, -0.5), (0.0, 0.0)];
        let (backend, image) = PixelBuffer::new(480, 400);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &long)).unwrap();
        let texts = &image.borrow().texts;
        assert!(
            !texts.iter().any(|text| text.contains("magnified")),
            "visible as it is"
        );
    }

    #[test]
    fn tiny_areas_get_a_message_not_a_panic() {
        let surface = bowl(5, 5);
        let (backend, image) = PixelBuffer::new(40, 30);
        draw_landscape(&backend.into_drawing_area(), &view(&surface, &[(0.0, 0.0)])).unwrap();
        assert!(image
            .borrow()
            .texts
            .iter()
            .any(|text| text.contains("too small")));
    }
}
