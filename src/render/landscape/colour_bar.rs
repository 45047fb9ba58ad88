//! The colour bar beside a map: one block per band, sized by the band's share of the
//! colour axis, thresholds labelled, the quantity and its scale named underneath.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, Rectangle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::Color;

use super::layout::LandscapeLayout;
use crate::error::Result;
use crate::render::levels::Levels;
use crate::render::render_error;
use crate::render::text::centred;
use crate::render::theme::Theme;
use crate::render::ticks::format_tick;

/// The colour bar: one block per band, sized by the band's share of the colour axis, with
/// the thresholds labelled and the scale named underneath.
pub(crate) fn draw_colour_bar<DB: DrawingBackend>(
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
