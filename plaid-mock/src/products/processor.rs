//! The processor partner's side: a processor token (made by
//! `/processor/token/create`, a Stripe bank account token, or
//! `/sandbox/processor_token/create` with an item of its own) stands for
//! one account of an item, and the partner endpoints answer from that
//! account's data as the item's own endpoints would (`/processor/auth/get` is `/auth/get`
//! narrowed to the token's account, and so on).

use serde_json::{json, Map, Value};

use super::{identity_match, investments, item, liabilities, recurring, signal, transactions};
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;
use crate::kit::route::{Handled, Handler, Route};
use crate::sandbox::State;

/// `/processor/auth/get`, whose example says which account numbers a
/// processor sees.
const AUTH_GET: Route = Route::new("/processor/auth/get", |s, b| read(s, b, AUTH));

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a processor token never issued, of a removed item, or a token of another kind (the message names it) on a `/processor/…` read",
        400,
        "INVALID_INPUT",
        "INVALID_PROCESSOR_TOKEN",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/sandbox/processor_token/create", |state, body| {
        Some(sandbox_token(state, body))
    }),
    Route::new("/processor/token/create", |state, body| {
        let account_id = text(body, "account_id");
        Some(
            create(
                state,
                text(body, "access_token"),
                account_id,
                Kind::Processor,
            )
            .map(|token| json!({ "processor_token": token })),
        )
    }),
    Route::new(
        "/processor/stripe/bank_account_token/create",
        |state, body| {
            let account_id = text(body, "account_id");
            Some(
                create(state, text(body, "access_token"), account_id, Kind::Stripe)
                    .map(|token| json!({ "stripe_bank_account_token": token })),
            )
        },
    ),
    Route::new("/processor/account/get", |s, b| read(s, b, ACCOUNT)),
    Route::new("/processor/balance/get", |s, b| read(s, b, BALANCE)),
    AUTH_GET,
    Route::new("/processor/identity/get", |s, b| read(s, b, IDENTITY)),
    Route::new("/processor/identity/match", |s, b| {
        read(s, b, IDENTITY_MATCH)
    }),
    Route::new("/processor/transactions/recurring/get", |s, b| {
        read(s, b, RECURRING)
    }),
    Route::new("/processor/transactions/get", |s, b| {
        read(s, b, TRANSACTIONS)
    }),
    Route::new("/processor/transactions/sync", |s, b| {
        read(s, b, TRANSACTIONS_SYNC)
    }),
    Route::new("/processor/transactions/refresh", |s, b| {
        read(s, b, TRANSACTIONS_REFRESH)
    }),
    Route::new("/processor/liabilities/get", |s, b| read(s, b, LIABILITIES)),
    Route::new("/processor/investments/holdings/get", |s, b| {
        read(s, b, HOLDINGS)
    }),
    Route::new("/processor/investments/transactions/get", |s, b| {
        read(s, b, INVESTMENT_TRANSACTIONS)
    }),
    Route::new("/processor/investments/auth/get", |s, b| {
        read(s, b, INVESTMENTS_AUTH)
    }),
    Route::new("/processor/signal/evaluate", |s, b| {
        read(s, b, SIGNAL_EVALUATE)
    }),
    Route::new("/processor/signal/prepare", |s, b| {
        read(s, b, SIGNAL_PREPARE)
    }),
    Route::new("/processor/signal/decision/report", |s, b| {
        read(s, b, SIGNAL_DECISION)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/processor/signal/return/report", |s, b| {
        read(s, b, SIGNAL_RETURN)
    })
    .refuses_samples("INVALID_FIELD"),
];

/// How a partner read reaches the item operation behind it.
#[derive(Clone, Copy)]
struct Read {
    /// The item operation's handler.
    handler: Handler,
    /// The product `/processor/token/permissions/set` can take off the
    /// token for this read.
    product: &'static str,
    /// How the item operation is told which account the token stands for.
    account: AccountFilter,
    /// What the partner's answer adds to the item operation's.
    shape: Shape,
}

/// How the token's account is named in the item operation's request.
#[derive(Clone, Copy, PartialEq)]
enum AccountFilter {
    /// `account_id` (Signal calls name the account itself).
    AccountId,
    /// `account_ids`, at the top level.
    AccountIds,
    /// `options.account_ids` (paged answers count this account's records).
    Options,
    /// Not at all: the answer is narrowed afterwards.
    None,
}

/// What the partner's answer adds to the item operation's, beside being
/// narrowed to one account.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Plain,
    /// One account number of each kind, in the processor example's shape.
    OneNumberPerKind,
    /// The item's `institution_id` at the top level.
    WithInstitution,
}

