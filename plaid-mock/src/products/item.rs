//! Items: linking (`/sandbox/public_token/create` and the exchange), the
//! item's own operations, and the reads every item has (accounts and
//! balances, Auth numbers, Identity). The state behind them is the
//! sandbox's ([`crate::sandbox`]); this module is their route entries.

use serde_json::{Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kit::fields::text;
use crate::kit::options;
use crate::kit::route::{Handled, Route};
use crate::sandbox::institutions::UNKNOWN_INSTITUTION;
use crate::sandbox::State;

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/sandbox/public_token/create", |state, body| {
        Some(state.create_item(body))
    })
    .field_errors(UNKNOWN_INSTITUTION),
    Route::new("/item/public_token/exchange", |state, body| {
        Some(state.exchange(text(body, "public_token")))
    }),
    Route::new("/item/public_token/create", |state, body| {
        Some(state.public_token_for(text(body, "access_token")))
    }),
    Route::new("/item/get", |state, body| {
        Some(state.item_get(text(body, "access_token")))
    }),
    Route::new("/item/remove", |state, body| {
        Some(state.remove_item(text(body, "access_token")))
    }),
    Route::new("/accounts/get", accounts).encoded(accounts_encoded),
    Route::new("/accounts/balance/get", accounts).encoded(accounts_encoded),
    Route::new("/item/access_token/invalidate", |state, body| {
        Some(state.rotate(text(body, "access_token")))
    }),
    Route::new("/item/webhook/update", |state, body| {
        Some(state.update_webhook(text(body, "access_token"), body.get("webhook")))
    }),
    Route::new("/auth/get", auth),
    Route::new("/identity/get", identity),
    Route::new("/sandbox/item/reset_login", |state, body| {
        Some(state.reset_login(text(body, "access_token")))
    }),
    Route::new("/sandbox/item/fire_webhook", |state, body| {
        Some(state.fire_webhook(text(body, "access_token"), body))
    }),
];

/// Answers `/accounts/get` and `/accounts/balance/get` from the item's
/// accounts (the encoded answer is used when no account filter is set).
pub(crate) fn accounts(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(
        state
            .accounts(text(body, "access_token"))
            .and_then(|bytes| {
                serde_json::from_slice(&bytes).map_err(|e| {
                    ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", e.to_string())
                })
            }),
    )
}

/// The accounts answer, encoded, when the request does not filter accounts.
fn accounts_encoded(
    state: &mut State,
    body: &Map<String, Value>,
) -> Option<Result<Vec<u8>, ErrorAnswer>> {
    if options::account_ids(body).is_some() {
        return None;
    }
    Some(state.accounts(text(body, "access_token")))
}

/// Answers `/auth/get`.
pub(crate) fn auth(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(state.auth(text(body, "access_token")))
}

/// Answers `/identity/get`.
pub(crate) fn identity(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(state.identity(text(body, "access_token")))
}
