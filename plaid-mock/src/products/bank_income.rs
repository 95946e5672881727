//! Bank Income: a report over a user's items, made when an item is linked
//! for the user and at `/credit/bank_income/refresh`. It looks at the
//! credits (negative amounts) of the items' depository accounts within the
//! `days_requested` before the report was made; the credits with the same
//! description on the same account are one income source (payroll deposits
//! are `SALARY`, interest is `BANK_INTEREST`). `/credit/bank_income/get`
//! gives the newest reports, its PDF is the fake's sample file, and a
//! refresh sends `BANK_INCOME_REFRESH_COMPLETE` to the user's items' webhook.
//! A user subscribed with `/credit/bank_income/webhook/update` also gets
//! `BANK_INCOME_REFRESH_UPDATE` when a new credit reaches one of its items
//! ([`income_changed`]).

use std::collections::BTreeMap;

/// How many days of transactions a Bank Income report covers when the
/// link names none.
pub(crate) const DEFAULT_DAYS: i64 = 90;

/// The most days a Bank Income report looks back (Plaid's limit for
/// `days_requested`); larger requests are read as this many.
pub(crate) const MAX_DAYS: i64 = 731;

use serde_json::{json, Map, Value};
use time::{Date, Duration};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::errors::Refusal;
use crate::kernel::time::rfc3339;
use crate::kit::route::Route;
use crate::sandbox::data::{format_date, Account, Transaction};
use crate::sandbox::institutions::institution_name;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::users::UserState;
use crate::sandbox::{Item, PendingWebhook, State};

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "Bank Income (`get`, `pdf/get`, `refresh`) for a user no item was linked for yet",
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
    ),
    Refusal::new(
        "Bank Income (`get`, `pdf/get`, `refresh`) or Bank Employment (`/beta/credit/v1/bank_employment/get`) for a user no item with Bank Income was linked for yet",
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/credit/bank_income/get", |state, body| {
        Some(find(state, body).and_then(|id| get(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/credit/bank_income/pdf/get", |state, body| {
        find(state, body)
            .and_then(|id| newest(state, &id).map(|_| ()))
            .err()
            .map(Err)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/bank_income/refresh", |state, body| {
        Some(find(state, body).and_then(|id| refresh(state, &id, body)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/beta/credit/v1/bank_employment/get", |state, body| {
        Some(find(state, body).and_then(|id| newest(state, &id).map(|r| employment(&r))))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/bank_income/webhook/update", |state, body| {
        Some(find(state, body).map(|id| {
            let enable = body.get("enable_webhooks").and_then(Value::as_bool);
            if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(&id) {
                user.income_webhooks = enable.unwrap_or(user.income_webhooks);
            }
            json!({})
        }))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/sessions/get", |state, body| {
        Some(find(state, body).map(|id| {
            let sessions = state
                .products
                .get_mut::<UserState>()
                .users
                .get(&id)
                .map(|u| {
                    let mut newest_first = u.sessions.clone();
                    newest_first.reverse();
                    newest_first
                });
            json!({"sessions": sessions.unwrap_or_default()})
        }))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// New income reached `item_id`: when the item is a user's and the user
/// subscribed with `/credit/bank_income/webhook/update`, Plaid's
/// proactive `BANK_INCOME_REFRESH_UPDATE` goes to the item's webhook
/// (users start unsubscribed, and then nothing is sent).
pub(crate) fn income_changed(state: &mut State, item_id: &str) {
    let subscribed = state
        .products
        .get_mut::<UserState>()
        .users
        .values()
        .find(|u| u.income_webhooks && u.item_ids.iter().any(|i| i == item_id))
        .map(|u| u.user_id.clone());
    let Some(user_id) = subscribed else {
        return;
    };
    let url = state.items.get(item_id).and_then(|i| i.webhook.clone());
    state.outbox.push(PendingWebhook {
        item_id: item_id.to_owned(),
        url,
        body: json!({"webhook_type": "INCOME", "webhook_code": "BANK_INCOME_REFRESH_UPDATE",
                     "user_id": user_id, "environment": "sandbox"}),
    });
}

/// Plaid's answer for a user whose Link flow made no Bank Income yet.
fn not_found() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
        "this user has no Bank Income yet: link an item for the user first (a Link session, or /sandbox/public_token/create with its user_token)",
    )
}

/// Bank Employment from the newest Bank Income report: each `SALARY`
/// source is an employment at the employer its deposits name (the
/// description without the payroll words), from its first to its last
/// deposit; the report and source ids carry over, so reads agree.
fn employment(report: &Value) -> Value {
    let items: Vec<Value> = report["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let jobs: Vec<Value> = item["bank_income_sources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| s["income_category"] == "SALARY")
                .map(|s| {
                    json!({"bank_employment_id": s["income_source_id"],
                           "account_id": s["account_id"],
                           "employer": {"name": employer_of(s["income_description"].as_str().unwrap_or_default())},
                           "latest_deposit_date": s["end_date"],
                           "earliest_deposit_date": s["start_date"]})
                })
                .collect();
            json!({"item_id": item["item_id"], "last_updated_time": item["last_updated_time"],
                   "institution_id": item["institution_id"], "institution_name": item["institution_name"],
                   "bank_employments": jobs, "bank_employment_accounts": item["bank_income_accounts"]})
        })
        .collect();
    json!({"bank_employment_reports": [{
        "bank_employment_report_id": report["bank_income_id"],
        "generated_time": report["generated_time"],
        "days_requested": report["days_requested"],
        "items": items,
        "warnings": [],
    }]})
}

/// The employer a payroll deposit names: its words other than the ACH and
/// payroll ones and numbers (`ACH Electronic CreditGUSTO PAY 123456` →
/// `GUSTO`).
fn employer_of(description: &str) -> String {
    let upper = description
        .to_ascii_uppercase()
        .replace("ACH ELECTRONIC CREDIT", " ");
    let skip = [
        "PAY", "PAYROLL", "SALARY", "DIR", "DEP", "DIRECT", "DEPOSIT", "ACH", "PPD",
    ];
    let words: Vec<&str> = upper
        .split_whitespace()
        .filter(|w| !skip.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if words.is_empty() {
        description.to_owned()
    } else {
        words.join(" ")
    }
}

/// The user's newest report.
fn newest(state: &State, id: &str) -> Result<Value, ErrorAnswer> {
    state
        .products
        .get::<UserState>()
        .users
        .get(id)
        .and_then(|u| u.reports.last().cloned())
        .ok_or_else(not_found)
}

fn get(state: &State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    newest(state, id)?;
    let count = body
        .get("options")
        .and_then(|o| o.get("count"))
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(1) as usize;
    let reports = state
        .products
        .get::<UserState>()
        .users
        .get(id)
        .map(|u| u.reports.iter().rev().take(count).cloned().collect())
        .unwrap_or_default();
    Ok(json!({"bank_income": Value::Array(reports)}))
}

/// A new report over the user's items, as many days as the request asks or
/// as the newest report had.
fn refresh(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let last = newest(state, id)?;
    let days = body
        .get("options")
        .and_then(|o| o.get("days_requested"))
        .and_then(Value::as_i64)
        .filter(|d| *d > 0)
        .or_else(|| last["days_requested"].as_i64())
        .unwrap_or(DEFAULT_DAYS)
        .min(MAX_DAYS);
    let report = report(state, id, days);
    let items = live_items(state, id);
    let hooked = items
        .iter()
        .filter_map(|i| state.items.get(i))
        .find(|i| i.webhook.is_some())
        .or_else(|| items.first().and_then(|i| state.items.get(i)));
    let webhook = PendingWebhook {
        item_id: hooked.map(|i| i.item_id.clone()).unwrap_or_default(),
        url: hooked.and_then(|i| i.webhook.clone()),
        body: json!({"webhook_type": "INCOME", "webhook_code": "BANK_INCOME_REFRESH_COMPLETE",
                     "user_id": id, "result": "SUCCESS", "environment": "sandbox"}),
    };
    state.outbox.push(webhook);
    if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(id) {
        user.reports.push(report);
    }
    Ok(json!({}))
}

/// A `CreditBankIncome` over the user's items as they are now.
pub(crate) fn report(state: &mut State, id: &str, days: i64) -> Value {
    let now = state.now();
    let today = now.date();
    let since = today - Duration::days(days);
    let ids = live_items(state, id);
    let mut items = Vec::new();
    let mut all: Vec<&Transaction> = Vec::new();
    let mut categories = Vec::new();
    let mut sources_count = 0;
    let bank_income_id = state.rng.uuid();
    let mut source_ids = Vec::new();
    for item in ids.iter().filter_map(|i| state.items.get(i)) {
        for _ in sources(item, since, today) {
            source_ids.push(state.rng.uuid());
        }
    }
    let mut next_id = source_ids.into_iter();
    for item in ids.iter().filter_map(|i| state.items.get(i)) {
        let mut source_json = Vec::new();
        for ((account_id, name), found) in sources(item, since, today) {
            let category = category(&name);
            if !categories.contains(&category) {
                categories.push(category);
            }
            sources_count += 1;
            let dates: Vec<Date> = found.iter().map(|t| t.date).collect();
            source_json.push(json!({
                "income_source_id": next_id.next().unwrap_or_default(),
                "income_description": name,
                "income_category": category,
                "account_id": account_id,
                "start_date": dates.iter().min().map(|d| format_date(*d)),
                "end_date": dates.iter().max().map(|d| format_date(*d)),
                "pay_frequency": frequency(&dates),
                "total_amount": total(&found),
                "transaction_count": found.len(),
                "historical_summary": history(&found, since, today),
            }));
            all.extend(found);
        }
        let accounts: Vec<Value> = item
            .accounts
            .iter()
            .filter(|a| a.kind == "depository")
            .map(account_json)
            .collect();
        items.push(json!({
            "bank_income_accounts": accounts,
            "bank_income_sources": source_json,
            "last_updated_time": rfc3339(now),
            "institution_id": item.institution_id,
            "institution_name": institution_name(&item.institution_id),
            "item_id": item.item_id,
        }));
    }
    let dates: Vec<Date> = all.iter().map(|t| t.date).collect();
    let start = dates
        .iter()
        .min()
        .copied()
        .unwrap_or(since + Duration::days(1));
    let end = dates.iter().max().copied().unwrap_or(today);
    json!({
        "bank_income_id": bank_income_id,
        "generated_time": rfc3339(now),
        "days_requested": days,
        "items": items,
        "bank_income_summary": {
            "total_amount": total(&all),
            "total_amounts": [amount(total(&all))],
            "iso_currency_code": "USD",
            "unofficial_currency_code": null,
            "start_date": format_date(start),
            "end_date": format_date(end),
            "income_sources_count": sources_count,
            "income_categories_count": categories.len(),
            "income_transactions_count": all.len(),
            "historical_summary": history(&all, since, today),
        },
        "warnings": [],
    })
}

/// The item's income sources in `(since, today]`: credits to depository
/// accounts, grouped by account and description, newest first in each.
pub(crate) fn sources(
    item: &Item,
    since: Date,
    today: Date,
) -> BTreeMap<(String, String), Vec<&Transaction>> {
    let depository = |account_id: &str| {
        item.accounts
            .iter()
            .any(|a| a.account_id == account_id && a.kind == "depository")
    };
    let mut out: BTreeMap<(String, String), Vec<&Transaction>> = BTreeMap::new();
    for t in &item.transactions {
        if t.amount < 0.0
            && !t.pending
            && t.date > since
            && t.date <= today
            && depository(&t.account_id)
        {
            out.entry((t.account_id.clone(), t.name.clone()))
                .or_default()
                .push(t);
        }
    }
    out
}

pub(crate) fn category(description: &str) -> &'static str {
    let upper = description.to_ascii_uppercase();
    if ["PAYROLL", "GUSTO", " PAY ", "SALARY", "DIR DEP"]
        .iter()
        .any(|w| upper.contains(w))
    {
        "SALARY"
    } else if upper.contains("INTRST") || upper.contains("INTEREST") {
        "BANK_INTEREST"
    } else {
        "OTHER"
    }
}

/// The pay frequency the dates show: the typical gap between them.
pub(crate) fn frequency(dates: &[Date]) -> &'static str {
    let mut sorted = dates.to_vec();
    sorted.sort_unstable();
    let mut gaps: Vec<i64> = sorted
        .windows(2)
        .map(|w| (w[1] - w[0]).whole_days())
        .collect();
    if gaps.is_empty() {
        return "UNKNOWN";
    }
    gaps.sort_unstable();
    match gaps[gaps.len() / 2] {
        1 => "DAILY",
        6..=8 => "WEEKLY",
        13..=15 => "BIWEEKLY",
        16 => "SEMI_MONTHLY",
        28..=31 => "MONTHLY",
        _ => "UNKNOWN",
    }
}

/// What the credits brought in, as a positive amount.
pub(crate) fn total(found: &[&Transaction]) -> f64 {
    let cents: f64 = found.iter().map(|t| (-t.amount * 100.0).round()).sum();
    cents / 100.0
}

fn amount(total: f64) -> Value {
    json!({"amount": total, "iso_currency_code": "USD", "unofficial_currency_code": null})
}

/// One summary per calendar month of `(since, today]`, newest first.
fn history(found: &[&Transaction], since: Date, today: Date) -> Value {
    let mut out = Vec::new();
    let mut end = today;
    while end > since {
        let first = end.replace_day(1).unwrap_or(end);
        let start = if first > since {
            first
        } else {
            since + Duration::days(1)
        };
        let in_month: Vec<&Transaction> = found
            .iter()
            .filter(|t| t.date >= start && t.date <= end)
            .copied()
            .collect();
        let transactions: Vec<Value> = in_month.iter().map(|t| transaction(t)).collect();
        out.push(json!({
            "start_date": format_date(start),
            "end_date": format_date(end),
            "total_amount": total(&in_month),
            "total_amounts": [amount(total(&in_month))],
            "iso_currency_code": "USD",
            "unofficial_currency_code": null,
            "transactions": transactions,
        }));
        end = start - Duration::days(1);
    }
    Value::Array(out)
}

fn transaction(t: &Transaction) -> Value {
    json!({
        "amount": ((-t.amount) * 100.0).round() / 100.0,
        "date": format_date(t.date),
        "name": t.name,
        "original_description": t.name,
        "check_number": null,
        "transaction_id": t.transaction_id,
        "iso_currency_code": "USD",
        "unofficial_currency_code": null,
    })
}

fn account_json(account: &Account) -> Value {
    let base = account.to_json();
    json!({
        "account_id": account.account_id,
        "mask": account.mask,
        "name": account.name,
        "official_name": base["official_name"],
        "subtype": account.subtype,
        "type": account.kind,
        "owners": [{"names": ["Alberta Bobbeth Charleson"], "phone_numbers": [], "emails": [],
                    "addresses": []}],
    })
}
