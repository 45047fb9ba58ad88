//! Filled contours. Each pixel of the plot takes the bilinear interpolation of the four
//! surrounding grid values, quantized to its band of [`Levels`]; a pixel whose cell touches
//! a missing value (not computed yet, or non-finite) is "no data". Each scanline is then
//! either cut into runs of equal band, identical consecutive scanlines merged, so a map is
//! a few thousand rectangles instead of hundreds of thousands of pixels (vector output
//! keeps shapes), or written into one RGBA image put on the surface in a single call (the
//! page's canvas takes it as image data). [`BandFill`] chooses; both give the same pixels.
//!
//! Pixel (x, y) samples the point at its centre; x = 0 is α_0 (left edge), y = 0 is the
//! top, which is β_{n−1}, because β grows upwards.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle};
use plotters::style::{Color, RGBColor};

use super::levels::Levels;
use super::render_error;
use super::theme::Theme;
use crate::error::Result;

/// How filled contours reach the backend. Both ways paint the same pixels.
pub enum BandFill<'a> {
    /// One rectangle per run of equal band ([`band_runs`]) drawn through the backend, so
    /// SVG files keep shapes.
    Rectangles,
    /// One image ([`band_image`]) handed to a painter that puts it on the backend's
    /// surface in a single call, as the page's canvas does with image data.
    Image(ImagePainter<'a>),
}

/// Puts an RGBA image (four bytes per pixel, rows from the top) of the given width and
/// height with its upper-left corner at a device pixel of the whole backend.
pub type ImagePainter<'a> = &'a mut dyn FnMut((i32, i32), (u32, u32), &[u8]) -> Result<()>;

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

/// The band under every pixel of a `width_px` × `height_px` plot, one scanline at a time
/// from the top: `visit(y, bands)` gets scanline y's bands, left to right, and whether it
/// equals the scanline above (so a caller can reuse what it made of that one).
fn visit_scanlines(
    grid: &Grid,
    levels: &Levels,
    width_px: i32,
    height_px: i32,
    mut visit: impl FnMut(i32, &[Option<usize>], bool),
) {
    if width_px <= 0 || height_px <= 0 {
        return;
    }
    let width = width_px as usize;
    let mut bands: Vec<Option<usize>> = vec![None; width];
    let mut previous: Vec<Option<usize>> = vec![None; width];
    let mut edges = Vec::with_capacity(grid.columns);
    if grid.columns < 2 || grid.rows < 2 {
        for y in 0..height_px {
            visit(y, &bands, y > 0);
        }
        return;
    }

    // The grid cell and the fraction across it under each pixel column are the same on
    // every scanline.
    let column_scale = (grid.columns - 1) as f64 / f64::from(width_px);
    let cells: Vec<(usize, f64)> = (0..width_px)
        .map(|x| split_coordinate((f64::from(x) + 0.5) * column_scale, grid.columns))
        .collect();
    let row_scale = (grid.rows - 1) as f64 / f64::from(height_px);

    for y in 0..height_px {
        let row = (f64::from(height_px - y) - 0.5) * row_scale;
        fill_scanline(grid, levels, &cells, row, &mut bands, &mut edges);
        visit(y, &bands, y > 0 && bands == previous);
        std::mem::swap(&mut bands, &mut previous);
    }
}

/// One grid cell's share of a scanline: its lower and upper edges as a start and a step
/// across the cell, or `None` when a corner is missing.
type CellEdges = Option<(f64, f64, f64, f64)>;

/// The bands of one scanline at fractional grid row `row`: the same bilinear value as
/// [`Grid::interpolate`], with each cell's corners looked up and checked once per
/// scanline instead of once per pixel. `edges` is scratch space.
fn fill_scanline(
    grid: &Grid,
    levels: &Levels,
    cells: &[(usize, f64)],
    row: f64,
    bands: &mut [Option<usize>],
    edges: &mut Vec<CellEdges>,
) {
    let (bottom, up) = split_coordinate(row, grid.rows);
    let columns = grid.columns;
    let row_values = |index: usize| {
        if index >= grid.rows_done.min(grid.rows) {
            return None;
        }
        grid.values.get(index * columns..(index + 1) * columns)
    };
    let (Some(lower_row), Some(upper_row)) = (row_values(bottom), row_values(bottom + 1)) else {
        bands.fill(None);
        return;
    };

    edges.clear();
    edges.extend((0..columns - 1).map(|left| {
        let (lower_left, lower_right) = (lower_row[left], lower_row[left + 1]);
        let (upper_left, upper_right) = (upper_row[left], upper_row[left + 1]);
        let present = lower_left.is_finite()
            && lower_right.is_finite()
            && upper_left.is_finite()
            && upper_right.is_finite();
        present.then_some((
            lower_left,
            lower_right - lower_left,
            upper_left,
            upper_right - upper_left,
        ))
    }));

    let mut previous = None;
    for (band, &(left, across)) in bands.iter_mut().zip(cells) {
        *band = edges[left].and_then(|(lower_left, lower_step, upper_left, upper_step)| {
            let lower = lower_left + lower_step * across;
            let upper = upper_left + upper_step * across;
            band_near(levels, lower + (upper - lower) * up, previous)
        });
        previous = *band;
    }
}

