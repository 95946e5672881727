//! [`HyperTransport`]: requests over the pool, with the body cap and the
//! destination check.

use std::fmt;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use http::Uri;
use http_body_util::BodyExt;
use hyper::body::{Body as _, Incoming};
use hyper_util::client::legacy::connect::HttpConnector;
use plaid_core::transport::{HttpTransport, TransportError, TransportErrorKind};
use rustls::ClientConfig;

use crate::connect::Connector;
use crate::error::{body_error, BuildError};
use crate::pool::{Pool, PoolSettings};
use crate::proxy::ProxyOptions;
use crate::settings::{RootStore, Settings};
use crate::target::{is_loopback_host, Target};
use crate::tls;

/// Upper bound on how much buffer is reserved up front from a declared
/// `Content-Length`; beyond it the buffer grows as data actually arrives.
const MAX_PREALLOCATION: usize = 256 * 1024;

/// The production [`HttpTransport`]: hyper 1.x, a pooled keep-alive client,
/// rustls (ring) TLS, HTTP/2 via ALPN with HTTP/1.1 fallback.
///
/// Cloning is cheap and clones share the connection pool. Create one per
/// process (or per configuration) and reuse it; every
/// [`send`](HttpTransport::send) draws from the pool.
///
/// The transport moves exactly one request and one response. It does not
/// retry, follow redirects, decompress, or look at status codes. See the
/// [crate documentation](crate) for the TLS setup and safety rails, and
/// [`HyperTransportBuilder`](crate::HyperTransportBuilder) for the settings.
///
/// # Errors
///
/// [`send`](HttpTransport::send) fails with a
/// [`TransportError`] whose kind is:
///
/// * [`Refused`](TransportErrorKind::Refused): the URL is not absolute, has a
///   scheme other than `http`/`https`, or is plain `http` to a non-loopback
///   host without [`allow_insecure_http`](crate::HyperTransportBuilder::allow_insecure_http).
///   Nothing was sent.
/// * [`Connect`](TransportErrorKind::Connect): DNS, TCP or TLS handshake
///   failed, **or the connect timeout expired**. Nothing was sent, so a
///   retry is safe; the message says when it was the timeout.
/// * [`TimedOut`](TransportErrorKind::TimedOut): a timeout after the
///   connection was established.
/// * [`Interrupted`](TransportErrorKind::Interrupted): the connection broke
///   after the request was (possibly) sent: closed or reset before the
///   response head, or a body shorter than its `Content-Length`.
/// * [`BodyTooLarge`](TransportErrorKind::BodyTooLarge): see
///   [`max_response_body_bytes`](crate::HyperTransportBuilder::max_response_body_bytes).
/// * [`Io`](TransportErrorKind::Io): anything else, such as a malformed
///   response.
///
/// Messages name the method, host and path (never headers, query or
/// credentials); the underlying hyper/rustls/io error is the
/// [`source`](std::error::Error::source).
#[derive(Clone)]
pub struct HyperTransport {
    /// `Err` only in the (unreachable in practice) case that
    /// [`HyperTransport::new`] could not build any TLS configuration; every
    /// request then fails with that error instead of panicking.
    pub(crate) pool: Result<Arc<Pool>, Arc<BuildError>>,
    pub(crate) settings: Settings,
}

impl HyperTransport {
    /// A transport with every setting at its default.
    ///
    /// Trusts the default [`RootStore`]. If that is the operating system store
    /// (feature `native-roots`) and it cannot be loaded, this falls back to the
    /// bundled Mozilla roots; use [`builder`](Self::builder) and
    /// [`build`](crate::HyperTransportBuilder::build) to get the error instead.
    ///
    /// Never panics. When a proxy variable of the environment (see
    /// [`HyperTransportBuilder::proxy_from_env`](crate::HyperTransportBuilder::proxy_from_env)) is not a usable proxy URL,
    /// the returned transport fails every request with
    /// [`TransportErrorKind::Refused`] carrying the [`BuildError`] that says
    /// which variable: sending around the configured proxy is never done
    /// silently. (Should rustls ever reject the ring provider's own
    /// defaults, which cannot happen with the versions this crate is built
    /// against, requests fail the same way with [`TransportErrorKind::Io`].)
    ///
    /// Only available with the `webpki-roots` feature (on by default), which
    /// makes this infallible.
    #[cfg(feature = "webpki-roots")]
    #[cfg_attr(docsrs, doc(cfg(feature = "webpki-roots")))]
    pub fn new() -> Self {
        let proxy = ProxyOptions::default();
        let unusable = |err: BuildError| Self {
            pool: Err(Arc::new(err)),
            settings: Settings::default(),
        };
        match Self::assemble(Settings::default(), None, &proxy) {
            Ok(transport) => transport,
            Err(err) if err.kind() == crate::BuildErrorKind::Proxy => unusable(err),
            Err(err) => {
                tracing::debug!(error = %err, "default root store unusable; using the bundled Mozilla roots");
                let settings = Settings {
                    root_store: RootStore::Webpki,
                    ..Settings::default()
                };
                Self::assemble(settings, None, &proxy).unwrap_or_else(unusable)
            }
        }
    }

