//! Assets: an Asset Report is a snapshot of the items' own accounts,
//! balances and transactions, taken at `/asset_report/create`; it is ready
//! a few seconds (of the fake's clock) later, as the sandbox's is, and
//! `…/get` answers `PRODUCT_NOT_READY` until then (no `PRODUCT_READY`
//! webhook is sent yet: poll, as Plaid's own client tests do). Refresh and filter make
//! new reports; audit copies share a report; removing a report removes its
//! audit copies, while removing an item leaves its reports alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::ErrorAnswer;
use crate::kernel::errors::Refusal;
use crate::kernel::time::{rfc3339, unix};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::data::{format_date, Account, Institution, Transaction};
use crate::sandbox::store::Kept;
use crate::sandbox::{Item, State};

/// How long after creation a report can be read.
pub(crate) const READY_AFTER: Duration = Duration::seconds(5);

/// One Asset Report and what made it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredReport {
    pub asset_report_id: String,
    /// The items it covers, for `/asset_report/refresh`.
    pub item_ids: Vec<String>,
    pub days_requested: i64,
    pub options: Map<String, Value>,
    pub excluded: Vec<String>,
    /// Unix seconds from which `…/get` answers.
    pub ready_at: i64,
    /// The `AssetReport` object.
    pub report: Value,
}

/// What Assets remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct AssetState {
    /// By `asset_report_token`.
    pub reports: BTreeMap<String, StoredReport>,
    /// `audit_copy_token` → `asset_report_token`.
    pub audit_copies: BTreeMap<String, String>,
}

