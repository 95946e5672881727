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

use std::collections::BTreeMap;

use bytes::Bytes;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, ValidatorMap};
use plaid_core::test_util::RecordingTransport;
use plaid_core::{HttpTransport, RetryPolicy};
use plaid_mock::{ErrorAnswer, MockPlaid};
use serde_json::{json, Value};

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

// ---------------------------------------------------------------------------
// The spec.

fn spec() -> Value {
    let path = std::env::var("PLAID_OPENAPI_SPEC").unwrap_or_else(|_| {
        format!(
            "{}/../../shared/plaid-openapi/2020-09-14.yml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("this test needs Plaid's OpenAPI spec at {path} (or set PLAID_OPENAPI_SPEC): {e}")
    });
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    serde_json::to_value(yaml).expect("the spec is JSON-compatible")
}

/// Every compiled schema of the document, by JSON pointer.
fn build_map(document: &Value) -> ValidatorMap {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build_map(document)
        .unwrap_or_else(|e| panic!("the converted schemas are valid JSON Schema: {e}"))
}

/// What an operation's success answer is.
enum Success {
    /// JSON, described by this component schema.
    Json(String),
    /// A file of this media type.
    File(String),
    /// No body at all.
    Empty,
}

struct SpecOperation {
    method: String,
    path: String,
    operation_id: String,
    success: Success,
    /// The component schema of the `default` (error) answer, when not `PlaidError`.
    error_schema: Option<String>,
    /// Whether the operation needs `client_id` and `secret`.
    requires_credentials: bool,
}

fn schema_name(schema: &Value) -> Option<String> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
}