const fn to(handler: Handler, product: &'static str, account: AccountFilter) -> Read {
    Read {
        handler,
        product,
        account,
        shape: Shape::Plain,
    }
}

const ACCOUNT: Read = Read {
    shape: Shape::WithInstitution,
    ..to(item::accounts, "", AccountFilter::Options)
};
const BALANCE: Read = to(item::accounts, "balance", AccountFilter::Options);
const AUTH: Read = Read {
    shape: Shape::OneNumberPerKind,
    ..to(item::auth, "auth", AccountFilter::Options)
};
const IDENTITY: Read = to(item::identity, "identity", AccountFilter::Options);
const IDENTITY_MATCH: Read = to(identity_match::handle, "identity", AccountFilter::Options);
const RECURRING: Read = to(recurring::handle, "transactions", AccountFilter::AccountIds);
const TRANSACTIONS: Read = to(transactions::get, "transactions", AccountFilter::Options);
const TRANSACTIONS_SYNC: Read = to(transactions::sync, "transactions", AccountFilter::None);
const TRANSACTIONS_REFRESH: Read = to(transactions::refresh, "transactions", AccountFilter::None);
const LIABILITIES: Read = to(liabilities::handle, "liabilities", AccountFilter::Options);
const HOLDINGS: Read = to(
    investments::holdings_get,
    "investments",
    AccountFilter::Options,
);
const INVESTMENT_TRANSACTIONS: Read = to(
    investments::transactions_get,
    "investments",
    AccountFilter::Options,
);
const INVESTMENTS_AUTH: Read = to(investments::auth_get, "investments", AccountFilter::Options);
const SIGNAL_EVALUATE: Read = to(signal::evaluate_handler, "signal", AccountFilter::AccountId);
const SIGNAL_PREPARE: Read = to(signal::prepare_handler, "signal", AccountFilter::AccountId);
const SIGNAL_DECISION: Read = to(signal::decision_handler, "signal", AccountFilter::AccountId);
const SIGNAL_RETURN: Read = to(signal::return_handler, "signal", AccountFilter::AccountId);

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
    let created = state.create_item(&link)?;
    let public_token = created["public_token"].as_str().unwrap_or_default();
    let exchanged = state.exchange(public_token)?;
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
        return Err(crate::kit::accounts::invalid_account_id());
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

/// A processor token (any partner's) for the account `account_id` of the
/// item behind `access_token`, as `/processor/token/create` makes it.
pub(crate) fn processor_token(
    state: &mut State,
    access_token: &str,
    account_id: &str,
) -> Result<String, ErrorAnswer> {
    create(state, access_token, account_id, Kind::Processor)
}

fn read(state: &mut State, body: &Map<String, Value>, read: Read) -> Handled {
    Some(read_inner(state, body, read))
}

fn read_inner(
    state: &mut State,
    body: &Map<String, Value>,
    read: Read,
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
    super::processor_permissions::check(state, token, read.product)?;
    // The partner's request, with the item's access token in place of the
    // processor token; the account filter where the item endpoint takes one.
    let mut inner = body.clone();
    inner.remove("processor_token");
    inner.insert("access_token".into(), json!(access_token));
    match read.account {
        AccountFilter::AccountId => {
            inner.insert("account_id".into(), json!(account_id));
        }
        AccountFilter::AccountIds => {
            inner.insert("account_ids".into(), json!([account_id]));
        }
        AccountFilter::Options => {
            let options = inner.entry("options").or_insert_with(|| json!({}));
            if let Some(options) = options.as_object_mut() {
                options.insert("account_ids".into(), json!([account_id]));
            }
        }
        AccountFilter::None => {}
    }
    let answered = (read.handler)(state, &inner).unwrap_or_else(|| {
        Err(ErrorAnswer::new(
            500,
            "API_ERROR",
            "INTERNAL_SERVER_ERROR",
            "the item operation behind this partner read made no answer",
        ))
    })?;
    Ok(narrow(read.shape, answered, &account_id))
}

/// The item endpoint's `answer` narrowed to one account, in the partner
/// endpoint's shape.
fn narrow(shape: Shape, mut answer: Value, account_id: &str) -> Value {
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
    if shape == Shape::OneNumberPerKind {
        if let Some(Value::Object(numbers)) = fields.get_mut("numbers") {
            one_number_per_kind(numbers);
        }
    }
    if shape == Shape::WithInstitution {
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
    let example = crate::kit::example::example(AUTH_GET.path);
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
