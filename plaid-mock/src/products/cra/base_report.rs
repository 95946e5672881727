//! The Base Report: each of the user's items with its accounts as
//! `/accounts/get` gives them, their owners as `/identity/get` gives them,
//! the transactions of the requested days as `/transactions/get` gives
//! them, and the balance at the end of each of those days.

use serde_json::{json, Value};
use time::{Date, Duration};

use super::super::assets::{balances, owners, report_transaction};
use crate::kernel::time::rfc3339;
use crate::sandbox::data::{format_date, Account, Transaction};
use crate::sandbox::institutions::institution_name;
use crate::sandbox::{Item, State};

/// A `BaseReport` over the items, as they are now.
pub(super) fn report(
    state: &State,
    item_ids: &[String],
    report_id: &str,
    days: i64,
    client_report_id: Option<&str>,
) -> Value {
    let now = state.now();
    let today = now.date();
    let since = today - Duration::days(days);
    let items: Vec<&Item> = item_ids.iter().filter_map(|i| state.items.get(i)).collect();
    let in_days = |t: &&Transaction| t.date > since && t.date <= today;
    let all: Vec<&Transaction> = items
        .iter()
        .flat_map(|i| i.transactions.iter())
        .filter(in_days)
        .collect();
    let mut report = json!({
        "report_id": report_id,
        "date_generated": rfc3339(now),
        "days_requested": days,
        "attributes": flows(&all, today),
        "items": items.iter().map(|item| item_json(item, since, today, days, now)).collect::<Vec<_>>(),
    });
    if let Some(id) = client_report_id {
        report["client_report_id"] = id.into();
    }
    report
}

fn item_json(item: &Item, since: Date, today: Date, days: i64, now: time::OffsetDateTime) -> Value {
    let accounts: Vec<Value> = item
        .accounts
        .iter()
        .map(|account| {
            let own: Vec<&Transaction> = item
                .transactions
                .iter()
                .filter(|t| t.account_id == account.account_id && t.date > since && t.date <= today)
                .collect();
            account_json(account, &own, since, today, days)
        })
        .collect();
    json!({
        "item_id": item.item_id,
        "institution_id": item.institution_id,
        "institution_name": institution_name(&item.institution_id),
        "date_last_updated": rfc3339(now),
        "accounts": accounts,
    })
}

fn account_json(
    account: &Account,
    own: &[&Transaction],
    since: Date,
    today: Date,
    days: i64,
) -> Value {
    let base = account.to_json();
    let history = balances(account, own, today, days);
    let values: Vec<f64> = history
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["current"].as_f64())
        .collect();
    let last_thirty: Vec<f64> = values.iter().take(30).copied().collect();
    let mut balances_json = base["balances"].clone();
    balances_json["average_balance"] = average(&values).into();
    balances_json["most_recent_thirty_day_average_balance"] = average(&last_thirty).into();
    json!({
        "account_id": account.account_id,
        "balances": balances_json,
        "consumer_disputes": [],
        "mask": base["mask"],
        "metadata": {"start_date": format_date(since + Duration::days(1)),
                     "end_date": format_date(today)},
        "name": base["name"],
        "official_name": base["official_name"],
        "type": base["type"],
        "subtype": base["subtype"],
        "days_available": days,
        "transactions": own.iter().map(|t| transaction(t)).collect::<Vec<_>>(),
        "owners": owners(),
        "ownership_type": null,
        "historical_balances": history,
        "attributes": flows(own, today),
    })
}

/// The mean of `values`, to the cent (0 when there are none).
fn average(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    (values.iter().sum::<f64>() / values.len() as f64 * 100.0).round() / 100.0
}

/// Money in (negative, as Plaid signs it) and out over the report and its
/// last 30, 60 and 90 days.
fn flows(found: &[&Transaction], today: Date) -> Value {
    let sum = |inflow: bool, days: Option<i64>| {
        let cents: f64 = found
            .iter()
            .filter(|t| (t.amount < 0.0) == inflow)
            .filter(|t| days.is_none_or(|d| t.date > today - Duration::days(d)))
            .map(|t| (t.amount * 100.0).round())
            .sum();
        json!({"amount": cents / 100.0, "iso_currency_code": "USD", "unofficial_currency_code": null})
    };
    let mut out = serde_json::Map::new();
    for (direction, inflow) in [("inflow", true), ("outflow", false)] {
        out.insert(format!("total_{direction}_amount"), sum(inflow, None));
        for d in [30, 60, 90] {
            out.insert(
                format!("total_{direction}_amount_{d}d"),
                sum(inflow, Some(d)),
            );
        }
    }
    Value::Object(out)
}

/// A transaction as the Base Report lists it.
fn transaction(t: &Transaction) -> Value {
    let mut json = report_transaction(t);
    json["check_number"] = Value::Null;
    json
}
