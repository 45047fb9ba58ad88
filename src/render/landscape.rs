//! The loss map: filled contours of a [`Surface`] with iso-lines, the optimizer path
//! projected onto the plane, α and β axes and a colour bar.
//!
//! Drawing is split in two so a page can cache the expensive part: [`draw_landscape_base`]
//! paints everything that depends on the surface only, [`draw_landscape_overlay`] paints
//! the path and the markers, which move with every update. Both derive the same
//! [`LandscapeLayout`] from the area's size, so the overlay lands on the base exactly.
//! [`draw_landscape`] does both.

use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor, TextStyle};

use super::fill::{band_runs, draw_runs, Grid};
use super::isolines::iso_lines;
use super::levels::{Levels, ScaleChoice};
use super::render_error;
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
}

/// A rectangle in device pixels of the drawing area: columns `left..left + width`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub left: i32,
    pub top: i32,
    pub width: i32,
    pub height: i32,
}

impl PixelRect {
    /// The first column past the rectangle.
    pub fn right(&self) -> i32 {
        self.left + self.width
    }

    /// The first row below the rectangle.
    pub fn bottom(&self) -> i32 {
        self.top + self.height
    }

    /// Whether pixel (x, y) lies inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        (self.left..self.right()).contains(&x) && (self.top..self.bottom()).contains(&y)
    }
}

/// Where the parts of the map go in an area of a given size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LandscapeLayout {
    /// The square plot of the surface.
    pub plot: PixelRect,
    /// The colour bar right of the plot.
    pub bar: PixelRect,
    /// The baseline centre of the title.
    pub title_center: (i32, i32),
    /// The title's size in device pixels.
    pub title_px: i32,
}

impl LandscapeLayout {
    /// The layout for an area of `width` × `height` device pixels, or `None` when the
    /// area is too small for a readable map.
    pub fn new(width: u32, height: u32, theme: &Theme) -> Option<LandscapeLayout> {
        let (width, height) = (width as i32, height as i32);
        let margin = theme.px(10.0);
        let title_band = theme.px(34.0);
        let left_labels = theme.px(50.0);
        let bottom_labels = theme.px(50.0);
        let bar_gap = theme.px(16.0);
        let bar_width = theme.px(16.0);
        let bar_labels = theme.px(56.0);
        let right_part = bar_gap + bar_width + bar_labels;

        let side_by_width = width - 2 * margin - left_labels - right_part;
        let side_by_height = height - title_band - bottom_labels - margin;
        let side = side_by_width.min(side_by_height);
        if side < theme.px(60.0) {
            return None;
        }

        // Centre the block of labels, plot and bar horizontally.
        let block_width = left_labels + side + right_part;
        let block_left = (width - block_width) / 2;
        let plot = PixelRect {
            left: block_left + left_labels,
            top: title_band,
            width: side,
            height: side,
        };
        let bar = PixelRect {
            left: plot.right() + bar_gap,
            top: plot.top,
            width: bar_width,
            height: side,
        };
        Some(LandscapeLayout {
            plot,
            bar,
            title_center: (width / 2, title_band / 2),
            title_px: theme.px(15.0),
        })
    }
}

/// Maps plane coordinates to device pixels of the plot.
#[derive(Clone, Copy, Debug)]
struct PlaneToPixels {
    plot: PixelRect,
    alpha_range: (f64, f64),
    beta_range: (f64, f64),
}

impl PlaneToPixels {
    fn new(plot: PixelRect, surface: &Surface) -> PlaneToPixels {
        PlaneToPixels {
            plot,
            alpha_range: axis_range(&surface.alphas),
            beta_range: axis_range(&surface.betas),
        }
    }

    /// (α, β) as fractional device pixels; β grows upwards.
    fn pixel(&self, alpha: f64, beta: f64) -> (f64, f64) {
        let (alpha_low, alpha_high) = self.alpha_range;
        let (beta_low, beta_high) = self.beta_range;
        let x = f64::from(self.plot.left)
            + (alpha - alpha_low) / (alpha_high - alpha_low) * f64::from(self.plot.width);
        let y = f64::from(self.plot.top)
            + (beta_high - beta) / (beta_high - beta_low) * f64::from(self.plot.height);
        (x, y)
    }

