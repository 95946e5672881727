//! The Plaid Ledger behind Transfer: one default ledger with a `pending`
//! and an `available` balance, moved by what happens to transfers and to
//! the ledger's own deposit and withdrawal sweeps, each move a ledger
//! event.
//!
//! - An ACH debit adds its amount to `pending` when it is created; the
//!   amount moves to `available` when the debit takes `funds_available`
//!   (`/sandbox/transfer/simulate`) or at
//!   `/sandbox/transfer/ledger/simulate_available`. A debit that fails, is
//!   returned or is cancelled takes its amount back, from `available` once
//!   it was released there (which can make `available` negative, as Plaid
//!   documents).
//! - A credit (payout) takes its amount from `available` when it is
//!   created, and gives it back if it fails, is returned or is cancelled;
//!   so does a refund.
//! - `/transfer/ledger/deposit` makes a sweep that brings money in as a
//!   debit does (pending, released later); `/transfer/ledger/withdraw` makes
//!   one that takes it from `available` at once. Sweep amounts are signed
//!   as they appear on the business account: a deposit is negative there, a
//!   withdrawal positive.
//! - `/sandbox/transfer/ledger/deposit/simulate` and `…/withdraw/simulate`
//!   move a sweep `pending → posted | failed`, `posted → settled |
//!   returned`, `settled → returned`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::fields::text;
use crate::kit::money::{amount_text, cents};
use crate::kit::paging::{count_offset, window, within};
use crate::kit::route::Route;
use crate::products::transfer::TransferState;
use crate::sandbox::store::Kept;
use crate::sandbox::{PendingWebhook, State};

/// Money the ledger holds as `pending` for one transfer or deposit sweep,
/// until it is released to `available` or taken back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Hold {
    /// The transfer's or sweep's id.
    pub source_id: String,
    /// `TRANSFER` or `SWEEP`.
    pub source_type: String,
    pub cents: i64,
    /// Whether the amount moved on to `available`.
    pub released: bool,
}

/// The ledger and its history.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct LedgerState {
    /// The default ledger's id, made on first use.
    pub ledger_id: Option<String>,
    /// The default funding account's id (the business account sweeps
    /// move money to and from when a request names none), made on first
    /// use.
    pub funding_account_id: Option<String>,
    pub pending: i64,
    pub available: i64,
    /// By source id.
    pub holds: BTreeMap<String, Hold>,
    /// Money a credit or withdrawal took from `available`, by source id,
    /// given back if it fails.
    pub paid_out: BTreeMap<String, i64>,
    /// What each payout in `paid_out` paid for (`TRANSFER`, `REFUND`,
    /// `SWEEP`), by the same id.
    #[serde(default)]
    pub paid_out_source: BTreeMap<String, String>,
    /// `TransferLedgerEvent`s, oldest first.
    pub events: Vec<Value>,
    /// Deposit and withdrawal answers by `idempotency_key`.
    pub idempotent: BTreeMap<String, Value>,
}

