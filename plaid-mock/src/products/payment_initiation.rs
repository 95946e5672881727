//! Payment Initiation (UK and Europe) as the sandbox runs it: recipients
//! keep the name, `iban` or `bacs` and address they were made with;
//! payments start in `PAYMENT_STATUS_INPUT_NEEDED` and
//! `/sandbox/payment/simulate` moves them; the older
//! `/payment_initiation/payment/token/create` gives a payment of this
//! client a token for Link that expires after 15 minutes.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::fields::{sent, text};
use crate::kit::paging;
use crate::kit::route::{FieldError, Route};
use crate::sandbox::events::Event;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// A payment and when it was made.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StoredPayment {
    /// Unix seconds.
    pub created: i64,
    /// The `PaymentInitiationPayment` answer as it is now.
    pub json: Value,
}

/// What Payment Initiation remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PaymentInitiationState {
    /// `PaymentInitiationRecipient`s in order of creation.
    pub recipients: Vec<Value>,
    /// In order of creation.
    pub payments: Vec<StoredPayment>,
}

impl Kept for PaymentInitiationState {
    const KEY: &'static str = "payment_initiation";
}

/// The statuses `/sandbox/payment/simulate` may set.
const SIMULATED: &[&str] = &[
    "PAYMENT_STATUS_INITIATED",
    "PAYMENT_STATUS_INSUFFICIENT_FUNDS",
    "PAYMENT_STATUS_FAILED",
    "PAYMENT_STATUS_EXECUTED",
    "PAYMENT_STATUS_SETTLED",
    "PAYMENT_STATUS_CANCELLED",
    "PAYMENT_STATUS_REJECTED",
];

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `recipient_id` never created, on `/payment_initiation/payment/create` or `/payment_initiation/consent/create`",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/payment_initiation/payment/token/create` for a `payment_id` never made",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/payment_initiation/payment/reverse` on a payment that is not settled, was not paid into a virtual account, or for more than is left to refund",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/payment_initiation/recipient/create", |state, body| {
        Some(create_recipient(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/recipient/get", |state, body| {
        Some(recipient(state, text(body, "recipient_id")).cloned())
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/recipient/list", |state, body| {
        Some(list_recipients(state, body))
    }),
    Route::new("/payment_initiation/payment/create", |state, body| {
        Some(create_payment(state, body))
    })
    .refuses_samples("INVALID_FIELD")
    .field_errors(&[FieldError {
        field: "reference",
        error_type: "PAYMENT_ERROR",
        error_code: "PAYMENT_INVALID_REFERENCE",
    }]),
    Route::new("/payment_initiation/payment/get", |state, body| {
        Some(payment(state, text(body, "payment_id")).map(|p| p.json.clone()))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/payment/list", |state, body| {
        Some(list_payments(state, body))
    }),
    Route::new("/payment_initiation/payment/token/create", |state, body| {
        Some({
            payment(state, text(body, "payment_id"))
                .map(drop)
                .map(|()| {
                    // A payment token lives 15 minutes.
                    let expires = state.now() + time::Duration::minutes(15);
                    json!({"payment_token": format!("payment-token-sandbox-{}", state.rng.uuid()),
                       "payment_token_expiration_time": rfc3339(expires)})
                })
        })
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/payment/simulate", |state, body| {
        Some(simulate(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
];

fn create_recipient(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let iban = body.get("iban").filter(|i| i.is_string());
    let bacs = body.get("bacs").filter(|b| b.is_object());
    if iban.is_none() && bacs.is_none() {
        return Err(errors::invalid_field(
            "a recipient needs an iban or bacs (account and sort_code)",
        ));
    }
    if let Some(bacs) = bacs {
        let has = |name: &str| bacs.get(name).is_some_and(Value::is_string);
        if !has("account") || !has("sort_code") {
            return Err(errors::invalid_field(
                "bacs needs both account and sort_code as strings",
            ));
        }
    }
    let id = format!("recipient-id-sandbox-{}", state.rng.uuid());
    let mut recipient = json!({"recipient_id": id, "name": sent(body, "name"),
                               "iban": iban.cloned(), "bacs": bacs.cloned()});
    if let Some(address) = body.get("address").filter(|a| a.is_object()) {
        recipient["address"] = address.clone();
    }
    state
        .products
        .get_mut::<PaymentInitiationState>()
        .recipients
        .push(recipient);
    Ok(json!({"recipient_id": id}))
}

/// Refuses a `recipient_id` this client never made.
pub(crate) fn recipient_exists(state: &State, id: &str) -> Result<(), ErrorAnswer> {
    recipient(state, id).map(drop)
}

fn recipient<'s>(state: &'s State, id: &str) -> Result<&'s Value, ErrorAnswer> {
    state
        .products
        .get::<PaymentInitiationState>()
        .recipients
        .iter()
        .find(|r| r["recipient_id"] == id)
        .ok_or_else(|| unknown_id("recipient_id", id))
}

/// `count` between 1 and 200 (default `default`).
fn count(body: &Map<String, Value>, default: i64) -> Result<usize, ErrorAnswer> {
    paging::count(body, default, 200)
}

fn list_recipients(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let count = count(body, 100)?;
    // Newest first, as Plaid lists payments and recipients.
    let all: Vec<&Value> = state
        .products
        .get::<PaymentInitiationState>()
        .recipients
        .iter()
        .rev()
        .collect();
    // The cursor is the id of the last recipient of the previous page.
    let start = match body.get("cursor").and_then(Value::as_str) {
        None | Some("") => 0,
        Some(cursor) => {
            all.iter()
                .position(|r| r["recipient_id"] == cursor)
                .ok_or_else(|| errors::invalid_field("cursor is not one this client was given"))?
                + 1
        }
    };
    let page: Vec<&Value> = all.iter().skip(start).take(count).copied().collect();
    let mut answer = json!({"recipients": page});
    if start + page.len() < all.len() {
        if let Some(last) = page.last() {
            answer["next_cursor"] = last["recipient_id"].clone();
        }
    }
    Ok(answer)
}

fn create_payment(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let recipient_id = text(body, "recipient_id");
    recipient(state, recipient_id)?;
    let amount = body.get("amount").filter(|a| a.is_object());
    let value = amount.and_then(|a| a.get("value")).and_then(Value::as_f64);
    if !value.is_some_and(|v| v > 0.0) {
        return Err(errors::invalid_field(
            "amount.value must be a number greater than 0",
        ));
    }
    let reference = text(body, "reference");
    if reference.is_empty() || reference.len() > 18 {
        return Err(ErrorAnswer::new(
            400,
            "PAYMENT_ERROR",
            "PAYMENT_INVALID_REFERENCE",
            "the reference must be between 1 and 18 characters",
        ));
    }
    let now = state.now();
    let id = format!("payment-id-sandbox-{}", state.rng.uuid());
    let options = body.get("options").filter(|o| o.is_object());
    let option = |name: &str| {
        options
            .and_then(|o| o.get(name))
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut payment = json!({
        "payment_id": id,
        "amount": amount.cloned(),
        "status": "PAYMENT_STATUS_INPUT_NEEDED",
        "recipient_id": recipient_id,
        "reference": reference,
        "adjusted_reference": reference,
        "last_status_update": rfc3339(now),
        "bacs": option("bacs"),
        "iban": option("iban"),
        "refund_ids": null,
        "consent_id": null,
        "transaction_id": null,
        "end_to_end_id": null,
    });
    if let Some(schedule) = body.get("schedule").filter(|s| s.is_object()) {
        payment["schedule"] = schedule.clone();
    }
    if let Some(scheme) = option("scheme").as_str() {
        payment["scheme"] = json!(scheme);
    }
    state
        .products
        .get_mut::<PaymentInitiationState>()
        .payments
        .push(StoredPayment {
            created: crate::kernel::time::unix(now),
            json: payment,
        });
    Ok(json!({"payment_id": id, "status": "PAYMENT_STATUS_INPUT_NEEDED"}))
}

fn payment<'s>(state: &'s State, id: &str) -> Result<&'s StoredPayment, ErrorAnswer> {
    state
        .products
        .get::<PaymentInitiationState>()
        .payments
        .iter()
        .find(|p| p.json["payment_id"] == id)
        .ok_or_else(|| unknown_id("payment_id", id))
}

/// Newest first; the cursor is a time, and a page holds payments made
/// before it; `next_cursor` is the creation time of the page's last one.
fn list_payments(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let count = count(body, 10)?;
    let before = match body.get("cursor").and_then(Value::as_str) {
        None | Some("") => i64::MAX,
        Some(cursor) => crate::kernel::time::parse_time(cursor)
            .map(crate::kernel::time::unix)
            .ok_or_else(|| {
                errors::invalid_field(format!("cursor must be an RFC 3339 time, got {cursor:?}"))
            })?,
    };
    let consent = body.get("consent_id").and_then(Value::as_str);
    let matching: Vec<&StoredPayment> = state
        .products
        .get::<PaymentInitiationState>()
        .payments
        .iter()
        .rev()
        .filter(|p| p.created < before)
        .filter(|p| consent.is_none_or(|c| p.json["consent_id"] == c))
        .collect();
    let page: Vec<&Value> = matching.iter().take(count).map(|p| &p.json).collect();
    let next_cursor = (matching.len() > count)
        .then(|| {
            matching
                .get(count - 1)
                .map(|p| crate::kernel::time::rfc3339_of(p.created))
        })
        .flatten();
    Ok(json!({"payments": page, "next_cursor": next_cursor}))
}

fn simulate(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let id = text(body, "payment_id");
    let status = text(body, "status");
    if !SIMULATED.contains(&status) {
        return Err(errors::invalid_field(format!(
            "status {status:?} cannot be simulated; use one of {}",
            SIMULATED.join(", ")
        )));
    }
    payment(state, id)?;
    let now = rfc3339(state.now());
    let stored = state
        .products
        .get_mut::<PaymentInitiationState>()
        .payments
        .iter_mut()
        .find(|p| p.json["payment_id"] == id)
        .ok_or_else(|| unknown_id("payment_id", id))?;
    let old = std::mem::replace(&mut stored.json["status"], json!(status));
    stored.json["last_status_update"] = json!(now);
    if status == "PAYMENT_STATUS_SETTLED" && old != status {
        let settled = stored.json.clone();
        state.emit(Event::PaymentSettled { payment: &settled });
    }
    Ok(json!({"old_status": old, "new_status": status}))
}
