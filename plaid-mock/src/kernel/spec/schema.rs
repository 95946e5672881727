//! The generated compact schemas (see plaid-codegen's `mock_schema`),
//! parsed once, and the request and answer schema of each operation.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::kernel::spec::generated::schemas::{OPERATION_SCHEMAS, SCHEMAS};

/// How deep references are followed before giving up (cycles).
const MAX_REFS: usize = 32;

fn parsed() -> &'static HashMap<&'static str, Value> {
    static PARSED: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    PARSED.get_or_init(|| {
        SCHEMAS
            .iter()
            .filter_map(|(name, text)| Some((*name, serde_json::from_str(text).ok()?)))
            .collect()
    })
}

/// (method, path) → (request schema, answer schema), by name.
type SchemasByOperation = HashMap<(&'static str, &'static str), (&'static str, &'static str)>;

fn by_operation() -> &'static SchemasByOperation {
    static BY_OP: OnceLock<SchemasByOperation> = OnceLock::new();
    BY_OP.get_or_init(|| {
        OPERATION_SCHEMAS
            .iter()
            .map(|(method, path, req, ans)| ((*method, *path), (*req, *ans)))
            .collect()
    })
}

/// The compact schema called `name`.
pub(crate) fn named(name: &str) -> Option<&'static Value> {
    parsed().get(name)
}

/// The request schema of an operation (`None` without a JSON body).
pub(crate) fn request(method: &str, path: &str) -> Option<&'static Value> {
    let (req, _) = by_operation().get(&(method, path))?;
    named(req)
}

/// The answer schema of an operation (`None` when it is not JSON).
pub(crate) fn answer(method: &str, path: &str) -> Option<&'static Value> {
    let (_, ans) = by_operation().get(&(method, path))?;
    named(ans)
}

/// `node` with references followed; `nullable` is true if any step allows `null`.
pub(crate) fn resolve(node: &Value) -> (&Value, bool) {
    let mut node = node;
    let mut nullable = false;
    for _ in 0..MAX_REFS {
        nullable |= node.get("n").and_then(Value::as_bool) == Some(true);
        match node.get("$").and_then(Value::as_str).and_then(named) {
            Some(target) => node = target,
            None => break,
        }
    }
    (node, nullable)
}

/// The JSON kind of a resolved node (`None`: anything).
pub(crate) fn kind(node: &Value) -> Option<&str> {
    node.get("t").and_then(Value::as_str)
}

/// The properties of a resolved object node.
pub(crate) fn properties(node: &Value) -> Option<&Map<String, Value>> {
    node.get("p").and_then(Value::as_object)
}

/// Whether `name` is required in a resolved object node.
pub(crate) fn is_required(node: &Value, name: &str) -> bool {
    node.get("r")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
}

/// The schema of property `name` of a resolved object node (or of its
/// additional properties).
pub(crate) fn property<'n>(node: &'n Value, name: &str) -> Option<&'n Value> {
    properties(node)
        .and_then(|p| p.get(name))
        .or_else(|| node.get("ap").filter(|ap| ap.is_object()))
}

/// The item schema of a resolved array node.
pub(crate) fn items(node: &Value) -> Option<&Value> {
    node.get("i")
}
