//! Serving a [`Recorder`](crate::cassette::Recorder) or a
//! [`Replayer`](crate::cassette::Replayer) over HTTP/1.1: what the
//! `record` and `replay` subcommands run.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use plaid_core::HttpTransport;
use serde_json::json;
use tokio::net::TcpListener;

use crate::kernel::errors::{self, ErrorAnswer};
use crate::mock::{respond_bytes, MAX_REQUEST_BYTES};

/// How long a client may take to send a request's headers, or its body.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The pause after a failed `accept`.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

/// Serves `transport` on `listener`, one task per connection, until this
/// future is dropped. `GET /_mock/health` answers `{"status": "ok",
/// "mode": mode}` (for a container's health check); every other request
/// goes to `transport`. A transport failure (the upstream cannot be
/// reached) is answered with a Plaid-shaped `502`; a body over 1 MiB with
/// a `413`.
///
/// # Errors
///
/// None today; the result type leaves room for fatal listener errors.
///
/// # Panics
///
/// When polled outside a tokio runtime.
pub async fn serve(
    transport: impl HttpTransport + 'static,
    listener: TcpListener,
    mode: &'static str,
) -> std::io::Result<()> {
    let transport: Arc<dyn HttpTransport> = Arc::new(transport);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "plaid-mock: accepting a connection failed");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        let transport = Arc::clone(&transport);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let transport = Arc::clone(&transport);
                async move {
                    Ok::<_, std::convert::Infallible>(
                        answer(transport.as_ref(), request, mode)
                            .await
                            .map(Full::new),
                    )
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "plaid-mock: connection ended with an error");
            }
        });
    }
}

async fn answer(
    transport: &dyn HttpTransport,
    request: http::Request<Incoming>,
    mode: &str,
) -> http::Response<Bytes> {
    let (parts, body) = request.into_parts();
    if parts.method == http::Method::GET && parts.uri.path() == "/_mock/health" {
        let body = json!({"status": "ok", "mode": mode}).to_string();
        return respond_bytes(200, Bytes::from(body));
    }
    let read = tokio::time::timeout(
        READ_TIMEOUT,
        Limited::new(body, MAX_REQUEST_BYTES).collect(),
    )
    .await;
    let body = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) => {
            let too_large = error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            let (status, answer) = if too_large {
                (413, errors::invalid_body("the body is larger than 1 MiB"))
            } else {
                (
                    400,
                    errors::invalid_body(format!("the body could not be read: {error}")),
                )
            };
            return closing(respond_bytes(status, answer.body("mock-unread-body")));
        }
        Err(_) => {
            let answer = errors::invalid_body("the body was not received in time");
            return closing(respond_bytes(408, answer.body("mock-unread-body")));
        }
    };
    match transport.send(http::Request::from_parts(parts, body)).await {
        Ok(response) => response,
        Err(error) => {
            let answer = ErrorAnswer::new(
                502,
                "API_ERROR",
                "INTERNAL_SERVER_ERROR",
                format!("plaid-mock could not get an answer from the upstream: {error}"),
            );
            respond_bytes(answer.status, answer.body("mock-upstream-failed"))
        }
    }
}

/// `response`, closing the connection (the rest of a body may be in flight).
fn closing(mut response: http::Response<Bytes>) -> http::Response<Bytes> {
    response.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
    response
}
