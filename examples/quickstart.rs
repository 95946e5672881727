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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("quickstart: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example(
        "quickstart",
        plaid_examples::quickstart(&client, &mut std::io::stdout()),
    )
    .await
}
