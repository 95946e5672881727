//! Payment consents (UK variable recurring payments) as the sandbox runs
//! them: a consent is made `UNAUTHORISED` for a recipient the client made,
//! keeps the reference, type, scopes and constraints it was sent with, and
//! becomes `AUTHORISED` once the user approves it in Link — which the fake
//! stands in for with [`crate::MockPlaid::authorise_consent`] (or
//! `POST /_mock/consents/authorise`); [`crate::MockPlaid::reject_consent`]
//! (`POST /_mock/consents/reject`) stands in for the user declining it.
//! Each status change sends `CONSENT_STATUS_UPDATE` to the webhook of the
//! link token made for the consent. Payments executed on an authorised
//! consent must fit its window, its per-payment maximum and its periodic
//! limits; they join the Payment Initiation payments (so `/payment/get` and
//! `/payment/list` show them, `consent_id` set). A revoked consent takes no
//! more payments; a consent whose `valid_date_time.to` has passed reads as
//! `EXPIRED`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::{Date, Duration, Month, OffsetDateTime, Time};

use super::payment_initiation::{recipient_exists, StoredPayment};
use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::fields::{sent, text};
use crate::kit::money::amount_text;
use crate::kit::route::Route;
use crate::products::link_token::LinkTokenState;
use crate::products::payment_initiation::PaymentInitiationState;
use crate::sandbox::store::Kept;
use crate::sandbox::{PendingWebhook, State};

/// How long a repeated `idempotency_key` gives back the first payment.
const IDEMPOTENCY_WINDOW: Duration = Duration::hours(48);

/// Payment statuses that moved no money, so count against no limit.
const FAILED: &[&str] = &[
    "PAYMENT_STATUS_FAILED",
    "PAYMENT_STATUS_REJECTED",
    "PAYMENT_STATUS_CANCELLED",
    "PAYMENT_STATUS_INSUFFICIENT_FUNDS",
    "PAYMENT_STATUS_BLOCKED",
];

/// One consent and when it was made.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StoredConsent {
    /// Unix seconds.
    pub created: i64,
    /// The `PaymentInitiationConsent` answer as it is now.
    pub json: Value,
}

/// A payment executed with an idempotency key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct KeyedPayment {
    pub idempotency_key: String,
    pub payment_id: String,
    /// Unix seconds.
    pub at: i64,
}

/// What the consents remember.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PaymentConsentState {
    /// In order of creation.
    pub consents: Vec<StoredConsent>,
    /// Every executed payment's idempotency key.
    pub keys: Vec<KeyedPayment>,
}

