//! Handling Plaid errors: `ITEM_LOGIN_REQUIRED` and Link update mode,
//! timeouts and retryable errors, as the legacy client's README did with
//! `except ItemError as e: if e.code == ...`.
//!
//! ```text
//! cargo run --example error_handling
//! ```

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
        plaid_examples::error_handling(&client, &mut std::io::stdout()),
    )
    .await
}
