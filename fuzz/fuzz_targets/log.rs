//! Any bytes given as a training log (any name the reader might key on) are either read
//! and judged or refused with an error; they never panic.
#![no_main]

use landscape_lab::logs::{self, ImportOptions, LogFile};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = [
    "log.txt",
    "metrics.csv",
    "trainer_state.json",
    "history.json",
    "run-tag-loss.csv",
];

fuzz_target!(|input: (u8, Vec<u8>)| {
    let (which, bytes) = input;
    let name = NAMES[usize::from(which) % NAMES.len()];
    if let Ok(file) = LogFile::from_bytes(name, bytes) {
        let _ = logs::import(&[file], &ImportOptions::default());
    }
});
