//! Walks Plaid's OpenAPI description and proves, for every operation, that
//! the client has a method and a request type for it, that the method sends
//! to the operation's path, and that every example answer in the spec decodes
//! into the generated response type and re-encodes to equivalent JSON.
//!
//! The spec is read from `../shared/plaid-openapi/2020-09-14.yml` beside the
//! repository, or from `PLAID_OPENAPI_SPEC`.

use bytes::Bytes;
use plaid_core::test_util::{CannedTransport, RecordingTransport};
use plaid_core::{Client, RetryPolicy, OPERATIONS};
use serde_json::Value;

#[path = "generated/calls.rs"]
mod calls;

#[path = "support/mod.rs"]
mod support;

fn spec() -> serde_yaml::Value {
    let path = std::env::var("PLAID_OPENAPI_SPEC").unwrap_or_else(|_| {
        format!(
            "{}/../../shared/plaid-openapi/2020-09-14.yml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("this test needs Plaid's OpenAPI spec at {path} (or set PLAID_OPENAPI_SPEC): {e}")
    });
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

struct SpecOperation {
    method: String,
    path: String,
    operation_id: String,
    binary: bool,
    examples: Vec<Value>,
}

fn spec_operations(spec: &serde_yaml::Value) -> Vec<SpecOperation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_mapping().expect("paths") {
        for (method, op) in item.as_mapping().expect("path item") {
            let method = method.as_str().unwrap();
            if !["get", "post", "put", "patch", "delete"].contains(&method) {
                continue;
            }
            let responses = &op["responses"];
            let success = if responses.get("200").is_some() {
                &responses["200"]
            } else {
                &responses["201"]
            };
            let json = success["content"].get("application/json");
            let mut examples = Vec::new();
            if let Some(json) = json {
                if let Some(example) = json.get("example") {
                    examples.push(serde_json::to_value(example).unwrap());
                }
                if let Some(named) = json.get("examples").and_then(|e| e.as_mapping()) {
                    for (_, example) in named {
                        examples.push(serde_json::to_value(&example["value"]).unwrap());
                    }
                }
            }
            out.push(SpecOperation {
                method: method.to_uppercase(),
                path: path.as_str().unwrap().to_owned(),
                operation_id: op["operationId"].as_str().unwrap().to_owned(),
                binary: json.is_none(),
                examples,
            });
        }
    }
    out
}

/// `a` and `b` say the same thing: a missing key equals `null`, numbers are
/// compared by value, and timestamps by the instant they name.
fn equivalent(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let left = x.get(key).unwrap_or(&Value::Null);
                let right = y.get(key).unwrap_or(&Value::Null);
                equivalent(left, right, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (l, r))| equivalent(l, r, &format!("{path}[{i}]"))),
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        (Value::String(x), Value::String(y)) if x == y || same_instant(x, y) => Ok(()),
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} became {b}")),
    }
}

