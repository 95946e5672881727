//! The generic engine, driven by the generated tables: echo of request
//! values, stored resources behind create/get/list/update/cancel, and the
//! request options that shape answers.

mod catalog;
pub(crate) mod families;
pub(crate) mod store;

use serde_json::{Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::spec::{schema, OperationSpec};
use crate::kit::{echo, options};
use crate::sandbox::State;

pub use catalog::{resource_families, sample_request, ResourceFamilyInfo};
pub(crate) use store::ResourceStore;

/// Whether the generic engine answers `path` (it belongs to a family no
/// product model owns).
pub(crate) fn is_engine_path(path: &str) -> bool {
    families::lookup(path).is_some()
}

/// Answers an operation no hand-written flow owns, from `canned` (the
/// table's answer) and what the store holds; `None` to send `canned` as is.
pub(crate) fn answer(
    state: &mut State,
    spec: &OperationSpec,
    body: &Map<String, Value>,
    canned: &Value,
) -> Option<Result<Value, ErrorAnswer>> {
    if let Some((family, verb)) = families::lookup(spec.path) {
        return Some(families::answer(state, family, verb, spec, body, canned));
    }
    let mut answer = canned.clone();
    echo::echo_answer(body, &mut answer, schema::answer(spec.method, spec.path));
    options::canned_lists(body, &mut answer);
    Some(Ok(answer))
}

/// Shapes any JSON answer by the request's options (`account_ids`,
/// `include_optional_metadata`, …) just before it is sent.
pub(crate) fn shape(spec: &OperationSpec, body: &Map<String, Value>, answer: &mut Value) {
    if let Some(ids) = options::account_ids(body) {
        options::only_accounts(answer, &ids);
    }
    options::institution_metadata(spec.path, body, answer);
    options::personal_finance_category(body, answer);
    if let Some(node) = schema::answer(spec.method, spec.path) {
        options::drop_forbidden_nulls(node, answer, 0);
    }
}

/// Whether the request limits its answer to some accounts (the pre-encoded
/// `/accounts/get` answer cannot be used then).
pub(crate) fn limits_accounts(body: &Map<String, Value>) -> bool {
    options::account_ids(body).is_some()
}
