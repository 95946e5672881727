//! OpenAPI 3.0 schema objects as JSON Schema (draft 2020-12).
//!
//! - `$ref: '#/components/schemas/X'` becomes `$ref: '#/$defs/X'`; the
//!   document holds every component schema under `$defs`.
//! - `nullable: true` adds `"null"` to `type` (and `null` to `enum`); a
//!   nullable schema that composes others (`$ref`, `allOf`, …) is wrapped
//!   as `anyOf: [schema, {type: null}]`, since `null` would fail its parts.
//! - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become the
//!   numeric form.
//! - OpenAPI-only keywords (`example`, `discriminator`, `xml`,
//!   `externalDocs`, `x-*`) are dropped.

use serde_json::{json, Map, Value};

/// Where the component schemas live in the converted document.
pub const DEFS: &str = "#/$defs/";

const COMPONENTS: &str = "#/components/schemas/";

/// One JSON Schema document holding every component schema under `$defs`.
pub fn document(components: &Map<String, Value>) -> Value {
    let defs: Map<String, Value> = components
        .iter()
        .map(|(name, schema)| (name.clone(), convert(schema)))
        .collect();
    json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs })
}

/// Converts one schema object (and everything inside it).
pub fn convert(schema: &Value) -> Value {
    let Value::Object(fields) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in fields {
        let converted = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(target) => Value::String(target.replacen(COMPONENTS, DEFS, 1)),
                None => value.clone(),
            },
            "properties" | "patternProperties" => match value {
                Value::Object(named) => named
                    .iter()
                    .map(|(name, s)| (name.clone(), convert(s)))
                    .collect::<Map<_, _>>()
                    .into(),
                _ => value.clone(),
            },
            "items" | "additionalProperties" | "not" => convert(value),
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(list) => list.iter().map(convert).collect(),
                _ => value.clone(),
            },
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => continue,
            "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => continue,
            other if other.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if fields.get(flag) == Some(&Value::Bool(true)) {
            if let Some(bound) = out.remove(bound) {
                out.insert(flag.to_owned(), bound);
            }
        }
    }
    if fields.get("nullable") == Some(&Value::Bool(true)) {
        nullable(out)
    } else {
        Value::Object(out)
    }
}

fn nullable(mut schema: Map<String, Value>) -> Value {
    let composes = ["$ref", "allOf", "anyOf", "oneOf"]
        .iter()
        .any(|k| schema.contains_key(*k));
    match schema.get("type").cloned() {
        Some(Value::String(ty)) if !composes => {
            schema.insert("type".into(), json!([ty, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

mod tests {
    use serde_json::{json, Value};

    use crate::conformance::build_map;
    /// A validator for `schema` with `defs` as its `$defs`, built as the test
    /// builds them.
    fn validator_for(defs: Value, schema: Value) -> jsonschema::Validator {
        let components = match defs {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let mut document = super::document(&components);
        document["$defs"]["Root"] = super::convert(&schema);
        let map = build_map(&document);
        map.get("#/$defs/Root").expect("the root schema").clone()
    }

    #[test]
    fn nullable_scalar_accepts_null_and_its_type_only() {
        let converted = super::convert(&json!({"type": "string", "nullable": true}));
        assert_eq!(converted, json!({"type": ["string", "null"]}));
        let v = validator_for(json!({}), json!({"type": "string", "nullable": true}));
        assert!(v.is_valid(&json!("text")));
        assert!(v.is_valid(&Value::Null));
        assert!(!v.is_valid(&json!(5)));
        let plain = validator_for(json!({}), json!({"type": "string"}));
        assert!(!plain.is_valid(&Value::Null));
    }

    #[test]
    fn nullable_enum_accepts_null_and_its_values_only() {
        let schema = json!({"type": "string", "enum": ["a", "b"], "nullable": true});
        assert_eq!(
            super::convert(&schema),
            json!({"type": ["string", "null"], "enum": ["a", "b", null]})
        );
        let v = validator_for(json!({}), schema);
        assert!(v.is_valid(&json!("a")));
        assert!(v.is_valid(&Value::Null));
        assert!(!v.is_valid(&json!("c")));
        let already =
            super::convert(&json!({"type": "string", "enum": ["a", null], "nullable": true}));
        assert_eq!(already["enum"], json!(["a", null]));
    }

    #[test]
    fn refs_point_into_defs_and_a_nullable_target_accepts_null_through_the_ref() {
        let defs = json!({
            "Money": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}},
            "MaybeMoney": {"type": "object", "nullable": true, "properties": {"amount": {"type": "number"}}},
        });
        let field = json!({"$ref": "#/components/schemas/Money"});
        assert_eq!(super::convert(&field), json!({"$ref": "#/$defs/Money"}));
        let v = validator_for(defs.clone(), field);
        assert!(v.is_valid(&json!({"amount": 1.5})));
        assert!(!v.is_valid(&json!({})));
        assert!(!v.is_valid(&Value::Null));
        let maybe = validator_for(defs, json!({"$ref": "#/components/schemas/MaybeMoney"}));
        assert!(maybe.is_valid(&Value::Null));
        assert!(!maybe.is_valid(&json!({"amount": "1.5"})));
    }

    #[test]
    fn nullable_all_of_is_wrapped_so_null_passes_and_the_parts_still_apply() {
        let defs = json!({
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        });
        let schema = json!({
            "nullable": true,
            "type": "object",
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"name": {"type": "string"}}}
            ]
        });
        let converted = super::convert(&schema);
        assert_eq!(converted["anyOf"][1], json!({"type": "null"}));
        let v = validator_for(defs, schema);
        assert!(v.is_valid(&Value::Null));
        assert!(v.is_valid(&json!({"id": "x", "name": "y"})));
        assert!(!v.is_valid(&json!({"name": "y"})));
        assert!(!v.is_valid(&json!({"id": "x", "name": 5})));
    }

    #[test]
    fn openapi_only_keywords_are_dropped_but_properties_of_those_names_are_kept() {
        let schema = json!({
            "type": "object",
            "example": {"x": 1},
            "x-hidden-from-docs": true,
            "discriminator": {"propertyName": "kind"},
            "required": ["example"],
            "properties": {
                "example": {"type": "integer", "example": 3, "nullable": true},
                "x-count": {"type": "integer", "minimum": 1, "exclusiveMinimum": false},
                "positive": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}
            }
        });
        assert_eq!(
            super::convert(&schema),
            json!({
                "type": "object",
                "required": ["example"],
                "properties": {
                    "example": {"type": ["integer", "null"]},
                    "x-count": {"type": "integer", "minimum": 1},
                    "positive": {"type": "integer", "exclusiveMinimum": 0}
                }
            })
        );
        let v = validator_for(json!({}), schema);
        assert!(v.is_valid(&json!({"example": null, "x-count": 1, "positive": 1})));
        assert!(!v.is_valid(&json!({"example": null, "positive": 0})));
        assert!(!v.is_valid(&json!({"x-count": 1})));
    }
}
