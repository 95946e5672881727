//! `/categories/get`: the legacy category list. Needs no credentials.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{Call, Client, PlaidRequest};

impl Client {
    /// Operations under `/categories/`.
    pub fn categories(&self) -> CategoriesApi<'_> {
        CategoriesApi { client: self }
    }
}

/// Operations under `/categories/`. From [`Client::categories`].
#[derive(Debug, Clone, Copy)]
pub struct CategoriesApi<'a> {
    client: &'a Client,
}

impl CategoriesApi<'_> {
    /// `POST /categories/get`: every legacy transaction category. Works on a
    /// client without credentials.
    /// [Plaid docs](https://plaid.com/docs/api/products/transactions/#categoriesget)
    pub fn get(self) -> Call<CategoriesGetRequest> {
        Call::new(self.client, CategoriesGetRequest::default())
    }
}

/// Body of `POST /categories/get` (empty).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct CategoriesGetRequest {}

impl PlaidRequest for CategoriesGetRequest {
    type Response = CategoriesGetResponse;
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed("/categories/get")
    }
    fn requires_credentials(&self) -> bool {
        false
    }
}

/// Answer of `POST /categories/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CategoriesGetResponse {
    /// The categories.
    pub categories: Vec<Category>,
    /// Plaid's request id.
    pub request_id: String,
}

/// One legacy category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Category {
    /// Its id, e.g. `10000000`.
    pub category_id: String,
    /// `place`, `digital` or `special`.
    pub group: String,
    /// From the broadest to the most specific name.
    pub hierarchy: Vec<String>,
}
