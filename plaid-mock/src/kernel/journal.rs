//! What the fake saw and sent: the requests it received (with the status it
//! answered) and the webhooks it produced (with how their delivery went).

use bytes::Bytes;
use http::{HeaderMap, HeaderName, Method};
use serde::Serialize;
use serde_json::Value;

/// How many requests and webhooks the fake remembers; past that the oldest
/// half is forgotten, so a long-running server does not grow without bound.
pub const RECORD_LIMIT: usize = 10_000;

static PLAID_SECRET: HeaderName = HeaderName::from_static("plaid-secret");

/// A request the fake received, for assertions. The secret is never kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedRequest {
    /// `POST` or `GET`.
    pub method: String,
    /// The path, e.g. `/item/get`.
    pub path: String,
    /// Every header except `PLAID-SECRET` and `Authorization`, lower-case
    /// names.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`null` when empty or not JSON); a `secret` field is
    /// replaced by `"[redacted]"`.
    pub body: Value,
    /// The HTTP status the fake answered with; `None` while the answer is
    /// still being made (e.g. during an injected delay) or when the
    /// connection was dropped on purpose.
    pub status: Option<u16>,
    /// What made the answer (`None` while it is being made, or when the
    /// connection was dropped on purpose). An app's test that expected
    /// state can check here that the fake did not fall back to the spec's
    /// example.
    pub answered_by: Option<AnswerSource>,
}

/// What made the fake's answer to a request.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use plaid_mock::{AnswerSource, MockPlaid};
///
/// let mock = MockPlaid::new();
/// let client = mock.client();
/// client.categories().get().await.unwrap();
/// assert_eq!(mock.requests()[0].answered_by, Some(AnswerSource::Example));
/// # }
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerSource {
    /// The checks every request passes first refused it: credentials,
    /// `Plaid-Version`, the body against the spec.
    Checks,
    /// A fault injected by the test (`fail_next`, `fail_randomly`).
    Fault,
    /// A product model that keeps state: items and their accounts and
    /// transactions, link tokens, transfers, payments, … (errors such as an
    /// unknown id included).
    ProductModel,
    /// The generic resource engine: an object of one of
    /// [`resource_families`](crate::resource_families).
    ResourceEngine,
    /// The spec's example answer, carrying back the values the request sent
    /// for fields the answer also has.
    Example,
}

/// A webhook the fake sent (in-process: collected; over HTTP: also POSTed).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    /// Its number among the webhooks of this fake, from 1.
    pub id: u64,
    /// The item it is about.
    pub item_id: String,
    /// The item's webhook URL, if it has one.
    pub url: Option<String>,
    /// The exact body.
    pub body: Bytes,
    /// The `Plaid-Verification` header: an ES256 JWT over the body.
    pub verification: String,
}

/// What became of a webhook's POST to its item's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeliveryResult {
    /// Not POSTed: the item has no URL, or no server is running (in-process).
    NotSent,
    /// The POST is under way.
    Pending,
    /// The receiver answered with this status.
    Delivered {
        /// The receiver's HTTP status.
        status: u16,
    },
    /// The POST failed, or the URL was refused (it is not loopback `http://`).
    Failed {
        /// What went wrong.
        error: String,
    },
}

/// A request as kept until asked for, when it becomes a
/// [`RecordedRequest`]: the body as received (unless it names a secret) and
/// the headers in one string, so that recording costs little.
pub(crate) struct Recording {
    seq: u64,
    method: Method,
    path: String,
    /// Every header but the secret ones, as lines `name`, `value`, `name`,
    /// … in one string. Copied: over HTTP a request's header values share
    /// the connection's whole read buffer, which keeping them would keep.
    header_lines: String,
    body: RecordedBody,
    status: Option<u16>,
    answered_by: Option<AnswerSource>,
}

enum RecordedBody {
    /// The bytes as received (they name no `secret` field).
    Raw(Bytes),
    /// The body parsed, with its `secret` field redacted.
    Redacted(Value),
}

