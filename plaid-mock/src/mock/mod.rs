//! [`MockPlaid`]: the fake itself and how it answers one HTTP request. Its
//! test controls (faults, journal, clock, items) are in `control`.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, Method, StatusCode};
use plaid_core::clock::{Clock, SystemClock};
use plaid_core::transport::TransportErrorKind;
use plaid_core::{Client, ClientBuilder, HttpTransport, RetryPolicy, TransportError};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::kernel::clock::FakeClock;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::journal::{AnswerSource, Journal, Recording, WebhookDelivery, WebhookLog};
use crate::kernel::spec::OperationSpec;
use crate::kernel::webhook_signing::{SigningKeyRecord, SigningKeys, WebhookSigner};
use crate::mock::faults::{FaultOutcome, Faults};
use crate::router::{self, Reply};
use crate::sandbox::State;

pub(crate) mod control;
pub(crate) mod faults;
pub(crate) mod link_person;
pub mod persist;

/// API versions the fake accepts in `Plaid-Version`.
const API_VERSIONS: &[&str] = &["2020-09-14", "2019-05-29", "2018-05-22", "2017-03-08"];

static PLAID_CLIENT_ID: HeaderName = HeaderName::from_static("plaid-client-id");
static PLAID_SECRET: HeaderName = HeaderName::from_static("plaid-secret");
static PLAID_VERSION: HeaderName = HeaderName::from_static("plaid-version");

/// The largest request body the fake reads.
pub(crate) const MAX_REQUEST_BYTES: usize = 1024 * 1024;

pub(crate) type WebhookSink = Arc<dyn Fn(&WebhookDelivery) + Send + Sync>;

pub(crate) struct Shared {
    pub client_id: String,
    pub secret: String,
    /// The seed of the current state (`reset` may change it).
    pub seed: AtomicU64,
    pub transactions_per_item: usize,
    /// The clock as built, for `reset`.
    pub start_clock: FakeClock,
    /// Every signing key so far; the last one signs. Retired ones keep
    /// answering `/webhook_verification_key/get`, with `expired_at` set.
    pub keys: SigningKeys,
    pub state: Mutex<State>,
    pub controls: Mutex<Controls>,
    pub request_count: AtomicU64,
}

/// The test controls' own memory: faults in force, the journal, the
/// webhooks sent and who else gets them.
pub(crate) struct Controls {
    pub faults: Faults,
    pub journal: Journal,
    pub webhooks: WebhookLog,
    pub sinks: Vec<WebhookSink>,
}

impl Controls {
    pub fn new(seed: u64) -> Self {
        Self {
            faults: Faults::new(seed),
            journal: Journal::default(),
            webhooks: WebhookLog::default(),
            sinks: Vec::new(),
        }
    }
}

/// A fake Plaid. Cheap to clone: clones share one state.
///
/// Deterministic: with the same seed and the same calls, every id, token,
/// account and transaction is the same.
#[derive(Clone)]
pub struct MockPlaid {
    pub(crate) shared: Arc<Shared>,
}

