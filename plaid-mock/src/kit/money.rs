//! Amounts as Plaid's string-valued money fields write them (`"12.34"`),
//! kept as integer cents so sums are exact.

use crate::kernel::errors::{self, ErrorAnswer};

/// A positive decimal amount with at most two decimals, as Plaid's
/// amount strings are (`"12.34"`); its value in cents.
pub(crate) fn cents(field: &str, amount: &str) -> Result<i64, ErrorAnswer> {
    let bad = || {
        errors::invalid_field(format!("{field} must be a positive decimal string with at most two decimals, like \"12.34\"; got {amount:?}"))
    };
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let value = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or_else(bad)?;
    if value <= 0 {
        return Err(bad());
    }
    Ok(value)
}

/// Cents as Plaid's amount string (`-1234` → `"-12.34"`).
pub(crate) fn amount_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}
