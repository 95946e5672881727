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
    // The flows the crate documents as stateful are answered by their model.
    let answered_by_model = |path: &str| sources.get(path) == Some(&AnswerSource::ProductModel);
    let documented = [
        "/link/token/create",
        "/link/token/get",
        "/item/get",
        "/accounts/get",
        "/auth/get",
        "/identity/get",
        "/transactions/get",
        "/transactions/sync",
        "/investments/holdings/get",
        "/liabilities/get",
        "/transfer/authorization/create",
        "/transfer/create",
        "/transfer/get",
        "/transfer/list",
        "/transfer/event/sync",
        "/bank_transfer/create",
        "/bank_transfer/event/sync",
        "/payment_initiation/recipient/create",
        "/payment_initiation/payment/get",
        "/payment_initiation/consent/create",
        "/payment_initiation/consent/get",
        "/payment_initiation/consent/revoke",
        "/payment_initiation/consent/payment/execute",
        "/identity_verification/create",
        "/watchlist_screening/individual/create",
        "/asset_report/create",
        "/statements/list",
        "/processor/auth/get",
        "/processor/transactions/sync",
        "/signal/evaluate",
        "/identity/match",
        "/processor/identity/match",
        "/transactions/recurring/get",
        "/processor/transactions/recurring/get",
        "/sandbox/transactions/create",
        "/sandbox/processor_token/create",
        "/sandbox/item/set_verification_status",
        "/investments/refresh",
        "/investments/auth/get",
        "/processor/investments/auth/get",
        "/identity/refresh",
        "/identity/documents/uploads/get",
        "/item/products/terminate",
        "/signal/decision/report",
        "/signal/return/report",
        "/signal/schedule",
        "/processor/signal/decision/report",
        "/processor/signal/return/report",
        "/processor/signal/prepare",
        "/auth/verify",
        "/sandbox/user/reset_login",
        "/cra/check_report/create",
        "/cra/check_report/base_report/get",
        "/cra/check_report/income_insights/get",
        "/cra/check_report/pdf/get",
        "/cra/monitoring_insights/subscribe",
        "/cra/monitoring_insights/get",
        "/cra/loans/register",
        "/cashflow_report/get",
        "/cashflow_report/insights/get",
        "/credit/sessions/get",
        "/credit/payroll_income/get",
        "/credit/payroll_income/precheck",
        "/credit/payroll_income/refresh",
        "/credit/payroll_income/risk_signals/get",
        "/credit/payroll_income/parsing_config/update",
        "/credit/employment/get",
        "/credit/bank_statements/uploads/get",
        "/income/verification/create",
        "/income/verification/paystubs/get",
        "/income/verification/taxforms/get",
        "/income/verification/precheck",
        "/employment/verification/get",
        "/sandbox/income/fire_webhook",
        "/sandbox/bank_income/fire_webhook",
        "/user/identity/remove",
        "/user/products/terminate",
        "/user/transactions/refresh",
        "/user/financial_data/refresh",
        "/employers/search",
        "/beta/credit/v1/bank_employment/get",
    ];
    let not_modelled: Vec<_> = documented
        .iter()
        .filter(|p| !answered_by_model(p))
        .collect();
    assert!(not_modelled.is_empty(), "not by a model: {not_modelled:?}");
    // A floor: state never quietly falls back to the example.
    assert!(
        total.product + total.engine >= 150,
        "{} by a model and {} by the engine",
        total.product,
        total.engine
    );
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
