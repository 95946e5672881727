//! Every transaction of the last 90 days, page by page, without writing the
//! pagination loop.
//!
//! ```text
//! cargo run --example transactions_get_all
//! ```

use std::io::Write;

use plaid_core::{Client, Error};
use plaid_examples::link_sandbox_item;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("transactions_get_all: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example(
        "transactions_get_all",
        transactions_get_all(&client, &mut std::io::stdout()),
    )
    .await
}

/// Every transaction of the last 90 days through the pagination helper.
pub async fn transactions_get_all(client: &Client, out: &mut impl Write) -> Result<usize, Error> {
    let token = link_sandbox_item(client, None).await?;
    let end = time::OffsetDateTime::now_utc().date();
    let start = end - time::Duration::days(90);
    let all = client
        .transactions()
        .get(&token)
        .start_date(start)
        .end_date(end)
        .collect_all()
        .await?;
    writeln!(out, "{} transactions from {start} to {end}", all.len()).ok();
    client.item().remove(&token).await?;
    Ok(all.len())
}
