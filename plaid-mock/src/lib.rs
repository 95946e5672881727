//! A fake Plaid for tests: stateful, deterministic, in-process or over HTTP.
//!
//! [`MockPlaid`] behaves like Plaid's sandbox — public tokens that work once
//! and expire, items that are removed, broken and repaired, transactions that
//! page and sync, signed webhooks — and implements
//! [`HttpTransport`](plaid_core::HttpTransport), so a test needs no socket:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), plaid_core::Error> {
//! use plaid_core::models::Products;
//! use plaid_mock::MockPlaid;
//!
//! let mock = MockPlaid::new();
//! let client = mock.client();
//! let created = client
//!     .sandbox()
//!     .public_token()
//!     .create("ins_109508", vec![Products::Transactions])
//!     .await?;
//! let exchanged = client.item().public_token().exchange(&created.public_token).await?;
//! let accounts = client.accounts().get(&exchanged.access_token).await?;
//! assert_eq!(accounts.accounts[0].name, "Plaid Checking");
//! # Ok(()) }
//! ```
//!
//! The same fake is served over HTTP by the `plaid-mock` binary (see
//! [`server`]) for clients in any language, with its test controls over
//! HTTP under `/_mock/` and its state saved across restarts ([`persist`]).
//! [`sandbox_errors`] lists which misuse gives which Plaid error.
//!
//! # What keeps state
//!
//! - Items: public and access tokens, accounts (the test user's checking,
//!   saving, CD, credit card, money market, IRA, 401k, student loan and
//!   mortgage), Auth, Identity, Balance, Transactions (get and sync),
//!   processor tokens, webhooks, login resets.
//! - Investments (holdings, securities, investment transactions) and
//!   Liabilities, from the item's own accounts.
//! - Assets: reports made from the items' accounts, balances and
//!   transactions, ready a few seconds after `/asset_report/create`;
//!   refresh, filter, remove, audit copies.
//! - Watchlist Screening (individuals and entities): screenings as made,
//!   hits for listed names (the spec's sample ones, `Aleksey Potemkin` and
//!   `Al-Qaida`), reviews that confirm or dismiss hits and move the status,
//!   and the history of edits.
//! - Statements: twelve monthly statements per depository and credit
//!   account, their PDFs, and a refresh that notifies the item's webhook.
//! - Users and Income: Link sessions finished on a link token
//!   ([`MockPlaid::complete_link`], `POST /_mock/link/complete`) or made
//!   by `/sandbox/public_token/create` for a user; Bank Income reports
//!   from the items' credits; Payroll and Document Income (pay stubs, W-2s,
//!   employment, refresh, risk signals) and the older Income/Employment
//!   verification API from one payroll record per item; the Income sandbox
//!   webhooks.
//! - Link tokens, Transfer, Bank Transfer, Payment Initiation recipients
//!   and payments, Identity Verification, Signal, Enrich, institutions.
//! - Every other create/get/list/update family the spec describes, through
//!   the generic engine ([`resource_families`]); the remaining operations
//!   answer with the spec's example, carrying back the values the request
//!   sent.

#![warn(missing_docs)]

mod engine;
mod kernel;
mod kit;
mod mock;
mod products;
mod sandbox;
pub mod sandbox_errors;
pub mod server;

pub use engine::{resource_families, sample_request, ResourceFamilyInfo};
pub use kernel::errors::ErrorAnswer;
pub use kernel::journal::{
    AnswerSource, DeliveryResult, RecordedRequest, WebhookDelivery, RECORD_LIMIT,
};
pub use kernel::webhook_signing;
pub use mock::persist;
pub use mock::{MockPlaid, MockPlaidBuilder};
