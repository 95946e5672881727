//! Link tokens: `/link/token/create` remembers what the token was made
//! with, and `/link/token/get` reads it back until the token expires.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use super::wire::{self, rfc3339_of, sent, text};
use crate::errors::ErrorAnswer;
use crate::state::State;

/// How long a link token lives.
const LIFETIME: Duration = Duration::hours(4);

/// One link token and the request it was made from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct LinkToken {
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// The `/link/token/create` body, without credentials.
    pub request: Map<String, Value>,
}

/// Every link token handed out, by token.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct LinkTokenState {
    pub tokens: BTreeMap<String, LinkToken>,
}

/// Answers the link token operations.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    Some(match path {
        "/link/token/create" => create(state, body),
        "/link/token/get" => get(state, text(body, "link_token")),
        _ => return None,
    })
}

/// Plaid's answer for a link token that is unknown or expired.
pub(crate) fn invalid_link_token() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_INPUT",
        "INVALID_LINK_TOKEN",
        "the link_token is unknown, expired, or from another environment",
    )
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    // Update mode names an existing item; Plaid checks its token.
    let access_token = text(body, "access_token");
    if !access_token.is_empty() {
        state.item_id_for(access_token)?;
    }
    let token = format!("link-sandbox-{}", state.rng.uuid());
    let now = state.now();
    let mut request = body.clone();
    request.remove("client_id");
    request.remove("secret");
    let stored = LinkToken {
        created_at: wire::unix(now),
        expires_at: wire::unix(now + LIFETIME),
        request,
    };
    let mut answer = json!({"link_token": token, "expiration": rfc3339_of(stored.expires_at)});
    if body.get("hosted_link").is_some_and(Value::is_object) {
        answer["hosted_link_url"] = json!(format!("https://secure.plaid.com/hl/{token}"));
    }
    if let Some(user_id) = body.get("user_id").filter(|v| v.is_string()) {
        answer["user_id"] = user_id.clone();
    }
    state.products.link_token.tokens.insert(token, stored);
    Ok(answer)
}

fn get(state: &State, token: &str) -> Result<Value, ErrorAnswer> {
    let now = wire::unix(state.now());
    let stored = state
        .products
        .link_token
        .tokens
        .get(token)
        .filter(|t| t.expires_at > now)
        .ok_or_else(invalid_link_token)?;
    let request = &stored.request;
    let mut metadata = json!({
        "initial_products": request.get("products").cloned().unwrap_or_else(|| json!([])),
        "webhook": sent(request, "webhook"),
        "country_codes": sent(request, "country_codes"),
        "language": sent(request, "language"),
        "redirect_uri": sent(request, "redirect_uri"),
        "client_name": sent(request, "client_name"),
    });
    for optional in ["institution_data", "account_filters"] {
        if let Some(value) = request.get(optional).filter(|v| v.is_object()) {
            metadata[optional] = value.clone();
        }
    }
    let mut answer = json!({
        "link_token": token,
        "created_at": rfc3339_of(stored.created_at),
        "expiration": rfc3339_of(stored.expires_at),
        "link_sessions": [],
        "metadata": metadata,
    });
    if let Some(user_id) = request.get("user_id").filter(|v| v.is_string()) {
        answer["user_id"] = user_id.clone();
    }
    Ok(answer)
}
