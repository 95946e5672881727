//! The connection pool behind [`HyperTransport`](crate::HyperTransport).
//!
//! Each host (scheme and authority) has at most `max_per_host` connections,
//! and that bound is exact: a request first takes one of the host's slots
//! (waiting when all are busy), then reuses an idle connection or, only when
//! there is none, opens one. A connection is either idle or used by the one
//! request holding a slot, so a host never has more connections than slots.
//!
//! HTTP/2, when TLS negotiates it, multiplexes every request of a host over
//! one connection; requests on it need no slot.
//!
//! A request that an idle connection could not take (the server closed it
//! in the meantime) is handed back by hyper unsent and goes to another
//! connection; nothing that reached the wire is ever sent twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::uri::{Authority, Scheme};
use http::{HeaderValue, Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use plaid_core::transport::{TransportError, TransportErrorKind};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::connect::Connector;
use crate::error::{handshake_error, send_error};
use crate::target::Target;

#[cfg(test)]
mod unsent_tests;

type Body = Full<Bytes>;

/// How many times a request that a pooled connection handed back unsent is
/// tried again before the failure is reported.
const MAX_UNSENT_RETRIES: usize = 8;

/// What the pool may do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSettings {
    /// Connections per host, busy and idle together.
    pub(crate) max_per_host: usize,
    /// Idle connections kept per host.
    pub(crate) max_idle_per_host: usize,
    /// How long an idle connection is kept.
    pub(crate) idle_timeout: Duration,
}

/// Pooled connections to every host a transport has talked to.
pub(crate) struct Pool {
    connector: Connector,
    settings: PoolSettings,
    hosts: Mutex<HashMap<HostKey, Arc<Host>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct HostKey {
    scheme: Scheme,
    authority: Authority,
}

/// One host's connections.
struct Host {
    /// One permit per connection the host may have.
    slots: Arc<Semaphore>,
    /// Idle HTTP/1.1 connections, the most recently used last.
    idle: Mutex<Vec<Idle>>,
    /// The host's HTTP/2 connection, once TLS has negotiated `h2`.
    http2: Mutex<Option<http2::SendRequest<Body>>>,
}

struct Idle {
    sender: http1::SendRequest<Body>,
    since: Instant,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Pool {
    pub(crate) fn new(connector: Connector, settings: PoolSettings) -> Self {
        Self {
            connector,
            settings,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn connector(&self) -> &Connector {
        &self.connector
    }

    fn host(&self, key: &HostKey) -> Arc<Host> {
        let mut hosts = lock(&self.hosts);
        Arc::clone(hosts.entry(key.clone()).or_insert_with(|| {
            Arc::new(Host {
                slots: Arc::new(Semaphore::new(self.settings.max_per_host.max(1))),
                idle: Mutex::new(Vec::new()),
                http2: Mutex::new(None),
            })
        }))
    }

    /// Sends `request` (absolute URL) over a pooled connection and reads the
    /// whole response body with `read_body`. The connection is reused only
    /// when the body was read to its end.
    pub(crate) async fn send<F, Fut>(
        &self,
        request: Request<Bytes>,
        target: &Target,
        read_body: F,
    ) -> Result<Response<Bytes>, TransportError>
    where
        F: Fn(Incoming) -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, TransportError>>,
    {
        let key = host_key(request.uri(), target)?;
        let host = self.host(&key);
        let (parts, body) = request.into_parts();
        let mut request = Request::from_parts(parts, Full::new(body));
        for _ in 0..MAX_UNSENT_RETRIES {
            if let Some(sender) = host.http2() {
                match self.send_http2(sender, request, target, &read_body).await {
                    Outcome::Done(result) => return result,
                    Outcome::Unsent(back) => {
                        host.forget_http2();
                        request = back;
                        continue;
                    }
                }
            }
            let slot = Arc::clone(&host.slots).acquire_owned().await.map_err(|_| {
                TransportError::new(
                    TransportErrorKind::Io,
                    format!("{target}: the connection pool was shut down"),
                )
            })?;
            let connection = match host.take_idle(&self.settings).await {
                Some(sender) => Connection::Http1(sender),
                None => self.connect(&key, target).await?,
            };
            let outcome = match connection {
                Connection::Http1(sender) => {
                    self.send_http1(&host, sender, slot, request, target, &read_body)
                        .await
                }
                Connection::Http2(sender) => {
                    host.keep_http2(sender.clone());
                    drop(slot);
                    self.send_http2(sender, request, target, &read_body).await
                }
            };
            match outcome {
                Outcome::Done(result) => return result,
                Outcome::Unsent(back) => request = back,
            }
        }
        Err(TransportError::new(
            TransportErrorKind::Connect,
            format!(
                "{target}: {MAX_UNSENT_RETRIES} connections in a row closed before the request could be sent"
            ),
        ))
    }

    async fn send_http1<F, Fut>(
        &self,
        host: &Host,
        mut sender: http1::SendRequest<Body>,
        slot: OwnedSemaphorePermit,
        mut request: Request<Body>,
        target: &Target,
        read_body: &F,
    ) -> Outcome
    where
        F: Fn(Incoming) -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, TransportError>>,
    {
        to_origin_form(&mut request);
        let response = match sender.try_send_request(request).await {
            Ok(response) => response,
            Err(mut failed) => {
                if let Some(request) = failed.take_message() {
                    tracing::debug!(host = %target.host, "pooled connection closed; trying another");
                    return Outcome::Unsent(request);
                }
                return Outcome::Done(Err(send_error(failed.into_error(), target)));
            }
        };
        let (parts, body) = response.into_parts();
        head_received(target, &parts);
        let keep_alive = !closes(&parts.headers);
        let body = read_body(body).await;
        if body.is_ok() && keep_alive {
            // Back to the idle list before the slot is released, so the
            // next request finds it.
            host.put_idle(sender, &self.settings);
        }
        drop(slot);
        Outcome::Done(body.map(|body| Response::from_parts(parts, body)))
    }

    async fn send_http2<F, Fut>(
        &self,
        mut sender: http2::SendRequest<Body>,
        request: Request<Body>,
        target: &Target,
        read_body: &F,
    ) -> Outcome
    where
        F: Fn(Incoming) -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, TransportError>>,
    {
        let response = match sender.try_send_request(request).await {
            Ok(response) => response,
            Err(mut failed) => {
                if let Some(request) = failed.take_message() {
                    return Outcome::Unsent(request);
                }
                return Outcome::Done(Err(send_error(failed.into_error(), target)));
            }
        };
        let (parts, body) = response.into_parts();
        head_received(target, &parts);
        Outcome::Done(
            read_body(body)
                .await
                .map(|body| Response::from_parts(parts, body)),
        )
    }

    /// Opens a connection to `key` (directly or through a proxy): TCP (with
    /// the connect timeout), TLS for `https`, then the HTTP/1.1 or HTTP/2
    /// handshake TLS agreed on.
    async fn connect(&self, key: &HostKey, target: &Target) -> Result<Connection, TransportError> {
        let uri = Uri::builder()
            .scheme(key.scheme.clone())
            .authority(key.authority.clone())
            .path_and_query("/")
            .build()
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Refused, format!("{target}: {e}"))
            })?;
        let io = self.connector.connect(uri, target).await?;
        tracing::debug!(host = %target.host, "connected");
        if io.is_h2() {
            let (sender, connection) = http2::Builder::new(TokioExecutor::new())
                .timer(TokioTimer::new())
                .handshake(io)
                .await
                .map_err(|err| handshake_error(err, target))?;
            drive(connection, "HTTP/2");
            Ok(Connection::Http2(sender))
        } else {
            let (sender, connection) = http1::handshake(io)
                .await
                .map_err(|err| handshake_error(err, target))?;
            drive(connection, "HTTP/1.1");
            Ok(Connection::Http1(sender))
        }
    }
}

/// Runs a connection's I/O in a task of its own until it closes.
fn drive<F>(connection: F, protocol: &'static str)
where
    F: std::future::Future<Output = hyper::Result<()>> + Send + 'static,
{
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, protocol, "connection ended with an error");
        }
    });
}

