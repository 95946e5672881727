//! What the product tests share: a linked item and error checks.

#![allow(dead_code)]

use plaid_core::models::Products;
use plaid_core::Client;
use serde_json::Value;

/// A linked item: its access token and its accounts' ids, in order
/// (checking, saving, CD, credit card, money market, IRA, 401k, student
/// loan, mortgage).
pub struct Linked {
    pub access_token: String,
    pub account_ids: Vec<String>,
}

/// Links an item at `institution_id` through the sandbox flow.
pub async fn link(client: &Client, institution_id: &str) -> Linked {
    let created = client
        .sandbox()
        .public_token()
        .create(institution_id, vec![Products::Auth])
        .await
        .expect("a public token");
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .expect("an access token");
    let accounts = client
        .accounts()
        .get(&exchanged.access_token)
        .await
        .expect("accounts");
    Linked {
        access_token: exchanged.access_token,
        account_ids: accounts
            .accounts
            .iter()
            .map(|a| a.account_id.clone())
            .collect(),
    }
}

/// The Plaid error code of a failed call (panics on success, naming `what`).
pub fn code(result: Result<Value, plaid_core::Error>, what: &str) -> String {
    match result {
        Ok(answer) => panic!("{what}: expected an error, got {answer}"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("{what}: not a Plaid error: {e}"))
            .to_owned(),
    }
}
