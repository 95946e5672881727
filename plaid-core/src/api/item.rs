//! `/item/*`: exchanging public tokens, reading and removing items.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::models::Item;
use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/item/`.
    pub fn item(&self) -> ItemApi<'_> {
        ItemApi { client: self }
    }
}

/// Operations under `/item/`. From [`Client::item`].
#[derive(Debug, Clone, Copy)]
pub struct ItemApi<'a> {
    client: &'a Client,
}

impl<'a> ItemApi<'a> {
    /// Operations under `/item/public_token/`.
    pub fn public_token(self) -> ItemPublicTokenApi<'a> {
        ItemPublicTokenApi {
            client: self.client,
        }
    }

    /// `POST /item/get`: the item's status and products.
    /// [Plaid docs](https://plaid.com/docs/api/items/#itemget)
    pub fn get(self, access_token: impl Into<String>) -> Call<ItemGetRequest> {
        Call::new(self.client, ItemGetRequest::new(access_token))
    }

    /// `POST /item/remove`: removes the item; its access token stops working.
    /// [Plaid docs](https://plaid.com/docs/api/items/#itemremove)
    pub fn remove(self, access_token: impl Into<String>) -> Call<ItemRemoveRequest> {
        Call::new(self.client, ItemRemoveRequest::new(access_token))
    }
}

/// Operations under `/item/public_token/`. From [`ItemApi::public_token`].
#[derive(Debug, Clone, Copy)]
pub struct ItemPublicTokenApi<'a> {
    client: &'a Client,
}

impl ItemPublicTokenApi<'_> {
    /// `POST /item/public_token/exchange`: trades a public token from Link for
    /// an access token.
    /// [Plaid docs](https://plaid.com/docs/api/items/#itempublic_tokenexchange)
    pub fn exchange(self, public_token: impl Into<String>) -> Call<ItemPublicTokenExchangeRequest> {
        Call::new(
            self.client,
            ItemPublicTokenExchangeRequest::new(public_token),
        )
    }
}

/// Body of `POST /item/public_token/exchange`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ItemPublicTokenExchangeRequest {
    /// The public token from Link or `/sandbox/public_token/create`.
    pub public_token: String,
}

impl ItemPublicTokenExchangeRequest {
    /// A request for `public_token`.
    pub fn new(public_token: impl Into<String>) -> Self {
        Self {
            public_token: public_token.into(),
        }
    }
}

impl PlaidRequest for ItemPublicTokenExchangeRequest {
    type Response = ItemPublicTokenExchangeResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/item/public_token/exchange")
    }
}

/// Answer of `POST /item/public_token/exchange`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemPublicTokenExchangeResponse {
    /// The access token for the item; store it securely.
    pub access_token: String,
    /// The item's id.
    pub item_id: String,
    /// Plaid's request id.
    pub request_id: String,
}

/// Body of `POST /item/get`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ItemGetRequest {
    /// The item's access token.
    pub access_token: String,
}

impl ItemGetRequest {
    /// A request for the item behind `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
        }
    }
}

impl PlaidRequest for ItemGetRequest {
    type Response = ItemGetResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/item/get")
    }
}

/// Answer of `POST /item/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemGetResponse {
    /// The item.
    pub item: Item,
    /// Status of the item's products, as sent.
    #[serde(default)]
    pub status: Option<serde_json::Value>,
    /// Plaid's request id.
    pub request_id: String,
}

/// Body of `POST /item/remove`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ItemRemoveRequest {
    /// The item's access token.
    pub access_token: String,
    /// Why the item is removed, e.g. `FRAUD_FIRST_PARTY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Free-text note on the reason (up to 512 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_note: Option<String>,
}

impl ItemRemoveRequest {
    /// A request removing the item behind `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            reason_code: None,
            reason_note: None,
        }
    }
}

impl PlaidRequest for ItemRemoveRequest {
    type Response = ItemRemoveResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/item/remove")
    }
}

impl Call<ItemRemoveRequest> {
    /// Sets `reason_code`.
    pub fn reason_code(mut self, code: impl Into<String>) -> Self {
        self.request_mut().reason_code = Some(code.into());
        self
    }

    /// Sets `reason_note`.
    pub fn reason_note(mut self, note: impl Into<String>) -> Self {
        self.request_mut().reason_note = Some(note.into());
        self
    }
}

/// Answer of `POST /item/remove`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemRemoveResponse {
    /// Plaid's request id.
    pub request_id: String,
}
