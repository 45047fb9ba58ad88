//! Training logs from elsewhere. One fixture per format lives in tests/fixtures/logs/,
//! each with the series it must give (`*.points.csv`, worked out by hand) and its
//! verdict; malformed variants with their messages are in `malformed/expected.tsv`. The
//! lab's own exports must round-trip to the live run's verdict, long logs must stay
//! bounded as the lab's history does, and the `diagnose` command must print and write
//! the same.

use std::path::PathBuf;
use std::process::Command;

use landscape_lab::logs::{import, Grouping, ImportOptions, LogDiagnosis, LogFile, LogFormat};
use landscape_lab::presets::PRESETS;
use landscape_lab::train::history::MAX_RECORDS;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logs")
        .join(path)
}

/// The fixture files as the page or the CLI would pass them, named by file name.
fn files(paths: &[&str]) -> Vec<LogFile> {
    paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(fixture(path)).unwrap();
            let name = path.rsplit('/').next().unwrap();
            LogFile::from_bytes(name, bytes).unwrap()
        })
        .collect()
}

fn import_fixture(paths: &[&str]) -> LogDiagnosis {
    import(&files(paths), &ImportOptions::default()).unwrap()
}

/// A points CSV as numbers (`None` for empty cells); NaN stays NaN.
fn numbers(csv: &str) -> Vec<Vec<Option<f64>>> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("epoch,step,train_loss,val_loss,lr,grad_norm")
    );
    lines
        .map(|line| {
            line.split(',')
                .map(|cell| (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap()))
                .collect()
        })
        .collect()
}

/// The imported points equal the hand-made expectation (to rounding of the means).
fn assert_points(diagnosis: &LogDiagnosis, expected_file: &str) {
    let expected = numbers(&std::fs::read_to_string(fixture(expected_file)).unwrap());
    let actual = numbers(&diagnosis.points_csv());
    assert_eq!(actual.len(), expected.len(), "{expected_file}: point count");
    for (row, (a, e)) in actual.iter().zip(&expected).enumerate() {
        for (column, (a, e)) in a.iter().zip(e).enumerate() {
            let same = match (a, e) {
                (Some(a), Some(e)) if a.is_nan() || e.is_nan() => a.is_nan() && e.is_nan(),
                (Some(a), Some(e)) => (a - e).abs() <= 1e-12 * e.abs().max(1.0),
                (a, e) => a == e,
            };
            assert!(
                same,
                "{expected_file}: row {row}, column {column}: got {a:?}, expected {e:?}"
            );
        }
    }
}

/// Each format's fixture: how it is read, the series, and the verdict with the numbers its
/// evidence must state.
#[test]
fn every_format_gives_its_series_and_verdict() {
    struct Case {
        files: &'static [&'static str],
        points: &'static str,
        formats: &'static [LogFormat],
        grouping: Grouping,
        code: &'static str,
        /// Numbers and phrases the evidence must state.
        evidence: &'static [&'static str],
    }
    let cases = [
        Case {
            files: &["csv/epochs.csv"],
            points: "csv/epochs.points.csv",
            formats: &[LogFormat::Csv],
            grouping: Grouping::Epochs,
            code: "overfitting_past_optimum",
            evidence: &["0.6500", "16 %", "0.5600", "epoch 6"],
        },
        Case {
            files: &["lightning/metrics.csv"],
            points: "lightning/metrics.points.csv",
            formats: &[LogFormat::Lightning],
            grouping: Grouping::Epochs,
            code: "overfitting_begins",
            evidence: &["+0.0 %", "train loss fell 21.4 %", "46 %"],
        },
        Case {
            files: &[
                "tensorboard/run-dynamics_Loss_train-tag-Loss.csv",
                "tensorboard/run-dynamics_Loss_val-tag-Loss.csv",
                "tensorboard/run-dynamics-tag-LR.csv",
                "tensorboard/run-dynamics-tag-GradNorm.json",
            ],
            points: "tensorboard/run-dynamics.points.csv",
            formats: &[
                LogFormat::TensorBoardCsv,
                LogFormat::TensorBoardCsv,
                LogFormat::TensorBoardCsv,
                LogFormat::TensorBoardJson,
            ],
            grouping: Grouping::Evaluations,
            code: "lr_too_high",
            evidence: &["between evaluations 4 times", "last 10 evaluations"],
        },
        Case {
            files: &["huggingface/trainer_state.json"],
            points: "huggingface/trainer_state.points.csv",
            formats: &[LogFormat::HuggingFace],
            grouping: Grouping::Evaluations,
            code: "normal",
            evidence: &[
                "train loss 0.5550",
                "54 % of the first recorded one",
                "validation 0.6600",
            ],
        },
        Case {
            files: &["keras/history.json"],
            points: "keras/history.points.csv",
            formats: &[LogFormat::Keras],
            grouping: Grouping::Epochs,
            code: "underfitting",
            evidence: &[
                "train loss 0.6908",
                "100 % of the first recorded train loss 0.6940",
                "-0.0 %",
                "last 2 epochs",
            ],
        },
        Case {
            files: &["text/printout.txt"],
            points: "text/printout.points.csv",
            formats: &[LogFormat::Text],
            grouping: Grouping::Epochs,
            code: "normal",
            evidence: &[
                "train loss 0.4101",
                "39 % of the first recorded one",
                "validation 0.4502",
            ],
        },
        Case {
            files: &["text/keras_console.txt"],
            points: "text/keras_console.points.csv",
            formats: &[LogFormat::Text],
            grouping: Grouping::Epochs,
            code: "diverged",
            evidence: &["the train loss is NaN at epoch 4"],
        },
    ];
    for case in cases {
        let name = case.files[0];
        let diagnosis = import_fixture(case.files);
        let formats: Vec<LogFormat> = diagnosis.files.iter().map(|f| f.format).collect();
        assert_eq!(formats, case.formats, "{name}: formats");
        assert_eq!(diagnosis.grouping, case.grouping, "{name}: grouping");
        assert_points(&diagnosis, case.points);
        assert_eq!(diagnosis.diagnosis.code, case.code, "{name}");
        for fragment in case.evidence {
            assert!(
                diagnosis.diagnosis.message.contains(fragment),
                "{name}: \"{fragment}\" not in \"{}\"",
                diagnosis.diagnosis.message
            );
        }
        assert!(!diagnosis.diagnosis.fix.is_empty());

        // Without a baseline the scale is the first train loss, and the report says so.
        if case.code != "diverged" {
            assert!(
                diagnosis
                    .not_judged
                    .iter()
                    .any(|n| n.starts_with("no baseline loss")),
                "{name}: {:?}",
                diagnosis.not_judged
            );
        }
    }
}

