//! [`MockPlaid`]: the fake itself, its controls for tests, and how it answers
//! one HTTP request.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, Method, StatusCode};
use plaid_core::{Client, ClientBuilder, HttpTransport, TransportError};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::errors::{self, ErrorAnswer};
use crate::spec::{Canned, OperationSpec};
use crate::state::State;
use crate::webhook_signing::WebhookSigner;

/// API versions the fake accepts in `Plaid-Version`.
const API_VERSIONS: &[&str] = &["2020-09-14", "2019-05-29", "2018-05-22", "2017-03-08"];

static PLAID_CLIENT_ID: HeaderName = HeaderName::from_static("plaid-client-id");
static PLAID_SECRET: HeaderName = HeaderName::from_static("plaid-secret");
static PLAID_VERSION: HeaderName = HeaderName::from_static("plaid-version");

/// How many requests and webhooks the fake remembers; past that the oldest
/// half is forgotten, so a long-running server does not grow without bound.
pub const RECORD_LIMIT: usize = 10_000;

/// The largest request body the fake reads.
pub(crate) const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// A one-page PDF, the answer of the operations that return PDF files.
const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A ZIP archive holding `SAMPLE_PDF` as `document.pdf` (stored, not
/// compressed), the answer of the operations that return ZIP files.
const SAMPLE_ZIP: &[u8] = include_bytes!("sample.zip");

/// What a successful answer carries.
enum Reply {
    Json(Value),
    /// A JSON object, already encoded, without its `request_id`.
    EncodedObject(Vec<u8>),
    /// A file and its media type.
    File(&'static str, Bytes),
    /// Nothing: the operation declares no body.
    Empty,
}

/// A request the fake received, for assertions. The secret is never kept.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// `POST` or `GET`.
    pub method: String,
    /// The path, e.g. `/item/get`.
    pub path: String,
    /// Every header except `PLAID-SECRET`, lower-case names.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`null` when empty or not JSON); a `secret` field is
    /// replaced by `"[redacted]"`.
    pub body: Value,
}

/// A webhook the fake sent (in-process: collected; over HTTP: also POSTed).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    /// The item it is about.
    pub item_id: String,
    /// The item's webhook URL, if it has one.
    pub url: Option<String>,
    /// The exact body.
    pub body: Bytes,
    /// The `Plaid-Verification` header: an ES256 JWT over the body.
    pub verification: String,
}

type WebhookSink = Arc<dyn Fn(&WebhookDelivery) + Send + Sync>;

enum FaultKind {
    Fail(ErrorAnswer),
    Delay(Duration),
}

struct Fault {
    path: String,
    remaining: usize,
    kind: FaultKind,
}

struct SigningKeyRecord {
    signer: WebhookSigner,
    created_at: i64,
    expired_at: Option<i64>,
}

struct Shared {
    client_id: String,
    secret: String,
    seed: u64,
    /// Every signing key so far; the last one signs. Retired ones keep
    /// answering `/webhook_verification_key/get`, with `expired_at` set.
    keys: Mutex<Vec<SigningKeyRecord>>,
    state: Mutex<State>,
    controls: Mutex<Controls>,
    request_count: AtomicU64,
}

/// A request as kept until [`MockPlaid::requests`] asks for it, when it
/// becomes a [`RecordedRequest`]: the body as received (unless it names a
/// secret) and the headers in one string, so that recording costs little.
struct Recording {
    method: Method,
    path: String,
    /// Every header but `PLAID-SECRET`, as lines `name`, `value`, `name`, …
    /// in one string. Copied: over HTTP a request's header values share
    /// the connection's whole read buffer, which keeping them would keep.
    header_lines: String,
    body: RecordedBody,
}

enum RecordedBody {
    /// The bytes as received (they name no `secret` field).
    Raw(Bytes),
    /// The body parsed, with its `secret` field redacted.
    Redacted(Value),
}

impl Recording {
    fn new(method: &Method, path: &str, headers: &HeaderMap, body: &Bytes) -> Self {
        let length = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 2)
            .sum();
        let mut header_lines = String::with_capacity(length);
        for (name, value) in headers {
            if name != PLAID_SECRET {
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
            method: method.clone(),
            path: path.to_owned(),
            header_lines,
            body,
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
        }
    }
}

