//! Signal: evaluations are about an item's account, so the access token
//! must work and the account must be the item's; the scores are the
//! sandbox's fixed ones. Each evaluation is remembered by its
//! `client_transaction_id`, which is what the decision and return reports
//! name (Plaid requires the id of an earlier `/signal/evaluate`); a report
//! for an evaluation of a removed item names nothing any more.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::{Duration, Weekday};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::example::example;
use crate::kit::fields::text;

use crate::kit::route::{Handled, Route};
use crate::sandbox::data::format_date;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// What Signal remembers: evaluations by `client_transaction_id`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct SignalState {
    evaluations: BTreeMap<String, Evaluation>,
}

impl Kept for SignalState {
    const KEY: &'static str = "signal";
}

/// One `/signal/evaluate`, and what was reported about it since.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Evaluation {
    item_id: String,
    account_id: String,
    /// The last `/signal/decision/report` body (without credentials).
    decision: Option<Value>,
    /// The last `/signal/return/report` body (without credentials).
    returned: Option<Value>,
}

/// `/signal/evaluate`, whose example carries the scores the fake gives.
const EVALUATE: Route = Route::new("/signal/evaluate", evaluate_handler);
/// `/signal/prepare`, answered with its example.
const PREPARE: Route = Route::new("/signal/prepare", prepare_handler);

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/signal/decision/report` or `/signal/return/report` (or their `/processor/…` forms) with a `client_transaction_id` no `/signal/evaluate` used, whose item was removed, or (processor) of another account than the token's",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/signal/schedule` with an `amount` not above 0",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    EVALUATE,
    PREPARE,
    Route::new("/signal/decision/report", decision_handler),
    Route::new("/signal/return/report", return_handler),
    Route::new("/signal/schedule", |state, body| {
        Some(schedule(state, body))
    }),
];

/// Answers `/signal/evaluate`.
pub(crate) fn evaluate_handler(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(evaluate(state, body))
}

/// Answers `/signal/prepare`.
pub(crate) fn prepare_handler(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(
        state
            .item_id_for(text(body, "access_token"))
            .map(|_| example(PREPARE.path)),
    )
}

/// Answers `/signal/decision/report`.
pub(crate) fn decision_handler(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(report(state, body, Report::Decision))
}

/// Answers `/signal/return/report`.
pub(crate) fn return_handler(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(report(state, body, Report::Return))
}

/// A positive `amount`, as evaluations and schedules need.
fn amount(body: &Map<String, Value>) -> Result<f64, ErrorAnswer> {
    let amount = body.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
    if amount <= 0.0 {
        return Err(errors::invalid_field("amount must be greater than 0"));
    }
    Ok(amount)
}

fn evaluate(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let account_id = text(body, "account_id");
    let (item_id, _) =
        crate::kit::accounts::account(state, text(body, "access_token"), account_id)?;
    amount(body)?;
    // Evaluations of removed items go with them.
    let items = &state.items;
    state
        .products
        .get_mut::<SignalState>()
        .evaluations
        .retain(|_, e| items.contains_key(&e.item_id));
    state.products.get_mut::<SignalState>().evaluations.insert(
        text(body, "client_transaction_id").to_owned(),
        Evaluation {
            item_id,
            account_id: account_id.to_owned(),
            decision: None,
            returned: None,
        },
    );
    Ok(example(EVALUATE.path))
}

/// Which report a call makes.
#[derive(Clone, Copy)]
enum Report {
    Decision,
    Return,
}

/// Records a decision or return report on the evaluation its
/// `client_transaction_id` names. Through a processor token the body
/// carries the token's item's access token, and the evaluation must be of
/// that item's account.
fn report(
    state: &mut State,
    body: &Map<String, Value>,
    kind: Report,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "client_transaction_id");
    let through = match body.get("access_token").and_then(Value::as_str) {
        Some(token) => Some(state.item_id_for(token)?),
        None => None,
    };
    let account = body.get("account_id").and_then(Value::as_str);
    let live = |e: &Evaluation| {
        state.items.contains_key(&e.item_id)
            && through.as_ref().is_none_or(|item| *item == e.item_id)
            && account.is_none_or(|a| a == e.account_id)
    };
    if !state
        .products
        .get_mut::<SignalState>()
        .evaluations
        .get(id)
        .is_some_and(live)
    {
        return Err(errors::invalid_field(format!(
            "client_transaction_id {id:?} names no /signal/evaluate of this client's items"
        )));
    }
    let mut reported = body.clone();
    for private in [
        "client_id",
        "secret",
        "access_token",
        "account_id",
        "options",
    ] {
        reported.remove(private);
    }
    if let Some(evaluation) = state
        .products
        .get_mut::<SignalState>()
        .evaluations
        .get_mut(id)
    {
        let slot = match kind {
            Report::Decision => &mut evaluation.decision,
            Report::Return => &mut evaluation.returned,
        };
        *slot = Some(Value::Object(reported));
    }
    Ok(json!({}))
}

/// `/signal/schedule`: the next five weekdays after today; the first two
/// recommended (the first the optimal date), the rest not.
fn schedule(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    crate::kit::accounts::account(state, text(body, "access_token"), text(body, "account_id"))?;
    amount(body)?;
    let mut day = state.now().date();
    let mut days = Vec::new();
    while days.len() < 5 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            days.push(day);
        }
    }
    let recommendations: Vec<Value> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (recommendation, rank) = match i {
                0 | 1 => ("RECOMMENDED", json!(i + 1)),
                _ => ("NOT_RECOMMENDED", Value::Null),
            };
            json!({"date": format_date(*d), "recommendation": recommendation, "rank": rank})
        })
        .collect();
    Ok(
        json!({"optimal_date": format_date(days[0]), "recommendations": recommendations,
              "warnings": []}),
    )
}
