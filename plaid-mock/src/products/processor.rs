//! The processor partner's side: a processor token (made by
//! `/processor/token/create`, a Stripe bank account token, or
//! `/sandbox/processor_token/create` with an item of its own) stands for
//! one account of an item, and the partner endpoints answer from that
//! account's data as the item's own endpoints would (`/processor/auth/get` is `/auth/get`
//! narrowed to the token's account, and so on).

use serde_json::{json, Map, Value};

use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;
use crate::sandbox::State;

/// The item endpoint each partner endpoint reads.
const READS: &[(&str, &str)] = &[
    ("/processor/account/get", "/accounts/get"),
    ("/processor/balance/get", "/accounts/balance/get"),
    ("/processor/auth/get", "/auth/get"),
    ("/processor/identity/get", "/identity/get"),
    ("/processor/identity/match", "/identity/match"),
    (
        "/processor/transactions/recurring/get",
        "/transactions/recurring/get",
    ),
    ("/processor/transactions/get", "/transactions/get"),
    ("/processor/transactions/sync", "/transactions/sync"),
    ("/processor/transactions/refresh", "/transactions/refresh"),
    ("/processor/liabilities/get", "/liabilities/get"),
    (
        "/processor/investments/holdings/get",
        "/investments/holdings/get",
    ),
    (
        "/processor/investments/transactions/get",
        "/investments/transactions/get",
    ),
    ("/processor/signal/evaluate", "/signal/evaluate"),
    ("/processor/signal/prepare", "/signal/prepare"),
    (
        "/processor/signal/decision/report",
        "/signal/decision/report",
    ),
    ("/processor/signal/return/report", "/signal/return/report"),
    ("/processor/investments/auth/get", "/investments/auth/get"),
];

/// Answers the processor endpoints that read an item's data.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    let account_id = text(body, "account_id");
    match path {
        "/sandbox/processor_token/create" => return Some(sandbox_token(state, body)),
        "/processor/token/create" => {
            return Some(
                create(
                    state,
                    text(body, "access_token"),
                    account_id,
                    Kind::Processor,
                )
                .map(|token| json!({ "processor_token": token })),
            )
        }
        "/processor/stripe/bank_account_token/create" => {
            return Some(
                create(state, text(body, "access_token"), account_id, Kind::Stripe)
                    .map(|token| json!({ "stripe_bank_account_token": token })),
            )
        }
        _ => {}
    }
    let (_, item_path) = READS.iter().find(|(p, _)| *p == path)?;
    Some(read(state, path, item_path, body))
}

/// `/sandbox/processor_token/create`: a new sandbox item at the request's
/// institution (with its test credentials), linked as
/// `/sandbox/public_token/create` links one, and a processor token for its
/// first account (the checking account).
fn sandbox_token(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let mut link = Map::new();
    link.insert("institution_id".into(), json!(text(body, "institution_id")));
    link.insert("initial_products".into(), json!(["auth"]));
    if let Some(options) = body.get("options").filter(|o| o.is_object()) {
        link.insert("options".into(), options.clone());
    }
    let answer = |state: &mut State, path: &str, body: &Map<String, Value>| {
        state.answer(path, body).unwrap_or_else(|| {
            Err(ErrorAnswer::new(
                500,
                "API_ERROR",
                "INTERNAL_SERVER_ERROR",
                format!("the fake has no model behind {path}"),
            ))
        })
    };
    let created = answer(state, "/sandbox/public_token/create", &link)?;
    let exchange = Map::from_iter([("public_token".into(), created["public_token"].clone())]);
    let exchanged = answer(state, "/item/public_token/exchange", &exchange)?;
    let item_id = exchanged["item_id"].as_str().unwrap_or_default();
    let account_id = state
        .items
        .get(item_id)
        .and_then(|item| item.accounts.first())
        .map(|a| a.account_id.clone())
        .unwrap_or_default();
    let access_token = exchanged["access_token"].as_str().unwrap_or_default();
    let token = create(state, access_token, &account_id, Kind::Processor)?;
    Ok(json!({ "processor_token": token }))
}

/// The kinds of token that stand for one account of an item.
#[derive(Clone, Copy)]
enum Kind {
    /// `processor-sandbox-<uuid>`, for any partner.
    Processor,
    /// Stripe's `btok_…` bank account token.
    Stripe,
}

