//! Consumer Report by Plaid Check: `/cra/check_report/create` takes a
//! snapshot of a user's items (their accounts, balances, transactions and
//! owners) as the user's one current report and queues the
//! `CHECK_REPORT_READY` webhook to the URL the request named (the fake has
//! no timed delivery, so it goes out with the create answer, as Bank
//! Income's refresh webhook does). The report can be read 5 seconds of the
//! fake's clock later; until then every `…/get` answers
//! `CONSUMER_REPORT_ERROR` / `PRODUCT_NOT_READY`, as Assets does. A report
//! lasts 24 hours (`CONSUMER_REPORT_EXPIRED` after). A user with no live
//! items, or with an item whose login needs repair, gets a failed report
//! (`CHECK_REPORT_FAILED`, then `DATA_UNAVAILABLE`). The Base Report, Income Insights and verification
//! reports are made from the snapshot; the partner, network, cash-flow and
//! LendScore answers carry the spec's example scores around the report's
//! own ids and items. Reports, monitoring subscriptions and loans die with
//! their user.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::{rfc3339_of, unix};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::events::Event;
use crate::sandbox::store::Kept;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::{PendingWebhook, State};

mod base_report;
pub(crate) mod insights;
pub(crate) mod loans;
pub(crate) mod monitoring;
mod verification;

/// How long after creation a report can be read.
pub(crate) const READY_AFTER: Duration = Duration::seconds(5);

/// How long a report can be read (Plaid keeps one for 24 hours).
pub(crate) const LIFETIME: Duration = Duration::hours(24);

/// The fewest and most days a report looks back, and what it looks back
/// when the request leaves it to Plaid.
pub(crate) const MIN_DAYS: i64 = 180;
/// See [`MIN_DAYS`].
pub(crate) const MAX_DAYS: i64 = 731;
/// See [`MIN_DAYS`].
pub(crate) const DEFAULT_DAYS: i64 = 365;

/// A user's current Consumer Report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CheckReport {
    pub report_id: String,
    pub client_report_id: Option<String>,
    pub days_requested: i64,
    /// Unix seconds: made, readable from, readable until.
    pub created_at: i64,
    pub ready_at: i64,
    pub expires_at: i64,
    /// Why the report could not be made (no items, or an item needing
    /// its login repaired), if it could not.
    pub failed: Option<String>,
    /// The `BaseReport` object.
    pub base: Value,
    /// The `CraIncomeInsights` object.
    pub income: Value,
}

/// What Plaid Check remembers.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct CraState {
    /// By `user_id`.
    pub reports: BTreeMap<String, CheckReport>,
    /// Monitoring subscriptions, by `subscription_id`.
    pub subscriptions: BTreeMap<String, monitoring::Subscription>,
    /// Registered loans, by `loan_id`.
    pub loans: BTreeMap<String, loans::StoredLoan>,
    /// Registered loan applications, by `application_id`.
    pub applications: BTreeMap<String, loans::StoredApplication>,
}

impl Kept for CraState {
    const KEY: &'static str = "cra";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a Consumer Report `…/get` (or its PDFs) within 5 seconds of the fake's clock after `/cra/check_report/create`, or for a user no report was asked for",
        400,
        "CONSUMER_REPORT_ERROR",
        "PRODUCT_NOT_READY",
    ),
    Refusal::new(
        "a Consumer Report `…/get` (or its PDFs) 24 hours or more after it was made",
        400,
        "CONSUMER_REPORT_ERROR",
        "CONSUMER_REPORT_EXPIRED",
    ),
    Refusal::new(
        "a Consumer Report `…/get` (or its PDFs) of a user who had no live items when the report was made, or one of whose items needed its login repaired (`/sandbox/item/reset_login`)",
        400,
        "CHECK_REPORT_ERROR",
        "DATA_UNAVAILABLE",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/cra/check_report/create", |state, body| {
        Some(find(state, body).map(|id| create(state, &id, body)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/cra/check_report/pdf/get", |state, body| {
        find(state, body)
            .and_then(|id| ready(state, &id).map(|_| ()))
            .err()
            .map(Err)
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/cra/check_report/verification/pdf/get", |state, body| {
        find(state, body)
            .and_then(|id| ready(state, &id).map(|_| ()))
            .err()
            .map(Err)
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/consumer_report/pdf/get", |state, body| {
        find(state, body)
            .and_then(|id| ready(state, &id).map(|_| ()))
            .err()
            .map(Err)
    })
    .refuses_samples("INVALID_FIELD"),
];

/// Drops what Plaid Check keeps for a removed user.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    if let Event::UserRemoved { user_id, .. } = *event {
        forget_user(state, user_id);
    }
}

