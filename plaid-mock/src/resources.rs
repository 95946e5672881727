//! The generic engine, driven by the generated table: echo of request
//! values, stored resources behind create/get/list/update/cancel, and the
//! request options that shape answers.

use serde_json::{Map, Value};

use crate::errors::ErrorAnswer;
use crate::spec::OperationSpec;
use crate::state::State;

/// Resources stored by the generic engine (kept inside [`State`]).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ResourceStore {}

/// Answers an operation no hand-written flow owns, from `canned` (the
/// table's answer) and what the store holds; `None` to send `canned` as is.
pub(crate) fn answer(
    _state: &mut State,
    _spec: &OperationSpec,
    _body: &Map<String, Value>,
    _canned: &Value,
) -> Option<Result<Value, ErrorAnswer>> {
    None
}

/// Shapes any JSON answer by the request's options (`account_ids`,
/// `include_optional_metadata`, …) just before it is sent.
pub(crate) fn shape(_spec: &OperationSpec, _body: &Map<String, Value>, _answer: &mut Value) {}
