//! [`RetryPolicy`]: how many times to repeat a failed call, how long to wait
//! in between, and the caller's own retry rule.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use super::classifier::{RetryContext, RetryDecision};

/// Retry settings for a [`Client`](crate::Client).
///
/// ```
/// use std::time::Duration;
/// use plaid_core::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(10));
/// assert_eq!(patient.retry_limit(), 5);
/// assert_eq!(RetryPolicy::disabled().retry_limit(), 0);
/// ```
#[derive(Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
    classifier: Option<Arc<UserClassifier>>,
}

/// The caller's own retry rule, asked before the built-in ones.
type UserClassifier = dyn Fn(&RetryContext<'_>) -> RetryDecision + Send + Sync;

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.max_retries)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("jitter", &self.jitter)
            .field("classifier", &self.classifier.as_ref().map(|_| "custom"))
            .finish()
    }
}

/// Two policies are equal when their numbers are and they share the same
/// custom classifier (or have none).
impl PartialEq for RetryPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.max_retries == other.max_retries
            && self.initial_backoff == other.initial_backoff
            && self.max_backoff == other.max_backoff
            && self.max_retry_after == other.max_retry_after
            && self.jitter == other.jitter
            && match (&self.classifier, &other.classifier) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for RetryPolicy {}

impl Default for RetryPolicy {
    /// Two retries (three attempts), starting at 500 ms and doubling up to
    /// 8 s, with jitter; `Retry-After` honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            classifier: None,
        }
    }
}

impl RetryPolicy {
    /// No retries: every error is returned at once.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How many times a call may be repeated after its first attempt.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The delay before the first retry; each later retry doubles it.
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The longest computed delay between two attempts.
    #[must_use]
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest `Retry-After` the client will wait for. A longer one ends
    /// the retries and returns the error (with
    /// [`Error::retry_after`](crate::Error::retry_after) set).
    #[must_use]
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Whether to randomise each delay between half and all of its value
    /// (on by default), so that many clients do not retry in lockstep.
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Adds the caller's own retry rule, asked before the built-in ones
    /// (see [`retry`](crate::retry)): it sees each failed attempt and
    /// answers [`RetryDecision::Retry`], [`RetryDecision::DoNotRetry`] or
    /// [`RetryDecision::NoOpinion`] (then the built-in rules decide). The
    /// retry budget and back-off still apply.
    ///
    /// ```
    /// use plaid_core::retry::{RetryContext, RetryDecision};
    /// use plaid_core::RetryPolicy;
    ///
    /// // Also retry PRODUCT_NOT_READY on reads, e.g. right after linking.
    /// let policy = RetryPolicy::default().classifier(|attempt: &RetryContext<'_>| {
    ///     if attempt.error().code() == Some("PRODUCT_NOT_READY") && attempt.safe_to_resend() {
    ///         RetryDecision::Retry
    ///     } else {
    ///         RetryDecision::NoOpinion
    ///     }
    /// });
    /// # let _ = policy;
    /// ```
    #[must_use]
    pub fn classifier(
        mut self,
        rule: impl Fn(&RetryContext<'_>) -> RetryDecision + Send + Sync + 'static,
    ) -> Self {
        self.classifier = Some(Arc::new(rule));
        self
    }

    /// The configured number of retries.
    pub fn retry_limit(&self) -> u32 {
        self.max_retries
    }

    /// Whether the failed attempt in `context` should be repeated: the
    /// caller's rule first, then the built-in ones. The budget is not
    /// looked at here (see [`delay_before_retry`](Self::delay_before_retry)).
    pub fn should_retry(&self, context: &RetryContext<'_>) -> bool {
        if let Some(rule) = &self.classifier {
            match rule(context) {
                RetryDecision::Retry => return true,
                RetryDecision::DoNotRetry => return false,
                RetryDecision::NoOpinion => {}
            }
        }
        super::classifier::builtin(context)
    }

    /// The delay before retry number `retry` (1 for the first retry), or
    /// `None` when no retry should happen: the budget is spent, or the
    /// server's `Retry-After` is longer than [`max_retry_after`](Self::max_retry_after).
    pub fn delay_before_retry(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retry == 0 || retry > self.max_retries {
            return None;
        }
        if let Some(asked) = retry_after {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let doubling = 2u32.saturating_pow(retry - 1);
        let base = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        if !self.jitter {
            return Some(base);
        }
        let half = base / 2;
        let spread = (base - half).as_nanos() as u64;
        let offset = if spread == 0 {
            0
        } else {
            random_u64() % (spread + 1)
        };
        Some(half + Duration::from_nanos(offset))
    }
}

/// A random number for jitter, from the standard library's randomly keyed
/// hasher (no extra dependency; not for cryptography).
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    hasher.finish()
}

/// Parses a `Retry-After` header value: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &http::HeaderValue) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(crate::platform_time::until(when))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default()
            .max_retries(6)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(700))
            .jitter(false);
        let delays: Vec<_> = (1..=6)
            .map(|n| p.delay_before_retry(n, None).unwrap().as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 700, 700, 700]);
        assert_eq!(p.delay_before_retry(7, None), None);
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        let p = RetryPolicy::default()
            .max_retries(3)
            .initial_backoff(Duration::from_millis(400));
        for _ in 0..200 {
            let d = p.delay_before_retry(2, None).unwrap();
            assert!(
                d >= Duration::from_millis(400) && d <= Duration::from_millis(800),
                "{d:?}"
            );
        }
    }

    #[test]
    fn retry_after_replaces_backoff_up_to_its_cap() {
        let p = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        assert_eq!(
            p.delay_before_retry(1, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(p.delay_before_retry(1, Some(Duration::from_secs(6))), None);
    }

    #[test]
    fn disabled_never_retries() {
        assert_eq!(RetryPolicy::disabled().delay_before_retry(1, None), None);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let secs = http::HeaderValue::from_static("7");
        assert_eq!(parse_retry_after(&secs), Some(Duration::from_secs(7)));
        let past = http::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(parse_retry_after(&past), Some(Duration::ZERO));
        let future =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(120));
        let parsed = parse_retry_after(&http::HeaderValue::from_str(&future).unwrap()).unwrap();
        assert!(parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120));
        assert_eq!(
            parse_retry_after(&http::HeaderValue::from_static("soon")),
            None
        );
    }
}