    fn rounded(&self, alpha: f64, beta: f64) -> (i32, i32) {
        let (x, y) = self.pixel(alpha, beta);
        (x.round() as i32, y.round() as i32)
    }

    /// The middle of the plotted range (the map's centre weights on a symmetric grid).
    fn centre(&self) -> (f64, f64) {
        (
            0.5 * (self.alpha_range.0 + self.alpha_range.1),
            0.5 * (self.beta_range.0 + self.beta_range.1),
        )
    }

    /// Half the plotted width in plane units (r on a grid over [−r, r]).
    fn half_width(&self) -> f64 {
        0.5 * (self.alpha_range.1 - self.alpha_range.0)
    }

    fn inside(&self, alpha: f64, beta: f64) -> bool {
        let tolerance = 1e-12;
        (self.alpha_range.0 - tolerance..=self.alpha_range.1 + tolerance).contains(&alpha)
            && (self.beta_range.0 - tolerance..=self.beta_range.1 + tolerance).contains(&beta)
    }
}

/// First and last grid coordinate, or [−1, 1] for a degenerate axis.
fn axis_range(coordinates: &[f64]) -> (f64, f64) {
    match (coordinates.first(), coordinates.last()) {
        (Some(&low), Some(&high)) if low.is_finite() && high.is_finite() && high > low => {
            (low, high)
        }
        _ => (-1.0, 1.0),
    }
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
    draw_landscape_base(area, view)?;
    draw_landscape_overlay(area, view)
}

/// Draws the background, title, filled contours, iso-lines, axes and colour bar.
pub fn draw_landscape_base<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
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
    let levels = Levels::pick(finished_values(surface), view.scale);
    let plot = layout.plot;
    let plot_area = area
        .clone()
        .shrink((plot.left, plot.top), (plot.width, plot.height));
    match (surface_grid(surface), &levels) {
        (Some(grid), Some(levels)) => {
            let runs = band_runs(&grid, levels, plot.width, plot.height);
            draw_runs(&plot_area, &runs, levels, theme)?;
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
    draw_path(area, view, &mapping, theme.stroke(5.5))?;

    if let Some(zoom) = inset_zoom(view, &mapping) {
        draw_inset(area, view, &mapping, zoom)?;
    }
    Ok(())
}

/// The path with its start (hollow ring) and the current point (filled dot), clipped to
/// `mapping`'s rectangle.
fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
    mapping: &PlaneToPixels,
    radius: u32,
) -> Result<()> {
    let theme = &view.theme;
    let outline = RGBAColor(0x10, 0x10, 0x14, 0.8);
    let white = RGBColor(255, 255, 255);
    for piece in clip_path(view.path, mapping) {
        let pixels: Vec<(i32, i32)> = piece
            .iter()
            .map(|&(alpha, beta)| mapping.rounded(alpha, beta))
            .collect();
        let dark = PathElement::new(pixels.clone(), outline.stroke_width(theme.stroke(4.5)));
        let light = PathElement::new(pixels, white.stroke_width(theme.stroke(2.0)));
        area.draw(&dark).map_err(render_error)?;
        area.draw(&light).map_err(render_error)?;
    }

    if let Some(&(alpha, beta)) = view.path.first() {
        if mapping.inside(alpha, beta) {
            let centre = mapping.rounded(alpha, beta);
            let ring = Circle::new(centre, radius, outline.stroke_width(theme.stroke(4.0)));
            let hollow = Circle::new(centre, radius, white.stroke_width(theme.stroke(2.0)));
            area.draw(&ring).map_err(render_error)?;
            area.draw(&hollow).map_err(render_error)?;
        }
    }
    if let Some((alpha, beta)) = view.current {
        if mapping.inside(alpha, beta) {
            let centre = mapping.rounded(alpha, beta);
            let border = Circle::new(centre, radius + theme.stroke(1.5), white.filled());
            let dot = Circle::new(centre, radius, CURRENT_COLOR.filled());
            area.draw(&border).map_err(render_error)?;
            area.draw(&dot).map_err(render_error)?;
        }
    }
    Ok(())
}

