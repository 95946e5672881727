//! Product lifecycles the generic engine cannot infer (Transfer, Payment
//! Initiation, Identity Verification, …), each as Plaid's sandbox runs it.

use serde_json::{Map, Value};

use crate::errors::ErrorAnswer;
use crate::state::State;

mod canned;
mod enrich;
mod identity_verification;

/// What the product lifecycles remember (kept inside [`State`]).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ProductState {
    pub identity_verification: identity_verification::IdvState,
}

/// Answers `path` if a product lifecycle owns it, else `None`.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    None.or_else(|| identity_verification::answer(state, path, body))
        .or_else(|| enrich::answer(path, body))
}
