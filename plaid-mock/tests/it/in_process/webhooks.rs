//! A fired webhook, verified with the key the fake serves.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use plaid_core::models::SandboxItemFireWebhookRequestWebhookCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{link, mock};

fn decode_part(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).unwrap()
}

#[tokio::test]
async fn a_fired_webhook_verifies_with_the_served_key() {
    let mock = mock(10);
    let client = mock.client();
    let (token, item_id) = link(&client).await;
    client
        .sandbox()
        .item()
        .fire_webhook(
            &token,
            SandboxItemFireWebhookRequestWebhookCode::SyncUpdatesAvailable,
        )
        .await
        .unwrap();
    let webhook = mock.webhooks().pop().expect("a webhook was sent");
    let body: Value = serde_json::from_slice(&webhook.body).unwrap();
    assert_eq!(body["webhook_code"], "SYNC_UPDATES_AVAILABLE");
    assert_eq!(body["webhook_type"], "TRANSACTIONS");
    assert_eq!(body["item_id"], item_id.as_str());

    let parts: Vec<&str> = webhook.verification.split('.').collect();
    let header: Value = serde_json::from_slice(&decode_part(parts[0])).unwrap();
    assert_eq!(header["alg"], "ES256");
    let kid = header["kid"].as_str().unwrap();
    let key = client
        .webhook_verification_key()
        .get(kid)
        .await
        .unwrap()
        .key;
    assert_eq!(key.expired_at, None);
    let mut sec1 = vec![4u8];
    sec1.extend(decode_part(&key.x));
    sec1.extend(decode_part(&key.y));
    let verifying = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let signature = Signature::from_slice(&decode_part(parts[2])).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    verifying.verify(signed.as_bytes(), &signature).unwrap();
    let claims: Value = serde_json::from_slice(&decode_part(parts[1])).unwrap();
    let hash: String = Sha256::digest(&webhook.body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(claims["request_body_sha256"], hash);
    assert_eq!(claims["iat"], mock.now().unix_timestamp());
    let unknown = client
        .webhook_verification_key()
        .get("nope")
        .await
        .unwrap_err();
    assert!(unknown.is_invalid_input_error());
}