impl Kept for LedgerState {
    const KEY: &'static str = "transfer_ledger";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `ledger_id` (or `from_ledger_id`/`to_ledger_id`) other than the default ledger's, or `/transfer/ledger/distribute` between one ledger and itself",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a ledger `sweep_id` never made, or a deposit's id on the withdrawal simulation (and the other way round)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a ledger sweep simulation its status does not allow (`pending` takes `posted`/`failed`, `posted` takes `settled`/`returned`, `settled` takes `returned`)",
        400,
        "SANDBOX_ERROR",
        "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/transfer/ledger/get", |state, body| {
        Some(ledger_named(state, body, "ledger_id").map(|id| {
            let ledger = &state.products.get_mut::<LedgerState>();
            json!({"ledger_id": id, "name": "Default ledger", "is_default": true,
                   "balance": {"available": amount_text(ledger.available),
                               "pending": amount_text(ledger.pending)}})
        }))
    }),
    Route::new("/transfer/balance/get", |state, body| {
        Some(ledger_named(state, body, "ledger_id").map(|_| {
            let ledger = &state.products.get_mut::<LedgerState>();
            let kind = body
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("prefunded_rtp_credits");
            json!({"balance": {"available": amount_text(ledger.available),
                               "current": amount_text(ledger.available + ledger.pending),
                               "type": kind}})
        }))
    }),
    Route::new("/transfer/ledger/deposit", |state, body| {
        Some(sweep(state, body, Direction::Deposit))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/ledger/withdraw", |state, body| {
        Some(sweep(state, body, Direction::Withdraw))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/ledger/distribute", |state, body| {
        Some(distribute(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/ledger/event/list", |state, body| {
        Some(event_list(state, body))
    }),
    Route::new(
        "/sandbox/transfer/ledger/simulate_available",
        |state, body| {
            Some({
                ledger_named(state, body, "ledger_id").map(|_| simulate_available(state, body))
            })
        },
    ),
    Route::new(
        "/sandbox/transfer/ledger/deposit/simulate",
        |state, body| Some(simulate_sweep(state, body, "deposit")),
    )
    .refuses_samples("INVALID_FIELD"),
    Route::new(
        "/sandbox/transfer/ledger/withdraw/simulate",
        |state, body| Some(simulate_sweep(state, body, "withdraw")),
    )
    .refuses_samples("INVALID_FIELD"),
];

/// The default ledger's id, made on first use.
pub(crate) fn default_id(state: &mut State) -> String {
    if let Some(id) = &state.products.get_mut::<LedgerState>().ledger_id {
        return id.clone();
    }
    let id = state.rng.uuid();
    state.products.get_mut::<LedgerState>().ledger_id = Some(id.clone());
    id
}

/// The default funding account's id, made on first use.
fn default_funding_account(state: &mut State) -> String {
    if let Some(id) = &state.products.get_mut::<LedgerState>().funding_account_id {
        return id.clone();
    }
    let id = state.rng.uuid();
    state.products.get_mut::<LedgerState>().funding_account_id = Some(id.clone());
    id
}

/// The ledger a request names in `field` (the default one when it names
/// none); any other id is refused.
fn ledger_named(
    state: &mut State,
    body: &Map<String, Value>,
    field: &str,
) -> Result<String, ErrorAnswer> {
    let id = default_id(state);
    match body.get(field).and_then(Value::as_str) {
        Some(named) if named != id => Err(unknown_id(field, named)),
        _ => Ok(id),
    }
}

/// Moves the balances for a transfer that just took `event_type` (the
/// transfer's own amount and type decide how).
pub(crate) fn transfer_event(state: &mut State, transfer: &Value, event_type: &str) {
    let id = transfer["id"].as_str().unwrap_or_default().to_owned();
    let amount = transfer["amount"]
        .as_str()
        .and_then(|a| cents("amount", a).ok())
        .unwrap_or(0);
    let debit = transfer["type"] == "debit";
    match (debit, event_type) {
        (true, "pending") => hold(state, &id, "TRANSFER", amount, "debit transfer created"),
        (true, "funds_available") => release(state, &id, "debit transfer funds available"),
        (true, "failed" | "returned" | "cancelled") => {
            take_back(state, &id, &format!("debit transfer {event_type}"))
        }
        (false, "pending") => pay_out(state, &id, "TRANSFER", amount, "credit transfer created"),
        (false, "failed" | "returned" | "cancelled") => {
            refund_payout(state, &id, &format!("credit transfer {event_type}"))
        }
        _ => {}
    }
}

/// Records a change of one balance (`pending` or `available`) by `delta`.
fn record(state: &mut State, source: (&str, &str), kind: &str, delta: i64, description: &str) {
    let ledger_id = default_id(state);
    let at = rfc3339(state.now());
    let event_id = state.rng.uuid();
    let ledger = &mut state.products.get_mut::<LedgerState>();
    match kind {
        "pending" => ledger.pending += delta,
        _ => ledger.available += delta,
    }
    let (source_type, source_id) = source;
    let mut event = json!({
        "ledger_event_id": event_id, "ledger_id": ledger_id,
        "amount": amount_text(delta), "type": kind, "description": description,
        "pending_balance": amount_text(ledger.pending),
        "available_balance": amount_text(ledger.available),
        "timestamp": at,
    });
    let id_field = match source_type {
        "TRANSFER" => "transfer_id",
        "REFUND" => "refund_id",
        _ => "sweep_id",
    };
    event[id_field] = json!(source_id);
    ledger.events.push(event);
}

fn hold(state: &mut State, id: &str, source_type: &str, amount: i64, description: &str) {
    state.products.get_mut::<LedgerState>().holds.insert(
        id.to_owned(),
        Hold {
            source_id: id.to_owned(),
            source_type: source_type.to_owned(),
            cents: amount,
            released: false,
        },
    );
    record(state, (source_type, id), "pending", amount, description);
}

/// Moves a hold's amount from `pending` to `available`, once.
fn release(state: &mut State, id: &str, description: &str) {
    let Some(hold) = state.products.get_mut::<LedgerState>().holds.get_mut(id) else {
        return;
    };
    if hold.released {
        return;
    }
    hold.released = true;
    let (source_type, amount) = (hold.source_type.clone(), hold.cents);
    record(state, (&source_type, id), "pending", -amount, description);
    record(state, (&source_type, id), "available", amount, description);
}

/// Takes a held amount back, from wherever it is now.
fn take_back(state: &mut State, id: &str, description: &str) {
    let Some(hold) = state.products.get_mut::<LedgerState>().holds.remove(id) else {
        return;
    };
    let kind = if hold.released {
        "available"
    } else {
        "pending"
    };
    record(
        state,
        (&hold.source_type, id),
        kind,
        -hold.cents,
        description,
    );
}

fn pay_out(state: &mut State, id: &str, source_type: &str, amount: i64, description: &str) {
    state
        .products
        .get_mut::<LedgerState>()
        .paid_out_source
        .insert(id.to_owned(), source_type.to_owned());
    state
        .products
        .get_mut::<LedgerState>()
        .paid_out
        .insert(id.to_owned(), amount);
    record(state, (source_type, id), "available", -amount, description);
}

fn refund_payout(state: &mut State, id: &str, description: &str) {
    let ledger = state.products.get_mut::<LedgerState>();
    if let Some(amount) = ledger.paid_out.remove(id) {
        let source_type = ledger
            .paid_out_source
            .remove(id)
            .unwrap_or_else(|| "SWEEP".to_owned());
        record(state, (&source_type, id), "available", amount, description);
    }
}

/// Moves the balances for a refund that just took `status`: paid out of
/// `available` when made, given back if cancelled, failed or returned.
pub(crate) fn refund_event(state: &mut State, refund: &Value, status: &str) {
    let id = refund["id"].as_str().unwrap_or_default().to_owned();
    match status {
        "pending" => {
            let amount = refund["amount"]
                .as_str()
                .and_then(|a| cents("amount", a).ok())
                .unwrap_or(0);
            pay_out(state, &id, "REFUND", amount, "refund created");
        }
        "cancelled" | "failed" | "returned" => {
            refund_payout(state, &id, &format!("refund {status}"))
        }
        _ => {}
    }
}

/// Which way a ledger sweep moves money.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Deposit,
    Withdraw,
}