fn spec_operations(spec: &Value) -> Vec<SpecOperation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let responses = &op["responses"];
            let ok = if responses.get("200").is_some() {
                &responses["200"]
            } else {
                &responses["201"]
            };
            let success = match ok["content"].as_object().and_then(|c| c.iter().next()) {
                None => Success::Empty,
                Some((media, content)) if media == "application/json" => Success::Json(
                    schema_name(&content["schema"])
                        .unwrap_or_else(|| panic!("{path}: inline answer schema")),
                ),
                Some((media, _)) => Success::File(media.clone()),
            };
            let error_schema =
                schema_name(&responses["default"]["content"]["application/json"]["schema"])
                    .filter(|name| name != "PlaidError");
            out.push(SpecOperation {
                method: method.to_uppercase(),
                path: path.clone(),
                operation_id: op["operationId"].as_str().expect("operationId").to_owned(),
                success,
                error_schema,
                requires_credentials: op["security"].as_array().is_none_or(|s| !s.is_empty()),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Checking answers.

/// The innermost violations behind `error`: for `anyOf` (a nullable schema
/// wrapped by [`openapi`]), those of the branches that got further than a
/// type mismatch at the same place.
fn violations(error: &ValidationError<'_>, out: &mut Vec<String>) {
    if let ValidationErrorKind::AnyOf { context } = error.kind() {
        let at = error.instance_path().as_str();
        let deeper: Vec<&ValidationError<'_>> = context
            .iter()
            .filter(|branch| {
                !branch.iter().all(|e| {
                    e.instance_path().as_str() == at
                        && matches!(e.kind(), ValidationErrorKind::Type { .. })
                })
            })
            .flatten()
            .collect();
        if !deeper.is_empty() {
            for inner in deeper {
                violations(inner, out);
            }
            return;
        }
    }
    let mut message = error.to_string();
    if message.len() > 160 {
        let cut = (0..=160)
            .rev()
            .find(|i| message.is_char_boundary(*i))
            .unwrap_or(0);
        message.truncate(cut);
        message.push('…');
    }
    out.push(format!(
        "at {:?} ({}): {message}",
        error.instance_path().as_str(),
        error.kind().keyword()
    ));
}

/// Every violation of `schema` (a component schema name) by `answer`.
fn check(map: &ValidatorMap, schema: &str, answer: &Value) -> Vec<String> {
    let pointer = format!("{}{schema}", openapi::DEFS);
    let validator = map
        .get(&pointer)
        .unwrap_or_else(|| panic!("no compiled schema {pointer}"));
    let mut out = Vec::new();
    for error in validator.iter_errors(answer) {
        violations(&error, &mut out);
    }
    out
}

/// One answer the fake gave.
#[derive(Debug, Clone)]
struct Exchange {
    path: String,
    status: u16,
    content_type: String,
    body: Bytes,
}

/// Tallies and the list of everything that did not conform.
#[derive(Default)]
struct Report {
    operations: usize,
    json_answers: usize,
    json_conform: usize,
    file_answers: usize,
    empty_answers: usize,
    error_answers: usize,
    error_conform: usize,
    problems: Vec<String>,
    error_codes: BTreeMap<String, usize>,
}

impl Report {
    fn success(&mut self, map: &ValidatorMap, op: &SpecOperation, what: &str, answer: &Exchange) {
        let label = format!("{} {} ({what})", op.method, op.path);
        if !(200..300).contains(&answer.status) {
            self.problems.push(format!(
                "{label}: HTTP {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
            return;
        }
        match &op.success {
            Success::Json(schema) => {
                self.json_answers += 1;
                if !answer.content_type.starts_with("application/json") {
                    self.problems
                        .push(format!("{label}: content type {:?}", answer.content_type));
                    return;
                }
                let json: Value = match serde_json::from_slice(&answer.body) {
                    Ok(json) => json,
                    Err(e) => {
                        self.problems.push(format!("{label}: not JSON: {e}"));
                        return;
                    }
                };
                let found = check(map, schema, &json);
                if found.is_empty() {
                    self.json_conform += 1;
                }
                for violation in found {
                    self.problems
                        .push(format!("{label} vs {schema}: {violation}"));
                }
            }
            Success::File(media) => {
                self.file_answers += 1;
                let magic: &[u8] = match media.as_str() {
                    "application/pdf" => b"%PDF-",
                    "application/zip" => b"PK\x03\x04",
                    other => panic!("{label}: no file magic known for {other}"),
                };
                if answer.content_type != *media || !answer.body.starts_with(magic) {
                    self.problems.push(format!(
                        "{label}: expected a {media} file, got {:?} starting {:?}",
                        answer.content_type,
                        String::from_utf8_lossy(&answer.body[..answer.body.len().min(8)])
                    ));
                }
            }
            Success::Empty => {
                self.empty_answers += 1;
                if !answer.body.is_empty() {
                    self.problems.push(format!(
                        "{label}: the spec declares no body, got {} bytes of {:?}",
                        answer.body.len(),
                        answer.content_type
                    ));
                }
            }
        }
    }

    /// `answer` must be an error answer with `expected_code`, conforming to
    /// `PlaidError` (and to the operation's own error schema, where it
    /// declares another one).
    fn error(
        &mut self,
        map: &ValidatorMap,
        label: &str,
        expected_code: Option<&str>,
        extra_schema: Option<&str>,
        answer: &Exchange,
    ) {
        self.error_answers += 1;
        let label = format!("{label} [{}]", answer.path);
        if answer.status < 400 {
            self.problems.push(format!(
                "{label}: expected an error, got HTTP {}",
                answer.status
            ));
            return;
        }
        if !answer.content_type.starts_with("application/json") {
            self.problems
                .push(format!("{label}: content type {:?}", answer.content_type));
            return;
        }
        let json: Value = match serde_json::from_slice(&answer.body) {
            Ok(json @ Value::Object(_)) => json,
            _ => {
                self.problems.push(format!(
                    "{label}: not a JSON object: {}",
                    String::from_utf8_lossy(&answer.body)
                ));
                return;
            }
        };
        let code = json["error_code"].as_str().unwrap_or("?").to_owned();
        if expected_code.is_some_and(|expected| expected != code) {
            self.problems
                .push(format!("{label}: expected {expected_code:?}, got {code}"));
        }
        *self.error_codes.entry(code).or_default() += 1;
        let mut found = check(map, "PlaidError", &json);
        if let Some(schema) = extra_schema {
            found.extend(
                check(map, schema, &json)
                    .into_iter()
                    .map(|v| format!("vs {schema}: {v}")),
            );
        }
        if found.is_empty() {
            self.error_conform += 1;
        }
        for violation in found {
            self.problems
                .push(format!("{label} vs PlaidError: {violation}"));
        }
    }
}

// ---------------------------------------------------------------------------
// Talking to the fake.

/// What `recorder` saw: each request's path with the answer it got.
fn exchanges(recorder: &RecordingTransport<MockPlaid>) -> Vec<Exchange> {
    recorder
        .requests()
        .iter()
        .zip(recorder.responses())
        .map(|(request, response)| exchange(request.uri().path().to_owned(), response))
        .collect()
}

fn exchange(path: String, response: http::Response<Bytes>) -> Exchange {
    Exchange {
        path,
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: response.into_body(),
    }
}

/// Sends one request straight to the fake: a JSON content type and the
/// fake's credentials, unless `headers` replace them (`None` removes one).
async fn send_raw(
    mock: &MockPlaid,
    method: &str,
    path: &str,
    headers: &[(&str, Option<&str>)],
    body: impl Into<Bytes>,
) -> Exchange {
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("https://mock.plaid{path}"))
        .body(body.into())
        .expect("a valid request");
    let defaults = [
        ("content-type", Some("application/json")),
        ("plaid-client-id", Some(mock.client_id())),
        ("plaid-secret", Some(mock.secret())),
    ];
    for (name, value) in defaults.iter().chain(headers) {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        match value {
            Some(value) => {
                let value = http::HeaderValue::from_str(value).expect("a header value");
                request.headers_mut().insert(name, value);
            }
            None => {
                request.headers_mut().remove(name);
            }
        }
    }
    let response = mock
        .send(request)
        .await
        .expect("the in-process fake answers");
    exchange(path.to_owned(), response)
}

/// POSTs `body` with the fake's credentials.
async fn post(mock: &MockPlaid, path: &str, body: Value) -> Exchange {
    send_raw(mock, "POST", path, &[], body.to_string()).await
}

fn json_of(answer: &Exchange) -> Value {
    serde_json::from_slice(&answer.body).unwrap_or_else(|e| {
        panic!(
            "{}: HTTP {} is not JSON ({e}): {}",
            answer.path,
            answer.status,
            String::from_utf8_lossy(&answer.body)
        )
    })
}

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

/// A path made at run time, for labels that must be `'static`.
fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

/// The product lifecycles' answers with ids the fake made: every
/// operation of `support::SAMPLE_IDS_REFUSED` and the lists around them.
async fn product_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let (token, _) = mock.link_item("ins_109508", &["auth"]).expect("an item");
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        json_of(&answer)
    };
    let link = post(mock, "/link/token/create", json!({"client_name": "C", "language": "en",
        "country_codes": ["US"], "user": {"client_user_id": "u"}, "products": ["auth"],
        "webhook": "https://example.com/hook", "account_filters": {"depository": {"account_subtypes": ["checking"]}}})).await;
    let link = step("/link/token/create", "full request", link);
    let got = post(
        mock,
        "/link/token/get",
        json!({"link_token": link["link_token"]}),
    )
    .await;
    step("/link/token/get", "a made token", got);

    let user = json!({"legal_name": "L", "address": {"city": "C"}});
    let mut transfers = Vec::new();
    for kind in ["debit", "credit", "debit"] {
        let authorization = post(mock, "/transfer/authorization/create", json!({"access_token": token,
            "account_id": account, "type": kind, "network": "ach", "amount": "2.00", "ach_class": "ppd", "user": user})).await;
        let authorization = step("/transfer/authorization/create", "approved", authorization);
        let created = post(
            mock,
            "/transfer/create",
            json!({"access_token": token, "account_id": account,
            "authorization_id": authorization["authorization"]["id"], "description": "d"}),
        )
        .await;
        transfers.push(
            step("/transfer/create", "from an authorization", created)["transfer"]["id"].clone(),
        );
    }
    for (id, event) in [
        (0, "posted"),
        (0, "settled"),
        (1, "posted"),
        (1, "settled"),
        (0, "funds_available"),
    ] {
        let simulated = post(
            mock,
            "/sandbox/transfer/simulate",
            json!({"transfer_id": transfers[id], "event_type": event}),
        )
        .await;
        step("/sandbox/transfer/simulate", "an allowed event", simulated);
    }
    let returned = post(
        mock,
        "/sandbox/transfer/simulate",
        json!({"transfer_id": transfers[2],
        "event_type": "failed", "failure_reason": {"ach_return_code": "R01", "description": "d"}}),
    )
    .await;
    step("/sandbox/transfer/simulate", "failed", returned);
    let sweep = post(mock, "/sandbox/transfer/sweep/simulate", json!({})).await;
    let sweep = step("/sandbox/transfer/sweep/simulate", "a sweep", sweep);
    let got = post(
        mock,
        "/transfer/sweep/get",
        json!({"sweep_id": sweep["sweep"]["id"]}),
    )
    .await;
    step("/transfer/sweep/get", "a made sweep", got);
    let listed = post(mock, "/transfer/sweep/list", json!({})).await;
    step("/transfer/sweep/list", "one sweep", listed);
    for id in &transfers {
        let got = post(mock, "/transfer/get", json!({"transfer_id": id})).await;
        step("/transfer/get", "swept, failed", got);
    }
    let listed = post(mock, "/transfer/list", json!({"count": 2})).await;
    step("/transfer/list", "a page", listed);
    let events = post(
        mock,
        "/transfer/event/list",
        json!({"transfer_id": transfers[0]}),
    )
    .await;
    step("/transfer/event/list", "one transfer's", events);
    let events = post(mock, "/transfer/event/sync", json!({"after_id": 0})).await;
    step("/transfer/event/sync", "all", events);
    let authorization = post(
        mock,
        "/transfer/authorization/create",
        json!({"access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "1.00", "user": user}),
    )
    .await;
    let authorization = step(
        "/transfer/authorization/create",
        "no ach_class",
        authorization,
    );
    let created = post(
        mock,
        "/transfer/create",
        json!({"access_token": token, "account_id": account,
        "authorization_id": authorization["authorization"]["id"], "description": "d"}),
    )
    .await;
    let created = step("/transfer/create", "to cancel", created);
    let cancelled = post(
        mock,
        "/transfer/cancel",
        json!({"transfer_id": created["transfer"]["id"]}),
    )
    .await;
    step("/transfer/cancel", "a pending transfer", cancelled);

    let created = post(
        mock,
        "/bank_transfer/create",
        json!({"idempotency_key": "k", "access_token": token,
        "account_id": account, "type": "credit", "network": "ach", "amount": "1.00",
        "iso_currency_code": "USD", "description": "d", "user": {"legal_name": "L"}}),
    )
    .await;
    let id = step("/bank_transfer/create", "a credit", created)["bank_transfer"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/bank_transfer/simulate",
        json!({"bank_transfer_id": id, "event_type": "posted"}),
    )
    .await;
    step("/sandbox/bank_transfer/simulate", "posted", simulated);
    let simulated = post(
        mock,
        "/sandbox/bank_transfer/simulate",
        json!({"bank_transfer_id": id, "event_type": "reversed"}),
    )
    .await;
    step("/sandbox/bank_transfer/simulate", "reversed", simulated);
    let got = post(mock, "/bank_transfer/get", json!({"bank_transfer_id": id})).await;
    step("/bank_transfer/get", "reversed", got);
    let created = post(
        mock,
        "/bank_transfer/create",
        json!({"idempotency_key": "k2", "access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "1.00",
        "iso_currency_code": "USD", "description": "d", "user": {"legal_name": "L"}}),
    )
    .await;
    let id = step("/bank_transfer/create", "a debit", created)["bank_transfer"]["id"].clone();
    let cancelled = post(
        mock,
        "/bank_transfer/cancel",
        json!({"bank_transfer_id": id}),
    )
    .await;
    step("/bank_transfer/cancel", "a pending one", cancelled);
    let listed = post(mock, "/bank_transfer/list", json!({})).await;
    step("/bank_transfer/list", "two", listed);
    let events = post(mock, "/bank_transfer/event/list", json!({})).await;
    step("/bank_transfer/event/list", "all", events);
    let events = post(mock, "/bank_transfer/event/sync", json!({"after_id": 1})).await;
    step("/bank_transfer/event/sync", "after the first", events);

    let recipient = post(
        mock,
        "/payment_initiation/recipient/create",
        json!({"name": "R",
        "bacs": {"account": "12345678", "sort_code": "123456"},
        "address": {"street": ["1 Road"], "city": "London", "postal_code": "N1", "country": "GB"}}),
    )
    .await;
    let recipient =
        step("/payment_initiation/recipient/create", "bacs", recipient)["recipient_id"].clone();
    let iban = post(
        mock,
        "/payment_initiation/recipient/create",
        json!({"name": "I", "iban": "GB33BUKB20201555555555"}),
    )
    .await;
    step("/payment_initiation/recipient/create", "iban", iban);
    let got = post(
        mock,
        "/payment_initiation/recipient/get",
        json!({"recipient_id": recipient}),
    )
    .await;
    step("/payment_initiation/recipient/get", "bacs and address", got);
    let listed = post(
        mock,
        "/payment_initiation/recipient/list",
        json!({"count": 1}),
    )
    .await;
    step("/payment_initiation/recipient/list", "a page", listed);
    let payment = post(
        mock,
        "/payment_initiation/payment/create",
        json!({"recipient_id": recipient,
        "reference": "ref", "amount": {"currency": "GBP", "value": 1.5},
        "options": {"bacs": {"account": "87654321", "sort_code": "654321"}}}),
    )
    .await;
    let payment = step(
        "/payment_initiation/payment/create",
        "input needed",
        payment,
    )["payment_id"]
        .clone();
    let simulated = post(
        mock,
        "/sandbox/payment/simulate",
        json!({"payment_id": payment,
        "status": "PAYMENT_STATUS_EXECUTED", "webhook": "https://example.com/hook"}),
    )
    .await;
    step("/sandbox/payment/simulate", "executed", simulated);
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": payment}),
    )
    .await;
    step("/payment_initiation/payment/get", "executed", got);
    let listed = post(mock, "/payment_initiation/payment/list", json!({})).await;
    step("/payment_initiation/payment/list", "one", listed);
    let consent = post(
        mock,
        "/payment_initiation/consent/create",
        json!({"recipient_id": recipient, "reference": "ref", "type": "SWEEPING",
        "scopes": ["ME_TO_ME"], "constraints": {
            "valid_date_time": {"from": null, "to": "2099-01-01T00:00:00Z"},
            "max_payment_amount": {"currency": "GBP", "value": 10},
            "periodic_amounts": [{"amount": {"currency": "GBP", "value": 20},
                "interval": "MONTH", "alignment": "CONSENT"}]}}),
    )
    .await;
    let consent = step(
        "/payment_initiation/consent/create",
        "unauthorised",
        consent,
    )["consent_id"]
        .clone();
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    step("/payment_initiation/consent/get", "unauthorised", got);
    mock.authorise_consent(consent.as_str().unwrap())
        .expect("an authorised consent");
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    step("/payment_initiation/consent/get", "authorised", got);
    let executed = post(
        mock,
        "/payment_initiation/consent/payment/execute",
        json!({"consent_id": consent,
        "amount": {"currency": "GBP", "value": 5.5}, "idempotency_key": "k1"}),
    )
    .await;
    let executed = step(
        "/payment_initiation/consent/payment/execute",
        "within the limits",
        executed,
    );
    let again = post(
        mock,
        "/payment_initiation/consent/payment/execute",
        json!({"consent_id": consent,
        "amount": {"currency": "GBP", "value": 5.5}, "idempotency_key": "k1"}),
    )
    .await;
    step(
        "/payment_initiation/consent/payment/execute",
        "a repeated idempotency key",
        again,
    );
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": executed["payment_id"]}),
    )
    .await;
    step("/payment_initiation/payment/get", "by consent", got);
    let listed = post(
        mock,
        "/payment_initiation/payment/list",
        json!({"consent_id": consent}),
    )
    .await;
    step("/payment_initiation/payment/list", "one consent's", listed);
    let revoked = post(
        mock,
        "/payment_initiation/consent/revoke",
        json!({"consent_id": consent}),
    )
    .await;
    step("/payment_initiation/consent/revoke", "authorised", revoked);
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    step("/payment_initiation/consent/get", "revoked", got);

    let institution = post(
        mock,
        "/institutions/get_by_id",
        json!({"institution_id": "ins_12345",
        "country_codes": ["US", "GB", "CA"], "options": {"include_optional_metadata": true}}),
    )
    .await;
    step(
        "/institutions/get_by_id",
        "a directory institution with metadata",
        institution,
    );

    let (assets_token, _) = mock
        .link_item("ins_109508", &["assets", "transactions"])
        .expect("an assets item");
    let created = post(
        mock,
        "/asset_report/create",
        json!({"access_tokens": [assets_token], "days_requested": 30,
               "options": {"client_report_id": "r", "user": {"first_name": "A"}}}),
    )
    .await;
    let report =
        step("/asset_report/create", "an item's report", created)["asset_report_token"].clone();
    mock.advance_clock(time::Duration::seconds(10));
    let got = post(
        mock,
        "/asset_report/get",
        json!({"asset_report_token": report}),
    )
    .await;
    step("/asset_report/get", "from the item's data", got);
    let filtered = post(
        mock,
        "/asset_report/filter",
        json!({"asset_report_token": report, "account_ids_to_exclude": [account]}),
    )
    .await;
    step("/asset_report/filter", "one account less", filtered);
    let refreshed = post(
        mock,
        "/asset_report/refresh",
        json!({"asset_report_token": report, "days_requested": 60}),
    )
    .await;
    step("/asset_report/refresh", "more days", refreshed);
    let copy = post(
        mock,
        "/asset_report/audit_copy/create",
        json!({"asset_report_token": report}),
    )
    .await;
    let copy = step("/asset_report/audit_copy/create", "a copy", copy)["audit_copy_token"].clone();
    let got = post(
        mock,
        "/asset_report/audit_copy/get",
        json!({"audit_copy_token": copy}),
    )
    .await;
    step("/asset_report/audit_copy/get", "the shared report", got);
    let removed = post(
        mock,
        "/asset_report/audit_copy/remove",
        json!({"audit_copy_token": copy}),
    )
    .await;
    step("/asset_report/audit_copy/remove", "removed", removed);
    let removed = post(
        mock,
        "/asset_report/remove",
        json!({"asset_report_token": report}),
    )
    .await;
    step("/asset_report/remove", "removed", removed);

    // Users and Bank Income, with a real user and an item linked for it.
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "income-user"}),
    )
    .await;
    let user = step("/user/create", "a new user", user);
    let (user_token, user_id) = (user["user_token"].clone(), user["user_id"].clone());
    let got = post(mock, "/user/get", json!({"user_id": user_id})).await;
    step("/user/get", "the created user", got);
    let updated = post(
        mock,
        "/user/update",
        json!({"user_token": user_token,
        "identity": {"name": {"given_name": "A", "family_name": "B"}}}),
    )
    .await;
    step("/user/update", "an identity", updated);
    let got = post(mock, "/user/get", json!({"user_id": user_id})).await;
    step("/user/get", "with an identity", got);
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["income_verification"], "user_token": user_token,
        "options": {"income_verification": {"bank_income": {"days_requested": 30}}}}),
    )
    .await;
    step("/sandbox/public_token/create", "for a user", linked);
    let items = post(mock, "/user/items/get", json!({"user_token": user_token})).await;
    let item_id = step("/user/items/get", "the user's item", items)["items"][0]["item_id"].clone();
    let moved = post(
        mock,
        "/user/items/associate",
        json!({"user_id": user_id, "item_ids": [item_id]}),
    )
    .await;
    step("/user/items/associate", "the user's own item", moved);
    let sessions = post(
        mock,
        "/credit/sessions/get",
        json!({"user_token": user_token}),
    )
    .await;
    step("/credit/sessions/get", "one Link session", sessions);
    let income = post(
        mock,
        "/credit/bank_income/get",
        json!({"user_token": user_token}),
    )
    .await;
    step("/credit/bank_income/get", "from the item's data", income);
    let refreshed = post(
        mock,
        "/credit/bank_income/refresh",
        json!({"user_token": user_token, "options": {"days_requested": 60}}),
    )
    .await;
    step("/credit/bank_income/refresh", "more days", refreshed);
    let income = post(
        mock,
        "/credit/bank_income/get",
        json!({"user_token": user_token, "options": {"count": 2}}),
    )
    .await;
    step("/credit/bank_income/get", "two reports", income);
    let hooked = post(
        mock,
        "/credit/bank_income/webhook/update",
        json!({"user_token": user_token, "enable_webhooks": true}),
    )
    .await;
    step("/credit/bank_income/webhook/update", "subscribed", hooked);
    let removed = post(
        mock,
        "/user/items/remove",
        json!({"user_token": user_token, "item_ids": [item_id]}),
    )
    .await;
    step("/user/items/remove", "the user's item", removed);
    let removed = post(mock, "/user/remove", json!({"user_token": user_token})).await;
    step("/user/remove", "removed", removed);

    let individual = json!({"watchlist_program_id": "prg_1", "legal_name": "Aleksey Potemkin"});
    let entity = json!({"entity_watchlist_program_id": "entprg_1", "legal_name": "Al-Qaida"});
    for (kind, id_field, program_field, terms) in [
        (
            "individual",
            "watchlist_screening_id",
            "watchlist_program_id",
            individual,
        ),
        (
            "entity",
            "entity_watchlist_screening_id",
            "entity_watchlist_program_id",
            entity,
        ),
    ] {
        let path = |verb: &str| leak(format!("/watchlist_screening/{kind}/{verb}"));
        let made = post(
            mock,
            path("create"),
            json!({"search_terms": terms, "client_user_id": "u"}),
        )
        .await;
        let id = step(path("create"), "a listed name", made)["id"].clone();
        let hits = post(mock, path("hit/list"), json!({ id_field: id })).await;
        let hits = step(path("hit/list"), "one hit", hits);
        let hit = hits
            .as_object()
            .and_then(|h| h.values().find_map(|v| v.get(0)))
            .map(|h| h["id"].clone())
            .expect("a hit");
        let review = post(
            mock,
            path("review/create"),
            json!({ id_field: id, "confirmed_hits": [hit], "dismissed_hits": [], "comment": "c"}),
        )
        .await;
        step(path("review/create"), "confirmed", review);
        for verb in ["get", "review/list", "history/list"] {
            let got = post(mock, path(verb), json!({ id_field: id })).await;
            step(path(verb), "after a review", got);
        }
        let updated = post(
            mock,
            path("update"),
            json!({ id_field: id, "client_user_id": "v", "reset_fields": ["assignee"]}),
        )
        .await;
        step(path("update"), "a new user id", updated);
        let listed = post(
            mock,
            path("list"),
            json!({ program_field: terms[program_field] }),
        )
        .await;
        step(path("list"), "the one made", listed);
    }
}

