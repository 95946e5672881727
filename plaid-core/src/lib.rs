//! Typed client runtime for the [Plaid API](https://plaid.com/docs/api/).
//!
//! `plaid-core` holds everything that does not touch a socket: the
//! [`HttpTransport`] seam, the [`Client`] that applies Plaid's conventions
//! (environments, credentials, API version, retries, timeouts), typed
//! requests and responses, and the mapping of Plaid's error bodies to
//! [`Error`]. Pair it with a transport: `plaid-hyper` for production,
//! `plaid-mock` for tests, or your own.
//!
//! ```no_run
//! # use plaid_core::transport::{HttpTransport, TransportError};
//! # #[derive(Debug)] struct MyTransport;
//! # #[async_trait::async_trait] impl HttpTransport for MyTransport {
//! #     async fn send(&self, _: http::Request<bytes::Bytes>) -> Result<http::Response<bytes::Bytes>, TransportError> { unimplemented!() }
//! # }
//! # async fn run() -> Result<(), plaid_core::Error> {
//! use plaid_core::{error_code, Client, Environment};
//!
//! let client = Client::builder()
//!     .environment(Environment::Sandbox)
//!     .credentials("client-id", "secret")
//!     .transport(MyTransport)
//!     .build()?;
//!
//! let exchanged = client.item().public_token().exchange("public-sandbox-…").await?;
//! match client.auth().get(&exchanged.access_token).await {
//!     Ok(auth) => println!("{} ACH numbers", auth.numbers.ach.len()),
//!     Err(e) if e.code() == Some(error_code::ITEM_LOGIN_REQUIRED) => {
//!         println!("send the user through Link update mode");
//!     }
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! - `tokio` (default): [`sleep::TokioSleep`], the timer used for retry
//!   back-off and timeouts. Without it, give the builder a timer with
//!   [`ClientBuilder::sleep_impl`] or switch timeouts and retries off.
#![warn(missing_docs)]

mod client;
mod environment;
pub mod error;
mod plaid_error;
pub mod request;
pub mod retry;
mod secret;
pub mod sleep;
mod string_enum;
pub mod transport;
pub mod wire;

#[allow(
    clippy::too_many_arguments,
    clippy::large_enum_variant,
    clippy::upper_case_acronyms,
    clippy::doc_lazy_continuation
)]
mod generated;

pub use generated::operations::OPERATIONS;
pub use generated::{api, models};

pub use client::{Client, ClientBuilder, DEFAULT_API_VERSION, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use environment::Environment;
pub use error::{ApiError, Error, InputError, ResponseError, ResponseErrorKind};
pub use plaid_error::{error_code, ErrorType, PlaidError};
pub use request::{Binary, Call, FromResponseBody, OperationInfo, PlaidRequest};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use transport::{HttpTransport, TransportError, TransportErrorKind};

#[cfg(test)]
mod tests {
    /// Clients and errors cross threads and live in `Box<dyn Error + Send + Sync>`.
    #[test]
    fn public_types_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<crate::Client>();
        assert_send_sync::<crate::Error>();
        assert_send_sync::<crate::Call<crate::models::ItemGetRequest>>();
        fn assert_std_error<T: std::error::Error>() {}
        assert_std_error::<crate::Error>();
    }
}
