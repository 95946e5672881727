//! What happens to items and users, told to the products that keep state
//! about them. The sandbox emits an [`Event`] to every [`Hook`] the router
//! installed ([`crate::sandbox::State::hooks`]), so it never calls into a
//! product itself.

use serde_json::{Map, Value};

use crate::sandbox::State;

/// Something that happened to an item or a user.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Event<'a> {
    /// An item was linked (`/sandbox/public_token/create`, or a finished
    /// Link session), for `owner` if the request named a user.
    ItemLinked {
        /// The new item's id.
        item_id: &'a str,
        /// The public token made for it.
        public_token: &'a str,
        /// The user the item was linked for.
        owner: Option<&'a str>,
        /// The request that linked it.
        request: &'a Map<String, Value>,
    },
    /// An item and all its tokens were removed.
    ItemRemoved {
        /// The removed item's id.
        item_id: &'a str,
    },
    /// A Payment Initiation payment settled (a virtual account it was paid
    /// into is credited).
    PaymentSettled {
        /// The payment, as `/payment_initiation/payment/get` answers it.
        payment: &'a Value,
    },
    /// A user was removed (its items were removed before).
    UserRemoved {
        /// The removed user's id.
        user_id: &'a str,
        /// The removed user's token.
        user_token: &'a str,
    },
}

/// A product's reaction to an [`Event`].
pub(crate) type Hook = fn(&mut State, &Event<'_>);
