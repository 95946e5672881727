//! [`BuildError`] and the mapping from hyper's errors to
//! [`TransportError`]s.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use plaid_core::transport::{TransportError, TransportErrorKind};

use crate::settings::RootStore;
use crate::target::Target;

/// Why a [`HyperTransport`](crate::HyperTransport) could not be built.
///
/// The underlying error, when there is one, is available through
/// [`source`](StdError::source).
pub struct BuildError {
    kind: BuildErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

/// What kind of failure a [`BuildError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// rustls rejected the TLS configuration.
    Tls,
    /// The selected root certificate store could not be loaded (for example
    /// the operating system store is empty or unreadable).
    RootStore,
    /// The selected root certificate store is not compiled in: its cargo
    /// feature (`webpki-roots` or `native-roots`) is off.
    RootStoreUnavailable,
    /// A proxy URL (given to
    /// [`proxy`](crate::HyperTransportBuilder::proxy) or found in
    /// `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY`) is not usable. The
    /// message names where it came from, never its credentials.
    Proxy,
}

impl BuildError {
    pub(crate) fn tls(err: rustls::Error) -> Self {
        Self {
            kind: BuildErrorKind::Tls,
            message: "invalid TLS configuration".to_owned(),
            source: Some(Box::new(err)),
        }
    }

    #[cfg_attr(not(feature = "native-roots"), allow(dead_code))]
    pub(crate) fn root_store(store: RootStore, err: io::Error) -> Self {
        Self {
            kind: BuildErrorKind::RootStore,
            message: format!("could not load the {} root certificates", store.describe()),
            source: Some(Box::new(err)),
        }
    }

    #[cfg_attr(
        all(feature = "native-roots", feature = "webpki-roots"),
        allow(dead_code)
    )]
    pub(crate) fn root_store_unavailable(store: RootStore) -> Self {
        Self {
            kind: BuildErrorKind::RootStoreUnavailable,
            message: format!(
                "the {} root certificates are not compiled in (enable the `{}` feature of plaid-hyper)",
                store.describe(),
                store.feature()
            ),
            source: None,
        }
    }

    pub(crate) fn proxy(message: String) -> Self {
        Self {
            kind: BuildErrorKind::Proxy,
            message,
            source: None,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("BuildError");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not build the HTTPS transport: {}", self.message)
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Iterates over `err` and its chain of sources.
fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |e: &&'a (dyn StdError + 'static)| (*e).source())
}

/// The deepest error in the chain: usually the most specific description
/// ("Connection refused", "invalid peer certificate: UnknownIssuer").
pub(crate) fn root_cause(err: &(dyn StdError + 'static)) -> String {
    chain(err).last().unwrap_or(err).to_string()
}

/// True when anything in the chain is a timeout.
pub(crate) fn is_timeout(err: &(dyn StdError + 'static)) -> bool {
    chain(err).any(|e| {
        e.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_timeout)
            || e.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
    })
}

/// True when the chain shows a connection that broke (closed early, reset).
fn is_broken_connection(err: &(dyn StdError + 'static)) -> bool {
    chain(err).any(|e| {
        e.downcast_ref::<hyper::Error>().is_some_and(|h| {
            h.is_incomplete_message()
                || h.is_closed()
                || h.is_canceled()
                || h.is_body_write_aborted()
        }) || e.downcast_ref::<io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
                    | io::ErrorKind::UnexpectedEof
            )
        })
    })
}

/// Maps a failure to connect (DNS, TCP, TLS handshake, **including the
/// connect timeout**): [`Connect`](TransportErrorKind::Connect), because no
/// byte of the request was sent and the caller may safely retry. A connect
/// timeout says so in the message, and the `io::ErrorKind::TimedOut` stays
/// in the source chain.
pub(crate) fn connect_error(
    err: Box<dyn StdError + Send + Sync>,
    target: &Target,
    connect_timeout: Duration,
) -> TransportError {
    let message = if is_timeout(&*err) {
        format!("{target}: connect timeout, no connection within {connect_timeout:?}")
    } else {
        format!("{target}: {}", root_cause(&*err))
    };
    TransportError::new(TransportErrorKind::Connect, message).with_source(err)
}

