//! The native CLI end to end: it runs the real binary and reads the files it writes.

use std::path::PathBuf;
use std::process::Command;

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_landscape-lab"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("landscape-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The reference run without --config: counts of the source material's loop on 354
/// diabetes train rows, and the surface centre equal to the final evaluated train loss.
#[test]
fn surface_of_the_reference_run() {
    let out = temp_dir("surface");
    let status = binary()
        .args(["surface", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["n_train"], 354);
    assert_eq!(summary["n_val"], 88);
    assert_eq!(summary["micro_batches_per_epoch"], 12);
    assert_eq!(summary["updates_per_epoch"], 3);
    assert_eq!(summary["total_updates"], 300);
    assert_eq!(summary["effective_batch_size"], 128);
    assert_eq!(summary["epochs_run"], 100);
    assert!(summary["diagnosis"]["code"].is_string());

    let surface: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("surface.json")).unwrap()).unwrap();
    let loss = surface["loss"].as_array().unwrap();
    assert_eq!(loss.len(), 51 * 51);
    assert_eq!(surface["alphas"][0], -1.0);
    assert_eq!(surface["betas"][50], 1.0);
    assert_eq!(surface["normalization"], "filter");
    assert_eq!(surface["directions"].as_array().unwrap().len(), 2);
    assert_eq!(surface["directions"][0].as_array().unwrap().len(), 769);
    assert_eq!(surface["layout"][2]["name"], "2.weight");
    let centre = surface["center_loss"].as_f64().unwrap();
    let final_train = summary["final"]["train_loss_eval"].as_f64().unwrap();
    assert_eq!(centre, final_train, "centre = final evaluated train loss");
    let grid_centre = loss[25 * 51 + 25].as_f64().unwrap();
    assert!((grid_centre - centre).abs() < 1e-5 * centre);

    let epochs = std::fs::read_to_string(out.join("epochs.csv")).unwrap();
    let mut lines = epochs.lines();
    assert_eq!(
        lines.next().unwrap(),
        "epoch,train_loss_running,train_loss_eval,val_loss,lr_end,grad_norm_mean,\
         train_accuracy,val_accuracy,val_r2,val_rmse"
    );
    assert!(
        lines.next().unwrap().starts_with("1,"),
        "epochs count from 1"
    );
    assert_eq!(epochs.lines().count(), 101);
    let updates = std::fs::read_to_string(out.join("updates.csv")).unwrap();
    assert_eq!(
        updates.lines().next().unwrap(),
        "update,epoch,lr,grad_norm,clipped,batch_loss"
    );
    assert!(
        updates.lines().nth(1).unwrap().starts_with("0,1,"),
        "updates count from 0"
    );
    assert_eq!(updates.lines().count(), 301);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn preset_prints_a_config_that_reads_back() {
    let output = binary().args(["preset", "reference"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let config = landscape_lab::RunConfig::from_json(&text).unwrap();
    assert_eq!(config, landscape_lab::RunConfig::default());
}

#[test]
fn bad_config_is_reported_with_the_field() {
    let dir = temp_dir("bad-config");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(&path, r#"{"batch_size": 0}"#).unwrap();
    let output = binary()
        .args(["train", "--config"])
        .arg(&path)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("batch_size must be at least 1, got 0"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same config and seed twice give byte-identical surface.json files, apart from the
/// timing line; the file carries the path, the captured fraction and the sharpness.
#[test]
fn surface_json_is_reproducible_and_complete() {
    let dir = temp_dir("reproducible");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        r#"{"epochs": 5, "landscape": {"resolution": 11, "plane": "pca"}}"#,
    )
    .unwrap();
    let mut texts = Vec::new();
    for run in ["a", "b"] {
        let out = dir.join(run);
        let status = binary()
            .arg("surface")
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let text = std::fs::read_to_string(out.join("surface.json")).unwrap();
        let without_timing: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("\"elapsed_ms\""))
            .collect();
        texts.push(without_timing.join("\n"));
    }
    assert_eq!(texts[0], texts[1]);

    let surface: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("a").join("surface.json")).unwrap())
            .unwrap();
    assert_eq!(surface["plane"]["plane"], "pca");
    let ratios = surface["plane"]["explained_variance"].as_array().unwrap();
    assert!(ratios[0].as_f64().unwrap() >= ratios[1].as_f64().unwrap());
    let path = surface["path"].as_array().unwrap();
    assert_eq!(path.len(), 16, "15 updates then the centre");
    assert_eq!(path[15]["update"], 15);
    assert!(surface["captured_fraction"].as_f64().unwrap() > 0.5);
    assert!(surface["sharpness"]["lambda_max"].as_f64().unwrap() > 0.0);
    assert!(surface["sharpness"]["trace"].is_number());
    let _ = std::fs::remove_dir_all(&dir);
}