fn sweep(
    state: &mut State,
    body: &Map<String, Value>,
    direction: Direction,
) -> Result<Value, ErrorAnswer> {
    let ledger_id = ledger_named(state, body, "ledger_id")?;
    let amount = cents("amount", text(body, "amount"))?;
    let key = format!(
        "{}:{}",
        if direction == Direction::Deposit {
            "deposit"
        } else {
            "withdraw"
        },
        text(body, "idempotency_key")
    );
    if let Some(answer) = state.products.get_mut::<LedgerState>().idempotent.get(&key) {
        return Ok(answer.clone());
    }
    let id = state.rng.uuid();
    let now = state.now();
    let (signed, description) = match direction {
        Direction::Deposit => (-amount, "deposit into the ledger"),
        Direction::Withdraw => (amount, "withdrawal from the ledger"),
    };
    let funding_account_id = match body.get("funding_account_id").and_then(Value::as_str) {
        Some(named) => named.to_owned(),
        None => default_funding_account(state),
    };
    let sweep = json!({
        "id": id, "ledger_id": ledger_id, "funding_account_id": funding_account_id,
        "created": rfc3339(now), "amount": amount_text(signed), "iso_currency_code": "USD",
        "settled": null, "status": "pending", "trigger": "manual",
        "description": body.get("description").and_then(Value::as_str).unwrap_or(description),
        "network_trace_id": null,
    });
    let mut stored = sweep.clone();
    stored["transfer_ids"] = json!([]);
    stored["ledger_direction"] = json!(if direction == Direction::Deposit {
        "deposit"
    } else {
        "withdraw"
    });
    state
        .products
        .get_mut::<TransferState>()
        .sweeps
        .push(stored);
    match direction {
        Direction::Deposit => hold(state, &id, "SWEEP", amount, description),
        Direction::Withdraw => pay_out(state, &id, "SWEEP", amount, description),
    }
    let answer = json!({ "sweep": sweep });
    state
        .products
        .get_mut::<LedgerState>()
        .idempotent
        .insert(key, answer.clone());
    Ok(answer)
}

fn distribute(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let from = ledger_named(state, body, "from_ledger_id")?;
    let to = ledger_named(state, body, "to_ledger_id")?;
    cents("amount", text(body, "amount"))?;
    if from == to {
        return Err(errors::invalid_field(
            "from_ledger_id and to_ledger_id must name two different ledgers",
        ));
    }
    Ok(json!({}))
}

