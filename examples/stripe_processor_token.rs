//! Exchanging a public token, then creating a Stripe bank account token
//! (`btok_…`) for one of the item's accounts.
//!
//! ```text
//! cargo run --example stripe_processor_token
//! ```

use std::io::Write;

use plaid_core::{Client, Error};
use plaid_examples::link_sandbox_item;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("stripe_processor_token: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example(
        "stripe_processor_token",
        stripe_processor_token(&client, &mut std::io::stdout()),
    )
    .await
}

/// A Stripe bank account token for the first account of a new item.
pub async fn stripe_processor_token(
    client: &Client,
    out: &mut impl Write,
) -> Result<String, Error> {
    let token = link_sandbox_item(client, None).await?;
    let accounts = client.accounts().get(&token).await?;
    let Some(account) = accounts.accounts.first() else {
        writeln!(out, "the item has no accounts").ok();
        return Ok(String::new());
    };
    let stripe = client
        .processor()
        .stripe()
        .bank_account_token()
        .create(&token)
        .account_id(&account.account_id)
        .await?;
    writeln!(
        out,
        "{} ({}): {}",
        account.name,
        account.mask.as_deref().unwrap_or("-"),
        stripe.stripe_bank_account_token
    )
    .ok();
    client.item().remove(&token).await?;
    Ok(stripe.stripe_bank_account_token)
}