impl fmt::Debug for MockPlaid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockPlaid")
            .field("client_id", &self.shared.client_id)
            .field("seed", &self.shared.seed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Default for MockPlaid {
    fn default() -> Self {
        Self::new()
    }
}

/// Configures a [`MockPlaid`].
#[derive(Debug, Clone)]
#[must_use]
pub struct MockPlaidBuilder {
    seed: u64,
    client_id: String,
    secret: String,
    transactions_per_item: usize,
    clock: FakeClock,
}

impl Default for MockPlaidBuilder {
    fn default() -> Self {
        Self {
            seed: 42,
            client_id: "mock-client-id".into(),
            secret: "mock-secret".into(),
            transactions_per_item: 50,
            clock: FakeClock::frozen(OffsetDateTime::now_utc()),
        }
    }
}

impl MockPlaidBuilder {
    /// The seed that fixes every generated id, account and transaction (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The credentials the fake accepts (default `mock-client-id` / `mock-secret`).
    pub fn credentials(mut self, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self.secret = secret.into();
        self
    }

    /// How many transactions each new item has (default 50; thousands are fine).
    pub fn transactions_per_item(mut self, count: usize) -> Self {
        self.transactions_per_item = count;
        self
    }

    /// Freezes the fake's clock at `now`: it moves only through
    /// [`MockPlaid::advance_clock`] and [`MockPlaid::set_clock`]. The
    /// in-process default is frozen at the moment of building.
    pub fn now(mut self, now: OffsetDateTime) -> Self {
        self.clock = FakeClock::frozen(now);
        self
    }

    /// Makes the fake's clock follow the wall clock (what the `plaid-mock`
    /// binary does by default): webhooks carry a fresh `iat` and tokens
    /// expire in real time. [`MockPlaid::advance_clock`] still moves it.
    pub fn wall_clock(self) -> Self {
        self.clock_source(SystemClock)
    }

    /// Makes the fake's clock follow `source` (seconds since the epoch),
    /// e.g. a [`ManualClock`](plaid_core::clock::ManualClock) standing in
    /// for the wall clock so a test can let "real" time pass at once.
    ///
    /// ```
    /// use plaid_core::clock::ManualClock;
    /// use plaid_mock::MockPlaid;
    ///
    /// let wall = ManualClock::new(1_700_000_000);
    /// let mock = MockPlaid::builder().clock_source(wall.clone()).build();
    /// wall.advance(600);
    /// assert_eq!(mock.now().unix_timestamp(), 1_700_000_600);
    /// ```
    pub fn clock_source(mut self, source: impl Clock + 'static) -> Self {
        self.clock = FakeClock::following(Arc::new(source));
        self
    }

    /// Builds the fake.
    pub fn build(self) -> MockPlaid {
        let mut state = State::new(
            self.seed,
            self.transactions_per_item,
            OffsetDateTime::UNIX_EPOCH,
        );
        state.clock = self.clock.clone();
        let created_at = state.now().unix_timestamp();
        router::prepare(&mut state);
        let keys: SigningKeys = Arc::new(Mutex::new(vec![SigningKeyRecord::new(
            self.seed, created_at, None,
        )]));
        state.webhook_keys = keys.clone();
        MockPlaid {
            shared: Arc::new(Shared {
                keys,
                state: Mutex::new(state),
                controls: Mutex::new(Controls::new(self.seed)),
                request_count: AtomicU64::new(0),
                client_id: self.client_id,
                secret: self.secret,
                seed: AtomicU64::new(self.seed),
                transactions_per_item: self.transactions_per_item,
                start_clock: self.clock,
            }),
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockPlaid {
    /// A fake with the default settings (seed 42, 50 transactions per item).
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Configures a fake.
    pub fn builder() -> MockPlaidBuilder {
        MockPlaidBuilder::default()
    }

    /// The client id the fake accepts.
    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    /// The secret the fake accepts.
    pub fn secret(&self) -> &str {
        &self.shared.secret
    }

    /// A client builder already pointed at this fake, with its credentials
    /// and [`MockPlaid::test_retry_policy`] (retries without waiting).
    ///
    /// For the client's real back-off, set it back:
    ///
    /// ```
    /// use plaid_core::RetryPolicy;
    /// # let mock = plaid_mock::MockPlaid::new();
    /// let client = mock.client_builder().retry_policy(RetryPolicy::default()).build()?;
    /// # Ok::<(), plaid_core::Error>(())
    /// ```
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .credentials(self.client_id(), self.secret())
            .retry_policy(Self::test_retry_policy())
            .transport(self.clone())
    }

    /// The retry policy of [`MockPlaid::client`]: the client's default
    /// (how many retries, which errors) with no delay between attempts, so a
    /// test that injects a retryable error with [`MockPlaid::fail_next`]
    /// never sleeps.
    pub fn test_retry_policy() -> RetryPolicy {
        RetryPolicy::default()
            .initial_backoff(Duration::ZERO)
            .max_backoff(Duration::ZERO)
            .jitter(false)
    }

    /// A client talking to this fake in-process. It retries like the real
    /// client but without waiting (see [`MockPlaid::test_retry_policy`]);
    /// `mock.client_builder().retry_policy(RetryPolicy::default()).build()`
    /// gives the client's real back-off.
    ///
    /// # Panics
    ///
    /// If the credentials given to [`MockPlaidBuilder::credentials`] are not
    /// valid HTTP header values.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the fake's credentials must be valid HTTP header values (see MockPlaidBuilder::credentials)")
    }

    pub(crate) fn current_signer(&self) -> WebhookSigner {
        let keys = lock(&self.shared.keys);
        keys.last()
            .map(|k| k.signer.clone())
            .unwrap_or_else(|| WebhookSigner::from_seed(self.shared.seed.load(Ordering::Relaxed)))
    }

    /// Answers one request, as Plaid would. A dropped-connection fault
    /// (which over HTTP closes the connection and in-process fails the
    /// transport) answers here with an empty `502`.
    pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        self.respond(request).await.unwrap_or_else(|| {
            let mut response = http::Response::new(Bytes::new());
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        })
    }

    /// Answers one request; `None` when a fault says to drop the connection.
    pub(crate) async fn respond(
        &self,
        request: http::Request<Bytes>,
    ) -> Option<http::Response<Bytes>> {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path();
        let request_id = self.next_request_id();
        let recording = Recording::new(&parts.method, path, &parts.headers, &body);
        let (seq, hit) = {
            let mut controls = lock(&self.shared.controls);
            let seq = controls.journal.push(recording);
            (seq, controls.faults.take(path))
        };
        let mut source = AnswerSource::Checks;
        let outcome = match hit {
            None => self.answer(&parts.method, path, &parts.headers, &body, &mut source),
            Some(hit) => {
                if let Some(latency) = hit.latency {
                    tokio::time::sleep(latency).await;
                }
                match hit.outcome {
                    FaultOutcome::Answer => {
                        self.answer(&parts.method, path, &parts.headers, &body, &mut source)
                    }
                    FaultOutcome::Fail(error) => {
                        source = AnswerSource::Fault;
                        Err(error)
                    }
                    FaultOutcome::Drop => return None,
                }
            }
        };
        self.flush_webhooks();
        let response = match outcome {
            Ok(Reply::Json(answer)) => respond(200, answer, &request_id),
            Ok(Reply::EncodedObject(answer)) => respond_encoded(answer, &request_id),
            Ok(Reply::File(media, bytes)) => {
                let mut response = http::Response::new(bytes);
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static(media),
                );
                response
            }
            Ok(Reply::Empty) => http::Response::new(Bytes::new()),
            Err(error) => {
                let body = error.body(&request_id);
                respond_bytes(error.status, body)
            }
        };
        lock(&self.shared.controls)
            .journal
            .answered(seq, response.status().as_u16(), source);
        Some(response)
    }

    fn next_request_id(&self) -> String {
        let number = self.shared.request_count.fetch_add(1, Ordering::Relaxed) + 1;
        format!("mock-{number:08}")
    }

    fn answer(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: &Bytes,
        source: &mut AnswerSource,
    ) -> Result<Reply, ErrorAnswer> {
        let spec =
            OperationSpec::find(method.as_str(), path).ok_or_else(|| errors::not_found(path))?;
        let fields = if method == Method::GET {
            Map::new()
        } else {
            if let Some(kind) = headers.get(http::header::CONTENT_TYPE) {
                if !kind
                    .to_str()
                    .unwrap_or_default()
                    .starts_with("application/json")
                {
                    return Err(errors::invalid_body(
                        "the Content-Type must be application/json",
                    ));
                }
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(fields)) => fields,
                Ok(_) => return Err(errors::invalid_body("the body must be a JSON object")),
                Err(e) => {
                    return Err(errors::invalid_body(format!(
                        "the body is not valid JSON: {e}"
                    )))
                }
            }
        };
        if let Some(version) = headers.get(&PLAID_VERSION) {
            let version = version.to_str().unwrap_or_default();
            if !API_VERSIONS.contains(&version) {
                return Err(ErrorAnswer::new(
                    400,
                    "INVALID_REQUEST",
                    "INVALID_HEADERS",
                    format!("Plaid-Version {version:?} is not a known API version"),
                ));
            }
        }
        if spec.requires_credentials {
            self.check_credentials(headers, &fields)?;
        }
        let entry = router::entry(spec);
        spec.validate(&fields, entry.map_or(&[], |e| e.route.field_errors))?;
        let (reply, answered_by) =
            router::answer(&mut lock(&self.shared.state), spec, entry, &fields);
        *source = answered_by;
        reply
    }

    fn check_credentials(
        &self,
        headers: &HeaderMap,
        fields: &Map<String, Value>,
    ) -> Result<(), ErrorAnswer> {
        let header = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let body = |name: &str| fields.get(name).and_then(Value::as_str);
        let client_id = header(&PLAID_CLIENT_ID).or_else(|| body("client_id"));
        let secret = header(&PLAID_SECRET).or_else(|| body("secret"));
        if client_id == Some(self.client_id()) && secret == Some(self.secret()) {
            Ok(())
        } else {
            Err(errors::invalid_api_keys())
        }
    }

    /// Signs and delivers the webhooks the last state change produced.
    pub(crate) fn flush_webhooks(&self) {
        let (pending, now) = {
            let mut state = lock(&self.shared.state);
            (std::mem::take(&mut state.outbox), state.now())
        };
        if pending.is_empty() {
            return;
        }
        let signer = self.current_signer();
        let (deliveries, sinks) = {
            let mut controls = lock(&self.shared.controls);
            let deliveries: Vec<WebhookDelivery> = pending
                .into_iter()
                .map(|p| {
                    let body = Bytes::from(p.body.to_string());
                    WebhookDelivery {
                        id: controls.webhooks.next_id(),
                        verification: signer.sign(&body, now.unix_timestamp()),
                        item_id: p.item_id,
                        url: p.url,
                        body,
                    }
                })
                .collect();
            for delivery in &deliveries {
                controls.webhooks.push(delivery.clone());
            }
            (deliveries, controls.sinks.clone())
        };
        for delivery in &deliveries {
            for sink in &sinks {
                sink(delivery);
            }
        }
    }
}

