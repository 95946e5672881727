//! The transport seam: how a [`Client`](crate::Client) puts bytes on the wire.
//!
//! The client never looks behind [`HttpTransport`]. It builds a complete
//! [`http::Request`] (URL, headers, JSON body), hands it to the transport and
//! reads back an [`http::Response`]. Retries, timeouts, authentication and error
//! mapping all happen in the client, around the transport, so a transport only
//! has to move one request and one response.
//!
//! `plaid-hyper` provides the production transport; `plaid-mock` provides an
//! in-memory fake. Writing your own takes a few lines:
//!
//! ```
//! use bytes::Bytes;
//! use plaid_core::transport::{HttpTransport, TransportError};
//!
//! /// Answers every request with an empty JSON object.
//! #[derive(Debug)]
//! struct Canned;
//!
//! #[async_trait::async_trait]
//! impl HttpTransport for Canned {
//!     async fn send(
//!         &self,
//!         _request: http::Request<Bytes>,
//!     ) -> Result<http::Response<Bytes>, TransportError> {
//!         Ok(http::Response::new(Bytes::from_static(b"{}")))
//!     }
//! }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

/// Moves one HTTP request to Plaid (or a stand-in) and returns its response.
///
/// Implementations must be cheap to share: the client holds one behind an
/// [`Arc`] and calls it from many tasks at once. The trait is object safe, so a
/// `Box<dyn HttpTransport>` or `Arc<dyn HttpTransport>` can be injected
/// anywhere a transport is expected.
///
/// A transport should not retry, time out on its own schedule beyond its
/// connection settings, or interpret status codes: a `500` is a successful
/// *transport* exchange and must be returned as `Ok`. Only failures to
/// exchange bytes are [`TransportError`]s.
#[async_trait::async_trait]
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the complete response, body included.
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError>;
}

#[async_trait::async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Arc<T> {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait::async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Box<T> {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait::async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for &T {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        (**self).send(request).await
    }
}

/// What kind of failure a [`TransportError`] is.
///
/// The kind decides what the client does next: [`Connect`](Self::Connect)
/// failures are retried automatically, because Plaid never saw the request;
/// [`Interrupted`](Self::Interrupted) ones only for operations that are
/// [safe to resend](crate::retry::is_safe_to_resend); the others never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake). The request
    /// was not sent.
    Connect,
    /// No complete response arrived within the allowed time. The request may
    /// or may not have reached Plaid.
    TimedOut,
    /// The connection broke after the request was sent, before the whole
    /// response was read.
    Interrupted,
    /// The response body was larger than the transport's cap; reading stopped
    /// there.
    BodyTooLarge,
    /// The transport refused to send the request, for example plain `http://`
    /// to a host that is not loopback. Nothing left the process.
    Refused,
    /// Any other input/output failure.
    Io,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::TimedOut => "timed out",
            Self::Interrupted => "connection broke before the response was complete",
            Self::BodyTooLarge => "response body too large",
            Self::Refused => "request refused by the transport",
            Self::Io => "i/o error",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A failure to exchange bytes with the server.
///
/// Carries a [`TransportErrorKind`], a message for people, and optionally the
/// underlying error as its [`source`](StdError::source).
///
/// ```
/// use plaid_core::transport::{TransportError, TransportErrorKind};
///
/// let err = TransportError::new(TransportErrorKind::TimedOut, "no answer after 30s");
/// assert!(err.is_timeout());
/// assert_eq!(err.to_string(), "timed out: no answer after 30s");
/// ```
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// The operation the client was sending, once the client has seen the
    /// failure.
    path: Option<String>,
}

impl TransportError {
    /// A transport error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
            path: None,
        }
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The human-readable detail, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The operation being sent when this happened, e.g. `/accounts/get`.
    /// Set by the [`Client`](crate::Client); `None` straight from a
    /// transport.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Records the operation this failure belongs to.
    pub(crate) fn for_operation(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    /// Whether the request may have reached the server although no answer
    /// arrived: the connection broke or timed out after sending, or the
    /// answer could not be read whole. `false` when nothing was sent
    /// (could not connect, refused by the transport).
    pub fn may_have_been_sent(&self) -> bool {
        !matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Refused
        )
    }

    /// True when no response arrived in time.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::TimedOut
    }

    /// True when no connection could be made (the request was never sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TransportError");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(path) = &self.path {
            d.field("path", path);
        }
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.kind)?;
        } else {
            write!(f, "{}: {}", self.kind, self.message)?;
        }
        if let Some(path) = &self.path {
            write!(f, " ({path})")?;
            if self.may_have_been_sent() && !crate::retry::is_safe_to_resend(path) {
                f.write_str(
                    "; the request may have reached Plaid and taken effect: check the outcome before sending it again",
                )?;
            }
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Echo;

    #[async_trait::async_trait]
    impl HttpTransport for Echo {
        async fn send(
            &self,
            request: http::Request<Bytes>,
        ) -> Result<http::Response<Bytes>, TransportError> {
            Ok(http::Response::new(request.into_body()))
        }
    }

    async fn roundtrip(t: &dyn HttpTransport) -> Bytes {
        let req = http::Request::new(Bytes::from_static(b"ping"));
        t.send(req).await.unwrap().into_body()
    }

    #[tokio::test]
    async fn shared_and_boxed_transports_delegate() {
        let arc: Arc<dyn HttpTransport> = Arc::new(Echo);
        let boxed: Box<dyn HttpTransport> = Box::new(Echo);
        let arc_of_concrete = Arc::new(Echo);
        assert_eq!(roundtrip(&arc).await, "ping");
        assert_eq!(roundtrip(&boxed).await, "ping");
        assert_eq!(roundtrip(&arc_of_concrete).await, "ping");
        assert_eq!(roundtrip(&&Echo).await, "ping");
    }

    #[test]
    fn display_includes_kind_and_message_and_source_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let err = TransportError::new(TransportErrorKind::Connect, "127.0.0.1:9").with_source(io);
        assert_eq!(err.to_string(), "could not connect: 127.0.0.1:9");
        assert!(err.is_connect());
        assert!(!err.is_timeout());
        assert_eq!(err.source().unwrap().to_string(), "refused");
    }
}
