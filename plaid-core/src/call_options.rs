//! Settings of one call that override the client's: extra headers, the
//! per-attempt timeout and the retry policy.

use std::time::Duration;

use crate::retry::RetryPolicy;

/// What one call changes of the client's configuration. Empty by default:
/// the call then runs exactly as the client is configured.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    /// Headers added to this call only (credentials and `Plaid-Version`
    /// always win).
    pub headers: Vec<(&'static str, String)>,
    /// `Some(None)`: no timeout for this call; `Some(Some(d))`: `d` per
    /// attempt; `None`: the client's.
    pub timeout: Option<Option<Duration>>,
    /// The retry policy for this call instead of the client's.
    pub retry_policy: Option<RetryPolicy>,
}

impl CallOptions {
    /// `later`'s choices on top of these: its headers are added after ours,
    /// its timeout and retry policy, where set, replace ours.
    pub(crate) fn merge(&mut self, later: CallOptions) {
        self.headers.extend(later.headers);
        if later.timeout.is_some() {
            self.timeout = later.timeout;
        }
        if later.retry_policy.is_some() {
            self.retry_policy = later.retry_policy;
        }
    }
}
