//! Request fields, read leniently (the body was validated already).

use serde_json::{Map, Value};

/// A string field, or `""` when absent or not a string (the sandbox's own
/// reader, shared).
pub(crate) use crate::sandbox::field as text;

/// The strings of an array value (others skipped); empty when the value
/// is absent or not an array.
pub(crate) fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A field as sent, or `null`.
pub(crate) fn sent(body: &Map<String, Value>, name: &str) -> Value {
    body.get(name).cloned().unwrap_or(Value::Null)
}
