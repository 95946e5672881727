//! What the engine knows, for tests and tools: the resource families and
//! a minimal valid request body for any operation.

use serde_json::{Map, Value};

use crate::kernel::spec::generated::families::FAMILIES;
use crate::kernel::spec::schema;

/// A resource family as the generated table describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFamilyInfo {
    /// The path prefix, e.g. `/transfer`.
    pub prefix: &'static str,
    /// The id's name in get and action requests (`transfer_id`); empty
    /// when the family has no get by id.
    pub id_request: &'static str,
    /// The id's name in the stored object (`id`).
    pub id_answer: &'static str,
    /// The answer property holding the object; empty when the answer is it.
    pub object: &'static str,
    /// The list answer's array property; empty without a list.
    pub list_field: &'static str,
    /// Whether create and get answer with the same schema.
    pub same_shape: bool,
    /// Each verb (`create`, `get`, `list`, `cancel`, …) with its path.
    pub verbs: Vec<(&'static str, &'static str)>,
}

/// The engine's families whose operations no product model answers
/// (`modelled` says which paths a product model answers).
pub(crate) fn engine_families(modelled: impl Fn(&str) -> bool) -> Vec<ResourceFamilyInfo> {
    FAMILIES
        .iter()
        .filter(|f| !f.verbs.iter().any(|(_, path)| modelled(path)))
        .map(|f| ResourceFamilyInfo {
            prefix: f.prefix,
            id_request: f.id_request,
            id_answer: f.id_answer,
            object: f.object,
            list_field: f.list_field,
            same_shape: f.same_shape,
            verbs: f.verbs.to_vec(),
        })
        .collect()
}

/// A minimal body the fake accepts for `POST path`: every required field,
/// with the first enum value, a date, the smallest allowed number, a
/// string of allowed length. `None` for an unknown operation.
///
/// ```
/// let body = plaid_mock::sample_request("/transactions/get").unwrap();
/// assert_eq!(body["start_date"], "2024-01-31");
/// ```
pub fn sample_request(path: &str) -> Option<Value> {
    let node = schema::request("POST", path)?;
    Some(sample(node, 0))
}

fn sample(node: &Value, depth: usize) -> Value {
    let node = schema::resolve(node).0;
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    match schema::kind(node) {
        Some("object") => {
            let mut out = Map::new();
            if depth < 8 {
                for (name, field) in schema::properties(node).into_iter().flatten() {
                    if schema::is_required(node, name)
                        && !matches!(name.as_str(), "client_id" | "secret")
                    {
                        out.insert(name.clone(), sample(field, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        Some("array") => {
            let len = number("mini").unwrap_or(1.0).max(1.0) as usize;
            let item = schema::items(node).map_or(Value::from("sample"), |i| sample(i, depth + 1));
            Value::Array(vec![item; len])
        }
        Some("string") => {
            if let Some(first) = node
                .get("e")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
            {
                return first.clone();
            }
            match node.get("f").and_then(Value::as_str) {
                Some("date") => return Value::from("2024-01-31"),
                Some("date-time") => return Value::from("2024-01-31T12:00:00Z"),
                Some("email") => return Value::from("sample@example.com"),
                Some("uri") => return Value::from("https://example.com/sample"),
                Some("uuid") => return Value::from("6c5516e1-92dc-479e-a8ff-5a51992e0001"),
                Some("ipv4") => return Value::from("192.0.2.1"),
                Some("ipv6") => return Value::from("2001:db8::1"),
                _ => {}
            }
            let min = number("minl").unwrap_or(0.0) as usize;
            let max = number("maxl").map_or(usize::MAX, |m| m as usize);
            let mut text = String::from("sample");
            while text.len() < min {
                text.push('0');
            }
            text.truncate(max.max(min));
            Value::from(text)
        }
        Some("integer") => {
            let min = number("min")
                .or(number("xmin").map(|m| m + 1.0))
                .unwrap_or(1.0);
            Value::from(min.ceil() as i64)
        }
        Some("number") => {
            let min = number("min")
                .or(number("xmin").map(|m| m + 0.01))
                .unwrap_or(1.5);
            Value::from(min)
        }
        Some("boolean") => Value::Bool(true),
        _ => Value::Object(Map::new()),
    }
}
