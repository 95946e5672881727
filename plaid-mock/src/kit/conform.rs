//! Answers that fit their schema: the last step before a JSON answer goes
//! out. Where a value the fake carried into the answer (a request's value
//! it echoed or stored, `null` for a field the request left out) does not
//! fit the answer's schema at that place, the answer keeps the fake's own
//! value there instead — the spec's example answer's — or, when the
//! example has none that fits, leaves out an optional field. A client
//! decoding the answer by the spec then never fails on a value the fake
//! chose to give.

use serde_json::{Map, Value};

use crate::kernel::spec::{fits, schema};

/// How deep answers are walked (the spec's nesting is far shallower).
const MAX_DEPTH: usize = 32;

/// Makes `answer` fit the compact schema `node`, taking replacements from
/// `own` (the fake's own answer for the operation, usually the spec's
/// example), computed only when something does not fit. `request_id`,
/// which is added as the answer is sent, is not looked for.
pub(crate) fn conform(node: &Value, answer: &mut Value, own: impl FnOnce() -> Value) {
    let placeholder = match answer {
        Value::Object(fields) if !fields.contains_key(REQUEST_ID) => {
            fields.insert(REQUEST_ID.into(), Value::String(String::new()));
            true
        }
        _ => false,
    };
    if !fits(node, answer) {
        let own = own();
        repair(node, answer, Some(&own), 0);
    }
    if let (true, Value::Object(fields)) = (placeholder, answer) {
        fields.remove(REQUEST_ID);
    }
}

/// The field every answer carries, filled in as it is sent.
const REQUEST_ID: &str = "request_id";

/// Repairs `value` in place against `node`; `own` is the fake's own value
/// at the same place, if it has one.
fn repair(node: &Value, value: &mut Value, own: Option<&Value>, depth: usize) {
    if depth > MAX_DEPTH || fits(node, value) {
        return;
    }
    let resolved = schema::resolve(node).0;
    match (value, schema::kind(resolved)) {
        (Value::Object(fields), Some("object")) => object(resolved, fields, own, depth),
        (Value::Array(items), Some("array")) => {
            if let Some(inner) = schema::items(resolved) {
                let own_item = own.and_then(Value::as_array).and_then(|a| a.first());
                for item in items.iter_mut() {
                    repair(inner, item, own_item, depth + 1);
                }
                // Items that still do not fit (and cannot be replaced) go.
                items.retain(|item| fits(inner, item));
            }
        }
        (value, _) => {
            if let Some(own) = own.filter(|own| fits(node, own)) {
                *value = own.clone();
            }
        }
    }
}

fn object(node: &Value, fields: &mut Map<String, Value>, own: Option<&Value>, depth: usize) {
    let own_field = |name: &str| own.and_then(|o| o.get(name));
    let mut drop = Vec::new();
    for (name, value) in fields.iter_mut() {
        let Some(field) = schema::property(node, name) else {
            continue;
        };
        repair(field, value, own_field(name), depth + 1);
        if !fits(field, value) && !schema::is_required(node, name) {
            drop.push(name.clone());
        }
    }
    for name in drop {
        fields.remove(&name);
    }
    // A required field the answer lacks: the fake's own, when it fits.
    if let Some(props) = schema::properties(node) {
        for (name, field) in props {
            if schema::is_required(node, name) && !fields.contains_key(name) {
                if let Some(own) = own_field(name).filter(|own| fits(field, own)) {
                    fields.insert(name.clone(), own.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_that_do_not_fit_become_the_fakes_own_or_go() {
        let node = json!({"t": "object", "r": ["address", "tags"], "p": {
            "address": {"t": "object", "r": ["city"], "p": {"city": {"t": "string"}}},
            "email": {"t": "string", "f": "email"},
            "site": {"t": "string", "f": "uri"},
            "tags": {"t": "array", "i": {"t": "string", "e": ["a", "b"]}},
            "note": {"t": "string", "n": true}
        }});
        let mut answer = json!({
            "address": null, "email": "", "site": "AAA", "tags": ["a", "zz", null],
            "note": null
        });
        let own = json!({"address": {"city": "Springfield"}, "email": "jane@example.com"});
        conform(&node, &mut answer, || own);
        assert_eq!(
            answer,
            json!({
                "address": {"city": "Springfield"}, "email": "jane@example.com",
                "tags": ["a"], "note": null
            })
        );
    }

    #[test]
    fn an_answer_that_fits_is_left_alone_and_own_is_not_built() {
        let node = json!({"t": "object", "p": {"a": {"t": "string"}}});
        let mut answer = json!({"a": "x"});
        conform(&node, &mut answer, || unreachable!("not needed"));
        assert_eq!(answer, json!({"a": "x"}));
    }
}
