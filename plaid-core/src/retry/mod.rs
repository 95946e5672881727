//! When to repeat a failed call, and how long to wait before it.
//!
//! The client repeats a failed attempt when the [ordered
//! classifiers](classifier) say so (the caller's own rule on
//! [`RetryPolicy::classifier`] first), within the policy's budget, with
//! exponential back-off and jitter. A `Retry-After` header from the server
//! replaces the computed delay, up to [`RetryPolicy::max_retry_after`]; a
//! server asking for a longer wait gets its error returned instead.
//! [`Error::is_retryable`](crate::Error::is_retryable) answers from the same
//! built-in rule.

pub mod classifier;
mod policy;
mod resend;

pub use classifier::{RetryContext, RetryDecision};
pub(crate) use policy::parse_retry_after;
pub use policy::RetryPolicy;
pub use resend::is_safe_to_resend;
