//! Filled contours. Each pixel of the plot takes the bilinear interpolation of the four
//! surrounding grid values, quantized to its band of [`Levels`]; a pixel whose cell touches
//! a missing value (not computed yet, or non-finite) is "no data". Each scanline is then
//! cut into runs of equal band, and identical consecutive scanlines are merged, so a map
//! is a few thousand rectangles instead of hundreds of thousands of pixels.
//!
//! Pixel (x, y) samples the point at its centre; x = 0 is α_0 (left edge), y = 0 is the
//! top, which is β_{n−1}, because β grows upwards.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle};
use plotters::style::Color;

use super::levels::Levels;
use super::render_error;
use super::theme::Theme;
use crate::error::Result;

/// A rectangle of one band in plot pixels: columns `x_start..x_end`, rows `y_start..y_end`
/// (ends exclusive). `band` is `None` for no data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub x_start: i32,
    pub x_end: i32,
    pub y_start: i32,
    pub y_end: i32,
    pub band: Option<usize>,
}

/// A grid of values, row-major by β: `values[row * columns + column]`. Rows at or past
/// `rows_done` count as missing whatever they hold.
#[derive(Clone, Copy, Debug)]
pub struct Grid<'a> {
    pub values: &'a [f64],
    pub columns: usize,
    pub rows: usize,
    pub rows_done: usize,
}

impl Grid<'_> {
    /// The value at (column, row), `None` when missing or non-finite.
    fn value(&self, column: usize, row: usize) -> Option<f64> {
        if row >= self.rows_done.min(self.rows) || column >= self.columns {
            return None;
        }
        self.values
            .get(row * self.columns + column)
            .copied()
            .filter(|value| value.is_finite())
    }

    /// The bilinear interpolation at fractional grid coordinates, `None` when any of the
    /// four surrounding values is missing.
    pub fn interpolate(&self, column: f64, row: f64) -> Option<f64> {
        let (left, across) = split_coordinate(column, self.columns);
        let (bottom, up) = split_coordinate(row, self.rows);
        let lower_left = self.value(left, bottom)?;
        let lower_right = self.value(left + 1, bottom)?;
        let upper_left = self.value(left, bottom + 1)?;
        let upper_right = self.value(left + 1, bottom + 1)?;
        let lower = lower_left + (lower_right - lower_left) * across;
        let upper = upper_left + (upper_right - upper_left) * across;
        Some(lower + (upper - lower) * up)
    }
}

/// The cell index and the fraction across it for a fractional coordinate on an axis of
/// `count` grid points (the last cell takes the far edge).
fn split_coordinate(coordinate: f64, count: usize) -> (usize, f64) {
    let last_cell = count.saturating_sub(2);
    let clamped = coordinate.clamp(0.0, count.saturating_sub(1) as f64);
    let cell = (clamped.floor() as usize).min(last_cell);
    (cell, clamped - cell as f64)
}

/// The runs of equal band covering a `width_px` × `height_px` plot of `grid`.
pub fn band_runs(grid: &Grid, levels: &Levels, width_px: i32, height_px: i32) -> Vec<Run> {
    if width_px <= 0 || height_px <= 0 {
        return Vec::new();
    }
    let degenerate = grid.columns < 2 || grid.rows < 2;

    // The grid column under each pixel column is the same on every scanline.
    let column_scale = grid.columns.saturating_sub(1) as f64 / f64::from(width_px);
    let columns: Vec<f64> = (0..width_px)
        .map(|x| (f64::from(x) + 0.5) * column_scale)
        .collect();
    let row_scale = grid.rows.saturating_sub(1) as f64 / f64::from(height_px);

    let mut runs = Vec::new();
    let mut open: Vec<Run> = Vec::new();
    let mut bands: Vec<Option<usize>> = vec![None; width_px as usize];
    let mut previous: Vec<Option<usize>> = Vec::new();

    for y in 0..height_px {
        let row = (f64::from(height_px - y) - 0.5) * row_scale;
        for (band, &column) in bands.iter_mut().zip(&columns) {
            *band = if degenerate {
                None
            } else {
                grid.interpolate(column, row)
                    .and_then(|value| levels.band_of(value))
            };
        }

        // A scanline identical to the one above only makes the open runs taller.
        if bands == previous {
            for run in &mut open {
                run.y_end = y + 1;
            }
            continue;
        }
        runs.append(&mut open);
        let mut start = 0;
        for x in 1..=width_px {
            let at_end = x == width_px;
            if at_end || bands[x as usize] != bands[start as usize] {
                open.push(Run {
                    x_start: start,
                    x_end: x,
                    y_start: y,
                    y_end: y + 1,
                    band: bands[start as usize],
                });
                start = x;
            }
        }
        previous.clone_from(&bands);
    }
    runs.append(&mut open);
    runs
}

