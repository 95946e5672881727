//! How values look on the wire: dates, timestamps and tolerated nulls.
//!
//! The generated models use these through `#[serde(with = ..)]` and
//! `#[serde(deserialize_with = ..)]`:
//!
//! - `format: date` is `YYYY-MM-DD` ([`time::Date`]).
//! - `format: date-time` is RFC 3339 ([`time::OffsetDateTime`]). On the way
//!   in, a timestamp without an offset is read as UTC and a bare date as
//!   midnight UTC, because Plaid's own examples contain both; on the way out
//!   it is always full RFC 3339.
//! - [`null_as_default`] reads `null` as the type's empty value, for the
//!   required strings, lists, maps and objects that Plaid sometimes sends as
//!   `null` (see the crate documentation's decoding rule).

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Reads `null` (or, with `#[serde(default)]`, a missing field) as
/// `T::default()`.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("invalid date {text:?} (expected YYYY-MM-DD): {e}"))
}

fn format_date(date: &Date) -> Result<String, String> {
    date.format(format_description!("[year]-[month]-[day]"))
        .map_err(|e| e.to_string())
}

fn parse_date_time(text: &str) -> Result<OffsetDateTime, String> {
    if let Ok(value) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(value);
    }
    let naive = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    let lenient = PrimitiveDateTime::parse(text, naive)
        .ok()
        .or_else(|| parse_date(text).ok().map(Date::midnight));
    match lenient {
        // RFC 3339 has four-digit years only: a value outside them could be
        // read but not written back.
        Some(value) if (0..=9999).contains(&value.year()) => Ok(value.assume_utc()),
        _ => Err(format!("invalid timestamp {text:?} (expected RFC 3339)")),
    }
}

fn format_date_time(value: &OffsetDateTime) -> Result<String, String> {
    value.format(&Rfc3339).map_err(|e| e.to_string())
}

