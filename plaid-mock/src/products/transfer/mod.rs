//! Transfer as the sandbox runs it: an authorization (always approved in
//! the sandbox), a transfer made from it (`pending`), events for every
//! status change, status changes driven by `/sandbox/transfer/simulate`,
//! sweeps of settled transfers, and cancellation while still pending.

use std::collections::BTreeMap;

pub(crate) mod ledger;
pub(crate) mod refunds;
pub(crate) mod sweeps;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::example::example;
use crate::kit::fields::{sent, text};
use crate::kit::paging::{count, count_offset, window, within};

use crate::kernel::errors::unknown_id;
use crate::kit::money::{amount_text, cents};
use crate::kit::route::Route;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// An authorization, with what a transfer made from it must match.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Authorization {
    pub item_id: String,
    pub account_id: String,
    pub cents: i64,
    /// Whether a transfer was made from it (each authorization makes one).
    pub used: bool,
    /// The `TransferAuthorization` answer.
    pub json: Value,
}

/// A transfer, with the item it moves money for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StoredTransfer {
    pub item_id: String,
    /// Unix seconds.
    pub created: i64,
    /// The `Transfer` answer as it is now.
    pub json: Value,
}

/// What Transfer remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct TransferState {
    pub authorizations: BTreeMap<String, Authorization>,
    /// In order of creation.
    pub transfers: Vec<StoredTransfer>,
    /// `TransferEvent`s in order; `event_id` is the position plus one.
    pub events: Vec<Value>,
    /// `TransferSweep`s in order of creation.
    pub sweeps: Vec<Value>,
}

impl Kept for TransferState {
    const KEY: &'static str = "transfer";
}

/// `/transfer/authorization/create`, whose example is the shape of every
/// authorization.
const AUTHORIZE: Route = Route::new("/transfer/authorization/create", |state, body| {
    Some(authorize(state, body))
})
.refuses_samples("INVALID_FIELD");

