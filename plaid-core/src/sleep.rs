//! Waiting without a runtime dependency: the timer behind back-off and timeouts.
//!
//! The client needs to wait in two places, between retries and while racing a
//! request against its timeout. It does both through [`AsyncSleep`], so
//! `plaid-core` itself does not depend on an async runtime. With the default
//! `tokio` feature, [`TokioSleep`] is used unless you configure another one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future returned by [`AsyncSleep::sleep`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Produces futures that complete after a duration.
///
/// Implement it to run the client on another runtime, or in tests to observe
/// back-off without waiting:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
/// use plaid_core::sleep::{AsyncSleep, Sleep};
///
/// /// Records every requested delay and returns at once.
/// #[derive(Debug, Default)]
/// struct Recorder(Mutex<Vec<Duration>>);
///
/// impl AsyncSleep for Recorder {
///     fn sleep(&self, duration: Duration) -> Sleep {
///         self.0.lock().unwrap().push(duration);
///         Box::pin(std::future::ready(()))
///     }
/// }
/// ```
pub trait AsyncSleep: Send + Sync + fmt::Debug {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// [`AsyncSleep`] on tokio's timer. Requires a tokio runtime with the time
/// driver enabled when the future is polled.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
