//! Product lifecycles the generic engine cannot infer (Transfer, Payment
//! Initiation, Identity Verification, …), each as Plaid's sandbox runs it.

use serde_json::{Map, Value};

use crate::errors::ErrorAnswer;
use crate::state::State;

/// What the product lifecycles remember (kept inside [`State`]).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ProductState {}

/// Answers `path` if a product lifecycle owns it, else `None`.
pub(crate) fn answer(
    _state: &mut State,
    _path: &str,
    _body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    None
}
