//! Statements: each depository and credit account of the item has a
//! statement for each of the last twelve months, posted on the month's
//! first day; `/statements/download` gives the PDF of one of them, and
//! `/statements/refresh` tells the item's webhook when it is done.

use serde_json::{json, Map, Value};
use time::{Date, Month};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::rng::Rng;
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::data::{format_date, Account, Institution};
use crate::sandbox::{parse_date, PendingWebhook, State};

/// How many monthly statements an account has.
const MONTHS: i32 = 12;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/statements/download` with a `statement_id` that `/statements/list` does not give for the item",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/statements/refresh` with `start_date` after `end_date`",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/statements/list", |state, body| {
        let token = text(body, "access_token");
        Some(list(state, token))
    }),
    Route::new("/statements/download", |state, body| {
        let token = text(body, "access_token");
        download(state, token, text(body, "statement_id"))
            .err()
            .map(Err)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/statements/refresh", |state, body| {
        let token = text(body, "access_token");
        Some(refresh(state, token, body))
    }),
];

/// The statements of `account` as of `today`: (id, year, month), newest
/// first. The ids are drawn from the account id and the month, so they stay
/// the same from call to call.
fn statements(account: &Account, today: Date) -> Vec<(String, i32, Month)> {
    if !matches!(&*account.kind, "depository" | "credit") {
        return Vec::new();
    }
    let (mut year, mut month) = (today.year(), today.month());
    let mut out = Vec::new();
    for _ in 0..MONTHS {
        month = month.previous();
        if month == Month::December {
            year -= 1;
        }
        let seed = account
            .account_id
            .bytes()
            .fold(u64::from(u8::from(month)) + 31 * year as u64, |h, b| {
                h.wrapping_mul(131).wrapping_add(u64::from(b))
            });
        out.push((Rng::new(seed).id(), year, month));
    }
    out
}

fn list(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    let today = state.now().date();
    let item = state.healthy_item(token)?;
    let accounts: Vec<Value> = item
        .accounts
        .iter()
        .filter(|a| !statements(a, today).is_empty())
        .map(|a| {
            let statements: Vec<Value> = statements(a, today)
                .into_iter()
                .map(|(id, year, month)| {
                    let posted = Date::from_calendar_date(year, month, 1).map(format_date).ok();
                    json!({"statement_id": id, "month": u8::from(month), "year": year,
                           "date_posted": posted})
                })
                .collect();
            json!({"account_id": a.account_id, "account_mask": a.mask, "account_name": a.name,
                   "account_official_name": a.to_json()["official_name"], "account_subtype": a.subtype,
                   "account_type": a.kind, "statements": statements})
        })
        .collect();
    Ok(json!({
        "item_id": item.item_id,
        "institution_id": item.institution_id,
        "institution_name": Institution::find(&item.institution_id).map(|i| i.name).unwrap_or_default(),
        "accounts": accounts,
    }))
}

fn download(state: &mut State, token: &str, statement_id: &str) -> Result<(), ErrorAnswer> {
    let today = state.now().date();
    let item = state.healthy_item(token)?;
    let known = item.accounts.iter().any(|a| {
        statements(a, today)
            .iter()
            .any(|(id, _, _)| id == statement_id)
    });
    if known {
        Ok(())
    } else {
        Err(crate::kernel::errors::unknown_id(
            "statement_id",
            statement_id,
        ))
    }
}

fn refresh(
    state: &mut State,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let start = parse_date(body, "start_date")?;
    let end = parse_date(body, "end_date")?;
    if start > end {
        return Err(errors::invalid_field(
            "start_date must not be after end_date",
        ));
    }
    let item = state.healthy_item(token)?;
    let webhook = PendingWebhook {
        item_id: item.item_id.clone(),
        url: item.webhook.clone(),
        body: json!({"webhook_type": "STATEMENTS", "webhook_code": "STATEMENTS_REFRESH_COMPLETE",
                     "item_id": item.item_id, "result": "SUCCESS", "environment": "sandbox"}),
    };
    state.outbox.push(webhook);
    Ok(json!({}))
}
