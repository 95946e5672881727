//! The fake over HTTP: [`serve`] and [`start`] put a [`MockPlaid`] behind a
//! real HTTP/1.1 socket, so clients in any language (or a Rust client with a
//! real transport) can talk to it.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use plaid_mock::MockPlaid;
//!
//! let mock = MockPlaid::new();
//! let server = plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("fake Plaid on {}", server.url());
//! // ... point a client at server.url() with mock.client_id() / mock.secret() ...
//! drop(server); // stops serving
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! * Paths under `/_mock/` are the control API (faults, journal, clock,
//!   items, reset, snapshot; the reference is in the README, "Using
//!   plaid-mock from any language"). Who may use it is [`ControlAccess`],
//!   set with [`ServerOptions::control`]; by default it is open on a
//!   loopback address and off on any other (where `/_mock/…` then answers
//!   a `403` saying so and how to turn it on). [`start_with`] and
//!   [`serve_with`] take the options.
//! * Plaid Link's web SDK and panes are served too (a stand-in: see
//!   [`link`]), and `hosted_link_url` names this server.
//! * A dropped-connection fault closes the connection without an answer.
//! * Every request is answered by [`MockPlaid::handle`]: garbage (bad JSON, a
//!   wrong content type, unknown paths, bad credentials) gets the same
//!   Plaid-shaped error bodies Plaid sends.
//! * Request bodies are read with a hard cap of 1 MiB. A larger body is
//!   answered with `413` and a Plaid-shaped `INVALID_BODY` error, and the
//!   connection is closed. Reading a body (and discarding the rest of an
//!   oversized one) is bounded in time.
//! * Webhooks: while serving, every webhook the fake produces for an item
//!   with a webhook URL is POSTed to that URL, with the
//!   `Plaid-Verification` header, **only** when the URL is `http://` to a
//!   loopback host (`127.0.0.0/8`, `localhost`, `[::1]`). Other URLs are
//!   never contacted (the fake sends no traffic off the machine); they are
//!   logged with [`tracing::warn!`] and skipped. `localhost` is not resolved
//!   through DNS: it is tried as `127.0.0.1`, then `[::1]`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

mod control_http;
mod health;
pub mod link;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::kernel::errors;
use crate::kernel::journal::{DeliveryResult, WebhookDelivery};
use crate::mock::{respond_bytes, MockPlaid, MAX_REQUEST_BYTES};
pub use crate::server::control_http::ControlAccess;
pub use crate::server::health::{check_health, url_for};
use control_http::ControlContext;

/// How long a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client may take to send a request's body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How much of an oversized body is read and discarded (so that the client,
/// still writing, sees the `413` instead of a reset connection) before the
/// connection is simply closed.
const DRAIN_LIMIT_BYTES: usize = 16 * 1024 * 1024;
/// How long a webhook delivery (connect, send, read the answer) may take.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// The pause after a failed `accept` (e.g. too many open files).
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

/// A server started by [`start`]; serving stops when it is dropped.
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    connections: Arc<AtomicU64>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The base URL clients should use, e.g. `http://127.0.0.1:41234`.
    ///
    /// When bound to an unspecified address (`0.0.0.0` or `[::]`), the URL
    /// names the loopback address of the same family.
    pub fn url(&self) -> String {
        url_for(self.local_addr)
    }

    /// The address the server is bound to (with the real port when `0` was
    /// asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How many TCP connections the server has accepted so far, e.g. to
    /// check that a client reuses its pooled connections.
    pub fn connections_accepted(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `addr` and serves `mock` on it in a task spawned on the current
/// tokio runtime, until the returned [`RunningServer`] is dropped.
///
/// Use port `0` (`"127.0.0.1:0"`) to get a free port; [`RunningServer::url`]
/// tells which.
///
/// # Errors
///
/// When `addr` cannot be bound.
///
/// # Panics
///
/// When called outside a tokio runtime.
pub async fn start(mock: MockPlaid, addr: SocketAddr) -> std::io::Result<RunningServer> {
    start_with(mock, addr, ServerOptions::new()).await
}

/// How a server runs beyond the fake it serves: who may use the control
/// API and where `POST /_mock/snapshot` saves the state.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ServerOptions {
    control: Option<ControlAccess>,
    state_file: Option<PathBuf>,
    token_origin: Option<String>,
}

impl ServerOptions {
    /// The defaults: the control API is open on a loopback address and off
    /// on any other ([`ControlAccess::for_address`]); no state file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Who may use the control API (`/_mock/…`).
    pub fn control(mut self, access: ControlAccess) -> Self {
        self.control = Some(access);
        self
    }

    /// Where `POST /_mock/snapshot` saves the state (see the binary's
    /// `--state`).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Where the control token was given (default `--control-token`), named
    /// in the hint of a request refused for a missing or wrong token, e.g.
    /// `the PLAID_MOCK_CONTROL_TOKEN environment variable`.
    pub fn control_token_origin(mut self, origin: impl Into<String>) -> Self {
        self.token_origin = Some(origin.into());
        self
    }

    fn context(&self, local_addr: SocketAddr) -> ControlContext {
        ControlContext {
            access: self
                .control
                .clone()
                .unwrap_or_else(|| ControlAccess::for_address(local_addr, None, false)),
            state_file: self.state_file.clone(),
            base_url: url_for(local_addr),
            token_origin: self
                .token_origin
                .clone()
                .unwrap_or_else(|| "--control-token".to_owned()),
        }
    }
}

/// [`start`] with [`ServerOptions`].
///
/// # Errors
///
/// When `addr` cannot be bound.
///
/// # Panics
///
/// When called outside a tokio runtime.
pub async fn start_with(
    mock: MockPlaid,
    addr: SocketAddr,
    options: ServerOptions,
) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(addr).await?;
    let local_addr = listener.local_addr()?;
    let connections = Arc::new(AtomicU64::new(0));
    let context = options.context(local_addr);
    let task = tokio::spawn(serve_counting(
        mock,
        listener,
        context,
        Arc::clone(&connections),
    ));
    Ok(RunningServer {
        local_addr,
        connections,
        task,
    })
}

