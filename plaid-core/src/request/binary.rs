//! Answers that are not JSON (PDF reports), kept as bytes.

use bytes::Bytes;

use super::FromResponseBody;
use crate::error::DecodeFailure;

/// An answer that is not JSON, such as a PDF report: the bytes as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary(pub Bytes);

impl FromResponseBody for Binary {
    fn from_response_body(body: &Bytes) -> Result<Self, DecodeFailure> {
        Ok(Binary(body.clone()))
    }
}
