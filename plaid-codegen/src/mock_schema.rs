//! The fake Plaid's schema table: every component schema an operation
//! reaches, compacted to what the fake needs to validate requests in depth
//! and to shape answers (no prose, no examples).
//!
//! A compact node is a JSON object with these keys, all optional:
//!
//! | key | meaning |
//! |---|---|
//! | `$` | a reference to the named schema |
//! | `t` | `object`, `array`, `string`, `integer`, `number`, `boolean` |
//! | `n` | `true`: `null` is allowed |
//! | `p` | object properties, by wire name |
//! | `r` | required property names |
//! | `ap` | `false`: no other properties; a node: the type of the others |
//! | `i` | array items |
//! | `e` | enum values (strings) |
//! | `f` | format (`date`, `date-time`, `email`, `uri`, `uuid`, `ipv4`, `ipv6`) |
//! | `min`, `max`, `xmin`, `xmax` | numeric bounds (inclusive, exclusive) |
//! | `minl`, `maxl` | string length bounds |
//! | `mini`, `maxi` | array length bounds |
//! | `u` | `true`: array items must be unique |
//!
//! A node with no `t` and no `$` accepts anything (`oneOf`, `anyOf`,
//! free-form schemas): the fake is never stricter than the spec can say.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{json, Map, Value as Json};
use serde_yaml::Value;

use crate::render::{raw_string_literal, HEADER};

/// The string formats the fake checks: the standard ones the spec uses
/// (its `url`, `double` and other names are descriptions, not rules).
pub const CHECKED_FORMATS: &[&str] = &["date", "date-time", "email", "uri", "uuid", "ipv4", "ipv6"];

/// Where the schema table goes.
pub const SCHEMA_TABLE: &str = "plaid-mock/src/kernel/spec/generated/schemas.rs";

fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_mapping()?.get(key)
}

