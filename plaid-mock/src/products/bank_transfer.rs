//! Bank Transfers (Plaid's legacy transfer product) as the sandbox runs it:
//! a transfer starts `pending` and cancellable, `/sandbox/bank_transfer/simulate`
//! moves it (pending → posted or failed, posted → reversed), and every
//! change is an event that `/bank_transfer/event/list` and `/…/sync` return
//! in order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

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

/// A bank transfer, with the item it belongs to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StoredBankTransfer {
    pub item_id: String,
    /// Unix seconds.
    pub created: i64,
    pub idempotency_key: String,
    /// The `BankTransfer` answer as it is now.
    pub json: Value,
}

/// What Bank Transfers remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct BankTransferState {
    /// In order of creation.
    pub transfers: Vec<StoredBankTransfer>,
    /// `BankTransferEvent`s in order; `event_id` is the position plus one.
    pub events: Vec<Value>,
    /// idempotency key → position in `transfers`.
    pub by_key: BTreeMap<String, usize>,
}

impl Kept for BankTransferState {
    const KEY: &'static str = "bank_transfer";
}

/// `/bank_transfer/create`, whose example is the shape of every bank
/// transfer the fake makes.
const CREATE: Route = Route::new("/bank_transfer/create", |state, body| {
    Some(create(state, body))
})
.refuses_samples("INVALID_FIELD");

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    CREATE,
    Route::new("/bank_transfer/get", |state, body| {
        Some({
            find(state, text(body, "bank_transfer_id")).map(|t| json!({"bank_transfer": t.json}))
        })
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/bank_transfer/list", |state, body| Some(list(state, body))),
    Route::new("/bank_transfer/cancel", |state, body| {
        Some(cancel(state, text(body, "bank_transfer_id")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/bank_transfer/event/list", |state, body| {
        Some(event_list(state, body))
    }),
    Route::new("/bank_transfer/event/sync", |state, body| {
        Some(event_sync(state, body))
    }),
    Route::new("/sandbox/bank_transfer/simulate", |state, body| {
        Some(simulate(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/bank_transfer/fire_webhook", |state, body| {
        Some({
            state.outbox.push(crate::sandbox::PendingWebhook {
                item_id: String::new(),
                url: Some(text(body, "webhook").to_owned()),
                body: json!({"webhook_type": "BANK_TRANSFERS",
                             "webhook_code": "BANK_TRANSFERS_EVENTS_UPDATE",
                             "environment": "sandbox"}),
            });
            Ok(json!({}))
        })
    }),
];

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let key = text(body, "idempotency_key");
    if let Some(&at) = state
        .products
        .get_mut::<BankTransferState>()
        .by_key
        .get(key)
    {
        // The same key gives the transfer it made the first time.
        let json = state.products.get_mut::<BankTransferState>().transfers[at]
            .json
            .clone();
        return Ok(json!({"bank_transfer": json}));
    }
    let account_id = text(body, "account_id");
    let (item_id, account) =
        crate::kit::accounts::account(state, text(body, "access_token"), account_id)?;
    if !account.has_numbers() {
        return Err(ErrorAnswer::new(
            400,
            "BANK_TRANSFER_ERROR",
            "BANK_TRANSFER_UNSUPPORTED_ACCOUNT_TYPE",
            "bank transfers can only move money to or from depository accounts",
        ));
    }
    let amount = cents("amount", text(body, "amount"))?;
    let now = state.now();
    let id = state.rng.uuid();
    let mut json = example(CREATE.path)["bank_transfer"].take();
    let kind = text(body, "type");
    json["id"] = json!(id);
    json["account_id"] = json!(account_id);
    json["type"] = json!(kind);
    json["network"] = sent(body, "network");
    json["amount"] = json!(amount_text(amount));
    json["iso_currency_code"] = sent(body, "iso_currency_code");
    json["description"] = sent(body, "description");
    json["ach_class"] = body
        .get("ach_class")
        .filter(|c| c.is_string())
        .cloned()
        .unwrap_or_else(|| json!("ppd"));
    let user = body.get("user");
    let part = |name: &str| user.and_then(|u| u.get(name)).cloned();
    json["user"] = json!({"legal_name": part("legal_name").unwrap_or(Value::Null),
                          "email_address": part("email_address").unwrap_or(Value::Null)});
    if let Some(routing) = part("routing_number").filter(Value::is_string) {
        json["user"]["routing_number"] = routing;
    }
    json["created"] = json!(rfc3339(now));
    json["status"] = json!("pending");
    json["cancellable"] = json!(true);
    json["failure_reason"] = Value::Null;
    json["custom_tag"] = sent(body, "custom_tag");
    json["metadata"] = sent(body, "metadata");
    if let Some(origination) = body.get("origination_account_id").filter(|o| o.is_string()) {
        json["origination_account_id"] = origination.clone();
    }
    json["direction"] = json!(if kind == "debit" {
        "inbound"
    } else {
        "outbound"
    });
    let store = &mut state.products.get_mut::<BankTransferState>();
    store.by_key.insert(key.to_owned(), store.transfers.len());
    store.transfers.push(StoredBankTransfer {
        item_id,
        created: crate::kernel::time::unix(now),
        idempotency_key: key.to_owned(),
        json: json.clone(),
    });
    record_event(state, &id, "pending");
    Ok(json!({"bank_transfer": json}))
}

fn record_event(state: &mut State, id: &str, event_type: &str) {
    let now = rfc3339(state.now());
    let store = &mut state.products.get_mut::<BankTransferState>();
    let Some(transfer) = store.transfers.iter().find(|t| t.json["id"] == id) else {
        return;
    };
    let t = &transfer.json;
    let event = json!({
        "event_id": store.events.len() + 1,
        "timestamp": now,
        "event_type": event_type,
        "account_id": t["account_id"],
        "bank_transfer_id": id,
        "origination_account_id": t["origination_account_id"],
        "bank_transfer_type": t["type"],
        "bank_transfer_amount": t["amount"],
        "bank_transfer_iso_currency_code": t["iso_currency_code"],
        "failure_reason": t["failure_reason"],
        "direction": t["direction"],
    });
    store.events.push(event);
}

fn find<'s>(state: &'s State, id: &str) -> Result<&'s StoredBankTransfer, ErrorAnswer> {
    state
        .products
        .get::<BankTransferState>()
        .transfers
        .iter()
        .find(|t| t.json["id"] == id)
        .ok_or_else(|| unknown_id("bank_transfer_id", id))
}

fn find_mut<'s>(state: &'s mut State, id: &str) -> Result<&'s mut StoredBankTransfer, ErrorAnswer> {
    state
        .products
        .get_mut::<BankTransferState>()
        .transfers
        .iter_mut()
        .find(|t| t.json["id"] == id)
        .ok_or_else(|| unknown_id("bank_transfer_id", id))
}

