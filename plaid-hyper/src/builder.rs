//! [`HyperTransportBuilder`]: the transport's settings, the certificate
//! authorities it trusts and its proxy, checked once when it is built.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use rustls::client::WantsClientCert;
use rustls::{ClientConfig, ConfigBuilder, WantsVerifier};

use crate::connect::Connector;
use crate::error::BuildError;
use crate::pool::{Pool, PoolSettings};
use crate::proxy::ProxyOptions;
use crate::transport::HyperTransport;

/// Default for [`HyperTransportBuilder::connect_timeout`]: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default for [`HyperTransportBuilder::pool_idle_timeout`]: 90 seconds.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Default for [`HyperTransportBuilder::pool_max_idle_per_host`]: 32.
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 32;

/// Default for [`HyperTransportBuilder::max_connections_per_host`]: 32.
pub const DEFAULT_MAX_CONNECTIONS_PER_HOST: usize = 32;

/// Default for [`HyperTransportBuilder::max_response_body_bytes`]: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Which certificate authorities the transport trusts.
///
/// The default is [`Native`](Self::Native) when the `native-roots` feature is
/// enabled and [`Webpki`](Self::Webpki) otherwise. Selecting a store whose
/// feature is off makes [`HyperTransportBuilder::build`] fail with
/// [`BuildErrorKind::RootStoreUnavailable`](crate::BuildErrorKind::RootStoreUnavailable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RootStore {
    /// Mozilla's root certificates compiled into the binary (crate
    /// `webpki-roots`, feature `webpki-roots`, on by default).
    Webpki,
    /// The operating system's certificate store, loaded when the transport
    /// is built (feature `native-roots`).
    Native,
}

impl RootStore {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Webpki => "bundled Mozilla (webpki-roots)",
            Self::Native => "operating system",
        }
    }

    pub(crate) fn feature(self) -> &'static str {
        match self {
            Self::Webpki => "webpki-roots",
            Self::Native => "native-roots",
        }
    }
}

impl Default for RootStore {
    fn default() -> Self {
        if cfg!(feature = "native-roots") {
            Self::Native
        } else {
            Self::Webpki
        }
    }
}

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
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    pub(crate) settings: Settings,
    tls_config: Option<ClientConfig>,
    pub(crate) proxy: ProxyOptions,
}

/// What a built transport keeps of its builder's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) connect_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) pool_max_idle_per_host: usize,
    pub(crate) max_connections_per_host: usize,
    pub(crate) max_response_body_bytes: usize,
    pub(crate) allow_insecure_http: bool,
    pub(crate) root_store: RootStore,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            settings: Settings {
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
                pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
                max_connections_per_host: DEFAULT_MAX_CONNECTIONS_PER_HOST,
                max_response_body_bytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
                allow_insecure_http: false,
                root_store: RootStore::default(),
            },
            tls_config: None,
            proxy: ProxyOptions::default(),
        }
    }
}

impl HyperTransportBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to wait for a TCP connection to be established, per attempt
    /// (default [`DEFAULT_CONNECT_TIMEOUT`], 10 s). The TLS handshake is not
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
    /// closed (default [`DEFAULT_POOL_IDLE_TIMEOUT`], 90 s).
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections to keep per host (default
    /// [`DEFAULT_POOL_MAX_IDLE_PER_HOST`], 32). `0` disables connection reuse.
    #[must_use]
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.settings.pool_max_idle_per_host = max;
        self
    }

    /// The most connections open to one host at a time, busy and idle
    /// together (default [`DEFAULT_MAX_CONNECTIONS_PER_HOST`], 32; `0` is
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
    /// [`DEFAULT_MAX_RESPONSE_BODY_BYTES`], 32 MiB).
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
        let settings = self.settings;
        let proxies = self.proxy.resolve()?;
        let tls = match self.tls_config {
            Some(config) => config,
            None => {
                let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .map_err(BuildError::tls)?;
                with_roots(tls, settings.root_store)?.with_no_client_auth()
            }
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

        Ok(HyperTransport {
            pool: Ok(Arc::new(pool)),
            settings,
        })
    }
}

/// Adds the trust anchors of `store` to a rustls config under construction.
fn with_roots(
    builder: ConfigBuilder<ClientConfig, WantsVerifier>,
    store: RootStore,
) -> Result<ConfigBuilder<ClientConfig, WantsClientCert>, BuildError> {
    match store {
        RootStore::Webpki => {
            #[cfg(feature = "webpki-roots")]
            {
                use hyper_rustls::ConfigBuilderExt as _;
                Ok(builder.with_webpki_roots())
            }
            #[cfg(not(feature = "webpki-roots"))]
            {
                drop(builder);
                Err(BuildError::root_store_unavailable(store))
            }
        }
        RootStore::Native => {
            #[cfg(feature = "native-roots")]
            {
                use hyper_rustls::ConfigBuilderExt as _;
                builder
                    .with_native_roots()
                    .map_err(|err| BuildError::root_store(store, err))
            }
            #[cfg(not(feature = "native-roots"))]
            {
                drop(builder);
                Err(BuildError::root_store_unavailable(store))
            }
        }
    }
}