fn event_list(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    ledger_named(state, body, "ledger_id")?;
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let wanted = |name: &str| body.get(name).and_then(Value::as_str);
    let source_field = wanted("source_type").map(|t| match t {
        "TRANSFER" => "transfer_id",
        "REFUND" => "refund_id",
        _ => "sweep_id",
    });
    let matching: Vec<&Value> = state
        .products
        .get_mut::<LedgerState>()
        .events
        .iter()
        .rev()
        .filter(|e| within(&e["timestamp"], (start, end)))
        .filter(|e| wanted("ledger_event_id").is_none_or(|id| e["ledger_event_id"] == id))
        .filter(|e| source_field.is_none_or(|f| e.get(f).is_some()))
        .filter(|e| {
            wanted("source_id").is_none_or(|id| {
                ["transfer_id", "sweep_id", "refund_id"]
                    .iter()
                    .any(|f| e[*f] == id)
            })
        })
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(count).copied().collect();
    let has_more = matching.len() > offset + page.len();
    Ok(json!({"ledger_events": page, "has_more": has_more}))
}

/// Releases every hold to `available`; settled debits and settled deposit
/// sweeps take `funds_available`.
fn simulate_available(state: &mut State, body: &Map<String, Value>) -> Value {
    let held: Vec<String> = state
        .products
        .get_mut::<LedgerState>()
        .holds
        .values()
        .filter(|h| !h.released)
        .map(|h| h.source_id.clone())
        .collect();
    for id in held {
        release(state, &id, "pending balance made available");
        let settled_debit = state
            .products
            .get_mut::<TransferState>()
            .transfers
            .iter()
            .position(|t| t.json["id"] == id.as_str() && t.json["status"] == "settled");
        if let Some(i) = settled_debit {
            state.products.get_mut::<TransferState>().transfers[i].json["status"] =
                json!("funds_available");
            super::record_event(state, &id, "funds_available", None);
        }
        if let Some(sweep) = state
            .products
            .get_mut::<TransferState>()
            .sweeps
            .iter_mut()
            .find(|s| s["id"] == id.as_str() && s["status"] == "settled")
        {
            sweep["status"] = json!("funds_available");
        }
    }
    if let Some(url) = body.get("webhook").and_then(Value::as_str) {
        state.outbox.push(PendingWebhook {
            item_id: String::new(),
            url: Some(url.to_owned()),
            body: json!({"webhook_type": "TRANSFER", "webhook_code": "TRANSFER_EVENTS_UPDATE",
                         "environment": "sandbox"}),
        });
    }
    json!({})
}

fn simulate_sweep(
    state: &mut State,
    body: &Map<String, Value>,
    direction: &str,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "sweep_id");
    let event = text(body, "event_type");
    let event = event.strip_prefix("sweep.").unwrap_or(event);
    let now = state.now();
    let sweep = state
        .products
        .get_mut::<TransferState>()
        .sweeps
        .iter_mut()
        .find(|s| s["id"] == id && s["ledger_direction"] == direction)
        .ok_or_else(|| unknown_id("sweep_id", id))?;
    let status = sweep["status"].as_str().unwrap_or_default().to_owned();
    let allowed = matches!(
        (status.as_str(), event),
        ("pending", "posted" | "failed")
            | ("posted", "settled" | "returned")
            | ("settled", "returned")
    );
    if !allowed {
        return Err(ErrorAnswer::new(
            400,
            "SANDBOX_ERROR",
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID",
            format!("a {status} sweep cannot take a {event:?} event; pending takes posted or failed, posted takes settled or returned, settled takes returned"),
        ));
    }
    sweep["status"] = json!(event);
    if event == "settled" {
        sweep["settled"] = json!(crate::sandbox::data::format_date(now.date()));
    }
    if matches!(event, "failed" | "returned") {
        let reason = body.get("failure_reason").filter(|r| r.is_object());
        // A failure code comes with returns only.
        let code = match event {
            "returned" => reason
                .and_then(|r| r.get("failure_code").or_else(|| r.get("ach_return_code")))
                .filter(|c| c.is_string())
                .cloned()
                .unwrap_or_else(|| json!("R01")),
            _ => Value::Null,
        };
        sweep["failure_reason"] = json!({"failure_code": code, "description":
            reason.and_then(|r| r.get("description")).cloned().unwrap_or(json!("insufficient funds"))});
        let description = format!("{direction} sweep {event}");
        match direction {
            "deposit" => take_back(state, id, &description),
            _ => refund_payout(state, id, &description),
        }
    }
    Ok(json!({}))
}