/// Identity Match, recurring streams and created sandbox transactions,
/// on an item of the `user_transactions_dynamic` test user.
async fn core_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        json_of(&answer)
    };
    let created = post(mock, "/sandbox/public_token/create", json!({"institution_id": "ins_109508",
        "initial_products": ["transactions"], "options": {"override_username": "user_transactions_dynamic"}})).await;
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": json_of(&created)["public_token"]}),
    )
    .await;
    let token = json_of(&exchanged)["access_token"].clone();
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    let today = mock.now().date();
    let day = |back: i64| {
        let d = today - time::Duration::days(back);
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    };
    let transactions: Vec<Value> = [(14, 9.99), (7, 9.99), (0, 9.99), (14, -500.0), (0, -500.0)]
        .iter()
        .map(|(back, amount)| {
            let description = if *amount > 0.0 {
                "Streaming Plus"
            } else {
                "PAYROLL"
            };
            json!({"date_transacted": day(*back), "date_posted": day(*back),
                   "amount": amount, "description": description})
        })
        .collect();
    let made = post(
        mock,
        "/sandbox/transactions/create",
        json!({"access_token": token, "transactions": transactions}),
    )
    .await;
    step("/sandbox/transactions/create", "five transactions", made);
    let streams = post(
        mock,
        "/transactions/recurring/get",
        json!({"access_token": token}),
    )
    .await;
    let streams = step(
        "/transactions/recurring/get",
        "weekly and biweekly",
        streams,
    );
    assert!(
        !streams["outflow_streams"].as_array().unwrap().is_empty()
            && !streams["inflow_streams"].as_array().unwrap().is_empty(),
        "{streams}"
    );
    let user = json!({"legal_name": "Alberta Charleson", "phone_number": "+12025550123",
        "email_address": "someone@example.com",
        "address": {"street": "2992 Cameron Road", "city": "Malakoff", "region": "NY",
                    "postal_code": "14236", "country": "US"}});
    let matched = post(
        mock,
        "/identity/match",
        json!({"access_token": token, "user": user}),
    )
    .await;
    step("/identity/match", "every field", matched);
    let processor = post(
        mock,
        "/processor/token/create",
        json!({"access_token": token,
        "account_id": account, "processor": "dwolla"}),
    )
    .await;
    let processor = json_of(&processor)["processor_token"].clone();
    let matched = post(
        mock,
        "/processor/identity/match",
        json!({"processor_token": processor, "user": {"legal_name": "A"}}),
    )
    .await;
    step("/processor/identity/match", "a name", matched);
    let streams = post(
        mock,
        "/processor/transactions/recurring/get",
        json!({"processor_token": processor}),
    )
    .await;
    step(
        "/processor/transactions/recurring/get",
        "its account",
        streams,
    );
    let evaluated = post(
        mock,
        "/processor/signal/evaluate",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "amount": 3.5}),
    )
    .await;
    step("/processor/signal/evaluate", "to report on", evaluated);
    let reported = post(
        mock,
        "/processor/signal/decision/report",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "initiated": true}),
    )
    .await;
    step(
        "/processor/signal/decision/report",
        "an evaluated id",
        reported,
    );
    let reported = post(
        mock,
        "/processor/signal/return/report",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "return_code": "R01"}),
    )
    .await;
    step(
        "/processor/signal/return/report",
        "an evaluated id",
        reported,
    );
    let made = post(
        mock,
        "/sandbox/processor_token/create",
        json!({"institution_id": "ins_109508"}),
    )
    .await;
    let made = step("/sandbox/processor_token/create", "a new item", made);
    let auth = post(
        mock,
        "/processor/auth/get",
        json!({"processor_token": made["processor_token"]}),
    )
    .await;
    step("/processor/auth/get", "a sandbox processor token", auth);
    let user = post(mock, "/user/create", json!({"client_user_id": "core-user"})).await;
    let user = json_of(&user)["user_token"].clone();
    post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["auth"], "user_token": user}),
    )
    .await;
    let reset = post(
        mock,
        "/sandbox/user/reset_login",
        json!({ "user_token": user }),
    )
    .await;
    step("/sandbox/user/reset_login", "a user's items", reset);
}

