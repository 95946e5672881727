//! The legacy client's README flow, end to end.
//!
//! ```text
//! cargo run --example quickstart                                   # the built-in fake
//! PLAID_CLIENT_ID=… PLAID_SECRET=… cargo run --example quickstart   # Plaid's sandbox
//! ```
//!
//! `PLAID_ENV` picks the environment: `sandbox` (default), `production`, or
//! a base URL such as `http://127.0.0.1:8080`. Without credentials it runs
//! against the built-in fake Plaid (`plaid-mock`), in-process.

use std::io::Write;

use plaid_core::models::Products;
use plaid_core::{Client, Error};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("quickstart: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example("quickstart", quickstart(&client, &mut std::io::stdout())).await
}

/// The legacy client's README flow: create a sandbox item, exchange its
/// public token, read accounts, auth numbers and all transactions of the
/// last 30 days with `collect_all()`, create a Stripe token, remove the item, and
/// list categories without credentials. Writes a readable report to `out`.
pub async fn quickstart(client: &Client, out: &mut impl Write) -> Result<(), Error> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth, Products::Transactions])
        .await?;
    writeln!(out, "public token    {}", created.public_token).ok();

    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    let access_token = exchanged.access_token;
    writeln!(out, "item            {}", exchanged.item_id).ok();

    let accounts = client.accounts().get(&access_token).await?;
    writeln!(out, "accounts        {}", accounts.accounts.len()).ok();
    for account in &accounts.accounts {
        writeln!(
            out,
            "  {:<22} {:<12} mask {:<4}  current {:>10}",
            account.name,
            account.subtype.as_ref().map_or("-", |s| s.as_str()),
            account.mask.as_deref().unwrap_or("-"),
            account
                .balances
                .current
                .map_or_else(|| "-".to_owned(), |c| format!("{c:.2}")),
        )
        .ok();
    }

    let auth = client.auth().get(&access_token).await?;
    for ach in &auth.numbers.ach {
        writeln!(
            out,
            "  ach {}  routing {}  account {}",
            ach.account_id, ach.routing, ach.account
        )
        .ok();
    }

    let end = time::OffsetDateTime::now_utc().date();
    let start = end - time::Duration::days(30);
    // Every page, fetched in order; no loop to write.
    let transactions = client
        .transactions()
        .get(&access_token)
        .start_date(start)
        .end_date(end)
        .collect_all()
        .await?;
    writeln!(
        out,
        "transactions    {} in the last 30 days",
        transactions.len()
    )
    .ok();
    for t in transactions.iter().take(5) {
        // `name` is deprecated by Plaid in favour of `merchant_name`, which
        // is often empty in the sandbox; the listing shows `name`.
        #[allow(deprecated)]
        let name = &t.name;
        writeln!(
            out,
            "  {}  {:>9}  {}",
            or_dash(t.date),
            or_dash(t.amount.map(|a| format!("{a:.2}"))),
            name
        )
        .ok();
    }

    if let Some(account) = accounts.accounts.first() {
        let stripe = client
            .processor()
            .stripe()
            .bank_account_token()
            .create(&access_token)
            .account_id(&account.account_id)
            .await?;
        writeln!(out, "stripe token    {}", stripe.stripe_bank_account_token).ok();
    }

    client.item().remove(&access_token).await?;
    writeln!(out, "item removed").ok();

    #[allow(deprecated)] // Plaid deprecated /categories/get; the legacy flow still uses it.
    let categories = client.categories().get().await?;
    writeln!(out, "categories      {}", categories.categories.len()).ok();
    Ok(())
}

/// `value`, or `-` when there is none.
fn or_dash<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}
