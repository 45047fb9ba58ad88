//! JSON as Python writes it: `json.dump` emits bare `NaN`, `Infinity` and `-Infinity` for
//! non-finite floats, which strict JSON (and serde_json) refuses. They are turned into the
//! strings `"NaN"`, `"Infinity"` and `"-Infinity"` before parsing, and [`number`] reads
//! those strings back as the values they name.

use serde_json::Value;

use super::series::parse_number;

/// Parses `text`, accepting Python's non-finite literals.
pub fn parse(text: &str) -> std::result::Result<Value, String> {
    serde_json::from_str(&quote_non_finite(text)).map_err(|e| format!("not valid JSON: {e}"))
}

/// Quotes bare `NaN`, `Infinity` and `-Infinity` that stand where a value may start.
fn quote_non_finite(text: &str) -> String {
    const LITERALS: [&str; 3] = ["-Infinity", "Infinity", "NaN"];
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    // The last character outside whitespace, to tell a value's start from a word's middle.
    let mut last_significant = ' ';
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(last_significant, '[' | ',' | ':') {
            if let Some(literal) = LITERALS.iter().find(|l| rest.starts_with(**l)) {
                out.push('"');
                out.push_str(literal);
                out.push('"');
                rest = &rest[literal.len()..];
                last_significant = '"';
                continue;
            }
        }
        out.push(c);
        if !c.is_whitespace() {
            last_significant = c;
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A JSON value as a logged number: numbers, numeric strings and the non-finite names;
/// `null` is a gap. Anything else is an error naming what was found.
pub fn number(value: &Value) -> std::result::Result<Option<f64>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("{n} is not a 64-bit float")),
        Value::String(text) => parse_number(text),
        Value::Bool(b) => Err(format!("expected a number, got {b}")),
        Value::Array(_) => Err("expected a number, got a list".into()),
        Value::Object(_) => Err("expected a number, got an object".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python's literals become values; the same words inside strings stay text.
    #[test]
    fn python_non_finite_literals() {
        let value =
            parse(r#"{"loss": [0.5, NaN, Infinity, -Infinity], "note": "NaN, x"}"#).unwrap();
        let losses: Vec<Option<f64>> = value["loss"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| number(v).unwrap())
            .collect();
        assert_eq!(losses[0], Some(0.5));
        assert!(losses[1].unwrap().is_nan());
        assert_eq!(losses[2], Some(f64::INFINITY));
        assert_eq!(losses[3], Some(f64::NEG_INFINITY));
        assert_eq!(value["note"], "NaN, x");
        assert!(parse("[1e400]").unwrap_err().contains("out of range"));
        assert_eq!(
            number(&Value::Bool(true)),
            Err("expected a number, got true".into())
        );
    }
}