fn respond(status: u16, mut answer: Value, request_id: &str) -> http::Response<Bytes> {
    if let Value::Object(fields) = &mut answer {
        fields.insert("request_id".into(), Value::String(request_id.to_owned()));
    }
    // Serializing a `Value` cannot fail (its keys are strings).
    let body = serde_json::to_vec(&answer).unwrap_or_default();
    respond_bytes(status, Bytes::from(body))
}

/// A 200 with `object` (encoded JSON, ending in `}`) plus its request id.
fn respond_encoded(mut object: Vec<u8>, request_id: &str) -> http::Response<Bytes> {
    if object.last() == Some(&b'}') {
        object.pop();
        if object.len() > 1 {
            object.push(b',');
        }
        object.extend_from_slice(b"\"request_id\":");
        // Writing a string into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut object, request_id);
        object.push(b'}');
    }
    respond_bytes(200, Bytes::from(object))
}

pub(crate) fn respond_bytes(status: u16, body: Bytes) -> http::Response<Bytes> {
    let mut response = http::Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

#[async_trait::async_trait]
impl HttpTransport for MockPlaid {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        if request.body().len() > MAX_REQUEST_BYTES {
            let error = errors::invalid_body("the body is larger than 1 MiB");
            return Ok(respond_bytes(413, error.body("mock-too-large")));
        }
        self.respond(request).await.ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Interrupted,
                "plaid-mock dropped the connection (an injected fault)",
            )
        })
    }
}
