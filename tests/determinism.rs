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
    1.3533801337619127,
    1.021677669043389,
    0.8952586404528657,
    0.943308186976488,
    1.2450265001168836,
    1.3066829487505285,
    0.9582130031803162,
    0.8293071104426769,
    0.8425134173925414,
    1.0379829532978846,
    1.3650977800921245,
    0.982188476779449,
    0.8342228736446102,
    0.8174069748878401,
    0.9404466081229066,
    1.5015234684711645,
    1.0573349527715792,
    0.8706815930983979,
    0.8260834196060334,
    0.9009179292396241,
    1.80172613925148,
    1.219513609457786,
    0.9620799290221866,
    0.8879198326139001,
    0.9123606482887215,
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
