//! `/processor/*`: tokens for Plaid's payment partners.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/processor/`.
    pub fn processor(&self) -> ProcessorApi<'_> {
        ProcessorApi { client: self }
    }
}

/// Operations under `/processor/`. From [`Client::processor`].
#[derive(Debug, Clone, Copy)]
pub struct ProcessorApi<'a> {
    client: &'a Client,
}

impl<'a> ProcessorApi<'a> {
    /// Operations under `/processor/stripe/`.
    pub fn stripe(self) -> ProcessorStripeApi<'a> {
        ProcessorStripeApi {
            client: self.client,
        }
    }
}

/// Operations under `/processor/stripe/`. From [`ProcessorApi::stripe`].
#[derive(Debug, Clone, Copy)]
pub struct ProcessorStripeApi<'a> {
    client: &'a Client,
}

impl<'a> ProcessorStripeApi<'a> {
    /// Operations under `/processor/stripe/bank_account_token/`.
    pub fn bank_account_token(self) -> ProcessorStripeBankAccountTokenApi<'a> {
        ProcessorStripeBankAccountTokenApi {
            client: self.client,
        }
    }
}

/// Operations under `/processor/stripe/bank_account_token/`.
#[derive(Debug, Clone, Copy)]
pub struct ProcessorStripeBankAccountTokenApi<'a> {
    client: &'a Client,
}

impl ProcessorStripeBankAccountTokenApi<'_> {
    /// `POST /processor/stripe/bank_account_token/create`: a Stripe bank
    /// account token (`btok_…`) for one account of the item.
    /// [Plaid docs](https://plaid.com/docs/api/processors/#processorstripebank_account_tokencreate)
    pub fn create(
        self,
        access_token: impl Into<String>,
        account_id: impl Into<String>,
    ) -> Call<ProcessorStripeBankAccountTokenCreateRequest> {
        Call::new(
            self.client,
            ProcessorStripeBankAccountTokenCreateRequest::new(access_token, account_id),
        )
    }
}

/// Body of `POST /processor/stripe/bank_account_token/create`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProcessorStripeBankAccountTokenCreateRequest {
    /// The item's access token.
    pub access_token: String,
    /// The account to tokenise.
    pub account_id: String,
}

impl ProcessorStripeBankAccountTokenCreateRequest {
    /// A request for a token of `account_id`.
    pub fn new(access_token: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self {
            access_token: access_token.into(),
            account_id: account_id.into(),
        }
    }
}

impl PlaidRequest for ProcessorStripeBankAccountTokenCreateRequest {
    type Response = ProcessorStripeBankAccountTokenCreateResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/processor/stripe/bank_account_token/create")
    }
}

/// Answer of `POST /processor/stripe/bank_account_token/create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessorStripeBankAccountTokenCreateResponse {
    /// The Stripe token, `btok_…`.
    pub stripe_bank_account_token: String,
    /// Plaid's request id.
    pub request_id: String,
}
