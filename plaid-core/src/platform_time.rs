//! The platform's clocks, for everything in the crate that reads the time:
//! the standard library's, or on `wasm32-unknown-unknown`, where
//! `std::time::Instant::now()` and `SystemTime::now()` panic, the
//! JavaScript host's (through `web-time`, which has the same API).

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) use std::time::{Instant, SystemTime};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use web_time::{Instant, SystemTime};

use std::time::Duration;

/// How long since the Unix epoch it is now (zero if the clock is set
/// before 1970).
pub(crate) fn since_unix_epoch() -> Duration {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

/// How long until `when` (zero if it is past). `when` is a
/// `std::time::SystemTime`, as `httpdate` gives, compared through the Unix
/// epoch so that nothing here calls `std`'s clock.
pub(crate) fn until(when: std::time::SystemTime) -> Duration {
    when.duration_since(std::time::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .saturating_sub(since_unix_epoch())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_counts_down_to_a_future_time_and_stops_at_zero() {
        let in_a_minute = std::time::SystemTime::now() + Duration::from_secs(60);
        let left = until(in_a_minute);
        assert!(
            left <= Duration::from_secs(60) && left > Duration::from_secs(55),
            "{left:?}"
        );
        let past = std::time::SystemTime::now() - Duration::from_secs(60);
        assert_eq!(until(past), Duration::ZERO);
        assert!(since_unix_epoch() > Duration::from_secs(1_700_000_000));
    }
}
