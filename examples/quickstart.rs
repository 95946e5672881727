//! The legacy client's README flow, end to end.
//!
//! ```text
//! PLAID_CLIENT_ID=… PLAID_SECRET=… cargo run --example quickstart
//! ```
//!
//! `PLAID_ENV` picks the environment: `sandbox` (default), `production`, or
//! a base URL such as `http://127.0.0.1:8080`. Without credentials it runs
//! against the built-in fake Plaid (`plaid-mock`), in-process.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match plaid_examples::client_from_env() {
        Ok(Some(client)) => client,
        Ok(None) => {
            println!(
                "PLAID_CLIENT_ID / PLAID_SECRET not set: running against the built-in fake Plaid \
                 (plaid-mock). Set them to run against Plaid's sandbox.\n"
            );
            plaid_mock::MockPlaid::new().client()
        }
        Err(message) => {
            eprintln!("quickstart: {message}");
            return ExitCode::from(2);
        }
    };
    match plaid_examples::quickstart(&client, &mut std::io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quickstart failed: {err}");
            if let Some(id) = err.request_id() {
                eprintln!("request id: {id}");
            }
            ExitCode::FAILURE
        }
    }
}
