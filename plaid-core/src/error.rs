//! Everything that can go wrong with a call, as one [`Error`] type.
//!
//! | variant | meaning | typical reaction |
//! |---|---|---|
//! | [`Error::Service`] | Plaid answered with its error body | match on [`Error::code`] / [`Error::error_type`] |
//! | [`Error::Transport`] | bytes could not be exchanged (connect, timeout, broken connection, body too large) | [`Error::is_timeout`], retry later |
//! | [`Error::Response`] | an answer that is not what Plaid sends: an HTML page from a proxy, or JSON that does not fit the expected type | log it; [`ResponseError::body`] has the raw bytes |
//! | [`Error::Local`] | rejected locally before sending: missing credentials, bad configuration | fix the code or configuration |
//!
//! The legacy Python pattern `except ItemError as e: if e.code == ...` is one
//! line:
//!
//! ```
//! # fn handle(result: Result<(), plaid_core::Error>) {
//! use plaid_core::error_code;
//!
//! match result {
//!     Err(e) if e.is_item_error() && e.code() == Some(error_code::ITEM_LOGIN_REQUIRED) => {
//!         // start Link in update mode
//!     }
//!     Err(e) if e.is_timeout() => { /* try again later */ }
//!     Err(e) => eprintln!("plaid call failed: {e}"),
//!     Ok(()) => {}
//! }
//! # }
//! ```

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use crate::plaid_error::{ErrorType, PlaidError};
use crate::transport::TransportError;

/// How many bytes of an unexpected body an error message quotes.
const BODY_EXCERPT_CHARS: usize = 200;

/// The error of every call made through a [`Client`](crate::Client).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Plaid (the service) answered with its error body, whatever its
    /// `error_type`. Formerly `Error::Api`.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The request or response could not be exchanged.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The answer is not what Plaid sends for this request.
    #[error(transparent)]
    Response(Box<ResponseError>),
    /// Rejected locally, before anything was sent: missing credentials or
    /// field, bad configuration. Formerly `Error::InvalidInput`; not Plaid's
    /// `INVALID_INPUT` ([`ErrorType::InvalidInput`]).
    #[error(transparent)]
    Local(#[from] LocalError),
}

impl Error {
    /// The Plaid error body, when Plaid sent one.
    pub fn plaid_error(&self) -> Option<&PlaidError> {
        match self {
            Self::Service(api) => Some(&api.error),
            _ => None,
        }
    }

    /// Plaid's `error_code`, e.g. `Some("ITEM_LOGIN_REQUIRED")`.
    pub fn code(&self) -> Option<&str> {
        self.plaid_error().map(|e| e.error_code.as_str())
    }

    /// Plaid's `error_type`, e.g. `Some(&ErrorType::ItemError)`.
    pub fn error_type(&self) -> Option<&ErrorType> {
        self.plaid_error().map(|e| &e.error_type)
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Service(api) => Some(api.status),
            Self::Response(resp) => Some(resp.status),
            _ => None,
        }
    }

    /// Plaid's request id, when the answer carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(api) => api.request_id(),
            Self::Response(resp) => resp.request_id.as_deref(),
            _ => None,
        }
    }

    /// The delay the server asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Service(api) => api.retry_after,
            Self::Response(resp) => resp.retry_after,
            _ => None,
        }
    }

    /// `ITEM_ERROR`: something about the item (login required, not ready…).
    pub fn is_item_error(&self) -> bool {
        self.error_type() == Some(&ErrorType::ItemError)
    }

    /// Plaid's `API_ERROR` error type ([`ErrorType::ApiError`]): Plaid
    /// failed (internal error, planned maintenance). Any other error body is
    /// an [`Error::Service`] too; this asks only about its type.
    pub fn is_api_error(&self) -> bool {
        self.error_type() == Some(&ErrorType::ApiError)
    }

    /// `INVALID_REQUEST`: the request is malformed (missing or unknown fields).
    pub fn is_invalid_request(&self) -> bool {
        self.error_type() == Some(&ErrorType::InvalidRequest)
    }

    /// Plaid's `INVALID_INPUT` error type: a value is wrong (API keys,
    /// tokens, ids). Not to be confused with [`Error::Local`], a
    /// local rejection ([`is_rejected_locally`](Self::is_rejected_locally)).
    pub fn is_invalid_input_error(&self) -> bool {
        self.error_type() == Some(&ErrorType::InvalidInput)
    }

    /// `INSTITUTION_ERROR`: the bank is down or not responding.
    pub fn is_institution_error(&self) -> bool {
        self.error_type() == Some(&ErrorType::InstitutionError)
    }

    /// A rate limit: `RATE_LIMIT_EXCEEDED`, or HTTP 429 without a Plaid body.
    pub fn is_rate_limited(&self) -> bool {
        self.error_type() == Some(&ErrorType::RateLimitExceeded)
            || matches!(self, Self::Response(r) if r.status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// No answer in time (the client's per-request timeout, or the
    /// transport's own).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Transport(t) if t.is_timeout())
    }

    /// No connection could be made; the request was never sent.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Transport(t) if t.is_connect())
    }

    /// The operation the error belongs to, e.g. `/accounts/get`, when
    /// known.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Service(api) => Some(&api.path),
            Self::Response(resp) => Some(&resp.path),
            Self::Transport(t) => t.path(),
            Self::Local(_) => None,
        }
    }

    /// Whether the request may have reached Plaid and taken effect although
    /// the call failed: the connection broke or timed out after the request
    /// went out, a gateway answered 500/502/504 instead of Plaid, or Plaid's
    /// 2xx answer could not be decoded. For an operation that changes
    /// something, check its outcome before sending it again. After
    /// `/item/public_token/exchange`, say, the public token may be used up
    /// and an item created: sending the exchange again only gets
    /// `INVALID_PUBLIC_TOKEN`, so have the user link again instead (the
    /// docs of `client.item().public_token().exchange(..)` say more); after
    /// `/transfer/create`, list transfers with your `idempotency_key`.
    ///
    /// `false` when Plaid answered with an error body (it did not act), when
    /// nothing was sent, and for local input errors.
    pub fn may_have_reached_plaid(&self) -> bool {
        match self {
            Self::Service(_) | Self::Local(_) => false,
            Self::Transport(t) => t.may_have_been_sent(),
            Self::Response(resp) => match resp.kind {
                ResponseErrorKind::NotPlaidError => {
                    matches!(resp.status.as_u16(), 500 | 502 | 504)
                }
                _ => true,
            },
        }
    }

    /// Rejected locally ([`Error::Local`]): nothing was sent.
    pub fn is_rejected_locally(&self) -> bool {
        matches!(self, Self::Local(_))
    }
}