/// Whether `body` has the bytes `"secret"` anywhere.
fn mentions_secret(body: &[u8]) -> bool {
    body.windows(8).any(|window| window == b"\"secret\"")
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

#[derive(Default)]
struct Controls {
    faults: Vec<Fault>,
    requests: Vec<Recording>,
    webhooks: Vec<WebhookDelivery>,
    sinks: Vec<WebhookSink>,
}

/// A fake Plaid. Cheap to clone: clones share one state.
///
/// Deterministic: with the same seed and the same calls, every id, token,
/// account and transaction is the same.
#[derive(Clone)]
pub struct MockPlaid {
    shared: Arc<Shared>,
}

impl fmt::Debug for MockPlaid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockPlaid")
            .field("client_id", &self.shared.client_id)
            .field("seed", &self.shared.seed)
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
    now: OffsetDateTime,
}

impl Default for MockPlaidBuilder {
    fn default() -> Self {
        Self {
            seed: 42,
            client_id: "mock-client-id".into(),
            secret: "mock-secret".into(),
            transactions_per_item: 50,
            now: OffsetDateTime::now_utc(),
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

    /// The fake's clock at start (default: now). Fix it for fully
    /// reproducible dates.
    pub fn now(mut self, now: OffsetDateTime) -> Self {
        self.now = now;
        self
    }

    /// Builds the fake.
    pub fn build(self) -> MockPlaid {
        MockPlaid {
            shared: Arc::new(Shared {
                keys: Mutex::new(vec![SigningKeyRecord {
                    signer: WebhookSigner::from_seed(self.seed),
                    created_at: self.now.unix_timestamp(),
                    expired_at: None,
                }]),
                state: Mutex::new(State::new(self.seed, self.transactions_per_item, self.now)),
                controls: Mutex::new(Controls::default()),
                request_count: AtomicU64::new(0),
                client_id: self.client_id,
                secret: self.secret,
                seed: self.seed,
            }),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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

    /// A client builder already pointed at this fake, with its credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .credentials(self.client_id(), self.secret())
            .transport(self.clone())
    }

    /// A client talking to this fake in-process.
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

    /// The `kid` of the key that signs this fake's webhooks now.
    pub fn webhook_key_id(&self) -> String {
        self.current_signer().key_id().to_owned()
    }

    /// Retires the current webhook signing key (its `expired_at` becomes
    /// now) and signs from now on with a new one.
    pub fn retire_webhook_key(&self) {
        let now = self.now().unix_timestamp();
        let mut keys = lock(&self.shared.keys);
        let next_seed = self.shared.seed.wrapping_add(keys.len() as u64);
        if let Some(current) = keys.last_mut() {
            current.expired_at = Some(now);
        }
        keys.push(SigningKeyRecord {
            signer: WebhookSigner::from_seed(next_seed),
            created_at: now,
            expired_at: None,
        });
    }

    fn current_signer(&self) -> WebhookSigner {
        let keys = lock(&self.shared.keys);
        keys.last()
            .map(|k| k.signer.clone())
            .unwrap_or_else(|| WebhookSigner::from_seed(self.shared.seed))
    }

    /// Every request received so far (the last [`RECORD_LIMIT`] at most).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.controls)
            .requests
            .iter()
            .map(Recording::to_public)
            .collect()
    }

    /// Every webhook sent so far (the last [`RECORD_LIMIT`] at most).
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        lock(&self.shared.controls).webhooks.clone()
    }

    /// Calls `sink` with every webhook from now on (the HTTP server uses this
    /// to POST them).
    pub fn on_webhook(&self, sink: impl Fn(&WebhookDelivery) + Send + Sync + 'static) {
        lock(&self.shared.controls).sinks.push(Arc::new(sink));
    }

    /// Makes the next `times` calls of `path` fail with `error`.
    pub fn fail_next(&self, path: &str, times: usize, error: ErrorAnswer) {
        lock(&self.shared.controls).faults.push(Fault {
            path: path.to_owned(),
            remaining: times,
            kind: FaultKind::Fail(error),
        });
    }

    /// Makes the next `times` calls of `path` wait `delay` before answering.
    pub fn delay_next(&self, path: &str, times: usize, delay: Duration) {
        lock(&self.shared.controls).faults.push(Fault {
            path: path.to_owned(),
            remaining: times,
            kind: FaultKind::Delay(delay),
        });
    }

    /// The fake's clock.
    pub fn now(&self) -> OffsetDateTime {
        lock(&self.shared.state).now()
    }

    /// Moves the fake's clock forward (token expiry, webhook `iat`).
    pub fn advance_clock(&self, by: time::Duration) {
        lock(&self.shared.state).now += by;
    }

    /// The item id behind a working access token.
    pub fn item_id(&self, access_token: &str) -> Option<String> {
        lock(&self.shared.state).item_id_for(access_token).ok()
    }

    /// Links a sandbox item directly (what `/sandbox/public_token/create`
    /// followed by `/item/public_token/exchange` does), for test set-up.
    /// Returns `(access_token, item_id)`.
    pub fn link_item(
        &self,
        institution_id: &str,
        products: &[&str],
    ) -> Result<(String, String), ErrorAnswer> {
        let mut state = lock(&self.shared.state);
        let mut body = Map::new();
        body.insert("institution_id".into(), Value::from(institution_id));
        body.insert("initial_products".into(), Value::from(products.to_vec()));
        let created = state
            .answer("/sandbox/public_token/create", &body)
            .unwrap_or_else(|| Err(errors::not_found("/sandbox/public_token/create")))?;
        let mut exchange = Map::new();
        exchange.insert("public_token".into(), created["public_token"].clone());
        let exchanged = state
            .answer("/item/public_token/exchange", &exchange)
            .unwrap_or_else(|| Err(errors::not_found("/item/public_token/exchange")))?;
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        Ok((
            text(&exchanged["access_token"]),
            text(&exchanged["item_id"]),
        ))
    }

    /// Adds a transaction dated today; a following `/transactions/sync` sees
    /// it in `added`. Returns its id.
    pub fn add_transaction(
        &self,
        access_token: &str,
        amount: f64,
        name: &str,
    ) -> Result<String, ErrorAnswer> {
        lock(&self.shared.state).add_transaction(access_token, amount, name)
    }

    /// Changes a transaction's amount; a following sync sees it in `modified`.
    pub fn modify_transaction(
        &self,
        access_token: &str,
        transaction_id: &str,
        amount: f64,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).modify_transaction(access_token, transaction_id, amount)
    }