/// Paints `runs` on `area`, whose (0, 0) is the plot's upper-left pixel.
pub fn draw_runs<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[Run],
    levels: &Levels,
    theme: &Theme,
) -> Result<()> {
    let colors: Vec<_> = (0..levels.band_count())
        .map(|band| levels.band_color(band))
        .collect();
    let no_data = theme.no_data();
    for run in runs {
        let color = run
            .band
            .and_then(|band| colors.get(band))
            .unwrap_or(&no_data);
        // Canvas rectangles exclude their far corner, so the exclusive ends are passed;
        // backends that include it paint one pixel that the next run overwrites.
        let rectangle = Rectangle::new(
            [(run.x_start, run.y_start), (run.x_end, run.y_end)],
            color.filled(),
        );
        area.draw(&rectangle).map_err(render_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::levels::ScaleChoice;

    /// A 3 × 3 bowl: 0 in the middle, 2 at the corners.
    fn bowl() -> Vec<f64> {
        vec![2.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 2.0]
    }

    fn grid(values: &[f64], rows_done: usize) -> Grid<'_> {
        Grid {
            values,
            columns: 3,
            rows: 3,
            rows_done,
        }
    }

    #[test]
    fn bilinear_hits_grid_points_and_midpoints() {
        let values = bowl();
        let grid = grid(&values, 3);
        assert_eq!(grid.interpolate(1.0, 1.0), Some(0.0), "centre grid point");
        assert_eq!(grid.interpolate(0.0, 0.0), Some(2.0), "corner grid point");
        assert_eq!(grid.interpolate(0.5, 0.5), Some(1.0), "mean of 2, 1, 1, 0");
        assert_eq!(
            grid.interpolate(2.0, 2.0),
            Some(2.0),
            "far corner uses the last cell"
        );
    }

    #[test]
    fn missing_values_and_unfinished_rows_are_no_data() {
        let mut values = bowl();
        values[0] = f64::NAN;
        let grid_with_hole = grid(&values, 3);
        assert_eq!(
            grid_with_hole.interpolate(0.5, 0.5),
            None,
            "cell touches NaN"
        );
        assert!(
            grid_with_hole.interpolate(1.5, 1.5).is_some(),
            "other cells unaffected"
        );

        let values = bowl();
        let partial = grid(&values, 2);
        assert!(partial.interpolate(0.5, 0.5).is_some(), "rows 0–1 are done");
        assert_eq!(partial.interpolate(0.5, 1.5), None, "row 2 is not done");
    }

    #[test]
    fn runs_cover_every_pixel_exactly_once() {
        let values = bowl();
        let grid = grid(&values, 3);
        let levels = Levels::pick(&values, ScaleChoice::Linear).unwrap();
        let (width, height) = (37, 23);
        let runs = band_runs(&grid, &levels, width, height);
        let mut covered = vec![0u32; (width * height) as usize];
        for run in &runs {
            for y in run.y_start..run.y_end {
                for x in run.x_start..run.x_end {
                    covered[(y * width + x) as usize] += 1;
                }
            }
        }
        assert!(
            covered.iter().all(|&count| count == 1),
            "no gaps, no overlaps"
        );
    }

    #[test]
    fn centre_and_corner_fall_in_different_bands() {
        let values = bowl();
        let grid = grid(&values, 3);
        let levels = Levels::pick(&values, ScaleChoice::Linear).unwrap();
        let (width, height) = (200, 200);
        let runs = band_runs(&grid, &levels, width, height);
        let band_at = |x: i32, y: i32| {
            runs.iter()
                .find(|run| {
                    (run.x_start..run.x_end).contains(&x) && (run.y_start..run.y_end).contains(&y)
                })
                .map(|run| run.band)
        };
        let centre = band_at(100, 100).flatten();
        let corner = band_at(0, 0).flatten();
        assert_eq!(centre, Some(0), "the bottom of the bowl is the lowest band");
        assert_eq!(
            corner,
            Some(levels.band_count() - 1),
            "the rim is the highest band"
        );
        assert!(
            runs.len() < (width * height) as usize / 8,
            "runs, not pixels: {} rectangles",
            runs.len()
        );
    }

    #[test]
    fn unfinished_surface_is_all_no_data_above_the_done_rows() {
        let values = bowl();
        let grid = grid(&values, 2);
        let levels = Levels::pick(&values, ScaleChoice::Linear).unwrap();
        let runs = band_runs(&grid, &levels, 10, 10);
        let top = runs.iter().find(|run| run.y_start == 0).unwrap();
        assert_eq!(top.band, None, "the top half (β > 0) is not computed yet");
        assert_eq!(
            (top.x_start, top.x_end),
            (0, 10),
            "one run for the whole scanline"
        );
    }
}
