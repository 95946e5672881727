//! The orchestrator: one call from first attempt to final answer.
//!
//! [`Orchestrator::invoke`] runs the attempt loop: each
//! [`try_attempt`](Orchestrator::try_attempt) builds the HTTP request, races
//! the transport against the per-attempt timeout and hands the answer to
//! the [response check](crate::response_check); a failure goes to
//! the [retry rule](crate::retry) and, when it says so, the loop sleeps the
//! back-off and tries again.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use http::{Method, Uri};
use tracing::Instrument;

use crate::call_options::CallOptions;
use crate::credentials::Credentials;
use crate::error::{Error, LocalError};
use crate::platform_time::Instant;
use crate::response_check::{check, request_id_of};
use crate::retry::{RetryContext, RetryPolicy};
use crate::sleep::AsyncSleep;
use crate::transport::{HttpTransport, TransportError, TransportErrorKind};

static PLAID_CLIENT_ID: HeaderName = HeaderName::from_static("plaid-client-id");
static PLAID_SECRET: HeaderName = HeaderName::from_static("plaid-secret");
static PLAID_VERSION: HeaderName = HeaderName::from_static("plaid-version");

/// What one call sends, the same on every attempt.
pub(crate) struct Operation<'a> {
    pub method: Method,
    pub path: &'a str,
    pub uri: Uri,
    /// The credentials to send, if the operation needs them.
    pub credentials: Option<&'a Credentials>,
    pub body: Bytes,
}

/// What a call runs on, lent by the client: the transport, the timer, the
/// headers every request carries, and the client's timeout and retry policy
/// (which a call's own options replace).
pub(crate) struct Runtime<'a> {
    pub transport: &'a dyn HttpTransport,
    pub sleep: Option<&'a dyn AsyncSleep>,
    pub user_agent: &'a HeaderValue,
    pub api_version: &'a HeaderValue,
    pub timeout: Option<Duration>,
    pub retry: &'a RetryPolicy,
}

/// One call's settings: the client's, with the call's own overrides.
pub(crate) struct Orchestrator<'a> {
    runtime: Runtime<'a>,
    retry: &'a RetryPolicy,
    timeout: Option<Duration>,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
}

impl<'a> Orchestrator<'a> {
    /// Settles the call's settings; fails on a header that HTTP does not
    /// allow.
    pub fn new(runtime: Runtime<'a>, options: &'a CallOptions) -> Result<Self, LocalError> {
        let mut extra_headers = Vec::with_capacity(options.headers.len());
        for (name, value) in &options.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| LocalError::Config(format!("{name:?} is not a header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                LocalError::Config(format!(
                    "the value of header {name} is not a valid header value"
                ))
            })?;
            extra_headers.push((name, value));
        }
        Ok(Self {
            retry: options.retry_policy.as_ref().unwrap_or(runtime.retry),
            timeout: options.timeout.unwrap_or(runtime.timeout),
            runtime,
            extra_headers,
        })
    }

    /// Runs attempts until one succeeds, the retry rule says stop, or the
    /// budget is spent; returns the 2xx answer or the last error.
    pub async fn invoke(&self, operation: Operation<'_>) -> Result<http::Response<Bytes>, Error> {
        let path = operation.path;
        let span = tracing::info_span!(
            "plaid_request",
            path = %path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            let mut retries = 0;
            loop {
                let started = Instant::now();
                let outcome = self.try_attempt(&operation).await;
                let latency_ms = started.elapsed().as_millis() as u64;
                record_attempt(retries + 1, latency_ms, &outcome);
                let error = match outcome {
                    Ok(response) => return Ok(response),
                    Err(error) if self.retry.should_retry(&RetryContext::new(&error, path)) => {
                        error
                    }
                    Err(error) => return Err(error),
                };
                retries += 1;
                let (Some(delay), Some(sleep)) = (
                    self.retry.delay_before_retry(retries, error.retry_after()),
                    self.runtime.sleep,
                ) else {
                    return Err(error);
                };
                tracing::warn!(retry = retries, delay_ms = delay.as_millis() as u64, error = %error, "retrying Plaid request");
                sleep.sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: the exchange raced against the timeout, then classified.
    async fn try_attempt(&self, operation: &Operation<'_>) -> Result<http::Response<Bytes>, Error> {
        let request = self.build_request(operation);
        let exchange = self.runtime.transport.send(request);
        let answer = match (self.timeout, self.runtime.sleep) {
            (Some(limit), Some(sleep)) => {
                race(exchange, sleep.sleep(limit)).await.unwrap_or_else(|| {
                    Err(TransportError::new(
                        TransportErrorKind::TimedOut,
                        format!("no answer within {limit:?}"),
                    ))
                })
            }
            _ => exchange.await,
        };
        match answer {
            Ok(response) => check(operation.path, response),
            Err(transport) => Err(Error::Transport(transport.for_operation(operation.path))),
        }
    }

    fn build_request(&self, operation: &Operation<'_>) -> http::Request<Bytes> {
        let mut request = http::Request::new(operation.body.clone());
        *request.method_mut() = operation.method.clone();
        *request.uri_mut() = operation.uri.clone();
        let headers = request.headers_mut();
        for (name, value) in &self.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.runtime.user_agent.clone());
        headers.insert(PLAID_VERSION.clone(), self.runtime.api_version.clone());
        if let Some(credentials) = operation.credentials {
            headers.insert(PLAID_CLIENT_ID.clone(), credentials.client_id.clone());
            headers.insert(PLAID_SECRET.clone(), credentials.secret.clone());
        }
        request
    }
}

/// Polls `work` until it finishes or `deadline` passes (`None`).
async fn race<T>(
    mut work: Pin<Box<dyn Future<Output = T> + Send + '_>>,
    mut deadline: Pin<Box<dyn Future<Output = ()> + Send>>,
) -> Option<T> {
    std::future::poll_fn(|cx| {
        if let Poll::Ready(value) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

fn record_attempt(attempt: u32, latency_ms: u64, outcome: &Result<http::Response<Bytes>, Error>) {
    let span = tracing::Span::current();
    span.record("attempt", attempt);
    span.record("latency_ms", latency_ms);
    match outcome {
        Ok(response) => {
            span.record("status", response.status().as_u16());
            if tracing::enabled!(tracing::Level::DEBUG) {
                if let Some(id) = request_id_of(response.headers(), response.body()) {
                    span.record("request_id", id.as_str());
                }
            }
            tracing::debug!(
                attempt,
                latency_ms,
                status = response.status().as_u16(),
                "Plaid answered"
            );
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            if let Some(id) = error.request_id() {
                span.record("request_id", id);
            }
            tracing::debug!(attempt, latency_ms, error = %error, "Plaid call failed");
        }
    }
}
