//! Exchanging a public token, then creating a Stripe bank account token
//! (`btok_…`) for one of the item's accounts.
//!
//! ```text
//! cargo run --example stripe_processor_token
//! ```

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
        plaid_examples::stripe_processor_token(&client, &mut std::io::stdout()),
    )
    .await
}