/// What a log lacks is named: no gradient norm, lines the text reader skipped, epochs
/// renumbered, columns not used.
#[test]
fn reports_say_what_was_read_and_what_was_not() {
    let printout = import_fixture(&["text/printout.txt"]);
    let notes = &printout.files[0].notes;
    assert!(notes.contains(&"epochs counted from 0 were renumbered from 1".to_string()));
    assert!(
        notes.contains(
            &"2 line(s) not recognised, e.g. line 1: \"Using device: cpu\"; line 12: \"Good \
              fit: small train-val gap with low loss.\""
                .to_string()
        ),
        "{notes:?}"
    );
    assert!(printout
        .not_judged
        .contains(&"no gradient norm: only a non-finite loss could show divergence".to_string()));

    let keras = import_fixture(&["keras/history.json"]);
    assert!(keras.files[0]
        .notes
        .contains(&"not used: accuracy, val_accuracy".to_string()));

    let lightning = import_fixture(&["lightning/metrics.csv"]);
    assert_eq!(
        lightning.files[0].used,
        [
            "lr-AdamW → learning rate per step",
            "train_loss_epoch → train loss per epoch",
            "train_loss_step → train loss per step",
            "val_loss → validation loss per step",
        ]
    );
    assert_eq!(lightning.steps.len(), 16, "two logged steps per epoch");

    let report = lightning.report();
    assert!(
        report.contains("read metrics.csv (Lightning metrics.csv)"),
        "{report}"
    );
    assert!(report.contains("diagnosis: overfitting_begins"), "{report}");
    assert!(report.contains("  fix: add regularization"), "{report}");
}

/// Bad input, each with the message a user gets; files that read give their verdict.
#[test]
fn every_malformed_log_gets_its_message() {
    let table = std::fs::read_to_string(fixture("malformed/expected.tsv")).unwrap();
    let cases: Vec<(&str, &str)> = table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split_once('\t').unwrap())
        .collect();
    assert!(cases.len() >= 30);
    for (file, expected) in cases {
        let result = import(
            &files(&[&format!("malformed/{file}")]),
            &ImportOptions::default(),
        );
        match (result, expected.strip_prefix("OK ")) {
            (Ok(diagnosis), Some(code)) => assert_eq!(diagnosis.diagnosis.code, code, "{file}"),
            (Ok(diagnosis), None) => panic!("{file} was read: {}", diagnosis.report()),
            (Err(error), Some(_)) => panic!("{file} was refused: {error}"),
            (Err(error), None) => assert_eq!(error.to_string(), expected, "{file}"),
        }
    }
}

