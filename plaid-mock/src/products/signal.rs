//! Signal: evaluations are about an item's account, so the access token
//! must work and the account must be the item's; the scores are the
//! sandbox's fixed ones.

use serde_json::{Map, Value};

use super::items;
use super::wire::{example, text};
use crate::errors::{self, ErrorAnswer};
use crate::state::State;

/// Answers the Signal operations that name an item.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    Some(match path {
        "/signal/evaluate" => evaluate(state, body),
        "/signal/prepare" => state
            .item_id_for(text(body, "access_token"))
            .map(|_| example(path)),
        _ => return None,
    })
}

fn evaluate(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    items::account(state, text(body, "access_token"), text(body, "account_id"))?;
    let amount = body.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
    if amount <= 0.0 {
        return Err(errors::invalid_field("amount must be greater than 0"));
    }
    Ok(example("/signal/evaluate"))
}
