//! The real data sets shipped with the project, compiled into the binary so the CLI and
//! the page need no file access. The CSVs live in `www/data/` (see its README for their
//! sources); the page can also offer them for download from there.

use super::{csv, Dataset};
use crate::config::DataSource;
use crate::error::Result;

/// Diabetes (Efron et al. 2004, via scikit-learn): 442 patients × 10 raw baseline
/// measurements; target: disease progression one year later (25 to 346).
const DIABETES_CSV: &str = include_str!("../../www/data/diabetes.csv");

/// Loads a bundled data set.
pub fn load(source: DataSource) -> Result<Dataset> {
    match source {
        DataSource::Diabetes => csv::parse(DIABETES_CSV, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diabetes_has_442_rows_of_10_features() {
        let data = load(DataSource::Diabetes).unwrap();
        assert_eq!(data.len(), 442);
        assert_eq!(data.n_features, 10);
        assert_eq!(data.feature_names[0], "age");
        assert_eq!(
            data.target_row(0),
            &[151.0],
            "first patient's target per the CSV"
        );
        let (min, max) = data
            .targets
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &y| (lo.min(y), hi.max(y)));
        assert_eq!((min, max), (25.0, 346.0));
    }
}