/// Paths shorter than this fraction of the plot's half-width get a magnified inset.
const INSET_BELOW_FRACTION: f64 = 0.08;

/// The inset's side as a fraction of the plot's.
const INSET_SIDE_FRACTION: f64 = 0.34;

/// How much to magnify the path in the inset, or `None` when it is visible as it is.
///
/// Two random directions in a space of hundreds of weights are almost perpendicular to
/// the way training moves (Li et al. 2018, §7), so on a random plane the path often
/// spans a few pixels; the inset shows its shape. The factor is a 1-2-5 number so it
/// reads as a scale.
fn inset_zoom(view: &LandscapeView, mapping: &PlaneToPixels) -> Option<f64> {
    let centre = mapping.centre();
    let half_width = mapping.half_width();
    let extent = view
        .path
        .iter()
        .chain(view.current.iter())
        .filter(|(alpha, beta)| alpha.is_finite() && beta.is_finite())
        .map(|(alpha, beta)| (alpha - centre.0).abs().max((beta - centre.1).abs()))
        .fold(0.0_f64, f64::max);
    if view.path.len() < 2 || extent <= 0.0 || extent >= INSET_BELOW_FRACTION * half_width {
        return None;
    }
    // The path should fill about 80 % of the inset's half-width.
    let raw = 0.8 * half_width / extent;
    let power = 10f64.powf(raw.log10().floor());
    let zoom = [5.0, 2.0, 1.0]
        .iter()
        .map(|factor| factor * power)
        .find(|&zoom| zoom <= raw)
        .unwrap_or(power);
    (zoom > 1.0).then_some(zoom)
}

/// A magnified view of the plot's centre in its lower-right corner, with the path.
fn draw_inset<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LandscapeView,
    mapping: &PlaneToPixels,
    zoom: f64,
) -> Result<()> {
    let theme = &view.theme;
    let plot = mapping.plot;
    let side = (f64::from(plot.width) * INSET_SIDE_FRACTION).round() as i32;
    let margin = theme.px(8.0);
    let rect = PixelRect {
        left: plot.right() - margin - side,
        top: plot.bottom() - margin - side,
        width: side,
        height: side,
    };
    let (centre_alpha, centre_beta) = mapping.centre();
    let half = mapping.half_width() / zoom;
    let inset = PlaneToPixels {
        plot: rect,
        alpha_range: (centre_alpha - half, centre_alpha + half),
        beta_range: (centre_beta - half, centre_beta + half),
    };

    let corners = [(rect.left, rect.top), (rect.right(), rect.bottom())];
    let background = Rectangle::new(corners, RGBAColor(0x14, 0x15, 0x1a, 0.78).filled());
    let border = Rectangle::new(corners, RGBAColor(255, 255, 255, 0.7).stroke_width(1));
    area.draw(&background).map_err(render_error)?;
    area.draw(&border).map_err(render_error)?;

    // Cross-hairs through the map's centre, the weights the map was computed around.
    let (x, y) = inset.rounded(centre_alpha, centre_beta);
    let faint = RGBAColor(255, 255, 255, 0.28).stroke_width(1);
    let horizontal = PathElement::new(vec![(rect.left, y), (rect.right(), y)], faint);
    let vertical = PathElement::new(vec![(x, rect.top), (x, rect.bottom())], faint);
    area.draw(&horizontal).map_err(render_error)?;
    area.draw(&vertical).map_err(render_error)?;

    draw_path(area, view, &inset, theme.stroke(4.0))?;

    let padding = theme.px(5.0);
    let room = f64::from(side - 2 * padding);
    let long = format!("path, magnified ×{}", format_tick(zoom));
    let text = if text_width(area, &long, theme, false, 11.0)? <= room {
        long
    } else {
        format!("path ×{}", format_tick(zoom))
    };
    let label = theme
        .font(11.0, RGBColor(255, 255, 255))
        .pos(Pos::new(HPos::Left, VPos::Top));
    let at = (rect.left + padding, rect.top + theme.px(4.0));
    area.draw_text(&text, &label, at).map_err(render_error)
}

