//! The fake's clock: frozen (it moves only when told to) or following a time
//! source (the wall clock unless a test injects another), shifted by an
//! offset that `advance` and `set` change.

use std::fmt;
use std::sync::Arc;

use plaid_core::clock::{Clock, SystemClock};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// How the fake tells the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub(crate) enum ClockMode {
    /// Always `at`, until moved.
    Frozen {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The source's time plus `offset_seconds`.
    Following { offset_seconds: i64 },
}

/// The fake's clock. `State::now` is its only reader.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct FakeClock {
    #[serde(flatten)]
    mode: ClockMode,
    /// Where a following clock reads the time; never saved (a loaded
    /// clock follows the wall clock).
    #[serde(skip, default = "wall_clock")]
    source: Arc<dyn Clock>,
}

fn wall_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

impl fmt::Debug for FakeClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeClock")
            .field("mode", &self.mode)
            .field("now", &self.now())
            .finish()
    }
}

impl FakeClock {
    /// A clock stopped at `at`.
    pub fn frozen(at: OffsetDateTime) -> Self {
        Self {
            mode: ClockMode::Frozen { at },
            source: wall_clock(),
        }
    }

    /// A clock that follows `source`.
    pub fn following(source: Arc<dyn Clock>) -> Self {
        Self {
            mode: ClockMode::Following { offset_seconds: 0 },
            source,
        }
    }

    /// How it tells the time.
    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    /// The source a following clock reads (the wall clock unless injected).
    pub fn source(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.source)
    }

    /// Reads from `source` from now on, keeping the mode and offset.
    pub fn set_source(&mut self, source: Arc<dyn Clock>) {
        self.source = source;
    }

    fn source_now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.source.unix_now())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// The fake's time.
    pub fn now(&self) -> OffsetDateTime {
        match self.mode {
            ClockMode::Frozen { at } => at,
            ClockMode::Following { offset_seconds } => self
                .source_now()
                .checked_add(Duration::seconds(offset_seconds))
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// Moves the time by `by` (negative moves it back).
    pub fn advance(&mut self, by: Duration) {
        match &mut self.mode {
            ClockMode::Frozen { at } => *at = at.checked_add(by).unwrap_or(*at),
            ClockMode::Following { offset_seconds } => {
                *offset_seconds = offset_seconds.saturating_add(by.whole_seconds());
            }
        }
    }

    /// Sets the time; a following clock goes on following from there.
    pub fn set(&mut self, to: OffsetDateTime) {
        let source_now = self.source_now();
        match &mut self.mode {
            ClockMode::Frozen { at } => *at = to,
            ClockMode::Following { offset_seconds } => {
                *offset_seconds = (to - source_now).whole_seconds();
            }
        }
    }

    /// Stops the clock where it is.
    pub fn freeze(&mut self) {
        self.mode = ClockMode::Frozen { at: self.now() };
    }

    /// Follows the source again, with no offset.
    pub fn follow(&mut self) {
        self.mode = ClockMode::Following { offset_seconds: 0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plaid_core::clock::ManualClock;
    use time::macros::datetime;

    #[test]
    fn a_following_clock_moves_with_its_source_and_keeps_its_offset() {
        let source = ManualClock::new(1_700_000_000);
        let mut clock = FakeClock::following(Arc::new(source.clone()));
        assert_eq!(clock.now().unix_timestamp(), 1_700_000_000);
        source.advance(600);
        assert_eq!(clock.now().unix_timestamp(), 1_700_000_600);
        clock.advance(Duration::minutes(31));
        source.advance(10);
        assert_eq!(clock.now().unix_timestamp(), 1_700_000_610 + 31 * 60);
        clock.set(datetime!(2030-01-01 0:00 UTC));
        source.advance(5);
        assert_eq!(clock.now(), datetime!(2030-01-01 0:00:05 UTC));
        clock.freeze();
        source.advance(100);
        assert_eq!(clock.now(), datetime!(2030-01-01 0:00:05 UTC));
        clock.follow();
        assert_eq!(clock.now().unix_timestamp(), source.unix_now());
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let mut clock = FakeClock::frozen(datetime!(2024-06-30 12:00 UTC));
        clock.advance(Duration::hours(1));
        assert_eq!(clock.now(), datetime!(2024-06-30 13:00 UTC));
        clock.set(datetime!(2020-01-01 0:00 UTC));
        assert_eq!(clock.now(), datetime!(2020-01-01 0:00 UTC));
        let saved = serde_json::to_value(&clock).unwrap();
        assert_eq!(
            saved,
            serde_json::json!({"mode": "frozen", "at": "2020-01-01T00:00:00Z"})
        );
        let loaded: FakeClock = serde_json::from_value(saved).unwrap();
        assert_eq!(loaded.now(), clock.now());
    }
}