    /// A transport with these settings: the TLS configuration (`tls`, or
    /// the default one trusting the settings' root store), the proxies, the
    /// connector and the pool. Opens no connection.
    pub(crate) fn assemble(
        settings: Settings,
        tls: Option<ClientConfig>,
        proxy: &ProxyOptions,
    ) -> Result<Self, BuildError> {
        let proxies = proxy.resolve()?;
        let tls = match tls {
            Some(config) => config,
            None => tls::default_config(settings.root_store)?,
        };

        let mut http = HttpConnector::new();
        // The HTTPS connector wraps this one and needs it to accept https URIs.
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));

        let connector = Connector::new(http, tls, proxies, settings.connect_timeout);
        let pool = Pool::new(
            connector,
            PoolSettings {
                max_per_host: settings.max_connections_per_host.max(1),
                max_idle_per_host: settings.pool_max_idle_per_host,
                idle_timeout: settings.pool_idle_timeout,
            },
        );
        Ok(Self {
            pool: Ok(Arc::new(pool)),
            settings,
        })
    }

    /// The response body cap in bytes this transport enforces.
    pub fn max_response_body_bytes(&self) -> usize {
        self.settings.max_response_body_bytes
    }

    /// The certificate authorities this transport trusts.
    pub fn root_store(&self) -> RootStore {
        self.settings.root_store
    }

    /// The most connections this transport opens to one host at a time.
    pub fn max_connections_per_host(&self) -> usize {
        self.settings.max_connections_per_host.max(1)
    }
}

#[cfg(feature = "webpki-roots")]
#[cfg_attr(docsrs, doc(cfg(feature = "webpki-roots")))]
impl Default for HyperTransport {
    /// Same as [`HyperTransport::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        let mut d = f.debug_struct("HyperTransport");
        d.field("connect_timeout", &s.connect_timeout)
            .field("pool_idle_timeout", &s.pool_idle_timeout)
            .field("pool_max_idle_per_host", &s.pool_max_idle_per_host)
            .field("max_connections_per_host", &s.max_connections_per_host)
            .field("max_response_body_bytes", &s.max_response_body_bytes)
            .field("allow_insecure_http", &s.allow_insecure_http)
            .field("root_store", &s.root_store)
            .field("tls", &"rustls (ring), TLS 1.2/1.3")
            .field("alpn", &["h2", "http/1.1"]);
        match &self.pool {
            Ok(pool) => d.field("proxy", &pool.connector().proxies()),
            Err(err) => d.field("unusable", err),
        };
        d.finish()
    }
}

#[async_trait::async_trait]
impl HttpTransport for HyperTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let target = Target::of(request.method(), request.uri());

        let pool = match &self.pool {
            Ok(pool) => pool,
            Err(err) => {
                let kind = if err.kind() == crate::BuildErrorKind::Proxy {
                    TransportErrorKind::Refused
                } else {
                    TransportErrorKind::Io
                };
                return Err(TransportError::new(kind, format!("{target}: {err}"))
                    .with_source(Arc::clone(err)));
            }
        };

        if let Err(reason) = check_destination(request.uri(), self.settings.allow_insecure_http) {
            tracing::debug!(
                method = %target.method,
                host = %target.host,
                path = %target.path,
                reason,
                "request refused"
            );
            return Err(TransportError::new(
                TransportErrorKind::Refused,
                format!("{target}: {reason}"),
            ));
        }

        tracing::debug!(
            method = %target.method,
            host = %target.host,
            path = %target.path,
            body_len = request.body().len(),
            "sending request"
        );

        let cap = self.settings.max_response_body_bytes;
        let response = pool
            .send(request, &target, |body| read_body(body, cap, &target))
            .await
            .map_err(|err| {
                tracing::debug!(
                    method = %target.method,
                    host = %target.host,
                    path = %target.path,
                    error = %err,
                    "request failed"
                );
                err
            })?;

        tracing::debug!(
            method = %target.method,
            host = %target.host,
            path = %target.path,
            status = response.status().as_u16(),
            version = ?response.version(),
            body_len = response.body().len(),
            "response received"
        );
        Ok(response)
    }
}

