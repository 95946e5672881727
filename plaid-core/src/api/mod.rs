//! Plaid operations with typed requests and responses, grouped by product.
//!
//! Each operation is reachable from the client by its path:
//! `/item/public_token/exchange` is `client.item().public_token().exchange(..)`,
//! `/transactions/get` is `client.transactions().get(..)`. Required fields are
//! arguments; optional ones are chained on the returned [`Call`](crate::Call),
//! which sends when awaited. The request types can also be built directly and
//! passed to [`Client::send`](crate::Client::send).
//!
//! This hand-written set covers the flows of Plaid's legacy client; every
//! other operation is callable through
//! [`Client::send_raw`](crate::Client::send_raw).

pub mod accounts;
pub mod auth;
pub mod categories;
mod dates;
pub mod item;
pub mod models;
pub mod processor;
pub mod sandbox;
pub mod transactions;
