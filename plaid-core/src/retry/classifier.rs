//! The retry rule as ordered classifiers: each looks at one failed attempt
//! and says retry, do not retry, or has no opinion; the first opinion wins.
//!
//! In order:
//! 1. **Plaid's retryable errors**: an error body whose code Plaid documents
//!    as safe to retry (`INTERNAL_SERVER_ERROR`, `PLANNED_MAINTENANCE`, the
//!    rate limits) is retried; any other Plaid error body is not.
//! 2. **HTTP status without a Plaid body** (a proxy or gateway answered):
//!    429 and 503 turned the request away, so it is retried; 500, 502 and
//!    504 may come after Plaid acted, so only operations that are
//!    [safe to resend](super::is_safe_to_resend) are retried.
//! 3. **Transport failures**: nothing was sent (could not connect) is
//!    retried; a connection that broke (`Interrupted`) is retried only for
//!    operations safe to resend; a timeout is never retried (the caller
//!    chose how long to wait).
//!
//! Anything left (an answer that does not decode, a local input error) is
//! not retried.

use crate::error::{Error, ResponseErrorKind};
use crate::transport::TransportErrorKind;

/// What a classifier says about one failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Repeat the call (within the policy's budget and back-off).
    Retry,
    /// Return the error now.
    DoNotRetry,
    /// Let the next classifier decide.
    NoOpinion,
}

/// One failed attempt, as classifiers see it.
#[derive(Debug, Clone, Copy)]
pub struct RetryContext<'a> {
    error: &'a Error,
    path: &'a str,
    safe_to_resend: bool,
}

impl<'a> RetryContext<'a> {
    /// The failed attempt of the operation at `path`.
    pub fn new(error: &'a Error, path: &'a str) -> Self {
        Self {
            error,
            path,
            safe_to_resend: super::is_safe_to_resend(path),
        }
    }

    /// What went wrong.
    pub fn error(&self) -> &'a Error {
        self.error
    }

    /// The operation's path, e.g. `/accounts/get`.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Whether sending the operation again cannot act twice
    /// ([`is_safe_to_resend`](super::is_safe_to_resend)).
    pub fn safe_to_resend(&self) -> bool {
        self.safe_to_resend
    }
}

// The query on `Error` lives with the rule it answers from, so `error`
// does not depend on `retry`.
impl Error {
    /// Whether repeating the same request may succeed and is safe, by the
    /// client's built-in retry rule (see [`retry`](crate::retry)):
    ///
    /// - the errors Plaid documents as retryable (`INTERNAL_SERVER_ERROR`,
    ///   `PLANNED_MAINTENANCE`, rate limits);
    /// - HTTP 429 and 503 without a Plaid body (the request was turned away);
    /// - HTTP 500, 502 and 504 without a Plaid body (a proxy or gateway
    ///   failed, possibly after Plaid acted on the request), and a
    ///   connection that broke after the request went out, only for
    ///   operations that are [safe to resend](crate::retry::is_safe_to_resend),
    ///   because repeating e.g. `/item/public_token/exchange` could act twice;
    /// - failures to connect (nothing was sent).
    ///
    /// A timeout is never retried. With the default policy, the client
    /// retries exactly these.
    pub fn is_retryable(&self) -> bool {
        let path = self.path().unwrap_or_default();
        builtin(&RetryContext::new(self, path))
    }
}

/// The built-in classifiers, in the order they are asked.
const BUILT_IN: &[fn(&RetryContext<'_>) -> RetryDecision] =
    &[plaid_retryable_errors, http_status, transport_failure];

/// The built-in rule: the first opinion of [`BUILT_IN`], else no retry.
pub(crate) fn builtin(context: &RetryContext<'_>) -> bool {
    BUILT_IN
        .iter()
        .map(|classify| classify(context))
        .find(|decision| *decision != RetryDecision::NoOpinion)
        == Some(RetryDecision::Retry)
}

fn decide(retry: bool) -> RetryDecision {
    if retry {
        RetryDecision::Retry
    } else {
        RetryDecision::DoNotRetry
    }
}

/// Plaid's own error body says whether to retry.
fn plaid_retryable_errors(context: &RetryContext<'_>) -> RetryDecision {
    match context.error {
        Error::Service(api) => decide(api.error.is_retryable()),
        _ => RetryDecision::NoOpinion,
    }
}

/// An HTTP status without a Plaid body.
fn http_status(context: &RetryContext<'_>) -> RetryDecision {
    match context.error {
        Error::Response(response) if response.kind == ResponseErrorKind::NotPlaidError => {
            decide(match response.status.as_u16() {
                429 | 503 => true,
                500 | 502 | 504 => context.safe_to_resend,
                _ => false,
            })
        }
        _ => RetryDecision::NoOpinion,
    }
}

/// A failure to exchange bytes.
fn transport_failure(context: &RetryContext<'_>) -> RetryDecision {
    match context.error {
        Error::Transport(transport) => decide(match transport.kind() {
            TransportErrorKind::Connect => true,
            TransportErrorKind::Interrupted => context.safe_to_resend,
            _ => false,
        }),
        _ => RetryDecision::NoOpinion,
    }
}