/// Reads `body` frame by frame, failing as soon as more than `cap` bytes have
/// arrived, or before reading at all if the declared length is over `cap`.
async fn read_body(
    mut body: Incoming,
    cap: usize,
    target: &Target,
) -> Result<Bytes, TransportError> {
    let cap_u64 = u64::try_from(cap).unwrap_or(u64::MAX);
    let declared = body.size_hint().lower();
    if declared > cap_u64 {
        return Err(TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!(
                "{target}: response declares a {declared}-byte body, over the limit of {cap} bytes"
            ),
        ));
    }

    let reserve = usize::try_from(declared)
        .unwrap_or(usize::MAX)
        .min(MAX_PREALLOCATION);
    let mut buf = BytesMut::with_capacity(reserve);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| body_error(err, target, buf.len()))?;
        let Ok(data) = frame.into_data() else {
            // Trailers carry no body bytes; they are not part of the response.
            continue;
        };
        if buf.len().saturating_add(data.len()) > cap {
            return Err(TransportError::new(
                TransportErrorKind::BodyTooLarge,
                format!(
                    "{target}: response body passed the limit of {cap} bytes ({} bytes received); reading stopped",
                    buf.len().saturating_add(data.len())
                ),
            ));
        }
        tracing::trace!(host = %target.host, frame_len = data.len(), "response body frame");
        buf.extend_from_slice(&data);
    }
    Ok(buf.freeze())
}

/// Whether a request to `uri` may leave the process; `Err` holds the reason.
fn check_destination(uri: &Uri, allow_insecure_http: bool) -> Result<(), String> {
    let (Some(scheme), Some(host)) = (uri.scheme_str(), uri.host()) else {
        return Err("the request URL must be absolute (scheme and host)".to_owned());
    };
    if scheme.eq_ignore_ascii_case("https") {
        Ok(())
    } else if scheme.eq_ignore_ascii_case("http") {
        if allow_insecure_http || is_loopback_host(host) {
            Ok(())
        } else {
            Err(format!(
                "plain http:// to the non-loopback host {host} is not allowed \
                 (use https://, or allow_insecure_http(true))"
            ))
        }
    } else {
        Err(format!("unsupported URL scheme {scheme:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::DEFAULT_MAX_RESPONSE_BODY_BYTES;
    use http::Method;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LocalHost",
            "localhost.",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(is_loopback_host(host), "{host} should be loopback");
        }
        for host in [
            "example.com",
            "localhost.example.com",
            "mylocalhost",
            "10.0.0.1",
            "128.0.0.1",
            "0.0.0.0",
            "127.1", // not a canonical address; a resolver could map it anywhere
            "[::2]",
            "[::ffff:10.0.0.1]",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host} should not be loopback");
        }
    }

    #[test]
    fn destination_policy() {
        assert!(check_destination(&uri("https://sandbox.plaid.com/x"), false).is_ok());
        assert!(check_destination(&uri("HTTPS://sandbox.plaid.com/x"), false).is_ok());
        assert!(check_destination(&uri("http://127.0.0.1:8080/x"), false).is_ok());
        assert!(check_destination(&uri("http://localhost:8080/x"), false).is_ok());
        assert!(check_destination(&uri("http://[::1]:8080/x"), false).is_ok());

        let err = check_destination(&uri("http://sandbox.plaid.com/x"), false).unwrap_err();
        assert!(err.contains("sandbox.plaid.com"), "{err}");
        assert!(check_destination(&uri("http://sandbox.plaid.com/x"), true).is_ok());

        assert!(check_destination(&uri("/relative"), true).is_err());
        assert!(check_destination(&uri("ftp://127.0.0.1/x"), true).is_err());
    }

    #[test]
    fn target_omits_query_and_userinfo() {
        let t = Target::of(
            &Method::POST,
            &uri("https://user:secret@sandbox.plaid.com:8443/a/b?token=abc"),
        );
        assert_eq!(t.to_string(), "POST https://sandbox.plaid.com:8443/a/b");
    }

    #[test]
    fn build_needs_no_runtime_and_defaults_are_applied() {
        let t = HyperTransport::builder().build();
        #[cfg(feature = "webpki-roots")]
        {
            let t = t.unwrap();
            assert_eq!(t.max_response_body_bytes(), DEFAULT_MAX_RESPONSE_BODY_BYTES);
            assert_eq!(t.root_store(), RootStore::default());
        }
        #[cfg(not(any(feature = "webpki-roots", feature = "native-roots")))]
        assert_eq!(
            t.unwrap_err().kind(),
            crate::BuildErrorKind::RootStoreUnavailable
        );
        #[cfg(all(feature = "native-roots", not(feature = "webpki-roots")))]
        drop(t);
    }

    #[test]
    fn unavailable_root_store_is_an_error_not_a_panic() {
        #[cfg(not(feature = "native-roots"))]
        {
            let err = HyperTransport::builder()
                .root_store(RootStore::Native)
                .build()
                .unwrap_err();
            assert_eq!(err.kind(), crate::BuildErrorKind::RootStoreUnavailable);
        }
        #[cfg(not(feature = "webpki-roots"))]
        {
            let err = HyperTransport::builder()
                .root_store(RootStore::Webpki)
                .build()
                .unwrap_err();
            assert_eq!(err.kind(), crate::BuildErrorKind::RootStoreUnavailable);
        }
    }
}
