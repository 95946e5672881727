//! `/auth/verify` (Database Auth): account and routing numbers checked
//! against what the fake's network knows, the numbers `/auth/get` gives
//! for the linked items. Numbers of a linked account pass (with a name
//! score against its owner when a legal name is sent); numbers the network
//! does not know pass with caution when the routing number is a real ABA
//! number and the account number has a plausible form, and fail otherwise.

use serde_json::{json, Map, Value};

use super::identity_match::name_score;
use crate::kernel::errors::ErrorAnswer;
use crate::sandbox::State;

/// Answers `/auth/verify`.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    (path == "/auth/verify").then(|| Ok(verify(state, body)))
}

fn verify(state: &mut State, body: &Map<String, Value>) -> Value {
    let ach = &body.get("numbers").cloned().unwrap_or_default()["ach"];
    let account = ach["account"].as_str().unwrap_or_default().to_owned();
    let routing = ach["routing"].as_str().unwrap_or_default().to_owned();
    let owner = linked_owner(state, &account, &routing);
    let format_ok =
        (4..=17).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_digit());
    let status = match (&owner, aba_valid(&routing) && format_ok) {
        (Some(_), _) => "database_insights_pass",
        (None, true) => "database_insights_pass_with_caution",
        (None, false) => "database_insights_fail",
    };
    let mut insights = json!({
        "network_status": {"has_numbers_match": owner.is_some(),
                           "is_numbers_match_verified": owner.is_some()},
        "previous_returns": {"has_previous_administrative_return": false},
        "account_number_format": if format_ok { "valid" } else { "invalid" },
    });
    if let Some(legal_name) = body.get("legal_name").and_then(Value::as_str) {
        let score = owner
            .as_deref()
            .map_or(0, |o| name_score(legal_name, o).score);
        insights["name_match_score"] = json!(score);
    }
    json!({"verification_status": status, "verification_insights": insights})
}

/// The owner's name of the linked account with these numbers, if any.
fn linked_owner(state: &mut State, account: &str, routing: &str) -> Option<String> {
    let tokens: Vec<String> = state.access_tokens.keys().cloned().collect();
    for token in tokens {
        let body = Map::from_iter([("access_token".into(), json!(token))]);
        // Items that need a login answer no numbers; they are skipped.
        let Some(Ok(auth)) = state.answer("/auth/get", &body) else {
            continue;
        };
        let matched = auth["numbers"]["ach"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["account"] == account && n["routing"] == routing)
            .and_then(|n| n["account_id"].as_str().map(str::to_owned));
        let Some(account_id) = matched else {
            continue;
        };
        let identity = state.answer("/identity/get", &body)?.ok()?;
        return identity["accounts"]
            .as_array()?
            .iter()
            .find(|a| a["account_id"] == account_id.as_str())
            .and_then(|a| a["owners"][0]["names"][0].as_str())
            .map(str::to_owned);
    }
    None
}

/// Whether `routing` is nine digits with a valid ABA check digit.
fn aba_valid(routing: &str) -> bool {
    let digits: Vec<u32> = routing.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || routing.len() != 9 {
        return false;
    }
    let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 10 == 0
}
