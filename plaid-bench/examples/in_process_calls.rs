//! A profiling target for figure 4: `/accounts/get` calls through the full
//! `Client` on the in-process fake, or one part of such a call alone.
//!
//! ```sh
//! cargo build --release -p plaid-bench --example in_process_calls
//! valgrind --tool=callgrind target/release/examples/in_process_calls call 3000
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | head -60
//! ```
//!
//! Modes: `call` (the whole call), `decode` (decoding the answer only),
//! `fake` (`MockPlaid::handle` only). Prints the time per call.

use std::time::Instant;

use bytes::Bytes;
use plaid_core::models::AccountsGetResponse;
use plaid_core::FromResponseBody;
use plaid_mock::MockPlaid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "call".into());
    let calls: u32 = match std::env::args().nth(2) {
        Some(n) => n.parse()?,
        None => 100_000,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mock = MockPlaid::builder().seed(7).build();
        let client = mock.client();
        let (token, _) = mock.link_item("ins_109508", &["transactions"])?;
        let body = Bytes::from(format!(r#"{{"access_token":"{token}"}}"#));
        let answer = mock.handle(request(&mock, body.clone())?).await.into_body();
        let started = Instant::now();
        match mode.as_str() {
            "call" => {
                for _ in 0..calls {
                    client.accounts().get(&token).await?;
                }
            }
            "decode" => {
                for _ in 0..calls {
                    let decoded = AccountsGetResponse::from_response_body(&answer);
                    std::hint::black_box(decoded.is_ok());
                }
            }
            "fake" => {
                for _ in 0..calls {
                    let response = mock.handle(request(&mock, body.clone())?).await;
                    std::hint::black_box(response);
                }
            }
            other => return Err(format!("unknown mode {other:?} (call, decode, fake)").into()),
        }
        let each = started.elapsed() / calls.max(1);
        println!(
            "{mode}: {each:?} per call ({} bytes answered)",
            answer.len()
        );
        Ok(())
    })
}

/// The request the client sends for `/accounts/get`.
fn request(mock: &MockPlaid, body: Bytes) -> Result<http::Request<Bytes>, http::Error> {
    http::Request::post("http://fake/accounts/get")
        .header("content-type", "application/json")
        .header("plaid-client-id", mock.client_id())
        .header("plaid-secret", mock.secret())
        .header("plaid-version", "2020-09-14")
        .body(body)
}
