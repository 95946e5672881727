//! Paging of list answers, one of each kind Plaid uses: cursor paging (100
//! objects a page, `cursor` from the previous page's `next_cursor`),
//! `count`/`offset` paging, and the `start_date`..`end_date` window of a
//! list of events.

use serde_json::{Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;
use crate::kit::options::setting;

/// How many objects a `…/list` page holds.
pub(crate) const PAGE_SIZE: usize = 100;

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

/// The `count` of a request (at the top level or in `options`): `default`
/// when it is not sent, else between 1 and `max`.
pub(crate) fn count(
    body: &Map<String, Value>,
    default: i64,
    max: i64,
) -> Result<usize, ErrorAnswer> {
    let count = setting(body, "count")
        .and_then(Value::as_i64)
        .unwrap_or(default);
    if !(1..=max).contains(&count) {
        return Err(errors::invalid_field(format!(
            "count must be between 1 and {max}"
        )));
    }
    Ok(count as usize)
}

/// The `count` (see [`count`]) and `offset` (default 0, not negative) of
/// a request.
pub(crate) fn count_offset(
    body: &Map<String, Value>,
    default: i64,
    max: i64,
) -> Result<(usize, usize), ErrorAnswer> {
    let count = count(body, default, max)?;
    let offset = setting(body, "offset").and_then(Value::as_i64).unwrap_or(0);
    if offset < 0 {
        return Err(errors::invalid_field("offset must be at least 0"));
    }
    Ok((count, offset as usize))
}

/// The `start_date`..`end_date` window of a request, as unix seconds.
pub(crate) fn window(body: &Map<String, Value>) -> Result<(i64, i64), ErrorAnswer> {
    let bound = |name: &str, default: i64| match body.get(name).and_then(Value::as_str) {
        None => Ok(default),
        Some(text) => crate::kernel::time::parse_time(text)
            .map(crate::kernel::time::unix)
            .ok_or_else(|| {
                errors::invalid_field(format!(
                    "{name} must be an RFC 3339 date-time, got {text:?}"
                ))
            }),
    };
    Ok((bound("start_date", i64::MIN)?, bound("end_date", i64::MAX)?))
}

/// Whether the RFC 3339 time `at` falls in `start..=end` (unix seconds);
/// a missing or unreadable time counts as the epoch.
pub(crate) fn within(at: &Value, (start, end): (i64, i64)) -> bool {
    let at = at
        .as_str()
        .and_then(crate::kernel::time::parse_time)
        .map_or(0, crate::kernel::time::unix);
    (start..=end).contains(&at)
}

/// What cursor paging refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[Refusal::new(
    "a `cursor` no list call handed out",
    400,
    "INVALID_REQUEST",
    "INVALID_FIELD",
)];
