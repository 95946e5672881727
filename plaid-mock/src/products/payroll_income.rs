//! Payroll and Document Income for a user: a Link session with
//! `income_verification` and `income_source_types: ["payroll"]` (a link
//! token completed with [`MockPlaid::complete_link`](crate::MockPlaid::complete_link),
//! or `/sandbox/public_token/create` with the same options) makes a
//! payroll record for the new item ([`PayrollRecord`]); with
//! `payroll_income.flow_types: ["payroll_document_income"]` only, the
//! record stands for uploaded documents instead. `/credit/payroll_income/get`,
//! `/credit/employment/get`, the risk signals and the bank statement
//! uploads read the user's records; a user with none is refused with
//! `INCOME_VERIFICATION_NOT_FOUND`, as Plaid does before Link is done.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub(crate) use super::pay_documents::PayrollRecord;
use super::pay_documents::EMPLOYERS;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::{rfc3339_of, unix};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::events::Event;
use crate::sandbox::institutions::institution_name;
use crate::sandbox::store::Kept;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::{PendingWebhook, State};

/// What Payroll and Document Income remember.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PayrollState {
    /// By `item_id`; forgotten with the item.
    pub records: BTreeMap<String, PayrollRecord>,
    /// `/income/verification/create` verifications, by id.
    #[serde(default)]
    pub verifications: BTreeMap<String, Verification>,
    /// Ids `/income/verification/precheck` handed out.
    #[serde(default)]
    pub prechecks: Vec<String>,
}

impl Kept for PayrollState {
    const KEY: &'static str = "payroll";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "Payroll Income, Employment, risk signals, parsing config or bank statement uploads (`/credit/payroll_income/…`, `/credit/employment/get`, `/credit/bank_statements/uploads/get`) for a user with no finished payroll or document Link session",
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
    ),
    Refusal::new(
        "`options.item_ids` (or `item_id`) of a payroll call naming an item that is not one of the user's payroll items",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/credit/payroll_income/get", |state, body| {
        Some({
            find(state, body).and_then(|id| selected(state, &id, body).map(|r| get(state, &r)))
        })
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/credit/payroll_income/precheck", |state, body| {
        Some(precheck(state, body))
    }),
    Route::new("/credit/payroll_income/refresh", |state, body| {
        Some(find(state, body).and_then(|id| refresh(state, &id, body)))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/payroll_income/risk_signals/get", |state, body| {
        Some(
            find(state, body)
                .and_then(|id| selected(state, &id, body))
                .map(|r| risk_signals(state, &r)),
        )
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new(
        "/credit/payroll_income/parsing_config/update",
        |state, body| Some(find(state, body).and_then(|id| parsing_config(state, &id, body))),
    )
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/employment/get", |state, body| {
        Some(
            find(state, body)
                .and_then(|id| selected(state, &id, body))
                .map(|r| employment(state, &r)),
        )
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/credit/bank_statements/uploads/get", |state, body| {
        Some(
            find(state, body)
                .and_then(|id| selected(state, &id, body))
                .map(|r| uploads(state, &r)),
        )
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/employers/search", |_state, body| {
        Some(Ok(employers_search(text(body, "query"))))
    }),
];

/// Plaid's answer when no Link session with Income was finished for the
/// user (or the id names no verification).
pub(crate) fn not_found() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
        "no income verification was found: finish a Link session with income_verification (payroll) for this user first",
    )
}

/// Makes the payroll record of an item just linked, and says how many pay
/// stubs and W-2s it holds.
pub(crate) fn made(
    state: &mut State,
    item_id: &str,
    user_id: Option<&str>,
    document: bool,
) -> (usize, usize) {
    let today = state.now().date();
    let mut record = PayrollRecord::new(&mut state.rng, item_id, document, today);
    record.user_id = user_id.map(str::to_owned);
    record.updated_at = unix(state.now());
    let stubs = record.stub_ids.len();
    state
        .products
        .get_mut::<PayrollState>()
        .records
        .insert(item_id.to_owned(), record);
    (stubs, 1)
}

