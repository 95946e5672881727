//! `/auth/get`: account and routing numbers.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::accounts::AccountIdsOptions;
use super::models::{Account, Item};
use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/auth/`.
    pub fn auth(&self) -> AuthApi<'_> {
        AuthApi { client: self }
    }
}

/// Operations under `/auth/`. From [`Client::auth`].
#[derive(Debug, Clone, Copy)]
pub struct AuthApi<'a> {
    client: &'a Client,
}

impl AuthApi<'_> {
    /// `POST /auth/get`: account and routing numbers of the item's accounts.
    /// [Plaid docs](https://plaid.com/docs/api/products/auth/#authget)
    pub fn get(self, access_token: impl Into<String>) -> Call<AuthGetRequest> {
        Call::new(self.client, AuthGetRequest::new(access_token))
    }
}

/// Body of `POST /auth/get`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AuthGetRequest {
    /// The item's access token.
    pub access_token: String,
    /// Optional filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<AccountIdsOptions>,
}

impl AuthGetRequest {
    /// A request for the numbers behind `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            options: None,
        }
    }
}

impl Call<AuthGetRequest> {
    /// Limits the answer to these accounts.
    pub fn account_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let options = self
            .request_mut()
            .options
            .get_or_insert_with(Default::default);
        options.account_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }
}

impl PlaidRequest for AuthGetRequest {
    type Response = AuthGetResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/auth/get")
    }
}

/// Answer of `POST /auth/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthGetResponse {
    /// The accounts.
    pub accounts: Vec<Account>,
    /// Their numbers, by payment network.
    pub numbers: AuthNumbers,
    /// The item they belong to.
    pub item: Item,
    /// Plaid's request id.
    pub request_id: String,
}

/// Account numbers by network (the spec's `AuthGetNumbers`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthNumbers {
    /// US ACH numbers.
    #[serde(default)]
    pub ach: Vec<AchNumbers>,
    /// Canadian EFT numbers, as sent.
    #[serde(default)]
    pub eft: Vec<serde_json::Value>,
    /// IBAN/BIC numbers, as sent.
    #[serde(default)]
    pub international: Vec<serde_json::Value>,
    /// UK BACS numbers, as sent.
    #[serde(default)]
    pub bacs: Vec<serde_json::Value>,
}

/// US account and routing numbers of one account (the spec's `NumbersACH`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AchNumbers {
    /// The account these numbers belong to.
    pub account_id: String,
    /// The account number.
    pub account: String,
    /// The ACH routing number.
    pub routing: String,
    /// The wire routing number, when different.
    #[serde(default)]
    pub wire_routing: Option<String>,
    /// Whether the account number is a tokenized one (some OAuth institutions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_tokenized_account_number: Option<bool>,
    /// Whether the account accepts incoming transfers, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_transfer_in: Option<bool>,
    /// Whether the account allows outgoing transfers, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_transfer_out: Option<bool>,
}
