//! [`HyperTransportBuilder`]: the transport's settings, the certificate
//! authorities it trusts and its proxy, checked once when it is built.

use std::time::Duration;

use rustls::ClientConfig;

use crate::error::BuildError;
use crate::proxy::{ProxyEnv, ProxyOptions};
use crate::settings::{RootStore, Settings};
use crate::transport::HyperTransport;

/// Configures and builds a [`HyperTransport`].
///
/// Obtained from [`HyperTransport::builder`]; every setting has a default, so
/// `HyperTransport::builder().build()` is a complete transport.
///
/// ```
/// use std::time::Duration;
///
/// let transport = plaid_hyper::HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .pool_max_idle_per_host(8)
///     .build()?;
/// # Ok::<(), plaid_hyper::BuildError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HyperTransportBuilder {
    pub(crate) settings: Settings,
    tls_config: Option<ClientConfig>,
    pub(crate) proxy: ProxyOptions,
}

impl HyperTransportBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to wait for a TCP connection to be established, per attempt
    /// (default [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT), 10 s). The TLS handshake is not
    /// included.
    ///
    /// A connect timeout is reported as
    /// [`TransportErrorKind::Connect`](plaid_core::transport::TransportErrorKind::Connect): the request was certainly not sent.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How long an idle keep-alive connection stays in the pool before it is
    /// closed (default [`DEFAULT_POOL_IDLE_TIMEOUT`](crate::DEFAULT_POOL_IDLE_TIMEOUT), 90 s).
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections to keep per host (default
    /// [`DEFAULT_POOL_MAX_IDLE_PER_HOST`](crate::DEFAULT_POOL_MAX_IDLE_PER_HOST), 32). `0` disables connection reuse.
    #[must_use]
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.settings.pool_max_idle_per_host = max;
        self
    }

    /// The most connections open to one host at a time, busy and idle
    /// together (default [`DEFAULT_MAX_CONNECTIONS_PER_HOST`](crate::DEFAULT_MAX_CONNECTIONS_PER_HOST), 32; `0` is
    /// taken as 1).
    ///
    /// Over HTTP/1.1 a connection carries one request at a time, so this is
    /// also how many requests to a host are in flight at once: more wait
    /// for a connection to come free, and that wait counts toward the
    /// client's timeout. Over HTTP/2 every request shares one connection
    /// and none waits.
    #[must_use]
    pub fn max_connections_per_host(mut self, max: usize) -> Self {
        self.settings.max_connections_per_host = max;
        self
    }

    /// The largest response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY_BYTES`](crate::DEFAULT_MAX_RESPONSE_BODY_BYTES), 32 MiB).
    ///
    /// A response whose `Content-Length` is larger fails before its body is
    /// read; a body without a declared length fails as soon as the bytes
    /// received pass the cap. Either way the error kind is
    /// [`TransportErrorKind::BodyTooLarge`](plaid_core::transport::TransportErrorKind::BodyTooLarge) and the connection is dropped.
    #[must_use]
    pub fn max_response_body_bytes(mut self, max: usize) -> Self {
        self.settings.max_response_body_bytes = max;
        self
    }

    /// Whether plain `http://` may be used to hosts that are not loopback
    /// (default `false`).
    ///
    /// `http://localhost`, `http://127.x.x.x` and `http://[::1]` are always
    /// allowed, for local fakes and tests. Anything else over plain HTTP would
    /// send Plaid credentials in clear text, so it is
    /// [`Refused`](plaid_core::transport::TransportErrorKind::Refused) before any DNS lookup or
    /// connection unless this is set.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.settings.allow_insecure_http = allow;
        self
    }

    /// Which certificate authorities to trust (default: see [`RootStore`]).
    #[must_use]
    pub fn root_store(mut self, store: RootStore) -> Self {
        self.settings.root_store = store;
        self
    }

    /// Uses this rustls configuration instead of the one the transport
    /// builds, for example to trust a private certificate authority or to
    /// present a client certificate. [`root_store`](Self::root_store) is then
    /// not used. The transport sets the ALPN protocols itself (`h2`,
    /// `http/1.1`).
    ///
    /// ```
    /// use plaid_hyper::rustls;
    ///
    /// let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
    ///     rustls::crypto::ring::default_provider(),
    /// ))
    /// .with_safe_default_protocol_versions()?
    /// .with_root_certificates(rustls::RootCertStore::empty()) // add your CA here
    /// .with_no_client_auth();
    /// let transport = plaid_hyper::HyperTransport::builder().tls_config(tls).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn tls_config(mut self, config: ClientConfig) -> Self {
        self.tls_config = Some(config);
        self
    }

    /// Builds the transport.
    ///
    /// Does not need a running async runtime and opens no connection;
    /// connections are made on first use. Reads the proxy variables of the
    /// environment unless told otherwise (see
    /// [`proxy_from_env`](Self::proxy_from_env)). Fails when the selected
    /// [`RootStore`] is not compiled in or cannot be loaded, or when a proxy
    /// URL is unusable.
    pub fn build(self) -> Result<HyperTransport, BuildError> {
        HyperTransport::assemble(self.settings, self.tls_config, &self.proxy)
    }

    // Egress proxies: where the proxy settings come from (the rules that
    // apply them are in `proxy`).

    /// Sends every request (`https://` and `http://`) through the HTTP proxy
    /// at `url`, instead of any proxy named in the environment.
    ///
    /// `url` is `http://host:port` (or `https://` for a proxy reached over
    /// TLS; without a scheme, `http` is assumed). Credentials go in the URL,
    /// percent-encoded: `http://user:pa%40ss@proxy.internal:3128`; they are
    /// sent as `Proxy-Authorization: Basic …` on the `CONNECT` request only,
    /// and never appear in `Debug` output, error messages or logs.
    ///
    /// HTTPS requests go through a `CONNECT` tunnel with TLS end to end to
    /// the destination: the proxy sees the destination host and port, never
    /// the request. Plain-HTTP requests (to loopback hosts, or to others
    /// with [`allow_insecure_http`](Self::allow_insecure_http)) go through a
    /// tunnel too. Every destination uses this proxy, loopback ones
    /// included, except those matching [`no_proxy`](Self::no_proxy).
    ///
    /// An invalid URL (or a SOCKS one, which is not supported) makes
    /// [`build`](Self::build) fail with
    /// [`BuildErrorKind::Proxy`](crate::BuildErrorKind::Proxy).
    ///
    /// ```
    /// let transport = plaid_hyper::HyperTransport::builder()
    ///     .proxy("http://egress:secret@proxy.internal:3128")
    ///     .no_proxy("internal.example, 10.0.0.0/8")
    ///     .build()?;
    /// assert!(!format!("{transport:?}").contains("secret"));
    /// # Ok::<(), plaid_hyper::BuildError>(())
    /// ```
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.explicit = Some(url.into());
        self
    }

    /// Hosts that bypass the proxy set with [`proxy`](Self::proxy), in
    /// `NO_PROXY` syntax: comma-separated domains (each also matching its
    /// subdomains; a leading `.` is allowed), IP addresses, CIDR ranges, or
    /// `*` for every host. Without an explicit proxy, `NO_PROXY` from the
    /// environment is used instead.
    #[must_use]
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.proxy.explicit_no_proxy = Some(hosts.into());
        self
    }

    /// Whether to use the proxies named by the environment (default `true`):
    /// `HTTPS_PROXY` for `https://` requests, `HTTP_PROXY` for `http://`
    /// ones, `ALL_PROXY` for either when the specific one is unset, and
    /// `NO_PROXY` for hosts that go direct; each also in lower case (the
    /// upper-case one wins). The variables are read when the transport is
    /// built.
    ///
    /// Loopback destinations (`localhost`, `127.0.0.0/8`, `::1`: local fakes
    /// such as plaid-mock's server) never use a proxy from the environment,
    /// as in Go's `net/http`: the variables are meant for other programs as
    /// much as for this one.
    ///
    /// As in hyper-util, when `REQUEST_METHOD` is set (the process runs as
    /// CGI, where `HTTP_PROXY` could come from a request header) the
    /// environment's proxies are ignored.
    ///
    /// An explicit [`proxy`](Self::proxy) always takes precedence.
    #[must_use]
    pub fn proxy_from_env(mut self, enabled: bool) -> Self {
        self.proxy.from_env = enabled;
        self
    }

    /// Reads the proxy variables (see [`proxy_from_env`](Self::proxy_from_env))
    /// through `lookup` instead of the process environment: for tests, or
    /// for applications that keep their configuration elsewhere. Called once
    /// per variable name, now; switches [`proxy_from_env`](Self::proxy_from_env)
    /// on.
    ///
    /// ```
    /// use std::collections::HashMap;
    ///
    /// let vars = HashMap::from([("HTTPS_PROXY", "http://proxy.internal:3128")]);
    /// let transport = plaid_hyper::HyperTransport::builder()
    ///     .proxy_env(|name| vars.get(name).map(|v| v.to_string()))
    ///     .build()?;
    /// assert!(format!("{transport:?}").contains("proxy.internal:3128"));
    /// # Ok::<(), plaid_hyper::BuildError>(())
    /// ```
    #[must_use]
    pub fn proxy_env(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        self.proxy.from_env = true;
        self.proxy.env = Some(ProxyEnv::read(lookup));
        self
    }
}

// The builder's entry point lives with the builder, so that `transport`
// (what a built transport does) does not depend on `builder`.
impl HyperTransport {
    /// A builder to configure the transport; see [`HyperTransportBuilder`].
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}
