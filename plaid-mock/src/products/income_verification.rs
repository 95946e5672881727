//! The older Income and Employment verification API, answered from the same
//! payroll records as Payroll Income: `/income/verification/create` makes a
//! verification (its items are those of `options.access_tokens`, and those
//! a link token naming its `income_verification_id` links later); pay
//! stubs, tax forms, documents and employment are read by access token or
//! by verification id. Also the sandbox's Income webhook triggers.

use serde_json::{json, Map, Value};

use super::payroll_income::{
    self, not_found, verification_employment, verification_hook, PayrollRecord, Verification,
};
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::unix;
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::products::payroll_income::PayrollState;
use crate::sandbox::users::find;
use crate::sandbox::users::live_items;
use crate::sandbox::{PendingWebhook, State};

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/income/verification/paystubs/get`, `taxforms/get`, `documents/download` with an `income_verification_id` never created, or for a verification or item with no payroll data; `/employment/verification/get` for an item with no payroll data",
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_NOT_FOUND",
    ),
    Refusal::new(
        "those reads naming neither `income_verification_id` nor `access_token`",
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
    ),
    Refusal::new(
        "`/income/verification/documents/download` with a `document_id` the verification does not have",
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_DOCUMENT_NOT_FOUND",
    ),
    Refusal::new(
        "`/income/verification/create` with a `precheck_id` no precheck handed out",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/sandbox/income/fire_webhook` for an item that does not exist (or a `user_id` never issued); `/sandbox/bank_income/fire_webhook` for a `webhook_fields.user_id` never issued; either with a webhook code it does not fire",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/income/verification/create", |state, body| {
        Some(create(state, body))
    }),
    Route::new("/income/verification/precheck", |state, body| {
        Some(payroll_income::precheck(state, body).map(|mut a| {
            let id: String = state.rng.id().chars().take(10).collect();
            state
                .products
                .get_mut::<PayrollState>()
                .prechecks
                .push(id.clone());
            a["precheck_id"] = json!(id);
            a
        }))
    }),
    Route::new("/income/verification/paystubs/get", |state, body| {
        Some(records(state, body).map(|r| paystubs(&r)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/income/verification/taxforms/get", |state, body| {
        Some(records(state, body).map(|r| taxforms(&r)))
    })
    .refuses_samples("MISSING_FIELDS"),
    // The ZIP itself is the fake's sample file; only refusals are made here.
    Route::new("/income/verification/documents/download", |state, body| {
        records(state, body)
            .and_then(|r| document_known(&r, body))
            .err()
            .map(Err)
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/employment/verification/get", |state, body| {
        Some(
            state
                .item_id_for(text(body, "access_token"))
                .and_then(|id| {
                    state
                        .products
                        .get_mut::<PayrollState>()
                        .records
                        .get(&id)
                        .ok_or_else(not_found)
                })
                .map(|r| json!({"employments": [verification_employment(r)]})),
        )
    })
    .refuses_samples("INCOME_VERIFICATION_NOT_FOUND"),
    Route::new("/sandbox/income/fire_webhook", |state, body| {
        Some(fire_income(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/sandbox/bank_income/fire_webhook", |state, body| {
        Some(fire_bank_income(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// Plaid's answer for a document id the verification does not have.
fn document_not_found() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INCOME_VERIFICATION_ERROR",
        "INCOME_VERIFICATION_DOCUMENT_NOT_FOUND",
        "the document_id names no document of this income verification",
    )
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let precheck_id = body
        .get("precheck_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(id) = &precheck_id {
        if !state
            .products
            .get_mut::<PayrollState>()
            .prechecks
            .contains(id)
        {
            return Err(errors::unknown_object("precheck_id", id));
        }
    }
    let mut item_ids = Vec::new();
    for token in body
        .get("options")
        .and_then(|o| o.get("access_tokens"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        item_ids.push(state.item_id_for(token.as_str().unwrap_or_default())?);
    }
    let id = state.rng.uuid();
    let verification = Verification {
        webhook: text(body, "webhook").to_owned(),
        precheck_id,
        item_ids,
        created_at: unix(state.now()),
    };
    state
        .products
        .get_mut::<PayrollState>()
        .verifications
        .insert(id.clone(), verification);
    Ok(json!({"income_verification_id": id}))
}

/// An item linked through a link token naming `verification_id` joins it;
/// its `INCOME_VERIFICATION` webhook goes to the verification's webhook.
pub(crate) fn joined(state: &mut State, verification_id: &str, item_id: &str) {
    let Some(v) = state
        .products
        .get_mut::<PayrollState>()
        .verifications
        .get_mut(verification_id)
    else {
        return;
    };
    v.item_ids.push(item_id.to_owned());
    let url = Some(v.webhook.clone()).filter(|u| !u.is_empty());
    state.outbox.push(PendingWebhook {
        item_id: item_id.to_owned(),
        url,
        body: verification_hook(item_id, None, "VERIFICATION_STATUS_PROCESSING_COMPLETE"),
    });
}

/// The payroll records a read names: those of `income_verification_id`
/// (unknown → `INCOME_VERIFICATION_NOT_FOUND`) or of the `access_token`'s
/// item; none → `INCOME_VERIFICATION_NOT_FOUND`.
fn records(state: &State, body: &Map<String, Value>) -> Result<Vec<PayrollRecord>, ErrorAnswer> {
    let ids = match (
        body.get("income_verification_id").and_then(Value::as_str),
        body.get("access_token").and_then(Value::as_str),
    ) {
        (_, Some(token)) => vec![state.item_id_for(token)?],
        (Some(id), None) => state
            .products
            .get::<PayrollState>()
            .verifications
            .get(id)
            .ok_or_else(not_found)?
            .item_ids
            .clone(),
        (None, None) => return Err(errors::missing_fields(&["access_token"])),
    };
    let found: Vec<PayrollRecord> = ids
        .iter()
        .filter(|i| state.items.contains_key(*i))
        .filter_map(|i| state.products.get::<PayrollState>().records.get(i).cloned())
        .collect();
    if found.is_empty() {
        return Err(not_found());
    }
    Ok(found)
}

fn document_known(found: &[PayrollRecord], body: &Map<String, Value>) -> Result<(), ErrorAnswer> {
    let Some(id) = body.get("document_id").and_then(Value::as_str) else {
        return Ok(());
    };
    let known = found
        .iter()
        .any(|r| r.w2_id == id || r.stub_ids.iter().any(|s| s == id));
    if known {
        Ok(())
    } else {
        Err(document_not_found())
    }
}

fn metadata(id: &str, kind: &str, name: String) -> Value {
    json!({"doc_id": id, "doc_type": kind, "name": name,
           "status": "DOCUMENT_STATUS_PROCESSING_COMPLETE"})
}

fn paystubs(found: &[PayrollRecord]) -> Value {
    let mut meta = Vec::new();
    let mut stubs = Vec::new();
    for r in found {
        for (id, date) in r.stub_ids.iter().zip(&r.pay_dates) {
            meta.push(metadata(
                id,
                "DOCUMENT_TYPE_PAYSTUB",
                format!("paystub_{date}.pdf"),
            ));
        }
        stubs.extend(r.verification_pay_stubs());
    }
    json!({"document_metadata": meta, "paystubs": stubs})
}

fn taxforms(found: &[PayrollRecord]) -> Value {
    let mut meta = Vec::new();
    let mut forms = Vec::new();
    for r in found {
        let name = format!("w2_{}.pdf", r.tax_year());
        meta.push(metadata(&r.w2_id, "DOCUMENT_TYPE_US_TAX_W2", name));
        let mut w2 = r.w2();
        if let Some(fields) = w2.as_object_mut() {
            fields.remove("document_id");
            fields.remove("document_metadata");
        }
        w2["employee"]["marital_status"] = json!("single");
        forms.push(json!({"doc_id": r.w2_id, "document_type": "W2", "w2": w2}));
    }
    json!({"document_metadata": meta, "taxforms": forms})
}

/// `/sandbox/income/fire_webhook`: the named Income webhook for an item
/// that exists (and a user that exists, when named), to the URL sent.
fn fire_income(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let item_id = text(body, "item_id");
    if !state.items.contains_key(item_id) {
        return Err(errors::unknown_object("item_id", item_id));
    }
    let user_id = match body.get("user_id").and_then(Value::as_str) {
        Some(_) => Some(find(state, body)?),
        None => None,
    };
    let body_json = match text(body, "webhook_code") {
        "INCOME_VERIFICATION" => {
            let status = body
                .get("verification_status")
                .and_then(Value::as_str)
                .unwrap_or("VERIFICATION_STATUS_PROCESSING_COMPLETE");
            verification_hook(item_id, user_id.as_deref(), status)
        }
        "INCOME_VERIFICATION_RISK_SIGNALS" => {
            let mut hook = json!({"webhook_type": "INCOME",
                "webhook_code": "INCOME_VERIFICATION_RISK_SIGNALS", "item_id": item_id,
                "risk_signals_status": "RISK_SIGNALS_PROCESSING_COMPLETE", "environment": "sandbox"});
            if let Some(user) = &user_id {
                hook["user_id"] = json!(user);
            }
            hook
        }
        other => {
            return Err(errors::invalid_field(format!(
                "webhook_code: {other:?} is not an Income webhook this endpoint fires"
            )))
        }
    };
    state.outbox.push(PendingWebhook {
        item_id: item_id.to_owned(),
        url: Some(text(body, "webhook").to_owned()),
        body: body_json,
    });
    Ok(json!({}))
}

/// `/sandbox/bank_income/fire_webhook`: a Bank Income webhook for a user
/// that exists, to `webhook_override` or else the webhook of the user's
/// items.
fn fire_bank_income(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let fields = body
        .get("webhook_fields")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let user_id = find(state, &fields)
        .map_err(|_| errors::unknown_object("webhook_fields.user_id", text(&fields, "user_id")))?;
    let hook = match text(body, "webhook_code") {
        "BANK_INCOME_REFRESH_UPDATE" => json!({"webhook_type": "INCOME",
            "webhook_code": "BANK_INCOME_REFRESH_UPDATE", "user_id": user_id, "environment": "sandbox"}),
        "BANK_INCOME_REFRESH_COMPLETE" => {
            let result = fields
                .get("bank_income_refresh_complete_result")
                .and_then(Value::as_str)
                .unwrap_or("SUCCESS");
            json!({"webhook_type": "INCOME", "webhook_code": "BANK_INCOME_REFRESH_COMPLETE",
                   "user_id": user_id, "result": result, "environment": "sandbox"})
        }
        other => {
            return Err(errors::invalid_field(format!(
                "webhook_code: {other:?} is not a Bank Income webhook this endpoint fires"
            )))
        }
    };
    let items = live_items(state, &user_id);
    let hooked = items
        .iter()
        .filter_map(|i| state.items.get(i))
        .find(|i| i.webhook.is_some());
    let url = body
        .get("webhook_override")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| hooked.and_then(|i| i.webhook.clone()));
    let item_id = hooked
        .map(|i| i.item_id.clone())
        .or_else(|| items.first().cloned())
        .unwrap_or_default();
    state.outbox.push(PendingWebhook {
        item_id,
        url,
        body: hook,
    });
    Ok(json!({}))
}
