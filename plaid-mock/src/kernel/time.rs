//! Time as Plaid writes it: RFC 3339 timestamps (with or without
//! fractions of a second), Unix seconds, and `YYYY-MM-DD` dates.

use time::{Date, OffsetDateTime};

/// RFC 3339, as precise as `at` is.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// RFC 3339 at second precision, as Plaid writes most timestamps.
pub(crate) fn timestamp(at: OffsetDateTime) -> String {
    rfc3339(at.replace_nanosecond(0).unwrap_or(at))
}

/// Unix seconds.
pub(crate) fn unix(at: OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

/// RFC 3339 of Unix `seconds` (empty if out of range).
pub(crate) fn rfc3339_of(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(rfc3339)
        .unwrap_or_default()
}

/// An RFC 3339 timestamp, if `text` is one.
pub(crate) fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// `YYYY-MM-DD`.
pub(crate) fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