/// The item ids of the user's payroll records, oldest item first.
fn user_records(state: &State, user_id: &str) -> Vec<String> {
    live_items(state, user_id)
        .into_iter()
        .filter(|i| state.products.get::<PayrollState>().records.contains_key(i))
        .collect()
}

/// The user's records that `options.item_ids` (or `item_id`) selects, all
/// of them when it names none. None at all → `INCOME_VERIFICATION_NOT_FOUND`;
/// an id that is not one of them → `INVALID_FIELD`.
fn selected(
    state: &State,
    user_id: &str,
    body: &Map<String, Value>,
) -> Result<Vec<String>, ErrorAnswer> {
    let own = user_records(state, user_id);
    if own.is_empty() {
        return Err(not_found());
    }
    let named: Vec<&str> = body
        .get("options")
        .and_then(|o| o.get("item_ids"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .chain(body.get("item_id").and_then(Value::as_str))
        .collect();
    if named.is_empty() {
        return Ok(own);
    }
    if let Some(other) = named.iter().find(|i| !own.iter().any(|o| o == *i)) {
        return Err(errors::unknown_object("item_ids", other));
    }
    Ok(own
        .into_iter()
        .filter(|o| named.contains(&o.as_str()))
        .collect())
}

fn record<'a>(state: &'a State, item_id: &str) -> Option<&'a PayrollRecord> {
    state.products.get::<PayrollState>().records.get(item_id)
}

fn institution(state: &State, item_id: &str) -> String {
    state
        .items
        .get(item_id)
        .map(|i| i.institution_id.clone())
        .unwrap_or_default()
}

fn get(state: &State, item_ids: &[String]) -> Value {
    let items: Vec<Value> = item_ids
        .iter()
        .filter_map(|id| record(state, id))
        .map(|r| payroll_item(state, r))
        .collect();
    json!({"items": items})
}

/// A `PayrollItem`.
pub(crate) fn payroll_item(state: &State, r: &PayrollRecord) -> Value {
    let institution_id = institution(state, &r.item_id);
    let accounts: Vec<Value> = r
        .account_id
        .iter()
        .map(|a| {
            json!({"account_id": a, "pay_frequency": "BIWEEKLY",
                   "rate_of_pay": {"pay_rate": "ANNUAL", "pay_amount": r.annual_cents as f64 / 100.0}})
        })
        .collect();
    json!({
        "item_id": r.item_id,
        "institution_id": institution_id,
        "institution_name": institution_name(&institution_id),
        "accounts": accounts,
        "payroll_income": [{
            "account_id": r.account_id,
            "pay_stubs": r.credit_pay_stubs(),
            "w2s": [r.w2()],
            "form1099s": [],
        }],
        "status": {"processing_status": "PROCESSING_COMPLETE"},
        "updated_at": rfc3339_of(r.updated_at),
    })
}

/// How sure the fake is that the user's payroll can be linked: an employer
/// it knows or a named payroll provider → `HIGH`; only an employer it does
/// not know → `LOW`; nothing to go on → `UNKNOWN`. The user and access tokens named must exist.
pub(crate) fn precheck(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    if body.contains_key("user_token") || body.contains_key("user_id") {
        find(state, body)?;
    }
    for field in ["access_tokens", "transactions_access_tokens"] {
        for token in body
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            state.item_id_for(token.as_str().unwrap_or_default())?;
        }
    }
    let single = text(body, "transactions_access_token");
    if !single.is_empty() {
        state.item_id_for(single)?;
    }
    let whole = Value::Object(body.clone());
    let named = |pointer: &str| {
        whole
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase)
            .filter(|v| !v.is_empty())
    };
    let employer = named("/employer/name");
    let provider = named("/payroll_institution/name");
    let known = |name: &str| {
        EMPLOYERS
            .iter()
            .any(|e| name.contains(e.name) || e.name.contains(name))
    };
    let confidence = match (&employer, &provider) {
        (None, None) => "UNKNOWN",
        _ if employer.as_deref().is_some_and(known) || provider.is_some() => "HIGH",
        _ => "LOW",
    };
    Ok(json!({"confidence": confidence}))
}

