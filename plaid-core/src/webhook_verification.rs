//! Verifying that a webhook really comes from Plaid.
//!
//! Plaid signs every webhook with an ES256 JWT in the `Plaid-Verification`
//! header. Its payload holds `iat` (when it was signed) and
//! `request_body_sha256` (the SHA-256 of the exact body). [`WebhookVerifier`]
//! checks all of it, in this order, and each failure is its own
//! [`WebhookError`]:
//!
//! 1. the header is present and is a well-formed JWT;
//! 2. its `alg` is `ES256` and nothing else (no `none`, no HMAC);
//! 3. the key named by `kid` exists ([`/webhook_verification_key/get`],
//!    fetched through the client and cached) and is not retired
//!    (`expired_at` is null);
//! 4. the signature verifies with that key;
//! 5. `iat` is at most five minutes old on the verifier's [`Clock`];
//! 6. the body's SHA-256 equals `request_body_sha256` (compared in constant time).
//!
//! ```no_run
//! # async fn handler(client: plaid_core::Client, body: bytes::Bytes, header: Option<&str>) {
//! use plaid_core::webhook_verification::WebhookVerifier;
//!
//! let verifier = WebhookVerifier::new(client); // keep one; it caches keys
//! match verifier.verify(&body, header).await {
//!     Ok(webhook) => println!("{} {}", webhook.webhook_type, webhook.webhook_code),
//!     Err(e) => eprintln!("rejected webhook: {e}"), // answer 400, do not act on it
//! }
//! # }
//! ```
//!
//! [`/webhook_verification_key/get`]: https://plaid.com/docs/api/webhooks/webhook-verification/

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::clock::{Clock, SystemClock};
use crate::platform_time::Instant;
use crate::{Client, Error};

/// The oldest a signature may be.
pub const MAX_AGE_SECONDS: i64 = 5 * 60;

/// How long a fetched key is trusted before it is fetched again (to notice
/// that Plaid retired it).
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(60 * 60);

/// Why a webhook was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `Plaid-Verification` header.
    #[error("the Plaid-Verification header is missing")]
    MissingHeader,
    /// The header is not a well-formed JWT.
    #[error("the Plaid-Verification header is malformed: {0}")]
    MalformedHeader(String),
    /// The JWT names an algorithm other than ES256.
    #[error("the webhook JWT uses algorithm {0:?}; only ES256 is accepted")]
    UnsupportedAlgorithm(String),
    /// Plaid does not know the key id.
    #[error("no verification key with id {0:?}")]
    UnknownKey(String),
    /// Plaid has retired the key.
    #[error("verification key {kid:?} was retired at {expired_at}")]
    ExpiredKey {
        /// The key id.
        kid: String,
        /// When it was retired (Unix seconds).
        expired_at: i64,
    },
    /// The key could not be fetched (network, Plaid error).
    #[error("could not fetch verification key {kid:?}: {source}")]
    KeyFetch {
        /// The key id.
        kid: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// The key Plaid served is not a usable P-256 public key.
    #[error("verification key {0:?} is not a valid P-256 key")]
    InvalidKey(String),
    /// The signature does not verify with the key.
    #[error("the webhook signature does not verify")]
    BadSignature,
    /// The signature is more than five minutes old (or from the future).
    #[error(
        "the webhook was signed at {iat}, {age} seconds from now ({now}); at most 300 are allowed"
    )]
    Stale {
        /// When it was signed (Unix seconds).
        iat: i64,
        /// The verifier's time (Unix seconds).
        now: i64,
        /// `now - iat`.
        age: i64,
    },
    /// The body is not the one that was signed.
    #[error("the webhook body does not match the signed SHA-256")]
    BodyMismatch,
    /// The verified body is not a JSON webhook.
    #[error("the webhook body is not a JSON webhook: {0}")]
    InvalidBody(String),
}

/// A webhook that passed verification.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// `webhook_type`, e.g. `TRANSACTIONS`.
    pub webhook_type: String,
    /// `webhook_code`, e.g. `SYNC_UPDATES_AVAILABLE`.
    pub webhook_code: String,
    /// `item_id`, when the webhook is about an item.
    pub item_id: Option<String>,
    /// The whole body.
    pub body: serde_json::Value,
}

impl VerifiedWebhook {
    /// The webhook as its typed variant, e.g.
    /// [`Webhook::SyncUpdatesAvailable`](crate::Webhook::SyncUpdatesAvailable).
    pub fn typed(&self) -> crate::Webhook {
        crate::Webhook::from_json(self.body.clone())
    }
}

#[derive(Deserialize)]
struct JwtHeader {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct JwtClaims {
    iat: i64,
    request_body_sha256: String,
}

#[derive(Clone)]
struct CachedKey {
    key: VerifyingKey,
    expired_at: Option<i64>,
    fetched: Instant,
}

/// Verifies Plaid webhooks. Cheap to clone; clones share the key cache.
#[derive(Clone)]
pub struct WebhookVerifier {
    client: Client,
    clock: Arc<dyn Clock>,
    keys: Arc<Mutex<HashMap<String, CachedKey>>>,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

fn b64(part: &str, what: &str) -> Result<Vec<u8>, WebhookError> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| WebhookError::MalformedHeader(format!("{what} is not base64url: {e}")))
}

