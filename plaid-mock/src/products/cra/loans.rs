//! Loans a lender reports to Plaid Check: `/cra/loans/register` keeps each
//! loan under the `loan_id` the lender chose, for the user its
//! `user_token` names; `/cra/loans/update` adds status and payment history
//! to a registered loan; `/cra/loans/unregister` closes it (no further
//! updates); `/cra/loans/applications/register` keeps applications and
//! their decisions. A batch is all or nothing: one bad entry refuses it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::user_of;
use crate::kernel::errors::{self, ErrorAnswer};
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

/// Answers the loan operations.
pub(super) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    let entries = |name: &str| -> Vec<Value> {
        body.get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    Some(match path {
        "/cra/loans/register" => register(state, entries("loans")),
        "/cra/loans/update" => update(state, entries("loans")),
        "/cra/loans/unregister" => unregister(state, entries("loans")),
        "/cra/loans/applications/register" => applications(state, entries("applications")),
        _ => return None,
    })
    .map(|done| done.map(|()| json!({})))
}

fn loan_id(entry: &Value) -> String {
    entry["loan_id"].as_str().unwrap_or_default().to_owned()
}

fn register(state: &mut State, loans: Vec<Value>) -> Result<(), ErrorAnswer> {
    let mut checked = Vec::new();
    for loan in loans {
        let user_id = user_of(state, &loan)?;
        let id = loan_id(&loan);
        if state.products.cra.loans.contains_key(&id) || checked.iter().any(|(i, _, _)| *i == id) {
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
        state.products.cra.loans.insert(id, stored);
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
        match state.products.cra.loans.get(&id) {
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
        if let Some(stored) = state.products.cra.loans.get_mut(&id) {
            stored.updates.push(loan);
        }
    }
    Ok(())
}

fn unregister(state: &mut State, loans: Vec<Value>) -> Result<(), ErrorAnswer> {
    let ids = open_loans(state, &loans)?;
    for (id, loan) in ids.into_iter().zip(loans) {
        if let Some(stored) = state.products.cra.loans.get_mut(&id) {
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
        state.products.cra.applications.insert(
            id,
            StoredApplication {
                user_id,
                application,
            },
        );
    }
    Ok(())
}