enum Connection {
    Http1(http1::SendRequest<Body>),
    Http2(http2::SendRequest<Body>),
}

enum Outcome {
    /// The exchange happened (or failed after the request may have left).
    Done(Result<Response<Bytes>, TransportError>),
    /// The connection could not take the request; it was not sent.
    Unsent(Request<Body>),
}

impl Host {
    fn http2(&self) -> Option<http2::SendRequest<Body>> {
        let guard = lock(&self.http2);
        guard.as_ref().filter(|s| !s.is_closed()).cloned()
    }

    fn keep_http2(&self, sender: http2::SendRequest<Body>) {
        let mut guard = lock(&self.http2);
        if guard.as_ref().is_none_or(|s| s.is_closed()) {
            *guard = Some(sender);
        }
    }

    fn forget_http2(&self) {
        let mut guard = lock(&self.http2);
        if guard.as_ref().is_some_and(|s| s.is_closed()) {
            *guard = None;
        }
    }

    /// The most recently used idle connection that is still open and ready.
    async fn take_idle(&self, settings: &PoolSettings) -> Option<http1::SendRequest<Body>> {
        loop {
            let mut idle = {
                let mut list = lock(&self.idle);
                let now = Instant::now();
                list.retain(|c| !c.sender.is_closed() && now - c.since < settings.idle_timeout);
                list.pop()?
            };
            // Ready at once unless the connection is finishing the previous
            // exchange; an error means it closed.
            if idle.sender.ready().await.is_ok() {
                return Some(idle.sender);
            }
        }
    }

    fn put_idle(&self, sender: http1::SendRequest<Body>, settings: &PoolSettings) {
        if settings.max_idle_per_host == 0 || sender.is_closed() {
            return;
        }
        let mut list = lock(&self.idle);
        if list.len() >= settings.max_idle_per_host {
            list.remove(0);
        }
        list.push(Idle {
            sender,
            since: Instant::now(),
        });
    }
}

fn host_key(uri: &Uri, target: &Target) -> Result<HostKey, TransportError> {
    match (uri.scheme(), uri.authority()) {
        (Some(scheme), Some(authority)) => Ok(HostKey {
            scheme: scheme.clone(),
            authority: authority.clone(),
        }),
        _ => Err(TransportError::new(
            TransportErrorKind::Refused,
            format!("{target}: the request URL must be absolute (scheme and host)"),
        )),
    }
}

fn head_received(target: &Target, head: &http::response::Parts) {
    tracing::trace!(
        method = %target.method,
        host = %target.host,
        path = %target.path,
        status = head.status.as_u16(),
        version = ?head.version,
        "response head received"
    );
}

/// HTTP/1.1 wants `/path?query` in the request line and the host in `Host`.
fn to_origin_form(request: &mut Request<Body>) {
    let uri = request.uri().clone();
    if let Some(authority) = uri.authority() {
        if !request.headers().contains_key(http::header::HOST) {
            if let Ok(host) = HeaderValue::from_str(authority.as_str()) {
                request.headers_mut().insert(http::header::HOST, host);
            }
        }
        let path = uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
        *request.uri_mut() = Uri::from(path);
    }
}

/// Whether the server said it closes the connection after this response.
fn closes(headers: &http::HeaderMap) -> bool {
    headers
        .get_all(http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| token.trim().eq_ignore_ascii_case("close"))
}
