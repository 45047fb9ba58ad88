//! Bad input, each with the message a user gets. The corpus lives in tests/corpus/: CSV
//! files with `expected.tsv` (file, task, message), and configs in
//! `config/expected.tsv` (one JSON per line, message). Large inputs are generated here.

use std::path::PathBuf;

use landscape_lab::config::{DataConfig, DataSource, RunConfig, Task};
use landscape_lab::data::csv;
use landscape_lab::train::Trainer;

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(path)
}

fn lines(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(corpus(path))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_bad_csv_gets_its_message() {
    let cases = lines("csv/expected.tsv");
    assert!(cases.len() >= 15);
    for case in cases {
        let (file, task, expected) = (&case[0], &case[1], &case[2]);
        let config = RunConfig {
            epochs: 1,
            data: DataConfig {
                source: DataSource::Csv,
                path: Some(corpus(&format!("csv/{file}")).display().to_string()),
                task: Some(if task == "binary" {
                    Task::Binary
                } else {
                    Task::Regression
                }),
                ..DataConfig::default()
            },
            ..RunConfig::default()
        };
        match Trainer::new(config) {
            Ok(trainer) => {
                let rows = trainer.data().train.len() + trainer.data().val.len();
                assert_eq!(expected, &format!("OK {rows}"), "{file} was accepted");
            }
            Err(err) => assert!(
                err.to_string().contains(expected.as_str()),
                "{file}: got \"{err}\", expected \"{expected}\""
            ),
        }
    }
}

#[test]
fn every_bad_config_gets_its_message() {
    let cases = lines("config/expected.tsv");
    assert!(cases.len() >= 45);
    for case in cases {
        let (json, expected) = (&case[0], &case[1]);
        let message = match RunConfig::from_json(json) {
            Ok(config) => match Trainer::new(config) {
                Ok(_) => panic!("{json} was accepted"),
                Err(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        assert!(
            message.contains(expected.as_str()),
            "{json}: got \"{message}\", expected \"{expected}\""
        );
    }
}

#[test]
fn oversized_csvs_are_refused_with_the_limit() {
    // 50 MB of valid rows.
    let row = "1.25,2.5,3.75,4.0,5.5,6.0,7.25,8.5,9.75,10.0\n";
    let mut big = String::from("a,b,c,d,e,f,g,h,i,y\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(row);
    }
    let err = csv::parse(&big, None).unwrap_err().to_string();
    assert!(
        err.starts_with("the CSV is 50.0 MB; the limit is 20 MB"),
        "{err}"
    );

    // 10,000 columns.
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let values = vec!["1"; 10_000].join(",");
    let wide = format!("{}\n{values}\n{values}\n", header.join(","));
    let err = csv::parse(&wide, None).unwrap_err().to_string();
    assert_eq!(err, "the CSV has 10000 columns; the limit is 4096");

    // Many rows of a permitted width, past the cell limit.
    let mut tall = String::from("a,b,c,d,e,f,g,h,i,y\n");
    for _ in 0..600_000 {
        tall.push_str("1,2,3,4,5,6,7,8,9,0\n");
    }
    let err = csv::parse(&tall, None).unwrap_err().to_string();
    assert!(
        err.starts_with("the CSV has more than 5000000 cells"),
        "{err}"
    );
}
