//! Wire formats of dates (`YYYY-MM-DD`) and timestamps (RFC 3339).

time::serde::format_description!(pub(crate) iso_date, Date, "[year]-[month]-[day]");

pub(crate) use time::serde::rfc3339;