/// Input that never reaches a reader: binary files and text that is not UTF-8.
#[test]
fn binary_files_are_refused_before_reading() {
    let error = LogFile::from_bytes("events.out.tfevents.1733241600.host", vec![0, 1, 2])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a TensorBoard event file is binary"),
        "{error}"
    );
    let error = LogFile::from_bytes("log.csv", vec![0xff, 0xfe, 0x00])
        .unwrap_err()
        .to_string();
    assert_eq!(error, "log.csv: the file is not text (UTF-8)");
}

/// Two files that both hold one curve at one place are two runs, not one.
#[test]
fn one_curve_in_two_files_is_refused() {
    let a = LogFile::new("a.csv", "epoch,train_loss\n1,0.9\n2,0.8\n");
    let b = LogFile::new("b.csv", "epoch,train_loss\n1,0.7\n");
    let error = import(&[a, b], &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "b.csv: its train loss at epoch 1 is also in a.csv: give the files of one run, each \
         curve in one file"
    );
}

/// `--column` settles ambiguous names; `--baseline` gives the lab's scale.
#[test]
fn the_user_can_choose_columns_and_the_scale() {
    let log = LogFile::new(
        "run.csv",
        "step,loss,train_loss,valid_mse\n10,0.71,0.95,1.0\n20,0.705,0.85,0.9\n30,0.70,0.75,0.85\n",
    );
    let mut options = ImportOptions::default();
    options.columns.add("train_loss=loss").unwrap();
    options.columns.add("val_loss=valid_mse").unwrap();
    let diagnosis = import(std::slice::from_ref(&log), &options).unwrap();
    assert_eq!(
        diagnosis.points[2].train_loss,
        Some(0.7),
        "the chosen column"
    );
    assert_eq!(diagnosis.points[2].val_loss, Some(0.85));
    assert_eq!(
        diagnosis.diagnosis.code, "underfitting",
        "0.70 is 99 % of the first loss and barely moved"
    );

    // Measured against a mean predictor at 2.0, the same curve has learned a lot.
    options.baseline = Some(2.0);
    let diagnosis = import(std::slice::from_ref(&log), &options).unwrap();
    assert_eq!(diagnosis.diagnosis.code, "normal");
    assert!(diagnosis
        .diagnosis
        .message
        .contains("(35 % of the mean predictor's)"));
    assert!(
        !diagnosis
            .not_judged
            .iter()
            .any(|n| n.starts_with("no baseline")),
        "the scale is known"
    );
    options.baseline = Some(0.75);
    let diagnosis = import(&[log], &options).unwrap();
    assert!(diagnosis
        .diagnosis
        .message
        .contains("93 % of the mean predictor's 0.7500"));

    options.baseline = Some(-1.0);
    assert_eq!(
        import(&[LogFile::new("x.csv", "epoch,loss\n1,1\n")], &options)
            .unwrap_err()
            .to_string(),
        "--baseline must be a positive loss, got -1"
    );
}

