//! Recurring transactions: streams found in the item's own transactions.
//! Transactions of one account with the same merchant (or, without one,
//! the same description) and the same direction form a stream when the
//! days between them keep one cadence; money out is an outflow stream,
//! money in an inflow stream.
//!
//! A stream is `MATURE` from its third transaction (its second for an
//! annual one), `EARLY_DETECTION` before that, and `TOMBSTONED` when an
//! early stream's next transaction is overdue; a mature stream whose next
//! transaction is overdue stays `MATURE` but is no longer active.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use time::{Date, Duration};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::rng::Rng;
use crate::kernel::time::rfc3339;
use crate::kit::route::{Handled, Route};
use crate::sandbox::data::{format_date, Transaction};
use crate::sandbox::State;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[Refusal::new(
    "`/transactions/recurring/get` before the item's transactions are ready",
    400,
    "ITEM_ERROR",
    "PRODUCT_NOT_READY",
)];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[Route::new("/transactions/recurring/get", handle)];

/// Answers `/transactions/recurring/get`.
pub(crate) fn handle(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(recurring(state, body))
}

/// A cadence Plaid names, with the gaps (in days) that count as it and its
/// usual gap.
struct Cadence {
    frequency: &'static str,
    gaps: std::ops::RangeInclusive<i64>,
    nominal: i64,
    /// Transactions a stream of this cadence needs to be `MATURE`.
    mature_at: usize,
}

/// The cadences, narrowest first.
const CADENCES: &[Cadence] = &[
    Cadence {
        frequency: "WEEKLY",
        gaps: 6..=8,
        nominal: 7,
        mature_at: 3,
    },
    Cadence {
        frequency: "BIWEEKLY",
        gaps: 13..=15,
        nominal: 14,
        mature_at: 3,
    },
    Cadence {
        frequency: "SEMI_MONTHLY",
        gaps: 12..=19,
        nominal: 15,
        mature_at: 3,
    },
    Cadence {
        frequency: "MONTHLY",
        gaps: 27..=33,
        nominal: 30,
        mature_at: 3,
    },
    Cadence {
        frequency: "ANNUALLY",
        gaps: 358..=372,
        nominal: 365,
        mature_at: 2,
    },
];

fn recurring(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let today = state.now().date();
    let now = state.now();
    let token = body
        .get("access_token")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let item = state.healthy_item(token)?;
    if !item.transactions_ready {
        return Err(errors::product_not_ready());
    }
    let wanted: Option<Vec<&str>> = body
        .get("account_ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    if let Some(wanted) = &wanted {
        if wanted
            .iter()
            .any(|id| !item.accounts.iter().any(|a| a.account_id == *id))
        {
            return Err(crate::kit::accounts::invalid_account_id());
        }
    }
    // Posted transactions by account, merchant and direction, oldest first.
    let mut groups: BTreeMap<(String, String, bool), Vec<&Transaction>> = BTreeMap::new();
    for t in item.transactions.iter().filter(|t| !t.pending) {
        if wanted
            .as_ref()
            .is_some_and(|w| !w.contains(&t.account_id.as_str()))
        {
            continue;
        }
        let merchant = t.merchant_name.as_deref().unwrap_or(&t.name).to_lowercase();
        groups
            .entry((t.account_id.clone(), merchant, t.amount > 0.0))
            .or_default()
            .push(t);
    }
    let (mut inflow, mut outflow) = (Vec::new(), Vec::new());
    for ((account_id, merchant, out), mut list) in groups {
        list.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then(a.transaction_id.cmp(&b.transaction_id))
        });
        let Some(stream) = stream(&item.item_id, &account_id, &merchant, &list, today) else {
            continue;
        };
        if out {
            outflow.push(stream);
        } else {
            inflow.push(stream);
        }
    }
    let updated = item.transactions_updated.unwrap_or(now);
    Ok(json!({"inflow_streams": inflow, "outflow_streams": outflow,
              "updated_datetime": rfc3339(updated.replace_nanosecond(0).unwrap_or(updated))}))
}

/// The cadence every gap between `dates` keeps, if one does.
fn cadence(dates: &[Date]) -> Option<&'static Cadence> {
    let gaps: Vec<i64> = dates
        .windows(2)
        .map(|w| (w[1] - w[0]).whole_days())
        .collect();
    if gaps.is_empty() {
        return None;
    }
    CADENCES
        .iter()
        .find(|c| gaps.iter().all(|g| c.gaps.contains(g)))
}

/// `list` (one account's transactions with one merchant, oldest first) as
/// a stream, if it keeps a cadence.
fn stream(
    item_id: &str,
    account_id: &str,
    merchant: &str,
    list: &[&Transaction],
    today: Date,
) -> Option<Value> {
    let dates: Vec<Date> = list.iter().map(|t| t.date).collect();
    let cadence = cadence(&dates)?;
    let (first, last) = (list.first()?, list.last()?);
    let overdue = today > last.date + Duration::days(*cadence.gaps.end());
    let mature = list.len() >= cadence.mature_at;
    let status = match (mature, overdue) {
        (true, _) => "MATURE",
        (false, false) => "EARLY_DETECTION",
        (false, true) => "TOMBSTONED",
    };
    let total: f64 = list.iter().map(|t| t.amount).sum();
    let average = (total / list.len() as f64 * 100.0).round() / 100.0;
    let amount = |value: f64| json!({"amount": value, "iso_currency_code": "USD", "unofficial_currency_code": null});
    let predicted = (!overdue).then(|| format_date(last.date + Duration::days(cadence.nominal)));
    Some(json!({
        "account_id": account_id,
        "stream_id": stream_id(item_id, account_id, merchant, last.amount > 0.0),
        "category": null,
        "category_id": null,
        "description": last.name,
        "merchant_name": last.merchant_name,
        "first_date": format_date(first.date),
        "last_date": format_date(last.date),
        "predicted_next_date": predicted,
        "frequency": cadence.frequency,
        "transaction_ids": list.iter().map(|t| t.transaction_id.as_str()).collect::<Vec<_>>(),
        "average_amount": amount(average),
        "last_amount": amount(last.amount),
        "is_active": !overdue,
        "status": status,
        "is_user_modified": false
    }))
}

/// A stream's id: the same stream keeps it from call to call (and across
/// restarts), in the 37-character form of Plaid's ids.
fn stream_id(item_id: &str, account_id: &str, merchant: &str, outflow: bool) -> String {
    // FNV-1a, so the id does not depend on the standard library's hasher.
    let key = format!("{item_id}/{account_id}/{merchant}/{outflow}");
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    Rng::new(hash).id()
}
