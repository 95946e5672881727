//! Link tokens: `/link/token/create` remembers what the token was made
//! with, and `/link/token/get` reads it back until the token expires, with
//! the Link sessions finished on it. The end user finishing Link is the
//! test control [`complete`] (`MockPlaid::complete_link`,
//! `POST /_mock/link/complete`), or the person going through the Link
//! stand-in's panes (`link_flow`): it links an item with the token's
//! products, webhook, user and Income options, as Link would, or repairs
//! the token's item in update mode.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::Duration;

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::time::{rfc3339, rfc3339_of};
use crate::kit::fields::{sent, text};
use crate::kit::route::Route;
use crate::sandbox::institutions::institution_name;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// Where [`complete`] links the item when the test names no institution
/// (First Platypus Bank, the sandbox's usual one).
pub(crate) const DEFAULT_INSTITUTION: &str = "ins_109508";

/// The base URL of `hosted_link_url` in-process, where the fake has no
/// address of its own: a reserved name that never resolves. The HTTP server
/// answers its own base URL in its place.
pub(crate) const HOSTED_LINK_PLACEHOLDER: &str = "http://plaid-mock.invalid";

/// The path of a Hosted Link session under the fake's base URL; the token
/// follows it.
pub(crate) const HOSTED_LINK_PATH: &str = "/hl/";

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
    /// `LinkTokenGetSessionsResponse` objects of the sessions finished on
    /// the token, oldest first.
    #[serde(default)]
    pub sessions: Vec<Value>,
}

/// Every link token handed out, by token.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct LinkTokenState {
    pub tokens: BTreeMap<String, LinkToken>,
}

impl Kept for LinkTokenState {
    const KEY: &'static str = "link_token";
}

/// `/link/token/create`, whose answer's `hosted_link_url` the HTTP server
/// points at itself.
pub(crate) const CREATE: Route = Route::new("/link/token/create", |state, body| {
    Some(create(state, body))
});

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    CREATE,
    Route::new("/link/token/get", |state, body| {
        Some(get(state, text(body, "link_token")))
    })
    .refuses_samples("INVALID_LINK_TOKEN"),
];

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
        created_at: crate::kernel::time::unix(now),
        expires_at: crate::kernel::time::unix(now + LIFETIME),
        request,
        sessions: Vec::new(),
    };
    let mut answer = json!({"link_token": token, "expiration": rfc3339_of(stored.expires_at)});
    if body.get("hosted_link").is_some_and(Value::is_object) {
        answer["hosted_link_url"] = json!(format!(
            "{HOSTED_LINK_PLACEHOLDER}{HOSTED_LINK_PATH}{token}"
        ));
    }
    if let Some(user_id) = body.get("user_id").filter(|v| v.is_string()) {
        answer["user_id"] = user_id.clone();
    }
    state
        .products
        .get_mut::<LinkTokenState>()
        .tokens
        .insert(token, stored);
    Ok(answer)
}

fn get(state: &State, token: &str) -> Result<Value, ErrorAnswer> {
    let now = crate::kernel::time::unix(state.now());
    let stored = state
        .products
        .get::<LinkTokenState>()
        .tokens
        .get(token)
        .filter(|t| t.expires_at > now)
        .ok_or_else(invalid_link_token)?;
    let request = &stored.request;
    let mut metadata = json!({
        "initial_products": request.get("products").filter(|p| !p.is_null()).cloned().unwrap_or_else(|| json!([])),
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
        "link_sessions": stored.sessions,
        "metadata": metadata,
    });
    if let Some(user_id) = request.get("user_id").filter(|v| v.is_string()) {
        answer["user_id"] = user_id.clone();
    }
    Ok(answer)
}

/// The end user finishes Link on `token` at `institution_id` (default
/// [`DEFAULT_INSTITUTION`]): an item is linked with the token's products
/// and webhook, for the token's user when it was made with a
/// `user_token`, with its `income_verification` options; the session is
/// kept for `/link/token/get` (and, for a user, `/credit/sessions/get`).
/// Answers `{public_token, link_session_id, item_id}`. An unknown or
/// expired token → `INVALID_LINK_TOKEN`.
pub(crate) fn complete(
    state: &mut State,
    token: &str,
    institution_id: Option<&str>,
) -> Result<Value, ErrorAnswer> {
    complete_as(state, token, institution_id, &Person::default())
}

/// What the person chose in Link's panes, beyond the institution.
#[derive(Debug, Default)]
pub(crate) struct Person<'a> {
    /// The sandbox username typed (`None`: `user_good`).
    pub username: Option<&'a str>,
    /// The positions (in the institution's account list) of the accounts
    /// picked on the account selection pane; `None`: every account.
    pub accounts: Option<&'a [usize]>,
    /// The Link session's id, when the panes made one.
    pub session_id: Option<String>,
}