/// Steps alone (no epochs, no validation) are judged in windows; epochs counted from 0
/// are renumbered; the points CSV reads back to the same verdict.
#[test]
fn steps_only_logs_are_judged_in_windows_and_exports_read_back() {
    let mut text = String::from("step,loss,lr\n");
    for step in 1..=120 {
        let loss = 2.0 / (1.0 + 0.05 * f64::from(step));
        text.push_str(&format!("{step},{loss},0.01\n"));
    }
    let diagnosis = import(
        &[LogFile::new("steps.csv", text)],
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(diagnosis.grouping, Grouping::Windows { steps: 3 });
    assert_eq!(diagnosis.points.len(), 40);
    assert_eq!(
        diagnosis.points[0].step,
        Some(3),
        "a window ends at its last step"
    );
    assert_eq!(diagnosis.diagnosis.code, "normal");
    assert!(diagnosis.not_judged[0].starts_with("no validation loss"));

    let keras_csv_logger = "epoch,loss,val_loss\n0,1.0,1.1\n1,0.8,0.9\n2,0.7,0.8\n";
    let diagnosis = import(
        &[LogFile::new("training.log", keras_csv_logger)],
        &ImportOptions::default(),
    )
    .unwrap();
    let epochs: Vec<Option<usize>> = diagnosis.points.iter().map(|p| p.epoch).collect();
    assert_eq!(epochs, [Some(1), Some(2), Some(3)]);

    for fixture_files in [
        &["huggingface/trainer_state.json"][..],
        &["csv/epochs.csv"],
        &["text/keras_console.txt"],
    ] {
        let first = import_fixture(fixture_files);
        let again = import(
            &[LogFile::new("points.csv", first.points_csv())],
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(again.diagnosis, first.diagnosis, "{fixture_files:?}");
    }
}

/// A million-step log is bounded exactly as the lab's history: the recent half whole,
/// the extremes of the older half kept, so an early spike survives.
#[test]
fn long_logs_stay_bounded_and_keep_their_spikes() {
    let mut text = String::with_capacity(20_000_000);
    text.push_str("step,train_loss\n");
    for step in 0..1_000_000u32 {
        let loss = if step == 1234 {
            50.0
        } else {
            1.0 / (1.0 + f64::from(step)).sqrt()
        };
        text.push_str(&format!("{step},{loss}\n"));
    }
    let diagnosis = import(&[LogFile::new("long.csv", text)], &ImportOptions::default()).unwrap();
    assert!(diagnosis.steps.len() <= MAX_RECORDS);
    assert!(diagnosis.steps.len() > MAX_RECORDS / 2);
    assert_eq!(diagnosis.steps.last().unwrap().step, Some(999_999));
    assert!(diagnosis.steps.iter().any(|r| r.train_loss == Some(50.0)));
    assert_eq!(diagnosis.grouping, Grouping::Windows { steps: 20_000 });
    assert_eq!(diagnosis.diagnosis.code, "normal");

    let mut epochs = String::from("epoch,train_loss,val_loss\n");
    for epoch in 1..=30_000u32 {
        let loss = 1.0 / f64::from(epoch).sqrt();
        epochs.push_str(&format!("{epoch},{loss},{}\n", loss * 1.1));
    }
    let diagnosis = import(
        &[LogFile::new("epochs.csv", epochs)],
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(diagnosis.points.len() <= MAX_RECORDS);
    assert_eq!(diagnosis.points.last().unwrap().epoch, Some(30_000));
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("landscape-lab-logs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every preset trained by the CLI and its exports imported: with the summary's baseline
/// the verdict is the live run's, its evidence word for word (the live run may add what
/// only it knows, such as early stopping; divergence names the step, not the update); from epochs.csv alone, scaled by the first epoch's loss, the code agrees
/// too, except for divergence, whose non-finite update only updates.csv records.
#[test]
fn the_labs_own_exports_round_trip_to_the_live_verdict() {
    for preset in PRESETS {
        let dir = temp_dir(preset.name);
        let config = dir.join("config.json");
        std::fs::write(&config, preset.config().unwrap().to_json()).unwrap();
        let status = binary()
            .args(["train", "--config"])
            .arg(&config)
            .arg("--out")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", preset.name);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap())
                .unwrap();
        let live_code = summary["diagnosis"]["code"].as_str().unwrap();
        let live_message = summary["diagnosis"]["message"].as_str().unwrap();

        let read =
            |name: &str| LogFile::from_bytes(name, std::fs::read(dir.join(name)).unwrap()).unwrap();
        let all = [
            read("epochs.csv"),
            read("updates.csv"),
            read("summary.json"),
        ];
        let imported = import(&all, &ImportOptions::default()).unwrap();
        assert_eq!(imported.diagnosis.code, live_code, "{}", preset.name);
        // The live run may add what only it knows (early stopping, restored weights).
        if live_code != "diverged" {
            assert!(
                live_message.contains(&imported.diagnosis.message),
                "{}: \"{}\" is not in \"{live_message}\"",
                preset.name,
                imported.diagnosis.message
            );
        }
        assert_eq!(imported.grouping, Grouping::Epochs);
        assert_eq!(imported.files[2].format, LogFormat::LabSummary);

        let epochs_only = import(&all[..1], &ImportOptions::default()).unwrap();
        if live_code != "diverged" {
            assert_eq!(
                epochs_only.diagnosis.code, live_code,
                "{} from epochs.csv",
                preset.name
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The command prints the report and writes the series, the verdict and the figure.
#[test]
fn the_diagnose_command_prints_and_writes() {
    let out = temp_dir("command");
    let output = binary()
        .arg("diagnose")
        .arg(fixture("tensorboard/run-dynamics_Loss_train-tag-Loss.csv"))
        .arg(fixture("tensorboard/run-dynamics_Loss_val-tag-Loss.csv"))
        .arg(fixture("tensorboard/run-dynamics-tag-GradNorm.json"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("diagnosis: lr_too_high"), "{stdout}");
    assert!(stdout.contains("judged on 10 evaluation(s)"), "{stdout}");

    let points = std::fs::read_to_string(out.join("points.csv")).unwrap();
    assert_eq!(numbers(&points).len(), 10);
    assert!(out.join("steps.csv").exists());
    let verdict: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("diagnosis.json")).unwrap())
            .unwrap();
    assert_eq!(verdict["diagnosis"]["code"], "lr_too_high");
    assert_eq!(verdict["grouping"]["kind"], "evaluations");
    let png = std::fs::read(out.join("curves.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    assert!(png.len() > 20_000, "a drawn figure, not an empty image");

    let output = binary().arg("diagnose").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("needs at least one log file"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}
