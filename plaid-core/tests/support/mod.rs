//! What plaid-core's test files share: the test secret and a client on a
//! [`ScriptedTransport`] that retries without waiting.
#![allow(dead_code)]

use plaid_core::test_util::{RecordingSleep, ScriptedTransport};
use plaid_core::Client;

/// The secret every test client is given.
pub const SECRET: &str = "super-secret-value-42";

/// A client on `transport`, with the default retry policy on a timer that
/// records instead of waiting, and no timeout.
pub fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .credentials("client-1", SECRET)
        .transport(transport.clone())
        .sleep_impl(RecordingSleep::default())
        .no_timeout()
        .build()
        .unwrap()
}