fn list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let direction = body.get("direction").and_then(Value::as_str);
    let transfers: Vec<&Value> = state
        .products
        .get::<BankTransferState>()
        .transfers
        .iter()
        .rev()
        .filter(|t| (start..=end).contains(&t.created))
        .filter(|t| direction.is_none_or(|d| t.json["direction"] == d))
        .map(|t| &t.json)
        .skip(offset)
        .take(count)
        .collect();
    Ok(json!({"bank_transfers": transfers}))
}

fn cancel(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    let transfer = find_mut(state, id)?;
    if transfer.json["cancellable"] != json!(true) {
        return Err(ErrorAnswer::new(
            400,
            "BANK_TRANSFER_ERROR",
            "BANK_TRANSFER_NOT_CANCELLABLE",
            "the bank transfer has been sent to the network and can no longer be cancelled",
        ));
    }
    transfer.json["status"] = json!("cancelled");
    transfer.json["cancellable"] = json!(false);
    record_event(state, id, "cancelled");
    Ok(json!({}))
}

fn event_list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let wanted = |name: &str| body.get(name).and_then(Value::as_str);
    let types: Option<&Vec<Value>> = body.get("event_types").and_then(Value::as_array);
    let matching: Vec<&Value> = state
        .products
        .get::<BankTransferState>()
        .events
        .iter()
        .filter(|e| within(&e["timestamp"], (start, end)))
        .filter(|e| wanted("bank_transfer_id").is_none_or(|w| e["bank_transfer_id"] == w))
        .filter(|e| wanted("account_id").is_none_or(|w| e["account_id"] == w))
        .filter(|e| wanted("direction").is_none_or(|w| e["direction"] == w))
        .filter(|e| wanted("bank_transfer_type").is_none_or(|w| e["bank_transfer_type"] == w))
        .filter(|e| types.is_none_or(|t| t.contains(&e["event_type"])))
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(count).copied().collect();
    Ok(json!({"bank_transfer_events": page}))
}

fn event_sync(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let count = count(body, 25, 25)? as i64;
    let after = body.get("after_id").and_then(Value::as_i64).unwrap_or(0);
    if after < 0 {
        return Err(errors::invalid_field("after_id must be at least 0"));
    }
    let events = &state.products.get::<BankTransferState>().events;
    let from = (after as usize).min(events.len());
    let to = (from + count as usize).min(events.len());
    Ok(json!({"bank_transfer_events": &events[from..to]}))
}

fn simulate(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let id = text(body, "bank_transfer_id");
    let event_type = text(body, "event_type");
    let transfer = find_mut(state, id)?;
    let status = transfer.json["status"].as_str().unwrap_or_default();
    let allowed = matches!(
        (status, event_type),
        ("pending", "posted" | "failed") | ("posted", "reversed")
    );
    if !allowed {
        return Err(ErrorAnswer::new(
            400,
            "SANDBOX_ERROR",
            "SANDBOX_BANK_TRANSFER_EVENT_TRANSITION_INVALID",
            format!("a {status} bank transfer cannot take a {event_type:?} event; pending takes posted or failed, posted takes reversed"),
        ));
    }
    let failure = match event_type {
        "failed" | "reversed" => body
            .get("failure_reason")
            .filter(|r| r.is_object())
            .cloned()
            .unwrap_or_else(
                || json!({"ach_return_code": "R01", "description": "insufficient funds"}),
            ),
        _ => Value::Null,
    };
    transfer.json["status"] = json!(event_type);
    transfer.json["cancellable"] = json!(false);
    transfer.json["failure_reason"] = failure;
    record_event(state, id, event_type);
    Ok(json!({}))
}