impl Recording {
    pub fn new(method: &Method, path: &str, headers: &HeaderMap, body: &Bytes) -> Self {
        let length = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 2)
            .sum();
        let mut header_lines = String::with_capacity(length);
        for (name, value) in headers {
            if name != PLAID_SECRET && name != http::header::AUTHORIZATION {
                header_lines.push_str(name.as_str());
                header_lines.push('\n');
                // Header values never hold a line break.
                header_lines.push_str(&String::from_utf8_lossy(value.as_bytes()));
                header_lines.push('\n');
            }
        }
        let body = if mentions_secret(body) {
            RecordedBody::Redacted(redacted_json(body))
        } else {
            RecordedBody::Raw(body.clone())
        };
        Self {
            seq: 0,
            method: method.clone(),
            path: path.to_owned(),
            header_lines,
            body,
            status: None,
            answered_by: None,
        }
    }

    fn to_public(&self) -> RecordedRequest {
        RecordedRequest {
            method: self.method.to_string(),
            path: self.path.clone(),
            headers: {
                let mut lines = self.header_lines.split_terminator('\n');
                std::iter::from_fn(|| Some((lines.next()?.to_owned(), lines.next()?.to_owned())))
                    .collect()
            },
            body: match &self.body {
                // Redacted again in case the name was written with escapes.
                RecordedBody::Raw(bytes) => redacted_json(bytes),
                RecordedBody::Redacted(value) => value.clone(),
            },
            status: self.status,
            answered_by: self.answered_by,
        }
    }
}

/// Whether `body` has the bytes `"secret"` anywhere.
fn mentions_secret(body: &[u8]) -> bool {
    // Look at the bytes after each quote only: most bodies have few.
    body.iter()
        .enumerate()
        .any(|(at, &byte)| byte == b'"' && body[at..].starts_with(b"\"secret\""))
}

/// `body` as JSON (`null` when it is not JSON) with a top-level `secret`
/// replaced by `"[redacted]"`.
fn redacted_json(body: &[u8]) -> Value {
    let mut json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if let Some(secret) = json.get_mut("secret") {
        *secret = Value::String("[redacted]".into());
    }
    json
}

/// The requests received, oldest first, numbered in arrival order.
#[derive(Default)]
pub(crate) struct Journal {
    next_seq: u64,
    recordings: Vec<Recording>,
}

impl Journal {
    /// Keeps `recording`; returns its number for [`Journal::answered`].
    pub fn push(&mut self, mut recording: Recording) -> u64 {
        if self.recordings.len() >= RECORD_LIMIT {
            self.recordings.drain(..RECORD_LIMIT / 2);
        }
        self.next_seq += 1;
        recording.seq = self.next_seq;
        self.recordings.push(recording);
        self.next_seq
    }

    /// Notes the status request `seq` was answered with and what made the
    /// answer (if the request is still kept).
    pub fn answered(&mut self, seq: u64, status: u16, source: AnswerSource) {
        if let Ok(at) = self.recordings.binary_search_by_key(&seq, |r| r.seq) {
            self.recordings[at].status = Some(status);
            self.recordings[at].answered_by = Some(source);
        }
    }

    /// The requests kept, those of `path` only when given.
    pub fn requests(&self, path: Option<&str>) -> Vec<RecordedRequest> {
        self.recordings
            .iter()
            .filter(|r| path.is_none_or(|p| r.path == p))
            .map(Recording::to_public)
            .collect()
    }

    /// Forgets every request.
    pub fn clear(&mut self) {
        self.recordings.clear();
    }
}

/// The webhooks sent, oldest first, with their delivery results.
#[derive(Default)]
pub(crate) struct WebhookLog {
    next_id: u64,
    sent: Vec<(WebhookDelivery, DeliveryResult)>,
}

impl WebhookLog {
    /// The id the next webhook gets.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn push(&mut self, delivery: WebhookDelivery) {
        if self.sent.len() >= RECORD_LIMIT {
            self.sent.drain(..RECORD_LIMIT / 2);
        }
        self.sent.push((delivery, DeliveryResult::NotSent));
    }

    /// Notes what became of webhook `id` (if still kept).
    pub fn delivered(&mut self, id: u64, result: DeliveryResult) {
        if let Ok(at) = self.sent.binary_search_by_key(&id, |(d, _)| d.id) {
            self.sent[at].1 = result;
        }
    }

    pub fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.sent.iter().map(|(d, _)| d.clone()).collect()
    }

    pub fn with_results(&self) -> &[(WebhookDelivery, DeliveryResult)] {
        &self.sent
    }
}
