//! Any text after the '#' of a link, read the way the page reads it, never panics, and a
//! link the page writes for a run replays that run.
//!
//! The page (www/js/url-state.js, main.js) takes the hash apart with `URLSearchParams`
//! (the WHATWG form-urlencoded parser, which `form_urlencoded` implements), parses the
//! first `config` value with `JSON.parse`, requires a JSON object, and hands its
//! `JSON.stringify` to the engine's `checkConfig`, that is [`landscape_lab::plan::check`].
//! serde_json's `Value` stands in for the JavaScript object here. A config that passes is
//! written back into a link the way `hashFor` writes it (inline samples too, which the
//! page leaves out); reading that link again must give the same config and counts.
#![no_main]

use landscape_lab::plan;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The longest hash the page reads (url-state.js MAX_HASH_CHARS); longer ones get a
/// notice without being parsed.
const MAX_HASH_CHARS: usize = 200_000;

/// The `config` value of a hash as `URLSearchParams.get` returns it: the first one.
fn config_param(hash: &[u8]) -> Option<String> {
    // URLSearchParams drops one leading '?' from its input.
    let query = hash.strip_prefix(b"?").unwrap_or(hash);
    form_urlencoded::parse(query)
        .find(|(name, _)| name == "config")
        .map(|(_, value)| value.into_owned())
}

/// What `checkConfig` receives for a hash, or `None` when the page stops earlier with a
/// notice (no config, not JSON, not an object).
fn engine_input(hash: &[u8]) -> Option<String> {
    let text = config_param(hash)?;
    let value: Value = serde_json::from_str(&text).ok()?;
    value.is_object().then(|| value.to_string())
}

fuzz_target!(|hash: &[u8]| {
    if hash.len() > MAX_HASH_CHARS {
        return;
    }
    let Some(input) = engine_input(hash) else {
        return;
    };
    let Ok((config, counts)) = plan::check(&input) else {
        return;
    };

    // The page writes the checked config, every key present, into its link.
    let link = form_urlencoded::Serializer::new(String::new())
        .append_pair("config", &config.to_json())
        .finish();
    let again = engine_input(link.as_bytes()).expect("the page's own link holds a config");
    let (config_again, counts_again) =
        plan::check(&again).expect("the page's own link passes the check");
    assert_eq!(config_again, config, "the link replays the same settings");
    assert_eq!(counts_again, counts, "and the same counts");
});
