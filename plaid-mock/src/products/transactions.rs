//! Transactions: `/transactions/get` pages, `/transactions/sync` cursors,
//! refresh, and the sandbox's custom transactions. The transactions are
//! the item's, kept by the sandbox ([`crate::sandbox`]).

use serde_json::{Map, Value};

use crate::kernel::errors::Refusal;
use crate::kit::fields::text;
use crate::kit::route::{Handled, Route};
use crate::sandbox::State;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "transactions asked for before the first pull is done",
        400,
        "ITEM_ERROR",
        "PRODUCT_NOT_READY",
    ),
    Refusal::new(
        "a sync page asked for after the data changed mid-pagination",
        400,
        "TRANSACTIONS_ERROR",
        "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
    ),
    Refusal::new(
        "`/sandbox/transactions/create` on an item not linked with the `user_transactions_dynamic` test user",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    )
    .detail("the message naming `access_token`"),
    Refusal::new(
        "`/sandbox/transactions/create` with no or more than 10 transactions, or a `date_transacted`/`date_posted` in the future or more than 14 days back",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

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
