//! A transport of your own: this one adds a header for a proxy and logs
//! every exchange, wrapping the production transport (or the fake when no
//! credentials are set). Any `HttpTransport` plugs in the same way.
//!
//! ```text
//! cargo run --example custom_transport
//! ```

use std::io::Write;
use std::sync::Mutex;

use bytes::Bytes;
use plaid_core::{Client, Environment, Error, HttpTransport};
use plaid_examples::link_sandbox_item;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let credentials = (
        std::env::var("PLAID_CLIENT_ID"),
        std::env::var("PLAID_SECRET"),
    );
    let (inner, id, secret, environment): (Box<dyn HttpTransport>, String, String, Environment) =
        match credentials {
            (Ok(id), Ok(secret)) => {
                let environment = std::env::var("PLAID_ENV")
                    .ok()
                    .and_then(|e| Environment::parse(&e))
                    .unwrap_or_default();
                (
                    Box::new(plaid_hyper::HyperTransport::new()),
                    id,
                    secret,
                    environment,
                )
            }
            _ => {
                println!(
                    "PLAID_CLIENT_ID / PLAID_SECRET not set: wrapping the built-in fake Plaid.\n"
                );
                let mock = plaid_mock::MockPlaid::new();
                let (id, secret) = (mock.client_id().to_owned(), mock.secret().to_owned());
                (Box::new(mock), id, secret, Environment::Sandbox)
            }
        };
    let transport = std::sync::Arc::new(TaggingTransport {
        inner,
        tag: "example-app".into(),
        log: Mutex::new(Vec::new()),
    });
    let client = match Client::builder()
        .environment(environment)
        .credentials(id, secret)
        .shared_transport(transport.clone())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("custom_transport: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let code = plaid_examples::run_example(
        "custom_transport",
        calls_through(&client, &mut std::io::stdout()),
    )
    .await;
    for entry in transport.log.lock().map(|l| l.clone()).unwrap_or_default() {
        println!("log: {entry}");
    }
    code
}

/// A few calls through the transport: link a sandbox item, read its
/// accounts, remove it. Returns how many accounts it has.
pub async fn calls_through(client: &Client, out: &mut impl Write) -> Result<usize, Error> {
    let token = link_sandbox_item(client, None).await?;
    let accounts = client.accounts().get(&token).await?;
    writeln!(out, "{} accounts", accounts.accounts.len()).ok();
    client.item().remove(&token).await?;
    Ok(accounts.accounts.len())
}

/// A transport written by the user: adds a header for a proxy and logs each
/// exchange (method, path, status, time; never headers) before handing the
/// request to the transport it wraps.
#[derive(Debug)]
pub struct TaggingTransport<T> {
    /// The transport that does the work.
    pub inner: T,
    /// Sent as `x-proxy-tag`.
    pub tag: String,
    /// Where log lines go.
    pub log: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl<T: plaid_core::HttpTransport> plaid_core::HttpTransport for TaggingTransport<T> {
    async fn send(
        &self,
        mut request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, plaid_core::TransportError> {
        if let Ok(value) = http::HeaderValue::from_str(&self.tag) {
            request.headers_mut().insert("x-proxy-tag", value);
        }
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let started = std::time::Instant::now();
        let result = self.inner.send(request).await;
        let outcome = match &result {
            Ok(response) => response.status().as_u16().to_string(),
            Err(e) => e.to_string(),
        };
        let entry = format!("{method} {path} -> {outcome} in {:?}", started.elapsed());
        if let Ok(mut log) = self.log.lock() {
            log.push(entry);
        }
        result
    }
}
