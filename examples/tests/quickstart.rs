//! The quickstart flow over the production transport against a canned
//! Plaid on 127.0.0.1, so the example cannot rot.

#[path = "../quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use plaid_core::Client;
use plaid_hyper::HyperTransport;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn account(id: &str, name: &str, mask: &str, subtype: &str, current: f64) -> Value {
    json!({"account_id": id, "balances": {"available": current, "current": current, "limit": null,
           "iso_currency_code": "USD", "unofficial_currency_code": null},
           "mask": mask, "name": name, "official_name": null, "type": "depository", "subtype": subtype})
}

fn item() -> Value {
    json!({"item_id": "item-qs", "institution_id": "ins_109508", "webhook": null, "error": null,
           "available_products": ["balance"], "billed_products": ["auth", "transactions"],
           "consent_expiration_time": null, "update_type": "background"})
}

fn transaction(id: &str, day: u8, amount: f64, name: &str) -> Value {
    json!({"transaction_id": id, "account_id": "acc-chk", "amount": amount, "iso_currency_code": "USD",
           "unofficial_currency_code": null, "date": format!("2024-05-{day:02}"), "authorized_date": null,
           "datetime": null, "name": name, "merchant_name": null, "pending": false,
           "pending_transaction_id": null, "payment_channel": "online"})
}

async fn answer(server: &MockServer, route: &str, body: Value) {
    Mock::given(method("POST"))
        .and(path(route))
        .and(header_exists("plaid-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn quickstart_runs_the_legacy_flow_end_to_end() {
    let server = MockServer::start().await;
    let accounts = json!([
        account("acc-chk", "Plaid Checking", "0000", "checking", 110.0),
        account("acc-sav", "Plaid Saving", "1111", "savings", 210.0)
    ]);
    answer(
        &server,
        "/sandbox/public_token/create",
        json!({"public_token": "public-sandbox-qs", "request_id": "r1"}),
    )
    .await;
    answer(
        &server,
        "/item/public_token/exchange",
        json!({"access_token": "access-sandbox-qs", "item_id": "item-qs", "request_id": "r2"}),
    )
    .await;
    answer(
        &server,
        "/accounts/get",
        json!({"accounts": accounts, "item": item(), "request_id": "r3"}),
    )
    .await;
    answer(
        &server,
        "/auth/get",
        json!({"accounts": accounts, "item": item(), "request_id": "r4",
        "numbers": {"ach": [{"account_id": "acc-chk", "account": "1111222233330000",
                             "routing": "011401533", "wire_routing": "021000021"}],
                    "eft": [], "international": [], "bacs": []}}),
    )
    .await;
    for (offset, page) in [
        (
            0,
            json!([
                transaction("t1", 1, 12.5, "Coffee"),
                transaction("t2", 2, 89.4, "Groceries")
            ]),
        ),
        (2, json!([transaction("t3", 3, -500.0, "Payroll")])),
    ] {
        Mock::given(path("/transactions/get"))
            .and(body_partial_json(
                json!({"access_token": "access-sandbox-qs",
                                          "options": {"count": 500, "offset": offset}}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "accounts": accounts, "transactions": page, "total_transactions": 3,
                "item": item(), "request_id": "r5"})))
            .expect(1)
            .mount(&server)
            .await;
    }
    answer(
        &server,
        "/processor/stripe/bank_account_token/create",
        json!({"stripe_bank_account_token": "btok_5oEetfLzPklE1fwJZ7SG", "request_id": "r6"}),
    )
    .await;
    answer(&server, "/item/remove", json!({"request_id": "r7"})).await;
    Mock::given(path("/categories/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"request_id": "r8",
            "categories": [{"category_id": "10000000", "group": "special", "hierarchy": ["Bank Fees"]}]})))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .credentials("client-id", "secret")
        .transport(HyperTransport::new())
        .build()
        .unwrap();
    let mut out = Vec::new();
    quickstart::quickstart(&client, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();

    assert!(
        report.contains("public token    public-sandbox-qs"),
        "{report}"
    );
    assert!(report.contains("accounts        2"), "{report}");
    assert!(report.contains("routing 011401533"), "{report}");
    assert!(
        report.contains("transactions    3 in the last 30 days"),
        "{report}"
    );
    assert!(
        report.contains("stripe token    btok_5oEetfLzPklE1fwJZ7SG"),
        "{report}"
    );
    assert!(report.contains("item removed"), "{report}");
    assert!(report.contains("categories      1"), "{report}");
    server.verify().await;
}

#[tokio::test]
async fn quickstart_runs_against_the_in_process_fake() {
    let mock = plaid_mock::MockPlaid::new();
    let mut out = Vec::new();
    quickstart::quickstart(&mock.client(), &mut out)
        .await
        .unwrap();
    let report = String::from_utf8(out).unwrap();
    assert!(report.contains("accounts        9"), "{report}");
    assert!(report.contains("stripe token    btok_"), "{report}");
    assert!(report.contains("item removed"), "{report}");
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths.first().map(String::as_str),
        Some("/sandbox/public_token/create")
    );
    assert!(paths.contains(&"/item/remove".to_owned()));
}

#[tokio::test]
async fn quickstart_runs_against_the_http_fake_through_hyper() {
    let mock = plaid_mock::MockPlaid::new();
    let server = plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(server.url())
        .credentials(mock.client_id(), mock.secret())
        .transport(HyperTransport::new())
        .build()
        .unwrap();
    let mut out = Vec::new();
    quickstart::quickstart(&client, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert!(report.contains("accounts        9"), "{report}");
    assert!(report.contains("item removed"), "{report}");
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths.len(),
        8,
        "every call went through the server: {paths:?}"
    );
    assert_eq!(paths.last().map(String::as_str), Some("/categories/get"));
}