/// `/transfer/create`, whose example is the shape of every transfer.
const CREATE: Route = Route::new("/transfer/create", |state, body| Some(create(state, body)))
    .refuses_samples("INVALID_FIELD");

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/transfer/authorization/cancel` on an authorization a transfer was made from or already cancelled, or a transfer made from a cancelled one",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    AUTHORIZE,
    CREATE,
    Route::new("/transfer/get", |state, body| Some(get(state, body)))
        .refuses_samples("MISSING_FIELDS"),
    Route::new("/transfer/list", |state, body| Some(list(state, body))),
    Route::new("/transfer/cancel", |state, body| {
        Some(cancel(state, text(body, "transfer_id")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/event/list", |state, body| {
        Some(event_list(state, body))
    }),
    Route::new("/transfer/event/sync", |state, body| {
        Some(event_sync(state, body))
    }),
    Route::new("/sandbox/transfer/simulate", |state, body| {
        Some(simulate(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    sweeps::SIMULATE,
    Route::new("/transfer/sweep/get", |state, body| {
        Some(sweeps::sweep_get(state, text(body, "sweep_id")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/sweep/list", |state, body| {
        Some(sweeps::sweep_list(state, body))
    }),
    Route::new("/transfer/metrics/get", |state, _body| {
        Some(Ok(metrics(state)))
    }),
    Route::new("/sandbox/transfer/fire_webhook", |state, body| {
        Some(Ok(fire_webhook(state, body)))
    }),
    Route::new("/transfer/authorization/cancel", |state, body| {
        Some(cancel_authorization(state, text(body, "authorization_id")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/capabilities/get", |state, body| {
        Some(capabilities(state, body))
    }),
];

/// The `user` of an answer: what was sent, with absent fields as `null`.
fn user_in_response(user: Option<&Value>) -> Value {
    let field = |name: &str| {
        user.and_then(|u| u.get(name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let address = user
        .and_then(|u| u.get("address"))
        .filter(|a| a.is_object());
    let address = address.map(|a| {
        let part = |name: &str| a.get(name).cloned().unwrap_or(Value::Null);
        json!({"street": part("street"), "city": part("city"), "region": part("region"),
               "postal_code": part("postal_code"), "country": part("country")})
    });
    json!({"legal_name": field("legal_name"), "phone_number": field("phone_number"),
           "email_address": field("email_address"), "address": address})
}

fn authorize(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let account_id = text(body, "account_id");
    let (item_id, account) =
        crate::kit::accounts::account(state, text(body, "access_token"), account_id)?;
    if !account.has_numbers() {
        return Err(ErrorAnswer::new(
            400,
            "TRANSFER_ERROR",
            "TRANSFER_UNSUPPORTED_ACCOUNT_TYPE",
            "transfers can only move money to or from depository accounts",
        ));
    }
    let amount = cents("amount", text(body, "amount"))?;
    let id = state.rng.uuid();
    let mut json = example(AUTHORIZE.path)["authorization"].take();
    json["id"] = json!(id);
    json["created"] = json!(rfc3339(state.now()));
    json["decision"] = json!("approved");
    json["decision_rationale"] = Value::Null;
    json["guarantee_decision"] = Value::Null;
    json["guarantee_decision_rationale"] = Value::Null;
    json["payment_risk"] = Value::Null;
    let proposed = &mut json["proposed_transfer"];
    proposed["account_id"] = json!(account_id);
    proposed["type"] = sent(body, "type");
    proposed["network"] = sent(body, "network");
    proposed["amount"] = json!(amount_text(amount));
    proposed["user"] = user_in_response(body.get("user"));
    proposed["iso_currency_code"] = json!(body
        .get("iso_currency_code")
        .and_then(Value::as_str)
        .unwrap_or("USD"));
    match body.get("ach_class").filter(|c| c.is_string()) {
        Some(class) => proposed["ach_class"] = class.clone(),
        None => _ = proposed.as_object_mut().map(|p| p.remove("ach_class")),
    }
    state
        .products
        .get_mut::<TransferState>()
        .authorizations
        .insert(
            id,
            Authorization {
                item_id,
                account_id: account_id.to_owned(),
                cents: amount,
                used: false,
                json: json.clone(),
            },
        );
    Ok(json!({"authorization": json}))
}

/// Cancels an authorization no transfer was made from yet.
fn cancel_authorization(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    let authorization = state
        .products
        .get_mut::<TransferState>()
        .authorizations
        .get_mut(id)
        .ok_or_else(|| unknown_id("authorization_id", id))?;
    if authorization.used {
        return Err(errors::invalid_field(format!(
            "authorization {id} was already used for a transfer (or cancelled); cancel the transfer instead"
        )));
    }
    authorization.used = true;
    Ok(json!({}))
}

/// The networks the account's institution takes. Plaid documents no
/// sandbox rule, so the fake says a depository account (one with account
/// numbers) takes RTP credits and RfP debits, and other accounts neither.
fn capabilities(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (_, account) =
        crate::kit::accounts::account(state, text(body, "access_token"), text(body, "account_id"))?;
    let supported = account.has_numbers();
    Ok(json!({"institution_supported_networks": {
        "rtp": {"credit": supported},
        "rfp": {"debit": supported, "max_amount": null},
    }}))
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let authorization_id = text(body, "authorization_id");
    let account_id = text(body, "account_id");
    let (item_id, _) =
        crate::kit::accounts::account(state, text(body, "access_token"), account_id)?;
    let authorization = state
        .products
        .get_mut::<TransferState>()
        .authorizations
        .get(authorization_id)
        .ok_or_else(|| unknown_id("authorization_id", authorization_id))?;
    if authorization.item_id != item_id || authorization.account_id != account_id {
        return Err(errors::invalid_field(
            "the access_token and account_id must be those the authorization was made for",
        ));
    }
    if authorization.used {
        return Err(errors::invalid_field(format!(
            "authorization {authorization_id} was already used for a transfer; authorize again"
        )));
    }
    let amount = match body.get("amount").and_then(Value::as_str) {
        Some(amount) => cents("amount", amount)?,
        None => authorization.cents,
    };
    if amount > authorization.cents {
        return Err(errors::invalid_field(format!(
            "amount {} is more than the {} authorized",
            amount_text(amount),
            amount_text(authorization.cents)
        )));
    }
    let proposed = authorization.json["proposed_transfer"].clone();
    let now = state.now();
    let id = state.rng.uuid();
    let mut json = example(CREATE.path)["transfer"].take();
    for field in ["type", "network", "user", "iso_currency_code", "account_id"] {
        json[field] = proposed[field].clone();
    }
    match proposed.get("ach_class") {
        Some(class) => json["ach_class"] = class.clone(),
        None => _ = json.as_object_mut().map(|t| t.remove("ach_class")),
    }
    json["id"] = json!(id);
    json["authorization_id"] = json!(authorization_id);
    json["amount"] = json!(amount_text(amount));
    json["description"] = sent(body, "description");
    json["created"] = json!(rfc3339(now));
    json["status"] = json!("pending");
    json["sweep_status"] = json!("unswept");
    json["cancellable"] = json!(true);
    json["failure_reason"] = Value::Null;
    json["metadata"] = sent(body, "metadata");
    json["originator_client_id"] = Value::Null;
    json["expected_settlement_date"] = Value::Null;
    json["standard_return_window"] = Value::Null;
    json["unauthorized_return_window"] = Value::Null;
    json["refunds"] = json!([]);
    if let Some(fee) = body.get("facilitator_fee").filter(|f| f.is_string()) {
        json["facilitator_fee"] = fee.clone();
    } else if let Some(t) = json.as_object_mut() {
        t.remove("facilitator_fee");
    }
    let transfers = &mut state.products.get_mut::<TransferState>();
    if let Some(a) = transfers.authorizations.get_mut(authorization_id) {
        a.used = true;
    }
    transfers.transfers.push(StoredTransfer {
        item_id,
        created: crate::kernel::time::unix(now),
        json: json.clone(),
    });
    record_event(state, &id, "pending", None);
    Ok(json!({"transfer": json}))
}

/// Adds an event for transfer `id` (and its sweep, if any), and moves the
/// ledger's balances for it.
pub(crate) fn record_event(state: &mut State, id: &str, event_type: &str, sweep: Option<&Value>) {
    let Some(t) = transfer_json(state, id) else {
        return;
    };
    ledger::transfer_event(state, &t, event_type);
    push_event(state, &t, event_type, sweep, None);
}

/// Adds a `refund.*` event for `refund` of transfer `id`.
pub(crate) fn record_refund_event(state: &mut State, id: &str, event_type: &str, refund: &Value) {
    if let Some(t) = transfer_json(state, id) {
        push_event(state, &t, event_type, None, Some(refund));
    }
}

/// Transfer `id` as it is now.
fn transfer_json(state: &State, id: &str) -> Option<Value> {
    state
        .products
        .get::<TransferState>()
        .transfers
        .iter()
        .find(|t| t.json["id"] == id)
        .map(|t| t.json.clone())
}

/// Appends a `TransferEvent` about transfer `t` (and its sweep or refund).
fn push_event(
    state: &mut State,
    t: &Value,
    event_type: &str,
    sweep: Option<&Value>,
    refund: Option<&Value>,
) {
    let now = rfc3339(state.now());
    let transfers = &mut state.products.get_mut::<TransferState>();
    let failure = refund.map_or(&t["failure_reason"], |r| &r["failure_reason"]);
    let event = json!({
        "event_id": transfers.events.len() + 1,
        "timestamp": now,
        "event_type": event_type,
        "account_id": t["account_id"],
        "funding_account_id": t["funding_account_id"],
        "transfer_id": t["id"],
        "origination_account_id": t["origination_account_id"],
        "transfer_type": t["type"],
        "transfer_amount": t["amount"],
        "failure_reason": failure,
        "sweep_id": sweep.map_or(Value::Null, |s| s["id"].clone()),
        "sweep_amount": sweep.map_or(Value::Null, |s| s["amount"].clone()),
        "refund_id": refund.map_or(Value::Null, |r| r["id"].clone()),
        "originator_client_id": null,
    });
    transfers.events.push(event);
}

fn find<'s>(state: &'s mut State, id: &str) -> Result<&'s mut StoredTransfer, ErrorAnswer> {
    state
        .products
        .get_mut::<TransferState>()
        .transfers
        .iter_mut()
        .find(|t| t.json["id"] == id)
        .ok_or_else(|| unknown_id("transfer_id", id))
}

fn get(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let transfer_id = text(body, "transfer_id");
    let authorization_id = text(body, "authorization_id");
    let transfers = &state.products.get_mut::<TransferState>().transfers;
    let found = if !transfer_id.is_empty() {
        transfers
            .iter()
            .find(|t| t.json["id"] == transfer_id)
            .ok_or_else(|| unknown_id("transfer_id", transfer_id))?
    } else if !authorization_id.is_empty() {
        transfers
            .iter()
            .find(|t| t.json["authorization_id"] == authorization_id)
            .ok_or_else(|| unknown_id("authorization_id", authorization_id))?
    } else {
        return Err(errors::missing_fields(&["transfer_id"]));
    };
    Ok(json!({"transfer": found.json}))
}

fn list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let transfers: Vec<&Value> = state
        .products
        .get::<TransferState>()
        .transfers
        .iter()
        .rev()
        .filter(|t| (start..=end).contains(&t.created))
        .map(|t| &t.json)
        .skip(offset)
        .take(count)
        .collect();
    Ok(json!({"transfers": transfers}))
}

fn cancel(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    let transfer = find(state, id)?;
    if transfer.json["cancellable"] != json!(true) {
        return Err(ErrorAnswer::new(
            400,
            "TRANSFER_ERROR",
            "TRANSFER_NOT_CANCELLABLE",
            "the transfer has been sent to the network and can no longer be cancelled",
        ));
    }
    transfer.json["status"] = json!("cancelled");
    transfer.json["cancellable"] = json!(false);
    record_event(state, id, "cancelled", None);
    Ok(json!({}))
}

fn event_list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let matches = |name: &str, event: &Value| {
        body.get(name)
            .and_then(Value::as_str)
            .is_none_or(|wanted| event[name] == wanted)
    };
    let types: Option<Vec<&Value>> = body
        .get("event_types")
        .and_then(Value::as_array)
        .map(|t| t.iter().collect());
    let transfer_type = body.get("transfer_type").and_then(Value::as_str);
    let matching: Vec<&Value> = state
        .products
        .get::<TransferState>()
        .events
        .iter()
        .filter(|e| within(&e["timestamp"], (start, end)))
        .filter(|e| matches("transfer_id", e) && matches("account_id", e) && matches("sweep_id", e))
        .filter(|e| transfer_type.is_none_or(|t| e["transfer_type"] == t))
        .filter(|e| types.as_ref().is_none_or(|t| t.contains(&&e["event_type"])))
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(count).copied().collect();
    let has_more = matching.len() > offset + page.len();
    Ok(json!({"transfer_events": page, "has_more": has_more}))
}

fn event_sync(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let count = count(body, 100, 500)? as i64;
    let after = body.get("after_id").and_then(Value::as_i64).unwrap_or(0);
    if after < 0 {
        return Err(errors::invalid_field("after_id must be at least 0"));
    }
    let events = &state.products.get::<TransferState>().events;
    let from = (after as usize).min(events.len());
    let to = (from + count as usize).min(events.len());
    Ok(json!({"transfer_events": &events[from..to], "has_more": to < events.len()}))
}

fn simulate(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let id = text(body, "transfer_id");
    let event_type = text(body, "event_type");
    let transfer = find(state, id)?;
    let status = transfer.json["status"].as_str().unwrap_or_default();
    let is_debit = transfer.json["type"] == "debit";
    let allowed = matches!(
        (status, event_type),
        ("pending", "posted" | "failed") | ("posted", "settled" | "returned")
    ) || (status == "settled" && event_type == "funds_available" && is_debit);
    if !allowed {
        return Err(ErrorAnswer::new(
            400,
            "SANDBOX_ERROR",
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID",
            format!("a {status} transfer cannot take a {event_type:?} event; pending takes posted or failed, posted takes settled or returned, a settled debit takes funds_available"),
        ));
    }
    let failure = failure_reason(body, event_type);
    transfer.json["status"] = json!(event_type);
    transfer.json["cancellable"] = json!(false);
    transfer.json["failure_reason"] = failure;
    record_event(state, id, event_type, None);
    Ok(json!({}))
}

/// Sends `TRANSFER_EVENTS_UPDATE` to the URL the request names, as the
/// sandbox does when asked.
fn fire_webhook(state: &mut State, body: &Map<String, Value>) -> Value {
    state.outbox.push(crate::sandbox::PendingWebhook {
        item_id: String::new(),
        url: Some(text(body, "webhook").to_owned()),
        body: json!({"webhook_type": "TRANSFER", "webhook_code": "TRANSFER_EVENTS_UPDATE",
                     "environment": "sandbox"}),
    });
    json!({})
}

/// The volumes of the transfers made today and this calendar month (UTC),
/// by the fake's clock, of those not failed, cancelled or returned.
fn metrics(state: &State) -> Value {
    let now = state.now();
    let (mut day, mut month) = ([0i64; 2], [0i64; 2]);
    for t in &state.products.get::<TransferState>().transfers {
        if matches!(
            t.json["status"].as_str(),
            Some("failed" | "cancelled" | "returned")
        ) {
            continue;
        }
        let Ok(at) = time::OffsetDateTime::from_unix_timestamp(t.created) else {
            continue;
        };
        let amount = t.json["amount"]
            .as_str()
            .and_then(|a| cents("amount", a).ok())
            .unwrap_or(0);
        let side = usize::from(t.json["type"] != "debit");
        if (at.year(), at.month()) == (now.year(), now.month()) {
            month[side] += amount;
            if at.date() == now.date() {
                day[side] += amount;
            }
        }
    }
    json!({
        "daily_debit_transfer_volume": amount_text(day[0]),
        "daily_credit_transfer_volume": amount_text(day[1]),
        "monthly_transfer_volume": amount_text(month[0] + month[1]),
        "monthly_debit_transfer_volume": amount_text(month[0]),
        "monthly_credit_transfer_volume": amount_text(month[1]),
        "iso_currency_code": "USD",
    })
}

/// The `failure_reason` a simulated `failed` or `returned` event gives a
/// transfer or refund: the request's code and description, or `R01`
/// (insufficient funds) when it sends none; `null` for other events.
pub(crate) fn failure_reason(body: &Map<String, Value>, event: &str) -> Value {
    if !matches!(event, "failed" | "returned") {
        return Value::Null;
    }
    let reason = body.get("failure_reason").filter(|r| r.is_object());
    let part = |name: &str| reason.and_then(|r| r.get(name)).cloned();
    let code = part("failure_code")
        .or_else(|| part("ach_return_code"))
        .filter(Value::is_string)
        .unwrap_or_else(|| json!("R01"));
    let description = part("description")
        .filter(Value::is_string)
        .unwrap_or_else(|| json!("insufficient funds"));
    json!({"failure_code": code, "ach_return_code": code, "description": description})
}