impl From<ServiceError> for Error {
    fn from(value: ServiceError) -> Self {
        Self::Service(Box::new(value))
    }
}

impl From<ResponseError> for Error {
    fn from(value: ResponseError) -> Self {
        Self::Response(Box::new(value))
    }
}

/// Plaid answered with an error body ([`PlaidError`]): what
/// [`Error::Service`] holds. Formerly `ApiError`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServiceError {
    /// The Plaid operation, e.g. `/auth/get`.
    pub path: String,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The decoded error body.
    pub error: PlaidError,
    /// The delay asked for in a `Retry-After` header.
    pub retry_after: Option<Duration>,
    /// The body exactly as received.
    pub body: Bytes,
}

impl ServiceError {
    /// Plaid's request id from the error body.
    pub fn request_id(&self) -> Option<&str> {
        self.error.request_id.as_deref()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plaid error {} from {} (HTTP {}",
            self.error,
            self.path,
            self.status.as_u16()
        )?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for ServiceError {}

/// What was wrong with a [`ResponseError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// A non-2xx answer whose body is not a Plaid error (an HTML page from a
    /// proxy, an empty body, other JSON).
    NotPlaidError,
    /// A 2xx answer whose body did not decode into the expected type.
    Decode,
}

/// An answer that is not what Plaid sends for this request.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseError {
    /// Which problem this is.
    pub kind: ResponseErrorKind,
    /// The Plaid operation, e.g. `/accounts/get`.
    pub path: String,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// Plaid's request id, if the body or headers carried one.
    pub request_id: Option<String>,
    /// For [`ResponseErrorKind::Decode`]: where in the JSON decoding failed,
    /// e.g. `accounts[0].balances.available`.
    pub json_path: Option<String>,
    /// The delay asked for in a `Retry-After` header.
    pub retry_after: Option<Duration>,
    /// The body exactly as received.
    pub body: Bytes,
    source: Option<serde_json::Error>,
}

impl ResponseError {
    pub(crate) fn not_plaid_error(
        path: &str,
        status: StatusCode,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        body: Bytes,
    ) -> Self {
        Self {
            kind: ResponseErrorKind::NotPlaidError,
            path: path.to_owned(),
            status,
            request_id,
            json_path: None,
            retry_after,
            body,
            source: None,
        }
    }

    pub(crate) fn decode(
        path: &str,
        status: StatusCode,
        request_id: Option<String>,
        body: Bytes,
        failure: DecodeFailure,
    ) -> Self {
        Self {
            kind: ResponseErrorKind::Decode,
            path: path.to_owned(),
            status,
            request_id,
            json_path: Some(failure.path),
            retry_after: None,
            body,
            source: Some(failure.source),
        }
    }

