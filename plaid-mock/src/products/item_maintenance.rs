//! What an item's owner does to a linked item besides reading it:
//! terminating it (`/item/products/terminate`), asking for fresh Identity
//! data (`/identity/refresh`), reading Identity Document Upload results,
//! and, in the sandbox, moving an account through Automated Micro-deposits
//! (`/sandbox/item/set_verification_status`), or making a user's items
//! need a login again (`/sandbox/user/reset_login`).

use serde_json::{json, Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;

use crate::kit::route::Route;
use crate::sandbox::State;

/// The statuses `/sandbox/item/set_verification_status` may set.
const SETTABLE: &[&str] = &["automatically_verified", "verification_expired"];

/// The status an account must have for the sandbox to move it: waiting
/// for Automated Micro-deposits.
const PENDING: &str = "pending_automatic_verification";

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/sandbox/item/set_verification_status` with a status other than `automatically_verified`/`verification_expired`, or for an account not `pending_automatic_verification` (every account the fake links is verified already)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "an access token of an item ended by `/item/products/terminate`",
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
    ),
    Refusal::new(
        "`/sandbox/user/reset_login` with an `item_ids` entry that is not one of the user's items",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/item/products/terminate", |state, body| {
        let token = text(body, "access_token");
        Some(terminate(state, token))
    }),
    Route::new("/identity/refresh", |state, body| {
        let token = text(body, "access_token");
        Some(state.healthy_item(token).map(|_| json!({})))
    }),
    Route::new("/identity/documents/uploads/get", |state, body| {
        Some(document_uploads(state, body))
    }),
    Route::new("/sandbox/item/set_verification_status", |state, body| {
        Some(set_verification_status(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/user/reset_login", |state, body| {
        Some(reset_user_login(state, body))
    })
    .refuses_samples("MISSING_FIELDS"),
];

/// Ends the item: its access token (and every other token of it) stops
/// working, as after `/item/remove`.
fn terminate(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    let item_id = state.item_id_for(token)?;
    state.forget_item(&item_id);
    Ok(json!({}))
}

/// The item's accounts with their owners, and the documents the user
/// uploaded through Link for each: none, since the fake links items
/// without Link's document upload.
fn document_uploads(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let mut answer = state.identity(text(body, "access_token"))?;
    let wanted = crate::kit::options::account_ids(body);
    if let (Some(wanted), Some(accounts)) = (&wanted, answer["accounts"].as_array()) {
        let known = |id: &&str| accounts.iter().any(|a| a["account_id"] == *id);
        if !wanted.iter().all(known) {
            return Err(crate::kit::accounts::invalid_account_id());
        }
    }
    if let Some(Value::Array(accounts)) = answer.get_mut("accounts") {
        for account in accounts {
            account["documents"] = json!([]);
        }
    }
    Ok(answer)
}

/// Moves an account waiting for Automated Micro-deposits to
/// `automatically_verified` or `verification_expired`. The fake's sandbox
/// accounts are all verified at linking (none waits for micro-deposits),
/// so an account of the item is refused as not pending.
fn set_verification_status(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let status = text(body, "verification_status");
    if !SETTABLE.contains(&status) {
        return Err(errors::invalid_field(format!(
            "verification_status must be one of {SETTABLE:?}, got {status:?}"
        )));
    }
    let account_id = text(body, "account_id");
    crate::kit::accounts::account(state, text(body, "access_token"), account_id)?;
    Err(errors::invalid_field(format!(
        "account_id {account_id:?} is not {PENDING}: only accounts waiting for automated micro-deposits can be moved"
    )))
}

/// `/sandbox/user/reset_login`: `/sandbox/item/reset_login` for each of
/// the user's items named in `item_ids`, or all of them when it is absent
/// or empty. An item that is not the user's is refused before any is
/// reset.
fn reset_user_login(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let user = crate::sandbox::users::find(state, body)?;
    let mine = crate::sandbox::users::live_items(state, &user);
    let named: Vec<String> = body
        .get("item_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(stranger) = named.iter().find(|id| !mine.contains(id)) {
        return Err(crate::kernel::errors::unknown_id(
            "item_ids entry",
            stranger,
        ));
    }
    let chosen = if named.is_empty() { mine } else { named };
    for item_id in chosen {
        if let Some(token) = state.access_token_of(&item_id) {
            state.reset_login(&token)?;
        }
    }
    Ok(json!({}))
}
