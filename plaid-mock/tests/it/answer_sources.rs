//! What answers each of the spec's operations: every operation once, with
//! its sample request and a real item's tokens, and the journal's
//! `answered_by` read back. Prints the table per product group
//! (`cargo test -p plaid-mock --test it answer_sources -- --nocapture`).

use std::collections::BTreeMap;

use bytes::Bytes;
use plaid_core::OPERATIONS;
use plaid_mock::{AnswerSource, ErrorAnswer, MockPlaid};
use serde_json::{json, Value};

/// How many of a group's operations each source answered.
#[derive(Default)]
struct Row {
    product: usize,
    engine: usize,
    echo: usize,
    example: usize,
}

/// Whether `answer` has a field named like one the request sent (at the top
/// level or one object down), so the example carries the request back.
fn shares_a_field(request: &Value, answer: &Value) -> bool {
    let Some(sent) = request.as_object() else {
        return false;
    };
    let Some(fields) = answer.as_object() else {
        return false;
    };
    sent.keys().any(|name| {
        name != "client_id"
            && name != "secret"
            && (fields.contains_key(name)
                || fields
                    .values()
                    .filter_map(Value::as_object)
                    .any(|inner| inner.contains_key(name)))
    })
}

#[tokio::test]
async fn every_operation_is_answered_by_a_model_the_engine_or_the_example() {
    let mock = MockPlaid::new();
    let client = mock.client();
    let (access_token, _) = mock.link_item("ins_109508", &["auth"]).expect("an item");
    let accounts = client
        .send_raw("/accounts/get", json!({ "access_token": access_token }))
        .await
        .expect("accounts");
    let account_id = accounts["accounts"][0]["account_id"].clone();
    let modelled: Vec<&str> = plaid_mock::modelled_operations()
        .iter()
        .map(|op| op.path)
        .collect();
    let engine_paths: Vec<&str> = plaid_mock::resource_families()
        .iter()
        .flat_map(|f| f.verbs.iter().map(|(_, path)| *path))
        .collect();

    let mut table: BTreeMap<&str, Row> = BTreeMap::new();
    let mut sources: BTreeMap<&str, AnswerSource> = BTreeMap::new();
    let mut wrong = Vec::new();
    for op in OPERATIONS {
        let mut body = plaid_mock::sample_request(op.path).unwrap_or_else(|| json!({}));
        if body.get("access_token").is_some() {
            body["access_token"] = json!(access_token);
        }
        if op.path == "/asset_report/create" {
            // Optional in the spec, but what makes a report of an item.
            body["access_tokens"] = json!([access_token]);
        }
        if body.get("account_id").is_some() {
            body["account_id"] = account_id.clone();
        }
        let mut request = http::Request::builder()
            .method(op.method)
            .uri(format!("http://mock{}", op.path))
            .header("content-type", "application/json")
            .header("plaid-client-id", mock.client_id())
            .header("plaid-secret", mock.secret());
        let sent = if op.method == "GET" {
            Bytes::new()
        } else {
            Bytes::from(serde_json::to_vec(&body).unwrap())
        };
        request = request.header("content-length", sent.len());
        let response = mock.handle(request.body(sent).unwrap()).await;
        let answer: Value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        let recorded = mock.requests();
        let source = recorded
            .last()
            .and_then(|r| r.answered_by)
            .expect("every answered request says what answered it");
        sources.insert(op.path, source);
        let row = table.entry(op.group).or_default();
        match source {
            AnswerSource::ProductModel => row.product += 1,
            AnswerSource::ResourceEngine => row.engine += 1,
            AnswerSource::Example if shares_a_field(&body, &answer) => row.echo += 1,
            AnswerSource::Example => row.example += 1,
            other => wrong.push(format!(
                "{} {}: {other:?} ({})",
                op.method,
                op.path,
                response.status()
            )),
        }
        // The route table's operations are answered by their models.
        let in_table = modelled.contains(&op.path);
        if in_table != (source == AnswerSource::ProductModel) {
            wrong.push(format!(
                "{}: answered by {source:?}, in the route table: {in_table}",
                op.path
            ));
        }
        // The engine answers exactly its families' operations.
        let in_family = engine_paths.contains(&op.path);
        if in_family != (source == AnswerSource::ResourceEngine) {
            wrong.push(format!(
                "{}: answered by {source:?}, in a family: {in_family}",
                op.path
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    println!(
        "{:<24} {:>7} {:>7} {:>7} {:>7}",
        "group", "model", "engine", "echo", "example"
    );
    let mut total = Row::default();
    for (group, row) in &table {
        println!(
            "{group:<24} {:>7} {:>7} {:>7} {:>7}",
            row.product, row.engine, row.echo, row.example
        );
        total.product += row.product;
        total.engine += row.engine;
        total.echo += row.echo;
        total.example += row.example;
    }
    println!(
        "{:<24} {:>7} {:>7} {:>7} {:>7}",
        "all", total.product, total.engine, total.echo, total.example
    );
    assert_eq!(
        total.product + total.engine + total.echo + total.example,
        OPERATIONS.len()
    );
    // Every count is the route table's and the engine's.
    assert_eq!(total.product, modelled.len());
    assert_eq!(total.engine, engine_paths.len());
}

#[tokio::test]
async fn a_refused_request_says_the_checks_refused_it() {
    let mock = MockPlaid::new();
    let client = mock.client();
    let refused = client
        .send_raw("/accounts/get", json!({ "access_token": 7 }))
        .await;
    assert!(refused.is_err());
    mock.fail_next(
        "/accounts/get",
        1,
        ErrorAnswer::new(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "log in again"),
    );
    let failed = client
        .send_raw(
            "/accounts/get",
            json!({ "access_token": "access-sandbox-x" }),
        )
        .await;
    assert!(failed.is_err());
    let sources: Vec<_> = mock.requests().iter().map(|r| r.answered_by).collect();
    assert_eq!(
        sources,
        [Some(AnswerSource::Checks), Some(AnswerSource::Fault)]
    );
}