fn ref_name(value: &Value) -> Option<&str> {
    get(value, "$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// Compacts the spec's component schemas.
pub struct Compactor<'s> {
    schemas: &'s serde_yaml::Mapping,
}

impl<'s> Compactor<'s> {
    /// A compactor over `components.schemas`.
    pub fn new(schemas: &'s serde_yaml::Mapping) -> Self {
        Self { schemas }
    }

    fn schema(&self, name: &str) -> Option<&'s Value> {
        self.schemas.get(name)
    }

    /// The compact node of `schema`.
    pub fn node(&self, schema: &Value) -> Json {
        let mut out = Map::new();
        let nullable = get(schema, "nullable").and_then(Value::as_bool) == Some(true);
        if nullable {
            out.insert("n".into(), Json::Bool(true));
        }
        if let Some(name) = ref_name(schema) {
            out.insert("$".into(), Json::from(name));
            return Json::Object(out);
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            // A lone reference (often with `nullable` or a description).
            if parts.len() == 1 && get(schema, "properties").is_none() {
                if let Some(name) = ref_name(&parts[0]) {
                    out.insert("$".into(), Json::from(name));
                    return Json::Object(out);
                }
            }
            let mut props = Map::new();
            let mut required = BTreeSet::new();
            let mut closed = false;
            self.flatten(schema, &mut props, &mut required, &mut closed);
            out.insert("t".into(), Json::from("object"));
            out.insert("p".into(), Json::Object(props));
            out.insert(
                "r".into(),
                Json::from(required.into_iter().collect::<Vec<_>>()),
            );
            if closed {
                out.insert("ap".into(), Json::Bool(false));
            }
            return Json::Object(out);
        }
        if get(schema, "oneOf").is_some() || get(schema, "anyOf").is_some() {
            return Json::Object(out);
        }
        let ty = get(schema, "type").and_then(Value::as_str);
        let ty = match ty {
            None if get(schema, "properties").is_some() => Some("object"),
            other => other,
        };
        match ty {
            Some("object") => {
                let mut props = Map::new();
                let mut required = BTreeSet::new();
                let mut closed = false;
                self.flatten(schema, &mut props, &mut required, &mut closed);
                out.insert("t".into(), Json::from("object"));
                if get(schema, "properties").is_some() {
                    out.insert("p".into(), Json::Object(props));
                    out.insert(
                        "r".into(),
                        Json::from(required.into_iter().collect::<Vec<_>>()),
                    );
                }
                match get(schema, "additionalProperties") {
                    Some(Value::Bool(false)) => {
                        out.insert("ap".into(), Json::Bool(false));
                    }
                    Some(extra @ Value::Mapping(_)) => {
                        out.insert("ap".into(), self.node(extra));
                    }
                    _ => {}
                }
            }
            Some("array") => {
                out.insert("t".into(), Json::from("array"));
                if let Some(items) = get(schema, "items") {
                    out.insert("i".into(), self.node(items));
                }
                copy_number(schema, "minItems", "mini", &mut out);
                copy_number(schema, "maxItems", "maxi", &mut out);
                if get(schema, "uniqueItems").and_then(Value::as_bool) == Some(true) {
                    out.insert("u".into(), Json::Bool(true));
                }
            }
            Some(t @ ("string" | "integer" | "number" | "boolean")) => {
                out.insert("t".into(), Json::from(t));
                if let Some(values) = get(schema, "enum").and_then(Value::as_sequence) {
                    let values: Vec<Json> = values
                        .iter()
                        .filter_map(|v| match v {
                            Value::String(s) => Some(Json::from(s.as_str())),
                            Value::Number(n) => Some(Json::from(n.to_string())),
                            Value::Bool(b) => Some(Json::from(b.to_string())),
                            _ => None,
                        })
                        .collect();
                    if t == "string" && !values.is_empty() {
                        out.insert("e".into(), Json::from(values));
                    }
                }
                if let Some(format) = get(schema, "format").and_then(Value::as_str) {
                    if CHECKED_FORMATS.contains(&format) {
                        out.insert("f".into(), Json::from(format));
                    }
                }
                copy_number(schema, "minimum", "min", &mut out);
                copy_number(schema, "maximum", "max", &mut out);
                for (key, short, bound) in [
                    ("exclusiveMinimum", "xmin", "minimum"),
                    ("exclusiveMaximum", "xmax", "maximum"),
                ] {
                    if get(schema, key).and_then(Value::as_bool) == Some(true) {
                        if let Some(value) =
                            out.remove(if bound == "minimum" { "min" } else { "max" })
                        {
                            out.insert(short.into(), value);
                        }
                    }
                }
                copy_number(schema, "minLength", "minl", &mut out);
                copy_number(schema, "maxLength", "maxl", &mut out);
            }
            _ => {}
        }
        Json::Object(out)
    }

    fn flatten(
        &self,
        schema: &Value,
        props: &mut Map<String, Json>,
        required: &mut BTreeSet<String>,
        closed: &mut bool,
    ) {
        if let Some(name) = ref_name(schema) {
            if let Some(target) = self.schema(name) {
                self.flatten(target, props, required, closed);
            }
            return;
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            for part in parts {
                self.flatten(part, props, required, closed);
            }
        }
        if get(schema, "additionalProperties").and_then(Value::as_bool) == Some(false) {
            *closed = true;
        }
        if let Some(map) = get(schema, "properties").and_then(Value::as_mapping) {
            for (key, value) in map {
                if let Some(key) = key.as_str() {
                    props.insert(key.to_owned(), self.node(value));
                }
            }
        }
        if let Some(list) = get(schema, "required").and_then(Value::as_sequence) {
            required.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
        }
    }

    /// Every compact schema reachable from `roots`, by name.
    pub fn reachable(&self, roots: impl IntoIterator<Item = String>) -> BTreeMap<String, Json> {
        let mut out = BTreeMap::new();
        let mut todo: Vec<String> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if out.contains_key(&name) {
                continue;
            }
            let Some(schema) = self.schema(&name) else {
                continue;
            };
            let node = self.node(schema);
            collect_refs(&node, &mut todo);
            out.insert(name, node);
        }
        out
    }
}

fn copy_number(schema: &Value, key: &str, short: &str, out: &mut Map<String, Json>) {
    if let Some(n) = get(schema, key).and_then(Value::as_f64) {
        out.insert(short.into(), json!(n));
    }
}

fn collect_refs(node: &Json, todo: &mut Vec<String>) {
    match node {
        Json::Object(map) => {
            if let Some(Json::String(name)) = map.get("$") {
                todo.push(name.clone());
            }
            for value in map.values() {
                collect_refs(value, todo);
            }
        }
        Json::Array(items) => items.iter().for_each(|i| collect_refs(i, todo)),
        _ => {}
    }
}