/// Every operation once, through its client method with sample arguments,
/// and real tokens and ids where the fake keeps state; operations of
/// `support::sample_ids_refused` must refuse them with their code.
async fn every_operation_once(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    // Keeps a copy of every answer, exactly as the fake sent it.
    let recorder = RecordingTransport::new(mock.clone());
    let client = mock
        .client_builder()
        .transport(recorder.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let refusals = support::sample_ids_refused();
    for op in operations {
        let (access_token, account_id, public_token) = support::fresh_item(&client).await;
        let processor_token = support::processor_token(&client, &access_token, &account_id).await;
        let key_id = mock.webhook_key_id();
        let overrides = move |field: &str| match field {
            "access_token" => Some(access_token.clone()),
            "processor_token" => Some(processor_token.clone()),
            "account_id" => Some(account_id.clone()),
            "public_token" => Some(public_token.clone()),
            "institution_id" => Some("ins_109508".to_owned()),
            "key_id" => Some(key_id.clone()),
            _ => None,
        };
        recorder.clear();
        // Whether the answer decodes is `every_operation`'s business; here
        // the raw answer is what counts.
        let _decoded = calls::call(&client, &op.operation_id, &overrides)
            .await
            .expect("a generated call");
        let seen = exchanges(&recorder);
        assert_eq!(
            seen.len(),
            1,
            "{} {}: one request, no retries",
            op.method,
            op.path
        );
        report.operations += 1;
        match support::sample_id_refusal(&refusals, &op.path) {
            Some(code) => report.error(
                map,
                "every operation, sample ids",
                Some(code),
                op.error_schema.as_deref(),
                &seen[0],
            ),
            None => report.success(map, op, "every operation", &seen[0]),
        }
    }
}

/// The generic engine's families with objects the fake made. Their gets
/// and actions refuse the sample ids `every_operation_once` sends (see
/// `support::sample_ids_refused`), so their success answers are checked
/// here: for every family with a create, an object made from the create's
/// sample request, then each other verb with the id that create answered
/// (remove last). Returns how many operations were checked.
async fn engine_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) -> usize {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let (token, _) = mock.link_item("ins_109508", &["auth"]).expect("an item");
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    // A sample request, with the item's token and account where it names them.
    let sample = |path: &str| {
        let mut body = plaid_mock::sample_request(path).expect("a sample request");
        if body.get("access_token").is_some() {
            body["access_token"] = json!(token);
        }
        if body.get("account_id").is_some() {
            body["account_id"] = account.clone();
        }
        body
    };
    let mut checked = std::collections::BTreeSet::new();
    for family in plaid_mock::resource_families() {
        let Some((_, create)) = family.verbs.iter().find(|(verb, _)| *verb == "create") else {
            continue;
        };
        let made = post(mock, create, sample(create)).await;
        report.success(map, op(create), "engine, from the sample request", &made);
        checked.insert(*create);
        if family.id_request.is_empty() {
            continue;
        }
        let made = json_of(&made);
        let object = if family.object.is_empty() {
            &made
        } else {
            &made[family.object]
        };
        let id = object[family.id_answer].clone();
        assert!(
            id.is_string(),
            "{create}: no {} in {made}",
            family.id_answer
        );
        let mut rest: Vec<(&str, &str)> = family
            .verbs
            .iter()
            .copied()
            .filter(|(verb, _)| *verb != "create")
            .collect();
        rest.sort_by_key(|(verb, _)| matches!(*verb, "remove" | "delete"));
        for (verb, path) in rest {
            let mut body = sample(path);
            if verb != "list" {
                body[family.id_request] = id.clone();
            }
            let answer = post(mock, path, body).await;
            report.success(map, op(path), "engine, the id create answered", &answer);
            checked.insert(path);
        }
    }
    checked.len()
}

