//! How product answers are written: the spec's example answer as the base
//! (so every field the schema requires is there), times in RFC 3339, and
//! request fields read leniently (the body was validated already).

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::kernel::spec::{Canned, OperationSpec};

/// The spec's example answer for `path` (without `request_id`, which the
/// fake adds), or an empty object when the spec has none.
pub(crate) fn example(path: &str) -> Value {
    let mut value = match OperationSpec::find("POST", path).map(|op| op.answer) {
        Some(Canned::Json(text)) => serde_json::from_str(text).unwrap_or_default(),
        _ => Value::Null,
    };
    match value.as_object_mut() {
        Some(object) => {
            object.remove("request_id");
            value
        }
        None => Value::Object(Map::new()),
    }
}

/// `at` in RFC 3339 (`2024-01-31T12:00:00Z`).
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Unix seconds of `at`, the form stored times take.
pub(crate) fn unix(at: OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

/// RFC 3339 of stored unix seconds.
pub(crate) fn rfc3339_of(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(rfc3339)
        .unwrap_or_default()
}

/// A string field, or `""` when absent or not a string.
pub(crate) fn text<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A field as sent, or `null`.
pub(crate) fn sent(body: &Map<String, Value>, name: &str) -> Value {
    body.get(name).cloned().unwrap_or(Value::Null)
}

/// Parses an RFC 3339 time sent in a request.
pub(crate) fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}
