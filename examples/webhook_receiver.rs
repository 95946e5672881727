//! A small HTTP endpoint that verifies Plaid webhooks before trusting them.
//!
//! ```text
//! cargo run --example webhook_receiver
//! ```
//!
//! Without credentials it starts the fake Plaid over HTTP, links an item
//! whose webhook URL is this receiver, fires a webhook, and prints the
//! verified result. With `PLAID_CLIENT_ID` / `PLAID_SECRET` it listens on
//! `WEBHOOK_LISTEN` (default `127.0.0.1:8000`) and verifies whatever Plaid
//! sends there (expose it with a tunnel and set it as the item's webhook).

use std::process::ExitCode;
use std::time::Duration;

use plaid_core::models::SandboxItemFireWebhookRequestWebhookCode;
use plaid_core::webhook_verification::WebhookVerifier;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("webhook_receiver: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let real = plaid_examples::client_from_env()?;
    let listen = match &real {
        Some(_) => std::env::var("WEBHOOK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8000".into()),
        None => "127.0.0.1:0".into(),
    };
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let receiver_url = format!(
        "http://{}/plaid/webhook",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();

    if let Some(client) = real {
        println!("verifying Plaid webhooks posted to {receiver_url}");
        tokio::spawn(plaid_examples::receive_webhooks(
            listener,
            WebhookVerifier::new(client),
            tx,
        ));
        while let Some(outcome) = rx.recv().await {
            match outcome {
                Ok(webhook) => {
                    println!("verified {} {}", webhook.webhook_type, webhook.webhook_code)
                }
                Err(e) => println!("rejected: {e}"),
            }
        }
        return Ok(());
    }

    println!("PLAID_CLIENT_ID / PLAID_SECRET not set: using the built-in fake Plaid over HTTP.\n");
    let mock = plaid_mock::MockPlaid::new();
    let fake =
        plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().map_err(|_| "address")?)
            .await
            .map_err(|e| format!("cannot start the fake: {e}"))?;
    let client = plaid_core::Client::builder()
        .base_url(fake.url())
        .credentials(mock.client_id(), mock.secret())
        .transport(plaid_hyper::HyperTransport::new())
        .build()
        .map_err(|e| e.to_string())?;
    tokio::spawn(plaid_examples::receive_webhooks(
        listener,
        WebhookVerifier::new(client.clone()),
        tx,
    ));
    let token = plaid_examples::link_sandbox_item(&client, Some(receiver_url.clone()))
        .await
        .map_err(|e| e.to_string())?;
    client
        .sandbox()
        .item()
        .fire_webhook(
            &token,
            SandboxItemFireWebhookRequestWebhookCode::SyncUpdatesAvailable,
        )
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "fake Plaid on {}; webhook fired to {receiver_url}",
        fake.url()
    );
    let outcome = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .map_err(|_| "no webhook arrived within 10 s".to_owned())?
        .ok_or("the receiver stopped")?;
    match outcome {
        Ok(webhook) => {
            println!(
                "verified {} {} for item {:?}",
                webhook.webhook_type, webhook.webhook_code, webhook.item_id
            );
            Ok(())
        }
        Err(e) => Err(format!("the fake's webhook was rejected: {e}")),
    }
}