/// Drops what Plaid Check keeps for user `user_id`.
fn forget_user(state: &mut State, user_id: &str) {
    let cra = &mut state.products.get_mut::<CraState>();
    cra.reports.remove(user_id);
    cra.subscriptions.retain(|_, s| s.user_id != user_id);
    cra.loans.retain(|_, l| l.user_id != user_id);
    cra.applications.retain(|_, a| a.user_id != user_id);
}

/// `days_requested` as Plaid reads it: at least 180, at most 731.
fn days(body: &Map<String, Value>) -> i64 {
    body.get("days_requested")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_DAYS)
        .clamp(MIN_DAYS, MAX_DAYS)
}

/// Makes the user's report anew and queues the webhook that says how it
/// went.
fn create(state: &mut State, id: &str, body: &Map<String, Value>) -> Value {
    let now = state.now();
    let days = days(body);
    let items = live_items(state, id);
    let report_id = state.rng.uuid();
    let client_report_id = body
        .get("client_report_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let base = base_report::report(state, &items, &report_id, days, client_report_id.as_deref());
    let income = insights::income(state, &items, &report_id, days, client_report_id.as_deref());
    let report = CheckReport {
        report_id,
        client_report_id,
        days_requested: days,
        created_at: unix(now),
        ready_at: unix(now + READY_AFTER),
        expires_at: unix(now + LIFETIME),
        failed: failure(state, &items),
        base,
        income,
    };
    let mut hook = json!({"webhook_type": "CHECK_REPORT", "user_id": id,
                          "environment": "sandbox"});
    if report.failed.is_some() {
        hook["webhook_code"] = "CHECK_REPORT_FAILED".into();
    } else {
        hook["webhook_code"] = "CHECK_REPORT_READY".into();
        let mut products = vec![Value::from("cra_base_report")];
        products.extend(
            body.get("products")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .cloned(),
        );
        hook["successful_products"] = Value::Array(products);
    }
    state.outbox.push(PendingWebhook {
        item_id: items.first().cloned().unwrap_or_default(),
        url: Some(text(body, "webhook").to_owned()).filter(|u| !u.is_empty()),
        body: hook,
    });
    state
        .products
        .get_mut::<CraState>()
        .reports
        .insert(id.to_owned(), report);
    json!({})
}

/// Why a report over `items` cannot be made now, if it cannot.
fn failure(state: &State, items: &[String]) -> Option<String> {
    if items.is_empty() {
        return Some("the user had no linked items to report on when the report was made".into());
    }
    items
        .iter()
        .filter_map(|i| state.items.get(i))
        .find(|i| i.login_required)
        .map(|i| {
            format!(
                "item {} needed its login repaired (ITEM_LOGIN_REQUIRED) when the report was made; repair it in Link update mode and create the report again",
                i.item_id
            )
        })
}

/// Plaid's answer when a report cannot be read yet (or, in the fake, was
/// never asked for).
fn not_ready(message: &str) -> ErrorAnswer {
    ErrorAnswer::new(400, "CONSUMER_REPORT_ERROR", "PRODUCT_NOT_READY", message)
}

/// The user's report, once it is ready and while it lasts.
fn ready(state: &State, id: &str) -> Result<CheckReport, ErrorAnswer> {
    let report = state
        .products
        .get::<CraState>()
        .reports
        .get(id)
        .ok_or_else(|| {
            not_ready("this user has no consumer report: call /cra/check_report/create first")
        })?;
    let now = unix(state.now());
    if now < report.ready_at {
        return Err(not_ready(
            "the consumer report is still being made; wait for the CHECK_REPORT_READY webhook",
        ));
    }
    if now >= report.expires_at {
        return Err(ErrorAnswer::new(
            400,
            "CONSUMER_REPORT_ERROR",
            "CONSUMER_REPORT_EXPIRED",
            format!(
                "the consumer report made at {} has expired (24 hours); call /cra/check_report/create again",
                rfc3339_of(report.created_at)
            ),
        ));
    }
    if let Some(why) = &report.failed {
        return Err(ErrorAnswer::new(
            400,
            "CHECK_REPORT_ERROR",
            "DATA_UNAVAILABLE",
            why.clone(),
        ));
    }
    Ok(report.clone())
}

/// The user named by `user_token` in an entry of a batch request (loans,
/// applications), found as [`find`] finds one.
fn user_of(state: &State, entry: &Value) -> Result<String, ErrorAnswer> {
    match entry.as_object() {
        Some(fields) => find(state, fields),
        None => Err(errors::missing_fields(&["user_token"])),
    }
}