/// Answers of the stateful operations in states one call does not reach:
/// sync pages and changes, pages of transactions and institutions, an item
/// with a webhook and one in error.
async fn stateful_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .expect("an item");
    let mut cursor = String::new();
    loop {
        let page = post(
            mock,
            "/transactions/sync",
            json!({"access_token": token, "cursor": cursor, "count": 10}),
        )
        .await;
        report.success(map, op("/transactions/sync"), "a page of ten", &page);
        let page = json_of(&page);
        cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
        if page["has_more"] != Value::Bool(true) {
            break;
        }
    }
    let listed = post(
        mock,
        "/transactions/get",
        json!({"access_token": token, "start_date": "2000-01-01", "end_date": "2100-01-01",
               "options": {"count": 3, "offset": 2}}),
    )
    .await;
    report.success(map, op("/transactions/get"), "a page", &listed);
    let listed = json_of(&listed);
    let transaction = |i: usize, field: &str| {
        listed["transactions"][i][field]
            .as_str()
            .expect("a transaction")
            .to_owned()
    };
    let (modified, removed) = (
        transaction(0, "transaction_id"),
        transaction(1, "transaction_id"),
    );
    mock.add_transaction(&token, 12.5, "Coffee").unwrap();
    mock.modify_transaction(&token, &modified, 99.0).unwrap();
    mock.remove_transaction(&token, &removed).unwrap();
    let changes = post(
        mock,
        "/transactions/sync",
        json!({"access_token": token, "cursor": cursor}),
    )
    .await;
    report.success(
        map,
        op("/transactions/sync"),
        "added, modified, removed",
        &changes,
    );
    assert_eq!(
        json_of(&changes)["removed"],
        json!([{"transaction_id": removed, "account_id": transaction(1, "account_id")}]),
        "a removed transaction names its account"
    );
    let webhook = post(
        mock,
        "/item/webhook/update",
        json!({"access_token": token, "webhook": "https://example.com/hook"}),
    )
    .await;
    report.success(map, op("/item/webhook/update"), "webhook set", &webhook);
    let item = post(mock, "/item/get", json!({"access_token": token})).await;
    report.success(map, op("/item/get"), "with a webhook", &item);
    post(
        mock,
        "/sandbox/item/reset_login",
        json!({"access_token": token}),
    )
    .await;
    let broken = post(mock, "/item/get", json!({"access_token": token})).await;
    report.success(map, op("/item/get"), "item in error", &broken);
    assert_eq!(
        json_of(&broken)["item"]["error"]["error_code"],
        "ITEM_LOGIN_REQUIRED"
    );
    let institutions = post(
        mock,
        "/institutions/get",
        json!({"count": 5, "offset": 1, "country_codes": ["US"]}),
    )
    .await;
    report.success(map, op("/institutions/get"), "a page", &institutions);
    let search = post(
        mock,
        "/institutions/search",
        json!({"query": "Bank", "country_codes": ["US"]}),
    )
    .await;
    report.success(map, op("/institutions/search"), "a query", &search);
}

/// A request that must fail: what it is, the error code it must get, its
/// path, headers replacing the defaults of [`send_raw`], and its body.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, Option<&'static str>)],
    String,
);

