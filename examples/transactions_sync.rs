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

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut out = std::io::stdout();
    let (client, mock) = match plaid_examples::client_from_env() {
        Ok(Some(client)) => (client, None),
        Ok(None) => {
            println!("PLAID_CLIENT_ID / PLAID_SECRET not set: using the built-in fake Plaid.\n");
            let mock = plaid_mock::MockPlaid::new();
            (mock.client(), Some(mock))
        }
        Err(message) => {
            eprintln!("transactions_sync: {message}");
            return ExitCode::from(2);
        }
    };
    let run = async {
        let token = plaid_examples::link_sandbox_item(&client, None).await?;
        let first = plaid_examples::sync_and_report(&client, &token, "", &mut out).await?;
        if let Some(mock) = &mock {
            // On the fake we can make the bank post a transaction.
            mock.add_transaction(&token, 4.2, "Coffee").map_err(|e| {
                plaid_core::Error::from(plaid_core::InputError::Config(e.error.to_string()))
            })?;
        }
        plaid_examples::sync_and_report(&client, &token, &first.next_cursor, &mut out).await?;
        client.item().remove(&token).await?;
        Ok::<_, plaid_core::Error>(())
    };
    match run.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("transactions_sync failed: {err}");
            ExitCode::FAILURE
        }
    }
}
