//! Transactions: `/transactions/get` pages, `/transactions/sync` cursors,
//! refresh, and the sandbox's custom transactions. The transactions are
//! the item's, kept by the sandbox ([`crate::sandbox`]).

use serde_json::{Map, Value};

use crate::kit::fields::text;
use crate::kit::route::{Handled, Route};
use crate::sandbox::State;

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/transactions/get", get),
    Route::new("/transactions/sync", sync),
    Route::new("/transactions/refresh", refresh),
    Route::new("/sandbox/transactions/create", |state, body| {
        Some(state.create_transactions(text(body, "access_token"), body))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// Answers `/transactions/get`.
pub(crate) fn get(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(state.transactions_get(text(body, "access_token"), body))
}

/// Answers `/transactions/sync`.
pub(crate) fn sync(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(state.transactions_sync(text(body, "access_token"), body))
}

/// Answers `/transactions/refresh`.
pub(crate) fn refresh(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(state.refresh(text(body, "access_token")))
}
