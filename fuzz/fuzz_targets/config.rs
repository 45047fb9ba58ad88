//! Any text given as a run config (the page's URL state carries the same JSON) is either
//! a valid config that round-trips or an error; it never panics. Valid configs are also
//! turned into a run, so their data loading and limits are exercised.
#![no_main]

use landscape_lab::RunConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(config) = RunConfig::from_json(text) {
        let again = RunConfig::from_json(&config.to_json()).expect("a valid config round-trips");
        assert_eq!(again, config);
        // Keep runs short: the point is construction, not training.
        if config.epochs <= 2 && config.data.samples.unwrap_or(0) <= 2_000 {
            let _ = landscape_lab::train::Trainer::new(config);
        }
    }
});