/// [`Levels::band_of`], trying `guess` first: neighbouring pixels mostly share a band.
fn band_near(levels: &Levels, value: f64, guess: Option<usize>) -> Option<usize> {
    if let Some(band) = guess {
        let thresholds = levels.thresholds();
        let above_lower = band == 0 || thresholds.get(band - 1).is_some_and(|&t| t <= value);
        let below_upper = thresholds.get(band).is_none_or(|&t| value < t);
        if value.is_finite() && above_lower && below_upper && band <= thresholds.len() {
            return Some(band);
        }
    }
    levels.band_of(value)
}

/// The runs of equal band covering a `width_px` × `height_px` plot of `grid`.
pub fn band_runs(grid: &Grid, levels: &Levels, width_px: i32, height_px: i32) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut open: Vec<Run> = Vec::new();
    visit_scanlines(
        grid,
        levels,
        width_px,
        height_px,
        |y, bands, same_as_above| {
            // A scanline identical to the one above only makes the open runs taller.
            if same_as_above {
                for run in &mut open {
                    run.y_end = y + 1;
                }
                return;
            }
            runs.append(&mut open);
            let mut start = 0;
            for x in 1..=bands.len() {
                if x == bands.len() || bands[x] != bands[start] {
                    open.push(Run {
                        x_start: start as i32,
                        x_end: x as i32,
                        y_start: y,
                        y_end: y + 1,
                        band: bands[start],
                    });
                    start = x;
                }
            }
        },
    );
    runs.append(&mut open);
    runs
}

/// The filled contours of a `width_px` × `height_px` plot as one opaque RGBA image, four
/// bytes per pixel, row by row from the top: the same pixels [`draw_runs`] paints from
/// [`band_runs`], for surfaces that take an image faster than many rectangles.
pub fn band_image(
    grid: &Grid,
    levels: &Levels,
    theme: &Theme,
    width_px: i32,
    height_px: i32,
) -> Vec<u8> {
    let colors = band_colors(levels);
    let no_data = theme.no_data();
    let rgb = |band: Option<usize>| {
        let color = band.and_then(|band| colors.get(band)).unwrap_or(&no_data);
        [color.0, color.1, color.2, u8::MAX]
    };

    let row_bytes = 4 * width_px.max(0) as usize;
    let mut image = vec![0; row_bytes * height_px.max(0) as usize];
    visit_scanlines(
        grid,
        levels,
        width_px,
        height_px,
        |y, bands, same_as_above| {
            let start = y as usize * row_bytes;
            if same_as_above {
                image.copy_within(start - row_bytes..start, start);
                return;
            }
            let scanline = &mut image[start..start + row_bytes];
            for (pixel, &band) in scanline.chunks_exact_mut(4).zip(bands) {
                pixel.copy_from_slice(&rgb(band));
            }
        },
    );
    image
}

/// The colour of every band of `levels`, lowest first.
fn band_colors(levels: &Levels) -> Vec<RGBColor> {
    (0..levels.band_count())
        .map(|band| levels.band_color(band))
        .collect()
}

