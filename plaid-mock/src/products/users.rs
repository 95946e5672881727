//! Users: `/user/create` hands out a `user_id` and a `user_token` (the
//! form Plaid gives clients of the user-token APIs), one user per
//! `client_user_id`; `/user/get`, `/user/update` and `/user/remove` find the
//! user by either. Items belong to a user when `/sandbox/public_token/create`
//! names it, when a link token made with its `user_token` is completed
//! (`MockPlaid::complete_link`), or after `/user/items/associate`; each
//! such link is a Link session that `/credit/sessions/get` lists and that
//! makes Bank Income and/or Payroll Income ([`IncomeKinds`]).
//! Removing a user removes its items.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{bank_income, income_verification, payroll_income};
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::{rfc3339, rfc3339_of, sent, text, unix};
use crate::sandbox::data::Institution;
use crate::sandbox::{item_json, PendingWebhook, State};

/// How many days of transactions a Bank Income report covers when the
/// link names none.
pub(crate) const DEFAULT_DAYS: i64 = 90;

/// The most days a Bank Income report looks back (Plaid's limit for
/// `days_requested`); larger requests are read as this many.
pub(crate) const MAX_DAYS: i64 = 731;

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

/// Answers the `/user/…` operations.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    Some(match path {
        "/user/create" => create(state, body),
        "/user/get" => find(state, body).map(|id| get(state, &id)),
        "/user/update" => find(state, body).map(|id| update(state, &id, body)),
        "/user/remove" => find(state, body).map(|id| remove(state, &id)),
        "/user/items/get" => find(state, body).map(|id| items(state, &id)),
        "/user/items/associate" => find(state, body).and_then(|id| associate(state, &id, body)),
        "/user/items/remove" => find(state, body).and_then(|id| remove_items(state, &id, body)),
        _ => return None,
    })
}

/// The `user_id` of the user `body` names by `user_token` or `user_id`.
/// Unknown or removed → `INVALID_FIELD` naming the field; neither sent →
/// `MISSING_FIELDS`.
pub(crate) fn find(state: &State, body: &Map<String, Value>) -> Result<String, ErrorAnswer> {
    let users = &state.products.users.users;
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

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let client_user_id = text(body, "client_user_id").to_owned();
    let users = &state.products.users.users;
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
    state.products.users.users.insert(user_id.clone(), user);
    Ok(json!({"user_id": user_id, "user_token": user_token}))
}

