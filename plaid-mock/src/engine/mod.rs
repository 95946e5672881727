//! The generic engine, driven by the generated tables: echo of request
//! values, stored resources behind create/get/list/update/cancel, and the
//! request options that shape answers.

mod catalog;
pub(crate) mod families;
pub(crate) mod store;

use serde_json::{Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::spec::{schema, OperationSpec};
use crate::kit::{conform, echo, example, options};
use crate::sandbox::events::Event;
use crate::sandbox::State;

pub(crate) use catalog::engine_families;
pub use catalog::{sample_request, ResourceFamilyInfo};
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
/// `include_optional_metadata`, …) just before it is sent, and keeps it
/// within its schema ([`conform`]).
pub(crate) fn shape(spec: &OperationSpec, body: &Map<String, Value>, answer: &mut Value) {
    if let Some(ids) = options::account_ids(body) {
        options::only_accounts(answer, &ids);
    }
    options::personal_finance_category(body, answer);
    if let Some(node) = schema::answer(spec.method, spec.path) {
        options::drop_forbidden_nulls(node, answer, 0);
        conform::conform(node, answer, || example::example(spec.path));
    }
}

/// Forgets the stored objects of a removed item or user.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    let resources = state.products.get_mut::<ResourceStore>();
    match *event {
        Event::ItemRemoved { item_id } => resources.remove_item(item_id),
        Event::UserRemoved {
            user_id,
            user_token,
        } => {
            resources.remove_user(user_id);
            resources.remove_user(user_token);
        }
        _ => {}
    }
}