impl Kept for PaymentConsentState {
    const KEY: &'static str = "payment_consent";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `consent_id` never created, on consent get, revoke or payment execute",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a consent payment executed on a consent that is not `AUTHORISED` (not yet authorised, revoked, rejected, or expired past `valid_date_time.to`) or before `valid_date_time.from`",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a consent payment above `max_payment_amount`, one taking the current period past a `periodic_amounts` limit, or in another currency than the consent's",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a consent authorised or rejected through the control API after the user already decided (rejected, authorised, revoked or expired)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/payment_initiation/consent/create", |state, body| {
        Some(create(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/consent/get", |state, body| {
        Some(consent(state, text(body, "consent_id")).map(|c| c.json.clone()))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/consent/revoke", |state, body| {
        Some(revoke(state, text(body, "consent_id")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new(
        "/payment_initiation/consent/payment/execute",
        |state, body| Some(execute(state, body)),
    )
    .refuses_samples("INVALID_FIELD"),
];

/// What the user approving a consent in Link does: an `UNAUTHORISED`
/// consent becomes `AUTHORISED` (authorising one again changes nothing);
/// a revoked, rejected or expired one cannot be.
pub(crate) fn authorise(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    decide(state, id, "AUTHORISED", &["UNAUTHORISED", "AUTHORISED"])
}

/// What the user declining a consent in Link does: an `UNAUTHORISED`
/// consent becomes `REJECTED` (and takes no payments); one the user already
/// decided on cannot be.
pub(crate) fn reject(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    decide(state, id, "REJECTED", &["UNAUTHORISED", "REJECTED"])
}

/// Moves consent `id` to `to` if its status is one of `from`, and tells
/// the client (see [`status_changed`]).
fn decide(state: &mut State, id: &str, to: &str, from: &[&str]) -> Result<Value, ErrorAnswer> {
    let old = consent(state, id)?.json["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if !from.contains(&old.as_str()) {
        let verb = if to == "AUTHORISED" {
            "authorised"
        } else {
            "rejected"
        };
        return Err(errors::invalid_field(format!(
            "consent {id:?} is {old} and cannot be {verb}"
        )));
    }
    consent_mut(state, id)?.json["status"] = json!(to);
    status_changed(state, id, &old, to);
    consent(state, id).map(|c| c.json.clone())
}

/// Sends `PAYMENT_INITIATION: CONSENT_STATUS_UPDATE` when a consent's
/// status changed, to the webhook of the link token made for the consent
/// (`payment_initiation.consent_id`), as Plaid sends Payment Initiation
/// webhooks to the Link session's webhook. No such token, no webhook.
fn status_changed(state: &mut State, id: &str, old: &str, new: &str) {
    if old == new {
        return;
    }
    let url = state
        .products
        .get_mut::<LinkTokenState>()
        .tokens
        .values()
        .filter(|t| {
            t.request
                .get("payment_initiation")
                .and_then(|p| p.get("consent_id"))
                == Some(&json!(id))
        })
        .find_map(|t| {
            t.request
                .get("webhook")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    let Some(url) = url else {
        return;
    };
    let body = json!({
        "webhook_type": "PAYMENT_INITIATION", "webhook_code": "CONSENT_STATUS_UPDATE",
        "consent_id": id, "old_status": old, "new_status": new,
        "timestamp": rfc3339(state.now()), "error": null, "environment": "sandbox",
    });
    state.outbox.push(PendingWebhook {
        item_id: String::new(),
        url: Some(url),
        body,
    });
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let recipient_id = text(body, "recipient_id");
    recipient_exists(state, recipient_id)?;
    // The spec bounds `reference` (1 to 18 characters): the request
    // checks refuse others before this.
    let reference = text(body, "reference");
    let now = state.now();
    let id = format!("consent-id-sandbox-{}", state.rng.uuid());
    let mut consent = json!({
        "consent_id": id,
        "status": "UNAUTHORISED",
        "created_at": rfc3339(now),
        "recipient_id": recipient_id,
        "reference": reference,
        "constraints": sent(body, "constraints"),
    });
    for optional in ["type", "scopes", "payer_details"] {
        if let Some(value) = body.get(optional).filter(|v| !v.is_null()) {
            consent[optional] = value.clone();
        }
    }
    state
        .products
        .get_mut::<PaymentConsentState>()
        .consents
        .push(StoredConsent {
            created: crate::kernel::time::unix(now),
            json: consent,
        });
    Ok(json!({"consent_id": id, "status": "UNAUTHORISED"}))
}

/// The consent `id`, its status brought up to the fake's clock first (an
/// authorised or unauthorised consent past `valid_date_time.to` expires).
fn consent<'s>(state: &'s mut State, id: &str) -> Result<&'s StoredConsent, ErrorAnswer> {
    consent_mut(state, id).map(|c| &*c)
}

fn consent_mut<'s>(state: &'s mut State, id: &str) -> Result<&'s mut StoredConsent, ErrorAnswer> {
    let now = state.now();
    let stored = state
        .products
        .get_mut::<PaymentConsentState>()
        .consents
        .iter_mut()
        .find(|c| c.json["consent_id"] == id)
        .ok_or_else(|| unknown_id("consent_id", id))?;
    let ends = stored.json["constraints"]["valid_date_time"]["to"]
        .as_str()
        .and_then(crate::kernel::time::parse_time);
    let live = matches!(
        stored.json["status"].as_str(),
        Some("UNAUTHORISED" | "AUTHORISED")
    );
    if live && ends.is_some_and(|to| to <= now) {
        stored.json["status"] = json!("EXPIRED");
    }
    Ok(stored)
}

fn revoke(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    let stored = consent_mut(state, id)?;
    let old = stored.json["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    stored.json["status"] = json!("REVOKED");
    status_changed(state, id, &old, "REVOKED");
    Ok(json!({}))
}

/// An amount in cents, if `amount.value` is a number.
fn cents_of(amount: &Value) -> Option<i64> {
    amount["value"]
        .as_f64()
        .filter(|v| v.is_finite())
        .map(|v| (v * 100.0).round() as i64)
}

fn execute(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let id = text(body, "consent_id");
    let now = state.now();
    let consent = consent(state, id)?.clone();
    let key = text(body, "idempotency_key");
    // A retry within the window answers with the payment the key made.
    let window_start =
        crate::kernel::time::unix(now.checked_sub(IDEMPOTENCY_WINDOW).unwrap_or(now));
    let earlier = state
        .products
        .get_mut::<PaymentConsentState>()
        .keys
        .iter()
        .find(|k| k.idempotency_key == key && k.at > window_start)
        .map(|k| k.payment_id.clone());
    if let Some(payment_id) = earlier {
        let status = state
            .products
            .get_mut::<PaymentInitiationState>()
            .payments
            .iter()
            .find(|p| p.json["payment_id"] == payment_id.as_str())
            .map(|p| p.json["status"].clone())
            .unwrap_or(json!("PAYMENT_STATUS_INITIATED"));
        return Ok(json!({"payment_id": payment_id, "status": status}));
    }
    let status = consent.json["status"].as_str().unwrap_or_default();
    if status != "AUTHORISED" {
        return Err(errors::invalid_field(format!(
            "consent_id {id:?} is {status}; payments need an AUTHORISED consent"
        )));
    }
    let constraints = &consent.json["constraints"];
    if let Some(from) = constraints["valid_date_time"]["from"]
        .as_str()
        .and_then(crate::kernel::time::parse_time)
    {
        if now < from {
            return Err(errors::invalid_field(format!(
                "consent_id {id:?} is valid only from {}",
                rfc3339(from)
            )));
        }
    }
    let amount = sent(body, "amount");
    let Some(cents) = cents_of(&amount).filter(|c| *c > 0) else {
        return Err(errors::invalid_field(
            "amount.value must be a number greater than 0",
        ));
    };
    let max = &constraints["max_payment_amount"];
    if let Some(currency) = max["currency"].as_str() {
        if amount["currency"].as_str() != Some(currency) {
            return Err(errors::invalid_field(format!(
                "amount.currency must be the consent's currency, {currency}"
            )));
        }
    }
    if let Some(limit) = cents_of(max).filter(|limit| cents > *limit) {
        return Err(errors::invalid_field(format!(
            "amount.value is above the consent's max_payment_amount of {}",
            amount_text(limit)
        )));
    }
    for periodic in constraints["periodic_amounts"]
        .as_array()
        .into_iter()
        .flatten()
    {
        check_period(state, &consent, periodic, cents, now)?;
    }
    let reference = match body.get("reference").and_then(Value::as_str) {
        Some(reference) => reference.to_owned(),
        None => consent.json["reference"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    };
    let payment_id = format!("payment-id-sandbox-{}", state.rng.uuid());
    let payment = json!({
        "payment_id": payment_id,
        "amount": amount,
        "status": "PAYMENT_STATUS_INITIATED",
        "recipient_id": consent.json["recipient_id"],
        "reference": reference,
        "adjusted_reference": reference,
        "last_status_update": rfc3339(now),
        "bacs": null,
        "iban": null,
        "refund_ids": null,
        "consent_id": id,
        "transaction_id": null,
        "end_to_end_id": null,
    });
    state
        .products
        .get_mut::<PaymentInitiationState>()
        .payments
        .push(StoredPayment {
            created: crate::kernel::time::unix(now),
            json: payment,
        });
    state
        .products
        .get_mut::<PaymentConsentState>()
        .keys
        .push(KeyedPayment {
            idempotency_key: key.to_owned(),
            payment_id: payment_id.clone(),
            at: crate::kernel::time::unix(now),
        });
    Ok(json!({"payment_id": payment_id, "status": "PAYMENT_STATUS_INITIATED"}))
}

/// Refuses a payment of `cents` that would take the consent's payments in
/// the current period of `periodic` past its amount.
fn check_period(
    state: &State,
    consent: &StoredConsent,
    periodic: &Value,
    cents: i64,
    now: OffsetDateTime,
) -> Result<(), ErrorAnswer> {
    let Some(limit) = cents_of(&periodic["amount"]) else {
        return Ok(());
    };
    let interval = periodic["interval"].as_str().unwrap_or_default();
    let created = OffsetDateTime::from_unix_timestamp(consent.created).unwrap_or(now);
    let start = match periodic["alignment"].as_str() {
        Some("CONSENT") => consent_period_start(created, interval, now),
        _ => calendar_period_start(interval, now),
    };
    let Some(start) = start else {
        return Ok(());
    };
    let start = crate::kernel::time::unix(start);
    let id = &consent.json["consent_id"];
    let spent: i64 = state
        .products
        .get::<PaymentInitiationState>()
        .payments
        .iter()
        .filter(|p| &p.json["consent_id"] == id && p.created >= start)
        .filter(|p| !FAILED.contains(&p.json["status"].as_str().unwrap_or_default()))
        .filter_map(|p| cents_of(&p.json["amount"]))
        .sum();
    if spent.saturating_add(cents) > limit {
        return Err(errors::invalid_field(format!(
            "amount.value would take this {} past the consent's periodic limit of {} ({} already paid)",
            interval.to_lowercase(),
            amount_text(limit),
            amount_text(spent)
        )));
    }
    Ok(())
}

/// The start of the calendar day, week (Monday), month or year holding
/// `now`, in UTC.
fn calendar_period_start(interval: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let today = now.date();
    let date = match interval {
        "DAY" => today,
        "WEEK" => today.checked_sub(Duration::days(i64::from(
            today.weekday().number_days_from_monday(),
        )))?,
        "MONTH" => Date::from_calendar_date(today.year(), today.month(), 1).ok()?,
        "YEAR" => Date::from_calendar_date(today.year(), Month::January, 1).ok()?,
        _ => return None,
    };
    Some(date.with_time(Time::MIDNIGHT).assume_utc())
}

/// The start of the period holding `now` when periods are counted from the
/// consent's creation.
fn consent_period_start(
    created: OffsetDateTime,
    interval: &str,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let fixed = |length: Duration| {
        let periods = ((now - created).whole_seconds() / length.whole_seconds()).max(0);
        created.checked_add(Duration::seconds(periods * length.whole_seconds()))
    };
    let months = |step: i32| {
        let elapsed =
            (now.year() - created.year()) * 12 + now.month() as i32 - created.month() as i32;
        let mut periods = (elapsed / step).max(0);
        loop {
            match add_months(created, periods * step) {
                Some(start) if start <= now || periods == 0 => return Some(start),
                Some(_) => periods -= 1,
                None => return None,
            }
        }
    };
    match interval {
        "DAY" => fixed(Duration::DAY),
        "WEEK" => fixed(Duration::WEEK),
        "MONTH" => months(1),
        "YEAR" => months(12),
        _ => None,
    }
}

/// `at` moved on `months` calendar months, the day kept where the month
/// has it (else its last day).
fn add_months(at: OffsetDateTime, months: i32) -> Option<OffsetDateTime> {
    let index = at.year() * 12 + at.month() as i32 - 1 + months;
    let year = index.div_euclid(12);
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = at.day().min(month.length(year));
    let date = Date::from_calendar_date(year, month, day).ok()?;
    Some(date.with_time(at.time()).assume_offset(at.offset()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn consent_aligned_periods_count_from_creation() {
        let made = datetime!(2024-01-31 10:00 UTC);
        let start = |interval, now| consent_period_start(made, interval, now);
        // February has no 31st: its period starts on the 29th (2024).
        assert_eq!(
            start("MONTH", datetime!(2024-03-05 00:00 UTC)),
            Some(datetime!(2024-02-29 10:00 UTC))
        );
        assert_eq!(
            start("MONTH", datetime!(2024-03-31 10:00 UTC)),
            Some(datetime!(2024-03-31 10:00 UTC))
        );
        assert_eq!(start("YEAR", datetime!(2025-01-31 09:59 UTC)), Some(made));
        assert_eq!(
            start("WEEK", datetime!(2024-02-08 00:00 UTC)),
            Some(datetime!(2024-02-07 10:00 UTC))
        );
        assert_eq!(start("DAY", made), Some(made));
        assert_eq!(start("FORTNIGHT", made), None);
    }

    #[test]
    fn calendar_periods_start_at_midnight_utc() {
        let now = datetime!(2024-05-16 15:30 UTC); // a Thursday
        let start = |interval| calendar_period_start(interval, now);
        assert_eq!(start("DAY"), Some(datetime!(2024-05-16 00:00 UTC)));
        assert_eq!(start("WEEK"), Some(datetime!(2024-05-13 00:00 UTC)));
        assert_eq!(start("MONTH"), Some(datetime!(2024-05-01 00:00 UTC)));
        assert_eq!(start("YEAR"), Some(datetime!(2024-01-01 00:00 UTC)));
    }
}
