//! Signing webhooks exactly as Plaid does: an ES256 JWT in the
//! `Plaid-Verification` header whose payload carries `iat` and the SHA-256 of
//! the raw body, verifiable with the JWK that `/webhook_verification_key/get`
//! serves.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// An ES256 (ECDSA P-256, SHA-256) webhook signing key with its `kid`.
#[derive(Clone)]
pub struct WebhookSigner {
    key_id: String,
    key: SigningKey,
}

impl std::fmt::Debug for WebhookSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSigner")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl WebhookSigner {
    /// A key derived from `seed`: the same seed always gives the same key.
    pub fn from_seed(seed: u64) -> Self {
        let mut counter = 0u64;
        loop {
            let digest = Sha256::new()
                .chain_update(b"plaid-mock webhook key")
                .chain_update(seed.to_be_bytes())
                .chain_update(counter.to_be_bytes())
                .finalize();
            // Almost every 32-byte string is a valid scalar; try the next one otherwise.
            if let Ok(key) = SigningKey::from_bytes(&digest) {
                let kid_digest =
                    Sha256::digest(key.verifying_key().to_encoded_point(false).as_bytes());
                let key_id = kid_digest[..16]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>();
                return Self { key_id, key };
            }
            counter += 1;
        }
    }

    /// The same key claiming another `kid`: for testing that a verifier
    /// rejects a signature made with the wrong key.
    #[must_use]
    pub fn with_key_id(mut self, kid: impl Into<String>) -> Self {
        self.key_id = kid.into();
        self
    }

    /// The key id (`kid`) put in every JWT header.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The `Plaid-Verification` header value for `body` signed at `iat`
    /// (seconds since the Unix epoch).
    pub fn sign(&self, body: &[u8], iat: i64) -> String {
        let header = json!({"alg": "ES256", "kid": self.key_id, "typ": "JWT"});
        let body_hash: String = Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let payload = json!({"iat": iat, "request_body_sha256": body_hash});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// The public key as the `key` object of `/webhook_verification_key/get`
    /// (the spec's `JWKPublicKey`).
    pub fn jwk(&self, created_at: i64, expired_at: Option<i64>) -> Value {
        let point = self.key.verifying_key().to_encoded_point(false);
        let coordinate = |c: Option<&p256::FieldBytes>| c.map(|c| URL_SAFE_NO_PAD.encode(c));
        json!({
            "alg": "ES256",
            "crv": "P-256",
            "kid": self.key_id,
            "kty": "EC",
            "use": "sig",
            "x": coordinate(point.x()),
            "y": coordinate(point.y()),
            "created_at": created_at,
            "expired_at": expired_at
        })
    }
}

#[cfg(test)]
mod tests {
    use p256::ecdsa::signature::Verifier as _;
    use p256::ecdsa::VerifyingKey;

    use super::*;

    fn decode(part: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(part).unwrap()
    }

    #[test]
    fn a_signed_body_verifies_with_the_served_jwk() {
        let signer = WebhookSigner::from_seed(42);
        let body = br#"{"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE"}"#;
        let jwt = signer.sign(body, 1_700_000_000);
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value = serde_json::from_slice(&decode(parts[0])).unwrap();
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], signer.key_id());
        let payload: Value = serde_json::from_slice(&decode(parts[1])).unwrap();
        assert_eq!(payload["iat"], 1_700_000_000);
        let expected: String = Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(payload["request_body_sha256"], expected);

        // Rebuild the public key from the JWK alone, as a verifier would.
        let jwk = signer.jwk(1_600_000_000, None);
        let x = decode(jwk["x"].as_str().unwrap());
        let y = decode(jwk["y"].as_str().unwrap());
        let mut sec1 = vec![4u8];
        sec1.extend(x);
        sec1.extend(y);
        let key = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
        let signature = Signature::from_slice(&decode(parts[2])).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(key.verify(signed.as_bytes(), &signature).is_ok());
        assert!(key.verify(b"something else", &signature).is_err());
    }

    #[test]
    fn the_seed_fixes_the_key() {
        assert_eq!(
            WebhookSigner::from_seed(1).key_id(),
            WebhookSigner::from_seed(1).key_id()
        );
        assert_ne!(
            WebhookSigner::from_seed(1).key_id(),
            WebhookSigner::from_seed(2).key_id()
        );
    }
}

/// The `kid` of the sandbox's long-lived webhook verification key, which
/// test suites written against Plaid's sandbox look up by name.
pub const SANDBOX_LONG_LIVED_KEY_ID: &str = "6c5516e1-92dc-479e-a8ff-5a51992e0001";

/// When the long-lived key was made (seconds since the Unix epoch; it
/// never expires).
const SANDBOX_LONG_LIVED_CREATED_AT: i64 = 1_560_466_150;

/// The long-lived key as `/webhook_verification_key/get` answers it: a
/// P-256 key of the fake's own (Plaid's private half is Plaid's) under the
/// sandbox's `kid`, never expired.
pub(crate) fn sandbox_long_lived_jwk() -> Value {
    WebhookSigner::from_seed(0x6c55_16e1)
        .with_key_id(SANDBOX_LONG_LIVED_KEY_ID)
        .jwk(SANDBOX_LONG_LIVED_CREATED_AT, None)
}

/// A webhook signing key: the seed it comes from and its lifetime.
#[derive(Debug, Clone)]
pub(crate) struct SigningKeyRecord {
    pub seed: u64,
    pub signer: WebhookSigner,
    pub created_at: i64,
    pub expired_at: Option<i64>,
}

impl SigningKeyRecord {
    pub fn new(seed: u64, created_at: i64, expired_at: Option<i64>) -> Self {
        Self {
            seed,
            signer: WebhookSigner::from_seed(seed),
            created_at,
            expired_at,
        }
    }
}

/// The signing keys, shared by the fake's controls (which rotate them)
/// and its state (which answers `/webhook_verification_key/get` from them).
pub(crate) type SigningKeys = std::sync::Arc<std::sync::Mutex<Vec<SigningKeyRecord>>>;
