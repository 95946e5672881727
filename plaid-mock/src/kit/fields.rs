//! Request fields, read leniently (the body was validated already).

use serde_json::{Map, Value};

/// A string field, or `""` when absent or not a string (the sandbox's own
/// reader, shared).
pub(crate) use crate::sandbox::field as text;

/// A field as sent, or `null`.
pub(crate) fn sent(body: &Map<String, Value>, name: &str) -> Value {
    body.get(name).cloned().unwrap_or(Value::Null)
}
