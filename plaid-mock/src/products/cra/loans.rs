//! Loans a lender reports to Plaid Check: `/cra/loans/register` keeps each
//! loan under the `loan_id` the lender chose, for the user its
//! `user_token` names; `/cra/loans/update` adds status and payment history
//! to a registered loan; `/cra/loans/unregister` closes it (no further
//! updates); `/cra/loans/applications/register` keeps applications and
//! their decisions. A batch is all or nothing: one bad entry refuses it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::user_of;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::route::{Handled, Route};
use crate::products::cra::CraState;
use crate::sandbox::State;

/// A registered loan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredLoan {
    pub user_id: String,
    /// What `/cra/loans/register` sent.
    pub loan: Value,
    /// Each `/cra/loans/update` entry, oldest first.
    pub updates: Vec<Value>,
    /// The `closed_with_status` of `/cra/loans/unregister`, once closed.
    pub closed: Option<Value>,
}

/// A registered loan application.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredApplication {
    pub user_id: String,
    pub application: Value,
}

/// The operations this part of Plaid Check answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/cra/loans/register", |s, b| {
        done(register(s, entries(b, "loans")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/cra/loans/update", |s, b| {
        done(update(s, entries(b, "loans")))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/cra/loans/unregister", |s, b| {
        done(unregister(s, entries(b, "loans")))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/cra/loans/applications/register", |s, b| {
        done(applications(s, entries(b, "applications")))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// The request's array `name`, or none.
fn entries(body: &Map<String, Value>, name: &str) -> Vec<Value> {
    body.get(name)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// An empty answer once the batch was taken.
fn done(result: Result<(), ErrorAnswer>) -> Handled {
    Some(result.map(|()| json!({})))
}

fn loan_id(entry: &Value) -> String {
    entry["loan_id"].as_str().unwrap_or_default().to_owned()
}

fn register(state: &mut State, loans: Vec<Value>) -> Result<(), ErrorAnswer> {
    let mut checked = Vec::new();
    for loan in loans {
        let user_id = user_of(state, &loan)?;
        let id = loan_id(&loan);
        if state.products.get_mut::<CraState>().loans.contains_key(&id)
            || checked.iter().any(|(i, _, _)| *i == id)
        {
            return Err(errors::invalid_field(format!(
                "loans.loan_id {id:?} is already registered; use /cra/loans/update"
            )));
        }
        checked.push((id, user_id, loan));
    }
    for (id, user_id, loan) in checked {
        let stored = StoredLoan {
            user_id,
            loan,
            updates: Vec::new(),
            closed: None,
        };
        state
            .products
            .get_mut::<CraState>()
            .loans
            .insert(id, stored);
    }
    Ok(())
}

/// The loan ids of the batch, each a registered loan still open.
fn open_loans(state: &State, loans: &[Value]) -> Result<Vec<String>, ErrorAnswer> {
    let mut ids = Vec::new();
    for loan in loans {
        let id = loan_id(loan);
        if id.is_empty() {
            return Err(errors::missing_fields(&["loans.loan_id"]));
        }
        match state.products.get::<CraState>().loans.get(&id) {
            None => return Err(errors::unknown_object("loans.loan_id", &id)),
            Some(stored) if stored.closed.is_some() => {
                return Err(errors::invalid_field(format!(
                    "loans.loan_id {id:?} was unregistered; a closed loan takes no updates"
                )))
            }
            Some(_) => ids.push(id),
        }
    }
    Ok(ids)
}

fn update(state: &mut State, loans: Vec<Value>) -> Result<(), ErrorAnswer> {
    let ids = open_loans(state, &loans)?;
    for (id, loan) in ids.into_iter().zip(loans) {
        if let Some(stored) = state.products.get_mut::<CraState>().loans.get_mut(&id) {
            stored.updates.push(loan);
        }
    }
    Ok(())
}

fn unregister(state: &mut State, loans: Vec<Value>) -> Result<(), ErrorAnswer> {
    let ids = open_loans(state, &loans)?;
    for (id, loan) in ids.into_iter().zip(loans) {
        if let Some(stored) = state.products.get_mut::<CraState>().loans.get_mut(&id) {
            stored.closed = Some(loan["closed_with_status"].clone());
        }
    }
    Ok(())
}

fn applications(state: &mut State, applications: Vec<Value>) -> Result<(), ErrorAnswer> {
    let mut checked = Vec::new();
    for application in applications {
        let user_id = user_of(state, &application)?;
        let id = application["application_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        checked.push((id, user_id, application));
    }
    for (id, user_id, application) in checked {
        state.products.get_mut::<CraState>().applications.insert(
            id,
            StoredApplication {
                user_id,
                application,
            },
        );
    }
    Ok(())
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/cra/loans/register` with a `loan_id` already registered, or any loan or application whose `user_token` names no user; `/cra/loans/update` or `/cra/loans/unregister` with a `loan_id` never registered or already unregistered (the whole batch is refused)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/cra/loans/update` or `/cra/loans/unregister` with a loan lacking `loan_id`",
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
    ),
];
