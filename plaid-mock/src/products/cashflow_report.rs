//! Cash Flow Report: one report per item (named by its `access_token`),
//! made by the first `/cashflow_report/…` call on the item (over the
//! `days_requested` it sends, or 730 days when it sends none) and made
//! again by each `/cashflow_report/refresh`, which sends
//! `CASHFLOW_REPORT_READY` to the item's webhook and voids the old cursors.
//! Its transactions are the item's own (as `/transactions/get` has them)
//! within the report's days, newest first, paged by `count` and opaque
//! cursors the report hands out, narrowed by `options.account_ids`; its
//! insights are the daily balance of the item's depository accounts less
//! what its credit accounts owe, and a summary per calendar month. The fake
//! does not ask that the item was linked with `cashflow_report`. A report
//! dies with its item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::{Date, Duration};

use super::assets::balances;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::{rfc3339_of, unix};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::data::{format_date, Transaction};
use crate::sandbox::events::Event;
use crate::sandbox::store::Kept;
use crate::sandbox::{item_json, Item, PendingWebhook, State};

/// How many days a report covers when the request leaves it out (the
/// spec's upper limit, 730, is also the most it covers).
const MAX_DAYS: i64 = 730;

/// One item's Cash Flow Report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredCashflow {
    pub days_requested: i64,
    /// Unix seconds of the last refresh.
    pub updated_at: i64,
    /// Cursor → how many transactions precede the page it starts.
    pub cursors: BTreeMap<String, usize>,
}

/// What Cash Flow Report remembers, by `item_id`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct CashflowState {
    pub reports: BTreeMap<String, StoredCashflow>,
}

impl Kept for CashflowState {
    const KEY: &'static str = "cashflow_report";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/cashflow_report/…` with `days_requested` outside 1..=730, `count` outside 1..=500, a `cursor` the report never handed out (a refresh voids the old ones), or an `options.account_ids` entry that is not the item's",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/cashflow_report/refresh", |state, body| {
        let token = text(body, "access_token");
        Some(refresh(state, token, body))
    }),
    Route::new("/cashflow_report/get", |state, body| {
        let token = text(body, "access_token");
        Some(page(state, token, body, true))
    }),
    Route::new("/cashflow_report/transactions/get", |state, body| {
        let token = text(body, "access_token");
        Some(page(state, token, body, false))
    }),
    Route::new("/cashflow_report/insights/get", |state, body| {
        let token = text(body, "access_token");
        Some(insights(state, token))
    }),
];

/// Forgets the report of a removed item.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    if let Event::ItemRemoved { item_id } = *event {
        state
            .products
            .get_mut::<CashflowState>()
            .reports
            .remove(item_id);
    }
}

/// `days_requested` of the request, which must be 1 to 730.
fn days(body: &Map<String, Value>) -> Result<Option<i64>, ErrorAnswer> {
    match body.get("days_requested").map(Value::as_i64) {
        None => Ok(None),
        Some(Some(days)) if (1..=MAX_DAYS).contains(&days) => Ok(Some(days)),
        Some(_) => Err(errors::invalid_field(
            "days_requested must be between 1 and 730",
        )),
    }
}

/// The item behind `token` (healthy), and its report, made now if it has
/// none yet.
fn report(state: &mut State, token: &str, days: Option<i64>) -> Result<String, ErrorAnswer> {
    let item_id = state.healthy_item(token)?.item_id.clone();
    let now = unix(state.now());
    state
        .products
        .get_mut::<CashflowState>()
        .reports
        .entry(item_id.clone())
        .or_insert_with(|| StoredCashflow {
            days_requested: days.unwrap_or(MAX_DAYS),
            updated_at: now,
            cursors: BTreeMap::new(),
        });
    Ok(item_id)
}

fn refresh(
    state: &mut State,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let days = days(body)?;
    let item_id = report(state, token, days)?;
    let now = unix(state.now());
    if let Some(stored) = state
        .products
        .get_mut::<CashflowState>()
        .reports
        .get_mut(&item_id)
    {
        stored.days_requested = days.unwrap_or(stored.days_requested);
        stored.updated_at = now;
        stored.cursors.clear();
    }
    let url = state.items.get(&item_id).and_then(|i| i.webhook.clone());
    state.outbox.push(PendingWebhook {
        item_id: item_id.clone(),
        url,
        body: json!({"webhook_type": "CASHFLOW_REPORT", "webhook_code": "CASHFLOW_REPORT_READY",
                     "item_id": item_id, "environment": "sandbox"}),
    });
    Ok(json!({}))
}

