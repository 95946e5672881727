//! Beacon: users screened against a Beacon Program, fraud reports, the
//! reports syndicated to matching users, duplicates, every version of a
//! user, and risk attributes of the bank accounts behind a user's items.
//!
//! What the fake does, and what it decides where Plaid's docs are silent:
//! - A user is screened when made (`/beacon/user/create`) and again at each
//!   identity change (`/beacon/user/update`). Two users *share identity
//!   data* when they have the same ID number, email address, phone number
//!   or bank account (routing and account number), or the same name and
//!   date of birth; an IP address or a street address alone does not count.
//! - Screening against the other users of the same program makes a Beacon
//!   Duplicate per matching user (one per pair of users, ever) and puts the
//!   user in `pending_review`. Screening against the reports this client
//!   made (in any program) makes a Report Syndication per matching report
//!   and puts the user in `rejected`. The fake has no Beacon Network of
//!   other companies, so nothing else is ever syndicated. A new user with
//!   no finding is `cleared`; an update with no new finding keeps the status.
//! - `/beacon/report/create` makes a report on a user (one per user: the API
//!   cannot delete one); its `event_date` is the day it was made. Every other
//!   user who shares identity data with the reported one gets a syndication
//!   of it; their status stays as it was (the client reviews them).
//! - `/beacon/user/review` moves the status as Plaid documents: `rejected`
//!   needs a report on the user (a syndication is only confirmed in the
//!   dashboard, which the fake does not have), `cleared` needs no report,
//!   `pending_review` is always allowed. Updates and status changes each
//!   make a new version (`version` + 1); `/beacon/user/history/list` lists
//!   every version, newest first. Reviewing to the status the user already
//!   has changes nothing.
//! - Webhooks (`BEACON` type) go to the URL set in Plaid's dashboard, which
//!   the fake does not have: they are kept in the fake's webhook journal
//!   only (no URL, no item), where tests can read duplicate ids.
//! - Account insights and account risk read the accounts of a linked item;
//!   insights only for an item linked to the user (`access_tokens`).
//! - A user's data is answered as sent, except where what was sent (or
//!   left out) does not fit the answer's `BeaconUserData`: a user made
//!   without a birth date or an address (which Plaid allows) is answered
//!   with the fake's own value there (the spec's example), as every answer
//!   is ([`crate::kit::conform`]), since the spec lists both as non-null.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::timestamp;
use crate::kit::accounts::invalid_account_id;
use crate::kit::fields::{sent, text};
use crate::kit::ids::short_id;
use crate::kit::paging::page;
use crate::kit::route::Route;
use crate::sandbox::store::Kept;
use crate::sandbox::{PendingWebhook, State};

mod reports;
mod users;

use reports::*;
use users::*;

/// What Beacon remembers, each list in order of creation.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct BeaconState {
    pub users: Vec<BeaconUser>,
    /// `BeaconReport` answers.
    pub reports: Vec<Value>,
    /// `BeaconReportSyndication` answers.
    pub syndications: Vec<Value>,
    /// `BeaconDuplicateGetResponse` answers (without `request_id`).
    pub duplicates: Vec<Value>,
}

impl Kept for BeaconState {
    const KEY: &'static str = "beacon";
}

/// One Beacon user and what its answers leave out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BeaconUser {
    /// Every version as `/beacon/user/get` answered it then, oldest first.
    pub versions: Vec<Value>,
    /// The bank accounts sent, as `(routing_number, account_number)`: the
    /// answers show only masks, screening compares whole numbers.
    pub accounts: Vec<(String, String)>,
}

