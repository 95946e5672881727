//! Virtual Accounts (UK and Europe): e-wallets, their transactions, and
//! the balance those move.
//!
//! - `/wallet/create` makes an `ACTIVE` wallet with a zero balance in the
//!   currency sent, account numbers (BACS for GBP, an IBAN for EUR) and a
//!   Payment Initiation recipient of its own; `/wallet/get` and
//!   `/wallet/list` (newest first, `iso_currency_code`, `count`, cursor)
//!   read them back. As in Plaid's sandbox, a wallet is funded only
//!   through Payment Initiation.
//! - A payment to the wallet's recipient that settles
//!   (`/sandbox/payment/simulate`) pays in: a `PIS_PAY_IN` transaction,
//!   `SETTLED`, and the balance grows.
//! - `/wallet/transaction/execute` pays out: a `PAYOUT` transaction,
//!   `INITIATED`, for the amount and counterparty sent; `available` and
//!   `current` drop by the amount. A payout above `available` is refused
//!   with `TRANSACTION_INSUFFICIENT_FUNDS`, as Plaid documents; the same
//!   `idempotency_key` within 24 hours gives back the first transaction.
//! - `/payment_initiation/payment/reverse` refunds a settled pay-in from
//!   the wallet (all that is left of it, or the amount sent): a `REFUND`
//!   transaction whose id is the `refund_id`, and the payment's
//!   `refund_ids` and `amount_refunded`.
//! - `/wallet/transaction/get` and `/wallet/transaction/list` (newest
//!   first, `count`, a cursor naming the first transaction of the next
//!   page, `options.start_time`/`end_time`) read the transactions back.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::fields::{sent, text};
use crate::kit::paging;
use crate::kit::route::Route;
use crate::products::payment_initiation::PaymentInitiationState;
use crate::sandbox::events::Event;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// How long a repeated `idempotency_key` gives back the first transaction
/// (or refund).
const IDEMPOTENCY_WINDOW: Duration = Duration::hours(24);

/// One wallet transaction.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StoredTransaction {
    /// Unix seconds.
    pub created: i64,
    /// The key it was executed with, if any (payouts and refunds).
    pub idempotency_key: Option<String>,
    /// The `WalletTransaction` answer as it is now.
    pub json: Value,
}

/// What the wallets remember.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct WalletState {
    /// `Wallet` answers, in order of creation.
    pub wallets: Vec<Value>,
    /// In order of creation.
    pub transactions: Vec<StoredTransaction>,
}