/// A new token of `kind` for the account `account_id` of the item behind
/// `access_token`.
fn create(
    state: &mut State,
    access_token: &str,
    account_id: &str,
    kind: Kind,
) -> Result<String, ErrorAnswer> {
    let item = state.healthy_item(access_token)?;
    if !item.accounts.iter().any(|a| a.account_id == account_id) {
        return Err(crate::kit::items::invalid_account_id());
    }
    let item_id = item.item_id.clone();
    let token = match kind {
        Kind::Stripe => format!("btok_{}", &state.rng.id()[..24]),
        Kind::Processor => format!("processor-sandbox-{}", state.rng.uuid()),
    };
    state
        .processor_tokens
        .insert(token.clone(), (item_id, account_id.to_owned()));
    Ok(token)
}

fn read(
    state: &mut State,
    path: &str,
    item_path: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let token = body
        .get("processor_token")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some((item_id, account_id)) = state.processor_tokens.get(token).cloned() else {
        return Err(errors::processor_token_error(token));
    };
    let Some(access_token) = state.access_token_of(&item_id) else {
        return Err(errors::processor_token_error(token));
    };
    super::processor_permissions::check(state, token, path)?;
    // The partner's request, with the item's access token in place of the
    // processor token; the account filter where the item endpoint takes one.
    let mut inner = body.clone();
    inner.remove("processor_token");
    inner.insert("access_token".into(), json!(access_token));
    if item_path.starts_with("/signal/") {
        // Signal calls name the account itself.
        inner.insert("account_id".into(), json!(account_id));
    } else if item_path == "/transactions/recurring/get" {
        inner.insert("account_ids".into(), json!([account_id]));
    } else if item_path != "/transactions/sync" && item_path != "/transactions/refresh" {
        // Paged answers count this account's records only.
        let options = inner.entry("options").or_insert_with(|| json!({}));
        if let Some(options) = options.as_object_mut() {
            options.insert("account_ids".into(), json!([account_id]));
        }
    }
    let answered = state
        .answer(item_path, &inner)
        .or_else(|| super::answer(state, item_path, &inner))
        .unwrap_or_else(|| {
            Err(ErrorAnswer::new(
                500,
                "API_ERROR",
                "INTERNAL_SERVER_ERROR",
                format!("the fake has no model behind {path}"),
            ))
        })?;
    Ok(narrow(path, answered, &account_id))
}

/// The item endpoint's `answer` narrowed to one account, in the partner
/// endpoint's shape.
fn narrow(path: &str, mut answer: Value, account_id: &str) -> Value {
    let Some(fields) = answer.as_object_mut() else {
        return answer;
    };
    let mine = |v: &Value| v.get("account_id").and_then(Value::as_str) == Some(account_id);
    let account = fields
        .remove("accounts")
        .and_then(|accounts| match accounts {
            Value::Array(list) => list.into_iter().find(|a| mine(a)),
            _ => None,
        });
    let institution_id = fields
        .remove("item")
        .and_then(|item| item.get("institution_id").cloned());
    // Every list of per-account records keeps this account's only, one
    // object down too (`numbers.ach`, `liabilities.credit`).
    for value in fields.values_mut() {
        keep_account(value, account_id, 0);
    }
    if let Some(account) = account {
        fields.insert("account".into(), account);
    }
    if path == "/processor/auth/get" {
        if let Some(Value::Object(numbers)) = fields.get_mut("numbers") {
            one_number_per_kind(numbers);
        }
    }
    if path == "/processor/account/get" {
        if let Some(id) = institution_id {
            fields.insert("institution_id".into(), id);
        }
    }
    answer
}

/// Drops the records of other accounts from the arrays in `value`.
fn keep_account(value: &mut Value, account_id: &str, depth: usize) {
    match value {
        Value::Array(list) if list.iter().any(|v| v.get("account_id").is_some()) => {
            list.retain(|v| v.get("account_id").and_then(Value::as_str) == Some(account_id));
        }
        Value::Object(inner) if depth == 0 => {
            for nested in inner.values_mut() {
                keep_account(nested, account_id, depth + 1);
            }
        }
        _ => {}
    }
}

/// A partner gets one account's numbers of each kind (`ach`, `eft`, …), as
/// an object with the fields the spec's example has, or `null`.
fn one_number_per_kind(numbers: &mut Map<String, Value>) {
    let example = crate::kit::fields::example("/processor/auth/get");
    for (kind, value) in numbers.iter_mut() {
        let fields = example["numbers"][kind.as_str()].as_object();
        let first = match value {
            Value::Array(list) => list.first().cloned(),
            _ => None,
        };
        *value = match (first, fields) {
            (Some(Value::Object(mut entry)), Some(fields)) => {
                entry.retain(|name, _| fields.contains_key(name));
                Value::Object(entry)
            }
            _ => Value::Null,
        };
    }
}