/// Maps a failed HTTP handshake on a fresh connection: nothing was sent, so
/// it is a [`Connect`](TransportErrorKind::Connect) failure too.
pub(crate) fn handshake_error(err: hyper::Error, target: &Target) -> TransportError {
    let message = format!("{target}: HTTP handshake failed ({})", root_cause(&err));
    TransportError::new(TransportErrorKind::Connect, message).with_source(err)
}

/// Maps a failure after the request was handed to a connection, before the
/// response head arrived.
///
/// * A timeout is [`TimedOut`](TransportErrorKind::TimedOut).
/// * A connection that closed or reset is
///   [`Interrupted`](TransportErrorKind::Interrupted): the request may have
///   reached the server.
/// * Anything else (for example an unparsable response) is
///   [`Io`](TransportErrorKind::Io).
pub(crate) fn send_error(err: hyper::Error, target: &Target) -> TransportError {
    let dyn_err: &(dyn StdError + 'static) = &err;
    let (kind, message) = if is_timeout(dyn_err) {
        (
            TransportErrorKind::TimedOut,
            format!("{target}: {}", root_cause(dyn_err)),
        )
    } else if is_broken_connection(dyn_err) {
        (
            TransportErrorKind::Interrupted,
            format!(
                "{target}: connection closed before the response head arrived ({})",
                root_cause(dyn_err)
            ),
        )
    } else {
        (
            TransportErrorKind::Io,
            format!("{target}: {}", root_cause(dyn_err)),
        )
    };
    TransportError::new(kind, message).with_source(err)
}

/// Maps an error while reading the response body: a timeout is
/// [`TimedOut`](TransportErrorKind::TimedOut); anything else (body shorter
/// than its `Content-Length`, reset, malformed chunk) means the connection
/// broke mid-response: [`Interrupted`](TransportErrorKind::Interrupted).
pub(crate) fn body_error(err: hyper::Error, target: &Target, read_so_far: usize) -> TransportError {
    let dyn_err: &(dyn StdError + 'static) = &err;
    let kind = if is_timeout(dyn_err) {
        TransportErrorKind::TimedOut
    } else {
        TransportErrorKind::Interrupted
    };
    let message = format!(
        "{target}: reading the response body failed after {read_so_far} bytes ({})",
        root_cause(dyn_err)
    );
    TransportError::new(kind, message).with_source(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapper(io::Error);

    impl fmt::Display for Wrapper {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("wrapper")
        }
    }

    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn timeouts_and_resets_are_found_deep_in_the_chain() {
        let timeout = Wrapper(io::Error::new(io::ErrorKind::TimedOut, "slow"));
        assert!(is_timeout(&timeout));
        assert!(!is_broken_connection(&timeout));
        assert_eq!(root_cause(&timeout), "slow");

        let reset = Wrapper(io::Error::new(io::ErrorKind::ConnectionReset, "reset"));
        assert!(is_broken_connection(&reset));
        assert!(!is_timeout(&reset));

        let other = Wrapper(io::Error::other("odd"));
        assert!(!is_broken_connection(&other));
        assert!(!is_timeout(&other));
    }

    #[test]
    fn build_error_display_and_source() {
        let err = BuildError::root_store(
            RootStore::Native,
            io::Error::new(io::ErrorKind::NotFound, "no certs"),
        );
        assert_eq!(err.kind(), BuildErrorKind::RootStore);
        assert!(err.to_string().contains("operating system"), "{err}");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("no certs")
        );

        let err = BuildError::root_store_unavailable(RootStore::Webpki);
        assert_eq!(err.kind(), BuildErrorKind::RootStoreUnavailable);
        assert!(err.to_string().contains("`webpki-roots`"), "{err}");
        assert!(err.source().is_none());
    }
}
