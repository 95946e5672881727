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
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, ValidatorMap};
use plaid_core::{Client, HttpTransport, RetryPolicy, TransportError};
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

/// Sends to the fake and keeps a copy of every answer, exactly as sent.
#[derive(Debug, Clone)]
struct Recorder {
    mock: MockPlaid,
    seen: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

#[async_trait::async_trait]
impl HttpTransport for Recorder {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let path = request.uri().path().to_owned();
        let response = self.mock.send(request).await?;
        let copy = exchange(path, response.clone());
        self.seen.lock().unwrap().push(copy);
        Ok(response)
    }
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

    /// `answer` must be an error answer conforming to `PlaidError` (and to
    /// the operation's own error schema, where it declares another one).
    fn error(
        &mut self,
        map: &ValidatorMap,
        label: &str,
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
// The fake.

/// A fresh item: its access token, first account id, and a second public
/// token for it (update mode).
async fn fresh_item(client: &Client) -> (String, String, String) {
    use plaid_core::models::Products;
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    let accounts = client
        .accounts()
        .get(&exchanged.access_token)
        .await
        .unwrap();
    let again = client
        .item()
        .public_token()
        .create(&exchanged.access_token)
        .await
        .unwrap();
    (
        exchanged.access_token,
        accounts.accounts[0].account_id.clone(),
        again.public_token,
    )
}

/// A raw request to the fake, with its credentials unless `credentials` is false.
async fn raw(mock: &MockPlaid, path: &str, body: &str, credentials: bool) -> Exchange {
    raw_with(mock, path, body, |builder| {
        if credentials {
            builder
                .header("PLAID-CLIENT-ID", mock.client_id())
                .header("PLAID-SECRET", mock.secret())
        } else {
            builder
        }
    })
    .await
}

async fn raw_with(
    mock: &MockPlaid,
    path: &str,
    body: &str,
    headers: impl FnOnce(http::request::Builder) -> http::request::Builder,
) -> Exchange {
    let builder = http::Request::post(format!("https://mock.plaid{path}"))
        .header(http::header::CONTENT_TYPE, "application/json");
    let request = headers(builder)
        .body(Bytes::from(body.to_owned()))
        .expect("a valid request");
    let response = mock
        .send(request)
        .await
        .expect("the in-process fake answers");
    exchange(path.to_owned(), response)
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

#[tokio::test]
async fn every_answer_of_the_fake_conforms_to_the_spec() {
    let spec = spec();
    let components = spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let map = build_map(&openapi::document(components));
    // The compiled schemas bite, and say where and why.
    let broken = json!({
        "accounts": [{"account_id": "a", "balances": {"current": "12"}, "mask": null,
                      "name": "n", "official_name": null, "type": "checking", "subtype": null}],
        "request_id": "r"
    });
    let found = check(&map, "AccountsGetResponse", &broken);
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
    assert!(check(&map, "PlaidError", &json!({"error_type": "ITEM_ERROR"})).len() >= 3);

    let operations = spec_operations(&spec);
    assert_eq!(operations.len(), 329, "the spec changed size");
    let by_path = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .unwrap_or_else(|| panic!("{path} is not in the spec"))
    };

    let mock = MockPlaid::new();
    let recorder = Recorder {
        mock: mock.clone(),
        seen: Arc::default(),
    };
    let client = mock
        .client_builder()
        .transport(recorder.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut report = Report::default();

    // 1. Every operation once, through its client method, with real tokens
    //    where the fake keeps state.
    for op in &operations {
        let (access_token, account_id, public_token) = fresh_item(&client).await;
        let key_id = mock.webhook_key_id();
        let overrides = move |field: &str| match field {
            "access_token" => Some(access_token.clone()),
            "account_id" => Some(account_id.clone()),
            "public_token" => Some(public_token.clone()),
            "institution_id" => Some("ins_109508".to_owned()),
            "key_id" => Some(key_id.clone()),
            _ => None,
        };
        recorder.take();
        // Whether the answer decodes is `every_operation`'s business; here
        // the raw answer is what counts.
        let _decoded = calls::call(&client, &op.operation_id, &overrides)
            .await
            .expect("a generated call");
        let seen = recorder.take();
        assert_eq!(
            seen.len(),
            1,
            "{} {}: one request, no retries",
            op.method,
            op.path
        );
        report.operations += 1;
        report.success(&map, op, "every operation", &seen[0]);
    }

    // 2. Stateful answers in the states a single call does not reach.
    let (token, _, _) = fresh_item(&client).await;
    let send = |path: &'static str, body: Value| {
        let mock = mock.clone();
        async move { raw(&mock, path, &body.to_string(), true).await }
    };
    // Pages of ten until the end, then one sync that sees each kind of change.
    let mut cursor = Value::String(String::new());
    loop {
        let page = send(
            "/transactions/sync",
            json!({"access_token": token, "cursor": cursor, "count": 10}),
        )
        .await;
        report.success(&map, by_path("/transactions/sync"), "a page", &page);
        let page: Value = serde_json::from_slice(&page.body).expect("a sync page");
        cursor = page["next_cursor"].clone();
        if page["has_more"] != Value::Bool(true) {
            break;
        }
    }
    let listed = send(
        "/transactions/get",
        json!({"access_token": token, "start_date": "2000-01-01", "end_date": "2100-01-01", "options": {"count": 3, "offset": 2}}),
    )
    .await;
    report.success(&map, by_path("/transactions/get"), "a page", &listed);
    let page: Value = serde_json::from_slice(&listed.body).expect("a transactions page");
    let transaction = |i: usize, field: &str| {
        page["transactions"][i][field]
            .as_str()
            .expect("a transaction")
            .to_owned()
    };
    let (modified_id, removed_id) = (
        transaction(0, "transaction_id"),
        transaction(1, "transaction_id"),
    );
    mock.add_transaction(&token, 12.5, "Coffee").unwrap();
    mock.modify_transaction(&token, &modified_id, 99.0).unwrap();
    mock.remove_transaction(&token, &removed_id).unwrap();
    let changes = send(
        "/transactions/sync",
        json!({"access_token": token, "cursor": cursor}),
    )
    .await;
    report.success(
        &map,
        by_path("/transactions/sync"),
        "added, modified, removed",
        &changes,
    );
    let changes: Value = serde_json::from_slice(&changes.body).expect("a sync page");
    assert_eq!(
        changes["removed"],
        json!([{"transaction_id": removed_id, "account_id": transaction(1, "account_id")}]),
        "a removed transaction names its account"
    );
    let webhook = send(
        "/item/webhook/update",
        json!({"access_token": token, "webhook": "https://example.com/hook"}),
    )
    .await;
    report.success(
        &map,
        by_path("/item/webhook/update"),
        "webhook set",
        &webhook,
    );
    let with_webhook = send("/item/get", json!({"access_token": token})).await;
    report.success(&map, by_path("/item/get"), "with a webhook", &with_webhook);
    send("/sandbox/item/reset_login", json!({"access_token": token})).await;
    let broken = send("/item/get", json!({"access_token": token})).await;
    report.success(&map, by_path("/item/get"), "item in error", &broken);
    let institutions = send(
        "/institutions/get",
        json!({"count": 5, "offset": 1, "country_codes": ["US"]}),
    )
    .await;
    report.success(&map, by_path("/institutions/get"), "a page", &institutions);
    let search = send(
        "/institutions/search",
        json!({"query": "Bank", "country_codes": ["US"]}),
    )
    .await;
    report.success(&map, by_path("/institutions/search"), "a query", &search);

    // 3. Error answers. The broken item above gives ITEM_LOGIN_REQUIRED.
    let mut errors: Vec<(String, Exchange)> = Vec::new();
    let mut expect = |label: &str, answer: Exchange| errors.push((label.to_owned(), answer));
    expect(
        "ITEM_LOGIN_REQUIRED",
        send("/accounts/get", json!({"access_token": token})).await,
    );
    let (token, account_id, _) = fresh_item(&client).await;
    expect(
        "wrong secret",
        raw_with(
            &mock,
            "/accounts/get",
            &json!({"access_token": token}).to_string(),
            |b| {
                b.header("PLAID-CLIENT-ID", mock.client_id())
                    .header("PLAID-SECRET", "wrong")
            },
        )
        .await,
    );
    expect(
        "no credentials",
        raw(
            &mock,
            "/accounts/get",
            &json!({"access_token": token}).to_string(),
            false,
        )
        .await,
    );
    expect("missing field", send("/accounts/get", json!({})).await);
    expect(
        "null required field",
        send("/accounts/get", json!({"access_token": null})).await,
    );
    expect(
        "wrong type",
        send("/accounts/get", json!({"access_token": 5})).await,
    );
    expect(
        "unknown field",
        send(
            "/accounts/get",
            json!({"access_token": token, "colour": "red"}),
        )
        .await,
    );
    expect("unknown path", send("/no/such/operation", json!({})).await);
    expect(
        "body not JSON",
        raw(&mock, "/accounts/get", "{not json", true).await,
    );
    expect(
        "body not an object",
        raw(&mock, "/accounts/get", "[1]", true).await,
    );
    expect(
        "wrong content type",
        raw_with(&mock, "/accounts/get", "{}", |b| {
            b.header(http::header::CONTENT_TYPE, "text/plain")
                .header("PLAID-CLIENT-ID", mock.client_id())
                .header("PLAID-SECRET", mock.secret())
        })
        .await,
    );
    expect(
        "unknown API version",
        raw_with(
            &mock,
            "/accounts/get",
            &json!({"access_token": token}).to_string(),
            |b| {
                b.header("Plaid-Version", "1999-01-01")
                    .header("PLAID-CLIENT-ID", mock.client_id())
                    .header("PLAID-SECRET", mock.secret())
            },
        )
        .await,
    );
    expect(
        "body too large",
        raw(&mock, "/accounts/get", &" ".repeat(2 * 1024 * 1024), true).await,
    );
    expect(
        "unknown access token",
        send(
            "/accounts/get",
            json!({"access_token": "access-sandbox-nope"}),
        )
        .await,
    );
    expect(
        "unknown public token",
        send(
            "/item/public_token/exchange",
            json!({"public_token": "public-sandbox-nope"}),
        )
        .await,
    );
    expect(
        "unknown institution",
        send(
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_nope", "initial_products": ["transactions"]}),
        )
        .await,
    );
    expect(
        "unknown institution id",
        send(
            "/institutions/get_by_id",
            json!({"institution_id": "ins_nope", "country_codes": ["US"]}),
        )
        .await,
    );
    expect(
        "account of another item",
        send(
            "/processor/token/create",
            json!({"access_token": token, "account_id": "nope", "processor": "dwolla"}),
        )
        .await,
    );
    expect(
        "unknown webhook key",
        send("/webhook_verification_key/get", json!({"key_id": "nope"})).await,
    );
    expect(
        "dates reversed",
        send(
            "/transactions/get",
            json!({"access_token": token, "start_date": "2024-02-01", "end_date": "2024-01-01"}),
        )
        .await,
    );
    expect(
        "not a date",
        send(
            "/transactions/get",
            json!({"access_token": token, "start_date": "yesterday", "end_date": "2024-01-01"}),
        )
        .await,
    );
    expect(
        "count out of range",
        send(
            "/transactions/get",
            json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-02-01", "options": {"count": 0}}),
        )
        .await,
    );
    expect(
        "unknown cursor",
        send(
            "/transactions/sync",
            json!({"access_token": token, "cursor": "nope"}),
        )
        .await,
    );
    expect(
        "sync count out of range",
        raw(
            &mock,
            "/transactions/sync",
            &json!({"access_token": token, "count": 0}).to_string(),
            true,
        )
        .await,
    );
    // A sync that paginates while the data changes.
    let first = send(
        "/transactions/sync",
        json!({"access_token": token, "count": 1}),
    )
    .await;
    let next = serde_json::from_slice::<Value>(&first.body).unwrap()["next_cursor"].clone();
    mock.add_transaction(&token, 1.0, "Tea").unwrap();
    expect(
        "mutation during pagination",
        send(
            "/transactions/sync",
            json!({"access_token": token, "cursor": next, "count": 1}),
        )
        .await,
    );
    mock.set_transactions_ready(&token, false).unwrap();
    expect(
        "PRODUCT_NOT_READY (get)",
        send(
            "/transactions/get",
            json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-02-01"}),
        )
        .await,
    );
    expect(
        "PRODUCT_NOT_READY (sync)",
        send("/transactions/sync", json!({"access_token": token})).await,
    );
    send("/item/remove", json!({"access_token": token})).await;
    expect(
        "removed item",
        send(
            "/accounts/get",
            json!({"access_token": token, "options": {"account_ids": [account_id]}}),
        )
        .await,
    );
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
    for error in injected {
        mock.fail_next("/institutions/search", 1, error);
        expect(
            "injected with fail_next",
            send(
                "/institutions/search",
                json!({"query": "x", "country_codes": ["US"]}),
            )
            .await,
        );
    }
    for (label, answer) in &errors {
        report.error(&map, label, None, answer);
    }
    // Every operation rejects wrong credentials (where it needs them) and
    // an unknown body field (where it reads a body) with a Plaid error.
    for op in &operations {
        let path = op
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let ask = |secret: &str, body: &'static [u8]| {
            let request = http::Request::builder()
                .method(op.method.as_str())
                .uri(format!("https://mock.plaid{path}"))
                .header(http::header::CONTENT_TYPE, "application/json")
                .header("PLAID-CLIENT-ID", mock.client_id())
                .header("PLAID-SECRET", secret)
                .body(Bytes::from_static(body))
                .expect("a valid request");
            let mock = mock.clone();
            let path = op.path.clone();
            async move { exchange(path, mock.send(request).await.expect("an answer")) }
        };
        if op.requires_credentials {
            let answer = ask("wrong-secret", b"{}").await;
            report.error(&map, "wrong secret", op.error_schema.as_deref(), &answer);
        }
        if op.method == "POST" {
            let answer = ask(mock.secret(), br#"{"not_a_plaid_field": 1}"#).await;
            report.error(&map, "unknown field", op.error_schema.as_deref(), &answer);
        }
    }

    println!(
        "{} operations validated: {} of {} JSON answers conform to their schema ({} of them from every operation once), {} of {} error answers conform to PlaidError ({} codes: {:?}), {} binary answers, {} empty answers",
        report.operations,
        report.json_conform,
        report.json_answers,
        report.operations - report.file_answers - report.empty_answers,
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
}
