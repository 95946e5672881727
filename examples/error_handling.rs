//! Handling Plaid errors: `ITEM_LOGIN_REQUIRED` and Link update mode,
//! timeouts and retryable errors, as the legacy client's README did with
//! `except ItemError as e: if e.code == ...`.
//!
//! ```text
//! cargo run --example error_handling
//! ```

use std::io::Write;

use plaid_core::{Client, Error};
use plaid_examples::link_sandbox_item;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("error_handling: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example(
        "error_handling",
        error_handling(&client, &mut std::io::stdout()),
    )
    .await
}

/// The legacy README's error handling: an item whose login changed answers
/// `ITEM_LOGIN_REQUIRED`; the app sends the user through Link update mode.
/// On the fake, update mode is simulated by exchanging a public token made
/// for the item. Returns whether the item worked again afterwards.
pub async fn error_handling(client: &Client, out: &mut impl Write) -> Result<bool, Error> {
    let token = link_sandbox_item(client, None).await?;
    client.sandbox().item().reset_login(&token).await?;
    match client.auth().get(&token).await {
        Ok(_) => {
            writeln!(out, "auth worked (the item was not broken)").ok();
        }
        Err(e)
            if e.is_item_error()
                && e.code() == Some(plaid_core::error_code::ITEM_LOGIN_REQUIRED) =>
        {
            writeln!(
                out,
                "ITEM_LOGIN_REQUIRED (request id {}): start Link in update mode",
                e.request_id().unwrap_or("-")
            )
            .ok();
            let update = client.item().public_token().create(&token).await?;
            if let Err(e) = client
                .item()
                .public_token()
                .exchange(&update.public_token)
                .await
            {
                writeln!(out, "update mode needs the Link UI here: {e}").ok();
            }
        }
        Err(e) if e.is_timeout() => {
            writeln!(out, "timed out; try again later").ok();
        }
        Err(e) if e.is_retryable() => {
            writeln!(out, "Plaid is busy ({e}); retry with back-off").ok();
        }
        Err(e) => return Err(e),
    }
    let repaired = client.auth().get(&token).await.is_ok();
    writeln!(out, "item works again: {repaired}").ok();
    client.item().remove(&token).await?;
    Ok(repaired)
}
