//! Turns `data` settings into raw samples: a bundled set, a synthetic set, a CSV file, or
//! samples written inline. Classification targets are checked to be class indices.

use super::{bundled, csv, synthetic, Dataset};
use crate::config::{
    DataConfig, DataSource, InlineData, Task, DEFAULT_SYNTHETIC_NOISE, DEFAULT_SYNTHETIC_SAMPLES,
};
use crate::error::{Error, Result};
use crate::seeding::{self, Stream};

/// Most classes a classification target may have.
pub const MAX_CLASSES: usize = 1000;

/// Raw samples, and a validation set when the source brings its own.
pub struct RawData {
    pub samples: Dataset,
    pub given_val: Option<Dataset>,
}

/// Loads the samples `config` describes; synthetic sets draw from `seed`.
pub fn load(config: &DataConfig, seed: u64) -> Result<RawData> {
    let samples = match config.source {
        DataSource::Csv => {
            let path = config.path.as_deref().unwrap_or_default();
            let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
                path: path.to_string(),
                message: format!("cannot read data.path ({e})"),
            })?;
            csv::parse(&text, config.target.as_deref())?
        }
        DataSource::Inline => {
            let given_val = match &config.val {
                Some(val) => Some(inline("data.val", val)?),
                None => None,
            };
            let train = config
                .train
                .as_ref()
                .ok_or_else(|| Error::config("data.train", "is required with source inline"))?;
            let samples = inline("data.train", train)?;
            if let Some(val) = &given_val {
                if val.n_features != samples.n_features {
                    return Err(Error::Shape {
                        what: "data.val.x columns".into(),
                        expected: samples.n_features,
                        actual: val.n_features,
                    });
                }
            }
            return Ok(RawData { samples, given_val });
        }
        source if source.is_synthetic() => synthetic::generate(
            source,
            config.samples.unwrap_or(DEFAULT_SYNTHETIC_SAMPLES),
            config.noise.unwrap_or(DEFAULT_SYNTHETIC_NOISE),
            &mut seeding::rng(seed, Stream::Data),
        ),
        source => bundled::load(source)?,
    };
    Ok(RawData {
        samples,
        given_val: None,
    })
}

fn inline(field: &str, data: &InlineData) -> Result<Dataset> {
    if data.x.is_empty() {
        return Err(Error::config(format!("{field}.x"), "has no rows"));
    }
    if data.x.len() != data.y.len() {
        return Err(Error::Shape {
            what: format!("{field}.y length (one target per row of {field}.x)"),
            expected: data.x.len(),
            actual: data.y.len(),
        });
    }
    let n_features = data.x[0].len();
    if n_features == 0 {
        return Err(Error::config(format!("{field}.x"), "rows have no features"));
    }
    let mut features = Vec::with_capacity(data.x.len() * n_features);
    for (r, row) in data.x.iter().enumerate() {
        if row.len() != n_features {
            return Err(Error::Shape {
                what: format!("{field}.x[{r}] length"),
                expected: n_features,
                actual: row.len(),
            });
        }
        for (c, &v) in row.iter().enumerate() {
            finite(&format!("{field}.x[{r}][{c}]"), v)?;
            features.push(v as f32);
        }
    }
    for (r, &v) in data.y.iter().enumerate() {
        finite(&format!("{field}.y[{r}]"), v)?;
    }
    Ok(Dataset {
        features,
        targets: data.y.iter().map(|&v| v as f32).collect(),
        n_features,
        n_outputs: 1,
        feature_names: (1..=n_features).map(|i| format!("x{i}")).collect(),
        target_names: vec!["y".into()],
    })
}

fn finite(field: &str, value: f64) -> Result<()> {
    if !value.is_finite() || value.abs() > f64::from(f32::MAX) {
        return Err(Error::config(
            field,
            format!("must be a finite number, got {value}"),
        ));
    }
    Ok(())
}

/// Checks classification targets and returns the number of classes K (labels 0..K−1);
/// 0 for regression.
pub fn class_count(task: Task, sets: &[&Dataset]) -> Result<usize> {
    if task == Task::Regression {
        return Ok(0);
    }
    let mut max_label = 0usize;
    let mut seen = std::collections::BTreeSet::new();
    for set in sets {
        for &y in &set.targets {
            if y < 0.0 || y.fract() != 0.0 || y as usize >= MAX_CLASSES {
                return Err(Error::Data(format!(
                    "a classification target must be a class index 0..{}, got {y}",
                    MAX_CLASSES - 1
                )));
            }
            max_label = max_label.max(y as usize);
            seen.insert(y as usize);
        }
    }
    if seen.len() < 2 {
        let only = seen.iter().next().copied().unwrap_or(0);
        return Err(Error::Data(format!(
            "the target has only one class ({only}); classification needs at least two"
        )));
    }
    if task == Task::Binary && max_label > 1 {
        return Err(Error::Data(format!(
            "a binary target must be 0 or 1, got class {max_label}; use task multiclass"
        )));
    }
    Ok(max_label + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(y: &[f32]) -> Dataset {
        Dataset {
            features: vec![0.0; y.len()],
            targets: y.to_vec(),
            n_features: 1,
            n_outputs: 1,
            feature_names: vec![],
            target_names: vec![],
        }
    }

    #[test]
    fn class_checks() {
        assert_eq!(
            class_count(Task::Multiclass, &[&labels(&[0.0, 2.0, 1.0])]).unwrap(),
            3
        );
        let err = class_count(Task::Binary, &[&labels(&[1.0, 1.0])]).unwrap_err();
        assert!(err.to_string().contains("only one class (1)"), "{err}");
        let err = class_count(Task::Binary, &[&labels(&[0.0, 2.0])]).unwrap_err();
        assert!(err.to_string().contains("got class 2"), "{err}");
        let err = class_count(Task::Multiclass, &[&labels(&[0.0, 1.5])]).unwrap_err();
        assert!(err.to_string().contains("got 1.5"), "{err}");
    }

    #[test]
    fn inline_shapes_are_checked() {
        let ragged = InlineData {
            x: vec![vec![1.0, 2.0], vec![3.0]],
            y: vec![0.0, 1.0],
        };
        let err = inline("data.train", &ragged).unwrap_err();
        assert_eq!(err.to_string(), "data.train.x[1] length: expected 2, got 1");
        let short = InlineData {
            x: vec![vec![1.0], vec![3.0]],
            y: vec![0.0],
        };
        assert!(inline("data.train", &short).is_err());
        let infinite = InlineData {
            x: vec![vec![f64::INFINITY]],
            y: vec![0.0],
        };
        let err = inline("data.train", &infinite).unwrap_err();
        assert!(
            err.to_string().starts_with("data.train.x[0][0] must be"),
            "{err}"
        );
    }
}
