//! The optimizer path on the map: a white line with a dark outline, a ring at the start,
//! a filled dot at the current weights, clipped to the plot (Liang–Barsky), and a
//! magnified inset when the path is only a few pixels long.

use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

use super::layout::{PixelRect, PlaneToPixels};
use super::{LandscapeView, CURRENT_COLOR};
use crate::error::Result;
use crate::render::render_error;
use crate::render::text::text_width;
use crate::render::ticks::format_tick;

/// The path with its start (hollow ring) and the current point (filled dot), clipped to
/// `mapping`'s rectangle.
pub(crate) fn draw_path<DB: DrawingBackend>(
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
pub(crate) fn inset_zoom(view: &LandscapeView, mapping: &PlaneToPixels) -> Option<f64> {
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
pub(crate) fn draw_inset<DB: DrawingBackend>(
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

/// The path cut to the plot's range: the pieces that are visible, in plane coordinates.
/// Segments crossing the border end on it (Liang–Barsky clipping); non-finite points
/// break the path.
pub(crate) fn clip_path(path: &[(f64, f64)], mapping: &PlaneToPixels) -> Vec<Vec<(f64, f64)>> {
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
pub(crate) fn clip_segment(
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
