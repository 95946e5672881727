//! `/accounts/get`: an item's accounts with cached balances.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::models::{Account, Item};
use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/accounts/`.
    pub fn accounts(&self) -> AccountsApi<'_> {
        AccountsApi { client: self }
    }
}

/// Operations under `/accounts/`. From [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct AccountsApi<'a> {
    client: &'a Client,
}

impl AccountsApi<'_> {
    /// `POST /accounts/get`: the item's accounts.
    /// [Plaid docs](https://plaid.com/docs/api/accounts/#accountsget)
    pub fn get(self, access_token: impl Into<String>) -> Call<AccountsGetRequest> {
        Call::new(self.client, AccountsGetRequest::new(access_token))
    }
}

/// Body of `POST /accounts/get`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AccountsGetRequest {
    /// The item's access token.
    pub access_token: String,
    /// Optional filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<AccountIdsOptions>,
}

/// `options` of requests that can be limited to some accounts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct AccountIdsOptions {
    /// Only these accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
}

impl AccountsGetRequest {
    /// A request for the accounts behind `access_token`.
    pub fn new(access_token: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            options: None,
        }
    }
}

impl Call<AccountsGetRequest> {
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

impl PlaidRequest for AccountsGetRequest {
    type Response = AccountsGetResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/accounts/get")
    }
}

/// Answer of `POST /accounts/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountsGetResponse {
    /// The accounts.
    pub accounts: Vec<Account>,
    /// The item they belong to.
    pub item: Item,
    /// Plaid's request id.
    pub request_id: String,
}
