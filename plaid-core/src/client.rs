//! The [`Client`]: Plaid's conventions around one [`HttpTransport`].
//!
//! A client knows where to send requests ([`Environment`]), how to
//! authenticate them (`PLAID-CLIENT-ID` / `PLAID-SECRET` headers), which API
//! version to ask for (`Plaid-Version`), how long to wait (a per-attempt
//! timeout) and when to try again ([`RetryPolicy`]). It turns Plaid's error
//! bodies into [`Error`]s and decodes answers into typed responses.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::HeaderValue;
use http::Method;

use crate::base_url::BaseUrl;
use crate::call_options::CallOptions;
use crate::credentials::Credentials;
use crate::environment::Environment;
use crate::error::{Error, LocalError, ResponseError};
use crate::orchestrator::{Operation, Orchestrator, Runtime};
use crate::request::{FromResponseBody, PlaidRequest};
use crate::response_check::request_id_of;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::sleep::AsyncSleep;
use crate::transport::HttpTransport;

/// The API version sent in `Plaid-Version` unless another is configured.
pub const DEFAULT_API_VERSION: &str = "2020-09-14";

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("plaid-rs/", env!("CARGO_PKG_VERSION"));

/// How long one attempt may take unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Plaid API client. Cheap to clone: clones share one configuration and
/// one transport.
///
/// Build one with [`Client::builder`]; `plaid_hyper::client_builder()` starts
/// a builder that already has the production HTTPS transport.
///
/// ```
/// # use plaid_core::transport::{HttpTransport, TransportError};
/// # #[derive(Debug)] struct MyTransport;
/// # #[async_trait::async_trait] impl HttpTransport for MyTransport {
/// #     async fn send(&self, _: http::Request<bytes::Bytes>) -> Result<http::Response<bytes::Bytes>, TransportError> { unimplemented!() }
/// # }
/// use std::time::Duration;
/// use plaid_core::{Client, Environment, RetryPolicy};
///
/// let client = Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials("client-id", "secret")
///     .api_version("2020-09-14")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_retries(3))
///     .transport(MyTransport)
///     .build()?;
/// assert!(!format!("{client:?}").contains("secret\""));
/// # Ok::<(), plaid_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// A client's configuration, shared by its clones.
struct Inner {
    environment: Environment,
    base: BaseUrl,
    credentials: Option<Credentials>,
    api_version: HeaderValue,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    transport: Arc<dyn HttpTransport>,
    sleep: Option<Arc<dyn AsyncSleep>>,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The environment requests go to.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The API version sent in `Plaid-Version`.
    pub fn api_version(&self) -> &str {
        self.inner.api_version.to_str().unwrap_or_default()
    }

    /// The per-attempt timeout, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Whether a client id and secret are configured.
    pub fn has_credentials(&self) -> bool {
        self.inner.credentials.is_some()
    }

    /// Sends a typed request and decodes its answer.
    ///
    /// ```no_run
    /// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
    /// use plaid_core::models::ItemGetRequest;
    ///
    /// let answer = client.send(ItemGetRequest::new("access-sandbox-123")).await?;
    /// println!("item {}", answer.item.item_id);
    /// # Ok(()) }
    /// ```
    pub async fn send<R: PlaidRequest>(&self, request: R) -> Result<R::Response, Error> {
        self.send_with_options(&request, &CallOptions::default())
            .await
    }

    /// [`send`](Self::send) with this call's own headers, timeout or retry
    /// policy.
    pub(crate) async fn send_with_options<R: PlaidRequest>(
        &self,
        request: &R,
        options: &CallOptions,
    ) -> Result<R::Response, Error> {
        let path = request.path();
        let body = request.body().map_err(|source| LocalError::Encode {
            path: path.to_string(),
            source,
        })?;
        let response = self
            .execute(
                request.method(),
                &path,
                request.requires_credentials(),
                body,
                options,
            )
            .await?;
        let (parts, body) = response.into_parts();
        R::Response::from_response_body(&body).map_err(|failure| {
            let request_id = request_id_of(&parts.headers, &body);
            ResponseError::decode(&path, parts.status, request_id, body, failure).into()
        })
    }

    /// Sends any JSON body to any operation and returns the answer as JSON,
    /// so an operation can be called before it has a typed request.
    /// Credentials are required except for `/categories/get`.
    ///
    /// ```no_run
    /// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
    /// let answer = client
    ///     .send_raw("/item/get", serde_json::json!({ "access_token": "access-sandbox-123" }))
    ///     .await?;
    /// println!("{}", answer["item"]["institution_id"]);
    /// # Ok(()) }
    /// ```
    pub async fn send_raw(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let encoded = serde_json::to_vec(&body).map_err(|source| LocalError::Encode {
            path: path.to_owned(),
            source,
        })?;
        // The generated table knows which operations take no credentials.
        let needs_credentials = crate::OPERATIONS
            .iter()
            .find(|op| op.path == path)
            .is_none_or(|op| op.requires_credentials);
        let response = self
            .execute(
                Method::POST,
                path,
                needs_credentials,
                Some(encoded.into()),
                &CallOptions::default(),
            )
            .await?;
        let (parts, body) = response.into_parts();
        serde_json::Value::from_response_body(&body).map_err(|failure| {
            let request_id = request_id_of(&parts.headers, &body);
            ResponseError::decode(path, parts.status, request_id, body, failure).into()
        })
    }