/// The account ids `options.account_ids` names, each the item's.
fn chosen_accounts(item: &Item, body: &Map<String, Value>) -> Result<Vec<String>, ErrorAnswer> {
    let Some(ids) = body
        .get("options")
        .and_then(|o| o.get("account_ids"))
        .and_then(Value::as_array)
    else {
        return Ok(item.accounts.iter().map(|a| a.account_id.clone()).collect());
    };
    let mut out = Vec::new();
    for id in ids {
        let id = id.as_str().unwrap_or_default();
        if !item.accounts.iter().any(|a| a.account_id == id) {
            return Err(errors::invalid_field(format!(
                "options.account_ids: {id:?} is not an account of this item"
            )));
        }
        out.push(id.to_owned());
    }
    Ok(out)
}

/// One page of the report's transactions (with the report's update time
/// when `full`, as `/cashflow_report/get` answers).
fn page(
    state: &mut State,
    token: &str,
    body: &Map<String, Value>,
    full: bool,
) -> Result<Value, ErrorAnswer> {
    let days = days(body)?;
    let item_id = report(state, token, days)?;
    let count = body.get("count").and_then(Value::as_i64).unwrap_or(100);
    if !(1..=500).contains(&count) {
        return Err(errors::invalid_field("count must be between 1 and 500"));
    }
    let Some(stored) = state
        .products
        .get_mut::<CashflowState>()
        .reports
        .get(&item_id)
        .cloned()
    else {
        return Err(errors::invalid_access_token());
    };
    let cursor = text(body, "cursor");
    let offset = if cursor.is_empty() {
        0
    } else {
        *stored
            .cursors
            .get(cursor)
            .ok_or_else(|| errors::unknown_object("cursor", cursor))?
    };
    let Some(item) = state.items.get(&item_id) else {
        return Err(errors::invalid_access_token());
    };
    let accounts = chosen_accounts(item, body)?;
    let today = state.now().date();
    let since = today - Duration::days(days.unwrap_or(stored.days_requested));
    let matching: Vec<&Transaction> = item
        .transactions
        .iter()
        .filter(|t| t.date > since && t.date <= today && accounts.contains(&t.account_id))
        .collect();
    let transactions: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(count as usize)
        .map(|t| transaction(t))
        .collect();
    let next = (offset + count as usize).min(matching.len());
    let mut answer = json!({
        "accounts": item.accounts.iter().filter(|a| accounts.contains(&a.account_id))
            .map(|a| a.to_json()).collect::<Vec<_>>(),
        "transactions": transactions,
        "total_transactions": matching.len(),
        "item": item_json(item),
        "has_more": next < matching.len(),
    });
    if full {
        answer["last_successful_update_time"] = rfc3339_of(stored.updated_at).into();
    }
    let next_cursor = state.rng.id();
    answer["next_cursor"] = next_cursor.clone().into();
    if let Some(stored) = state
        .products
        .get_mut::<CashflowState>()
        .reports
        .get_mut(&item_id)
    {
        stored.cursors.insert(next_cursor, next);
    }
    Ok(answer)
}

/// A transaction as the Cash Flow Report lists it: as `/transactions/get`
/// has it, less the fields this schema does not let be `null`.
fn transaction(t: &Transaction) -> Value {
    let mut json = t.to_json();
    if let Some(fields) = json.as_object_mut() {
        for name in ["personal_finance_category", "category", "category_id"] {
            if fields.get(name).is_some_and(Value::is_null) {
                fields.remove(name);
            }
        }
    }
    json
}

fn money(amount: f64) -> Value {
    json!({"amount": (amount * 100.0).round() / 100.0, "iso_currency_code": "USD",
           "unofficial_currency_code": null})
}

