//! Test doubles for code that uses a [`Client`](crate::Client): transports
//! that answer from a script, always the same, never, or that count and
//! record what passes through another one; a timer that records instead of
//! sleeping; a clock that moves when told.
//!
//! Behind the `test_util` feature, for this crate's tests and for yours
//! (`plaid-core = { version = "0.1", features = ["test_util"] }` under
//! `[dev-dependencies]`). For a fake Plaid that keeps state, use
//! `plaid-mock` instead.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use plaid_core::test_util::{RecordingSleep, ScriptedTransport};
//! use plaid_core::Client;
//!
//! let transport = ScriptedTransport::new()
//!     .answer(500, serde_json::json!({
//!         "error_type": "API_ERROR", "error_code": "INTERNAL_SERVER_ERROR",
//!         "error_message": "try again", "display_message": null, "request_id": "r1"
//!     }))
//!     .answer(200, serde_json::json!({"categories": [], "request_id": "r2"}));
//! let sleep = RecordingSleep::default();
//! let client = Client::builder()
//!     .transport(transport.clone())
//!     .sleep_impl(sleep.clone())
//!     .no_timeout()
//!     .build()
//!     .unwrap();
//! let answer = client.send_raw("/categories/get", serde_json::json!({})).await.unwrap();
//! assert_eq!(answer["request_id"], "r2");
//! assert_eq!(transport.requests().len(), 2);
//! assert_eq!(sleep.delays().len(), 1); // one back-off, no real wait
//! # }
//! ```

mod transports;

pub use crate::clock::ManualClock;
pub use crate::sleep::RecordingSleep;
pub use transports::{
    response, CannedTransport, CountingTransport, NeverAnswers, RecordingTransport,
    ScriptedTransport,
};