    /// Sends with retries; returns the 2xx answer or the final error.
    async fn execute(
        &self,
        method: Method,
        path: &str,
        needs_credentials: bool,
        body: Option<Bytes>,
        options: &CallOptions,
    ) -> Result<http::Response<Bytes>, Error> {
        if needs_credentials && self.inner.credentials.is_none() {
            return Err(LocalError::MissingCredentials {
                path: path.to_owned(),
            }
            .into());
        }
        let operation = Operation {
            method,
            path,
            uri: self.inner.base.url_for(path)?,
            credentials: if needs_credentials {
                self.inner.credentials.as_ref()
            } else {
                None
            },
            body: body.unwrap_or_default(),
        };
        let inner = &*self.inner;
        let runtime = Runtime {
            transport: &*inner.transport,
            sleep: inner.sleep.as_deref(),
            user_agent: &inner.user_agent,
            api_version: &inner.api_version,
            timeout: inner.timeout,
            retry: &inner.retry,
        };
        Orchestrator::new(runtime, options)?.invoke(operation).await
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("environment", &inner.environment)
            .field("base_url", &inner.environment.base_url())
            .field(
                "client_id",
                &inner.credentials.as_ref().map(|c| &c.client_id),
            )
            .field(
                "secret",
                &inner.credentials.as_ref().map(|_| Secret::new("")),
            )
            .field("api_version", &inner.api_version)
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("transport", &inner.transport)
            .finish()
    }
}

/// Configures a [`Client`]. Start with [`Client::builder`].
///
/// Defaults: [`Environment::Sandbox`], no credentials, API version
/// [`DEFAULT_API_VERSION`], user agent [`DEFAULT_USER_AGENT`], a
/// [`DEFAULT_TIMEOUT`] per attempt, [`RetryPolicy::default`], and (with the
/// `tokio` feature) [`TokioSleep`](crate::sleep::TokioSleep) as the timer.
/// A transport must be given.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    environment: Environment,
    client_id: Option<String>,
    secret: Option<Secret>,
    api_version: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
    transport: Option<Arc<dyn HttpTransport>>,
    sleep: Option<Arc<dyn AsyncSleep>>,
}

impl ClientBuilder {
    /// Where requests go. Default: [`Environment::Sandbox`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sends requests to `base_url`, e.g. a fake Plaid on
    /// `http://127.0.0.1:8080`. Same as `environment(Environment::custom(..))`.
    pub fn base_url(self, base_url: impl Into<String>) -> Self {
        self.environment(Environment::custom(base_url))
    }

    /// The client id and secret from Plaid's dashboard.
    pub fn credentials(mut self, client_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.client_id = Some(client_id.into());
        self.secret = Some(secret.into());
        self
    }

    /// The `Plaid-Version` to request. Default: [`DEFAULT_API_VERSION`].
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The `User-Agent` header. Default: [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How long one attempt may take before it fails with a timeout
    /// ([`Error::is_timeout`]). Each retry gets the full time again.
    /// Default: [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// Lets attempts take as long as the transport allows.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// When to retry. Default: [`RetryPolicy::default`]; use
    /// [`RetryPolicy::disabled`] to switch retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The transport that carries requests (required).
    pub fn transport(self, transport: impl HttpTransport + 'static) -> Self {
        self.shared_transport(Arc::new(transport))
    }

    /// The transport, already shared.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The timer used for back-off and timeouts. Default (feature `tokio`):
    /// [`TokioSleep`](crate::sleep::TokioSleep).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Local`] when no transport is set, the base
    /// URL is not an absolute `http`/`https` URL, a header value has
    /// characters HTTP does not allow, or a timeout or retries are configured
    /// without a timer.
    pub fn build(self) -> Result<Client, Error> {
        let config = |msg: String| Error::from(LocalError::Config(msg));
        let transport = self.transport.ok_or_else(|| {
            config("no transport set: call .transport(..), or start from plaid_hyper::client_builder()".into())
        })?;
        let base = BaseUrl::parse(self.environment.base_url()).map_err(config)?;
        let credentials = match (self.client_id, self.secret) {
            (Some(id), Some(secret)) => {
                let client_id = HeaderValue::from_str(&id).map_err(|_| {
                    config("the client id has characters not allowed in an HTTP header".into())
                })?;
                let mut secret = HeaderValue::from_str(secret.expose()).map_err(|_| {
                    config("the secret has characters not allowed in an HTTP header".into())
                })?;
                secret.set_sensitive(true);
                Some(Credentials { client_id, secret })
            }
            _ => None,
        };
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.into());
        let api_version = HeaderValue::from_str(&api_version).map_err(|_| {
            config(format!(
                "API version {api_version:?} is not a valid header value"
            ))
        })?;
        let user_agent = self.user_agent.unwrap_or_else(|| DEFAULT_USER_AGENT.into());
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            config(format!(
                "user agent {user_agent:?} is not a valid header value"
            ))
        })?;
        let timeout = self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT));
        let retry = self.retry.unwrap_or_default();
        let sleep = self.sleep.or_else(default_sleep);
        if sleep.is_none() && (timeout.is_some() || retry.retry_limit() > 0) {
            return Err(config(
                "timeouts and retries need a timer: enable the `tokio` feature or call .sleep_impl(..)"
                    .into(),
            ));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                environment: self.environment,
                base,
                credentials,
                api_version,
                user_agent,
                timeout,
                retry,
                transport,
                sleep,
            }),
        })
    }
}

#[cfg(feature = "tokio")]
fn default_sleep() -> Option<Arc<dyn AsyncSleep>> {
    Some(Arc::new(crate::sleep::TokioSleep))
}

#[cfg(not(feature = "tokio"))]
fn default_sleep() -> Option<Arc<dyn AsyncSleep>> {
    None
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("api_version", &self.api_version)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("transport", &self.transport)
            .finish()
    }
}
