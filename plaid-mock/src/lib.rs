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
//! # How the crate is built
//!
//! Seven layers, each a folder; a module imports only from its own layer or
//! the ones below it, and no two modules import each other (a test,
//! `plaid-codegen/tests/import_graph.rs`, keeps both true):
//!
//! 1. **kernel** — what everything stands on: the fake's clock, its random
//!    ids, Plaid's error answers, the journal of requests, webhook signing,
//!    and the spec's tables (every operation's path, fields and example
//!    answer, generated from Plaid's OpenAPI description).
//! 2. **sandbox** — the core state: institutions, items and their accounts,
//!    transactions and investment history, users, public, access and
//!    processor tokens, webhooks waiting to go out. It knows no product:
//!    products keep their own state in its store (by type) and react to
//!    its events (an item linked or removed, a user removed, a payment
//!    settled) through hooks.
//! 3. **kit** — what handlers build answers with, one of each: the spec's
//!    example, echo of request values, readers of request fields, time
//!    formatting, money, paging, the options that shape answers, the last
//!    step that keeps every answer within its schema, and the route entry
//!    types.
//! 4. **products** and the generic **engine** — each product module owns
//!    its state and lists the operations it answers as route entries; the
//!    engine answers the create/get/list/update families no product models.
//! 5. **router** — one table from path to handler, built once from every
//!    product's entries; what the table lacks goes to the engine or the
//!    spec's example, chosen there alone. [`modelled_operations`] lists
//!    the table.
//! 6. **mock** and **server** — [`MockPlaid`] in-process with its test
//!    controls, and the same fake over HTTP with the control API and a
//!    stand-in for Plaid Link in the browser ([`server::link`]).
//! 7. **cassette** — record a session with an upstream (Plaid's sandbox),
//!    replay it with no network ([`cassette::Replayer`], an
//!    [`HttpTransport`](plaid_core::HttpTransport)), and diff the fake
//!    against it.
//!
//! # Adding a product
//!
//! ```text
//! // plaid-mock/src/products/widgets.rs
//! #[derive(Debug, Default, Serialize, Deserialize)]
//! pub(crate) struct WidgetState { widgets: Vec<Value> }
//! impl Kept for WidgetState { const KEY: &'static str = "widgets"; }
//! pub(crate) const ROUTES: &[Route] = &[Route::new("/widget/create", |s, b| Some(create(s, b)))];
//! pub(crate) const REFUSALS: &[Refusal] = &[Refusal::new(
//!     "a `widget_id` never made", 400, "INVALID_REQUEST", "INVALID_FIELD")];
//! // products/mod.rs: `mod widgets;` and, in PRODUCTS,
//! Product::new("widgets", widgets::ROUTES).about("widgets")
//!     .refuses(widgets::REFUSALS).keeps::<widgets::WidgetState>(),
//! ```
//!
//! Then its tests, and `PLAID_MOCK_BLESS=1 cargo test -p plaid-mock --lib`
//! to write the lists made from the table ("What keeps state" below and
//! [`sandbox_errors`]); nothing else changes (the engine's families, the
//! answer-source counts and the sample-id refusals follow the table).
//!
//! # What keeps state
//!
//! Every product model, by its name in [`modelled_operations`], with the
//! operations its route entries answer (this list is made from the route
//! table; a test keeps it so):
//!
#![doc = include_str!("what_keeps_state.md")]
//!
//! - Every other create/get/list/update family the spec describes, through
//!   the generic engine ([`resource_families`]); the remaining operations
//!   answer with the spec's example, carrying back the values the request
//!   sent.

#![warn(missing_docs)]

pub mod cassette;
mod engine;
mod kernel;
mod kit;
mod mock;
mod products;
mod router;
mod sandbox;
pub mod sandbox_errors;
pub mod server;

pub use engine::{sample_request, ResourceFamilyInfo};
pub use kernel::errors::ErrorAnswer;
pub use kernel::journal::{
    AnswerSource, DeliveryResult, RecordedRequest, WebhookDelivery, RECORD_LIMIT,
};
pub use kernel::webhook_signing;
pub use mock::persist;
pub use mock::{MockPlaid, MockPlaidBuilder};
pub use router::{
    modelled_operations, product_models, resource_families, ModelledOperation, ProductModel,
};
