//! What every product lifecycle starts from: the spec's canned answer for an
//! operation, fresh ids in Plaid's formats, timestamps, and cursor pages.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::spec::{Canned, OperationSpec};
use crate::sandbox::State;

/// How many objects a `…/list` page holds.
pub(crate) const PAGE_SIZE: usize = 100;

/// The spec's example answer for `POST path`, to overwrite field by field
/// (so an answer keeps every field its schema requires).
pub(crate) fn canned(path: &str) -> Value {
    match OperationSpec::find("POST", path).map(|op| op.answer) {
        Some(Canned::Json(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        _ => Value::Null,
    }
    .as_object()
    .cloned()
    .map(|mut fields| {
        fields.remove("request_id");
        Value::Object(fields)
    })
    .unwrap_or_else(|| Value::Object(Map::new()))
}

/// `prefix` and 14 base62 characters, as Plaid's `idv_…`, `scr_…` ids.
pub(crate) fn short_id(state: &mut State, prefix: &str) -> String {
    let id = state.rng.id();
    format!("{prefix}{}", &id[..14])
}

/// RFC 3339 at second precision, as Plaid writes timestamps.
pub(crate) fn timestamp(at: OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A string field of the body, or `""`.
pub(crate) fn text<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// One page of `items` from `cursor` (absent or empty: the first page), and
/// the cursor of the next page (`null` after the last one).
pub(crate) fn page(
    items: Vec<Value>,
    body: &Map<String, Value>,
) -> Result<(Vec<Value>, Value), ErrorAnswer> {
    let cursor = text(body, "cursor");
    let start = if cursor.is_empty() {
        0
    } else {
        cursor
            .strip_prefix("page-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| errors::invalid_field("cursor is not a cursor a list call handed out"))?
    };
    let end = (start + PAGE_SIZE).min(items.len());
    let next = if end < items.len() {
        Value::String(format!("page-{end}"))
    } else {
        Value::Null
    };
    Ok((items[start..end].to_vec(), next))
}
