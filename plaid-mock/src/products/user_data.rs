//! What a client does to a user's data as a whole: `/user/identity/remove`
//! forgets the identity the user was created or updated with,
//! `/user/products/terminate` removes the user's items (as `/item/remove`
//! would; the user and its Link session history stay), and
//! `/user/transactions/refresh` and `/user/financial_data/refresh` refresh
//! the transactions of each of the user's items (each then sends its
//! `SYNC_UPDATES_AVAILABLE` webhook), answering one result per item, with
//! the item's error when it could not be refreshed (e.g. it needs a login).
//! `/user/third_party_token/create` hands out a token another client can
//! use for the user, for 24 hours or until the `expiration_time` sent (at
//! most 24 hours); `/user/third_party_token/remove` takes it back, after
//! which removing it again is refused.

use serde_json::{json, Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::{parse_time, unix};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::users::UserState;
use crate::sandbox::State;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/user/third_party_token/create` with an `expiration_time` past 24 hours from now (or not after now); `/user/third_party_token/remove` of a token never made, removed or expired",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/user/third_party_token/create", |state, body| {
        Some(find(state, body).and_then(|id| third_party_token(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/user/third_party_token/remove", |state, body| {
        Some({
            let token = text(body, "third_party_user_token");
            let now = unix(state.now());
            let tokens = &mut state.products.get_mut::<UserState>().third_party_tokens;
            match tokens.remove(token) {
                Some((_, expires)) if expires > now => Ok(json!({"removed": true})),
                _ => Err(errors::unknown_object("third_party_user_token", token)),
            }
        })
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/identity/remove", |state, body| {
        Some(find(state, body).map(|id| {
            if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(&id) {
                user.identity = None;
                user.consumer_report_user_identity = None;
            }
            json!({})
        }))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/products/terminate", |state, body| {
        Some(find(state, body).map(|id| {
            for item_id in live_items(state, &id) {
                state.forget_item(&item_id);
            }
            if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(&id) {
                user.item_ids.clear();
                user.reports.clear();
            }
            json!({})
        }))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/transactions/refresh", |state, body| {
        Some(find(state, body).map(|id| refresh(state, &id)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/financial_data/refresh", |state, body| {
        Some(find(state, body).map(|id| refresh(state, &id)))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// Refreshes the transactions of each of the user's items that has an
/// access token (an item whose public token was never exchanged has no
/// data to refresh yet and is left out).
fn refresh(state: &mut State, id: &str) -> Value {
    let mut results = Vec::new();
    for item_id in live_items(state, id) {
        let Some(token) = state.access_token_of(&item_id) else {
            continue;
        };
        let mut result = json!({"item_id": item_id, "product": "transactions"});
        if let Err(e) = state.refresh(&token) {
            let mut error: Value = serde_json::from_slice(&e.body("")).unwrap_or_default();
            if let Some(fields) = error.as_object_mut() {
                fields.remove("request_id");
            }
            result["error"] = error;
        }
        results.push(result);
    }
    json!({"user_id": id, "results": results})
}

/// The longest a third-party user token lives.
const THIRD_PARTY_LIFETIME: i64 = 24 * 60 * 60;

/// A token for the user that another client can use, until the
/// `expiration_time` sent (no later than 24 hours from now, the default).
fn third_party_token(
    state: &mut State,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let now = unix(state.now());
    let latest = now + THIRD_PARTY_LIFETIME;
    let expires = match body.get("expiration_time").and_then(Value::as_str) {
        None => latest,
        Some(at) => {
            let at = parse_time(at).map(unix).ok_or_else(|| {
                errors::invalid_field(format!(
                    "expiration_time must be an RFC 3339 time, got {at:?}"
                ))
            })?;
            if at <= now || at > latest {
                return Err(errors::invalid_field(
                    "expiration_time must be in the next 24 hours",
                ));
            }
            at
        }
    };
    let token = format!("third-party-user-sandbox-{}", state.rng.uuid());
    state
        .products
        .get_mut::<UserState>()
        .third_party_tokens
        .insert(token.clone(), (id.to_owned(), expires));
    Ok(json!({ "third_party_user_token": token }))
}
