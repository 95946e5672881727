//! Users: the people a client registers with `/user/create`, each with a
//! `user_id` and a `user_token`, the items linked for them and their Link
//! sessions. Products find a user here ([`find`]) and list its live items
//! ([`live_items`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::kernel::errors::{self, ErrorAnswer};
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// One user and what belongs to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredUser {
    pub user_id: String,
    pub user_token: String,
    pub client_user_id: String,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
    pub identity: Option<Value>,
    pub consumer_report_user_identity: Option<Value>,
    /// The user's items, oldest first (removed items are skipped on read).
    pub item_ids: Vec<String>,
    /// `CreditSession` objects, oldest first.
    pub sessions: Vec<Value>,
    /// Whether `/credit/bank_income/webhook/update` subscribed the user.
    pub income_webhooks: bool,
    /// `CreditBankIncome` reports, oldest first.
    pub reports: Vec<Value>,
}

/// What Users remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct UserState {
    /// By `user_id`.
    pub users: BTreeMap<String, StoredUser>,
    /// Third-party user tokens: token → (`user_id`, expiry in unix seconds).
    #[serde(default)]
    pub third_party_tokens: BTreeMap<String, (String, i64)>,
}

impl Kept for UserState {
    const KEY: &'static str = "users";
}

/// The `user_id` of the user `body` names by `user_token` or `user_id`.
/// Unknown or removed → `INVALID_FIELD` naming the field; neither sent →
/// `MISSING_FIELDS`.
pub(crate) fn find(state: &State, body: &Map<String, Value>) -> Result<String, ErrorAnswer> {
    let users = &state.products.get::<UserState>().users;
    if let Some(token) = body.get("user_token").and_then(Value::as_str) {
        return users
            .values()
            .find(|u| u.user_token == token)
            .map(|u| u.user_id.clone())
            .ok_or_else(|| errors::unknown_object("user_token", token));
    }
    if let Some(id) = body.get("user_id").and_then(Value::as_str) {
        return users
            .get(id)
            .map(|u| u.user_id.clone())
            .ok_or_else(|| errors::unknown_object("user_id", id));
    }
    Err(errors::missing_fields(&["user_token"]))
}

/// The user a `/sandbox/public_token/create` names, if it names one.
pub(crate) fn link_owner(
    state: &State,
    body: &Map<String, Value>,
) -> Result<Option<String>, ErrorAnswer> {
    if body.contains_key("user_token") || body.contains_key("user_id") {
        find(state, body).map(Some)
    } else {
        Ok(None)
    }
}

/// The user's items that still exist.
pub(crate) fn live_items(state: &State, id: &str) -> Vec<String> {
    state
        .products
        .get::<UserState>()
        .users
        .get(id)
        .map(|u| {
            u.item_ids
                .iter()
                .filter(|i| state.items.contains_key(*i))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn attach(state: &mut State, id: &str, item_id: &str) {
    for user in state.products.get_mut::<UserState>().users.values_mut() {
        user.item_ids.retain(|i| i != item_id);
    }
    if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(id) {
        user.item_ids.push(item_id.to_owned());
    }
}
