//! What the suites share, once: the two ways of reaching a fake and the
//! `scenarios!` macro (`fake`), plain HTTP to a served fake or to the
//! `plaid-mock` binary (`wire`), items and tokens made through the client
//! and error checks (`items`).

mod fake;
mod items;
mod wire;

pub(crate) use fake::{scenario_tests, scenarios};
pub use fake::{Fake, Scenario};
pub use items::*;
pub use wire::*;