impl Kept for AssetState {
    const KEY: &'static str = "assets";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/asset_report/create` for an item linked without the `assets` product",
        400,
        "ASSET_REPORT_ERROR",
        "PRODUCT_NOT_ENABLED",
    ),
    Refusal::new(
        "an Asset Report (or its PDF, or an audit copy of it) read within 5 seconds of the fake's clock after it was made",
        400,
        "ASSET_REPORT_ERROR",
        "PRODUCT_NOT_READY",
    ),
    Refusal::new(
        "an `asset_report_token` or `audit_copy_token` never issued or removed (removing a report removes its audit copies; removing an item does not remove its reports)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    // Without access tokens (a Plaid Check `user_token` report) the
    // engine answers.
    Route::new("/asset_report/create", |state, body| {
        if body.contains_key("access_tokens") {
            Some(create(state, body))
        } else {
            None
        }
    }),
    Route::new("/asset_report/get", |state, body| {
        let token = text(body, "asset_report_token");
        if !token.is_empty() {
            Some(ready(state, token).map(|r| report_answer(&r)))
        } else {
            None
        }
    }),
    Route::new("/asset_report/pdf/get", |state, body| {
        let token = text(body, "asset_report_token");
        ready(state, token).err().map(Err)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/refresh", |state, body| {
        let token = text(body, "asset_report_token");
        Some(refresh(state, token, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/filter", |state, body| {
        let token = text(body, "asset_report_token");
        Some(filter(state, token, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/remove", |state, body| {
        let token = text(body, "asset_report_token");
        Some(remove(state, token))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/audit_copy/create", |state, body| {
        let token = text(body, "asset_report_token");
        Some(audit_copy(state, token))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/audit_copy/get", |state, body| {
        Some(audited(state, text(body, "audit_copy_token")).map(|r| report_answer(&r)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/audit_copy/pdf/get", |state, body| {
        audited(state, text(body, "audit_copy_token"))
            .err()
            .map(Err)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/asset_report/audit_copy/remove", |state, body| {
        Some({
            let copy = text(body, "audit_copy_token");
            match state
                .products
                .get_mut::<AssetState>()
                .audit_copies
                .remove(copy)
            {
                Some(_) => Ok(json!({"removed": true})),
                None => Err(unknown_id("audit_copy_token", copy)),
            }
        })
    })
    .refuses_samples("INVALID_FIELD"),
];

fn report_answer(report: &StoredReport) -> Value {
    json!({"report": report.report, "warnings": []})
}

fn stored<'s>(state: &'s State, token: &str) -> Result<&'s StoredReport, ErrorAnswer> {
    state
        .products
        .get::<AssetState>()
        .reports
        .get(token)
        .ok_or_else(|| unknown_id("asset_report_token", token))
}

/// The report behind `token`, once it is ready.
fn ready(state: &State, token: &str) -> Result<StoredReport, ErrorAnswer> {
    let report = stored(state, token)?;
    if unix(state.now()) < report.ready_at {
        return Err(ErrorAnswer::new(
            400,
            "ASSET_REPORT_ERROR",
            "PRODUCT_NOT_READY",
            "the Asset Report is still being generated; wait for the PRODUCT_READY webhook or try again in a few seconds",
        ));
    }
    Ok(report.clone())
}

fn audited(state: &State, copy: &str) -> Result<StoredReport, ErrorAnswer> {
    let token = state
        .products
        .get::<AssetState>()
        .audit_copies
        .get(copy)
        .ok_or_else(|| unknown_id("audit_copy_token", copy))?;
    ready(state, token)
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let mut item_ids = Vec::new();
    for token in body
        .get("access_tokens")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let item = state.healthy_item(token.as_str().unwrap_or_default())?;
        if !item.products.iter().any(|p| p == "assets") {
            return Err(ErrorAnswer::new(
                400,
                "ASSET_REPORT_ERROR",
                "PRODUCT_NOT_ENABLED",
                "every item of an Asset Report must have been linked with the assets product",
            ));
        }
        item_ids.push(item.item_id.clone());
    }
    if item_ids.is_empty() {
        return Err(crate::kernel::errors::invalid_field(
            "access_tokens must name at least one item",
        ));
    }
    let days = body
        .get("days_requested")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let options = body
        .get("options")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let made_from = StoredReport {
        asset_report_id: String::new(),
        item_ids,
        days_requested: days,
        options,
        excluded: Vec::new(),
        ready_at: 0,
        report: Value::Null,
    };
    Ok(issue(state, made_from, None))
}

/// Makes and stores a report (from `base`, less the excluded accounts,
/// or a fresh snapshot of the items); its token and id as Plaid answers
/// them.
fn issue(state: &mut State, made_from: StoredReport, base: Option<Value>) -> Value {
    let token = format!("assets-sandbox-{}", state.rng.uuid());
    let asset_report_id = state.rng.uuid();
    let now = state.now();
    let StoredReport {
        item_ids,
        days_requested,
        options,
        excluded,
        ..
    } = made_from;
    let mut report = match base {
        Some(base) => base,
        None => {
            let items: Vec<Value> = item_ids
                .iter()
                .filter_map(|id| state.items.get(id))
                .map(|item| item_json(item, days_requested, &excluded, now))
                .collect();
            json!({
                "client_report_id": options.get("client_report_id").cloned().unwrap_or(Value::Null),
                "date_generated": rfc3339(now),
                "days_requested": days_requested,
                "user": options.get("user").cloned().unwrap_or_else(|| json!({})),
                "items": items,
            })
        }
    };
    report["asset_report_id"] = asset_report_id.clone().into();
    for item in report["items"].as_array_mut().into_iter().flatten() {
        if let Some(accounts) = item["accounts"].as_array_mut() {
            accounts.retain(|a| !excluded.iter().any(|x| a["account_id"].as_str() == Some(x)));
        }
    }
    state.products.get_mut::<AssetState>().reports.insert(
        token.clone(),
        StoredReport {
            asset_report_id: asset_report_id.clone(),
            item_ids,
            days_requested,
            options,
            excluded,
            ready_at: unix(now + READY_AFTER),
            report,
        },
    );
    json!({"asset_report_token": token, "asset_report_id": asset_report_id})
}

/// A new snapshot of the same items and filters, with `days_requested` and
/// `options` overridden by what the request sends.
fn refresh(
    state: &mut State,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let mut made_from = stored(state, token)?.clone();
    if let Some(days) = body.get("days_requested").and_then(Value::as_i64) {
        made_from.days_requested = days;
    }
    for (name, value) in body
        .get("options")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        made_from.options.insert(name.clone(), value.clone());
    }
    Ok(issue(state, made_from, None))
}

/// The same report's data without some accounts, as a new report.
fn filter(state: &mut State, token: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let mut made_from = stored(state, token)?.clone();
    made_from.excluded.extend(
        body.get("account_ids_to_exclude")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    let base = made_from.report.clone();
    Ok(issue(state, made_from, Some(base)))
}

fn remove(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    let assets = &mut state.products.get_mut::<AssetState>();
    if assets.reports.remove(token).is_none() {
        return Err(unknown_id("asset_report_token", token));
    }
    assets.audit_copies.retain(|_, report| report != token);
    Ok(json!({"removed": true}))
}

fn audit_copy(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    stored(state, token)?;
    let copy = format!("a-sandbox-{}", state.rng.uuid());
    state
        .products
        .get_mut::<AssetState>()
        .audit_copies
        .insert(copy.clone(), token.to_owned());
    Ok(json!({"audit_copy_token": copy}))
}

/// One item of a report: its accounts (less `excluded`) with the
/// transactions and daily balances of the last `days` days.
fn item_json(item: &Item, days: i64, excluded: &[String], now: time::OffsetDateTime) -> Value {
    let today = now.date();
    let since = today - Duration::days(days);
    let accounts: Vec<Value> = item
        .accounts
        .iter()
        .filter(|a| !excluded.contains(&a.account_id))
        .map(|account| {
            let own: Vec<&Transaction> = item
                .transactions
                .iter()
                .filter(|t| t.account_id == account.account_id && t.date > since && t.date <= today)
                .collect();
            let mut json = super::investments::account_json(account);
            json["days_available"] = days.into();
            json["transactions"] = own.iter().map(|t| transaction(t)).collect();
            json["owners"] = owners();
            json["historical_balances"] = balances(account, &own, today, days);
            json
        })
        .collect();
    json!({
        "item_id": item.item_id,
        "institution_id": item.institution_id,
        "institution_name": Institution::find(&item.institution_id).map(|i| i.name).unwrap_or_default(),
        "date_last_updated": rfc3339(now),
        "accounts": accounts,
    })
}

/// A transaction as an Asset Report lists it.
fn transaction(t: &Transaction) -> Value {
    let mut json = report_transaction(t);
    json["pending_transaction_id"] = Value::Null;
    json
}

/// The fields a report transaction has in both Asset Reports and Plaid
/// Check's Base Report.
pub(crate) fn report_transaction(t: &Transaction) -> Value {
    json!({
        "transaction_id": t.transaction_id,
        "account_id": t.account_id,
        "amount": t.amount,
        "iso_currency_code": "USD",
        "unofficial_currency_code": null,
        "original_description": t.name,
        "name": t.name,
        "merchant_name": t.merchant_name,
        "date": format_date(t.date),
        "date_transacted": format_date(t.date),
        "pending": t.pending,
        "account_owner": null,
    })
}

/// The balance at the end of each of the last `days` days, newest first:
/// today's balance, less what each later day's transactions did to it.
pub(crate) fn balances(
    account: &Account,
    own: &[&Transaction],
    today: time::Date,
    days: i64,
) -> Value {
    // Spending lowers a depository balance and raises what is owed on credit.
    let sign = if account.kind == "credit" { 1.0 } else { -1.0 };
    let mut current = account.current;
    let mut out = Vec::new();
    for back in 0..days {
        let date = today - Duration::days(back);
        out.push(
            json!({"date": format_date(date), "current": (current * 10_000.0).round() / 10_000.0,
                        "iso_currency_code": "USD", "unofficial_currency_code": null}),
        );
        let that_day: f64 = own
            .iter()
            .filter(|t| t.date == date)
            .map(|t| t.amount)
            .sum();
        current -= sign * that_day;
    }
    Value::Array(out)
}

pub(crate) fn owners() -> Value {
    json!([{
        "names": ["Alberta Bobbeth Charleson"],
        "phone_numbers": [{"data": "2025550123", "primary": false, "type": "home"}],
        "emails": [{"data": "accountholder0@example.com", "primary": true, "type": "primary"}],
        "addresses": [{"data": {"city": "Malakoff", "country": "US", "postal_code": "14236",
                                "region": "NY", "street": "2992 Cameron Road"}, "primary": true}]
    }])
}
