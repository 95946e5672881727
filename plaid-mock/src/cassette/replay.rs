//! [`Replayer`]: a transport that answers from a cassette, with no network
//! and no credentials.

use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use plaid_core::{HttpTransport, TransportError};
use serde_json::{Map, Value};

use crate::cassette::format::{Cassette, CassetteError};
use crate::cassette::matching::Matcher;
use crate::cassette::redact::CREDENTIAL_FIELDS;
use crate::kernel::errors::ErrorAnswer;
use crate::mock::{lock, respond_bytes, MockPlaid};

/// The `error_code` of the answer to a request the cassette has no
/// recording for (`error_type` `INVALID_REQUEST`, status 400).
pub const NO_RECORDING: &str = "NO_RECORDING";

/// A replaying [`HttpTransport`]: each request is answered with the
/// recorded answer whose method, path and body match, ignoring credentials
/// and the cassette's redacted fields; identical requests are answered in
/// the order they were recorded (then the last of them again).
///
/// A request with no recording gets a Plaid-shaped `400` error with
/// `error_code` [`NO_RECORDING`], whose message names the closest recorded
/// request and how it differs; with [`Replayer::fallback`], the fake
/// answers it instead.
///
/// Cheap to clone: clones share which recordings have answered.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use plaid_core::{models::Products, Client};
/// use plaid_mock::cassette::{Recorder, Replayer};
/// use plaid_mock::MockPlaid;
///
/// let file = std::env::temp_dir().join(format!("doc-{}.cassette", std::process::id()));
///
/// // Record once (here from an in-process fake; `plaid-mock record` puts the
/// // same recorder in front of Plaid's sandbox).
/// let upstream = MockPlaid::new();
/// let recorder = Recorder::create(upstream.clone(), "https://sandbox.plaid.com", &file, &[])?;
/// let client = Client::builder()
///     .credentials(upstream.client_id(), upstream.secret())
///     .transport(recorder)
///     .build()?;
/// let created = client
///     .sandbox()
///     .public_token()
///     .create("ins_109508", vec![Products::Transactions])
///     .await?;
/// let exchanged = client.item().public_token().exchange(&created.public_token).await?;
///
/// // Replay: no upstream, and the credentials do not matter.
/// let replay = Replayer::open(&file)?;
/// let client = Client::builder()
///     .credentials("any-client-id", "any-secret")
///     .transport(replay)
///     .build()?;
/// let again = client
///     .sandbox()
///     .public_token()
///     .create("ins_109508", vec![Products::Transactions])
///     .await?;
/// assert_eq!(again.public_token, created.public_token);
/// let token = client.item().public_token().exchange(&again.public_token).await?;
/// assert_eq!(token.access_token, exchanged.access_token);
/// # std::fs::remove_file(&file)?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Replayer {
    shared: Arc<Shared>,
}

struct Shared {
    cassette: Cassette,
    matcher: Mutex<Matcher>,
    fallback: Option<MockPlaid>,
}

impl std::fmt::Debug for Replayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replayer")
            .field("exchanges", &self.shared.cassette.exchanges.len())
            .field("fallback", &self.shared.fallback.is_some())
            .finish_non_exhaustive()
    }
}

impl Replayer {
    /// A replayer answering from `cassette`.
    pub fn new(cassette: Cassette) -> Self {
        Self::build(cassette, None)
    }

    /// A replayer answering from the cassette at `path`.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not a cassette.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CassetteError> {
        Ok(Self::new(Cassette::open(path)?))
    }

    /// The same recordings, with `fake` answering what was not recorded
    /// (with its own credentials, whatever the client sent). Which
    /// recordings have answered starts afresh.
    #[must_use]
    pub fn fallback(self, fake: MockPlaid) -> Self {
        Self::build(self.shared.cassette.clone(), Some(fake))
    }

    fn build(cassette: Cassette, fallback: Option<MockPlaid>) -> Self {
        let matcher = Matcher::new(&cassette.exchanges, &cassette.header.redacted);
        Self {
            shared: Arc::new(Shared {
                cassette,
                matcher: Mutex::new(matcher),
                fallback,
            }),
        }
    }

    /// The cassette it answers from.
    pub fn cassette(&self) -> &Cassette {
        &self.shared.cassette
    }

    /// Answers one request: the recording, the fallback fake, or the
    /// "nothing recorded" error.
    pub async fn answer(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let path = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let body = body_json(request.body());
        let found = lock(&self.shared.matcher).find(request.method().as_str(), &path, &body);
        match found {
            Ok(index) => recorded_answer(&self.shared.cassette.exchanges[index]),
            Err(message) => match &self.shared.fallback {
                Some(fake) => fake.handle(with_credentials_of(fake, request)).await,
                None => {
                    let message = format!(
                        "{message}. Record the session again with this request, or replay \
                         with `--fallback fake` (`Replayer::fallback`) to let the fake answer it"
                    );
                    let error = ErrorAnswer::new(400, "INVALID_REQUEST", NO_RECORDING, message);
                    respond_bytes(error.status, error.body("replay-no-recording"))
                }
            },
        }
    }
}

/// A request body as JSON (`null` when empty; a string when not JSON).
fn body_json(body: &Bytes) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// The recorded answer, with its status and kept headers.
fn recorded_answer(exchange: &crate::cassette::format::Exchange) -> http::Response<Bytes> {
    let mut response = http::Response::new(exchange.answer_bytes());
    *response.status_mut() = StatusCode::from_u16(exchange.status).unwrap_or(StatusCode::OK);
    for (name, value) in &exchange.answer_headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// `request` with the fake's credentials in place of the client's.
fn with_credentials_of(fake: &MockPlaid, request: http::Request<Bytes>) -> http::Request<Bytes> {
    let (mut parts, body) = request.into_parts();
    parts.headers.remove("plaid-client-id");
    parts.headers.remove("plaid-secret");
    let body = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(mut fields)) => {
            set_credentials(fake, &mut fields);
            Bytes::from(serde_json::to_vec(&fields).unwrap_or_default())
        }
        _ => body,
    };
    http::Request::from_parts(parts, body)
}

/// Puts the fake's credentials in a request body.
pub(crate) fn set_credentials(fake: &MockPlaid, fields: &mut Map<String, Value>) {
    for (name, value) in CREDENTIAL_FIELDS
        .iter()
        .zip([fake.client_id(), fake.secret()])
    {
        fields.insert((*name).to_owned(), Value::String(value.to_owned()));
    }
}

#[async_trait::async_trait]
impl HttpTransport for Replayer {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        Ok(self.answer(request).await)
    }
}
