//! An imported run for people and for other programs: the verdict as text (what the
//! command line prints), and the judged points and the steps as CSV (what it writes with
//! `--out`). The CSVs are logs this module reads back: empty cells are gaps, and NaN and
//! infinities are written as `NaN`, `inf` and `-inf`.

use super::judge::Grouping;
use super::run::Row;
use super::series::Quantity;
use super::LogDiagnosis;

impl LogDiagnosis {
    /// The report: what each file gave, what was judged, the verdict and its limits.
    pub fn report(&self) -> String {
        let mut lines = Vec::new();
        for file in &self.files {
            lines.push(format!("read {} ({})", file.file, file.format.name()));
            for used in &file.used {
                lines.push(format!("  {used}"));
            }
            for note in &file.notes {
                lines.push(format!("  note: {note}"));
            }
        }
        lines.push(self.judged_text());
        let diagnosis = &self.diagnosis;
        lines.push(format!("diagnosis: {}", diagnosis.code));
        lines.push(format!("  evidence: {}", diagnosis.message));
        lines.push(format!("  fix: {}", diagnosis.fix));
        if !self.not_judged.is_empty() {
            lines.push("not judged:".into());
            for item in &self.not_judged {
                lines.push(format!("  - {item}"));
            }
        }
        lines.join("\n") + "\n"
    }

    /// One line on what the points are.
    pub fn judged_text(&self) -> String {
        let n = self.points.len();
        let steps = self.steps.len();
        match self.grouping {
            Grouping::Epochs if steps > 0 => format!(
                "judged on {n} epoch(s); values missing at an epoch's end come from its steps \
                 (train loss: their mean)"
            ),
            Grouping::Epochs => format!("judged on {n} epoch(s)"),
            Grouping::Evaluations => format!(
                "judged on {n} evaluation(s); train loss: the mean over the steps since the \
                 previous evaluation"
            ),
            Grouping::Windows { steps } => format!(
                "judged on {n} window(s) of {steps} logged step(s); train loss: the window's \
                 mean (no validation loss and no epochs in the log)"
            ),
        }
    }

    /// The judged points as CSV: `epoch,step,train_loss,val_loss,lr,grad_norm`.
    pub fn points_csv(&self) -> String {
        rows_csv(&self.points)
    }

    /// The steps as CSV, same columns; `None` when nothing was logged at steps.
    pub fn steps_csv(&self) -> Option<String> {
        (!self.steps.is_empty()).then(|| rows_csv(&self.steps))
    }
}

/// Rows as CSV with empty cells for gaps.
fn rows_csv(rows: &[Row]) -> String {
    let mut text = String::from("epoch,step");
    for quantity in Quantity::ALL {
        text.push(',');
        text.push_str(quantity.key());
    }
    text.push('\n');
    let cell = |value: Option<String>| value.unwrap_or_default();
    for row in rows {
        let mut cells = vec![
            cell(row.epoch.map(|e| e.to_string())),
            cell(row.step.map(|s| s.to_string())),
        ];
        cells.extend(
            Quantity::ALL
                .iter()
                .map(|&q| cell(row.get(q).map(|v| v.to_string()))),
        );
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}
