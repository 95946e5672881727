//! Opening a connection to a destination: directly, or through a proxy's
//! `CONNECT` tunnel with TLS end to end to the destination inside it.

use std::error::Error as StdError;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::{Connection as _, HttpConnector};
use hyper_util::rt::TokioIo;
use plaid_core::transport::{TransportError, TransportErrorKind};
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tower_service::Service as _;

use crate::error::{connect_error, is_timeout, root_cause};
use crate::proxy::{ProxyError, ProxyErrorKind, ProxyRules, Route};
use crate::target::Target;
use crate::tunnel::{self, TunnelFailure};

type Tcp = TokioIo<TcpStream>;
/// A connection to a proxy (TLS for an `https://` proxy).
type ToProxy = MaybeHttpsStream<Tcp>;

/// Opens connections for the pool.
#[derive(Clone)]
pub(crate) struct Connector {
    tcp: HttpConnector,
    /// For destinations: ALPN `h2`, `http/1.1`.
    tls: Arc<ClientConfig>,
    /// For `https://` proxies: ALPN `http/1.1` only, `CONNECT` is HTTP/1.1.
    proxy_tls: Arc<ClientConfig>,
    proxies: Option<Arc<ProxyRules>>,
    connect_timeout: Duration,
}

impl Connector {
    pub(crate) fn new(
        tcp: HttpConnector,
        mut tls: ClientConfig,
        proxies: Option<ProxyRules>,
        connect_timeout: Duration,
    ) -> Self {
        let mut proxy_tls = tls.clone();
        proxy_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Self {
            tcp,
            tls: Arc::new(tls),
            proxy_tls: Arc::new(proxy_tls),
            proxies: proxies.map(Arc::new),
            connect_timeout,
        }
    }

    /// The proxy rules in force, for `Debug`.
    pub(crate) fn proxies(&self) -> Option<&ProxyRules> {
        self.proxies.as_deref()
    }

    /// TCP (with the connect timeout) and, for `https`, TLS to `uri`'s
    /// host: directly, or through the proxy the rules pick for it.
    pub(crate) async fn connect(&self, uri: Uri, target: &Target) -> Result<Io, TransportError> {
        let Some(route) = self.proxies.as_ref().and_then(|p| p.route(&uri)) else {
            let mut direct = HttpsConnector::from((self.tcp.clone(), Arc::clone(&self.tls)));
            return match direct.call(uri).await {
                Ok(io) => Ok(Io::Direct(io)),
                Err(err) => Err(connect_error(err, target, self.connect_timeout)),
            };
        };
        tracing::debug!(host = %target.host, proxy = %route.name, "connecting through proxy");
        let through = self.through(&uri, &route, target);
        match tokio::time::timeout(self.connect_timeout, through).await {
            Ok(result) => result,
            Err(_elapsed) => {
                let message = format!(
                    "{target}: no tunnel through the proxy {} within the connect timeout of {:?}",
                    route.name, self.connect_timeout
                );
                Err(proxy_failure(
                    ProxyErrorKind::TimedOut,
                    &route,
                    message,
                    None,
                ))
            }
        }
    }

    /// Connects to the proxy, asks it for a tunnel to `uri`'s host and
    /// port, and (for `https`) does the TLS handshake with the destination
    /// inside the tunnel: the proxy sees only the `CONNECT`.
    async fn through(
        &self,
        uri: &Uri,
        route: &Route,
        target: &Target,
    ) -> Result<Io, TransportError> {
        let mut to_proxy = HttpsConnector::from((self.tcp.clone(), Arc::clone(&self.proxy_tls)));
        let proxy = route.name.as_ref();
        let connection: ToProxy = to_proxy.call(route.proxy.clone()).await.map_err(|err| {
            let (kind, detail) = if is_timeout(&*err) {
                (
                    ProxyErrorKind::TimedOut,
                    format!("no connection within {:?}", self.connect_timeout),
                )
            } else {
                (ProxyErrorKind::Unreachable, root_cause(&*err))
            };
            let message = format!("{target}: could not connect to the proxy {proxy}: {detail}");
            proxy_failure(kind, route, message, Some(err))
        })?;

        let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let host = uri.host().unwrap_or_default();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let authority = format!("{host}:{port}");
        let tunnel = tunnel::establish(
            TokioIo::new(connection),
            &authority,
            route.authorization.as_ref(),
        )
        .await
        .map_err(|failure| tunnel_error(failure, route, target, &authority))?;
        if !https {
            return Ok(Io::Tunneled(tunnel.into_inner()));
        }

        let name = ServerName::try_from(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
        )
        .map_err(|err| {
            TransportError::new(TransportErrorKind::Refused, format!("{target}: {err}"))
        })?;
        match TlsConnector::from(Arc::clone(&self.tls))
            .connect(name, tunnel)
            .await
        {
            Ok(tls) => Ok(Io::TunneledTls(Box::new(TokioIo::new(tls)))),
            Err(err) => {
                let message = format!(
                    "{target}: TLS with the destination through the proxy {proxy} failed: {}",
                    root_cause(&err)
                );
                Err(TransportError::new(TransportErrorKind::Connect, message).with_source(err))
            }
        }
    }
}