/// Serves `mock` over HTTP/1.1 on `listener`, one task per connection, until
/// this future is dropped (or the task running it is aborted).
///
/// A failing connection never stops the server; a failing `accept` (e.g. too
/// many open files) is logged and retried after a short pause, so this does
/// not return in practice.
///
/// While it runs, webhooks are POSTed to loopback webhook URLs (see the
/// [module documentation](self)). Serving the same fake (or a clone of it)
/// twice at the same time delivers each webhook twice.
///
/// # Errors
///
/// None today; the result type leaves room for fatal listener errors.
///
/// # Panics
///
/// When polled outside a tokio runtime.
pub async fn serve(mock: MockPlaid, listener: TcpListener) -> std::io::Result<()> {
    serve_with(mock, listener, ServerOptions::new()).await
}

/// [`serve`] with [`ServerOptions`].
///
/// # Errors
///
/// When the listener's address cannot be read.
///
/// # Panics
///
/// When polled outside a tokio runtime.
pub async fn serve_with(
    mock: MockPlaid,
    listener: TcpListener,
    options: ServerOptions,
) -> std::io::Result<()> {
    let context = options.context(listener.local_addr()?);
    serve_counting(mock, listener, context, Arc::default()).await
}

/// [`serve`], counting accepted connections in `connections`.
async fn serve_counting(
    mock: MockPlaid,
    listener: TcpListener,
    context: ControlContext,
    connections: Arc<AtomicU64>,
) -> std::io::Result<()> {
    let context = Arc::new(context);
    // Webhooks are delivered only while this future is alive: the sink holds
    // a weak reference to `alive`, which is dropped with the future.
    let alive = Arc::new(());
    register_webhook_sink(
        &mock,
        Arc::downgrade(&alive),
        tokio::runtime::Handle::current(),
    );
    let _alive = alive;

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "plaid-mock: accepting a connection failed");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        connections.fetch_add(1, Ordering::Relaxed);
        let mock = mock.clone();
        let context = Arc::clone(&context);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let mock = mock.clone();
                let context = Arc::clone(&context);
                async move {
                    answer(&mock, &context, request)
                        .await
                        .ok_or(DroppedOnPurpose)
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "plaid-mock: connection ended with an error");
            }
        });
    }
}

/// Why a request body could not be read.
enum BodyError {
    /// Over [`MAX_REQUEST_BYTES`].
    TooLarge,
    /// The client stopped sending, or sent a broken body.
    Broken(String),
    /// The client took longer than [`BODY_READ_TIMEOUT`].
    TimedOut,
}

/// A dropped-connection fault: the service fails, so hyper closes the
/// connection without answering.
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedOnPurpose {}

