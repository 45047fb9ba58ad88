//! The real data sets shipped with the project (scikit-learn's copies; sources in
//! `www/data/README.md`), compiled into the binary so the CLI and the page need no file
//! access.

use super::{csv, Dataset};
use crate::config::DataSource;
use crate::error::{Error, Result};

const DIABETES_CSV: &str = include_str!("../../www/data/diabetes.csv");
const BREAST_CANCER_CSV: &str = include_str!("../../www/data/breast_cancer.csv");
const DIGITS_CSV: &str = include_str!("../../www/data/digits.csv");
const IRIS_CSV: &str = include_str!("../../www/data/iris.csv");
const WINE_CSV: &str = include_str!("../../www/data/wine.csv");

/// Loads a bundled data set (target in the last column).
pub fn load(source: DataSource) -> Result<Dataset> {
    let text = match source {
        DataSource::Diabetes => DIABETES_CSV,
        DataSource::BreastCancer => BREAST_CANCER_CSV,
        DataSource::Digits => DIGITS_CSV,
        DataSource::Iris => IRIS_CSV,
        DataSource::Wine => WINE_CSV,
        other => return Err(Error::Data(format!("{other:?} is not a bundled data set"))),
    };
    csv::parse(text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_set_has_its_documented_shape_and_classes() {
        // (source, rows, features, per-class counts or None for regression) from the
        // datasets' README.
        let expected: [(DataSource, usize, usize, Option<Vec<usize>>); 5] = [
            (DataSource::Diabetes, 442, 10, None),
            (DataSource::BreastCancer, 569, 30, Some(vec![212, 357])),
            (DataSource::Iris, 150, 4, Some(vec![50, 50, 50])),
            (DataSource::Wine, 178, 13, Some(vec![59, 71, 48])),
            (DataSource::Digits, 1797, 64, None),
        ];
        for (source, rows, features, classes) in expected {
            let data = load(source).unwrap();
            assert_eq!(
                (data.len(), data.n_features),
                (rows, features),
                "{source:?}"
            );
            if let Some(classes) = classes {
                let mut counts = vec![0; classes.len()];
                for &y in &data.targets {
                    counts[y as usize] += 1;
                }
                assert_eq!(counts, classes, "{source:?}");
            }
        }
        let digits = load(DataSource::Digits).unwrap();
        let mut counts = [0; 10];
        for &y in &digits.targets {
            counts[y as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (174..=183).contains(&c)),
            "{counts:?}"
        );
        let diabetes = load(DataSource::Diabetes).unwrap();
        assert_eq!(diabetes.feature_names[0], "age");
        assert_eq!(
            diabetes.target_row(0),
            &[151.0],
            "first patient's target per the CSV"
        );
    }
}
