//! Webhook verification keys: `/webhook_verification_key/get` answers with
//! the public key (a JWK) of any key that has signed this fake's webhooks,
//! the current one or a retired one (with its `expired_at`), and of the
//! sandbox's long-lived key (`6c5516e1-92dc-479e-a8ff-5a51992e0001`), which
//! never expires.

use serde_json::{json, Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::errors::Refusal;
use crate::kernel::webhook_signing::{sandbox_long_lived_jwk, SANDBOX_LONG_LIVED_KEY_ID};
use crate::kit::fields::text;
use crate::kit::route::{Handled, Route};
use crate::sandbox::State;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[Refusal::new(
    "an unknown webhook verification `key_id`",
    400,
    "INVALID_INPUT",
    "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
)];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[Route::new(
    "/webhook_verification_key/get",
    verification_key,
)];

fn verification_key(state: &mut State, body: &Map<String, Value>) -> Handled {
    let kid = text(body, "key_id");
    let keys = state
        .webhook_keys
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(match keys.iter().find(|k| k.signer.key_id() == kid) {
        Some(record) => Ok(json!({"key": record.signer.jwk(record.created_at, record.expired_at)})),
        None if kid == SANDBOX_LONG_LIVED_KEY_ID => Ok(json!({"key": sandbox_long_lived_jwk()})),
        None => Err(ErrorAnswer::new(
            400,
            "INVALID_INPUT",
            "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
            "invalid key_id provided",
        )),
    })
}
