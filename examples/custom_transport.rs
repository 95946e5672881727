//! A transport of your own: this one adds a header for a proxy and logs
//! every exchange, wrapping the production transport (or the fake when no
//! credentials are set). Any `HttpTransport` plugs in the same way.
//!
//! ```text
//! cargo run --example custom_transport
//! ```

use std::sync::Mutex;

use plaid_core::{Client, Environment, HttpTransport};
use plaid_examples::TaggingTransport;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let credentials = (
        std::env::var("PLAID_CLIENT_ID"),
        std::env::var("PLAID_SECRET"),
    );
    let (inner, id, secret, environment): (Box<dyn HttpTransport>, String, String, Environment) =
        match credentials {
            (Ok(id), Ok(secret)) => {
                let environment = std::env::var("PLAID_ENV")
                    .ok()
                    .and_then(|e| Environment::parse(&e))
                    .unwrap_or_default();
                (
                    Box::new(plaid_hyper::HyperTransport::new()),
                    id,
                    secret,
                    environment,
                )
            }
            _ => {
                println!(
                    "PLAID_CLIENT_ID / PLAID_SECRET not set: wrapping the built-in fake Plaid.\n"
                );
                let mock = plaid_mock::MockPlaid::new();
                let (id, secret) = (mock.client_id().to_owned(), mock.secret().to_owned());
                (Box::new(mock), id, secret, Environment::Sandbox)
            }
        };
    let transport = std::sync::Arc::new(TaggingTransport {
        inner,
        tag: "example-app".into(),
        log: Mutex::new(Vec::new()),
    });
    let client = match Client::builder()
        .environment(environment)
        .credentials(id, secret)
        .shared_transport(transport.clone())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("custom_transport: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let code = plaid_examples::run_example(
        "custom_transport",
        plaid_examples::stripe_processor_token(&client, &mut std::io::stdout()),
    )
    .await;
    for entry in transport.log.lock().map(|l| l.clone()).unwrap_or_default() {
        println!("log: {entry}");
    }
    code
}
