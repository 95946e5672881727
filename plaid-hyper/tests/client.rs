//! The whole stack, `Client` over `HyperTransport`, against real HTTP servers
//! on 127.0.0.1 (wiremock, or a raw socket where wiremock cannot misbehave
//! enough).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plaid_core::sleep::RecordingSleep;
use plaid_core::{
    Client, Environment, Error, ErrorType, ResponseErrorKind, RetryPolicy, TransportErrorKind,
};
use plaid_hyper::HyperTransport;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sandbox-secret-do-not-leak-7f3a";
const CLIENT_ID: &str = "client-id-123";

/// The 24 `error_type` values of Plaid's spec, as listed in shared/plaid-facts.md.
const SPEC_ERROR_TYPES: [&str; 24] = [
    "INVALID_REQUEST",
    "INVALID_RESULT",
    "INVALID_INPUT",
    "INSTITUTION_ERROR",
    "RATE_LIMIT_EXCEEDED",
    "API_ERROR",
    "ITEM_ERROR",
    "ASSET_REPORT_ERROR",
    "BASE_REPORT_ERROR",
    "RECAPTCHA_ERROR",
    "OAUTH_ERROR",
    "PAYMENT_ERROR",
    "BANK_TRANSFER_ERROR",
    "INCOME_VERIFICATION_ERROR",
    "MICRODEPOSITS_ERROR",
    "SANDBOX_ERROR",
    "PARTNER_ERROR",
    "SIGNAL_ERROR",
    "TRANSACTIONS_ERROR",
    "TRANSACTION_ERROR",
    "TRANSFER_ERROR",
    "CHECK_REPORT_ERROR",
    "CONSUMER_REPORT_ERROR",
    "USER_ERROR",
];

fn client_for(server_uri: &str) -> plaid_core::ClientBuilder {
    Client::builder()
        .environment(Environment::custom(server_uri))
        .credentials(CLIENT_ID, SECRET)
        .transport(HyperTransport::new())
}

fn plaid_error(error_type: &str, code: &str) -> serde_json::Value {
    json!({
        "error_type": error_type,
        "error_code": code,
        "error_message": format!("{code} happened"),
        "display_message": null,
        "request_id": format!("req-{code}")
    })
}

