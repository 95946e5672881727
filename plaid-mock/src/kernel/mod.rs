//! The kernel: what every other layer stands on. The fake's clock, its
//! random ids, Plaid's error answers, the journal of requests, webhook
//! signing, and the spec's tables (every operation's path, fields and
//! example answer, generated from Plaid's OpenAPI description).

pub(crate) mod clock;
pub(crate) mod errors;
pub(crate) mod journal;
pub(crate) mod rng;
pub(crate) mod spec;
pub(crate) mod time;
pub mod webhook_signing;