/// The request and answer schema names of every operation: `(method,
/// path, request, answer)`, empty where there is none (or it is not JSON).
pub fn operation_schemas(spec: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let Some(paths) = get(spec, "paths").and_then(Value::as_mapping) else {
        return out;
    };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        for (method, op) in item {
            let method = method.as_str().unwrap_or_default();
            if !matches!(method, "get" | "post") {
                continue;
            }
            let request = get(op, "requestBody")
                .and_then(|b| get(b, "content"))
                .and_then(|c| get(c, "application/json"))
                .and_then(|j| get(j, "schema"))
                .and_then(ref_name)
                .unwrap_or_default();
            let answer = get(op, "responses")
                .and_then(|r| get(r, "200"))
                .and_then(|r| get(r, "content"))
                .and_then(|c| get(c, "application/json"))
                .and_then(|j| get(j, "schema"))
                .and_then(ref_name)
                .unwrap_or_default();
            out.push((
                method.to_uppercase(),
                path.to_owned(),
                request.to_owned(),
                answer.to_owned(),
            ));
        }
    }
    out
}

/// Every operation's schemas and the compact schemas they reach.
pub type Tables = (
    BTreeMap<String, Json>,
    Vec<(String, String, String, String)>,
);

/// Compacts what the operations of `spec` reach.
pub fn tables(spec: &Value) -> Result<Tables, String> {
    let schemas = get(spec, "components")
        .and_then(|c| get(c, "schemas"))
        .and_then(Value::as_mapping)
        .ok_or("the spec has no components.schemas")?;
    let compactor = Compactor::new(schemas);
    let ops = operation_schemas(spec);
    let roots = ops
        .iter()
        .flat_map(|(_, _, req, ans)| [req.clone(), ans.clone()])
        .filter(|n| !n.is_empty());
    Ok((compactor.reachable(roots), ops))
}

/// Renders the schema table.
pub fn render_schema_table((defs, ops): &Tables) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n//! Every schema an operation reaches, compacted (see plaid-codegen's\n//! `mock_schema` for the keys): the fake validates requests and shapes\n//! answers with them.\n\n");
    out.push_str("/// Compact schemas by component name, as JSON, sorted by name.\n");
    out.push_str("pub static SCHEMAS: &[(&str, &str)] = &[\n");
    for (name, node) in defs {
        writeln!(
            out,
            "    ({name:?}, {}),",
            raw_string_literal(&node.to_string())
        )
        .ok();
    }
    out.push_str("];\n\n");
    out.push_str("/// Per operation: method, path, request schema, answer schema (empty\n/// where there is none).\n");
    out.push_str("pub static OPERATION_SCHEMAS: &[(&str, &str, &str, &str)] = &[\n");
    for (method, path, req, ans) in ops {
        writeln!(out, "    ({method:?}, {path:?}, {req:?}, {ans:?}),").ok();
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(yaml: &str, name: &str) -> Json {
        let schemas: serde_yaml::Mapping = serde_yaml::from_str(yaml).unwrap();
        let c = Compactor::new(&schemas);
        c.node(schemas.get(name).unwrap())
    }

    #[test]
    fn objects_keep_properties_required_and_constraints() {
        let node = compact(
            r#"
Req:
  type: object
  additionalProperties: false
  required: [count]
  properties:
    count: {type: integer, minimum: 1, maximum: 500}
    day: {type: string, format: date}
    mail: {type: string, format: email}
    site: {type: string, format: url}
    tags: {type: array, items: {type: string}, uniqueItems: true}
    kind: {type: string, enum: [a, b]}
    ids: {type: array, items: {type: string}, minItems: 1}
    nested: {$ref: '#/components/schemas/Other'}
"#,
            "Req",
        );
        assert_eq!(
            node,
            json!({"t": "object", "ap": false, "r": ["count"], "p": {
                "count": {"t": "integer", "min": 1.0, "max": 500.0},
                "day": {"t": "string", "f": "date"},
                "mail": {"t": "string", "f": "email"},
                "site": {"t": "string"},
                "tags": {"t": "array", "i": {"t": "string"}, "u": true},
                "kind": {"t": "string", "e": ["a", "b"]},
                "ids": {"t": "array", "i": {"t": "string"}, "mini": 1.0},
                "nested": {"$": "Other"}
            }})
        );
    }

    #[test]
    fn all_of_is_flattened_and_one_of_accepts_anything() {
        let node = compact(
            r#"
Base:
  type: object
  required: [a]
  properties:
    a: {type: string}
Both:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      properties:
        b: {oneOf: [{type: string}, {type: integer}], nullable: true}
"#,
            "Both",
        );
        assert_eq!(
            node,
            json!({"t": "object", "r": ["a"], "p": {"a": {"t": "string"}, "b": {"n": true}}})
        );
    }
}
