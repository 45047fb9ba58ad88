//! Runs as tables: the history as CSV with the command line's columns (`epochs.csv`,
//! `updates.csv`), and a run's raw samples as the CSV the PyTorch script reads.

use serde::Serialize;

use crate::config::{DataSource, RunConfig};
use crate::data;
use crate::error::{Error, Result};

/// `rows` as CSV text with a header row from the field names, as the CLI writes them.
pub fn records_csv<T: Serialize>(rows: &[T]) -> Result<String> {
    let csv_error = |error: csv::Error| Error::Data(format!("writing CSV failed: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Error::Data(format!("writing CSV failed: {error}")))?;
    String::from_utf8(bytes).map_err(|error| Error::Data(format!("CSV is not UTF-8: {error}")))
}

/// The file name a downloaded PyTorch script reads its samples from: `diabetes.csv` for a
/// bundled set, `data.csv` for synthetic and inline samples, the given path for csv.
pub fn data_file_name(config: &RunConfig) -> String {
    match config.data.source {
        DataSource::Csv => config.data.path.clone().unwrap_or_default(),
        source if source.is_synthetic() || source == DataSource::Inline => "data.csv".into(),
        source => format!("{}.csv", source_name(source)),
    }
}

/// The run's raw samples, before splitting and scaling, as CSV: a header row, the
/// features, then the target column(s).
pub fn samples_csv(config: &RunConfig) -> Result<String> {
    let samples = data::source::load(&config.data, config.seed)?.samples;
    let mut text = samples.feature_names.join(",");
    text.push(',');
    text.push_str(&samples.target_names.join(","));
    text.push('\n');
    for i in 0..samples.len() {
        let row: Vec<String> = samples
            .feature_row(i)
            .iter()
            .chain(samples.target_row(i))
            .map(|value| value.to_string())
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    Ok(text)
}

/// The JSON spelling of a data source ("breast_cancer").
fn source_name(source: DataSource) -> String {
    serde_json::to_value(source)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::Trainer;

    #[test]
    fn history_csv_has_the_cli_columns() {
        let config = RunConfig {
            epochs: 2,
            ..RunConfig::default()
        };
        let mut trainer = Trainer::new(config).unwrap();
        trainer.run_to_end();
        let epochs = records_csv(&trainer.history().epochs).unwrap();
        let mut lines = epochs.lines();
        assert_eq!(
            lines.next(),
            Some(
                "epoch,train_loss_running,train_loss_eval,val_loss,lr_end,grad_norm_mean,\
                 train_accuracy,val_accuracy,val_r2,val_rmse"
            )
        );
        assert_eq!(lines.count(), 2, "one row per epoch");
        let updates = records_csv(&trainer.history().updates).unwrap();
        assert!(updates.starts_with("update,epoch,lr,grad_norm,clipped,batch_loss\n"));
        assert_eq!(updates.lines().count(), 1 + 6, "3 updates per epoch × 2");
    }

    #[test]
    fn samples_csv_has_a_header_and_every_row() {
        let config = RunConfig::default();
        let text = samples_csv(&config).unwrap();
        assert_eq!(text.lines().count(), 1 + 442, "header and 442 patients");
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        assert_eq!(header.len(), 11, "10 features and the target");
        assert_eq!(data_file_name(&config), "diabetes.csv");
    }
}
