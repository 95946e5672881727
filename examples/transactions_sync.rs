//! Keeping a copy of an item's transactions with `/transactions/sync`.
//!
//! ```text
//! cargo run --example transactions_sync                  # against the built-in fake
//! PLAID_CLIENT_ID=… PLAID_SECRET=… cargo run --example transactions_sync
//! ```
//!
//! The first sync starts from an empty cursor and returns the history; the
//! next starts from the stored cursor and returns only what changed.
//! `TransactionsSync` restarts by itself when Plaid reports that data changed
//! mid-pagination.

use std::io::Write;

use plaid_core::transactions_sync::{SyncChanges, TransactionsSync};
use plaid_core::{Client, Error};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("transactions_sync: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout();
    plaid_examples::run_example("transactions_sync", async {
        let token = plaid_examples::link_sandbox_item(&client, None).await?;
        let first = sync_and_report(&client, &token, "", &mut out).await?;
        if let Some(fake) = &fake {
            // On the fake we can make the bank post a transaction.
            if let Err(e) = fake.add_transaction(&token, 4.2, "Coffee") {
                eprintln!("could not add a transaction: {}", e.error);
            }
        }
        sync_and_report(&client, &token, &first.next_cursor, &mut out).await?;
        client.item().remove(&token).await?;
        Ok(())
    })
    .await
}

/// Syncs an item's transactions from `cursor` and reports what changed;
/// returns the changes (store `next_cursor` for next time).
pub async fn sync_and_report(
    client: &Client,
    access_token: &str,
    cursor: &str,
    out: &mut impl Write,
) -> Result<SyncChanges, Error> {
    let changes = TransactionsSync::new(client, access_token)
        .cursor(cursor)
        .run()
        .await?;
    writeln!(
        out,
        "synced from {:?}: {} added, {} modified, {} removed (restarts: {}); store cursor {:?}",
        cursor,
        changes.added.len(),
        changes.modified.len(),
        changes.removed.len(),
        changes.restarts,
        changes.next_cursor
    )
    .ok();
    Ok(changes)
}
