//! Every transaction of the last 90 days, page by page, without writing the
//! pagination loop.
//!
//! ```text
//! cargo run --example transactions_get_all
//! ```

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
        plaid_examples::transactions_get_all(&client, &mut std::io::stdout()),
    )
    .await
}
