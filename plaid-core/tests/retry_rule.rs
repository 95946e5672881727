//! The retry rule: ordered classifiers, the generated safe-to-resend fact,
//! broken connections, and the caller's own rule.

use plaid_core::retry::{is_safe_to_resend, RetryContext, RetryDecision};
use plaid_core::test_util::{RecordingSleep, ScriptedTransport};
use plaid_core::{Client, Error, RetryPolicy, TransportErrorKind, OPERATIONS};
use serde_json::json;

fn client(transport: &ScriptedTransport, policy: RetryPolicy) -> Client {
    Client::builder()
        .credentials("client-1", "secret-1")
        .transport(transport.clone())
        .sleep_impl(RecordingSleep::default())
        .no_timeout()
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn plaid_error(code: &str, kind: &str) -> serde_json::Value {
    json!({"error_type": kind, "error_code": code, "error_message": "m",
           "display_message": null, "request_id": "r-err"})
}

/// The rule before safe-to-resend became a generated fact: a guess from
/// the path's last segment.
fn suffix_rule(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    matches!(last, "get" | "list" | "search" | "sync") || last.starts_with("get_")
}

#[test]
fn the_generated_fact_agrees_with_the_old_rule_but_for_the_listed_operations() {
    // Decided on purpose: the FDX reads are HTTP GETs, and the two
    // downloads only read a file.
    let on_purpose = [
        "/fdx/consents/{consentId}",
        "/fdx/recipient/{recipientId}",
        "/fdx/recipients",
        "/income/verification/documents/download",
        "/statements/download",
    ];
    let mut differences: Vec<&str> = OPERATIONS
        .iter()
        .filter(|op| is_safe_to_resend(op.path) != suffix_rule(op.path))
        .map(|op| op.path)
        .collect();
    differences.sort_unstable();
    assert_eq!(differences, on_purpose);
    assert_eq!(OPERATIONS.len(), 329);
    let safe = OPERATIONS
        .iter()
        .filter(|op| is_safe_to_resend(op.path))
        .count();
    println!(
        "{safe} of {} operations are safe to resend",
        OPERATIONS.len()
    );
    // Every one of the differences is safe to resend (none was made unsafe).
    assert!(on_purpose.iter().all(|p| is_safe_to_resend(p)));
}

#[tokio::test]
async fn a_broken_connection_on_a_read_is_retried() {
    let transport = ScriptedTransport::new()
        .fail(TransportErrorKind::Interrupted)
        .answer(200, json!({"accounts": [], "item": {}, "request_id": "r2"}));
    let client = client(&transport, RetryPolicy::default());
    let answer = client
        .send_raw("/accounts/get", json!({"access_token": "access-sandbox-1"}))
        .await
        .unwrap();
    assert_eq!(answer["request_id"], "r2");
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn a_broken_connection_on_a_change_is_not_retried_and_says_it_may_have_acted() {
    let transport = ScriptedTransport::new()
        .fail(TransportErrorKind::Interrupted)
        .answer(
            200,
            json!({"access_token": "a", "item_id": "i", "request_id": "r2"}),
        );
    let client = client(&transport, RetryPolicy::default());
    let err = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": "public-sandbox-1"}),
        )
        .await
        .unwrap_err();
    assert_eq!(transport.requests().len(), 1, "sent once only");
    assert!(err.may_have_reached_plaid());
    assert!(!err.is_retryable());
    assert_eq!(err.path(), Some("/item/public_token/exchange"));
    let message = err.to_string();
    assert!(message.contains("/item/public_token/exchange"), "{message}");
    assert!(message.contains("may have reached Plaid"), "{message}");
}

#[tokio::test]
async fn a_connect_failure_never_reached_plaid_and_is_retried_for_any_operation() {
    let transport = ScriptedTransport::new()
        .fail(TransportErrorKind::Connect)
        .answer(
            200,
            json!({"access_token": "a", "item_id": "i", "request_id": "r2"}),
        );
    let client = client(&transport, RetryPolicy::default());
    client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": "public-sandbox-1"}),
        )
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);
    let refused = Error::Transport(plaid_core::TransportError::new(
        TransportErrorKind::Connect,
        "refused",
    ));
    assert!(!refused.may_have_reached_plaid());
}

#[tokio::test]
async fn a_plaid_error_body_did_not_act_and_a_gateway_error_may_have() {
    let transport = ScriptedTransport::new()
        .answer(400, plaid_error("INVALID_PUBLIC_TOKEN", "INVALID_INPUT"))
        .answer_raw(502, &[], "<html>bad gateway</html>");
    let client = client(&transport, RetryPolicy::default());
    let body = json!({"public_token": "public-sandbox-1"});
    let plaid = client
        .send_raw("/item/public_token/exchange", body.clone())
        .await
        .unwrap_err();
    assert!(!plaid.may_have_reached_plaid());
    assert!(plaid.is_invalid_input_error());
    assert!(!plaid.is_rejected_locally());
    let gateway = client
        .send_raw("/item/public_token/exchange", body)
        .await
        .unwrap_err();
    assert!(gateway.may_have_reached_plaid());
    assert_eq!(transport.requests().len(), 2, "neither was retried");
}

#[tokio::test]
async fn the_callers_rule_is_asked_first_and_no_opinion_falls_through() {
    let policy = RetryPolicy::default().classifier(|attempt: &RetryContext<'_>| {
        match attempt.error().code() {
            Some("PRODUCT_NOT_READY") if attempt.safe_to_resend() => RetryDecision::Retry,
            Some("INTERNAL_SERVER_ERROR") => RetryDecision::DoNotRetry,
            _ => RetryDecision::NoOpinion,
        }
    });
    let transport = ScriptedTransport::new()
        .answer(400, plaid_error("PRODUCT_NOT_READY", "ITEM_ERROR"))
        .answer(200, json!({"request_id": "r2", "transactions": []}))
        .answer(500, plaid_error("INTERNAL_SERVER_ERROR", "API_ERROR"))
        .answer(429, plaid_error("RATE_LIMIT", "RATE_LIMIT_EXCEEDED"))
        .answer(200, json!({"request_id": "r5"}));
    let client = client(&transport, policy);
    let body = json!({"access_token": "access-sandbox-1"});
    client
        .send_raw("/transactions/get", body.clone())
        .await
        .unwrap();
    assert_eq!(
        transport.requests().len(),
        2,
        "PRODUCT_NOT_READY retried by the caller's rule"
    );
    let err = client
        .send_raw("/accounts/get", body.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(
        transport.requests().len(),
        3,
        "the caller's rule stopped a built-in retry"
    );
    client.send_raw("/accounts/get", body).await.unwrap();
    assert_eq!(
        transport.requests().len(),
        5,
        "no opinion: the built-in rule retried the 429"
    );
}