impl Kept for WalletState {
    const KEY: &'static str = "wallet";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `wallet_id` never made, a wallet `transaction_id` never made, or a transaction list `cursor` the list never gave",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a wallet payout in another currency than the wallet's, or of no positive amount",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a wallet payout above the wallet's available balance",
        400,
        "TRANSACTION_ERROR",
        "TRANSACTION_INSUFFICIENT_FUNDS",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/wallet/create", |state, body| {
        Some(Ok(create(state, text(body, "iso_currency_code"))))
    }),
    Route::new("/wallet/get", |state, body| {
        Some(wallet(state, text(body, "wallet_id")).map(|w| w.clone()))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/wallet/list", |state, body| {
        Some(list_wallets(state, body))
    }),
    Route::new("/wallet/transaction/execute", |state, body| {
        Some(execute(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/wallet/transaction/get", |state, body| {
        Some({
            let id = text(body, "transaction_id");
            state
                .products
                .get_mut::<WalletState>()
                .transactions
                .iter()
                .find(|t| t.json["transaction_id"] == id)
                .map(|t| t.json.clone())
                .ok_or_else(|| unknown_id("transaction_id", id))
        })
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/wallet/transaction/list", |state, body| {
        Some(list(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/payment_initiation/payment/reverse", |state, body| {
        Some(reverse(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// The wallet `id`.
fn wallet<'s>(state: &'s mut State, id: &str) -> Result<&'s mut Value, ErrorAnswer> {
    state
        .products
        .get_mut::<WalletState>()
        .wallets
        .iter_mut()
        .find(|w| w["wallet_id"] == id)
        .ok_or_else(|| errors::unknown_object("wallet_id", id))
}

/// `count` digits drawn from the fake's generator.
fn digits(state: &mut State, count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + state.rng.below(10) as u8))
        .collect()
}

/// An IBAN of `country` around `bban`, with its check digits (ISO 13616:
/// the number read with letters as 10…35, taken mod 97).
fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let remainder = rearranged.chars().fold(0u32, |acc, c| {
        let value = c.to_digit(36).unwrap_or(0);
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// A new wallet in `currency`, with its own recipient.
fn create(state: &mut State, currency: &str) -> Value {
    let id = format!("wallet-id-sandbox-{}", state.rng.uuid());
    let numbers = if currency == "EUR" {
        let bban = format!("30004{}", digits(state, 18));
        json!({"international": {"iban": iban("FR", &bban), "bic": "PLAIFRPP"}})
    } else {
        let (account, sort_code) = (digits(state, 8), format!("04{}", digits(state, 4)));
        json!({"bacs": {"account": account, "sort_code": sort_code}})
    };
    let recipient_id = format!("recipient-id-sandbox-{}", state.rng.uuid());
    let mut recipient = json!({"recipient_id": recipient_id, "name": "Plaid virtual account",
                               "iban": null, "bacs": null});
    match (&numbers["bacs"], &numbers["international"]) {
        (bacs, _) if bacs.is_object() => recipient["bacs"] = bacs.clone(),
        (_, international) => recipient["iban"] = international["iban"].clone(),
    }
    state
        .products
        .get_mut::<PaymentInitiationState>()
        .recipients
        .push(recipient);
    let wallet = json!({
        "wallet_id": id, "recipient_id": recipient_id, "status": "ACTIVE",
        "balance": {"iso_currency_code": currency, "current": 0.0, "available": 0.0},
        "numbers": numbers,
    });
    state
        .products
        .get_mut::<WalletState>()
        .wallets
        .push(wallet.clone());
    wallet
}

/// Newest first; a page holds the wallets made before the cursor's.
fn list_wallets(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let count = paging::count(body, 10, 20)? as i64;
    let currency = body.get("iso_currency_code").and_then(Value::as_str);
    let matching: Vec<&Value> = state
        .products
        .get::<WalletState>()
        .wallets
        .iter()
        .rev()
        .filter(|w| currency.is_none_or(|c| w["balance"]["iso_currency_code"] == c))
        .collect();
    let from = match body.get("cursor").and_then(Value::as_str) {
        None | Some("") => 0,
        Some(cursor) => {
            matching
                .iter()
                .position(|w| w["wallet_id"] == cursor)
                .ok_or_else(|| unknown_id("cursor", cursor))?
                + 1
        }
    };
    let page: Vec<&Value> = matching
        .iter()
        .skip(from)
        .take(count as usize)
        .copied()
        .collect();
    let mut answer = json!({ "wallets": page });
    if matching.len() > from + page.len() {
        if let Some(last) = page.last() {
            answer["next_cursor"] = last["wallet_id"].clone();
        }
    }
    Ok(answer)
}

/// Adds `delta` to the wallet's `available` and `current` balances.
fn move_balance(wallet: &mut Value, delta: f64) {
    for field in ["available", "current"] {
        let now = wallet["balance"][field].as_f64().unwrap_or(0.0);
        wallet["balance"][field] = json!(round(now + delta));
    }
}

/// `value` to the cent (amounts are decimals of two places).
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The transaction an `idempotency_key` made within the window, if any.
fn keyed<'s>(state: &'s State, key: &str) -> Option<&'s StoredTransaction> {
    let since = crate::kernel::time::unix(state.now() - IDEMPOTENCY_WINDOW);
    state
        .products
        .get::<WalletState>()
        .transactions
        .iter()
        .find(|t| t.idempotency_key.as_deref() == Some(key) && t.created > since)
}

/// A new transaction of `wallet_id`, kept and answered.
fn record(
    state: &mut State,
    wallet_id: &str,
    kind: &str,
    status: &str,
    fields: Value,
    key: Option<&str>,
) -> Value {
    let now = state.now();
    let mut json = json!({
        "transaction_id": format!("wallet-transaction-id-sandbox-{}", state.rng.uuid()),
        "wallet_id": wallet_id, "type": kind, "status": status,
        "created_at": rfc3339(now), "last_status_update": rfc3339(now),
    });
    if let (Some(out), Some(extra)) = (json.as_object_mut(), fields.as_object()) {
        out.extend(extra.clone());
    }
    state
        .products
        .get_mut::<WalletState>()
        .transactions
        .push(StoredTransaction {
            created: crate::kernel::time::unix(now),
            idempotency_key: key.map(str::to_owned),
            json: json.clone(),
        });
    json
}

fn execute(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let key = text(body, "idempotency_key");
    if let Some(earlier) = keyed(state, key) {
        let t = &earlier.json;
        return Ok(json!({"transaction_id": t["transaction_id"], "status": t["status"]}));
    }
    let wallet_id = text(body, "wallet_id");
    let amount = sent(body, "amount");
    let value = amount["value"].as_f64().unwrap_or(0.0);
    if value <= 0.0 {
        return Err(errors::invalid_field("amount.value must be greater than 0"));
    }
    let wallet = wallet(state, wallet_id)?;
    let currency = &wallet["balance"]["iso_currency_code"];
    if amount["iso_currency_code"] != *currency {
        return Err(errors::invalid_field(format!(
            "amount.iso_currency_code must be the wallet's currency, {currency}"
        )));
    }
    if value > wallet["balance"]["available"].as_f64().unwrap_or(0.0) {
        return Err(ErrorAnswer::new(
            400,
            "TRANSACTION_ERROR",
            "TRANSACTION_INSUFFICIENT_FUNDS",
            "the wallet's available balance does not cover this payout; fund the wallet with a Payment Initiation payment to its recipient_id, then simulate it settled",
        ));
    }
    move_balance(wallet, -value);
    let fields = json!({"reference": sent(body, "reference"), "amount": amount,
                        "counterparty": sent(body, "counterparty")});
    let made = record(state, wallet_id, "PAYOUT", "INITIATED", fields, Some(key));
    Ok(json!({"transaction_id": made["transaction_id"], "status": made["status"]}))
}

fn list(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let wallet_id = text(body, "wallet_id");
    wallet(state, wallet_id)?;
    let count = paging::count(body, 10, 200)? as i64;
    let bound = |name: &str, default: i64| match body
        .get("options")
        .and_then(|o| o.get(name))
        .and_then(Value::as_str)
    {
        None => Ok(default),
        Some(at) => crate::kernel::time::parse_time(at)
            .map(crate::kernel::time::unix)
            .ok_or_else(|| {
                errors::invalid_field(format!(
                    "options.{name} must be an RFC 3339 time, got {at:?}"
                ))
            }),
    };
    let (start, end) = (bound("start_time", i64::MIN)?, bound("end_time", i64::MAX)?);
    let matching: Vec<&StoredTransaction> = state
        .products
        .get_mut::<WalletState>()
        .transactions
        .iter()
        .rev()
        .filter(|t| t.json["wallet_id"] == wallet_id && (start..=end).contains(&t.created))
        .collect();
    let from = match body.get("cursor").and_then(Value::as_str) {
        None | Some("") => 0,
        Some(cursor) => matching
            .iter()
            .position(|t| t.json["transaction_id"] == cursor)
            .ok_or_else(|| unknown_id("cursor", cursor))?,
    };
    let page: Vec<&Value> = matching
        .iter()
        .skip(from)
        .take(count as usize)
        .map(|t| &t.json)
        .collect();
    let mut answer = json!({ "transactions": page });
    if let Some(next) = matching.get(from + count as usize) {
        answer["next_cursor"] = next.json["transaction_id"].clone();
    }
    Ok(answer)
}

/// The wallet whose recipient `recipient_id` is, if one is.
fn wallet_of_recipient(state: &State, recipient_id: &Value) -> Option<String> {
    state
        .products
        .get::<WalletState>()
        .wallets
        .iter()
        .find(|w| w["recipient_id"] == *recipient_id)
        .and_then(|w| w["wallet_id"].as_str().map(str::to_owned))
}

/// A payment just settled: if it went to a wallet's recipient, the wallet
/// is paid in.
/// Credits the wallet a settled payment was paid into.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    if let Event::PaymentSettled { payment } = *event {
        payment_settled(state, payment);
    }
}

fn payment_settled(state: &mut State, payment: &Value) {
    let Some(wallet_id) = wallet_of_recipient(state, &payment["recipient_id"]) else {
        return;
    };
    let value = payment["amount"]["value"].as_f64().unwrap_or(0.0);
    if let Ok(wallet) = wallet(state, &wallet_id) {
        move_balance(wallet, value);
    }
    let fields = json!({
        "reference": payment["reference"], "payment_id": payment["payment_id"],
        "amount": {"iso_currency_code": payment["amount"]["currency"], "value": value},
        "counterparty": payer(payment),
    });
    record(state, &wallet_id, "PIS_PAY_IN", "SETTLED", fields, None);
}

/// Who paid: the payment's refund details when Plaid gathered them, else
/// a counterparty named after the payment.
fn payer(payment: &Value) -> Value {
    let details = &payment["refund_details"];
    match details["name"].as_str() {
        Some(name) => {
            let mut numbers = json!({});
            if details["iban"].is_string() {
                numbers["international"] = json!({"iban": details["iban"]});
            }
            if details["bacs"].is_object() {
                numbers["bacs"] = details["bacs"].clone();
            }
            json!({"name": name, "numbers": numbers})
        }
        None => {
            json!({"name": format!("payer of {}", payment["payment_id"].as_str().unwrap_or("the payment")),
                       "numbers": {}})
        }
    }
}

fn reverse(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let key = text(body, "idempotency_key");
    if let Some(earlier) = keyed(state, key) {
        let t = &earlier.json;
        return Ok(json!({"refund_id": t["transaction_id"], "status": t["status"]}));
    }
    let id = text(body, "payment_id");
    let payment = state
        .products
        .get_mut::<PaymentInitiationState>()
        .payments
        .iter()
        .find(|p| p.json["payment_id"] == id)
        .map(|p| p.json.clone())
        .ok_or_else(|| unknown_id("payment_id", id))?;
    if payment["status"] != "PAYMENT_STATUS_SETTLED" {
        return Err(errors::invalid_field(format!(
            "payment_id {id:?} is {}; only a settled payment can be reversed",
            payment["status"].as_str().unwrap_or("in no status")
        )));
    }
    let Some(wallet_id) = wallet_of_recipient(state, &payment["recipient_id"]) else {
        return Err(errors::invalid_field(format!(
            "payment_id {id:?} was not paid into a virtual account, so it cannot be reversed from one"
        )));
    };
    let paid = payment["amount"]["value"].as_f64().unwrap_or(0.0);
    let refunded = payment["amount_refunded"]["value"].as_f64().unwrap_or(0.0);
    let left = round(paid - refunded);
    let value = match body.get("amount").and_then(|a| a.get("value")) {
        None => left,
        Some(v) => v.as_f64().unwrap_or(0.0),
    };
    if value <= 0.0 || value > left {
        return Err(errors::invalid_field(format!(
            "amount.value must be greater than 0 and at most the {left} not refunded yet"
        )));
    }
    let fields = json!({
        "reference": sent(body, "reference"), "payment_id": id,
        "amount": {"iso_currency_code": payment["amount"]["currency"], "value": value},
        "counterparty": payer(&payment),
    });
    let wallet = wallet(state, &wallet_id)?;
    move_balance(wallet, -value);
    let refund = record(state, &wallet_id, "REFUND", "INITIATED", fields, Some(key));
    if let Some(stored) = state
        .products
        .get_mut::<PaymentInitiationState>()
        .payments
        .iter_mut()
        .find(|p| p.json["payment_id"] == id)
    {
        let json = &mut stored.json;
        let mut ids = json["refund_ids"].as_array().cloned().unwrap_or_default();
        ids.push(refund["transaction_id"].clone());
        json["refund_ids"] = Value::Array(ids);
        json["amount_refunded"] = json!({"currency": payment["amount"]["currency"],
                                         "value": round(refunded + value)});
    }
    Ok(json!({"refund_id": refund["transaction_id"], "status": refund["status"]}))
}
