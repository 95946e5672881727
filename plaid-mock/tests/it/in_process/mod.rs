//! The fake Plaid in-process, through the public `Client`: each sandbox
//! behaviour it models, one module per concept, over the helpers below.

use plaid_core::models::Products;
use plaid_core::{Client, Error};
use plaid_mock::MockPlaid;
use time::macros::datetime;

mod items;
mod requests;
mod tokens;
mod transactions;
mod webhooks;

pub(super) fn mock(transactions: usize) -> MockPlaid {
    MockPlaid::builder()
        .seed(7)
        .transactions_per_item(transactions)
        .now(datetime!(2024-06-30 12:00 UTC))
        .build()
}

/// Creates a sandbox item and exchanges its public token.
pub(super) async fn link(client: &Client) -> (String, String) {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    (exchanged.access_token, exchanged.item_id)
}

pub(super) fn code(err: &Error) -> &str {
    err.code().unwrap_or("<not a Plaid error>")
}
