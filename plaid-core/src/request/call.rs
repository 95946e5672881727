//! `Call`: a request bound to a client, with per-call options, sent when
//! awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::PlaidRequest;
use crate::call_options::CallOptions;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::Client;

/// A complete request bound to a client, ready to send: the engine under
/// every generated builder.
///
/// The per-operation builders (`client.transfer().create(..)` returns
/// [`api::transfer::TransferCreate`](crate::api)) check that every required
/// field is set and then hand over a `Call`; `into_call()` on a builder gives
/// it to you. A `Call` can also be made from any request value you built
/// yourself. Awaiting it sends it. Its per-call options are the same as a
/// builder's [`customize()`](super::CustomizedCall).
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

    /// A call with no option of its own, taking the client (what a
    /// generated builder hands over once every required field is set).
    #[allow(dead_code)] // unused when no product group is compiled
    pub(crate) fn from_parts(client: Client, request: R) -> Self {
        Self {
            client,
            request,
            options: CallOptions::default(),
        }
    }

    /// This call with `options` on top of its own (see
    /// [`CallOptions::merge`]).
    pub(crate) fn with_more_options(mut self, options: CallOptions) -> Self {
        self.options.merge(options);
        self
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