/// Every kind of error answer the fake gives, each with the code it must
/// carry.
async fn provoked_errors(mock: &MockPlaid) -> Vec<(&'static str, &'static str, Exchange)> {
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .expect("an item");
    let access = json!({ "access_token": token }).to_string();
    let dates = |start: &str, end: &str, options: Value| {
        let body = json!({"access_token": token, "start_date": start, "end_date": end});
        let mut body = body.as_object().cloned().unwrap_or_default();
        body.insert("options".into(), options);
        Value::Object(body).to_string()
    };
    let s = |text: &str| text.to_owned();
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("wrong secret", "INVALID_API_KEYS", "/accounts/get", &[("plaid-secret", Some("wrong"))], access.clone()),
        ("no credentials", "INVALID_API_KEYS", "/accounts/get", &[("plaid-client-id", None), ("plaid-secret", None)], access.clone()),
        ("missing field", "MISSING_FIELDS", "/accounts/get", &[], s("{}")),
        ("null required field", "MISSING_FIELDS", "/accounts/get", &[], s(r#"{"access_token": null}"#)),
        ("wrong type", "INVALID_FIELD", "/accounts/get", &[], s(r#"{"access_token": 5}"#)),
        ("unknown field", "UNKNOWN_FIELDS", "/accounts/get", &[], s(r#"{"access_token": "a", "colour": "red"}"#)),
        ("body not JSON", "INVALID_BODY", "/accounts/get", &[], s("{not json")),
        ("body not an object", "INVALID_BODY", "/accounts/get", &[], s("[1]")),
        ("wrong content type", "INVALID_BODY", "/accounts/get", &[("content-type", Some("text/plain"))], access.clone()),
        ("unknown API version", "INVALID_HEADERS", "/accounts/get", &[("plaid-version", Some("1999-01-01"))], access.clone()),
        ("body too large", "INVALID_BODY", "/accounts/get", &[], " ".repeat(2 * 1024 * 1024)),
        ("unknown path", "NOT_FOUND", "/no/such/operation", &[], s("{}")),
        ("unknown access token", "INVALID_ACCESS_TOKEN", "/accounts/get", &[], s(r#"{"access_token": "access-sandbox-nope"}"#)),
        ("unknown public token", "INVALID_PUBLIC_TOKEN", "/item/public_token/exchange", &[], s(r#"{"public_token": "public-sandbox-nope"}"#)),
        ("unknown institution", "INVALID_INSTITUTION", "/sandbox/public_token/create", &[], s(r#"{"institution_id": "ins_nope", "initial_products": ["transactions"]}"#)),
        ("unknown institution id", "INVALID_INSTITUTION", "/institutions/get_by_id", &[], s(r#"{"institution_id": "ins_nope", "country_codes": ["US"]}"#)),
        ("account of another item", "INVALID_ACCOUNT_ID", "/processor/token/create", &[], json!({"access_token": token, "account_id": "nope", "processor": "dwolla"}).to_string()),
        ("unknown processor token", "INVALID_PROCESSOR_TOKEN", "/processor/auth/get", &[], s(r#"{"processor_token": "processor-sandbox-nope"}"#)),
        ("unknown webhook key", "INVALID_WEBHOOK_VERIFICATION_KEY_ID", "/webhook_verification_key/get", &[], s(r#"{"key_id": "nope"}"#)),
        ("dates reversed", "INVALID_FIELD", "/transactions/get", &[], dates("2024-02-01", "2024-01-01", json!({}))),
        ("not a date", "INVALID_FIELD", "/transactions/get", &[], dates("yesterday", "2024-01-01", json!({}))),
        ("page size out of range", "INVALID_FIELD", "/transactions/get", &[], dates("2024-01-01", "2024-02-01", json!({"count": 0}))),
        ("negative offset", "INVALID_FIELD", "/transactions/get", &[], dates("2024-01-01", "2024-02-01", json!({"offset": -1}))),
        ("unknown cursor", "INVALID_FIELD", "/transactions/sync", &[], json!({"access_token": token, "cursor": "nope"}).to_string()),
        ("sync count out of range", "INVALID_FIELD", "/transactions/sync", &[], json!({"access_token": token, "count": 0}).to_string()),
    ];
    let mut out = Vec::new();
    for (label, code, path, headers, body) in cases {
        out.push((
            label,
            code,
            send_raw(mock, "POST", path, headers, body).await,
        ));
    }

    // The item's state breaks it step by step.
    let after = |label, code, path, body: String| {
        let mock = mock.clone();
        async move { (label, code, send_raw(&mock, "POST", path, &[], body).await) }
    };
    let first = post(
        mock,
        "/transactions/sync",
        json!({"access_token": token, "count": 1}),
    )
    .await;
    let next = json_of(&first)["next_cursor"].clone();
    mock.add_transaction(&token, 1.0, "Tea").unwrap();
    let next_page = json!({"access_token": token, "cursor": next, "count": 1}).to_string();
    out.push(
        after(
            "mutation during pagination",
            "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
            "/transactions/sync",
            next_page,
        )
        .await,
    );
    mock.set_transactions_ready(&token, false).unwrap();
    let month = dates("2024-01-01", "2024-02-01", json!({}));
    out.push(
        after(
            "transactions not ready (get)",
            "PRODUCT_NOT_READY",
            "/transactions/get",
            month,
        )
        .await,
    );
    out.push(
        after(
            "transactions not ready (sync)",
            "PRODUCT_NOT_READY",
            "/transactions/sync",
            access.clone(),
        )
        .await,
    );
    send_raw(
        mock,
        "POST",
        "/sandbox/item/reset_login",
        &[],
        access.clone(),
    )
    .await;
    out.push(
        after(
            "login required",
            "ITEM_LOGIN_REQUIRED",
            "/accounts/get",
            access.clone(),
        )
        .await,
    );
    send_raw(mock, "POST", "/item/remove", &[], access.clone()).await;
    out.push(
        after(
            "removed item",
            "INVALID_ACCESS_TOKEN",
            "/accounts/get",
            access.clone(),
        )
        .await,
    );

    // Errors injected by tests.
    let injected = [
        ErrorAnswer::new(
            429,
            "RATE_LIMIT_EXCEEDED",
            "RATE_LIMIT",
            "too many requests",
        ),
        ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "something broke"),
        ErrorAnswer::new(
            502,
            "INSTITUTION_ERROR",
            "INSTITUTION_DOWN",
            "the bank is down",
        )
        .display("Your bank is not answering; try again later."),
    ];
    let codes = ["RATE_LIMIT", "INTERNAL_SERVER_ERROR", "INSTITUTION_DOWN"];
    let search = s(r#"{"query": "x", "country_codes": ["US"]}"#);
    for (error, code) in injected.into_iter().zip(codes) {
        mock.fail_next("/institutions/search", 1, error);
        out.push(
            after(
                "injected with fail_next",
                code,
                "/institutions/search",
                search.clone(),
            )
            .await,
        );
    }
    out
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

/// The Plaid Ledger's answers with a real transfer and real sweeps.
async fn ledger_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        json_of(&answer)
    };
    let (token, _) = mock
        .link_item("ins_109508", &["transfer"])
        .expect("an item");
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    let authorization = post(
        mock,
        "/transfer/authorization/create",
        json!({"access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "3.00",
        "ach_class": "ppd", "user": {"legal_name": "L"}}),
    )
    .await;
    let authorization = json_of(&authorization)["authorization"]["id"].clone();
    let cancelled = post(
        mock,
        "/transfer/authorization/cancel",
        json!({"authorization_id": authorization}),
    )
    .await;
    step(
        "/transfer/authorization/cancel",
        "an unused authorization",
        cancelled,
    );
    let capabilities = post(
        mock,
        "/transfer/capabilities/get",
        json!({"access_token": token, "account_id": account}),
    )
    .await;
    step(
        "/transfer/capabilities/get",
        "a checking account",
        capabilities,
    );
    let deposit = post(
        mock,
        "/transfer/ledger/deposit",
        json!({"amount": "50.00",
        "idempotency_key": "conformance-deposit", "network": "ach"}),
    )
    .await;
    let deposit = step("/transfer/ledger/deposit", "a deposit", deposit)["sweep"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/transfer/ledger/deposit/simulate",
        json!({"sweep_id": deposit, "event_type": "sweep.posted"}),
    )
    .await;
    step(
        "/sandbox/transfer/ledger/deposit/simulate",
        "posted",
        simulated,
    );
    let withdrawal = post(
        mock,
        "/transfer/ledger/withdraw",
        json!({"amount": "5.00",
        "idempotency_key": "conformance-withdrawal", "network": "ach"}),
    )
    .await;
    let withdrawal =
        step("/transfer/ledger/withdraw", "a withdrawal", withdrawal)["sweep"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/transfer/ledger/withdraw/simulate",
        json!({"sweep_id": withdrawal, "event_type": "sweep.failed"}),
    )
    .await;
    step(
        "/sandbox/transfer/ledger/withdraw/simulate",
        "failed",
        simulated,
    );
    let sweep = post(mock, "/transfer/sweep/get", json!({"sweep_id": withdrawal})).await;
    step("/transfer/sweep/get", "a failed ledger withdrawal", sweep);
    let available = post(
        mock,
        "/sandbox/transfer/ledger/simulate_available",
        json!({}),
    )
    .await;
    step(
        "/sandbox/transfer/ledger/simulate_available",
        "all pending",
        available,
    );
    let ledger = post(mock, "/transfer/ledger/get", json!({})).await;
    step("/transfer/ledger/get", "the default ledger", ledger);
    let events = post(mock, "/transfer/ledger/event/list", json!({})).await;
    step("/transfer/ledger/event/list", "every move", events);
    let balance = post(mock, "/transfer/balance/get", json!({})).await;
    step("/transfer/balance/get", "the ledger's", balance);
    let metrics = post(mock, "/transfer/metrics/get", json!({})).await;
    step("/transfer/metrics/get", "today's transfers", metrics);
    for path in [
        "/sandbox/transfer/fire_webhook",
        "/sandbox/bank_transfer/fire_webhook",
    ] {
        let fired = post(mock, path, json!({"webhook": "http://127.0.0.1:9/hook"})).await;
        step(path, "to a URL", fired);
    }
}

/// Virtual Accounts' answers with a real wallet, a pay-in, a payout and a
/// refund.
async fn wallet_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        json_of(&answer)
    };
    let made = post(mock, "/wallet/create", json!({"iso_currency_code": "GBP"})).await;
    let made = step("/wallet/create", "a GBP wallet", made);
    let euros = post(mock, "/wallet/create", json!({"iso_currency_code": "EUR"})).await;
    step("/wallet/create", "a EUR wallet", euros);
    let wallet = made["wallet_id"].clone();
    let payment = post(
        mock,
        "/payment_initiation/payment/create",
        json!({
        "recipient_id": made["recipient_id"], "reference": "TopUp",
        "amount": {"currency": "GBP", "value": 50.0}}),
    )
    .await;
    let payment = json_of(&payment)["payment_id"].clone();
    post(
        mock,
        "/sandbox/payment/simulate",
        json!({"payment_id": payment,
        "status": "PAYMENT_STATUS_SETTLED", "webhook": "http://127.0.0.1:9/hook"}),
    )
    .await;
    let paid = post(mock, "/wallet/transaction/execute", json!({"wallet_id": wallet,
        "idempotency_key": "conformance-payout", "reference": "payout",
        "amount": {"iso_currency_code": "GBP", "value": 5.0},
        "counterparty": {"name": "A", "numbers": {"bacs": {"account": "26207729", "sort_code": "560029"}}}})).await;
    let paid = step("/wallet/transaction/execute", "a payout", paid);
    let refund = post(
        mock,
        "/payment_initiation/payment/reverse",
        json!({"payment_id": payment,
        "idempotency_key": "conformance-refund", "reference": "refund"}),
    )
    .await;
    step(
        "/payment_initiation/payment/reverse",
        "all of a pay-in",
        refund,
    );
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": payment}),
    )
    .await;
    step("/payment_initiation/payment/get", "a refunded payment", got);
    let got = post(
        mock,
        "/wallet/transaction/get",
        json!({"transaction_id": paid["transaction_id"]}),
    )
    .await;
    step("/wallet/transaction/get", "the payout", got);
    let listed = post(
        mock,
        "/wallet/transaction/list",
        json!({"wallet_id": wallet, "count": 2}),
    )
    .await;
    step("/wallet/transaction/list", "a page of two", listed);
    let got = post(mock, "/wallet/get", json!({"wallet_id": wallet})).await;
    step("/wallet/get", "after a pay-in, a payout and a refund", got);
    let listed = post(mock, "/wallet/list", json!({"count": 1})).await;
    step("/wallet/list", "a page of one", listed);
}

/// Plaid Check and Cash Flow Report, with a real user, an item linked for
/// it and a ready Consumer Report: every success answer against the spec.
async fn consumer_report_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        if answer.content_type.starts_with("application/json") {
            json_of(&answer)
        } else {
            Value::Null
        }
    };
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "check-user"}),
    )
    .await;
    let user = json_of(&user);
    let (user_token, user_id) = (user["user_token"].clone(), user["user_id"].clone());
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
        "user_token": user_token, "options": {"webhook": "https://example.com/item"}}),
    )
    .await;
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": json_of(&linked)["public_token"]}),
    )
    .await;
    let access_token = json_of(&exchanged)["access_token"].clone();
    let created = post(
        mock,
        "/cra/check_report/create",
        json!({"user_token": user_token, "webhook": "https://example.com/check",
        "days_requested": 365, "client_report_id": "c-1",
        "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT"}),
    )
    .await;
    step(
        "/cra/check_report/create",
        "for a user with an item",
        created,
    );
    mock.advance_clock(time::Duration::seconds(10));
    let by_user = json!({"user_token": user_token});
    for path in [
        "/cra/check_report/base_report/get",
        "/cra/check_report/income_insights/get",
        "/cra/check_report/partner_insights/get",
        "/cra/check_report/network_insights/get",
        "/cra/check_report/cashflow_insights/get",
        "/cra/check_report/lend_score/get",
        "/cra/check_report/pdf/get",
        "/cra/check_report/verification/pdf/get",
        "/cra/partner_insights/get",
        "/consumer_report/pdf/get",
    ] {
        let got = post(mock, path, by_user.clone()).await;
        step(path, "a ready report", got);
    }
    let got = post(
        mock,
        "/cra/check_report/verification/get",
        json!({"user_token": user_token, "reports_requested": ["VOA", "EMPLOYMENT_REFRESH"],
        "employment_refresh_options": {"days_requested": 60}}),
    )
    .await;
    step("/cra/check_report/verification/get", "a ready report", got);
    let got = post(
        mock,
        "/cra/credit_profile/report/get",
        json!({"user_id": user_id, "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT",
        "client_report_id": "c-2", "report_type": "QUALIFY", "inquiry_type": "SOFT_INQUIRY",
        "version": "v1"}),
    )
    .await;
    step("/cra/credit_profile/report/get", "a ready report", got);

    let subscribed = post(
        mock,
        "/cra/monitoring_insights/subscribe",
        json!({"user_token": user_token, "webhook": "https://example.com/updates"}),
    )
    .await;
    let subscription =
        step("/cra/monitoring_insights/subscribe", "a user", subscribed)["subscription_id"].clone();
    let got = post(
        mock,
        "/cra/monitoring_insights/get",
        json!({"user_token": user_token,
        "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"}),
    )
    .await;
    step("/cra/monitoring_insights/get", "subscribed", got);
    let updated = post(
        mock,
        "/sandbox/cra/cashflow_updates/update",
        json!({"user_token": user_token, "webhook_codes": ["LARGE_DEPOSIT_DETECTED"]}),
    )
    .await;
    step(
        "/sandbox/cra/cashflow_updates/update",
        "subscribed",
        updated,
    );
    let gone = post(
        mock,
        "/cra/monitoring_insights/unsubscribe",
        json!({"subscription_id": subscription}),
    )
    .await;
    step("/cra/monitoring_insights/unsubscribe", "subscribed", gone);

    let loan = json!({"loans": [{"user_token": user_token, "loan_id": "l-1", "type": "AUTO",
        "payment_schedule": "MONTHLY", "opened_date": "2024-01-01",
        "opened_with_status": {"status": "CURRENT", "date": "2024-01-01"}}]});
    let registered = post(mock, "/cra/loans/register", loan).await;
    step("/cra/loans/register", "a new loan", registered);
    let updated = post(
        mock,
        "/cra/loans/update",
        json!({"loans": [{"loan_id": "l-1",
        "status_history": [{"status": "CURRENT", "date": "2024-02-01"}]}]}),
    )
    .await;
    step("/cra/loans/update", "a registered loan", updated);
    let closed = post(
        mock,
        "/cra/loans/unregister",
        json!({"loans": [{"loan_id": "l-1",
        "closed_with_status": {"status": "PAID_OFF", "date": "2024-03-01"}}]}),
    )
    .await;
    step("/cra/loans/unregister", "a registered loan", closed);
    let applied = post(
        mock,
        "/cra/loans/applications/register",
        json!({"applications": [{"user_token": user_token, "application_id": "a-1",
        "type": "AUTO", "decision": "APPROVED"}]}),
    )
    .await;
    step("/cra/loans/applications/register", "a user", applied);

    let refreshed = post(
        mock,
        "/cashflow_report/refresh",
        json!({"access_token": access_token, "days_requested": 90}),
    )
    .await;
    step("/cashflow_report/refresh", "an item", refreshed);
    let first = post(
        mock,
        "/cashflow_report/get",
        json!({"access_token": access_token, "days_requested": 90, "count": 5}),
    )
    .await;
    let first = step("/cashflow_report/get", "a first page", first);
    let next = post(
        mock,
        "/cashflow_report/transactions/get",
        json!({"access_token": access_token, "count": 5, "cursor": first["next_cursor"]}),
    )
    .await;
    step("/cashflow_report/transactions/get", "a second page", next);
    let insights = post(
        mock,
        "/cashflow_report/insights/get",
        json!({"access_token": access_token}),
    )
    .await;
    step("/cashflow_report/insights/get", "an item", insights);
}

/// Payroll and Document Income, the older income verification API, Link
/// sessions finished on a link token, and the Income sandbox webhooks,
/// with ids the fake made.
async fn payroll_income_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };
    let mut step = |path: &'static str, label: &'static str, answer: Exchange| {
        report.success(map, op(path), label, &answer);
        json_of(&answer)
    };
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "payroll-conformance"}),
    )
    .await;
    let user = step("/user/create", "for payroll", user);
    let user_token = user["user_token"].clone();
    let user_id = user["user_id"].clone();
    let mut items = Vec::new();
    for flows in [
        json!(["payroll_digital_income"]),
        json!(["payroll_document_income"]),
    ] {
        let link = post(
            mock,
            "/link/token/create",
            json!({"client_name": "C", "language": "en",
            "country_codes": ["US"], "user": {"client_user_id": "p"}, "user_token": user_token,
            "products": ["income_verification"], "webhook": "https://example.com/hook",
            "income_verification": {"income_source_types": ["payroll"],
                                    "payroll_income": {"flow_types": flows}}}),
        )
        .await;
        let link = step("/link/token/create", "payroll income", link);
        let token = link["link_token"].as_str().expect("a link token");
        let done = mock.complete_link(token, None).expect("Link finished");
        items.push(done["item_id"].clone());
        let got = post(mock, "/link/token/get", json!({"link_token": token})).await;
        step("/link/token/get", "a finished session", got);
    }
    let user_body = json!({"user_token": user_token});
    for (path, label) in [
        ("/credit/sessions/get", "payroll and document sessions"),
        ("/credit/payroll_income/get", "payroll and documents"),
        ("/credit/employment/get", "from the payroll data"),
        (
            "/credit/payroll_income/risk_signals/get",
            "documents checked",
        ),
        ("/credit/bank_statements/uploads/get", "document items"),
        (
            "/credit/payroll_income/refresh",
            "a payroll login and documents",
        ),
    ] {
        let answer = post(mock, path, user_body.clone()).await;
        step(path, label, answer);
    }
    let filtered = post(
        mock,
        "/credit/payroll_income/get",
        json!({"user_token": user_token, "options": {"item_ids": [items[0]]}}),
    )
    .await;
    step("/credit/payroll_income/get", "one item", filtered);
    let refreshed = post(
        mock,
        "/credit/payroll_income/refresh",
        json!({"user_token": user_token, "options": {"item_ids": [items[0]]}}),
    )
    .await;
    step(
        "/credit/payroll_income/refresh",
        "a payroll login",
        refreshed,
    );
    let config = post(
        mock,
        "/credit/payroll_income/parsing_config/update",
        json!({"user_token": user_token, "item_id": items[1], "parsing_config": ["ocr"]}),
    )
    .await;
    step(
        "/credit/payroll_income/parsing_config/update",
        "a document item",
        config,
    );
    let precheck = post(
        mock,
        "/credit/payroll_income/precheck",
        json!({"user_token": user_token, "employer": {"name": "Plaid Inc"}}),
    )
    .await;
    step(
        "/credit/payroll_income/precheck",
        "a known employer",
        precheck,
    );
    let fired = post(
        mock,
        "/sandbox/income/fire_webhook",
        json!({"item_id": items[0],
        "user_id": user_id, "webhook": "https://example.com/hook",
        "webhook_code": "INCOME_VERIFICATION"}),
    )
    .await;
    step("/sandbox/income/fire_webhook", "the user's item", fired);
    let fired = post(
        mock,
        "/sandbox/bank_income/fire_webhook",
        json!({
        "webhook_code": "BANK_INCOME_REFRESH_UPDATE", "webhook_fields": {"user_id": user_id}}),
    )
    .await;
    step("/sandbox/bank_income/fire_webhook", "a user", fired);

    let employers = post(
        mock,
        "/employers/search",
        json!({"query": "inc", "products": ["deposit_switch"]}),
    )
    .await;
    step("/employers/search", "two matches", employers);
    for (path, label, body) in [
        (
            "/user/transactions/refresh",
            "the user's items",
            json!({"user_id": user_id}),
        ),
        (
            "/user/financial_data/refresh",
            "the user's items",
            json!({"user_id": user_id}),
        ),
        (
            "/user/identity/remove",
            "a user",
            json!({"user_id": user_id}),
        ),
    ] {
        let answer = post(mock, path, body).await;
        step(path, label, answer);
    }

    // The older API: a verification, Link finished on it, reads by id and token.
    let precheck = post(
        mock,
        "/income/verification/precheck",
        json!({"employer": {"name": "Acme Inc"}}),
    )
    .await;
    let precheck = step(
        "/income/verification/precheck",
        "a known employer",
        precheck,
    );
    let created = post(
        mock,
        "/income/verification/create",
        json!({
        "webhook": "https://example.com/hook", "precheck_id": precheck["precheck_id"]}),
    )
    .await;
    let created = step("/income/verification/create", "from a precheck", created);
    let id = created["income_verification_id"].clone();
    let link = post(mock, "/link/token/create", json!({"client_name": "C", "language": "en",
        "country_codes": ["US"], "user": {"client_user_id": "p"},
        "products": ["income_verification"], "income_verification": {"income_verification_id": id}}))
    .await;
    let link = step("/link/token/create", "an older verification", link);
    let done = mock
        .complete_link(link["link_token"].as_str().expect("a link token"), None)
        .expect("Link finished");
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": done["public_token"]}),
    )
    .await;
    let access_token =
        step("/item/public_token/exchange", "a payroll item", exchanged)["access_token"].clone();
    for (path, label, body) in [
        (
            "/income/verification/paystubs/get",
            "by verification id",
            json!({"income_verification_id": id}),
        ),
        (
            "/income/verification/paystubs/get",
            "by access token",
            json!({"access_token": access_token}),
        ),
        (
            "/income/verification/taxforms/get",
            "by access token",
            json!({"access_token": access_token}),
        ),
        (
            "/employment/verification/get",
            "a payroll item",
            json!({"access_token": access_token}),
        ),
    ] {
        let answer = post(mock, path, body).await;
        step(path, label, answer);
    }
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["income_verification"], "user_token": user_token}),
    )
    .await;
    step(
        "/sandbox/public_token/create",
        "bank income for the payroll user",
        linked,
    );
    let employment = post(
        mock,
        "/beta/credit/v1/bank_employment/get",
        user_body.clone(),
    )
    .await;
    step(
        "/beta/credit/v1/bank_employment/get",
        "from salary deposits",
        employment,
    );
    let ended = post(
        mock,
        "/user/products/terminate",
        json!({"user_id": user_id, "reason_code": "USER_OFFBOARDING"}),
    )
    .await;
    step("/user/products/terminate", "the payroll user", ended);
}
