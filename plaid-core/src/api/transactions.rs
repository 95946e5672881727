//! `/transactions/get`: an item's transactions between two dates, by page.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::dates::{iso_date, rfc3339};
use super::models::{Account, Item};
use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/transactions/`.
    pub fn transactions(&self) -> TransactionsApi<'_> {
        TransactionsApi { client: self }
    }
}

/// Operations under `/transactions/`. From [`Client::transactions`].
#[derive(Debug, Clone, Copy)]
pub struct TransactionsApi<'a> {
    client: &'a Client,
}

impl TransactionsApi<'_> {
    /// `POST /transactions/get`: one page of transactions dated from
    /// `start_date` to `end_date` (both included). Chain
    /// [`count`](Call::count) (1–500, default 100) and
    /// [`offset`](Call::offset) to page; the answer's `total_transactions`
    /// says when to stop.
    /// [Plaid docs](https://plaid.com/docs/api/products/transactions/#transactionsget)
    pub fn get(
        self,
        access_token: impl Into<String>,
        start_date: Date,
        end_date: Date,
    ) -> Call<TransactionsGetRequest> {
        Call::new(
            self.client,
            TransactionsGetRequest::new(access_token, start_date, end_date),
        )
    }
}

/// Body of `POST /transactions/get`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TransactionsGetRequest {
    /// The item's access token.
    pub access_token: String,
    /// First date included.
    #[serde(with = "iso_date")]
    pub start_date: Date,
    /// Last date included.
    #[serde(with = "iso_date")]
    pub end_date: Date,
    /// Paging and filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<TransactionsGetOptions>,
}

/// `options` of `POST /transactions/get`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct TransactionsGetOptions {
    /// Only these accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
    /// Page size, 1–500 (Plaid's default: 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// How many transactions to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// Include the bank's raw description of each transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_original_description: Option<bool>,
}

impl TransactionsGetRequest {
    /// A request for transactions from `start_date` to `end_date`.
    pub fn new(access_token: impl Into<String>, start_date: Date, end_date: Date) -> Self {
        Self {
            access_token: access_token.into(),
            start_date,
            end_date,
            options: None,
        }
    }

    fn options_mut(&mut self) -> &mut TransactionsGetOptions {
        self.options.get_or_insert_with(Default::default)
    }
}

impl Call<TransactionsGetRequest> {
    /// Page size, 1–500.
    pub fn count(mut self, count: u32) -> Self {
        self.request_mut().options_mut().count = Some(count);
        self
    }

    /// How many transactions to skip.
    pub fn offset(mut self, offset: u32) -> Self {
        self.request_mut().options_mut().offset = Some(offset);
        self
    }

    /// Only these accounts.
    pub fn account_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.request_mut().options_mut().account_ids =
            Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Include the bank's raw description of each transaction.
    pub fn include_original_description(mut self, include: bool) -> Self {
        self.request_mut()
            .options_mut()
            .include_original_description = Some(include);
        self
    }
}

impl PlaidRequest for TransactionsGetRequest {
    type Response = TransactionsGetResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/transactions/get")
    }
}

/// Answer of `POST /transactions/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransactionsGetResponse {
    /// The accounts the transactions belong to.
    pub accounts: Vec<Account>,
    /// This page of transactions.
    pub transactions: Vec<Transaction>,
    /// How many transactions match in all pages.
    pub total_transactions: u32,
    /// The item.
    pub item: Item,
    /// Plaid's request id.
    pub request_id: String,
}

/// One transaction (the main fields of the spec's `Transaction`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// Plaid's id for the transaction.
    pub transaction_id: String,
    /// The account it belongs to.
    pub account_id: String,
    /// Amount; positive when money leaves the account.
    pub amount: f64,
    /// ISO 4217 currency code.
    #[serde(default)]
    pub iso_currency_code: Option<String>,
    /// Code for a currency without an ISO code.
    #[serde(default)]
    pub unofficial_currency_code: Option<String>,
    /// Date posted (or authorised, for pending transactions).
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Date the transaction was authorised.
    #[serde(default, with = "iso_date::option")]
    pub authorized_date: Option<Date>,
    /// Time posted, when the institution provides it.
    #[serde(default, with = "rfc3339::option")]
    pub datetime: Option<OffsetDateTime>,
    /// Merchant or description.
    #[serde(default)]
    pub name: String,
    /// The merchant's name, when Plaid recognised it.
    #[serde(default)]
    pub merchant_name: Option<String>,
    /// Whether the transaction is still pending.
    pub pending: bool,
    /// The pending transaction this one settled.
    #[serde(default)]
    pub pending_transaction_id: Option<String>,
    /// `online`, `in store` or `other`.
    #[serde(default)]
    pub payment_channel: String,
    /// Legacy category hierarchy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Vec<String>>,
    /// Legacy category id (see `/categories/get`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
}