/// A text style anchored at its centre.
fn centred(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// The title, shrunk to fit narrow areas.
fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    layout: &LandscapeLayout,
    theme: &Theme,
) -> Result<()> {
    let available = f64::from(area.dim_in_pixel().0) - 2.0 * f64::from(theme.px(8.0));
    let largest = f64::from(layout.title_px) / theme.scale;
    let css_px = fitting_size(area, title, theme, true, available, largest, 9.0)?;
    let style = centred(theme.title_font(css_px));
    area.draw_text(title, &style, layout.title_center)
        .map_err(render_error)
}

/// Device pixels of text measured at, so that even long strings stay on one line while
/// measured (the browser measures in a box no wider than the window).
const MEASURE_DEVICE_PX: f64 = 8.0;

/// The width in device pixels of `text` at `css_px`, measured small and scaled, since text
/// width grows in proportion to font size.
fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    theme: &Theme,
    bold: bool,
    css_px: f64,
) -> Result<f64> {
    let reference_css_px = MEASURE_DEVICE_PX / theme.scale;
    let style = if bold {
        theme.title_font(reference_css_px)
    } else {
        theme.font(reference_css_px, theme.text())
    };
    let (width, _) = area
        .estimate_text_size(text, &style)
        .map_err(render_error)?;
    Ok(f64::from(width) * css_px * theme.scale / MEASURE_DEVICE_PX)
}

/// The largest size from `largest` down to `smallest` CSS pixels (in steps of 1) at which
/// `text` fits in `available` device pixels; `smallest` if none does.
fn fitting_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    theme: &Theme,
    bold: bool,
    available: f64,
    largest: f64,
    smallest: f64,
) -> Result<f64> {
    let width_at_largest = text_width(area, text, theme, bold, largest)?;
    if width_at_largest <= available || width_at_largest <= 0.0 {
        return Ok(largest);
    }
    let fitting = (largest * available / width_at_largest).floor();
    Ok(fitting.clamp(smallest, largest))
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

/// The colour bar: one block per band, sized by the band's share of the colour axis, with
/// the thresholds labelled and the scale named underneath.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    levels: Option<&Levels>,
    layout: &LandscapeLayout,
    theme: &Theme,
) -> Result<()> {
    let bar = layout.bar;
    let bottom = bar.bottom();
    let y_of = |position: f64| -> i32 {
        (f64::from(bottom) - position * f64::from(bar.height)).round() as i32
    };

    match levels {
        Some(levels) => {
            for band in 0..levels.band_count() {
                let top = y_of(levels.position(levels.edges[band + 1]));
                let lower = y_of(levels.position(levels.edges[band]));
                let (top, lower) = if levels.band_count() == 1 {
                    (bar.top, bottom)
                } else {
                    (top, lower)
                };
                let block = Rectangle::new(
                    [(bar.left, top), (bar.right(), lower)],
                    levels.band_color(band).filled(),
                );
                area.draw(&block).map_err(render_error)?;
            }
        }
        None => {
            let block = Rectangle::new(
                [(bar.left, bar.top), (bar.right(), bottom)],
                theme.no_data().filled(),
            );
            area.draw(&block).map_err(render_error)?;
        }
    }
    let frame = Rectangle::new(
        [(bar.left, bar.top), (bar.right(), bottom)],
        theme.axis().stroke_width(theme.stroke(1.0)),
    );
    area.draw(&frame).map_err(render_error)?;

    let numbers = theme
        .font(11.5, theme.text())
        .pos(Pos::new(HPos::Left, VPos::Center));
    let tick = theme.axis().stroke_width(theme.stroke(1.0));
    let min_spacing = theme.px(14.0);
    if let Some(levels) = levels {
        // Thresholds first; the ends of the range only when there are few thresholds.
        let mut labelled: Vec<f64> = levels.thresholds().to_vec();
        if labelled.len() < 3 {
            labelled.insert(0, levels.edges[0]);
            labelled.push(levels.edges[levels.edges.len() - 1]);
            labelled.dedup();
        }
        let mut last_label_y: Option<i32> = None;
        for value in labelled {
            let y = if levels.band_count() == 1 {
                bar.top + bar.height / 2
            } else {
                y_of(levels.position(value))
            };
            let mark = PathElement::new(
                vec![(bar.right(), y), (bar.right() + theme.px(4.0), y)],
                tick,
            );
            area.draw(&mark).map_err(render_error)?;
            if last_label_y.is_some_and(|last| (last - y).abs() < min_spacing) {
                continue;
            }
            area.draw_text(
                &format_tick(value),
                &numbers,
                (bar.right() + theme.px(7.0), y),
            )
            .map_err(render_error)?;
            last_label_y = Some(y);
        }
    }

    let caption = centred(theme.font(12.0, theme.text()));
    let muted = centred(theme.font(11.0, theme.muted_text()));
    let centre_x = bar.left + bar.width / 2;
    area.draw_text("loss", &caption, (centre_x, bottom + theme.px(16.0)))
        .map_err(render_error)?;
    let scale = levels.map_or("no data", Levels::scale_label);
    area.draw_text(scale, &muted, (centre_x, bottom + theme.px(31.0)))
        .map_err(render_error)
}