/// The request a live (known, unexpired) link token was made from.
pub(crate) fn live_request(state: &State, token: &str) -> Result<Map<String, Value>, ErrorAnswer> {
    let now = crate::kernel::time::unix(state.now());
    state
        .products
        .get::<LinkTokenState>()
        .tokens
        .get(token)
        .filter(|t| t.expires_at > now)
        .map(|t| t.request.clone())
        .ok_or_else(invalid_link_token)
}

/// [`complete`] with what the person chose. A token made with an
/// `access_token` (update mode) repairs that item (the `LOGIN_REPAIRED`
/// webhook when it needed a login) and links no new one. A token made
/// with `hosted_link` sends the token's webhook `LINK` /
/// `SESSION_FINISHED` with the public token.
pub(crate) fn complete_as(
    state: &mut State,
    token: &str,
    institution_id: Option<&str>,
    person: &Person<'_>,
) -> Result<Value, ErrorAnswer> {
    let request = live_request(state, token)?;
    let started = state.now();
    let access_token = text(&request, "access_token");
    if !access_token.is_empty() {
        return update(state, token, &request, access_token, person);
    }
    let mut body = Map::new();
    body.insert(
        "institution_id".into(),
        json!(institution_id.unwrap_or(DEFAULT_INSTITUTION)),
    );
    body.insert(
        "initial_products".into(),
        request
            .get("products")
            .filter(|p| !p.is_null())
            .cloned()
            .unwrap_or_else(|| json!([])),
    );
    let mut options = Map::new();
    for (from, to) in [
        ("webhook", "webhook"),
        ("income_verification", "income_verification"),
    ] {
        if let Some(value) = request.get(from).filter(|v| !v.is_null()) {
            options.insert(to.into(), value.clone());
        }
    }
    if let Some(name) = person.username {
        options.insert("override_username".into(), json!(name));
    }
    body.insert("options".into(), Value::Object(options));
    for field in ["user_token", "user_id"] {
        if let Some(value) = request.get(field).filter(|v| v.is_string()) {
            body.insert(field.into(), value.clone());
        }
    }
    let created = state.create_item(&body)?;
    let public_token = created["public_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let item_id = state
        .public_tokens
        .get(&public_token)
        .map(|(item, _, _)| item.clone())
        .unwrap_or_default();
    if let Some(kept) = person.accounts {
        keep_accounts(state, &item_id, kept);
    }
    let owner = crate::sandbox::users::link_owner(state, &body)
        .ok()
        .flatten();
    let credit = owner
        .as_deref()
        .and_then(|user| crate::products::link_sessions::session_of(state, user, &item_id));
    let (session_id, results) = match credit {
        Some(session) => (
            session["link_session_id"].clone(),
            session["results"].clone(),
        ),
        None => {
            let kinds = crate::products::link_sessions::income_kinds(&body, false);
            let results = crate::products::link_sessions::session_results(
                state,
                &item_id,
                &public_token,
                kinds,
            );
            let id = match &person.session_id {
                Some(id) => id.clone(),
                None => state.rng.uuid(),
            };
            (json!(id), results)
        }
    };
    let finished = Finished {
        token,
        request: &request,
        item_id: &item_id,
        public_token: &public_token,
        session_id: &session_id,
        started,
    };
    finished.record(state, &results);
    Ok(json!({"public_token": public_token, "link_session_id": session_id, "item_id": item_id}))
}

/// Update mode: the person logged in again to the item of `access_token`.
fn update(
    state: &mut State,
    token: &str,
    request: &Map<String, Value>,
    access_token: &str,
    person: &Person<'_>,
) -> Result<Value, ErrorAnswer> {
    let started = state.now();
    let item_id = state.item_id_for(access_token)?;
    let broken = state.items.get(&item_id).is_some_and(|i| i.login_required);
    if broken {
        state.repair(access_token)?;
    }
    let created = state.public_token_for(access_token)?;
    let public_token = created["public_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let session_id = json!(match &person.session_id {
        Some(id) => id.clone(),
        None => state.rng.uuid(),
    });
    let finished = Finished {
        token,
        request,
        item_id: &item_id,
        public_token: &public_token,
        session_id: &session_id,
        started,
    };
    finished.record(state, &json!({}));
    Ok(json!({"public_token": public_token, "link_session_id": session_id, "item_id": item_id}))
}

/// A Link session that ended with an item, to be recorded.
struct Finished<'a> {
    token: &'a str,
    request: &'a Map<String, Value>,
    item_id: &'a str,
    public_token: &'a str,
    session_id: &'a Value,
    started: time::OffsetDateTime,
}

