//! What product flows need from linked items: the item behind an access
//! token, and one of its accounts.

use crate::kernel::errors::{self, ErrorAnswer};
use crate::sandbox::data::Account;
use crate::sandbox::State;

/// The item id and the account `account_id` of the item behind
/// `access_token`. Fails as Plaid does: an unknown or removed token is
/// `INVALID_ACCESS_TOKEN`, an item needing a login is `ITEM_LOGIN_REQUIRED`,
/// an account of another item is `INVALID_ACCOUNT_ID`.
pub(crate) fn account<'s>(
    state: &'s State,
    access_token: &str,
    account_id: &str,
) -> Result<(String, &'s Account), ErrorAnswer> {
    let item_id = state.item_id_for(access_token)?;
    let item = state
        .items
        .get(&item_id)
        .ok_or_else(errors::invalid_access_token)?;
    if item.login_required {
        return Err(errors::item_login_required());
    }
    let account = item
        .accounts
        .iter()
        .find(|a| a.account_id == account_id)
        .ok_or_else(invalid_account_id)?;
    Ok((item_id, account))
}

/// Plaid's answer for an account id the item does not have.
pub(crate) fn invalid_account_id() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_INPUT",
        "INVALID_ACCOUNT_ID",
        "the account_id does not belong to this item",
    )
}

/// Plaid's answer for an id (`field`) that names nothing this client made.
pub(crate) fn unknown_id(field: &str, id: &str) -> ErrorAnswer {
    errors::invalid_field(format!("{field} {id:?} does not exist for this client"))
}

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
