//! The harness the runnable examples share, so that each example file shows
//! only its flow's Plaid calls: building a client from the environment (or
//! the in-process fake), turning a flow's outcome into an exit code, linking
//! a sandbox item, and the HTTP endpoint of the webhook receiver.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use plaid_core::models::Products;
use plaid_core::webhook_verification::{VerifiedWebhook, WebhookError, WebhookVerifier};
use plaid_core::{Client, Environment, Error};

/// Builds a client on the production transport from `PLAID_CLIENT_ID`,
/// `PLAID_SECRET` and `PLAID_ENV` (`sandbox` by default, `production`, or a
/// base URL such as `http://127.0.0.1:8080`).
///
/// Returns `Ok(None)` when the credentials are not set.
pub fn client_from_env() -> Result<Option<Client>, String> {
    let (Ok(client_id), Ok(secret)) = (
        std::env::var("PLAID_CLIENT_ID"),
        std::env::var("PLAID_SECRET"),
    ) else {
        return Ok(None);
    };
    let environment = match std::env::var("PLAID_ENV") {
        Ok(name) => Environment::parse(&name).ok_or_else(|| {
            format!("PLAID_ENV={name:?} is not sandbox, production or an http(s) URL")
        })?,
        Err(_) => Environment::Sandbox,
    };
    plaid_hyper::client_builder()
        .environment(environment)
        .credentials(client_id, secret)
        .build()
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The client every example uses: real Plaid when `PLAID_CLIENT_ID` and
/// `PLAID_SECRET` are set (see [`client_from_env`]), otherwise the built-in
/// fake Plaid in-process, which is returned too so examples can drive it.
pub fn client_or_fake() -> Result<(Client, Option<plaid_mock::MockPlaid>), String> {
    match client_from_env()? {
        Some(client) => Ok((client, None)),
        None => {
            println!(
                "PLAID_CLIENT_ID / PLAID_SECRET not set: running against the built-in fake Plaid \
                 (plaid-mock). Set them to run against Plaid's sandbox.\n"
            );
            let mock = plaid_mock::MockPlaid::new();
            Ok((mock.client(), Some(mock)))
        }
    }
}

/// Runs an example's body and turns its outcome into an exit code.
pub async fn run_example<F, T>(name: &str, body: F) -> std::process::ExitCode
where
    F: std::future::Future<Output = Result<T, Error>>,
{
    match body.await {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{name} failed: {err}");
            if let Some(id) = err.request_id() {
                eprintln!("request id: {id}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// Links a sandbox item with transactions and returns its access token.
pub async fn link_sandbox_item(client: &Client, webhook: Option<String>) -> Result<String, Error> {
    let mut create = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions]);
    if let Some(url) = webhook {
        create = create.webhook(url);
    }
    let created = create.await?;
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    Ok(exchanged.access_token)
}

/// The largest webhook body the receiver reads.
const MAX_WEBHOOK_BYTES: usize = 64 * 1024;

/// Serves webhooks on `listener`: each POST is verified with `verifier`,
/// answered `200` (verified) or `400` (rejected), and the outcome is sent on
/// `outcomes`. Runs until the task is dropped.
pub async fn receive_webhooks(
    listener: tokio::net::TcpListener,
    verifier: WebhookVerifier,
    outcomes: tokio::sync::mpsc::UnboundedSender<Result<VerifiedWebhook, WebhookError>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let verifier = verifier.clone();
        let outcomes = outcomes.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let verifier = verifier.clone();
                    let outcomes = outcomes.clone();
                    async move {
                        let header = request
                            .headers()
                            .get("plaid-verification")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let body = Limited::new(request.into_body(), MAX_WEBHOOK_BYTES)
                            .collect()
                            .await
                            .map(|b| b.to_bytes());
                        let status = match body {
                            Err(_) => 413,
                            Ok(body) => {
                                let outcome = verifier.verify(&body, header.as_deref()).await;
                                let status = if outcome.is_ok() { 200 } else { 400 };
                                let _ = outcomes.send(outcome);
                                status
                            }
                        };
                        let mut response = http::Response::new(Full::new(Bytes::new()));
                        *response.status_mut() =
                            http::StatusCode::from_u16(status).unwrap_or_default();
                        Ok::<_, Infallible>(response)
                    }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The repository README's Rust snippets, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