/// Answers one HTTP request; `None` to close the connection unanswered.
async fn answer(
    mock: &MockPlaid,
    context: &ControlContext,
    request: http::Request<Incoming>,
) -> Option<http::Response<Full<Bytes>>> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let expects_continue = parts
        .headers
        .get(http::header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let too_large_declared = declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64);

    let body =
        if too_large_declared && (expects_continue || declared > Some(DRAIN_LIMIT_BYTES as u64)) {
            // Not worth reading: the client waits for `100 Continue` (which is
            // then never sent) or the body is too large to drain.
            Err(BodyError::TooLarge)
        } else {
            match tokio::time::timeout(BODY_READ_TIMEOUT, read_body(body)).await {
                Ok(result) => result,
                Err(_) => Err(BodyError::TimedOut),
            }
        };

    let response = match body {
        Ok(body) => {
            let request = http::Request::from_parts(parts, body);
            let control = request
                .uri()
                .path()
                .starts_with(control_http::PREFIX)
                .then(|| control_http::answer(mock, context, &request))
                .flatten();
            let control = match control {
                Some(response) => Some(response),
                None => link::answer(mock, &context.base_url, &request),
            };
            match control {
                Some(response) => response,
                None if link::answers_hosted_link_url(request.uri().path()) => {
                    let host = request.headers().get(http::header::HOST).cloned();
                    let response = mock.respond(request).await?;
                    link::own_hosted_link_url(host.as_ref(), &context.base_url, response)
                }
                None => mock.respond(request).await?,
            }
        }
        Err(error) => {
            let (status, answer) = match error {
                BodyError::TooLarge => (
                    413,
                    errors::invalid_body(format!(
                        "the body is larger than {MAX_REQUEST_BYTES} bytes (1 MiB)"
                    )),
                ),
                BodyError::Broken(message) => (
                    400,
                    errors::invalid_body(format!("the body could not be read: {message}")),
                ),
                BodyError::TimedOut => (
                    408,
                    errors::invalid_body("the body was not received in time"),
                ),
            };
            let mut response = respond_bytes(status, answer.body("mock-unread-body"));
            // The rest of the body may still be in flight: do not reuse the
            // connection.
            response.headers_mut().insert(
                http::header::CONNECTION,
                http::HeaderValue::from_static("close"),
            );
            response
        }
    };
    Some(response.map(Full::new))
}

/// Reads a body of at most [`MAX_REQUEST_BYTES`]. A larger body is read on
/// and discarded up to [`DRAIN_LIMIT_BYTES`] (so the client can finish
/// writing and read the `413`), then reported as too large.
async fn read_body(mut body: Incoming) -> Result<Bytes, BodyError> {
    let mut collected = BytesMut::new();
    let mut seen: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if seen > DRAIN_LIMIT_BYTES {
            return Err(BodyError::TooLarge);
        }
        if seen <= MAX_REQUEST_BYTES {
            collected.extend_from_slice(&data);
        } else if !collected.is_empty() {
            collected = BytesMut::new(); // free it while draining
        }
    }
    if seen > MAX_REQUEST_BYTES {
        Err(BodyError::TooLarge)
    } else {
        Ok(collected.freeze())
    }
}

/// Registers the sink that POSTs webhooks while `alive` can be upgraded.
fn register_webhook_sink(mock: &MockPlaid, alive: Weak<()>, runtime: tokio::runtime::Handle) {
    // Weak: the sink lives inside the fake.
    let fake = Arc::downgrade(&mock.shared);
    let note = move |id: u64, result: DeliveryResult| {
        if let Some(shared) = fake.upgrade() {
            MockPlaid { shared }.note_delivery(id, result);
        }
    };
    mock.on_webhook(move |delivery: &WebhookDelivery| {
        if alive.upgrade().is_none() {
            return; // that server has stopped
        }
        let Some(url) = delivery.url.as_deref() else {
            return;
        };
        let target = match WebhookTarget::parse(url) {
            Ok(target) => target,
            Err(reason) => {
                tracing::warn!(
                    url,
                    item_id = %delivery.item_id,
                    reason,
                    "plaid-mock: webhook not delivered"
                );
                note(
                    delivery.id,
                    DeliveryResult::Failed {
                        error: reason.to_owned(),
                    },
                );
                return;
            }
        };
        let body = delivery.body.clone();
        let verification = delivery.verification.clone();
        let url = url.to_owned();
        let id = delivery.id;
        note(id, DeliveryResult::Pending);
        let note = note.clone();
        runtime.spawn(async move {
            let result =
                match tokio::time::timeout(WEBHOOK_TIMEOUT, target.post(body, &verification)).await
                {
                    Ok(Ok(status)) => {
                        tracing::debug!(%url, %status, "plaid-mock: webhook delivered");
                        DeliveryResult::Delivered {
                            status: status.as_u16(),
                        }
                    }
                    Ok(Err(error)) => {
                        tracing::warn!(%url, %error, "plaid-mock: webhook delivery failed");
                        DeliveryResult::Failed { error }
                    }
                    Err(_) => {
                        tracing::warn!(%url, "plaid-mock: webhook delivery timed out");
                        DeliveryResult::Failed {
                            error: format!("no answer within {WEBHOOK_TIMEOUT:?}"),
                        }
                    }
                };
            note(id, result);
        });
    });
}

