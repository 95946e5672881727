//! [`Recorder`]: a transport that forwards each request to an upstream and
//! writes the exchange, without credentials, to a cassette.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use plaid_core::transport::TransportErrorKind;
use plaid_core::{HttpTransport, TransportError};
use serde_json::Value;

use crate::cassette::format::{CassetteError, CassetteHeader, CassetteWriter, Exchange};
use crate::cassette::redact::{Redactor, KEPT_ANSWER_HEADERS, KEPT_REQUEST_HEADERS};
use crate::kernel::time::rfc3339;
use crate::mock::lock;

/// Request headers never forwarded: hop-by-hop ones, the host (the
/// upstream's own is set), proxy credentials meant for this proxy, and
/// `accept-encoding` (so that the answer comes, and is recorded, as plain
/// JSON rather than compressed bytes).
const NOT_FORWARDED: &[&str] = &[
    "host",
    "accept-encoding",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
];

/// Headers whose values are credentials: hidden wherever else they appear.
const SECRET_HEADERS: &[&str] = &["plaid-secret", "authorization", "proxy-authorization"];

/// A recording proxy as an [`HttpTransport`]: each request goes to
/// `upstream` (at the base URL it was created with), its answer comes back
/// unchanged, and the exchange is appended to the cassette, with
/// credentials left out and the redacted fields replaced by stand-ins
/// (see the [module documentation](crate::cassette)).
///
/// The `plaid-mock record` subcommand serves one over HTTP; in Rust, give
/// it to a client as its transport (the [`Replayer`](crate::cassette::Replayer)
/// example records a session this way).
#[derive(Clone)]
pub struct Recorder {
    shared: Arc<Shared>,
}

struct Shared {
    upstream: Box<dyn HttpTransport>,
    base_url: String,
    /// The writer and the redactor, locked together so that the lines keep
    /// the order of the stand-ins.
    book: Mutex<Book>,
}

struct Book {
    writer: CassetteWriter,
    redactor: Redactor,
    next_seq: u64,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// A recorder forwarding to `base_url` through `upstream`, writing a
    /// new cassette at `cassette` (an existing file is replaced) and
    /// replacing the values of the `redact` fields.
    ///
    /// # Errors
    ///
    /// When the cassette cannot be created.
    pub fn create(
        upstream: impl HttpTransport + 'static,
        base_url: impl Into<String>,
        cassette: impl AsRef<Path>,
        redact: &[String],
    ) -> Result<Self, CassetteError> {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        let header = CassetteHeader::new(base_url.clone(), redact.to_vec());
        let writer = CassetteWriter::create(cassette.as_ref(), &header)?;
        Ok(Self {
            shared: Arc::new(Shared {
                upstream: Box::new(upstream),
                base_url,
                book: Mutex::new(Book {
                    writer,
                    redactor: Redactor::new(redact),
                    next_seq: 1,
                }),
            }),
        })
    }

    /// The base URL requests are forwarded to.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Writes one exchange; a failure to write is logged, not fatal (the
    /// client still gets its answer).
    fn write(
        &self,
        method: &str,
        path: &str,
        request_headers: &http::HeaderMap,
        request: &Bytes,
        answer: &http::Response<Bytes>,
    ) {
        let mut book = lock(&self.shared.book);
        for name in SECRET_HEADERS {
            if let Some(value) = request_headers.get(*name).and_then(|v| v.to_str().ok()) {
                let value = value.strip_prefix("Bearer ").unwrap_or(value);
                book.redactor.note_secret(value);
            }
        }
        let request_json = if request.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(request)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(request).into_owned()))
        };
        let mut exchange = Exchange {
            seq: book.next_seq,
            at: rfc3339(time::OffsetDateTime::now_utc()),
            method: method.to_owned(),
            path: path.to_owned(),
            request: book.redactor.request(request_json),
            status: answer.status().as_u16(),
            answer: Value::Null,
            answer_base64: None,
            request_headers: kept(request_headers, KEPT_REQUEST_HEADERS),
            answer_headers: kept(answer.headers(), KEPT_ANSWER_HEADERS),
        };
        exchange.set_answer(answer.body());
        exchange.answer = book.redactor.answer(exchange.answer);
        book.next_seq += 1;
        if let Err(error) = book.writer.append(&exchange) {
            tracing::error!(%error, "plaid-mock record: the exchange was not written");
        }
    }
}

/// The headers of `names` present in `headers`, lower-case.
fn kept(headers: &http::HeaderMap, names: &[&str]) -> BTreeMap<String, String> {
    names
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some(((*name).to_owned(), value.to_owned()))
        })
        .collect()
}

#[async_trait::async_trait]
impl HttpTransport for Recorder {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let target = format!("{}{path}", self.shared.base_url);
        let uri: http::Uri = target.parse().map_err(|_| {
            TransportError::new(
                TransportErrorKind::Refused,
                format!("{target:?} is not a URL: check --upstream"),
            )
        })?;
        let mut forwarded = http::Request::new(body.clone());
        *forwarded.method_mut() = parts.method.clone();
        *forwarded.uri_mut() = uri;
        for (name, value) in &parts.headers {
            if !NOT_FORWARDED.contains(&name.as_str()) {
                forwarded.headers_mut().append(name, value.clone());
            }
        }
        let answer = self.shared.upstream.send(forwarded).await?;
        let (mut answer_parts, answer_body) = answer.into_parts();
        for name in NOT_FORWARDED {
            answer_parts.headers.remove(*name);
        }
        let answer = http::Response::from_parts(answer_parts, answer_body);
        self.write(
            parts.method.as_str(),
            path.as_str(),
            &parts.headers,
            &body,
            &answer,
        );
        Ok(answer)
    }
}