/// A short message in a box at the top of the plot.
fn draw_notice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notice: &str,
    plot: &PixelRect,
    theme: &Theme,
) -> Result<()> {
    let style = centred(theme.font(12.5, theme.text()));
    let (text_width, text_height) = area
        .estimate_text_size(notice, &style)
        .map_err(render_error)?;
    let padding = theme.px(6.0);
    // High in the plot, clear of the centre where the path and current point are.
    let centre = (plot.left + plot.width / 2, plot.top + plot.height / 5);
    let half_width = (text_width as i32 / 2 + padding).min(plot.width / 2);
    let half_height = text_height as i32 / 2 + padding;
    let box_shape = Rectangle::new(
        [
            (centre.0 - half_width, centre.1 - half_height),
            (centre.0 + half_width, centre.1 + half_height),
        ],
        theme.legend_background().filled(),
    );
    area.draw(&box_shape).map_err(render_error)?;
    area.draw_text(notice, &style, centre).map_err(render_error)
}

/// The path cut to the plot's range: the pieces that are visible, in plane coordinates.
/// Segments crossing the border end on it (Liang–Barsky clipping); non-finite points
/// break the path.
fn clip_path(path: &[(f64, f64)], mapping: &PlaneToPixels) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in path.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let finite = [from.0, from.1, to.0, to.1].iter().all(|v| v.is_finite());
        let clipped = if finite {
            clip_segment(from, to, mapping.alpha_range, mapping.beta_range)
        } else {
            None
        };
        match clipped {
            Some((start, end)) => {
                if current.last() != Some(&start) {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(start);
                }
                current.push(end);
            }
            None => {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

/// The part of the segment `from → to` inside the box, if any (Liang–Barsky).
fn clip_segment(
    from: (f64, f64),
    to: (f64, f64),
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let mut enter = 0.0_f64;
    let mut leave = 1.0_f64;
    let checks = [
        (-dx, from.0 - x_range.0),
        (dx, x_range.1 - from.0),
        (-dy, from.1 - y_range.0),
        (dy, y_range.1 - from.1),
    ];
    for (direction, distance) in checks {
        if direction == 0.0 {
            if distance < 0.0 {
                return None;
            }
            continue;
        }
        let t = distance / direction;
        if direction < 0.0 {
            enter = enter.max(t);
        } else {
            leave = leave.min(t);
        }
        if enter > leave {
            return None;
        }
    }
    let point = |t: f64| {
        if t == 0.0 {
            from
        } else if t == 1.0 {
            to
        } else {
            (from.0 + t * dx, from.1 + t * dy)
        }
    };
    Some((point(enter), point(leave)))
}

#[cfg(test)]
mod tests {
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
        // A few pixels off the exact centre and corner, away from iso-lines and frame.
        let centre = rgb(image.at(
            plot.left + plot.width / 2 + 2,
            plot.top + plot.height / 2 + 2,
        ));
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