/// Pulls the selected records again (new pay stubs, `updated_at` now).
/// Payroll logins refresh without the user (`SUCCESSFUL`, then an
/// `INCOME_VERIFICATION` webhook); uploaded documents cannot be pulled
/// again (`USER_PRESENCE_REQUIRED`, then
/// `INCOME_VERIFICATION_REFRESH_RECONNECT_NEEDED`).
fn refresh(state: &mut State, id: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let ids = selected(state, id, body)?;
    let override_url = body
        .get("options")
        .and_then(|o| o.get("webhook"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let today = state.now().date();
    let now = unix(state.now());
    let mut any_document = false;
    for item_id in &ids {
        let Some(mut r) = state
            .products
            .get_mut::<PayrollState>()
            .records
            .remove(item_id)
        else {
            continue;
        };
        if r.document {
            any_document = true;
        } else {
            r.pull(&mut state.rng, today);
            r.updated_at = now;
        }
        state
            .products
            .get_mut::<PayrollState>()
            .records
            .insert(item_id.clone(), r);
    }
    let first = ids.first().cloned().unwrap_or_default();
    let url = override_url.or_else(|| state.items.get(&first).and_then(|i| i.webhook.clone()));
    let (status, hook) = if any_document {
        (
            "USER_PRESENCE_REQUIRED",
            json!({"webhook_type": "INCOME", "webhook_code": "INCOME_VERIFICATION_REFRESH_RECONNECT_NEEDED",
                   "user_id": id, "environment": "sandbox"}),
        )
    } else {
        (
            "SUCCESSFUL",
            verification_hook(&first, Some(id), "VERIFICATION_STATUS_PROCESSING_COMPLETE"),
        )
    };
    state.outbox.push(PendingWebhook {
        item_id: first,
        url,
        body: hook,
    });
    Ok(json!({"verification_refresh_status": status}))
}

/// An `INCOME_VERIFICATION` webhook body.
pub(crate) fn verification_hook(item_id: &str, user_id: Option<&str>, status: &str) -> Value {
    let mut body = json!({"webhook_type": "INCOME", "webhook_code": "INCOME_VERIFICATION",
        "item_id": item_id, "verification_status": status, "environment": "sandbox"});
    if let Some(user) = user_id {
        body["user_id"] = json!(user);
    }
    body
}

/// Risk signals per document: the fake's documents are its own, so none
/// carries a fraud signal (score 0). Payroll logins give no documents to
/// check and answer an empty list, as Plaid's risk signals are for uploads.
fn risk_signals(state: &State, item_ids: &[String]) -> Value {
    let items: Vec<Value> = item_ids
        .iter()
        .filter_map(|id| record(state, id))
        .map(|r| {
            let signals: Vec<Value> = if r.document {
                let stubs = r
                    .stub_ids
                    .iter()
                    .zip(&r.pay_dates)
                    .map(|(id, date)| (id.clone(), format!("paystub_{date}.pdf"), "PAYSLIP"));
                let w2 = (
                    r.w2_id.clone(),
                    format!("w2_{}.pdf", r.tax_year()),
                    "TAX_FORM",
                );
                let single: Vec<Value> = stubs
                    .chain(std::iter::once(w2))
                    .map(|(id, name, kind)| {
                        json!({"document_reference": {"document_id": id, "document_name": name,
                                   "status": "PROCESSING_COMPLETE", "document_type": kind,
                                   "file_type": "TRUE_PDF"},
                               "risk_summary": {"risk_score": 0}, "risk_signals": []})
                    })
                    .collect();
                vec![
                    json!({"account_id": null, "single_document_risk_signals": single,
                            "multi_document_risk_signals": []}),
                ]
            } else {
                Vec::new()
            };
            json!({"item_id": r.item_id, "verification_risk_signals": signals})
        })
        .collect();
    json!({"items": items})
}

/// Remembers which parsing the user's document items (or the one named)
/// asked for.
fn parsing_config(
    state: &mut State,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let ids = selected(state, id, body)?;
    let config: Vec<String> = body
        .get("parsing_config")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for item_id in ids {
        if let Some(r) = state
            .products
            .get_mut::<PayrollState>()
            .records
            .get_mut(&item_id)
        {
            r.parsing_config = config.clone();
        }
    }
    Ok(json!({}))
}

/// The employment each record shows: the employer, title and hire date of
/// the pay data, the newest pay stub's date.
fn employment(state: &State, item_ids: &[String]) -> Value {
    let items: Vec<Value> = item_ids
        .iter()
        .filter_map(|id| record(state, id))
        .map(|r| json!({"item_id": r.item_id, "employments": [employment_json(r)]}))
        .collect();
    json!({"items": items})
}

fn employment_json(r: &PayrollRecord) -> Value {
    json!({
        "account_id": r.account_id,
        "status": "ACTIVE",
        "start_date": r.hire_date,
        "end_date": null,
        "employer": {"name": r.employer().name},
        "title": r.employer().title,
        "platform_ids": {"employee_id": r.employee_id, "payroll_id": r.employee_id,
                         "position_id": null},
        "employee_type": "FULL_TIME",
        "last_paystub_date": r.pay_dates.first(),
    })
}

/// The employment of one item's record, in the older
/// (`/employment/verification/get`) form.
pub(crate) fn verification_employment(r: &PayrollRecord) -> Value {
    json!({
        "status": "EMPLOYMENT_STATUS_ACTIVE",
        "start_date": r.hire_date,
        "end_date": null,
        "employer": {"name": r.employer().name},
        "title": r.employer().title,
        "platform_ids": {"employee_id": r.employee_id, "payroll_id": r.employee_id,
                         "position_id": null},
    })
}

/// Bank statements uploaded in the user's Document Income sessions: the
/// fake's document flow uploads pay stubs and W-2s only, so each document
/// item lists none; payroll logins are no uploads and are left out.
fn uploads(state: &State, item_ids: &[String]) -> Value {
    let items: Vec<Value> = item_ids
        .iter()
        .filter_map(|id| record(state, id))
        .filter(|r| r.document)
        .map(|r| {
            json!({"item_id": r.item_id, "bank_statements": [],
                   "status": {"processing_status": "PROCESSING_COMPLETE"},
                   "updated_at": rfc3339_of(r.updated_at)})
        })
        .collect();
    json!({"items": items})
}

/// The fake's employers whose name contains `query` (any case): those the
/// name starts with score 1, the others 0.5; ids `emp_1`… in list order.
fn employers_search(query: &str) -> Value {
    let wanted = query.trim().to_ascii_uppercase();
    let employers: Vec<Value> = EMPLOYERS
        .iter()
        .enumerate()
        .filter(|(_, e)| !wanted.is_empty() && e.name.contains(&wanted))
        .map(|(i, e)| {
            let score = if e.name.starts_with(&wanted) {
                1.0
            } else {
                0.5
            };
            json!({"employer_id": format!("emp_{}", i + 1), "name": e.name,
                   "address": {"street": e.street, "city": e.city, "region": e.region,
                               "postal_code": e.postal_code, "country": "US"},
                   "confidence_score": score})
        })
        .collect();
    json!({"employers": employers})
}

/// Forgets the payroll record of a removed item.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    if let Event::ItemRemoved { item_id } = *event {
        state
            .products
            .get_mut::<PayrollState>()
            .records
            .remove(item_id);
    }
}

/// One `/income/verification/create` verification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Verification {
    /// Where its `INCOME_VERIFICATION` webhooks go.
    pub webhook: String,
    /// The `/income/verification/precheck` it was made from, if any.
    pub precheck_id: Option<String>,
    /// The items whose payroll data the verification reads.
    pub item_ids: Vec<String>,
    /// Unix seconds.
    pub created_at: i64,
}