fn insights(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    let item_id = report(state, token, None)?;
    let Some(stored) = state.products.get::<CashflowState>().reports.get(&item_id) else {
        return Err(errors::invalid_access_token());
    };
    let Some(item) = state.items.get(&item_id) else {
        return Err(errors::invalid_access_token());
    };
    let today = state.now().date();
    let days = stored.days_requested;
    let since = today - Duration::days(days);
    // The daily balance, summed over depository accounts less what is
    // owed on credit accounts.
    let mut daily: BTreeMap<Date, f64> = BTreeMap::new();
    let mut own_all: Vec<&Transaction> = Vec::new();
    for account in item
        .accounts
        .iter()
        .filter(|a| a.kind == "depository" || a.kind == "credit")
    {
        let own: Vec<&Transaction> = item
            .transactions
            .iter()
            .filter(|t| t.account_id == account.account_id && t.date > since && t.date <= today)
            .collect();
        let sign = if account.kind == "credit" { -1.0 } else { 1.0 };
        // `balances` lists today first, then one day back per entry.
        let history = balances(account, &own, today, days);
        for (back, entry) in history.as_array().into_iter().flatten().enumerate() {
            if let Some(current) = entry["current"].as_f64() {
                let date = today - Duration::days(back as i64);
                *daily.entry(date).or_default() += sign * current;
            }
        }
        own_all.extend(own);
    }
    let historical: Vec<Value> = daily
        .iter()
        .rev()
        .map(|(date, amount)| {
            let mut entry = money(*amount);
            entry["date"] = format_date(*date).into();
            entry
        })
        .collect();
    let mut summaries = Vec::new();
    let mut end = today;
    while end > since {
        let first = end.replace_day(1).unwrap_or(end);
        let start = first.max(since + Duration::days(1));
        let in_month: Vec<&&Transaction> = own_all
            .iter()
            .filter(|t| t.date >= start && t.date <= end)
            .collect();
        let span = ((end - start).whole_days() + 1) as f64;
        let inflow: f64 = in_month
            .iter()
            .filter(|t| t.amount < 0.0)
            .map(|t| -t.amount)
            .sum();
        let outflow: f64 = in_month
            .iter()
            .filter(|t| t.amount > 0.0)
            .map(|t| t.amount)
            .sum();
        let inflows = in_month.iter().filter(|t| t.amount < 0.0).count() as f64;
        let outflows = in_month.iter().filter(|t| t.amount > 0.0).count() as f64;
        let ending: Vec<f64> = daily
            .range(start..=end)
            .map(|(_, amount)| *amount)
            .collect();
        let payroll: f64 = in_month
            .iter()
            .filter(|t| t.amount < 0.0 && super::bank_income::category(&t.name) == "SALARY")
            .map(|t| -t.amount)
            .sum();
        let round = |x: f64| (x * 100.0).round() / 100.0;
        summaries.push(json!({
            "start_date": format_date(start),
            "end_date": format_date(end),
            "starting_balance": ending.first().map(|b| money(*b)),
            "ending_balance": ending.last().map(|b| money(*b)),
            "average_daily_ending_balance": money(ending.iter().sum::<f64>() / ending.len().max(1) as f64),
            "average_daily_inflow_amount": money(inflow / span),
            "average_daily_outflow_amount": money(outflow / span),
            "average_daily_net_cashflow_amount": money((inflow - outflow) / span),
            "average_daily_inflow_transaction_count": round(inflows / span),
            "average_daily_outflow_transaction_count": round(outflows / span),
            "total_revenue": money(inflow),
            "total_loan_payment": money(0.0),
            "total_variable_expense": money(outflow),
            "total_payroll": money(payroll),
            "nsf_transaction_count": 0,
            "overdraft_transaction_count": 0,
            "negative_ending_balance_day_count": ending.iter().filter(|b| **b < 0.0).count(),
        }));
        end = start - Duration::days(1);
    }
    Ok(json!({
        "item": item_json(item),
        "accounts": item.accounts.iter().map(|a| a.to_json()).collect::<Vec<_>>(),
        "account_insights": {"historical_balances": historical, "monthly_summaries": summaries},
        "last_generated_time": rfc3339_of(stored.updated_at),
    }))
}
