//! The floor for client figures: a raw hyper-util client and `serde_json`
//! decoding into [`serde_json::Value`], with nothing else.
//!
//! It uses the same connection settings as `plaid_hyper::HyperTransport`'s
//! defaults (TCP_NODELAY, 10 s connect timeout, 90 s idle timeout, up to 32
//! idle connections per host) and sends the same headers and body our
//! client sends. It does no retries, no timeouts and no typed decoding.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde_json::{json, Value};

/// A bare HTTP client for the fake: POST JSON, read JSON.
#[derive(Debug, Clone)]
pub struct RawClient {
    client: Client<HttpConnector, Full<Bytes>>,
    base_url: String,
    client_id: String,
    secret: String,
}

impl RawClient {
    /// A client for `base_url` that authenticates with `client_id` / `secret`.
    pub fn new(base_url: &str, client_id: &str, secret: &str) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(32)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        Self {
            client,
            base_url: base_url.to_owned(),
            client_id: client_id.to_owned(),
            secret: secret.to_owned(),
        }
    }

    /// POSTs `body` to `path` and returns the answer's bytes (any status).
    pub async fn post_bytes(&self, path: &str, body: &Value) -> Result<Bytes, String> {
        let request = http::Request::post(format!("{}{path}", self.base_url))
            .header(http::header::CONTENT_TYPE, "application/json")
            .header("plaid-client-id", &self.client_id)
            .header("plaid-secret", &self.secret)
            .header("plaid-version", "2020-09-14")
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| e.to_string())?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!("{status}: {}", String::from_utf8_lossy(&body)))
        }
    }

    /// POSTs `body` to `path` and decodes the answer into a `Value`.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, String> {
        let bytes = self.post_bytes(path, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    }

    /// Every transaction of an item, 500 at a time, as the legacy clients
    /// page: offset by offset until `total_transactions`.
    pub async fn all_transactions(
        &self,
        access_token: &str,
        start_date: &str,
        end_date: &str,
    ) -> Result<Vec<Value>, String> {
        let mut all = Vec::new();
        loop {
            let mut page = self
                .post(
                    "/transactions/get",
                    &json!({
                        "access_token": access_token,
                        "start_date": start_date,
                        "end_date": end_date,
                        "options": {"count": 500, "offset": all.len()},
                    }),
                )
                .await?;
            let total = page["total_transactions"].as_u64().unwrap_or(0) as usize;
            let Some(Value::Array(transactions)) = page.get_mut("transactions").map(Value::take)
            else {
                return Err("no transactions in the answer".into());
            };
            if transactions.is_empty() {
                return Ok(all);
            }
            all.extend(transactions);
            if all.len() >= total {
                return Ok(all);
            }
        }
    }
}
