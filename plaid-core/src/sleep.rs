//! Waiting without a runtime dependency: the timer behind back-off and timeouts.
//!
//! The client needs to wait in two places, between retries and while racing a
//! request against its timeout. It does both through [`AsyncSleep`], so
//! `plaid-core` itself does not depend on an async runtime. With the default
//! `tokio` feature, [`TokioSleep`] is used unless you configure another one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A future returned by [`AsyncSleep::sleep`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Produces futures that complete after a duration.
///
/// Implement it to run the client on another runtime. For tests,
/// [`RecordingSleep`] observes back-off without waiting.
pub trait AsyncSleep: Send + Sync + fmt::Debug {
    /// A future that completes once `duration` has passed.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// [`AsyncSleep`] on tokio's timer. Requires a tokio runtime with the time
/// driver enabled when the future is polled.
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[cfg(feature = "tokio")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A timer for tests: every sleep ends at once, and the requested delays are
/// recorded. Clones share the record.
///
/// Use it with timeouts switched off (`ClientBuilder::no_timeout`), since a
/// timeout that ends at once would fire before any answer.
///
/// ```
/// use std::time::Duration;
/// use plaid_core::sleep::{AsyncSleep, RecordingSleep};
///
/// # block_on(async {
/// let timer = RecordingSleep::default();
/// timer.sleep(Duration::from_secs(3)).await;
/// assert_eq!(timer.delays(), [Duration::from_secs(3)]);
/// # });
/// # fn block_on(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordingSleep {
    delays: Arc<Mutex<Vec<Duration>>>,
}

impl RecordingSleep {
    /// Every delay requested so far, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.delays
            .lock()
            .map(|d| d.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        match self.delays.lock() {
            Ok(mut delays) => delays.push(duration),
            Err(poisoned) => poisoned.into_inner().push(duration),
        }
        Box::pin(std::future::ready(()))
    }
}
