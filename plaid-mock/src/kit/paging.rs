//! Cursor paging of a list answer: 100 objects a page, `cursor` from the
//! previous page's `next_cursor`.

use serde_json::{Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;

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

/// What cursor paging refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[Refusal::new(
    "a `cursor` no list call handed out",
    400,
    "INVALID_REQUEST",
    "INVALID_FIELD",
)];
