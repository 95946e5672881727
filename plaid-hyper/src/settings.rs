//! What a transport is configured with: the defaults, the certificate
//! authorities it trusts ([`RootStore`]), and the settings a built
//! transport keeps.

use std::time::Duration;

/// Default for [`HyperTransportBuilder::connect_timeout`](crate::HyperTransportBuilder::connect_timeout): 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default for [`HyperTransportBuilder::pool_idle_timeout`](crate::HyperTransportBuilder::pool_idle_timeout): 90 seconds.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Default for [`HyperTransportBuilder::pool_max_idle_per_host`](crate::HyperTransportBuilder::pool_max_idle_per_host): 32.
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 32;

/// Default for [`HyperTransportBuilder::max_connections_per_host`](crate::HyperTransportBuilder::max_connections_per_host): 32.
pub const DEFAULT_MAX_CONNECTIONS_PER_HOST: usize = 32;

/// Default for [`HyperTransportBuilder::max_response_body_bytes`](crate::HyperTransportBuilder::max_response_body_bytes): 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Which certificate authorities the transport trusts.
///
/// The default is [`Native`](Self::Native) when the `native-roots` feature is
/// enabled and [`Webpki`](Self::Webpki) otherwise. Selecting a store whose
/// feature is off makes [`HyperTransportBuilder::build`](crate::HyperTransportBuilder::build) fail with
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

impl Default for Settings {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            max_connections_per_host: DEFAULT_MAX_CONNECTIONS_PER_HOST,
            max_response_body_bytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
            allow_insecure_http: false,
            root_store: RootStore::default(),
        }
    }
}
