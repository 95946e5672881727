//! Transfer sweeps: `/sandbox/transfer/sweep/simulate` sweeps the settled
//! transfers not swept yet into one sweep (debits in, credits out, netted),
//! and `/transfer/sweep/get` and `/transfer/sweep/list` read the sweeps
//! back, the Plaid Ledger's deposit and withdrawal sweeps among them.

use serde_json::{json, Map, Value};

use super::record_event;
use crate::kernel::errors::unknown_id;
use crate::kernel::errors::ErrorAnswer;
use crate::kernel::time::rfc3339;
use crate::kit::example::example;
use crate::kit::money::{amount_text, cents};
use crate::kit::paging::{count_offset, window, within};
use crate::kit::route::Route;
use crate::products::transfer::TransferState;
use crate::sandbox::State;

/// `/sandbox/transfer/sweep/simulate`, whose example is the shape of every
/// sweep.
pub(super) const SIMULATE: Route =
    Route::new("/sandbox/transfer/sweep/simulate", |state, _body| {
        Some(sweep_simulate(state))
    });

/// Sweeps every settled transfer not swept yet (the sandbox sweeps on
/// request).
fn sweep_simulate(state: &mut State) -> Result<Value, ErrorAnswer> {
    let ready: Vec<usize> = state
        .products
        .get_mut::<TransferState>()
        .transfers
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.json["sweep_status"] == "unswept"
                && matches!(
                    t.json["status"].as_str(),
                    Some("settled" | "funds_available")
                )
        })
        .map(|(i, _)| i)
        .collect();
    if ready.is_empty() {
        return Ok(json!({}));
    }
    // A debit brings money in (it shows as a credit to the sweep account).
    let net: i64 = ready
        .iter()
        .map(|&i| {
            let t = &state.products.get_mut::<TransferState>().transfers[i].json;
            let amount = t["amount"]
                .as_str()
                .and_then(|a| cents("amount", a).ok())
                .unwrap_or(0);
            if t["type"] == "debit" {
                amount
            } else {
                -amount
            }
        })
        .sum();
    let now = state.now();
    let mut sweep = example(SIMULATE.path)["sweep"].take();
    sweep["id"] = json!(state.rng.uuid());
    sweep["created"] = json!(rfc3339(now));
    sweep["amount"] = json!(amount_text(net));
    sweep["iso_currency_code"] = json!("USD");
    sweep["settled"] = json!(crate::sandbox::data::format_date(now.date()));
    sweep["status"] = json!("settled");
    sweep["trigger"] = json!("automatic_aggregate");
    sweep["description"] = json!("sweep of settled transfers");
    sweep["network_trace_id"] = Value::Null;
    let ids: Vec<String> = ready
        .iter()
        .map(|&i| {
            let t = &mut state.products.get_mut::<TransferState>().transfers[i].json;
            t["sweep_status"] = json!("swept");
            t["id"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    sweep["transfer_ids"] = json!(ids);
    for id in &ids {
        record_event(state, id, "swept", Some(&sweep));
    }
    let stored = sweep.clone();
    state
        .products
        .get_mut::<TransferState>()
        .sweeps
        .push(stored);
    if let Some(s) = sweep.as_object_mut() {
        s.remove("transfer_ids");
    }
    Ok(json!({"sweep": sweep}))
}

/// A stored sweep as Plaid's `TransferSweep` (without our bookkeeping).
fn sweep_json(sweep: &Value) -> Value {
    let mut sweep = sweep.clone();
    if let Some(s) = sweep.as_object_mut() {
        s.remove("transfer_ids");
        s.remove("ledger_direction");
    }
    sweep
}

pub(crate) fn sweep_get(state: &State, id: &str) -> Result<Value, ErrorAnswer> {
    state
        .products
        .get::<TransferState>()
        .sweeps
        .iter()
        .find(|s| s["id"] == id)
        .map(|s| json!({"sweep": sweep_json(s)}))
        .ok_or_else(|| unknown_id("sweep_id", id))
}

pub(crate) fn sweep_list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (count, offset) = count_offset(body, 25, 25)?;
    let (start, end) = window(body)?;
    let transfer_id = body.get("transfer_id").and_then(Value::as_str);
    let sweeps: Vec<Value> = state
        .products
        .get::<TransferState>()
        .sweeps
        .iter()
        .rev()
        .filter(|s| within(&s["created"], (start, end)))
        .filter(|s| {
            transfer_id.is_none_or(|id| {
                s["transfer_ids"]
                    .as_array()
                    .is_some_and(|ids| ids.iter().any(|i| i == id))
            })
        })
        .skip(offset)
        .take(count)
        .map(sweep_json)
        .collect();
    Ok(json!({"sweeps": sweeps}))
}