fn same_instant(x: &str, y: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct At(#[serde(with = "plaid_core::__private::wire::rfc3339")] time::OffsetDateTime);
    let parse = |s: &str| serde_json::from_value::<At>(Value::String(s.to_owned())).ok();
    matches!((parse(x), parse(y)), (Some(a), Some(b)) if a.0 == b.0)
}

fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

#[test]
fn every_spec_operation_has_a_registered_client_method_and_request_type() {
    let spec = spec();
    let operations = spec_operations(&spec);
    assert_eq!(operations.len(), 329, "the spec changed size");
    for op in &operations {
        let info = OPERATIONS
            .iter()
            .find(|i| i.operation_id == op.operation_id)
            .unwrap_or_else(|| panic!("{} {} has no generated operation", op.method, op.path));
        assert_eq!(
            (info.method, info.path),
            (op.method.as_str(), op.path.as_str())
        );
        assert!(!info.request_type.is_empty() && !info.client_method.is_empty());
    }
    assert_eq!(OPERATIONS.len(), operations.len());
    println!(
        "{} operations in the spec, {} generated",
        operations.len(),
        OPERATIONS.len()
    );
}

#[tokio::test]
async fn every_operation_is_callable_and_every_example_answer_round_trips() {
    let spec = spec();
    let operations = spec_operations(&spec);
    let mut called = 0;
    let mut operations_with_examples = 0;
    let mut examples_checked = 0;
    let mut failures = Vec::new();
    for op in &operations {
        let bodies: Vec<Option<&Value>> = if op.examples.is_empty() {
            vec![None]
        } else {
            op.examples.iter().map(Some).collect()
        };
        operations_with_examples += usize::from(!op.examples.is_empty());
        for example in bodies {
            let body = match (op.binary, example) {
                (true, _) => Bytes::from_static(b"%PDF-1.4 sample"),
                (false, Some(example)) => Bytes::from(example.to_string()),
                (false, None) => Bytes::from_static(b"{}"),
            };
            // One canned body for every request; the record shows where it went.
            let transport =
                RecordingTransport::new(CannedTransport::new(http::Response::new(body)));
            let client = Client::builder()
                .credentials("client-id", "secret")
                .retry_policy(RetryPolicy::disabled())
                .no_timeout()
                .transport(transport.clone())
                .build()
                .unwrap();
            let result = calls::call(&client, &op.operation_id, &|_| None)
                .await
                .unwrap_or_else(|| panic!("no generated call for {}", op.operation_id));
            let seen = transport.requests();
            assert_eq!(seen.len(), 1, "{}", op.path);
            assert_eq!(seen[0].method().as_str(), op.method, "{}", op.path);
            let sent_to = seen[0].uri().path();
            assert!(
                matches_template(&op.path, sent_to),
                "{} sent to {sent_to}",
                op.path,
            );
            called += 1;
            match (result, example) {
                (Ok(json), Some(example)) => {
                    examples_checked += 1;
                    if let Err(diff) = equivalent(example, &json, "") {
                        failures.push(format!("{} ({}): {diff}", op.path, op.operation_id));
                    }
                }
                (Ok(json), None) if op.binary => assert_eq!(json["binary_len"], 15),
                (Ok(_), None) => {}
                (Err(e), _) if example.is_none() && !op.binary => {
                    // `{}` is not a valid answer for types with required numbers or dates.
                    assert!(
                        matches!(e, plaid_core::Error::Response(_)),
                        "{}: {e}",
                        op.path
                    );
                }
                (Err(e), _) => failures.push(format!("{} ({}): {e}", op.path, op.operation_id)),
            }
        }
    }
    println!(
        "{called} calls over {} operations; {examples_checked} example answers from {operations_with_examples} operations decoded and re-encoded",
        operations.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        operations_with_examples >= 313,
        "{operations_with_examples}"
    );
}

#[tokio::test]
async fn every_operation_answers_the_in_process_fake_with_a_decodable_answer() {
    let spec = spec();
    let operations = spec_operations(&spec);
    let mock = plaid_mock::MockPlaid::new();
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let (mut decoded, mut refused_as_plaid) = (0, 0);
    let mut failures = Vec::new();
    let refusals = support::sample_ids_refused();
    for op in &operations {
        // Stateful operations need real tokens and ids: give each call a fresh item.
        let (access_token, _) = mock.link_item("ins_109508", &["transactions"]).unwrap();
        let account_id = mock.account_ids(&access_token).unwrap().remove(0);
        let processor_token = mock.processor_token(&access_token, &account_id).unwrap();
        // A second public token of the item (update mode).
        let public_token = client
            .item()
            .public_token()
            .create(&access_token)
            .await
            .unwrap()
            .public_token;
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
        let result = calls::call(&client, &op.operation_id, &overrides)
            .await
            .expect("a generated call");
        let refused = support::sample_id_refusal(&refusals, &op.path);
        match (result, refused) {
            (Ok(_), None) => decoded += 1,
            (Err(e), Some(code)) if e.code() == Some(code) => refused_as_plaid += 1,
            (Ok(_), Some(code)) => failures.push(format!(
                "{} {}: sample ids should give {code}",
                op.method, op.path
            )),
            (Err(e), _) => failures.push(format!("{} {}: {e}", op.method, op.path)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let by_models = support::sample_ids_refused_by_models().len();
    let by_the_engine = refusals.len() - by_models;
    println!(
        "{} operations answered the in-process fake; {decoded} answers decoded into their types, \
         {refused_as_plaid} refused sample ids as Plaid does ({} product lifecycle operations, \
         {by_the_engine} actions of the generic engine's families)",
        operations.len(),
        by_models,
    );
    assert_eq!(decoded + refused_as_plaid, 329);
    assert_eq!(refused_as_plaid, refusals.len());
}
