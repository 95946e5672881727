//! Transfer refunds: `/transfer/refund/create` refunds part or all of a
//! debit transfer this client made (never more than is left of it), once
//! per `idempotency_key`; a refund starts `pending` and is paid out of the
//! ledger's available balance. `/transfer/refund/cancel` cancels it while
//! still pending, and `/sandbox/transfer/refund/simulate` moves it as
//! Plaid documents: `pending → posted | failed`, `posted → settled |
//! returned`, and `posted` only once the refunded transfer has settled.
//! Every change is a `refund.*` transfer event.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::ledger;
use super::{failure_reason, record_refund_event};
use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::fields::text;
use crate::kit::money::{amount_text, cents};
use crate::kit::route::Route;
use crate::products::transfer::TransferState;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// What the refunds remember.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RefundState {
    /// `TransferRefund` answers, in order of creation.
    pub refunds: Vec<Value>,
    /// `idempotency_key` → refund id.
    pub keys: BTreeMap<String, String>,
}

impl Kept for RefundState {
    const KEY: &'static str = "transfer_refunds";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a refund of a transfer never made or of a credit, or for more than is left of the transfer; a `refund_id` never made",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/transfer/refund/cancel` on a refund no longer pending",
        400,
        "TRANSFER_ERROR",
        "TRANSFER_NOT_CANCELLABLE",
    ),
    Refusal::new(
        "a refund simulation its status does not allow, or `refund.posted` before the refunded transfer settled",
        400,
        "SANDBOX_ERROR",
        "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/transfer/refund/create", |state, body| {
        Some(create(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/refund/get", |state, body| {
        let id = text(body, "refund_id");
        Some(refund(state, id).map(|r| json!({ "refund": r })))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/transfer/refund/cancel", |state, body| {
        let id = text(body, "refund_id");
        Some(cancel(state, id))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/transfer/refund/simulate", |state, body| {
        let id = text(body, "refund_id");
        Some(simulate(state, id, body))
    })
    .refuses_samples("INVALID_FIELD"),
];

fn refund(state: &State, id: &str) -> Result<Value, ErrorAnswer> {
    state
        .products
        .get::<RefundState>()
        .refunds
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .ok_or_else(|| unknown_id("refund_id", id))
}

/// Sets refund `id`'s status, records its event and moves the ledger.
fn move_to(state: &mut State, id: &str, status: &str, failure: Value) -> Result<(), ErrorAnswer> {
    let stored = state
        .products
        .get_mut::<RefundState>()
        .refunds
        .iter_mut()
        .find(|r| r["id"] == id)
        .ok_or_else(|| unknown_id("refund_id", id))?;
    stored["status"] = json!(status);
    stored["failure_reason"] = failure;
    let refund = stored.clone();
    let transfer_id = refund["transfer_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ledger::refund_event(state, &refund, status);
    record_refund_event(state, &transfer_id, &format!("refund.{status}"), &refund);
    Ok(())
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let key = text(body, "idempotency_key");
    if let Some(id) = state
        .products
        .get_mut::<RefundState>()
        .keys
        .get(key)
        .cloned()
    {
        return refund(state, &id).map(|r| json!({ "refund": r }));
    }
    let transfer_id = text(body, "transfer_id");
    let transfer = state
        .products
        .get_mut::<TransferState>()
        .transfers
        .iter()
        .find(|t| t.json["id"] == transfer_id)
        .map(|t| t.json.clone())
        .ok_or_else(|| unknown_id("transfer_id", transfer_id))?;
    if transfer["type"] != "debit" {
        return Err(errors::invalid_field(format!(
            "transfer_id {transfer_id:?} is a credit; only debit transfers can be refunded"
        )));
    }
    let amount = cents("amount", text(body, "amount"))?;
    let paid = transfer["amount"]
        .as_str()
        .and_then(|a| cents("amount", a).ok())
        .unwrap_or(0);
    let refunded: i64 = state
        .products
        .get_mut::<RefundState>()
        .refunds
        .iter()
        .filter(|r| r["transfer_id"] == transfer_id)
        .filter(|r| {
            !matches!(
                r["status"].as_str(),
                Some("cancelled" | "failed" | "returned")
            )
        })
        .filter_map(|r| r["amount"].as_str().and_then(|a| cents("amount", a).ok()))
        .sum();
    if amount > paid - refunded {
        return Err(errors::invalid_field(format!(
            "amount {} is more than the {} of the transfer not refunded yet",
            amount_text(amount),
            amount_text(paid - refunded)
        )));
    }
    let id = state.rng.uuid();
    let ledger_id = ledger::default_id(state);
    let made = json!({
        "id": id, "transfer_id": transfer_id, "amount": amount_text(amount),
        "status": "pending", "failure_reason": null, "ledger_id": ledger_id,
        "created": rfc3339(state.now()), "network_trace_id": null,
    });
    let refunds = &mut state.products.get_mut::<RefundState>();
    refunds.refunds.push(made);
    refunds.keys.insert(key.to_owned(), id.clone());
    move_to(state, &id, "pending", Value::Null)?;
    refund(state, &id).map(|r| json!({ "refund": r }))
}

fn cancel(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    if refund(state, id)?["status"] != "pending" {
        return Err(ErrorAnswer::new(
            400,
            "TRANSFER_ERROR",
            "TRANSFER_NOT_CANCELLABLE",
            "the refund has been sent to the network and can no longer be cancelled",
        ));
    }
    move_to(state, id, "cancelled", Value::Null)?;
    Ok(json!({}))
}

fn simulate(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let current = refund(state, id)?;
    let status = current["status"].as_str().unwrap_or_default();
    let event = text(body, "event_type");
    let to = event.strip_prefix("refund.").unwrap_or(event);
    let allowed = matches!(
        (status, to),
        ("pending", "posted" | "failed") | ("posted", "settled" | "returned")
    );
    let transfer_settled = state
        .products
        .get_mut::<TransferState>()
        .transfers
        .iter()
        .any(|t| {
            t.json["id"] == current["transfer_id"]
                && matches!(
                    t.json["status"].as_str(),
                    Some("settled" | "funds_available")
                )
        });
    if !allowed || (to == "posted" && !transfer_settled) {
        return Err(ErrorAnswer::new(
            400,
            "SANDBOX_ERROR",
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID",
            format!("a {status} refund cannot take {event:?}; pending takes refund.posted (once the transfer has settled) or refund.failed, posted takes refund.settled or refund.returned"),
        ));
    }
    move_to(state, id, to, failure_reason(body, to))?;
    Ok(json!({}))
}
