//! Any text given as a CSV either parses into a consistent table or gives an error; it
//! never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(data) = landscape_lab::data::csv::parse(text, None) {
        assert_eq!(data.features.len(), data.len() * data.n_features);
        assert!(data
            .features
            .iter()
            .chain(&data.targets)
            .all(|v| v.is_finite()));
    }
});
