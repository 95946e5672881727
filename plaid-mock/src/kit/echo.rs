//! Echo: an answer carries what the request sent for the fields both have
//! (same name, and a value the answer's schema accepts there), instead of
//! the example's.

use serde_json::{Map, Value};

use crate::kernel::spec::schema;

/// Request fields that steer the call rather than describe the object.
const CONTROLS: &[&str] = &[
    "client_id",
    "secret",
    "options",
    "count",
    "offset",
    "cursor",
    "start_date",
    "end_date",
    "access_token",
    "access_tokens",
];

/// Copies the values of `request` into `answer` where `answer` has the
/// same field; `node` is the answer's compact schema, if known.
pub(crate) fn echo(request: &Map<String, Value>, answer: &mut Value, node: Option<&Value>) {
    echo_fields(request, answer, node, true);
}

fn echo_fields(request: &Map<String, Value>, answer: &mut Value, node: Option<&Value>, top: bool) {
    let Value::Object(fields) = answer else {
        return;
    };
    let node = node.map(|n| schema::resolve(n).0);
    for (name, sent) in request {
        if top && CONTROLS.contains(&name.as_str()) || sent.is_null() {
            continue;
        }
        let Some(here) = fields.get_mut(name) else {
            continue;
        };
        let field = node.and_then(|n| schema::property(n, name));
        match (sent, &mut *here) {
            (Value::Object(inner), Value::Object(_)) => echo_fields(inner, here, field, false),
            _ => {
                let fits = match field {
                    Some(field) => crate::kernel::spec::fits(field, sent),
                    None => same_kind(sent, here),
                };
                if fits {
                    *here = sent.clone();
                }
            }
        }
    }
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Echoes `request` into the answer's top level and into its object
/// properties that the request does not name (`transfer`, `recipient`).
pub(crate) fn echo_answer(request: &Map<String, Value>, answer: &mut Value, node: Option<&Value>) {
    echo(request, answer, node);
    let node = node.map(|n| schema::resolve(n).0);
    if let Value::Object(fields) = answer {
        for (name, inner) in fields.iter_mut() {
            if inner.is_object() && !request.contains_key(name) {
                let field = node.and_then(|n| schema::property(n, name));
                echo_fields(request, inner, field, true);
            }
        }
    }
}
