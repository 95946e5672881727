//! How product answers are written: the spec's example answer as the base
//! (so every field the schema requires is there), times in RFC 3339, and
//! request fields read leniently (the body was validated already).

use serde_json::{Map, Value};

/// A string field, or `""` when absent or not a string.
pub(crate) fn text<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A field as sent, or `null`.
pub(crate) fn sent(body: &Map<String, Value>, name: &str) -> Value {
    body.get(name).cloned().unwrap_or(Value::Null)
}
