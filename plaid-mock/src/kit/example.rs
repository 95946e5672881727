//! The spec's example answer of an operation, the fake's template for the
//! objects it makes (without `request_id`).

use serde_json::{Map, Value};

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
