//! Users: `/user/create` hands out a `user_id` and a `user_token` (the
//! form Plaid gives clients of the user-token APIs), one user per
//! `client_user_id`; `/user/get`, `/user/update` and `/user/remove` find the
//! user by either. Items belong to a user when `/sandbox/public_token/create`
//! names it, when a link token made with its `user_token` is completed
//! (`MockPlaid::complete_link`), or after `/user/items/associate`; each
//! such link is a Link session that `/credit/sessions/get` lists and that
//! makes Bank Income and/or Payroll Income ([`IncomeKinds`]).
//! Removing a user removes its items.

use serde_json::{json, Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::{rfc3339_of, unix};
use crate::kit::fields::{sent, text};
use crate::kit::route::Route;
use crate::sandbox::events::Event;
use crate::sandbox::users::{attach, find, live_items, StoredUser, UserState};
use crate::sandbox::{item_json, State};

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `user_token` or `user_id` never issued or of a removed user (`/user/…`, `/credit/…`, `/sandbox/public_token/create`, a completed link token's `user_token`)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    )
    .detail("the message naming the field"),
    Refusal::new(
        "a user operation naming neither `user_token` nor `user_id`",
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
    ),
    Refusal::new(
        "`/user/create` with a `client_user_id` that already has a user",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/user/items/associate` or `/user/items/remove` naming an item that does not exist, or (remove) an item of another user",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/user/create", |state, body| Some(create(state, body))),
    Route::new("/user/get", |state, body| {
        Some(find(state, body).map(|id| get(state, &id)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/update", |state, body| {
        Some(find(state, body).map(|id| update(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/user/remove", |state, body| {
        Some(find(state, body).map(|id| remove(state, &id)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/user/items/get", |state, body| {
        Some(find(state, body).map(|id| items(state, &id)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/user/items/associate", |state, body| {
        Some(find(state, body).and_then(|id| associate(state, &id, body)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/user/items/remove", |state, body| {
        Some(find(state, body).and_then(|id| remove_items(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
];

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let client_user_id = text(body, "client_user_id").to_owned();
    let users = &state.products.get_mut::<UserState>().users;
    if users.values().any(|u| u.client_user_id == client_user_id) {
        return Err(errors::invalid_field(format!(
            "a user was already created for client_user_id {client_user_id:?}; use the user_token that create answered with"
        )));
    }
    let user_id: String = state.rng.id().chars().take(29).collect();
    let user_token = format!("user-sandbox-{}", state.rng.uuid());
    let now = unix(state.now());
    let user = StoredUser {
        user_id: user_id.clone(),
        user_token: user_token.clone(),
        client_user_id,
        created_at: now,
        updated_at: now,
        identity: body.get("identity").cloned(),
        consumer_report_user_identity: body.get("consumer_report_user_identity").cloned(),
        item_ids: Vec::new(),
        sessions: Vec::new(),
        income_webhooks: false,
        reports: Vec::new(),
    };
    state
        .products
        .get_mut::<UserState>()
        .users
        .insert(user_id.clone(), user);
    Ok(json!({"user_id": user_id, "user_token": user_token}))
}

fn get(state: &State, id: &str) -> Value {
    let Some(user) = state.products.get::<UserState>().users.get(id) else {
        return json!({});
    };
    let mut answer = json!({
        "user_id": user.user_id,
        "client_user_id": user.client_user_id,
        "created_at": rfc3339_of(user.created_at),
        "updated_at": rfc3339_of(user.updated_at),
    });
    if let Some(identity) = &user.identity {
        answer["identity"] = identity.clone();
    }
    answer
}

/// Merges what the request sends into the user: each field sent replaces
/// the one kept, the rest stay.
fn update(state: &mut State, id: &str, body: &Map<String, Value>) -> Value {
    let now = unix(state.now());
    if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(id) {
        for (name, kept) in [
            ("identity", &mut user.identity),
            (
                "consumer_report_user_identity",
                &mut user.consumer_report_user_identity,
            ),
        ] {
            let Some(Value::Object(fields)) = body.get(name) else {
                continue;
            };
            match kept {
                Some(Value::Object(old)) => {
                    for (k, v) in fields {
                        old.insert(k.clone(), v.clone());
                    }
                }
                _ => *kept = Some(sent(body, name)),
            }
        }
        user.updated_at = now;
    }
    json!({})
}

/// Forgets the user, its items and what the engine keeps for it.
fn remove(state: &mut State, id: &str) -> Value {
    if let Some(user) = state.products.get_mut::<UserState>().users.remove(id) {
        for item_id in &user.item_ids {
            state.forget_item(item_id);
        }
        let tokens = &mut state.products.get_mut::<UserState>().third_party_tokens;
        tokens.retain(|_, (owner, _)| *owner != user.user_id);
        state.emit(Event::UserRemoved {
            user_id: &user.user_id,
            user_token: &user.user_token,
        });
    }
    json!({})
}

fn items(state: &State, id: &str) -> Value {
    let items: Vec<Value> = live_items(state, id)
        .iter()
        .filter_map(|i| state.items.get(i))
        .map(item_json)
        .collect();
    json!({"items": items})
}

/// The ids of `item_ids` in the request, each an existing item.
fn named_items(state: &State, body: &Map<String, Value>) -> Result<Vec<String>, ErrorAnswer> {
    let mut out = Vec::new();
    for value in body
        .get("item_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = value.as_str().unwrap_or_default();
        if !state.items.contains_key(id) {
            return Err(errors::unknown_object("item_ids", id));
        }
        out.push(id.to_owned());
    }
    Ok(out)
}

/// Gives the items to the user, taking them from any other user.
fn associate(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let ids = named_items(state, body)?;
    for item_id in ids {
        attach(state, id, &item_id);
    }
    Ok(json!({}))
}

/// Removes the items (as `/item/remove` would), all of them or none: every
/// one must be the user's.
fn remove_items(
    state: &mut State,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let ids = named_items(state, body)?;
    let own = live_items(state, id);
    if let Some(other) = ids.iter().find(|i| !own.contains(i)) {
        return Err(errors::invalid_field(format!(
            "item_ids: {other:?} is not an item of this user"
        )));
    }
    for item_id in &ids {
        state.forget_item(item_id);
    }
    Ok(json!({}))
}
