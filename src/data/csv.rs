//! Reads a numeric table with one header row; the target is one named column (by default
//! the last). Every cell must parse as a finite number: a message names the row (1-based,
//! counting the header as row 1), the column and the text found.

use super::Dataset;
use crate::error::{Error, Result};

/// Parses `text` into a data set whose single target is `target` (or the last column).
pub fn parse(text: &str, target: Option<&str>) -> Result<Dataset> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());

    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Data(format!("cannot read the CSV header: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.len() < 2 {
        return Err(Error::Data(format!(
            "a CSV needs at least 2 columns (features and a target), got {}",
            headers.len()
        )));
    }
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
        for (column, cell) in record.iter().enumerate() {
            let value: f32 = cell.parse().map_err(|_| {
                Error::Data(format!(
                    "CSV row {line}, column \"{}\": \"{cell}\" is not a number",
                    headers[column]
                ))
            })?;
            if !value.is_finite() {
                return Err(Error::Data(format!(
                    "CSV row {line}, column \"{}\": \"{cell}\" is not a finite number",
                    headers[column]
                )));
            }
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