    /// Removes a transaction; a following sync sees it in `removed`.
    pub fn remove_transaction(
        &self,
        access_token: &str,
        transaction_id: &str,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).remove_transaction(access_token, transaction_id)
    }

    /// Transaction calls answer `PRODUCT_NOT_READY` until set back to `true`.
    pub fn set_transactions_ready(
        &self,
        access_token: &str,
        ready: bool,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).set_transactions_ready(access_token, ready)
    }

    /// Repairs an item after `/sandbox/item/reset_login`, as Link update mode
    /// would (exchanging a new public token for the item does the same).
    pub fn repair_item(&self, access_token: &str) -> Result<(), ErrorAnswer> {
        let result = lock(&self.shared.state).repair(access_token);
        self.flush_webhooks();
        result
    }

    /// Answers one request, as Plaid would.
    pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path();
        let request_id = self.next_request_id();
        self.record(Recording::new(&parts.method, path, &parts.headers, &body));
        let outcome = match self.take_fault(path) {
            Err(error) => Err(error),
            Ok(delay) => {
                if let Some(delay) = delay {
                    tokio::time::sleep(delay).await;
                }
                self.answer(&parts.method, path, &parts.headers, &body)
            }
        };
        self.flush_webhooks();
        match outcome {
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
        }
    }

    fn next_request_id(&self) -> String {
        let number = self.shared.request_count.fetch_add(1, Ordering::Relaxed) + 1;
        format!("mock-{number:08}")
    }

    fn record(&self, recording: Recording) {
        let mut controls = lock(&self.shared.controls);
        if controls.requests.len() >= RECORD_LIMIT {
            controls.requests.drain(..RECORD_LIMIT / 2);
        }
        controls.requests.push(recording);
    }

    fn take_fault(&self, path: &str) -> Result<Option<Duration>, ErrorAnswer> {
        let mut controls = lock(&self.shared.controls);
        let Some(fault) = controls
            .faults
            .iter_mut()
            .find(|f| f.path == path && f.remaining > 0)
        else {
            return Ok(None);
        };
        fault.remaining -= 1;
        let result = match &fault.kind {
            FaultKind::Fail(error) => Err(error.clone()),
            FaultKind::Delay(delay) => Ok(Some(*delay)),
        };
        controls.faults.retain(|f| f.remaining > 0);
        result
    }

    fn answer(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: &Bytes,
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
        spec.validate(&fields)?;
        if path == "/webhook_verification_key/get" {
            return self.verification_key(&fields).map(Reply::Json);
        }
        let mut state = lock(&self.shared.state);
        if let Some(encoded) = state.answer_encoded(path, &fields) {
            return encoded.map(Reply::EncodedObject);
        }
        // Hand-written flows first (items, transactions, …), then product
        // lifecycles, then the generic engine over the canned answer.
        let mut stateful = state
            .answer(path, &fields)
            .or_else(|| crate::products::answer(&mut state, path, &fields));
        if stateful.is_none() {
            if let Canned::Json(canned) = spec.answer {
                let canned: Value = serde_json::from_str(canned).map_err(|e| {
                    ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", e.to_string())
                })?;
                stateful = Some(
                    crate::resources::answer(&mut state, spec, &fields, &canned)
                        .unwrap_or(Ok(canned)),
                );
            }
        }
        drop(state);
        match (stateful, spec.answer) {
            (Some(result), _) => result
                .map(|mut answer| {
                    crate::resources::shape(spec, &fields, &mut answer);
                    answer
                })
                .map(Reply::Json),
            (None, Canned::Json(_)) => Err(ErrorAnswer::new(
                500,
                "API_ERROR",
                "INTERNAL_SERVER_ERROR",
                "the fake made no answer for a JSON operation",
            )),
            (None, Canned::File(media)) => {
                let file = if media == "application/zip" {
                    SAMPLE_ZIP
                } else {
                    SAMPLE_PDF
                };
                Ok(Reply::File(media, Bytes::from_static(file)))
            }
            (None, Canned::Empty) => Ok(Reply::Empty),
        }
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

    fn verification_key(&self, fields: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let kid = fields
            .get("key_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let keys = lock(&self.shared.keys);
        let Some(record) = keys.iter().find(|k| k.signer.key_id() == kid) else {
            return Err(ErrorAnswer::new(
                400,
                "INVALID_INPUT",
                "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
                "invalid key_id provided",
            ));
        };
        Ok(serde_json::json!({"key": record.signer.jwk(record.created_at, record.expired_at)}))
    }

    /// Signs and delivers the webhooks the last state change produced.
    fn flush_webhooks(&self) {
        let (pending, now) = {
            let mut state = lock(&self.shared.state);
            (std::mem::take(&mut state.outbox), state.now())
        };
        if pending.is_empty() {
            return;
        }
        let signer = self.current_signer();
        let deliveries: Vec<WebhookDelivery> = pending
            .into_iter()
            .map(|p| {
                let body = Bytes::from(p.body.to_string());
                WebhookDelivery {
                    verification: signer.sign(&body, now.unix_timestamp()),
                    item_id: p.item_id,
                    url: p.url,
                    body,
                }
            })
            .collect();
        let sinks = {
            let mut controls = lock(&self.shared.controls);
            if controls.webhooks.len() >= RECORD_LIMIT {
                controls.webhooks.drain(..RECORD_LIMIT / 2);
            }
            controls.webhooks.extend(deliveries.iter().cloned());
            controls.sinks.clone()
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
        Ok(self.handle(request).await)
    }
}
