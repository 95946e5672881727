//! Cash Flow Updates (monitoring): a user (or one of its items) is
//! subscribed with a webhook and gets a `subscription_id`; `…/get` answers
//! for a subscribed user with its items' accounts (as the Base Report has
//! them), income sources and monthly income over the last 90 days (the
//! loan figures are the spec's example); unsubscribing ends it, after which
//! `…/get` and a second unsubscribe are refused.
//! `/sandbox/cra/cashflow_updates/update` sends a subscribed user's
//! `CASH_FLOW_UPDATES` webhooks.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use super::super::bank_income::{category, sources, total};
use super::base_report;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339;
use crate::kit::example::example;
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::products::cra::CraState;
use crate::sandbox::data::format_date;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::{PendingWebhook, State};

/// How many days the monitoring insights look back.
const DAYS: i64 = 90;

/// One monitoring subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Subscription {
    pub user_id: String,
    /// The one item subscribed, when the request named one.
    pub item_id: Option<String>,
    pub webhook: String,
}

/// `/cra/monitoring_insights/get`, whose example carries the insights the
/// fake reports.
const GET: Route = Route::new("/cra/monitoring_insights/get", |state, body| {
    Some(find(state, body).and_then(|id| get(state, &id)))
})
.refuses_samples("MISSING_FIELDS");

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/cra/monitoring_insights/get` or `/sandbox/cra/cashflow_updates/update` for a user with no subscription (never subscribed, or unsubscribed); `/cra/monitoring_insights/subscribe` naming an `item_id` that is not the user's; `/cra/monitoring_insights/unsubscribe` with a `subscription_id` never issued or already ended",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/cra/monitoring_insights/subscribe", |state, body| {
        Some(find(state, body).and_then(|id| subscribe(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
    GET,
    Route::new("/cra/monitoring_insights/unsubscribe", |state, body| {
        Some({
            let id = text(body, "subscription_id");
            match state
                .products
                .get_mut::<CraState>()
                .subscriptions
                .remove(id)
            {
                Some(_) => Ok(json!({})),
                None => Err(errors::unknown_object("subscription_id", id)),
            }
        })
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/cra/cashflow_updates/update", |state, body| {
        Some(find(state, body).and_then(|id| simulate(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
];

/// Sends what an update of the user's insights would: `INSIGHTS_UPDATED`
/// and each event the request names, to every subscription's webhook.
fn simulate(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let hooks: Vec<(String, Option<String>)> = state
        .products
        .get_mut::<CraState>()
        .subscriptions
        .values()
        .filter(|s| s.user_id == id)
        .map(|s| (s.webhook.clone(), s.item_id.clone()))
        .collect();
    if hooks.is_empty() {
        return Err(unsubscribed());
    }
    let mut codes = vec![Value::from("INSIGHTS_UPDATED")];
    codes.extend(
        body.get("webhook_codes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .cloned(),
    );
    let first_item = live_items(state, id).first().cloned().unwrap_or_default();
    for (url, item_id) in hooks {
        for code in &codes {
            state.outbox.push(PendingWebhook {
                item_id: item_id.clone().unwrap_or_else(|| first_item.clone()),
                url: Some(url.clone()),
                body: json!({"webhook_type": "CASH_FLOW_UPDATES", "webhook_code": code,
                             "status": "AVAILABLE", "user_id": id, "environment": "sandbox"}),
            });
        }
    }
    Ok(json!({}))
}

/// The answer for a user with no subscription (Plaid documents no code for
/// it: `INVALID_FIELD`).
fn unsubscribed() -> ErrorAnswer {
    errors::invalid_field(
        "this user has no Cash Flow Updates subscription: call /cra/monitoring_insights/subscribe first",
    )
}

fn subscribe(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let item_id = body
        .get("item_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(item) = &item_id {
        if !live_items(state, id).contains(item) {
            return Err(errors::unknown_object("item_id", item));
        }
    }
    let subscription_id = state.rng.uuid();
    state.products.get_mut::<CraState>().subscriptions.insert(
        subscription_id.clone(),
        Subscription {
            user_id: id.to_owned(),
            item_id,
            webhook: text(body, "webhook").to_owned(),
        },
    );
    Ok(json!({"subscription_id": subscription_id}))
}

fn get(state: &mut State, id: &str) -> Result<Value, ErrorAnswer> {
    let subscribed: Vec<Subscription> = state
        .products
        .get_mut::<CraState>()
        .subscriptions
        .values()
        .filter(|s| s.user_id == id)
        .cloned()
        .collect();
    if subscribed.is_empty() {
        return Err(unsubscribed());
    }
    let items: Vec<String> = live_items(state, id)
        .into_iter()
        .filter(|i| {
            subscribed
                .iter()
                .any(|s| s.item_id.as_ref().is_none_or(|only| only == i))
        })
        .collect();
    let now = state.now();
    let today = now.date();
    let report_id = state.rng.uuid();
    let base = base_report::report(state, &items, &report_id, DAYS, None);
    let mut answer = example(GET.path);
    let template = answer["items"][0].clone();
    let mut out = Vec::new();
    for base_item in base["items"].as_array().into_iter().flatten() {
        let found: Vec<(String, Option<String>, f64)> = match base_item["item_id"]
            .as_str()
            .and_then(|i| state.items.get(i))
        {
            Some(item) => sources(item, today - Duration::days(DAYS), today)
                .into_iter()
                .map(|((_, name), list)| {
                    let last = list.iter().map(|t| t.date).max().map(format_date);
                    (name, last, total(&list))
                })
                .collect(),
            None => continue,
        };
        // What came in over the 90 days, as a month's and a year's worth.
        let income: f64 = found.iter().map(|(_, _, amount)| amount).sum();
        let monthly = (income / 3.0 * 100.0).round() / 100.0;
        let count = found.len();
        let mut income_sources = Vec::new();
        for (name, last, _) in found {
            income_sources.push(json!({
                "income_source_id": state.rng.uuid(),
                "income_category": category(&name),
                "income_description": name,
                "last_transaction_date": last,
            }));
        }
        let mut entry = template.clone();
        entry["date_generated"] = rfc3339(now).into();
        entry["item_id"] = base_item["item_id"].clone();
        entry["institution_id"] = base_item["institution_id"].clone();
        entry["institution_name"] = base_item["institution_name"].clone();
        entry["accounts"] = base_item["accounts"].clone();
        entry["insights"]["income"]["income_sources"] = Value::Array(income_sources);
        let income = &mut entry["insights"]["income"];
        income["income_sources_counts"] = json!({"current_count": count});
        income["total_monthly_income"] = json!({"current_amount": monthly});
        income["forecasted_monthly_income"] = json!({"current_amount": monthly});
        income["historical_annual_income"] =
            json!({"current_amount": (monthly * 12.0 * 100.0).round() / 100.0});
        out.push(entry);
    }
    answer["user_insights_id"] = state.rng.uuid().into();
    answer["items"] = Value::Array(out);
    Ok(answer)
}