/// Defines a serde `with` module (plus `option` and `list` variants) for a
/// type written as a string.
macro_rules! string_format {
    ($(#[$meta:meta])* $name:ident, $ty:ty, $parse:ident, $format:ident) => {
        $(#[$meta])*
        pub mod $name {
            use super::*;

            /// Writes the value.
            pub fn serialize<S: Serializer>(value: &$ty, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&$format(value).map_err(serde::ser::Error::custom)?)
            }

            /// Reads the value.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                $parse(&text).map_err(serde::de::Error::custom)
            }

            /// The same for an optional value; `null` is `None`.
            pub mod option {
                use super::super::*;

                /// Writes the value, or `null`.
                pub fn serialize<S: Serializer>(
                    value: &Option<$ty>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(value) => super::serialize(value, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads the value; `null` is `None`.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<$ty>, D::Error> {
                    let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                    text.map(|t| $parse(&t).map_err(serde::de::Error::custom)).transpose()
                }
            }

            /// The same for a list; `null` is an empty list.
            pub mod list {
                use super::super::*;

                /// Writes the values.
                pub fn serialize<S: Serializer>(values: &[$ty], serializer: S) -> Result<S::Ok, S::Error> {
                    let texts = values
                        .iter()
                        .map($format)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(serde::ser::Error::custom)?;
                    serializer.collect_seq(texts)
                }

                /// Reads the values; `null` is an empty list.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Vec<$ty>, D::Error> {
                    let texts = Option::<Vec<std::borrow::Cow<'de, str>>>::deserialize(deserializer)?;
                    texts
                        .unwrap_or_default()
                        .iter()
                        .map(|t| $parse(t).map_err(serde::de::Error::custom))
                        .collect()
                }
            }

            /// The same for an optional list; `null` is `None`.
            pub mod option_list {
                use super::super::*;

                /// Writes the values, or `null`.
                pub fn serialize<S: Serializer>(
                    values: &Option<Vec<$ty>>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match values {
                        Some(values) => super::list::serialize(values, serializer),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads the values; `null` is `None`.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<Vec<$ty>>, D::Error> {
                    let texts = Option::<Vec<std::borrow::Cow<'de, str>>>::deserialize(deserializer)?;
                    texts
                        .map(|texts| {
                            texts
                                .iter()
                                .map(|t| $parse(t).map_err(serde::de::Error::custom))
                                .collect()
                        })
                        .transpose()
                }
            }
        }
    };
}

string_format!(
    /// `YYYY-MM-DD` dates.
    iso_date, Date, parse_date, format_date
);
string_format!(
    /// RFC 3339 timestamps (lenient on the way in, see the module docs).
    rfc3339, OffsetDateTime, parse_date_time, format_date_time
);

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::macros::{date, datetime};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(with = "iso_date")]
        day: Date,
        #[serde(default, with = "rfc3339::option")]
        at: Option<OffsetDateTime>,
        #[serde(default, with = "iso_date::list")]
        days: Vec<Date>,
        #[serde(default, deserialize_with = "null_as_default")]
        name: String,
    }

    fn decode(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn dates_and_timestamps_round_trip() {
        let s = decode(
            r#"{"day":"2024-02-29","at":"2024-02-29T10:11:12.5+02:00","days":["2024-01-01"],"name":"x"}"#,
        )
        .unwrap();
        assert_eq!(s.day, date!(2024 - 02 - 29));
        assert_eq!(s.at, Some(datetime!(2024-02-29 10:11:12.5 +02:00)));
        assert_eq!(s.days, [date!(2024 - 01 - 01)]);
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(back["at"], "2024-02-29T10:11:12.5+02:00");
        assert_eq!(back["day"], "2024-02-29");
    }

    #[test]
    fn timestamps_without_offset_and_bare_dates_read_as_utc() {
        let s = decode(r#"{"day":"2024-01-01","at":"2024-01-01T08:00:00"}"#).unwrap();
        assert_eq!(s.at, Some(datetime!(2024-01-01 08:00 UTC)));
        let s = decode(r#"{"day":"2024-01-01","at":"2020-01-01"}"#).unwrap();
        assert_eq!(s.at, Some(datetime!(2020-01-01 0:00 UTC)));
    }

    #[test]
    fn nulls_become_empty_or_none() {
        let s = decode(r#"{"day":"2024-01-01","at":null,"days":null,"name":null}"#).unwrap();
        assert_eq!((s.at, s.days.len(), s.name.as_str()), (None, 0, ""));
        let s = decode(r#"{"day":"2024-01-01"}"#).unwrap();
        assert_eq!((s.at, s.days.len(), s.name.as_str()), (None, 0, ""));
    }

    /// Found by the hostile-input property tests: `-0001-01-01T00:00:00`
    /// decoded, and then the value could not be encoded again.
    #[test]
    fn lenient_timestamps_outside_rfc3339_years_are_rejected() {
        for text in [
            "-0001-01-01T00:00:00",
            "-0001-01-01",
            "-9999-12-31 23:59:59",
        ] {
            let json = format!(r#"{{"day":"2024-01-01","at":"{text}"}}"#);
            let err = decode(&json).unwrap_err();
            assert!(
                err.to_string().contains("invalid timestamp"),
                "{text}: {err}"
            );
        }
        let s = decode(r#"{"day":"2024-01-01","at":"0000-01-01 00:00:00"}"#).unwrap();
        assert_eq!(s.at, Some(datetime!(0000-01-01 0:00 UTC)));
        assert_eq!(
            serde_json::to_value(&s).unwrap()["at"],
            "0000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn malformed_dates_are_errors_that_quote_the_value() {
        let err = decode(r#"{"day":"29/02/2024"}"#).unwrap_err();
        assert!(err.to_string().contains("29/02/2024"), "{err}");
        assert!(decode(r#"{"day":"2024-01-01","at":"yesterday"}"#).is_err());
    }
}
