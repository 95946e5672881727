//! Per-call options for every operation, written once: [`IntoCall`], what
//! every request builder is, and [`CustomizedCall`], a builder with this
//! call's own headers, timeout and retry policy.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use super::{Call, PlaidRequest};
use crate::call_options::CallOptions;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// A request builder: something that becomes a complete [`Call`] once every
/// required field is set.
///
/// Every generated builder (`client.transfer().create(..)`, …) implements
/// it, and each also has the same methods inherently, so nothing needs to
/// be imported to call them. Name the trait to write code that works with
/// any operation:
///
/// ```no_run
/// use plaid_core::request::IntoCall;
///
/// /// Sends any operation with a five-second limit per attempt.
/// async fn quickly<B>(builder: B) -> Result<<B::Request as plaid_core::PlaidRequest>::Response, plaid_core::Error>
/// where
///     B: IntoCall,
/// {
///     builder.customize().timeout(std::time::Duration::from_secs(5)).send().await
/// }
/// ```
pub trait IntoCall: Sized {
    /// The request it sends.
    type Request: PlaidRequest;

    /// The complete request as a [`Call`], or
    /// [`LocalError::MissingField`](crate::LocalError::MissingField) for the
    /// first required field that is not set.
    fn into_call(self) -> Result<Call<Self::Request>, Error>;

    /// The call paging starts from: [`into_call`](Self::into_call), with the
    /// paging fields the pager sets on every page (a required `count` or
    /// `offset`) filled in when they are not set.
    fn into_paging_call(self) -> Result<Call<Self::Request>, Error> {
        self.into_call()
    }

    /// This call with its own headers, timeout or retry policy; see
    /// [`CustomizedCall`].
    fn customize(self) -> CustomizedCall<Self> {
        CustomizedCall::new(self)
    }
}

impl<R: PlaidRequest> IntoCall for Call<R> {
    type Request = R;

    fn into_call(self) -> Result<Call<R>, Error> {
        Ok(self)
    }
}

/// A request builder with options for this one call: extra headers, its own
/// per-attempt timeout, its own retry policy. Everything else is the
/// client's.
///
/// Every builder has `customize()`, which returns one. Set the
/// operation's fields on the builder first, then customize, then send
/// (await it, or call [`send`](Self::send)); paged operations also have
/// `into_stream()` and `collect_all()` here, and the `/…/sync` operations
/// `into_sync()`, all keeping these options.
///
/// ```no_run
/// # async fn run(client: plaid_core::Client) -> Result<(), plaid_core::Error> {
/// use std::time::Duration;
/// use plaid_core::RetryPolicy;
///
/// let auth = client
///     .auth()
///     .get("access-sandbox-123")
///     .customize()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::default().max_retries(1))
///     .header("X-Trace-Id", "checkout-42")
///     .await?;
/// println!("{} accounts", auth.accounts.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CustomizedCall<B> {
    builder: B,
    options: CallOptions,
}

impl<B: IntoCall> CustomizedCall<B> {
    /// `builder` with no option changed yet (the same as
    /// `builder.customize()`).
    pub fn new(builder: B) -> Self {
        Self {
            builder,
            options: CallOptions::default(),
        }
    }

    /// Adds a header to this call only. Credentials and `Plaid-Version`
    /// cannot be overridden; a name or value HTTP does not allow fails the
    /// call with [`LocalError::Config`](crate::LocalError::Config) before
    /// anything is sent.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.options.headers.push((name, value.into()));
        self
    }

    /// How long each attempt of this call may take, instead of the client's
    /// timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
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

    /// The complete request as a [`Call`] with these options, or the
    /// required field that is missing.
    pub fn into_call(self) -> Result<Call<B::Request>, Error> {
        Ok(self.builder.into_call()?.with_more_options(self.options))
    }

    /// As [`into_call`](Self::into_call), for paging (see
    /// [`IntoCall::into_paging_call`]).
    pub(crate) fn into_paging_call(self) -> Result<Call<B::Request>, Error> {
        Ok(self
            .builder
            .into_paging_call()?
            .with_more_options(self.options))
    }

    /// Sends the request; the same as awaiting it.
    pub async fn send(self) -> Result<<B::Request as PlaidRequest>::Response, Error> {
        self.into_call()?.send().await
    }
}

impl<B> IntoFuture for CustomizedCall<B>
where
    B: IntoCall + Send + 'static,
    B::Request: 'static,
{
    type Output = Result<<B::Request as PlaidRequest>::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        // Built before the future, so only the call (not the builder) is
        // held across the await.
        let call = self.into_call();
        Box::pin(async move { call?.send().await })
    }
}
