//! The remaining examples' flows against the in-process fake: the example
//! files are compiled in as modules, so what runs here is what a user reads
//! (quickstart, transactions_sync and webhook_receiver have tests of their
//! own; the testing_with_mock example carries its own unit tests).

use std::sync::Mutex;

use plaid_mock::MockPlaid;

// The example files themselves, so that their flows run here.
#[path = "../custom_transport.rs"]
#[allow(dead_code)]
mod custom_transport;
#[path = "../error_handling.rs"]
#[allow(dead_code)]
mod error_handling;
#[path = "../stripe_processor_token.rs"]
#[allow(dead_code)]
mod stripe_processor_token;
#[path = "../transactions_get_all.rs"]
#[allow(dead_code)]
mod transactions_get_all;

use custom_transport::TaggingTransport;

fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn error_handling_matches_item_login_required_and_repairs() {
    let mock = MockPlaid::new();
    let mut out = Vec::new();
    let repaired = error_handling::error_handling(&mock.client(), &mut out)
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
    let count = transactions_get_all::transactions_get_all(&mock.client(), &mut out)
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
    let token = stripe_processor_token::stripe_processor_token(&mock.client(), &mut out)
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
    let mut out = Vec::new();
    let accounts = custom_transport::calls_through(&client, &mut out)
        .await
        .unwrap();
    assert_eq!(text(out), format!("{accounts} accounts\n"));
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
