//! Reads a numeric table with one header row; the target is one named column (by default
//! the last). Every cell must parse as a finite number: a message names the row (1-based,
//! counting the header as row 1), the column and the text found.
//!
//! Accepted on purpose: a UTF-8 byte-order mark, CRLF line ends, spaces around cells, and
//! semicolon-separated files (a header with `;` and no `,`), whose cells may use a decimal
//! comma (`1,5`) as spreadsheets in many locales write them. Refused with a message:
//! empty files, a header without rows, empty or duplicate column names, rows with a
//! different number of cells than the header, empty cells, and tables past the limits.

use super::Dataset;
use crate::error::{Error, Result};

/// Largest CSV text accepted (the page and the CLI alike).
pub const MAX_CSV_BYTES: usize = 20 * 1024 * 1024;
/// Most columns a CSV may have.
pub const MAX_COLUMNS: usize = 4096;
/// Most cells (rows × columns) a CSV may have.
pub const MAX_CELLS: usize = 5_000_000;

/// Parses `text` into a data set whose single target is `target` (or the last column).
pub fn parse(text: &str, target: Option<&str>) -> Result<Dataset> {
    if text.len() > MAX_CSV_BYTES {
        return Err(Error::Data(format!(
            "the CSV is {:.1} MB; the limit is {} MB",
            text.len() as f64 / (1024.0 * 1024.0),
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::Data("the CSV is empty".into()));
    }
    let first_line = text.lines().next().unwrap_or_default();
    let semicolons = first_line.contains(';') && !first_line.contains(',');
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(if semicolons { b';' } else { b',' })
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());

    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Data(format!("cannot read the CSV header: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    check_header(&headers)?;
    let target_index = match target {
        None => headers.len() - 1,
        Some(name) => headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::Data(format!(
                "target column \"{name}\" is not in the header ({})",
                headers.join(", ")
            ))
        })?,
    };

    let mut features = Vec::new();
    let mut targets = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.map_err(|e| Error::Data(format!("CSV row {line}: {e}")))?;
        if record.len() != headers.len() {
            return Err(Error::Data(format!(
                "CSV row {line} has {} cells, the header has {}",
                record.len(),
                headers.len()
            )));
        }
        if (row + 1) * headers.len() > MAX_CELLS {
            return Err(Error::Data(format!(
                "the CSV has more than {MAX_CELLS} cells (rows × columns); the limit keeps \
                 training responsive"
            )));
        }
        for (column, cell) in record.iter().enumerate() {
            let value = parse_cell(cell, semicolons, line, &headers[column])?;
            if column == target_index {
                targets.push(value);
            } else {
                features.push(value);
            }
        }
    }
    if targets.is_empty() {
        return Err(Error::Data("the CSV has a header but no data rows".into()));
    }

    let target_names = vec![headers[target_index].clone()];
    let mut feature_names = headers;
    feature_names.remove(target_index);
    Ok(Dataset {
        features,
        targets,
        n_features: feature_names.len(),
        n_outputs: 1,
        feature_names,
        target_names,
    })
}

fn check_header(headers: &[String]) -> Result<()> {
    if headers.len() < 2 {
        return Err(Error::Data(format!(
            "a CSV needs at least 2 columns (features and a target), got {}",
            headers.len()
        )));
    }
    if headers.len() > MAX_COLUMNS {
        return Err(Error::Data(format!(
            "the CSV has {} columns; the limit is {MAX_COLUMNS}",
            headers.len()
        )));
    }
    for (i, name) in headers.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::Data(format!(
                "CSV column {} has an empty name in the header",
                i + 1
            )));
        }
        if let Some(j) = headers[..i].iter().position(|other| other == name) {
            return Err(Error::Data(format!(
                "CSV column name \"{name}\" appears twice (columns {} and {})",
                j + 1,
                i + 1
            )));
        }
    }
    Ok(())
}

fn parse_cell(cell: &str, decimal_comma: bool, line: usize, column: &str) -> Result<f32> {
    if cell.is_empty() {
        return Err(Error::Data(format!(
            "CSV row {line}, column \"{column}\": the cell is empty"
        )));
    }
    let normalized;
    let text = if decimal_comma && cell.contains(',') {
        normalized = cell.replace(',', ".");
        normalized.as_str()
    } else {
        cell
    };
    let value: f32 = text.parse().map_err(|_| {
        Error::Data(format!(
            "CSV row {line}, column \"{column}\": \"{cell}\" is not a number"
        ))
    })?;
    if !value.is_finite() {
        return Err(Error::Data(format!(
            "CSV row {line}, column \"{column}\": \"{cell}\" is not a finite number"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_rows_and_target() {
        let data = parse("a,b,y\n1,2,3\n4,5,6\n", None).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data.features, vec![1.0, 2.0, 4.0, 5.0]);
        assert_eq!(data.targets, vec![3.0, 6.0]);
        assert_eq!(data.target_names, vec!["y".to_string()]);
        let by_name = parse("a,b,y\n1,2,3\n", Some("a")).unwrap();
        assert_eq!(by_name.targets, vec![1.0]);
        assert_eq!(by_name.features, vec![2.0, 3.0]);
    }

    #[test]
    fn bom_crlf_and_semicolons_with_decimal_commas() {
        let plain = parse("a,y\n1.5,2\n3,4\n", None).unwrap();
        let windows = parse("\u{feff}a,y\r\n1.5,2\r\n3,4\r\n", None).unwrap();
        let european = parse("a;y\n1,5;2\n3;4\n", None).unwrap();
        assert_eq!(windows, plain);
        assert_eq!(european, plain);
    }

    #[test]
    fn bad_cells_are_named() {
        let err = parse("a,y\n1,2\nx,3\n", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "CSV row 3, column \"a\": \"x\" is not a number"
        );
        let err = parse("a,y\n1,NaN\n", None).unwrap_err();
        assert!(err.to_string().contains("not a finite number"), "{err}");
        let err = parse("a,y\n", None).unwrap_err();
        assert!(err.to_string().contains("no data rows"), "{err}");
    }
}
