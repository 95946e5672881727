//! What the sandbox's own checks refuse, as the crate's error table lists
//! them: tokens of every kind, institutions, accounts and an item's health.

use crate::kernel::errors::Refusal;

/// What the sandbox's own checks of tokens, institutions, accounts and
/// item health refuse, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "an access token never issued, or rotated away (`/item/access_token/invalidate`)",
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
    ),
    Refusal::new(
        "an access token of an item removed with `/item/remove`",
        400,
        "ITEM_ERROR",
        "ITEM_NOT_FOUND",
    ),
    Refusal::new(
        "a token of another kind where an access token goes (a public, link or processor token)",
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
    )
    .detail("the message naming the kind sent"),
    Refusal::new(
        "a public token unknown, expired (30 minutes) or already exchanged",
        400,
        "INVALID_INPUT",
        "INVALID_PUBLIC_TOKEN",
    ),
    Refusal::new(
        "a token of another kind where a public token goes (a link or access token)",
        400,
        "INVALID_INPUT",
        "INVALID_PUBLIC_TOKEN",
    )
    .detail("the message naming the kind sent"),
    Refusal::new(
        "an institution id the sandbox does not have",
        400,
        "INVALID_INPUT",
        "INVALID_INSTITUTION",
    ),
    Refusal::new(
        "an `account_id` that is not the item's",
        400,
        "INVALID_INPUT",
        "INVALID_ACCOUNT_ID",
    ),
    Refusal::new(
        "a product call on an item after `/sandbox/item/reset_login`",
        400,
        "ITEM_ERROR",
        "ITEM_LOGIN_REQUIRED",
    ),
];
