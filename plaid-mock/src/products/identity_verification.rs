//! Identity Verification: `/identity_verification/create`, `get`, `list`,
//! `retry` and `autofill/create`.
//!
//! A verification made through the API waits for its user in Link, so it
//! stays `active` (no Link runs against the fake): its first step is
//! `accept_tos`, or `verify_sms` when `gave_consent` skipped the terms, and
//! every later step waits for its prerequisite. The user data is what the
//! request sent, with `null` for what it left out. A retry is a new attempt
//! naming the previous one in `previous_attempt_id`; the sandbox never runs
//! `selfie_check`, so a retry leaves it `not_applicable`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::timestamp;
use crate::kit::example::example;
use crate::kit::fields::text;
use crate::kit::ids::short_id;
use crate::kit::paging::page;
use crate::kit::route::Route;
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// The verifications made so far, by id, and their ids in creation order.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct IdvState {
    pub verifications: BTreeMap<String, Value>,
    pub order: Vec<String>,
}

impl Kept for IdvState {
    const KEY: &'static str = "identity_verification";
}

/// `/identity_verification/get`, whose example is the shape of every
/// verification the fake makes.
const GET: Route = Route::new("/identity_verification/get", |state, body| {
    Some(get(state, text(body, "identity_verification_id")))
})
.refuses_samples("INVALID_FIELD");

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "an `identity_verification_id` never created",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/identity_verification/retry` for a user and template with no verification, `infer` on a verification still `active`, `steps` without the `custom` strategy (or `custom` without `steps`)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/identity_verification/autofill/create` for an `identity_verification_id` never made",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/identity_verification/create", |state, body| {
        Some(create(state, body))
    }),
    GET,
    Route::new("/identity_verification/list", |state, body| {
        Some(list(state, body))
    }),
    Route::new("/identity_verification/retry", |state, body| {
        Some(retry(state, body))
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/identity_verification/autofill/create", |state, body| {
        Some(get(state, text(body, "identity_verification_id")).map(|v| autofill(&v)))
    })
    .refuses_samples("INVALID_FIELD"),
];

