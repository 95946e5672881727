//! Link sessions: what finishing Link makes beside the item. A session
//! for a user is listed by `/credit/sessions/get`; one with Income options
//! makes a Bank Income report and/or payroll data ([`IncomeKinds`]). This
//! module reacts when the sandbox links an item ([`linked`]).

use serde_json::{json, Map, Value};

use super::bank_income::{self, DEFAULT_DAYS, MAX_DAYS};
use super::payroll_income::PayrollState;
use super::{income_verification, payroll_income};
use crate::kernel::errors::Refusal;
use crate::kernel::time::rfc3339;
use crate::sandbox::events::Event;
use crate::sandbox::institutions::institution_name;
use crate::sandbox::users::{attach, UserState};
use crate::sandbox::{PendingWebhook, State};

/// Which Income a Link session makes, from its `income_verification`
/// options: Bank Income when `income_source_types` lists `bank` (or, for
/// a user, when it lists nothing and names no older verification — every
/// item linked for a user has bank data); Payroll Income when it lists
/// `payroll` (or names an older `income_verification_id`), from uploaded
/// documents when `payroll_income.flow_types` is only `payroll_document_income`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IncomeKinds {
    /// The session makes a Bank Income report.
    pub bank: bool,
    /// `Some(document)` when the session makes payroll data.
    pub payroll: Option<bool>,
}

/// The [`IncomeKinds`] of a link request (`/sandbox/public_token/create`
/// shape: the options under `options.income_verification`, and
/// `initial_products`).
pub(crate) fn income_kinds(body: &Map<String, Value>, for_user: bool) -> IncomeKinds {
    let income = body
        .get("options")
        .and_then(|o| o.get("income_verification"))
        .cloned()
        .unwrap_or(Value::Null);
    let listed = |pointer: &str, name: &str| {
        income
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| a.iter().any(|v| v == name))
    };
    let sources = income.get("income_source_types").and_then(Value::as_array);
    let older = income
        .get("income_verification_id")
        .and_then(Value::as_str)
        .is_some();
    // `/sandbox/public_token/create` with `income_verification` among its
    // initial products gives the item pay stubs and tax forms, as the
    // sandbox does, read by access token through the older Income API.
    let initial = body
        .get("initial_products")
        .and_then(Value::as_array)
        .is_some_and(|p| p.iter().any(|p| p == "income_verification"));
    let payroll = match sources {
        Some(_) => listed("/income_source_types", "payroll").unwrap_or(false),
        None => older || initial,
    };
    let flows = income
        .pointer("/payroll_income/flow_types")
        .and_then(Value::as_array);
    let document = flows.is_some_and(|f| !f.is_empty())
        && listed("/payroll_income/flow_types", "payroll_digital_income") == Some(false);
    IncomeKinds {
        bank: for_user
            && match sources {
                Some(_) => listed("/income_source_types", "bank").unwrap_or(false),
                None => !older,
            },
        payroll: payroll.then_some(document),
    }
}

/// An item was linked (for `owner`, when the link named a user): the
/// payroll record is made when the session asks for Payroll Income; for a
/// user the item becomes the user's, the Link session is recorded for
/// `/credit/sessions/get`, and a Bank Income report is made over the
/// user's items when the session asks for Bank Income.
fn linked(
    state: &mut State,
    owner: Option<&str>,
    item_id: &str,
    public_token: &str,
    body: &Map<String, Value>,
) {
    let kinds = income_kinds(body, owner.is_some());
    if let Some(document) = kinds.payroll {
        payroll_income::made(state, item_id, owner, document);
        let verification = body
            .get("options")
            .and_then(|o| o.pointer("/income_verification/income_verification_id"))
            .and_then(Value::as_str);
        match verification {
            Some(id) => income_verification::joined(state, id, item_id),
            None => {
                let url = state.items.get(item_id).and_then(|i| i.webhook.clone());
                state.outbox.push(PendingWebhook {
                    item_id: item_id.to_owned(),
                    url,
                    body: payroll_income::verification_hook(
                        item_id,
                        owner,
                        "VERIFICATION_STATUS_PROCESSING_COMPLETE",
                    ),
                });
            }
        }
    }
    let Some(id) = owner else {
        return;
    };
    attach(state, id, item_id);
    let session = json!({
        "link_session_id": state.rng.uuid(),
        "session_start_time": rfc3339(state.now()),
        "results": session_results(state, item_id, public_token, kinds),
        "errors": [],
    });
    let report = kinds.bank.then(|| {
        let days = body
            .get("options")
            .and_then(|o| o.pointer("/income_verification/bank_income/days_requested"))
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .unwrap_or(DEFAULT_DAYS)
            .min(MAX_DAYS);
        bank_income::report(state, id, days)
    });
    if let Some(user) = state.products.get_mut::<UserState>().users.get_mut(id) {
        user.sessions.push(session);
        user.reports.extend(report);
    }
}

/// The `results` of a `CreditSession` for an item just linked.
pub(crate) fn session_results(
    state: &State,
    item_id: &str,
    public_token: &str,
    kinds: IncomeKinds,
) -> Value {
    let institution_id = state
        .items
        .get(item_id)
        .map(|i| i.institution_id.clone())
        .unwrap_or_default();
    let mut results = json!({
        "item_add_results": [{"public_token": public_token, "item_id": item_id,
                              "institution_id": institution_id}],
    });
    if kinds.bank {
        results["bank_income_results"] = json!([{"status": "APPROVED", "item_id": item_id,
                                                 "institution_id": institution_id}]);
    }
    if let Some(record) = state.products.get::<PayrollState>().records.get(item_id) {
        let stubs = record.stub_ids.len();
        if record.document {
            results["document_income_results"] = json!({"num_paystubs_uploaded": stubs,
                "num_w2s_uploaded": 1, "num_bank_statements_uploaded": 0, "num_1099s_uploaded": 0});
        } else {
            results["payroll_income_results"] = json!([{"num_paystubs_retrieved": stubs,
                "num_w2s_retrieved": 1, "institution_id": institution_id,
                "institution_name": institution_name(&institution_id)}]);
        }
    }
    results
}

/// The Link session recorded for `item_id` of the user, if any.
pub(crate) fn session_of(state: &State, id: &str, item_id: &str) -> Option<Value> {
    state
        .products
        .get::<UserState>()
        .users
        .get(id)
        .and_then(|u| {
            u.sessions
                .iter()
                .rev()
                .find(|s| s.pointer("/results/item_add_results/0/item_id") == Some(&json!(item_id)))
                .cloned()
        })
}

/// Makes the Link session (and its income data) of an item just linked.
pub(crate) fn on_event(state: &mut State, event: &Event<'_>) {
    if let Event::ItemLinked {
        item_id,
        public_token,
        owner,
        request,
    } = *event
    {
        linked(state, owner, item_id, public_token, request);
    }
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`MockPlaid::complete_link` / `POST /_mock/link/complete` on a link token that is unknown or expired",
        400,
        "INVALID_INPUT",
        "INVALID_LINK_TOKEN",
    ),
];
