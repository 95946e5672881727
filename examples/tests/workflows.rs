//! The transactions_sync and webhook_receiver examples' building blocks,
//! run against the fake so the examples cannot rot.

use std::time::Duration;

use plaid_core::models::SandboxItemFireWebhookRequestWebhookCode;
use plaid_core::webhook_verification::WebhookVerifier;
use plaid_core::Client;
use plaid_hyper::HyperTransport;
use plaid_mock::MockPlaid;

#[path = "../transactions_sync.rs"]
#[allow(dead_code)]
mod transactions_sync;

#[tokio::test]
async fn sync_returns_the_history_then_only_what_changed() {
    let mock = MockPlaid::new();
    let client = mock.client();
    let token = plaid_examples::link_sandbox_item(&client, None)
        .await
        .unwrap();
    let mut out = Vec::new();
    let first = transactions_sync::sync_and_report(&client, &token, "", &mut out)
        .await
        .unwrap();
    assert_eq!(first.added.len(), 50);
    let id = mock.add_transaction(&token, 4.2, "Coffee").unwrap();
    let second = transactions_sync::sync_and_report(&client, &token, &first.next_cursor, &mut out)
        .await
        .unwrap();
    assert_eq!(second.added.len(), 1);
    assert_eq!(second.added[0].transaction_id, id);
    let report = String::from_utf8(out).unwrap();
    assert!(
        report.contains("50 added") && report.contains("1 added"),
        "{report}"
    );
}

#[tokio::test]
async fn the_receiver_verifies_a_webhook_fired_by_the_http_fake() {
    let mock = MockPlaid::new();
    let fake = plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(fake.url())
        .credentials(mock.client_id(), mock.secret())
        .transport(HyperTransport::new())
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/plaid/webhook", listener.local_addr().unwrap());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let receiver = tokio::spawn(plaid_examples::receive_webhooks(
        listener,
        WebhookVerifier::new(client.clone()),
        tx,
    ));
    let token = plaid_examples::link_sandbox_item(&client, Some(url))
        .await
        .unwrap();
    client
        .sandbox()
        .item()
        .fire_webhook(
            &token,
            SandboxItemFireWebhookRequestWebhookCode::NewAccountsAvailable,
        )
        .await
        .unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a webhook within 10 s")
        .expect("the receiver is running");
    let webhook = outcome.expect("the fake's signature verifies");
    assert_eq!(webhook.webhook_code, "NEW_ACCOUNTS_AVAILABLE");
    receiver.abort();
}