/// What autofill finds for a verification: the user's name, address and id
/// number when the verification has the phone number and date of birth
/// autofill looks them up by (and a name and address to find), else
/// `failed` with no user.
fn autofill(verification: &Value) -> Value {
    let user = &verification["user"];
    let has = |name: &str| user[name].is_string();
    let name = &user["name"];
    let address = &user["address"];
    if !(has("phone_number") && has("date_of_birth") && name.is_object() && address.is_object()) {
        return json!({"status": "failed", "user": null});
    }
    let part = |field: &str| address.get(field).cloned().unwrap_or(Value::Null);
    // A street that reads as a post office box is one; of any other the
    // fake cannot tell, nor whether the address is residential.
    let street = address["street"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    let po_box = if street.replace('.', "").starts_with("po box") {
        "yes"
    } else {
        "no_data"
    };
    json!({"status": "success", "user": {
        "name": name,
        "address": {"street": part("street"), "street2": part("street2"), "city": part("city"),
                    "region": part("region"), "postal_code": part("postal_code"),
                    "country": part("country"), "po_box": po_box, "type": "no_data"},
        "id_number": user["id_number"],
    }})
}

fn unknown(id: &str) -> ErrorAnswer {
    errors::unknown_object("identity_verification_id", id)
}

fn get(state: &State, id: &str) -> Result<Value, ErrorAnswer> {
    state
        .products
        .get::<IdvState>()
        .verifications
        .get(id)
        .cloned()
        .ok_or_else(|| unknown(id))
}

/// The user data of a verification from the request's `user` object.
fn user_data(user: Option<&Value>) -> Value {
    let field = |name: &str| {
        user.and_then(|u| u.get(name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let address = match field("address") {
        Value::Object(mut a) => {
            for key in ["street", "street2", "city", "region", "postal_code"] {
                a.entry(key).or_insert(Value::Null);
            }
            Value::Object(a)
        }
        _ => Value::Null,
    };
    json!({
        "phone_number": field("phone_number"),
        "date_of_birth": field("date_of_birth"),
        "ip_address": null,
        "email_address": field("email_address"),
        "name": field("name"),
        "address": address,
        "id_number": field("id_number"),
    })
}

/// The steps of a fresh attempt: the first one `active`, the rest waiting.
fn fresh_steps(gave_consent: bool) -> Value {
    let (tos, sms) = if gave_consent {
        ("skipped", "active")
    } else {
        ("active", "waiting_for_prerequisite")
    };
    json!({
        "accept_tos": tos,
        "verify_sms": sms,
        "kyc_check": "waiting_for_prerequisite",
        "documentary_verification": "waiting_for_prerequisite",
        "selfie_check": "waiting_for_prerequisite",
        "watchlist_screening": "waiting_for_prerequisite",
        "risk_check": "waiting_for_prerequisite",
    })
}

struct Attempt<'a> {
    client_user_id: &'a str,
    template: Value,
    user: Value,
    user_id: Value,
    shareable: bool,
    steps: Value,
    previous: Option<String>,
}

fn store(state: &mut State, attempt: Attempt<'_>) -> Value {
    let id = short_id(state, "idv_");
    let shareable_url = attempt.shareable.then(|| {
        let key: String = (0..4)
            .map(|_| format!("{:016x}", state.rng.next_u64()))
            .collect();
        format!("https://flow.plaid.com/verify/{id}?key={key}")
    });
    let mut verification = example(GET.path);
    let fields = json!({
        "id": id,
        "client_user_id": attempt.client_user_id,
        "created_at": timestamp(state.now()),
        "completed_at": null,
        "previous_attempt_id": attempt.previous,
        "shareable_url": shareable_url,
        "template": attempt.template,
        "user": attempt.user,
        "status": "active",
        "steps": attempt.steps,
        "documentary_verification": null,
        "selfie_check": null,
        "kyc_check": null,
        "risk_check": null,
        "verify_sms": null,
        "watchlist_screening_id": null,
        "beacon_user_id": null,
        "user_id": attempt.user_id,
        "redacted_at": null,
        "latest_scored_protect_event": null,
    });
    if let (Value::Object(target), Value::Object(fields)) = (&mut verification, fields) {
        target.extend(fields);
    }
    let store = &mut state.products.get_mut::<IdvState>();
    store.verifications.insert(id.clone(), verification.clone());
    store.order.push(id);
    verification
}

/// The newest attempt of a user with a template.
fn latest<'a>(state: &'a State, client_user_id: &str, template_id: &str) -> Option<&'a Value> {
    let store = &state.products.get::<IdvState>();
    store
        .order
        .iter()
        .rev()
        .filter_map(|id| store.verifications.get(id))
        .find(|v| v["client_user_id"] == client_user_id && v["template"]["id"] == template_id)
}

fn create(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let client_user_id = text(body, "client_user_id");
    let template_id = text(body, "template_id");
    if body.get("is_idempotent").and_then(Value::as_bool) == Some(true) {
        if let Some(existing) = latest(state, client_user_id, template_id) {
            return Ok(existing.clone());
        }
    }
    let attempt = Attempt {
        client_user_id,
        template: json!({"id": template_id, "version": 1}),
        user: user_data(body.get("user")),
        user_id: body.get("user_id").cloned().unwrap_or(Value::Null),
        shareable: body.get("is_shareable").and_then(Value::as_bool) == Some(true),
        steps: fresh_steps(body.get("gave_consent").and_then(Value::as_bool) == Some(true)),
        previous: None,
    };
    Ok(store(state, attempt))
}

fn list(state: &State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let template_id = text(body, "template_id");
    let client_user_id = body.get("client_user_id").and_then(Value::as_str);
    let user_id = body.get("user_id").and_then(Value::as_str);
    let store = &state.products.get::<IdvState>();
    let matching: Vec<Value> = store
        .order
        .iter()
        .filter_map(|id| store.verifications.get(id))
        .filter(|v| v["template"]["id"] == template_id)
        .filter(|v| client_user_id.is_none_or(|c| v["client_user_id"] == c))
        .filter(|v| user_id.is_none_or(|u| v["user_id"] == u))
        .cloned()
        .collect();
    let (identity_verifications, next_cursor) = page(matching, body)?;
    Ok(json!({"identity_verifications": identity_verifications, "next_cursor": next_cursor}))
}

fn retry(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let client_user_id = text(body, "client_user_id");
    let template_id = text(body, "template_id");
    let strategy = text(body, "strategy");
    let previous = latest(state, client_user_id, template_id).cloned().ok_or_else(|| {
        errors::invalid_field(format!(
            "no identity verification of client_user_id {client_user_id:?} with template {template_id:?} to retry"
        ))
    })?;
    let custom = body.get("steps").filter(|s| !s.is_null());
    if (strategy == "custom") != custom.is_some() {
        return Err(errors::invalid_field(
            "steps must be given with the custom strategy, and only with it",
        ));
    }
    let status = previous["status"].as_str().unwrap_or_default();
    if strategy == "infer" && status == "active" {
        return Err(errors::invalid_field(
            "the infer strategy cannot retry an identity verification that is still active",
        ));
    }
    let mut steps = fresh_steps(false);
    if strategy == "incomplete" || (strategy == "infer" && matches!(status, "failed" | "expired")) {
        // Steps the last attempt passed stay passed.
        for (step, value) in previous["steps"].as_object().into_iter().flatten() {
            if matches!(value.as_str(), Some("success" | "skipped")) {
                steps[step] = value.clone();
            }
        }
    }
    if let Some(custom) = custom {
        for step in [
            "verify_sms",
            "kyc_check",
            "documentary_verification",
            "selfie_check",
        ] {
            if custom.get(step).and_then(Value::as_bool) == Some(false) {
                steps[step] = json!("skipped");
            }
        }
    }
    steps["selfie_check"] = json!("not_applicable");
    let user = match body.get("user").filter(|u| !u.is_null()) {
        Some(user) => user_data(Some(user)),
        None => previous["user"].clone(),
    };
    // The attempt retried is over.
    if status == "active" {
        if let Some(old) = state
            .products
            .get_mut::<IdvState>()
            .verifications
            .get_mut(previous["id"].as_str().unwrap_or_default())
        {
            old["status"] = json!("canceled");
        }
    }
    let attempt = Attempt {
        client_user_id,
        template: previous["template"].clone(),
        user,
        user_id: previous["user_id"].clone(),
        shareable: body
            .get("is_shareable")
            .and_then(Value::as_bool)
            .unwrap_or(!previous["shareable_url"].is_null()),
        steps,
        previous: previous["id"].as_str().map(str::to_owned),
    };
    Ok(store(state, attempt))
}
