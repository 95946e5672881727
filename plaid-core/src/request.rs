//! The typed request seam: what an operation is, and how a call is built.
//!
//! Every Plaid operation is a type implementing [`PlaidRequest`]: it knows its
//! path, its HTTP method, whether it needs credentials, and the type its
//! answer decodes into. [`Client::send`](crate::Client::send) takes any of
//! them. The per-product methods (`client.auth().get(token)`) return a
//! [`Call`], which holds the request so optional fields can be chained and
//! which runs when awaited.

use std::borrow::Cow;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::call_options::CallOptions;
use crate::error::{DecodeFailure, Error};
use crate::retry::RetryPolicy;
use crate::Client;

/// One Plaid operation: its request body and what it answers with.
///
/// ```
/// use std::borrow::Cow;
/// use plaid_core::PlaidRequest;
/// use serde::{Deserialize, Serialize};
///
/// /// `/item/get` written by hand.
/// #[derive(Serialize)]
/// struct ItemGet { access_token: String }
///
/// #[derive(Deserialize)]
/// struct ItemGetAnswer { request_id: String }
///
/// impl PlaidRequest for ItemGet {
///     type Response = ItemGetAnswer;
///     fn path(&self) -> Cow<'_, str> { "/item/get".into() }
/// }
/// ```
pub trait PlaidRequest: Serialize + Send + Sync {
    /// What a 2xx answer decodes into.
    type Response: FromResponseBody + Send + 'static;

    /// The operation's path, e.g. `/item/get`.
    fn path(&self) -> Cow<'_, str>;

    /// The HTTP method. Plaid uses `POST` for all but three FDX operations.
    fn method(&self) -> http::Method {
        http::Method::POST
    }

    /// Whether the operation needs the client id and secret. Only
    /// `/categories/get` does not.
    fn requires_credentials(&self) -> bool {
        true
    }

    /// The request body; JSON of `self` unless the method is `GET`.
    fn body(&self) -> Result<Option<Bytes>, serde_json::Error> {
        if self.method() == http::Method::GET {
            return Ok(None);
        }
        serde_json::to_vec(self).map(|v| Some(Bytes::from(v)))
    }
}

impl<R: PlaidRequest + ?Sized> PlaidRequest for &R {
    type Response = R::Response;

    fn path(&self) -> Cow<'_, str> {
        (**self).path()
    }

    fn method(&self) -> http::Method {
        (**self).method()
    }

    fn requires_credentials(&self) -> bool {
        (**self).requires_credentials()
    }

    fn body(&self) -> Result<Option<Bytes>, serde_json::Error> {
        (**self).body()
    }
}

/// Turns the body of a 2xx answer into a value.
///
/// Implemented for every `serde` type (decoded as JSON, with the JSON path of
/// any failure) and for [`Binary`] (kept as bytes, for PDF answers).
pub trait FromResponseBody: Sized {
    /// Decodes `body`.
    fn from_response_body(body: &Bytes) -> Result<Self, DecodeFailure>;
}

impl<T: DeserializeOwned> FromResponseBody for T {
    fn from_response_body(body: &Bytes) -> Result<Self, DecodeFailure> {
        // The fast path checks the body is UTF-8 once, as a whole, and then
        // decodes from `str`, which spares the decoder checking every string
        // on its own (a fifth of its time on Plaid's answers). Only a body
        // that fails is decoded a second time with path tracking, which costs
        // as much as the decode itself, to say where it failed.
        let decoded = match std::str::from_utf8(body) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(body),
        };
        decoded.map_err(|fast_error| locate_failure::<T>(body, fast_error))
    }
}

/// Decodes `body` again, tracking the JSON path, to say where it fails.
#[cold]
fn locate_failure<T: DeserializeOwned>(
    body: &[u8],
    fast_error: serde_json::Error,
) -> DecodeFailure {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(located) => located.into(),
        Ok(_) => match de.end() {
            Err(source) => DecodeFailure {
                path: ".".into(),
                source,
            },
            // Both decodes run the same code on the same bytes, so this
            // does not happen; the first error is still the right answer.
            Ok(()) => DecodeFailure {
                path: ".".into(),
                source: fast_error,
            },
        },
    }
}

/// An answer that is not JSON, such as a PDF report: the bytes as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary(pub Bytes);

impl FromResponseBody for Binary {
    fn from_response_body(body: &Bytes) -> Result<Self, DecodeFailure> {
        Ok(Binary(body.clone()))
    }
}