impl BeaconUser {
    fn current(&self) -> &Value {
        self.versions.last().expect("a user has a first version")
    }
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `beacon_user_id`, `beacon_report_id`, `beacon_report_syndication_id` or `beacon_duplicate_id` never made",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/beacon/user/create` whose `user` has neither `date_of_birth` nor `depository_accounts`",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/beacon/report/create` for a Beacon user that already has a report (one at a time)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/beacon/user/review` to `rejected` for a user with no report, or to `cleared` for a user with one",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/beacon/user/account_insights/get` with an access token whose item is not linked to the Beacon user",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/beacon/account_risk/v1/evaluate` without an `access_token`",
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/beacon/user/create", |state, body| {
        Some(create_user(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/user/get", |state, body| {
        Some(get_user(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/user/update", |state, body| {
        Some(update_user(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/user/review", |state, body| {
        Some(review_user(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/user/history/list", |state, body| {
        Some(list_history(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/user/account_insights/get", |state, body| {
        Some(account_insights(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/report/create", |state, body| {
        Some(create_report(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/report/get", |state, body| {
        Some(get_report(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/report/list", |state, body| {
        Some(list_reports(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/report_syndication/get", |state, body| {
        Some(get_syndication(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/report_syndication/list", |state, body| {
        Some(list_syndications(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/duplicate/get", |state, body| {
        Some(get_duplicate(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beacon/account_risk/v1/evaluate", |state, body| {
        Some(evaluate_account_risk(state, body))
    })
    .refuses_samples("MISSING_FIELDS"),
];

fn beacon(state: &mut State) -> &mut BeaconState {
    state.products.get_mut::<BeaconState>()
}

fn beacon_ref(state: &State) -> &BeaconState {
    state.products.get::<BeaconState>()
}

// ---------------------------------------------------------------------------
// Helpers

fn find_user<'s>(state: &'s State, id: &str) -> Result<&'s BeaconUser, ErrorAnswer> {
    beacon_ref(state)
        .users
        .iter()
        .find(|u| u.current()["id"] == id)
        .ok_or_else(|| unknown_id("beacon_user_id", id))
}

fn user_mut<'s>(state: &'s mut State, id: &str) -> Result<&'s mut BeaconUser, ErrorAnswer> {
    beacon(state)
        .users
        .iter_mut()
        .find(|u| u.current()["id"] == id)
        .ok_or_else(|| unknown_id("beacon_user_id", id))
}

/// Adds `next` as the user's newest version, made through the API at `now`.
fn push_version(user: &mut BeaconUser, mut next: Value, now: &str) {
    next["version"] = json!(user.current()["version"].as_i64().unwrap_or(0) + 1);
    next["updated_at"] = json!(now);
    next["audit_trail"] = audit_trail(now);
    user.versions.push(next);
}

/// Gives user `id` a new version with `status`, and says so by webhook.
fn set_status(state: &mut State, id: &str, status: &str) -> Result<(), ErrorAnswer> {
    let now = timestamp(state.now());
    let user = user_mut(state, id)?;
    let mut next = user.current().clone();
    next["status"] = json!(status);
    push_version(user, next, &now);
    hook(state, "USER_STATUS_UPDATED", "beacon_user_id", id);
    Ok(())
}

/// The objects of `objects` about user `user_id`.
fn of_user(objects: &[Value], user_id: &str) -> Vec<Value> {
    objects
        .iter()
        .filter(|o| o["beacon_user_id"] == user_id)
        .cloned()
        .collect()
}

/// An audit trail of a change made through the API.
fn audit_trail(now: &str) -> Value {
    json!({ "source": "api", "dashboard_user_id": null, "timestamp": now })
}

fn iso_date(at: OffsetDateTime) -> String {
    let date = at.date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The item ids of the request's `access_tokens` (each must work).
fn item_ids(state: &State, body: &Map<String, Value>) -> Result<Vec<Value>, ErrorAnswer> {
    let mut ids = Vec::new();
    for token in body
        .get("access_tokens")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = Value::String(state.item_id_for(token.as_str().unwrap_or_default())?);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The request's bank accounts as `(routing_number, account_number)`.
fn request_accounts(data: Option<&Map<String, Value>>) -> Vec<(String, String)> {
    data.and_then(|d| d.get("depository_accounts"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|a| {
            (
                text(a, "routing_number").to_owned(),
                text(a, "account_number").to_owned(),
            )
        })
        .collect()
}

fn account_json(routing: &str, number: &str, now: &str) -> Value {
    let mask: String = number
        .chars()
        .skip(number.chars().count().saturating_sub(4))
        .collect();
    json!({ "account_mask": mask, "routing_number": routing, "added_at": now })
}

/// `BeaconUserData` from the stored data `before` (or `null`) and the
/// request's fields: a field sent (and not `null`) replaces the stored one.
/// `depository_accounts` is the caller's.
fn user_data(before: &Value, request: &Map<String, Value>) -> Value {
    let field = |name: &str| match request.get(name) {
        Some(value) if !value.is_null() => value.clone(),
        _ => before.get(name).cloned().unwrap_or(Value::Null),
    };
    let address = match field("address") {
        Value::Object(sent) => json!({
            "street": sent.get("street").cloned().unwrap_or(Value::Null),
            "street2": sent.get("street2").cloned().unwrap_or(Value::Null),
            "city": sent.get("city").cloned().unwrap_or(Value::Null),
            "region": sent.get("region").cloned().unwrap_or(Value::Null),
            "postal_code": sent.get("postal_code").cloned().unwrap_or(Value::Null),
            "country": sent.get("country").cloned().unwrap_or(Value::Null),
        }),
        _ => Value::Null,
    };
    json!({
        "date_of_birth": field("date_of_birth"), "name": field("name"), "address": address,
        "email_address": field("email_address"), "phone_number": field("phone_number"),
        "id_number": field("id_number"), "ip_address": field("ip_address"),
        "depository_accounts": [],
    })
}

/// A `BEACON` webhook, kept in the journal (see the module docs).
fn hook(state: &mut State, code: &str, field: &str, id: &str) {
    state.outbox.push(PendingWebhook {
        item_id: String::new(),
        url: None,
        body: json!({ "webhook_type": "BEACON", "webhook_code": code, field: id,
                      "environment": "sandbox" }),
    });
}