/// Paints `runs` on `area`, whose (0, 0) is the plot's upper-left pixel.
pub fn draw_runs<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[Run],
    levels: &Levels,
    theme: &Theme,
) -> Result<()> {
    let colors = band_colors(levels);
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

/// Paints the filled contours of `grid` on `area`, whose (0, 0) is the plot's upper-left
/// pixel, in the way `fill` chooses.
pub fn draw_bands<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &Grid,
    levels: &Levels,
    theme: &Theme,
    fill: BandFill,
) -> Result<()> {
    let (width, height) = area.dim_in_pixel();
    let (width_px, height_px) = (width as i32, height as i32);
    match fill {
        BandFill::Rectangles => {
            let runs = band_runs(grid, levels, width_px, height_px);
            draw_runs(area, &runs, levels, theme)
        }
        BandFill::Image(paint) => {
            let image = band_image(grid, levels, theme, width_px, height_px);
            paint(area.get_base_pixel(), (width, height), &image)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::colormap::viridis;
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

    /// A 6 × 5 grid with a hole at column 3 of row 1 and the top row not computed yet.
    fn holed() -> Vec<f64> {
        let mut values: Vec<f64> = (0..30)
            .map(|k| {
                let (column, row) = ((k % 6) as f64, (k / 6) as f64);
                (column - 2.5).powi(2) + 0.7 * (row - 1.5).powi(2) + 0.2
            })
            .collect();
        values[6 + 3] = f64::NAN;
        values
    }

    #[test]
    fn the_image_paints_what_the_runs_paint() {
        let values = holed();
        let grid = Grid {
            values: &values,
            columns: 6,
            rows: 5,
            rows_done: 4,
        };
        let levels = Levels::pick(&values[..24], ScaleChoice::Linear).unwrap();
        let theme = Theme::default();
        let no_data = theme.no_data();
        for (width, height) in [(37, 23), (64, 64), (1, 9), (101, 3)] {
            let mut expected = vec![[0u8; 4]; (width * height) as usize];
            for run in band_runs(&grid, &levels, width, height) {
                let color = run.band.map_or(no_data, |band| levels.band_color(band));
                for y in run.y_start..run.y_end {
                    for x in run.x_start..run.x_end {
                        expected[(y * width + x) as usize] = [color.0, color.1, color.2, 255];
                    }
                }
            }
            let image = band_image(&grid, &levels, &theme, width, height);
            assert_eq!(image.len(), 4 * (width * height) as usize);
            for (index, (pixel, want)) in image.chunks_exact(4).zip(&expected).enumerate() {
                let (x, y) = (index as i32 % width, index as i32 / width);
                assert_eq!(
                    pixel, want,
                    "pixel ({x}, {y}) of a {width} × {height} plot: image and runs disagree"
                );
            }
        }
    }

    #[test]
    fn the_image_takes_the_colour_map_at_known_points() {
        // 1 + column + 2 · row is bilinear, so the value under every pixel centre is known
        // exactly from where the centre lies on the grid.
        let (columns, rows) = (5, 4);
        let values: Vec<f64> = (0..columns * rows)
            .map(|k| 1.0 + (k % columns) as f64 + 2.0 * (k / columns) as f64)
            .collect();
        let grid = Grid {
            values: &values,
            columns,
            rows,
            rows_done: rows,
        };
        let levels = Levels::pick(&values, ScaleChoice::Linear).unwrap();
        assert!(levels.band_count() >= 4, "{levels:?}");
        let theme = Theme::default();
        let (width, height) = (80, 60);
        let image = band_image(&grid, &levels, &theme, width, height);

        let mut checked = 0;
        for y in (0..height).step_by(7) {
            for x in (0..width).step_by(5) {
                let column = (f64::from(x) + 0.5) * (columns - 1) as f64 / f64::from(width);
                let row = (f64::from(height - y) - 0.5) * (rows - 1) as f64 / f64::from(height);
                let value = 1.0 + column + 2.0 * row;
                if levels
                    .thresholds()
                    .iter()
                    .any(|threshold| (threshold - value).abs() < 1e-9)
                {
                    continue;
                }
                let band = levels.band_of(value).unwrap();
                let low = levels.position(levels.edges[band]);
                let high = levels.position(levels.edges[band + 1]);
                let want = viridis(0.5 * (low + high));
                let at = 4 * (y * width + x) as usize;
                assert_eq!(
                    &image[at..at + 4],
                    &[want.0, want.1, want.2, 255],
                    "pixel ({x}, {y}) shows loss {value:.3}, band {band}"
                );
                checked += 1;
            }
        }
        assert!(
            checked > 100,
            "only {checked} pixels were away from the thresholds"
        );

        // The corners: β grows upwards, so the top right holds the largest value.
        let top_right = 4 * (width - 1) as usize;
        let last = levels.band_color(levels.band_count() - 1);
        assert_eq!(&image[top_right..top_right + 3], &[last.0, last.1, last.2]);
        let bottom_left = 4 * ((height - 1) * width) as usize;
        let first = levels.band_color(0);
        assert_eq!(
            &image[bottom_left..bottom_left + 3],
            &[first.0, first.1, first.2]
        );
    }

    #[test]
    fn the_image_shows_holes_and_unfinished_rows_as_no_data() {
        let values = holed();
        let grid = Grid {
            values: &values,
            columns: 6,
            rows: 5,
            rows_done: 4,
        };
        let levels = Levels::pick(&values[..24], ScaleChoice::Linear).unwrap();
        let theme = Theme::default();
        let no_data = theme.no_data();
        let (width, height) = (50, 40);
        let image = band_image(&grid, &levels, &theme, width, height);
        let at = |x: i32, y: i32| {
            let index = 4 * (y * width + x) as usize;
            RGBColor(image[index], image[index + 1], image[index + 2])
        };
        assert_eq!(at(25, 2), no_data, "row 4 (the top) is not computed");
        // Grid column 3, row 1 is NaN: the cells around it, e.g. (2.5, 1.5), have no data.
        let (x, y) = (
            (2.5 / 5.0 * f64::from(width)) as i32,
            (f64::from(height) - 1.5 / 4.0 * f64::from(height)) as i32,
        );
        assert_eq!(at(x, y), no_data, "next to the hole at ({x}, {y})");
        assert_ne!(
            at(2, height - 2),
            no_data,
            "far from the hole, in the done rows"
        );
    }
}
