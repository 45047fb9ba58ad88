//! Contour lines by marching squares (the `contour` crate, a port of d3-contour), with
//! linear interpolation along cell edges so a line passes where the bilinear fill changes
//! band.
//!
//! The crate treats value k of a row as sitting at coordinate k + 0.5 and closes every
//! ring around the outside of the grid; here coordinates are shifted back to grid indices
//! and every piece that leaves the grid or crosses a cell with a missing value is dropped,
//! so lines never cross the "no data" grey or run along the frame.

use contour::ContourBuilder;

use super::fill::Grid;
use super::levels::finite_range;

/// A polyline in grid coordinates: (column, row), fractional.
pub type Polyline = Vec<(f64, f64)>;

/// The iso-lines of `grid` at each of `thresholds`, over its finished rows.
pub fn iso_lines(grid: &Grid, thresholds: &[f64]) -> Vec<Polyline> {
    let rows = grid.rows_done.min(grid.rows);
    let columns = grid.columns;
    if rows < 2 || columns < 2 || thresholds.is_empty() {
        return Vec::new();
    }
    let Some(values) = grid.values.get(..rows * columns) else {
        return Vec::new();
    };
    let Some((min, max)) = finite_range(values) else {
        return Vec::new();
    };

    // Missing values become a height above every threshold; the pieces this creates
    // around them are removed below.
    let above_all = max + (max - min).abs() + 1.0;
    let filled: Vec<f64> = values
        .iter()
        .map(|&value| if value.is_finite() { value } else { above_all })
        .collect();

    let builder = ContourBuilder::new(columns, rows, true);
    let Ok(lines) = builder.lines(&filled, thresholds) else {
        log::warn!("marching squares rejected a {columns} × {rows} grid; no iso-lines");
        return Vec::new();
    };

    let present = |column: f64, row: f64| -> bool {
        let in_grid = (-1e-9..=columns as f64 - 1.0 + 1e-9).contains(&column)
            && (-1e-9..=rows as f64 - 1.0 + 1e-9).contains(&row);
        if !in_grid {
            return false;
        }
        let column = column.clamp(0.0, columns as f64 - 1.0);
        let row = row.clamp(0.0, rows as f64 - 1.0);
        let corners = [
            (column.floor(), row.floor()),
            (column.ceil(), row.floor()),
            (column.floor(), row.ceil()),
            (column.ceil(), row.ceil()),
        ];
        corners
            .iter()
            .all(|&(c, r)| values[r as usize * columns + c as usize].is_finite())
    };

    let mut polylines = Vec::new();
    for line in lines {
        for string in line.geometry().0.iter() {
            let mut current: Polyline = Vec::new();
            for point in string.0.iter() {
                let (column, row) = (point.x - 0.5, point.y - 0.5);
                if present(column, row) {
                    current.push((column, row));
                } else if current.len() >= 2 {
                    polylines.push(std::mem::take(&mut current));
                } else {
                    current.clear();
                }
            }
            if current.len() >= 2 {
                polylines.push(current);
            }
        }
    }
    polylines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5 × 5 bowl: (column − 2)² + (row − 2)².
    fn bowl() -> Vec<f64> {
        (0..25)
            .map(|k| {
                let (column, row) = ((k % 5) as f64 - 2.0, (k / 5) as f64 - 2.0);
                column * column + row * row
            })
            .collect()
    }

    fn grid(values: &[f64], rows_done: usize) -> Grid<'_> {
        Grid {
            values,
            columns: 5,
            rows: 5,
            rows_done,
        }
    }

    #[test]
    fn a_bowl_gives_a_closed_ring_around_the_centre() {
        let values = bowl();
        let lines = iso_lines(&grid(&values, 5), &[1.5]);
        assert!(
            !lines.is_empty(),
            "a threshold inside the range crosses the grid"
        );
        for line in &lines {
            for &(column, row) in line {
                let distance = ((column - 2.0).powi(2) + (row - 2.0).powi(2)).sqrt();
                assert!(
                    (0.9..=1.6).contains(&distance),
                    "level 1.5 lies about √1.5 ≈ 1.22 from the centre, got {distance}"
                );
            }
        }
    }

    #[test]
    fn no_piece_runs_outside_the_grid() {
        let values = bowl();
        let lines = iso_lines(&grid(&values, 5), &[3.0, 5.0, 7.0]);
        for &(column, row) in lines.iter().flatten() {
            assert!((0.0..=4.0).contains(&column) && (0.0..=4.0).contains(&row));
        }
    }

    #[test]
    fn lines_avoid_missing_cells_and_unfinished_rows() {
        let mut values = bowl();
        values[12] = f64::NAN;
        let lines = iso_lines(&grid(&values, 5), &[0.5]);
        assert!(
            lines.is_empty(),
            "the only crossing of 0.5 is beside the hole: {lines:?}"
        );

        let values = bowl();
        let lines = iso_lines(&grid(&values, 3), &[1.5]);
        for &(_, row) in lines.iter().flatten() {
            assert!(row <= 2.0, "rows 3 and 4 are not computed, got row {row}");
        }
        assert!(
            iso_lines(&grid(&values, 1), &[1.5]).is_empty(),
            "one row has no cells"
        );
    }
}