/// A webhook URL that may be contacted: `http://` to a loopback host.
#[derive(Debug)]
struct WebhookTarget {
    /// Where to connect, in order.
    addrs: Vec<SocketAddr>,
    /// The `Host` header.
    host: String,
    /// The request target (path and query).
    path_and_query: String,
}

impl WebhookTarget {
    /// Checks `url` and works out where to connect, without any DNS lookup.
    fn parse(url: &str) -> Result<Self, &'static str> {
        let uri: http::Uri = url.parse().map_err(|_| "the webhook URL is not a URL")?;
        if uri.scheme_str() != Some("http") {
            return Err("only http:// webhook URLs on a loopback host are contacted");
        }
        let authority = uri.authority().ok_or("the webhook URL has no host")?;
        if authority.as_str().contains('@') {
            return Err("webhook URLs with user information are not contacted");
        }
        let host = authority.host();
        let port = authority.port_u16().unwrap_or(80);
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let addrs = if bare.eq_ignore_ascii_case("localhost")
            || bare.eq_ignore_ascii_case("localhost.")
        {
            vec![
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
            ]
        } else {
            match bare.parse::<IpAddr>() {
                Ok(ip) if ip.is_loopback() => vec![SocketAddr::new(ip, port)],
                _ => return Err("the webhook host is not loopback; the fake never sends traffic off the machine"),
            }
        };
        let path_and_query = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_owned());
        Ok(Self {
            addrs,
            host: authority.as_str().to_owned(),
            path_and_query,
        })
    }

    /// POSTs one webhook; returns the receiver's status.
    async fn post(self, body: Bytes, verification: &str) -> Result<http::StatusCode, String> {
        let mut last_error = String::from("no address to connect to");
        let mut stream = None;
        for addr in &self.addrs {
            match TcpStream::connect(addr).await {
                Ok(connected) => {
                    stream = Some(connected);
                    break;
                }
                Err(error) => last_error = format!("connecting to {addr}: {error}"),
            }
        }
        let stream = stream.ok_or(last_error)?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake: {e}"))?;
        let connection = tokio::spawn(connection);
        let request = http::Request::post(self.path_and_query.as_str())
            .header(http::header::HOST, self.host.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::CONTENT_LENGTH, body.len())
            .header(http::header::USER_AGENT, "Plaid Verifier")
            .header("plaid-verification", verification)
            .body(Full::new(body))
            .map_err(|e| format!("building the request: {e}"))?;
        let result = async {
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| format!("sending: {e}"))?;
            let status = response.status();
            // Read (and drop) the answer so the receiver is not cut off mid-write.
            let _ = response.into_body().collect().await;
            Ok(status)
        }
        .await;
        connection.abort();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::WebhookTarget;

    #[test]
    fn only_loopback_http_urls_are_contacted() {
        for ok in [
            "http://127.0.0.1:9/hook",
            "http://127.1.2.3/hook?x=1",
            "http://localhost:8080/",
            "http://LOCALHOST:8080",
            "http://[::1]:8080/hook",
        ] {
            assert!(WebhookTarget::parse(ok).is_ok(), "{ok} should be allowed");
        }
        for refused in [
            "https://127.0.0.1/hook",
            "http://example.com/hook",
            "http://10.0.0.1/hook",
            "http://0.0.0.0:80/hook",
            "http://[::ffff:8.8.8.8]/hook",
            "http://localhost.example.com/hook",
            "http://user@127.0.0.1/hook",
            "ftp://127.0.0.1/hook",
            "not a url",
            "/relative/path",
        ] {
            assert!(
                WebhookTarget::parse(refused).is_err(),
                "{refused} should be refused"
            );
        }
        let target = WebhookTarget::parse("http://127.0.0.1:4321/hook?a=b").unwrap();
        assert_eq!(target.path_and_query, "/hook?a=b");
        assert_eq!(target.host, "127.0.0.1:4321");
        assert_eq!(target.addrs, vec!["127.0.0.1:4321".parse().unwrap()]);
        let target = WebhookTarget::parse("http://localhost:1").unwrap();
        assert_eq!(target.path_and_query, "/");
        assert_eq!(target.addrs.len(), 2);
    }
}
