//! The production HTTPS transport for [`plaid_core`].
//!
//! `plaid-core` does not talk to the network itself: it builds complete
//! [`http::Request`]s and hands them to an
//! [`HttpTransport`](plaid_core::transport::HttpTransport). This crate provides
//! [`HyperTransport`], the transport meant for real use: [hyper] 1.x,
//! keep-alive connection reuse, HTTP/2 negotiated through ALPN with HTTP/1.1
//! as the fallback, a connect timeout and a hard cap on response body size.
//!
//! # Connections
//!
//! Connections are pooled per host and the pool's size is a hard bound:
//! never more than
//! [`max_connections_per_host`](HyperTransportBuilder::max_connections_per_host)
//! connections to one host (32 by default). Over HTTP/1.1 a request beyond
//! that waits for a connection to come free; over HTTP/2 all requests share
//! one connection. A request that a pooled connection could not take because
//! the server had closed it goes out on another connection; a request that
//! may have reached the server is never sent again by the transport.
//!
//! # TLS
//!
//! TLS is [rustls] with the **ring** crypto provider, configured explicitly
//! (it never depends on a process-wide default provider), with rustls' safe
//! default protocol versions: TLS 1.3 and TLS 1.2. Building needs no C
//! toolchain beyond what `ring` needs, and no cmake.
//!
//! Which certificate authorities are trusted is chosen by cargo features (or
//! pass a whole rustls configuration with
//! [`tls_config`](HyperTransportBuilder::tls_config)):
//!
//! * `webpki-roots` (default): Mozilla's root certificates, compiled into the
//!   binary by the `webpki-roots` crate. Works the same everywhere, including
//!   minimal containers without a CA bundle.
//! * `native-roots`: the operating system's certificate store, loaded when the
//!   transport is built. When this feature is on it becomes the default
//!   [`RootStore`]; loading can fail, which
//!   [`HyperTransportBuilder::build`] reports as a [`BuildError`].
//!
//! # Safety rails
//!
//! * Plain `http://` is refused (error kind
//!   [`Refused`](plaid_core::transport::TransportErrorKind::Refused), nothing
//!   is sent, not even a DNS query) unless the host is loopback (`localhost`,
//!   `127.0.0.0/8`, `::1`) or
//!   [`allow_insecure_http`](HyperTransportBuilder::allow_insecure_http) is set.
//! * Response bodies are read frame by frame and reading stops with
//!   [`BodyTooLarge`](plaid_core::transport::TransportErrorKind::BodyTooLarge)
//!   as soon as the cap is passed (or up front when the declared
//!   `Content-Length` is already over it).
//! * Headers are never logged or put into error messages: Plaid credentials
//!   travel in headers. Logging goes through [`tracing`] at `debug`/`trace`
//!   level with method, host, path, status and body length only.
//! * The transport never retries and never interprets status codes: a `500`
//!   is returned as `Ok`. (hyper itself re-sends a request only when a pooled
//!   connection turned out to be dead *before* any byte of the request was
//!   written.)
//!
//! # Example
//!
//! Most code only needs [`client_builder`], a [`Client`] builder that already
//! carries the default transport. Building it opens no connection:
//!
//! ```
//! let client = plaid_hyper::client_builder()
//!     .environment(plaid_hyper::Environment::Sandbox)
//!     .credentials("client-id", "secret")
//!     .build()?;
//! assert_eq!(client.api_version(), "2020-09-14");
//! # Ok::<(), plaid_hyper::Error>(())
//! ```
//!
//! Calls then go to Plaid:
//!
//! ```no_run
//! # async fn run(client: plaid_hyper::Client) -> Result<(), plaid_hyper::Error> {
//! let exchanged = client.item().public_token().exchange("public-sandbox-…").await?;
//! let accounts = client.accounts().get(&exchanged.access_token).await?;
//! println!("{} accounts", accounts.accounts.len());
//! # Ok(())
//! # }
//! ```
//!
//! The transport can also be configured and used on its own:
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use bytes::Bytes;
//! use plaid_core::transport::HttpTransport;
//! use plaid_hyper::HyperTransport;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let transport = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(5))
//!     .max_response_body_bytes(8 * 1024 * 1024)
//!     .build()?;
//!
//! let request = http::Request::post("https://sandbox.plaid.com/categories/get")
//!     .header("content-type", "application/json")
//!     .body(Bytes::from_static(b"{}"))?;
//! let response = transport.send(request).await?;
//! println!("{} ({} bytes)", response.status(), response.body().len());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Bottom up: each module uses only those above it in this list.
mod builder;
mod connect;
mod error;
mod pool;
mod proxy;
mod settings;
mod target;
mod tls;
mod transport;
mod tunnel;

pub use builder::HyperTransportBuilder;
pub use error::{BuildError, BuildErrorKind};
pub use proxy::{ProxyError, ProxyErrorKind};
pub use settings::{
    RootStore, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_HOST,
    DEFAULT_MAX_RESPONSE_BODY_BYTES, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST,
};
pub use transport::HyperTransport;

pub use plaid_core;
pub use plaid_core::{Client, ClientBuilder, Environment, Error};
/// The rustls this crate is built with, for
/// [`HyperTransportBuilder::tls_config`].
pub use rustls;

/// A [`ClientBuilder`] that already carries [`HyperTransport::new()`]: one
/// dependency line and one builder chain give a working client.
///
/// Every other setting keeps its default; override the transport with
/// [`ClientBuilder::transport`] to tune it (for example
/// `HyperTransport::builder().connect_timeout(..).build()?`).
///
/// ```
/// let client = plaid_hyper::client_builder()
///     .credentials("client-id", "secret")
///     .build()
///     .unwrap();
/// assert_eq!(client.environment(), &plaid_hyper::Environment::Sandbox);
/// ```
#[cfg(feature = "webpki-roots")]
#[cfg_attr(docsrs, doc(cfg(feature = "webpki-roots")))]
pub fn client_builder() -> ClientBuilder {
    Client::builder().transport(HyperTransport::new())
}
