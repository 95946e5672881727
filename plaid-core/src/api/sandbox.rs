//! `/sandbox/*`: shortcuts that exist only in the sandbox.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::models::Products;
use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/sandbox/` (sandbox environment only).
    pub fn sandbox(&self) -> SandboxApi<'_> {
        SandboxApi { client: self }
    }
}

/// Operations under `/sandbox/`. From [`Client::sandbox`].
#[derive(Debug, Clone, Copy)]
pub struct SandboxApi<'a> {
    client: &'a Client,
}

impl<'a> SandboxApi<'a> {
    /// Operations under `/sandbox/public_token/`.
    pub fn public_token(self) -> SandboxPublicTokenApi<'a> {
        SandboxPublicTokenApi {
            client: self.client,
        }
    }
}

/// Operations under `/sandbox/public_token/`.
#[derive(Debug, Clone, Copy)]
pub struct SandboxPublicTokenApi<'a> {
    client: &'a Client,
}

impl SandboxPublicTokenApi<'_> {
    /// `POST /sandbox/public_token/create`: links a test item without Link
    /// and returns its public token.
    /// [Plaid docs](https://plaid.com/docs/api/sandbox/#sandboxpublic_tokencreate)
    pub fn create<I, P>(
        self,
        institution_id: impl Into<String>,
        initial_products: I,
    ) -> Call<SandboxPublicTokenCreateRequest>
    where
        I: IntoIterator<Item = P>,
        P: Into<Products>,
    {
        Call::new(
            self.client,
            SandboxPublicTokenCreateRequest::new(institution_id, initial_products),
        )
    }
}

/// Body of `POST /sandbox/public_token/create`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SandboxPublicTokenCreateRequest {
    /// A sandbox institution, e.g. `ins_109508` (First Platypus Bank).
    pub institution_id: String,
    /// Products to initialise the item with.
    pub initial_products: Vec<Products>,
    /// Test user, webhook and transaction range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<SandboxPublicTokenCreateOptions>,
}

/// `options` of `POST /sandbox/public_token/create`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct SandboxPublicTokenCreateOptions {
    /// Webhook URL for the new item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    /// Sandbox user name (default `user_good`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_username: Option<String>,
    /// Sandbox password (default `pass_good`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_password: Option<String>,
}

impl SandboxPublicTokenCreateRequest {
    /// A request for a test item at `institution_id` with `initial_products`.
    pub fn new<I, P>(institution_id: impl Into<String>, initial_products: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<Products>,
    {
        Self {
            institution_id: institution_id.into(),
            initial_products: initial_products.into_iter().map(Into::into).collect(),
            options: None,
        }
    }
}

impl Call<SandboxPublicTokenCreateRequest> {
    /// Webhook URL for the new item.
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        let options = self
            .request_mut()
            .options
            .get_or_insert_with(Default::default);
        options.webhook = Some(url.into());
        self
    }

    /// Sandbox user name, e.g. `user_transactions_dynamic`.
    pub fn override_username(mut self, username: impl Into<String>) -> Self {
        let options = self
            .request_mut()
            .options
            .get_or_insert_with(Default::default);
        options.override_username = Some(username.into());
        self
    }

    /// Sandbox password.
    pub fn override_password(mut self, password: impl Into<String>) -> Self {
        let options = self
            .request_mut()
            .options
            .get_or_insert_with(Default::default);
        options.override_password = Some(password.into());
        self
    }
}

impl PlaidRequest for SandboxPublicTokenCreateRequest {
    type Response = SandboxPublicTokenCreateResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/sandbox/public_token/create")
    }
}

/// Answer of `POST /sandbox/public_token/create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SandboxPublicTokenCreateResponse {
    /// The new item's public token; exchange it with
    /// `client.item().public_token().exchange(..)`.
    pub public_token: String,
    /// Plaid's request id.
    pub request_id: String,
}