    /// The first characters of the body, for messages and logs.
    pub fn body_excerpt(&self) -> String {
        excerpt(&self.body)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.as_u16();
        match self.kind {
            ResponseErrorKind::NotPlaidError => {
                write!(
                    f,
                    "HTTP {status} from {} without a Plaid error body",
                    self.path
                )?;
                if self.body.is_empty() {
                    f.write_str(" (empty body)")?;
                } else {
                    write!(f, "; body starts: {:?}", self.body_excerpt())?;
                }
            }
            ResponseErrorKind::Decode => {
                write!(
                    f,
                    "could not decode the HTTP {status} answer from {}",
                    self.path
                )?;
                if let Some(path) = &self.json_path {
                    write!(f, " at `{path}`")?;
                }
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// A response body that did not decode: where, and why.
#[derive(Debug)]
pub struct DecodeFailure {
    /// JSON path of the failing value, e.g. `accounts[2].subtype`; `.` for the root.
    pub path: String,
    /// The decoder's error.
    pub source: serde_json::Error,
}

impl From<serde_path_to_error::Error<serde_json::Error>> for DecodeFailure {
    fn from(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = err.path().to_string();
        Self {
            path,
            source: err.into_inner(),
        }
    }
}

/// A request rejected before anything was sent: what [`Error::Local`]
/// holds. Formerly `InputError`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// The operation needs a client id and secret and the client has none.
    #[error("{path} needs a client id and secret; set them with ClientBuilder::credentials")]
    MissingCredentials {
        /// The operation that was called.
        path: String,
    },
    /// A required field of the request was never set: its setter was not
    /// called. Nothing was sent.
    #[error("{path} needs `{field}`: call `.{setter}(..)` on the request before sending it")]
    MissingField {
        /// The operation that was called, e.g. `/transfer/create`.
        path: &'static str,
        /// The field's name on the wire, e.g. `account_id`.
        field: &'static str,
        /// The builder method that sets it.
        setter: &'static str,
    },
    /// The client configuration is unusable (bad base URL, bad header value…).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be encoded as JSON.
    #[error("could not encode the request to {path} as JSON: {source}")]
    Encode {
        /// The operation that was called.
        path: String,
        /// The encoder's error.
        #[source]
        source: serde_json::Error,
    },
}

/// The old name of [`ServiceError`], kept for one release.
#[deprecated(
    since = "0.2.0",
    note = "renamed to `ServiceError` (held by `Error::Service`)"
)]
pub type ApiError = ServiceError;

/// The old name of [`LocalError`], kept for one release.
#[deprecated(
    since = "0.2.0",
    note = "renamed to `LocalError` (held by `Error::Local`)"
)]
pub type InputError = LocalError;

/// Up to [`BODY_EXCERPT_CHARS`] characters of `body`, lossily decoded.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT_CHARS * 4)]);
    let mut out: String = text.chars().take(BODY_EXCERPT_CHARS).collect();
    if out.len() < text.len() || body.len() > BODY_EXCERPT_CHARS * 4 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, error_type: &str) -> Error {
        ServiceError {
            path: "/auth/get".into(),
            status: StatusCode::BAD_REQUEST,
            error: PlaidError::new(error_type, code, "msg").with_request_id("req-9"),
            retry_after: None,
            body: Bytes::new(),
        }
        .into()
    }

    #[test]
    fn queries_read_the_plaid_body() {
        let e = api("ITEM_LOGIN_REQUIRED", "ITEM_ERROR");
        assert!(e.is_item_error());
        assert!(!e.is_api_error());
        assert_eq!(e.code(), Some("ITEM_LOGIN_REQUIRED"));
        assert_eq!(e.request_id(), Some("req-9"));
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
        assert!(!e.is_retryable());
        assert!(!e.is_timeout());
        assert_eq!(
            e.to_string(),
            "Plaid error ITEM_ERROR/ITEM_LOGIN_REQUIRED: msg from /auth/get (HTTP 400, request id req-9)"
        );
    }

    #[test]
    fn non_plaid_bodies_are_retryable_only_for_gateway_statuses() {
        let on = |path: &str, status: u16| -> Error {
            ResponseError::not_plaid_error(
                path,
                StatusCode::from_u16(status).unwrap(),
                None,
                None,
                Bytes::from_static(b"<html>bad gateway</html>"),
            )
            .into()
        };
        let mk = |status: u16| on("/accounts/get", status);
        for s in [429, 500, 502, 503, 504] {
            assert!(mk(s).is_retryable(), "{s}");
        }
        for s in [400, 401, 404, 501] {
            assert!(!mk(s).is_retryable(), "{s}");
        }
        // A change that a gateway may have passed on is not repeated; a
        // refusal (429, 503) is.
        for s in [500, 502, 504] {
            assert!(!on("/item/public_token/exchange", s).is_retryable(), "{s}");
        }
        for s in [429, 503] {
            assert!(on("/item/public_token/exchange", s).is_retryable(), "{s}");
        }
        assert!(mk(429).is_rate_limited());
        assert_eq!(
            on("/x", 502).to_string(),
            "HTTP 502 from /x without a Plaid error body; body starts: \"<html>bad gateway</html>\""
        );
    }

    #[test]
    fn excerpt_is_bounded_and_marks_truncation() {
        let long = "é".repeat(1000);
        let ex = excerpt(long.as_bytes());
        assert_eq!(ex.chars().count(), BODY_EXCERPT_CHARS + 1);
        assert!(ex.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        // invalid UTF-8 must not panic
        assert!(!excerpt(&[0xff, 0xfe, 0x00]).is_empty());
    }
}