impl Finished<'_> {
    /// Keeps the session for `/link/token/get` and, for Hosted Link, sends
    /// the token's `SESSION_FINISHED` webhook.
    fn record(&self, state: &mut State, credit: &Value) {
        let session = json!({
            "link_session_id": self.session_id,
            "started_at": rfc3339(self.started),
            "finished_at": rfc3339(state.now()),
            "results": link_results(state, self.item_id, self.public_token, credit),
        });
        if let Some(stored) = state
            .products
            .get_mut::<LinkTokenState>()
            .tokens
            .get_mut(self.token)
        {
            stored.sessions.push(session);
        }
        if self
            .request
            .get("hosted_link")
            .is_some_and(Value::is_object)
        {
            session_finished(
                state,
                self.token,
                self.request,
                self.item_id,
                "SUCCESS",
                self.session_id,
                Some(self.public_token),
            );
        }
    }
}

/// Sends the link token's `LINK` / `SESSION_FINISHED` webhook (to the
/// token's `webhook`; recorded without a URL when it has none).
pub(crate) fn session_finished(
    state: &mut State,
    token: &str,
    request: &Map<String, Value>,
    item_id: &str,
    status: &str,
    session_id: &Value,
    public_token: Option<&str>,
) {
    let mut body = json!({
        "webhook_type": "LINK",
        "webhook_code": "SESSION_FINISHED",
        "status": status,
        "link_session_id": session_id,
        "link_token": token,
        "public_tokens": public_token.map(|t| vec![t]).unwrap_or_default(),
        "environment": "sandbox",
    });
    if let Some(public_token) = public_token {
        body["public_token"] = json!(public_token);
    }
    if let Some(user_id) = request.get("user_id").filter(|v| v.is_string()) {
        body["user_id"] = user_id.clone();
    }
    let url = request
        .get("webhook")
        .and_then(Value::as_str)
        .map(str::to_owned);
    state.outbox.push(crate::sandbox::PendingWebhook {
        item_id: item_id.to_owned(),
        url,
        body,
    });
}

/// Keeps only the accounts at positions `kept` of a new item (what the
/// person picked on the account selection pane), with their transactions.
fn keep_accounts(state: &mut State, item_id: &str, kept: &[usize]) {
    let Some(item) = state.items.get_mut(item_id) else {
        return;
    };
    let mut position = 0;
    item.accounts.retain(|_| {
        position += 1;
        kept.contains(&(position - 1))
    });
    let ids: std::collections::BTreeSet<String> =
        item.accounts.iter().map(|a| a.account_id.clone()).collect();
    item.transactions.retain(|t| ids.contains(&t.account_id));
    let transactions: std::collections::BTreeSet<String> = item
        .transactions
        .iter()
        .map(|t| t.transaction_id.clone())
        .collect();
    item.changes.retain(|c| match c {
        crate::sandbox::Change::Added(id) | crate::sandbox::Change::Modified(id) => {
            transactions.contains(id)
        }
        crate::sandbox::Change::Removed(_, account) => ids.contains(account),
    });
    item.investment_transactions
        .retain(|t| ids.contains(&t.account_id));
    item.accounts_encoded = None;
    item.item_encoded = None;
}

/// A credit session's `results` in `LinkSessionResults` form (the
/// institution as an object, the accounts of each item added).
fn link_results(state: &State, item_id: &str, public_token: &str, credit: &Value) -> Value {
    let institution_id = state
        .items
        .get(item_id)
        .map(|i| i.institution_id.clone())
        .unwrap_or_default();
    let institution = json!({"name": institution_name(&institution_id),
                             "institution_id": institution_id});
    let accounts = metadata_accounts(state, item_id);
    let bank: Vec<Value> = credit["bank_income_results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(
            |r| json!({"status": r["status"], "item_id": r["item_id"], "institution": institution}),
        )
        .collect();
    let payroll: Vec<Value> = credit["payroll_income_results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            json!({"num_paystubs_retrieved": r["num_paystubs_retrieved"],
                   "num_w2s_retrieved": r["num_w2s_retrieved"], "institution": institution})
        })
        .collect();
    json!({
        "item_add_results": [{"public_token": public_token, "accounts": accounts,
                              "institution": institution}],
        "cra_item_add_results": [],
        "cra_update_results": [],
        "bank_income_results": bank,
        "payroll_income_results": payroll,
        "document_income_results": credit.get("document_income_results").cloned().unwrap_or(Value::Null),
    })
}

/// The item's accounts as Link's `metadata.accounts` lists them.
pub(crate) fn metadata_accounts(state: &State, item_id: &str) -> Vec<Value> {
    state
        .items
        .get(item_id)
        .map(|i| {
            i.accounts
                .iter()
                .map(|a| {
                    json!({"id": a.account_id, "name": a.name, "mask": a.mask, "type": a.kind,
                           "subtype": a.subtype, "verification_status": null, "class_type": null})
                })
                .collect()
        })
        .unwrap_or_default()
}