#[tokio::test]
async fn headers_and_body_are_exactly_what_plaid_expects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/item/public_token/exchange"))
        .and(header("plaid-client-id", CLIENT_ID))
        .and(header("plaid-secret", SECRET))
        .and(header("plaid-version", "2020-09-14"))
        .and(header("content-type", "application/json"))
        .and(header(
            "user-agent",
            concat!("plaid-rs/", env!("CARGO_PKG_VERSION")),
        ))
        .and(body_json(json!({"public_token": "public-sandbox-abc"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "access-sandbox-xyz", "item_id": "item-1", "request_id": "r1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri()).build().unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange("public-sandbox-abc")
        .await
        .unwrap();
    assert_eq!(exchanged.access_token, "access-sandbox-xyz");
    assert_eq!(exchanged.item_id, "item-1");
}

#[tokio::test]
async fn each_of_the_24_error_types_maps_to_its_own_variant() {
    let server = MockServer::start().await;
    for name in SPEC_ERROR_TYPES {
        Mock::given(path(format!("/err/{name}")))
            .respond_with(ResponseTemplate::new(400).set_body_json(plaid_error(name, "SOME_CODE")))
            .mount(&server)
            .await;
    }
    let client = client_for(&server.uri()).build().unwrap();
    let mut seen = std::collections::HashSet::new();
    for name in SPEC_ERROR_TYPES {
        let err = client
            .send_raw(&format!("/err/{name}"), json!({}))
            .await
            .unwrap_err();
        let error_type = err.error_type().cloned().expect("a Plaid error");
        assert!(!error_type.is_unknown(), "{name} fell into Unknown");
        assert_eq!(error_type.as_str(), name);
        assert_eq!(err.code(), Some("SOME_CODE"));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
        assert_eq!(err.request_id(), Some("req-SOME_CODE"));
        seen.insert(error_type);
    }
    assert_eq!(seen.len(), 24, "two names mapped to the same variant");
}

#[tokio::test]
async fn the_legacy_python_error_patterns_are_one_liners() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/get"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(plaid_error("ITEM_ERROR", "ITEM_LOGIN_REQUIRED")),
        )
        .mount(&server)
        .await;
    Mock::given(path("/item/get"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(plaid_error("API_ERROR", "PLANNED_MAINTENANCE")),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.auth().get("access-1").await.unwrap_err();
    assert!(err.is_item_error() && err.code() == Some("ITEM_LOGIN_REQUIRED"));
    assert_eq!(err.error_type(), Some(&ErrorType::ItemError));
    assert!(!err.is_retryable());
    let err = client.item().get("access-1").await.unwrap_err();
    assert!(err.is_api_error() && err.code() == Some("PLANNED_MAINTENANCE"));
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
}

#[tokio::test]
async fn an_unknown_error_type_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/item/get"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(plaid_error("QUANTUM_ERROR", "ENTANGLED")),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri()).build().unwrap();
    let err = client.item().get("a").await.unwrap_err();
    assert_eq!(
        err.error_type(),
        Some(&ErrorType::Unknown("QUANTUM_ERROR".into()))
    );
    assert_eq!(err.code(), Some("ENTANGLED"));
    assert!(err.to_string().contains("QUANTUM_ERROR/ENTANGLED"), "{err}");
}

#[tokio::test]
async fn an_html_502_is_a_clear_error_with_status_and_excerpt() {
    let server = MockServer::start().await;
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    Mock::given(path("/accounts/get"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string(page.clone()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.accounts().get("a").await.unwrap_err();
    let Error::Response(resp) = &err else {
        panic!("expected a response error, got {err:?}")
    };
    assert_eq!(resp.kind, ResponseErrorKind::NotPlaidError);
    assert_eq!(resp.status.as_u16(), 502);
    assert_eq!(resp.body, page.as_bytes());
    let message = err.to_string();
    assert!(
        message.contains("HTTP 502") && message.contains("502 Bad Gateway"),
        "{message}"
    );
    assert!(
        message.len() < 600,
        "message quotes too much: {} bytes",
        message.len()
    );
    assert!(err.is_retryable());
    assert_eq!(err.code(), None);
}

#[tokio::test]
async fn an_empty_503_is_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(path("/accounts/get"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.accounts().get("a").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(matches!(&err, Error::Response(r) if r.body.is_empty()));
    assert!(err.to_string().contains("empty body"), "{err}");
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_that_delay_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/item/remove"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3")
                .set_body_json(plaid_error("RATE_LIMIT_EXCEEDED", "RATE_LIMIT")),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/item/remove"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"request_id": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = client_for(&server.uri())
        .sleep_impl(sleep.clone())
        .no_timeout()
        .build()
        .unwrap();
    let removed = client.item().remove("a").await.unwrap();
    assert_eq!(removed.request_id, "ok");
    assert_eq!(sleep.delays(), [Duration::from_secs(3)]);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/item/get"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(plaid_error("INVALID_REQUEST", "MISSING_FIELDS")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri()).build().unwrap();
    let err = client.item().get("a").await.unwrap_err();
    assert!(err.is_invalid_request());
    server.verify().await;
}

#[tokio::test]
async fn retries_stop_at_the_configured_bound() {
    let server = MockServer::start().await;
    Mock::given(path("/item/get"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(plaid_error("API_ERROR", "INTERNAL_SERVER_ERROR")),
        )
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(path("/accounts/get"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>gateway</html>"))
        .expect(4)
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = client_for(&server.uri())
        .sleep_impl(sleep.clone())
        .no_timeout()
        .retry_policy(RetryPolicy::default().max_retries(3))
        .build()
        .unwrap();
    let err = client.item().get("a").await.unwrap_err();
    assert_eq!(err.code(), Some("INTERNAL_SERVER_ERROR"));
    let err = client.accounts().get("a").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(sleep.delays().len(), 6);
    server.verify().await;
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = tokio::spawn(async move {
        // Accept and hold connections without ever answering.
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = client_for(&format!("http://{addr}"))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.item().get("a").await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3),
        "took {elapsed:?}"
    );
    accepted.abort();
}

#[tokio::test]
async fn an_oversized_body_is_cut_off_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/transactions/get"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(200_000)))
        .mount(&server)
        .await;
    let transport = HyperTransport::builder()
        .max_response_body_bytes(16 * 1024)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, SECRET)
        .transport(transport)
        .build()
        .unwrap();
    let err = client
        .send_raw("/transactions/get", json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_secret_is_absent_from_debug_errors_and_tracing_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(path("/item/remove"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"request_id": "req-ok"})))
        .mount(&server)
        .await;
    Mock::given(path("/auth/get"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(plaid_error("INVALID_INPUT", "INVALID_API_KEYS")),
        )
        .mount(&server)
        .await;
    Mock::given(path("/accounts/get"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>down</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.item().remove("access-1").await.unwrap();
    let api_err = client.auth().get("access-1").await.unwrap_err();
    let resp_err = client.accounts().get("access-1").await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works and carries the fields we promise...
    assert!(logs.contains("plaid_request"), "{logs}");
    assert!(
        logs.contains("/item/remove") && logs.contains("req-ok"),
        "{logs}"
    );
    assert!(logs.contains("attempt=3"), "{logs}");
    // ...and never the secret.
    for text in [
        logs,
        format!("{client:?}"),
        format!("{api_err:?}"),
        api_err.to_string(),
        format!("{resp_err:?}"),
        resp_err.to_string(),
    ] {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
    }
}
