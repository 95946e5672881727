//! The remaining examples' bodies against the in-process fake (quickstart,
//! transactions_sync and webhook_receiver have tests of their own; the
//! testing_with_mock example carries its own unit tests).

use std::sync::Mutex;

use plaid_examples::TaggingTransport;
use plaid_mock::MockPlaid;

fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn error_handling_matches_item_login_required_and_repairs() {
    let mock = MockPlaid::new();
    let mut out = Vec::new();
    let repaired = plaid_examples::error_handling(&mock.client(), &mut out)
        .await
        .unwrap();
    let report = text(out);
    assert!(repaired, "{report}");
    assert!(
        report.contains("ITEM_LOGIN_REQUIRED (request id mock-"),
        "{report}"
    );
}

#[tokio::test]
async fn transactions_get_all_fetches_every_page() {
    let mock = MockPlaid::builder().transactions_per_item(1_234).build();
    let mut out = Vec::new();
    let count = plaid_examples::transactions_get_all(&mock.client(), &mut out)
        .await
        .unwrap();
    // 1,234 transactions at one to three a day reach back further than 90 days.
    assert!(count > 0 && count < 1_234, "{count}");
    assert!(text(out).contains(&format!("{count} transactions from")));
}

#[tokio::test]
async fn stripe_processor_token_prints_a_btok() {
    let mock = MockPlaid::new();
    let mut out = Vec::new();
    let token = plaid_examples::stripe_processor_token(&mock.client(), &mut out)
        .await
        .unwrap();
    assert!(token.starts_with("btok_"));
    assert!(text(out).contains("Plaid Checking (0000): btok_"));
}

#[tokio::test]
async fn the_custom_transport_tags_and_logs_every_request() {
    let mock = MockPlaid::new();
    let transport = std::sync::Arc::new(TaggingTransport {
        inner: mock.clone(),
        tag: "example-app".into(),
        log: Mutex::new(Vec::new()),
    });
    let client = plaid_core::Client::builder()
        .credentials(mock.client_id(), mock.secret())
        .shared_transport(transport.clone())
        .build()
        .unwrap();
    plaid_examples::stripe_processor_token(&client, &mut Vec::new())
        .await
        .unwrap();
    let log = transport.log.lock().unwrap().clone();
    assert_eq!(log.len(), mock.requests().len());
    assert!(
        log[0].starts_with("POST /sandbox/public_token/create -> 200"),
        "{log:?}"
    );
    for request in mock.requests() {
        assert!(request
            .headers
            .iter()
            .any(|(n, v)| n == "x-proxy-tag" && v == "example-app"));
    }
}
