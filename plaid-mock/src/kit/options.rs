//! Request options that shape any answer: `account_ids`, the institution
//! metadata that appears only when asked, date ranges and pages of
//! canned lists, and optional fields Plaid leaves out rather than `null`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::kernel::spec::schema;

/// Institution fields sent only with `include_optional_metadata`.
const OPTIONAL_METADATA: &[&str] = &["url", "logo", "primary_color"];

/// A request option, at the top level or inside `options`.
pub(crate) fn setting<'b>(body: &'b Map<String, Value>, name: &str) -> Option<&'b Value> {
    body.get(name).or_else(|| body.get("options")?.get(name))
}

/// The `account_ids` a request limits its answer to.
pub(crate) fn account_ids(body: &Map<String, Value>) -> Option<HashSet<&str>> {
    let ids = setting(body, "account_ids")?.as_array()?;
    Some(ids.iter().filter_map(Value::as_str).collect())
}

/// Keeps, in every array of per-account objects, those of `ids`.
pub(crate) fn only_accounts(answer: &mut Value, ids: &HashSet<&str>) {
    match answer {
        Value::Array(items) => {
            items.retain(
                |item| match item.get("account_id").and_then(Value::as_str) {
                    Some(id) => ids.contains(id),
                    None => true,
                },
            );
            items.iter_mut().for_each(|i| only_accounts(i, ids));
        }
        Value::Object(fields) => fields.values_mut().for_each(|v| only_accounts(v, ids)),
        _ => {}
    }
}

/// Drops institution metadata from an institutions answer unless
/// `include_optional_metadata` asks for it.
pub(crate) fn institution_metadata(body: &Map<String, Value>, answer: &mut Value) {
    if setting(body, "include_optional_metadata").and_then(Value::as_bool) == Some(true) {
        return;
    }
    strip_metadata(answer);
}

fn strip_metadata(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            if fields.contains_key("institution_id") {
                for key in OPTIONAL_METADATA {
                    fields.remove(*key);
                }
            }
            fields.values_mut().for_each(strip_metadata);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_metadata),
        _ => {}
    }
}

/// `personal_finance_category` is `null` when the request turns it off.
pub(crate) fn personal_finance_category(body: &Map<String, Value>, answer: &mut Value) {
    if setting(body, "include_personal_finance_category").and_then(Value::as_bool) != Some(false) {
        return;
    }
    if let Some(Value::Array(items)) = answer.get_mut("transactions") {
        for item in items {
            if let Some(slot) = item.get_mut("personal_finance_category") {
                *slot = Value::Null;
            }
        }
    }
}

/// Limits the dated lists of a canned answer to `start_date..=end_date`
/// and pages its first list by `count`/`offset`.
pub(crate) fn canned_lists(body: &Map<String, Value>, answer: &mut Value) {
    let day = |name| {
        setting(body, name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (start, end) = (day("start_date"), day("end_date"));
    let count = setting(body, "count").and_then(Value::as_u64);
    let offset = setting(body, "offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let Value::Object(fields) = answer else {
        return;
    };
    let mut paged = false;
    for value in fields.values_mut() {
        let Value::Array(items) = value else {
            continue;
        };
        if !items.first().is_some_and(Value::is_object) {
            continue;
        }
        if start.is_some() || end.is_some() {
            items.retain(|item| match item.get("date").and_then(Value::as_str) {
                Some(date) => {
                    start.as_deref().is_none_or(|s| date >= s)
                        && end.as_deref().is_none_or(|e| date <= e)
                }
                None => true,
            });
        }
        if !paged && (count.is_some() || offset > 0) {
            paged = true;
            let rest: Vec<Value> = items.drain(..).skip(offset).collect();
            items.extend(
                rest.into_iter()
                    .take(count.map_or(usize::MAX, |c| c as usize)),
            );
        }
    }
}

/// Removes `null` from optional fields whose schema does not allow it:
/// Plaid leaves such fields out.
pub(crate) fn drop_forbidden_nulls(node: &Value, answer: &mut Value, depth: usize) {
    if depth > 24 {
        return;
    }
    let node = schema::resolve(node).0;
    match answer {
        Value::Object(fields) => {
            fields.retain(|name, value| {
                !value.is_null()
                    || schema::is_required(node, name)
                    || schema::property(node, name).is_none_or(|f| schema::resolve(f).1)
            });
            for (name, value) in fields.iter_mut() {
                if let Some(field) = schema::property(node, name) {
                    drop_forbidden_nulls(field, value, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(inner) = schema::items(node) {
                items
                    .iter_mut()
                    .for_each(|i| drop_forbidden_nulls(inner, i, depth + 1));
            }
        }
        _ => {}
    }
}
