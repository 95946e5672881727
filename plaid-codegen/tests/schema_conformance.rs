//! Checks the fake Plaid's answers against Plaid's OpenAPI description: the
//! JSON answer of every operation against the operation's success schema,
//! and every error answer the fake gives (bad credentials, bad bodies,
//! unknown paths, broken items, injected faults, …) against `PlaidError`.
//! File answers are checked for the declared content type and file magic.
//!
//! The spec's OpenAPI 3.0 schemas are turned into one JSON Schema (draft
//! 2020-12) document by [`openapi`], and validated with the `jsonschema`
//! crate; `format` is an annotation only.
//!
//! The spec is read from `../shared/plaid-openapi/2020-09-14.yml` beside the
//! repository, or from `PLAID_OPENAPI_SPEC`.

#[path = "generated/calls.rs"]
mod calls;

#[path = "support/mod.rs"]
mod support;

/// OpenAPI 3.0 schema objects as JSON Schema (draft 2020-12).
///
/// - `$ref: '#/components/schemas/X'` becomes `$ref: '#/$defs/X'`; the
///   document holds every component schema under `$defs`.
/// - `nullable: true` adds `"null"` to `type` (and `null` to `enum`); a
///   nullable schema that composes others (`$ref`, `allOf`, …) is wrapped
///   as `anyOf: [schema, {type: null}]`, since `null` would fail its parts.
/// - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become the
///   numeric form.
/// - OpenAPI-only keywords (`example`, `discriminator`, `xml`,
///   `externalDocs`, `x-*`) are dropped.
mod openapi {
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
}

// ---------------------------------------------------------------------------
// The conversion, on small fragments.

/// A validator for `schema` with `defs` as its `$defs`, built as the test
/// builds them.
fn validator_for(defs: Value, schema: Value) -> jsonschema::Validator {
    let components = match defs {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let mut document = openapi::document(&components);
    document["$defs"]["Root"] = openapi::convert(&schema);
    let map = build_map(&document);
    map.get("#/$defs/Root").expect("the root schema").clone()
}

#[test]
fn nullable_scalar_accepts_null_and_its_type_only() {
    let converted = openapi::convert(&json!({"type": "string", "nullable": true}));
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
        openapi::convert(&schema),
        json!({"type": ["string", "null"], "enum": ["a", "b", null]})
    );
    let v = validator_for(json!({}), schema);
    assert!(v.is_valid(&json!("a")));
    assert!(v.is_valid(&Value::Null));
    assert!(!v.is_valid(&json!("c")));
    let already =
        openapi::convert(&json!({"type": "string", "enum": ["a", null], "nullable": true}));
    assert_eq!(already["enum"], json!(["a", null]));
}

#[test]
fn refs_point_into_defs_and_a_nullable_target_accepts_null_through_the_ref() {
    let defs = json!({
        "Money": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}},
        "MaybeMoney": {"type": "object", "nullable": true, "properties": {"amount": {"type": "number"}}},
    });
    let field = json!({"$ref": "#/components/schemas/Money"});
    assert_eq!(openapi::convert(&field), json!({"$ref": "#/$defs/Money"}));
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
    let converted = openapi::convert(&schema);
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
        openapi::convert(&schema),
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

mod conformance;
use conformance::*;

// ---------------------------------------------------------------------------
// What is checked.

/// The compiled schemas reject a broken answer, and say where and why.
fn the_schemas_bite(map: &ValidatorMap) {
    let broken = json!({
        "accounts": [{"account_id": "a", "balances": {"current": "12"}, "mask": null,
                      "name": "n", "official_name": null, "type": "checking", "subtype": null}],
        "request_id": "r"
    });
    let found = check(map, "AccountsGetResponse", &broken);
    for expected in [
        r#"at "" (required): "item" is a required property"#,
        r#"at "/accounts/0/balances/current" (type): "12" is not of types "null", "number""#,
        r#"at "/accounts/0/type" (enum): "checking" is not one of"#,
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not among {found:#?}"
        );
    }
    let found = check(map, "PlaidError", &json!({"error_type": "ITEM_ERRORS"}));
    for expected in [
        r#"at "" (required): "error_code" is a required property"#,
        r#"at "" (required): "display_message" is a required property"#,
        r#"at "/error_type" (enum): "ITEM_ERRORS" is not one of"#,
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not among {found:#?}"
        );
    }
}

#[tokio::test]
async fn every_answer_of_the_fake_conforms_to_the_spec() {
    let spec = spec();
    let components = spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let map = build_map(&openapi::document(components));
    the_schemas_bite(&map);
    let operations = spec_operations(&spec);
    assert_eq!(operations.len(), 329, "the spec changed size");
    let mock = MockPlaid::new();
    let mut report = Report::default();

    every_operation_once(&mock, &map, &operations, &mut report).await;
    let every_operation = (report.json_answers, report.json_conform);
    stateful_answers(&mock, &map, &operations, &mut report).await;
    product_answers(&mock, &map, &operations, &mut report).await;
    ledger_answers(&mock, &map, &operations, &mut report).await;
    wallet_answers(&mock, &map, &operations, &mut report).await;
    token_answers(&mock, &map, &operations, &mut report).await;
    core_answers(&mock, &map, &operations, &mut report).await;
    consumer_report_answers(&mock, &map, &operations, &mut report).await;
    payroll_income_answers(&mock, &map, &operations, &mut report).await;
    let engine_json = report.json_answers;
    let engine_operations = engine_answers(&mock, &map, &operations, &mut report).await;
    println!(
        "{engine_operations} operations of the generic engine's families checked with objects \
         the fake made ({} JSON answers)",
        report.json_answers - engine_json
    );
    for (label, code, answer) in provoked_errors(&mock).await {
        report.error(&map, label, Some(code), None, &answer);
    }
    // Every operation rejects wrong credentials (where it needs them) and an
    // unknown body field (where it reads a body) with a Plaid error.
    for op in &operations {
        let path: Vec<&str> = op
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect();
        let path = path.join("/");
        let error_schema = op.error_schema.as_deref();
        if op.requires_credentials {
            let answer = send_raw(
                &mock,
                &op.method,
                &path,
                &[("plaid-secret", Some("wrong"))],
                "{}",
            )
            .await;
            report.error(
                &map,
                "wrong secret",
                Some("INVALID_API_KEYS"),
                error_schema,
                &answer,
            );
        }
        if op.method == "POST" {
            let answer = send_raw(&mock, "POST", &path, &[], r#"{"not_a_plaid_field": 1}"#).await;
            report.error(
                &map,
                "unknown field",
                Some("UNKNOWN_FIELDS"),
                error_schema,
                &answer,
            );
        }
    }

    println!(
        "{} operations validated: {} of {} JSON answers conform to their schema \
         ({} of {} from calling every operation once, {} from stateful follow-ups); \
         {} of {} error answers conform to PlaidError ({} error codes: {:?}); \
         {} binary answers (file type and magic checked); {} empty answers",
        report.operations,
        report.json_conform,
        report.json_answers,
        every_operation.1,
        every_operation.0,
        report.json_answers - every_operation.0,
        report.error_conform,
        report.error_answers,
        report.error_codes.len(),
        report.error_codes,
        report.file_answers,
        report.empty_answers,
    );
    assert!(
        report.problems.is_empty(),
        "{} nonconforming answers:\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
    assert_eq!(report.operations, 329);
}
