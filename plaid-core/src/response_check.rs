//! The response check: an HTTP answer becomes the 2xx response or a
//! typed [`Error`] (Plaid's error body, or an answer Plaid would not send),
//! with the request id wherever the answer carries it.

use bytes::Bytes;
use http::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;

use crate::error::{Error, ResponseError, ServiceError};
use crate::plaid_error::PlaidError;
use crate::retry::parse_retry_after;

/// A 2xx answer passes; anything else becomes an [`Error`].
pub(crate) fn check(
    path: &str,
    response: http::Response<Bytes>,
) -> Result<http::Response<Bytes>, Error> {
    if response.status().is_success() {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let retry_after = parts.headers.get(RETRY_AFTER).and_then(parse_retry_after);
    match serde_json::from_slice::<PlaidError>(&body) {
        Ok(mut error) => {
            // Plaid always puts the request id in the body; a proxy's copy of
            // an error may carry it only in a header.
            if error.request_id.is_none() {
                error.request_id = header_request_id(&parts.headers);
            }
            Err(ServiceError {
                path: path.to_owned(),
                status: parts.status,
                error,
                retry_after,
                body,
            }
            .into())
        }
        Err(_) => {
            let request_id = request_id_of(&parts.headers, &body);
            Err(
                ResponseError::not_plaid_error(path, parts.status, request_id, retry_after, body)
                    .into(),
            )
        }
    }
}

/// The request id from a JSON object body's `request_id`, or from an
/// `X-Request-Id` / `Plaid-Request-Id` header.
pub(crate) fn request_id_of(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct WithRequestId {
        request_id: Option<String>,
    }
    // Only an object: serde also reads a struct from an array (`["x"]`),
    // which would take the array's first element for the request id.
    body.trim_ascii_start()
        .starts_with(b"{")
        .then(|| serde_json::from_slice::<WithRequestId>(body).ok())
        .flatten()
        .and_then(|b| b.request_id)
        .or_else(|| header_request_id(headers))
}

/// The request id from a `Plaid-Request-Id` or `X-Request-Id` header.
fn header_request_id(headers: &HeaderMap) -> Option<String> {
    ["plaid-request-id", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}