impl WebhookVerifier {
    /// A verifier that fetches keys through `client` and reads the system clock.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            clock: Arc::new(SystemClock),
            keys: Arc::default(),
        }
    }

    /// Uses `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Verifies `body` (the raw bytes, exactly as received) against the
    /// `Plaid-Verification` header value and returns the parsed webhook.
    pub async fn verify(
        &self,
        body: &[u8],
        verification_header: Option<&str>,
    ) -> Result<VerifiedWebhook, WebhookError> {
        let token = verification_header
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(WebhookError::MissingHeader)?;
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, claims_b64, signature_b64] = parts[..] else {
            return Err(WebhookError::MalformedHeader(format!(
                "a JWT has 3 parts, this has {}",
                parts.len()
            )));
        };
        let header: JwtHeader = serde_json::from_slice(&b64(header_b64, "the JWT header")?)
            .map_err(|e| WebhookError::MalformedHeader(format!("JWT header: {e}")))?;
        if header.alg != "ES256" {
            return Err(WebhookError::UnsupportedAlgorithm(header.alg));
        }
        let kid = header
            .kid
            .ok_or_else(|| WebhookError::MalformedHeader("the JWT header has no kid".into()))?;
        let key = self.key(&kid).await?;
        let signature = Signature::from_slice(&b64(signature_b64, "the JWT signature")?)
            .map_err(|_| WebhookError::BadSignature)?;
        let signed = &token[..header_b64.len() + 1 + claims_b64.len()];
        key.verify(signed.as_bytes(), &signature)
            .map_err(|_| WebhookError::BadSignature)?;
        let claims: JwtClaims = serde_json::from_slice(&b64(claims_b64, "the JWT claims")?)
            .map_err(|e| WebhookError::MalformedHeader(format!("JWT claims: {e}")))?;
        let now = self.clock.unix_now();
        let age = now.saturating_sub(claims.iat);
        if !(-MAX_AGE_SECONDS..=MAX_AGE_SECONDS).contains(&age) {
            return Err(WebhookError::Stale {
                iat: claims.iat,
                now,
                age,
            });
        }
        let actual: String = Sha256::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let expected = claims.request_body_sha256.to_ascii_lowercase();
        if !bool::from(actual.as_bytes().ct_eq(expected.as_bytes())) {
            return Err(WebhookError::BodyMismatch);
        }
        let body: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| WebhookError::InvalidBody(e.to_string()))?;
        let text = |name: &str| body.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        Ok(VerifiedWebhook {
            webhook_type: text("webhook_type").unwrap_or_default(),
            webhook_code: text("webhook_code").unwrap_or_default(),
            item_id: text("item_id"),
            body,
        })
    }

    /// The key for `kid`, from the cache or from Plaid.
    async fn key(&self, kid: &str) -> Result<VerifyingKey, WebhookError> {
        let cached = self
            .keys
            .lock()
            .ok()
            .and_then(|keys| keys.get(kid).cloned())
            .filter(|k| k.fetched.elapsed() < KEY_CACHE_TTL);
        let entry = match cached {
            Some(entry) => entry,
            None => {
                let entry = self.fetch(kid).await?;
                if let Ok(mut keys) = self.keys.lock() {
                    keys.insert(kid.to_owned(), entry.clone());
                }
                entry
            }
        };
        if let Some(expired_at) = entry.expired_at {
            return Err(WebhookError::ExpiredKey {
                kid: kid.to_owned(),
                expired_at,
            });
        }
        Ok(entry.key)
    }

    async fn fetch(&self, kid: &str) -> Result<CachedKey, WebhookError> {
        let answer = self
            .client
            .webhook_verification_key()
            .get(kid)
            .await
            .map_err(|e| match e.error_type() {
                Some(crate::ErrorType::InvalidInput | crate::ErrorType::InvalidRequest) => {
                    WebhookError::UnknownKey(kid.to_owned())
                }
                _ => WebhookError::KeyFetch {
                    kid: kid.to_owned(),
                    source: Box::new(e),
                },
            })?;
        let jwk = answer.key;
        if jwk.kid != kid {
            return Err(WebhookError::UnknownKey(kid.to_owned()));
        }
        let invalid = || WebhookError::InvalidKey(kid.to_owned());
        let x = URL_SAFE_NO_PAD.decode(&jwk.x).map_err(|_| invalid())?;
        let y = URL_SAFE_NO_PAD.decode(&jwk.y).map_err(|_| invalid())?;
        if jwk.crv != "P-256" || x.len() != 32 || y.len() != 32 {
            return Err(invalid());
        }
        let mut sec1 = Vec::with_capacity(65);
        sec1.push(4);
        sec1.extend_from_slice(&x);
        sec1.extend_from_slice(&y);
        let key = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| invalid())?;
        Ok(CachedKey {
            key,
            expired_at: jwk.expired_at,
            fetched: Instant::now(),
        })
    }
}