fn get(state: &State, id: &str) -> Value {
    let Some(user) = state.products.users.users.get(id) else {
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
    if let Some(user) = state.products.users.users.get_mut(id) {
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
    if let Some(user) = state.products.users.users.remove(id) {
        for item_id in &user.item_ids {
            state.forget_item(item_id);
        }
        state.resources.remove_user(&user.user_id);
        state.resources.remove_user(&user.user_token);
        let tokens = &mut state.products.users.third_party_tokens;
        tokens.retain(|_, (owner, _)| *owner != user.user_id);
        super::cra::forget_user(state, &user.user_id);
    }
    json!({})
}

/// The user's items that still exist.
pub(crate) fn live_items(state: &State, id: &str) -> Vec<String> {
    state
        .products
        .users
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

fn attach(state: &mut State, id: &str, item_id: &str) {
    for user in state.products.users.users.values_mut() {
        user.item_ids.retain(|i| i != item_id);
    }
    if let Some(user) = state.products.users.users.get_mut(id) {
        user.item_ids.push(item_id.to_owned());
    }
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

/// Which Income a Link session makes, from its `income_verification`
/// options: Bank Income when `income_source_types` lists `bank` (or, for
/// a user, when it lists nothing and names no older verification — every
/// item linked for a user has bank data); Payroll Income when it lists
/// `payroll` (or names an older `income_verification_id`), from uploaded
/// documents when `payroll_income.flow_types` is only `payroll_document_income`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IncomeKinds {
    /// The session makes a Bank Income report.
    pub bank: bool,
    /// `Some(document)` when the session makes payroll data.
    pub payroll: Option<bool>,
}

/// The [`IncomeKinds`] of a link request (`/sandbox/public_token/create`
/// shape: the options under `options.income_verification`).
pub(crate) fn income_kinds(body: &Map<String, Value>, for_user: bool) -> IncomeKinds {
    let income = body
        .get("options")
        .and_then(|o| o.get("income_verification"))
        .cloned()
        .unwrap_or(Value::Null);
    let listed = |pointer: &str, name: &str| {
        income
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| a.iter().any(|v| v == name))
    };
    let sources = income.get("income_source_types").and_then(Value::as_array);
    let older = income
        .get("income_verification_id")
        .and_then(Value::as_str)
        .is_some();
    let payroll = match sources {
        Some(_) => listed("/income_source_types", "payroll").unwrap_or(false),
        None => older,
    };
    let flows = income
        .pointer("/payroll_income/flow_types")
        .and_then(Value::as_array);
    let document = flows.is_some_and(|f| !f.is_empty())
        && listed("/payroll_income/flow_types", "payroll_digital_income") == Some(false);
    IncomeKinds {
        bank: for_user
            && match sources {
                Some(_) => listed("/income_source_types", "bank").unwrap_or(false),
                None => !older,
            },
        payroll: payroll.then_some(document),
    }
}

/// An item was linked (for `owner`, when the link named a user): the
/// payroll record is made when the session asks for Payroll Income; for a
/// user the item becomes the user's, the Link session is recorded for
/// `/credit/sessions/get`, and a Bank Income report is made over the
/// user's items when the session asks for Bank Income.
pub(crate) fn linked(
    state: &mut State,
    owner: Option<&str>,
    item_id: &str,
    public_token: &str,
    body: &Map<String, Value>,
) {
    let kinds = income_kinds(body, owner.is_some());
    if let Some(document) = kinds.payroll {
        payroll_income::made(state, item_id, owner, document);
        let verification = body
            .get("options")
            .and_then(|o| o.pointer("/income_verification/income_verification_id"))
            .and_then(Value::as_str);
        match verification {
            Some(id) => income_verification::joined(state, id, item_id),
            None => {
                let url = state.items.get(item_id).and_then(|i| i.webhook.clone());
                state.outbox.push(PendingWebhook {
                    item_id: item_id.to_owned(),
                    url,
                    body: payroll_income::verification_hook(
                        item_id,
                        owner,
                        "VERIFICATION_STATUS_PROCESSING_COMPLETE",
                    ),
                });
            }
        }
    }
    let Some(id) = owner else {
        return;
    };
    attach(state, id, item_id);
    let session = json!({
        "link_session_id": state.rng.uuid(),
        "session_start_time": rfc3339(state.now()),
        "results": session_results(state, item_id, public_token, kinds),
        "errors": [],
    });
    let report = kinds.bank.then(|| {
        let days = body
            .get("options")
            .and_then(|o| o.pointer("/income_verification/bank_income/days_requested"))
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .unwrap_or(DEFAULT_DAYS)
            .min(MAX_DAYS);
        bank_income::report(state, id, days)
    });
    if let Some(user) = state.products.users.users.get_mut(id) {
        user.sessions.push(session);
        user.reports.extend(report);
    }
}

/// The `results` of a `CreditSession` for an item just linked.
pub(crate) fn session_results(
    state: &State,
    item_id: &str,
    public_token: &str,
    kinds: IncomeKinds,
) -> Value {
    let institution_id = state
        .items
        .get(item_id)
        .map(|i| i.institution_id.clone())
        .unwrap_or_default();
    let mut results = json!({
        "item_add_results": [{"public_token": public_token, "item_id": item_id,
                              "institution_id": institution_id}],
    });
    if kinds.bank {
        results["bank_income_results"] = json!([{"status": "APPROVED", "item_id": item_id,
                                                 "institution_id": institution_id}]);
    }
    if let Some(record) = state.products.payroll.records.get(item_id) {
        let stubs = record.stub_ids.len();
        if record.document {
            results["document_income_results"] = json!({"num_paystubs_uploaded": stubs,
                "num_w2s_uploaded": 1, "num_bank_statements_uploaded": 0, "num_1099s_uploaded": 0});
        } else {
            results["payroll_income_results"] = json!([{"num_paystubs_retrieved": stubs,
                "num_w2s_retrieved": 1, "institution_id": institution_id,
                "institution_name": institution_name(&institution_id)}]);
        }
    }
    results
}

/// The Link session recorded for `item_id` of the user, if any.
pub(crate) fn session_of(state: &State, id: &str, item_id: &str) -> Option<Value> {
    state.products.users.users.get(id).and_then(|u| {
        u.sessions
            .iter()
            .rev()
            .find(|s| s.pointer("/results/item_add_results/0/item_id") == Some(&json!(item_id)))
            .cloned()
    })
}

/// The name of an institution, for answers that carry it.
pub(crate) fn institution_name(id: &str) -> String {
    Institution::find(id)
        .map(|i| i.name)
        .unwrap_or_default()
        .to_string()
}
