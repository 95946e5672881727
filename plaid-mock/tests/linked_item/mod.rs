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

/// Links an item through `/sandbox/public_token/create` with `request`
/// (institution, products, options, a user…) and exchanges the public
/// token: the item's access token.
pub async fn link_with(client: &Client, request: Value) -> String {
    let created = client
        .send_raw("/sandbox/public_token/create", request)
        .await
        .expect("a public token");
    let exchanged = client
        .send_raw(
            "/item/public_token/exchange",
            serde_json::json!({"public_token": created["public_token"]}),
        )
        .await
        .expect("an access token");
    exchanged["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
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

/// The end user finishing Link on a link token: `MockPlaid::complete_link`
/// in process, `POST /_mock/link/complete` over HTTP (call that one from a
/// multi-threaded runtime: the post blocks).
pub enum LinkFinisher {
    /// Calls the fake directly.
    InProcess(MockPlaid),
    /// Posts to the control API of the server at this base URL.
    Http(String),
}

impl LinkFinisher {
    /// Finishes Link on `link_token` at `institution_id` (default
    /// `ins_109508`): `{"public_token", "link_session_id", "item_id"}`, or
    /// the Plaid error code of the refusal.
    pub fn complete(
        &self,
        link_token: &str,
        institution_id: Option<&str>,
    ) -> Result<Value, String> {
        match self {
            Self::InProcess(mock) => mock
                .complete_link(link_token, institution_id)
                .map_err(|e| e.error.error_code.clone()),
            Self::Http(base) => {
                let mut body = serde_json::json!({"link_token": link_token});
                if let Some(id) = institution_id {
                    body["institution_id"] = Value::from(id);
                }
                let (status, answer) = tokio::task::block_in_place(|| {
                    control_post(base, "/_mock/link/complete", &body)
                });
                if status == 200 {
                    Ok(answer)
                } else {
                    let error = answer["error"].as_str().unwrap_or_default();
                    Err(error.split(':').next().unwrap_or_default().to_owned())
                }
            }
        }
    }
}

/// A POST to the server's control API over a plain connection: status and
/// JSON body.
pub fn control_post(base: &str, path: &str, body: &Value) -> (u16, Value) {
    use std::io::{Read, Write};
    let host = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = std::net::TcpStream::connect(&host).expect("the server");
    let text = body.to_string();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    )
    .expect("the request sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let (start, end) = (answer.find('{'), answer.rfind('}'));
    let json = match (start, end) {
        (Some(s), Some(e)) if e > s => serde_json::from_str(&answer[s..=e]).expect("JSON"),
        _ => Value::Null,
    };
    (status, json)
}