/// Maps a refused or failed `CONNECT`.
fn tunnel_error(
    failure: TunnelFailure,
    route: &Route,
    target: &Target,
    authority: &str,
) -> TransportError {
    let proxy = &route.name;
    let (kind, message) = match &failure {
        TunnelFailure::Status(407) if route.authorization.is_some() => (
            ProxyErrorKind::AuthenticationRequired,
            format!(
                "the proxy {proxy} rejected the credentials in its URL (407 Proxy Authentication \
                 Required): check the user and password, percent-encoded, in \
                 http://user:password@host:port"
            ),
        ),
        TunnelFailure::Status(407) => (
            ProxyErrorKind::AuthenticationRequired,
            format!(
                "the proxy {proxy} requires authentication (407 Proxy Authentication Required): \
                 put the credentials in the proxy URL, percent-encoded: \
                 http://user:password@host:port"
            ),
        ),
        TunnelFailure::Status(status) => (
            ProxyErrorKind::TunnelRefused,
            format!(
                "the proxy {proxy} refused a tunnel to {authority} (status {status} to CONNECT; \
                 does the proxy allow this destination?)"
            ),
        ),
        TunnelFailure::Closed => (
            ProxyErrorKind::TunnelRefused,
            format!("the proxy {proxy} closed the connection instead of answering CONNECT"),
        ),
        TunnelFailure::Malformed => (
            ProxyErrorKind::TunnelRefused,
            format!("the proxy {proxy} answered CONNECT with something that is not HTTP/1.x"),
        ),
        TunnelFailure::Io(err) => (
            if is_timeout(err) {
                ProxyErrorKind::TimedOut
            } else {
                ProxyErrorKind::Unreachable
            },
            format!("the connection to the proxy {proxy} failed during CONNECT: {err}"),
        ),
    };
    let source = match failure {
        TunnelFailure::Io(err) => Some(Box::new(err) as Box<dyn StdError + Send + Sync>),
        _ => None,
    };
    proxy_failure(kind, route, format!("{target}: {message}"), source)
}

/// A [`TransportError`] of kind `Connect` (nothing reached the destination)
/// with a [`ProxyError`] as its source.
fn proxy_failure(
    kind: ProxyErrorKind,
    route: &Route,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
) -> TransportError {
    let proxy_error = ProxyError::new(kind, route, message.clone(), source);
    TransportError::new(TransportErrorKind::Connect, message).with_source(proxy_error)
}

/// A connection, direct or tunnelled.
pub(crate) enum Io {
    Direct(MaybeHttpsStream<Tcp>),
    /// Plain HTTP through a tunnel.
    Tunneled(ToProxy),
    /// TLS with the destination through a tunnel.
    TunneledTls(Box<TokioIo<TlsStream<TokioIo<ToProxy>>>>),
}

impl Io {
    /// Whether TLS with the destination agreed on HTTP/2.
    pub(crate) fn is_h2(&self) -> bool {
        match self {
            Self::Direct(io) => io.connected().is_negotiated_h2(),
            Self::Tunneled(_) => false,
            Self::TunneledTls(io) => io.inner().get_ref().1.alpn_protocol() == Some(b"h2"),
        }
    }
}

impl Read for Io {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Direct(io) => Pin::new(io).poll_read(cx, buf),
            Self::Tunneled(io) => Pin::new(io).poll_read(cx, buf),
            Self::TunneledTls(io) => Pin::new(&mut **io).poll_read(cx, buf),
        }
    }
}

impl Write for Io {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Direct(io) => Pin::new(io).poll_write(cx, buf),
            Self::Tunneled(io) => Pin::new(io).poll_write(cx, buf),
            Self::TunneledTls(io) => Pin::new(&mut **io).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Direct(io) => Pin::new(io).poll_flush(cx),
            Self::Tunneled(io) => Pin::new(io).poll_flush(cx),
            Self::TunneledTls(io) => Pin::new(&mut **io).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Direct(io) => Pin::new(io).poll_shutdown(cx),
            Self::Tunneled(io) => Pin::new(io).poll_shutdown(cx),
            Self::TunneledTls(io) => Pin::new(&mut **io).poll_shutdown(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Self::Direct(io) => io.is_write_vectored(),
            Self::Tunneled(io) => io.is_write_vectored(),
            Self::TunneledTls(io) => io.is_write_vectored(),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Direct(io) => Pin::new(io).poll_write_vectored(cx, bufs),
            Self::Tunneled(io) => Pin::new(io).poll_write_vectored(cx, bufs),
            Self::TunneledTls(io) => Pin::new(&mut **io).poll_write_vectored(cx, bufs),
        }
    }
}
