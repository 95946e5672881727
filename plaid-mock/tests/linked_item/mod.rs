//! What the product tests share: a linked item and error checks.

#![allow(dead_code)]

use plaid_core::models::Products;
use plaid_core::{Client, RetryPolicy};
use plaid_hyper::HyperTransport;
use plaid_mock::server::{self, RunningServer};
use plaid_mock::MockPlaid;
use serde_json::Value;

/// `mock` served over HTTP on 127.0.0.1, and a client for it on
/// `HyperTransport`, without retries (keep the server while the client is
/// used).
pub async fn over_http(mock: &MockPlaid) -> (RunningServer, Client) {
    let running = server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("a server on 127.0.0.1");
    let client = Client::builder()
        .base_url(running.url())
        .credentials(mock.client_id(), mock.secret())
        .transport(HyperTransport::new())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client");
    (running, client)
}

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
