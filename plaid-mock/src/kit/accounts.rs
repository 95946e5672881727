//! An item's account named in a request, and the error for one that is not
//! the item's.

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
