//! The legacy client's README flow, end to end.
//!
//! ```text
//! PLAID_CLIENT_ID=… PLAID_SECRET=… cargo run --example quickstart
//! ```
//!
//! `PLAID_ENV` picks the environment: `sandbox` (default), `production`, or
//! a base URL such as `http://127.0.0.1:8080`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match plaid_examples::client_from_env() {
        Ok(Some(client)) => client,
        Ok(None) => {
            eprintln!(
                "quickstart needs Plaid sandbox credentials: set PLAID_CLIENT_ID and PLAID_SECRET \
                 (from https://dashboard.plaid.com/developers/keys) and run it again.\n\
                 Running without credentials against the built-in fake Plaid (plaid-mock) \
                 arrives with the plaid-mock crate, which is not implemented yet."
            );
            return ExitCode::from(2);
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