/// Static facts about one operation of Plaid's API, from the generated
/// [`OPERATIONS`](crate::OPERATIONS) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The spec's `operationId`, e.g. `transactionsGet`.
    pub operation_id: &'static str,
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The path template, e.g. `/transactions/get`.
    pub path: &'static str,
    /// The product group (first path segment), e.g. `transactions`.
    pub group: &'static str,
    /// How the client reaches it, e.g. `transactions().get(..)`.
    pub client_method: &'static str,
    /// The request type in [`models`](crate::models).
    pub request_type: &'static str,
    /// The response type in [`models`](crate::models), or `Binary`.
    pub response_type: &'static str,
    /// Whether Plaid marks it deprecated.
    pub deprecated: bool,
    /// False only for operations without authentication (`/categories/get`).
    pub requires_credentials: bool,
    /// Plaid's documentation page for it.
    pub docs_url: Option<&'static str>,
}

/// How a generated client method is called, from the generated
/// [`api::METHODS`](crate::api::METHODS) table: which required fields are
/// arguments, which are setters, and how it pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodInfo {
    /// The path template, e.g. `/transfer/create`.
    pub path: &'static str,
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The builder type, e.g. `transfer::TransferCreate` (under
    /// [`api`](crate::api)).
    pub builder: &'static str,
    /// The cargo feature that compiles it.
    pub feature: &'static str,
    /// Required fields taken as arguments of the client method, in order
    /// (at most two, never of the same type).
    pub positional: &'static [&'static str],
    /// Required fields set with a setter; sending without one fails locally
    /// with [`InputError::MissingField`](crate::InputError::MissingField).
    pub required_setters: &'static [&'static str],
    /// How the operation pages, if it does.
    pub paging: Option<crate::pagination::PageStyle>,
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved
/// characters), for operations with path parameters.
///
/// ```
/// assert_eq!(plaid_core::request::encode_path_segment("a b/c"), "a%20b%2Fc");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A complete request bound to a client, ready to send: the engine under
/// every generated builder.
///
/// The per-operation builders (`client.transfer().create(..)` returns
/// [`api::transfer::TransferCreate`](crate::api)) check that every required
/// field is set and then hand over a `Call`; `into_call()` on a builder gives
/// it to you. A `Call` can also be made from any request value you built
/// yourself. Awaiting it sends it.
///
/// ```no_run
/// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
/// use plaid_core::{models::ItemGetRequest, Call};
///
/// let item = Call::new(&client, ItemGetRequest::new("access-sandbox-123"))
///     .timeout(std::time::Duration::from_secs(5))
///     .await?;
/// println!("{}", item.item.item_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<R> {
    client: Client,
    request: R,
    options: CallOptions,
}

impl<R: PlaidRequest> Call<R> {
    /// Binds `request` to `client`.
    pub fn new(client: &Client, request: R) -> Self {
        Self {
            client: client.clone(),
            request,
            options: CallOptions::default(),
        }
    }

    /// Adds a header to this call only, e.g. an operation's optional header
    /// parameter. Credentials and `Plaid-Version` cannot be overridden.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.options.headers.push((name, value.into()));
        self
    }

    /// How long each attempt of this call may take, instead of the
    /// client's timeout.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(Some(timeout));
        self
    }

    /// Lets each attempt of this call take as long as it takes.
    pub fn no_timeout(mut self) -> Self {
        self.options.timeout = Some(None);
        self
    }

    /// When to try this call again, instead of the client's policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry_policy = Some(policy);
        self
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &R {
        &self.request
    }

    /// Mutable access to the request, for fields without a chained setter.
    pub fn request_mut(&mut self) -> &mut R {
        &mut self.request
    }

    /// Takes the request back out.
    pub fn into_request(self) -> R {
        self.request
    }

    /// A call with options already chosen (what a generated builder hands
    /// over once every required field is set).
    #[allow(dead_code)] // unused when no product group is compiled
    pub(crate) fn with_options(client: Client, request: R, options: CallOptions) -> Self {
        Self {
            client,
            request,
            options,
        }
    }

    /// The client, the request and this call's options.
    pub(crate) fn into_parts(self) -> (Client, R, CallOptions) {
        (self.client, self.request, self.options)
    }

    /// Sends the request; the same as awaiting the `Call`.
    pub async fn send(self) -> Result<R::Response, Error> {
        self.client
            .send_with_options(&self.request, &self.options)
            .await
    }
}

impl<R: PlaidRequest + 'static> IntoFuture for Call<R> {
    type Output = Result<R::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
