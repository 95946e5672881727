//! `plaid_core::webhook_verification` against webhooks signed by the fake:
//! a real one verifies, and each way of forging or replaying one is
//! rejected with its own error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use plaid_core::clock::{Clock, ManualClock};
use plaid_core::models::SandboxItemFireWebhookRequestWebhookCode;
use plaid_core::webhook_verification::{WebhookError, WebhookVerifier};
use plaid_mock::webhook_signing::WebhookSigner;
use plaid_mock::{MockPlaid, WebhookDelivery};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::macros::datetime;

struct Fixture {
    mock: MockPlaid,
    clock: ManualClock,
    verifier: WebhookVerifier,
    webhook: WebhookDelivery,
}

async fn fixture() -> Fixture {
    let mock = MockPlaid::builder()
        .now(datetime!(2024-06-30 12:00 UTC))
        .transactions_per_item(5)
        .build();
    let client = mock.client();
    let (token, _) = mock.link_item("ins_109508", &["transactions"]).unwrap();
    client
        .sandbox()
        .item()
        .fire_webhook(
            &token,
            SandboxItemFireWebhookRequestWebhookCode::DefaultUpdate,
        )
        .await
        .unwrap();
    let webhook = mock.webhooks().pop().unwrap();
    let clock = ManualClock::new(mock.now().unix_timestamp());
    let verifier = WebhookVerifier::new(client).with_clock(clock.clone());
    Fixture {
        mock,
        clock,
        verifier,
        webhook,
    }
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn claims_for(body: &[u8], iat: i64) -> serde_json::Value {
    let hash: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({"iat": iat, "request_body_sha256": hash})
}

#[tokio::test]
async fn a_webhook_signed_by_plaid_verifies_and_its_key_is_cached() {
    let f = fixture().await;
    let verified = f
        .verifier
        .verify(&f.webhook.body, Some(&f.webhook.verification))
        .await
        .unwrap();
    assert_eq!(verified.webhook_type, "TRANSACTIONS");
    assert_eq!(verified.webhook_code, "DEFAULT_UPDATE");
    assert_eq!(
        verified.item_id.as_deref(),
        Some(f.webhook.item_id.as_str())
    );
    f.verifier
        .verify(&f.webhook.body, Some(&f.webhook.verification))
        .await
        .unwrap();
    let fetches = f
        .mock
        .requests()
        .iter()
        .filter(|r| r.path == "/webhook_verification_key/get")
        .count();
    assert_eq!(fetches, 1, "the key is fetched once and cached");
}

#[tokio::test]
async fn alg_none_is_rejected() {
    let f = fixture().await;
    let kid = f.mock.webhook_key_id();
    let token = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "kid": kid})),
        b64(&claims_for(&f.webhook.body, f.clock.unix_now()))
    );
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&token))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::UnsupportedAlgorithm(alg) if alg == "none"),
        "{err}"
    );
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_as_secret_is_rejected() {
    let f = fixture().await;
    let kid = f.mock.webhook_key_id();
    let client = f.mock.client();
    let jwk = client
        .webhook_verification_key()
        .get(&kid)
        .await
        .unwrap()
        .key;
    let secret = serde_json::to_vec(&jwk).unwrap();
    let signing_input = format!(
        "{}.{}",
        b64(&json!({"alg": "HS256", "kid": kid, "typ": "JWT"})),
        b64(&claims_for(&f.webhook.body, f.clock.unix_now()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
    mac.update(signing_input.as_bytes());
    let token = format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&token))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::UnsupportedAlgorithm(alg) if alg == "HS256"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unknown_kid_is_rejected() {
    let f = fixture().await;
    let token = WebhookSigner::from_seed(999).sign(&f.webhook.body, f.clock.unix_now());
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&token))
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::UnknownKey(_)), "{err}");
}

#[tokio::test]
async fn a_retired_key_is_rejected() {
    let f = fixture().await;
    f.mock.retire_webhook_key();
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&f.webhook.verification))
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::ExpiredKey { .. }), "{err}");
}

#[tokio::test]
async fn a_signature_older_than_five_minutes_is_rejected() {
    let f = fixture().await;
    f.clock.advance(300);
    f.verifier
        .verify(&f.webhook.body, Some(&f.webhook.verification))
        .await
        .expect("exactly five minutes is still fine");
    f.clock.advance(1);
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&f.webhook.verification))
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::Stale { age: 301, .. }), "{err}");
}

#[tokio::test]
async fn a_body_changed_by_one_byte_is_rejected() {
    let f = fixture().await;
    let mut body = f.webhook.body.to_vec();
    let last = body.len() - 2;
    body[last] ^= 0x01;
    let err = f
        .verifier
        .verify(&body, Some(&f.webhook.verification))
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::BodyMismatch), "{err}");
}

#[tokio::test]
async fn a_missing_or_malformed_header_is_rejected() {
    let f = fixture().await;
    for header in [None, Some(""), Some("   ")] {
        let err = f
            .verifier
            .verify(&f.webhook.body, header)
            .await
            .unwrap_err();
        assert!(
            matches!(err, WebhookError::MissingHeader),
            "{header:?}: {err}"
        );
    }
    for header in ["abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30.e30"] {
        let err = f
            .verifier
            .verify(&f.webhook.body, Some(header))
            .await
            .unwrap_err();
        assert!(
            matches!(err, WebhookError::MalformedHeader(_)),
            "{header}: {err}"
        );
    }
}

#[tokio::test]
async fn a_signature_from_another_key_is_rejected() {
    let f = fixture().await;
    let forged = WebhookSigner::from_seed(999)
        .with_key_id(f.mock.webhook_key_id())
        .sign(&f.webhook.body, f.clock.unix_now());
    let err = f
        .verifier
        .verify(&f.webhook.body, Some(&forged))
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::BadSignature), "{err}");
}

#[test]
fn webhooks_are_typed_by_type_and_code_and_unknown_ones_are_kept() {
    use plaid_core::Webhook;
    let sync = Webhook::from_json(json!({
        "webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE",
        "item_id": "item-1", "initial_update_complete": true,
        "historical_update_complete": false, "environment": "sandbox"
    }));
    assert!(
        matches!(&sync, Webhook::SyncUpdatesAvailable(w) if w.item_id == "item-1"),
        "{sync:?}"
    );
    let processor = Webhook::from_json(json!({
        "webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE",
        "account_id": "acc-1", "initial_update_complete": true,
        "historical_update_complete": true, "environment": "sandbox"
    }));
    assert!(
        matches!(processor, Webhook::ProcessorSyncUpdatesAvailable(_)),
        "{processor:?}"
    );
    let novel = json!({"webhook_type": "TELEPORT", "webhook_code": "ARRIVED", "item_id": "i"});
    assert_eq!(Webhook::from_json(novel.clone()), Webhook::Unknown(novel));
}
