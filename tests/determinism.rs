//! Same config and seed, same numbers: natively bit for bit, and in the browser within a
//! stated tolerance of the native ones.
//!
//! Golden values: `landscape-lab surface --config CONFIG` (native release build) on the
//! config below, printed with Python's repr from epochs.csv and surface.json. Native code
//! must reproduce them exactly. WebAssembly runs the same f32 arithmetic in the same order
//! (the kernels fix their summation order in source), but the learning-rate schedule's
//! cosine comes from a different libm, so the browser may differ in the last bits: it must
//! agree to 1e-6 relative.

use landscape_lab::landscape::SurfaceJob;
use landscape_lab::train::Trainer;
use landscape_lab::RunConfig;

const CONFIG: &str = r#"{"epochs": 10, "landscape": {"resolution": 5}}"#;
const TRAIN_LOSS: f64 = 0.8342228653704663;
const VAL_LOSS: f64 = 0.846305433514381;
const SURFACE: [f64; 25] = [
    1.353380129756496,
    1.0216776763635866,
    0.8952586381109399,
    0.9433081733858181,
    1.245026456149195,
    1.3066829416333912,
    0.9582130000711496,
    0.8293071041649283,
    0.8425134194150676,
    1.0379829463601535,
    1.3650977779941853,
    0.9821884672035787,
    0.8342228707717861,
    0.8174069732514727,
    0.9404466014007563,
    1.5015234519365575,
    1.0573349539099466,
    0.8706815934887076,
    0.8260834227156296,
    0.9009179158358692,
    1.8017260987501855,
    1.2195136070991766,
    0.9620799237000025,
    0.8879198331057382,
    0.9123606385076749,
];

/// Trains the golden config and samples its surface.
fn run() -> (f64, f64, Vec<f64>) {
    let mut trainer = Trainer::new(RunConfig::from_json(CONFIG).unwrap()).unwrap();
    trainer.run_to_end();
    let last = trainer.history().epochs.last().unwrap().clone();
    let mut job = SurfaceJob::new(&trainer).unwrap();
    while !job.compute_rows(5) {}
    (
        last.train_loss_eval,
        last.val_loss.unwrap(),
        job.surface().loss.clone(),
    )
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn native_runs_reproduce_the_golden_numbers_bit_for_bit() {
    let (train, val, surface) = run();
    assert_eq!(train, TRAIN_LOSS);
    assert_eq!(val, VAL_LOSS);
    assert_eq!(surface, SURFACE.to_vec());
    assert_eq!(
        run(),
        (train, val, surface),
        "and again in the same process"
    );
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_browser_agrees_with_native_within_one_in_a_million() {
        let (train, val, surface) = run();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs();
        assert!(
            close(train, TRAIN_LOSS),
            "train {train} vs native {TRAIN_LOSS}"
        );
        assert!(close(val, VAL_LOSS), "val {val} vs native {VAL_LOSS}");
        for (i, (&ours, &native)) in surface.iter().zip(&SURFACE).enumerate() {
            assert!(close(ours, native), "cell {i}: {ours} vs native {native}");
        }
        assert_eq!(run(), (train, val, surface), "bit-identical run to run");
    }
}
