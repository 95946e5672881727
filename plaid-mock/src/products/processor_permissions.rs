//! What a processor token may do: the products the client lets the
//! partner read (`/processor/token/permissions/set`, all of them until
//! set, or after an empty list) and the partner's own webhook
//! (`/processor/token/webhook/update`, acknowledged with
//! `WEBHOOK_UPDATE_ACKNOWLEDGED` at the new URL).
//!
//! A partner read of a product the token may not read is refused with
//! `INVALID_PRODUCT`; Plaid documents no code of its own for this case, and
//! `INVALID_PRODUCT` is the one its error reference gives for a product the
//! caller has no access to. `/processor/account/get` needs no product.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;
use crate::kit::route::Route;
use crate::sandbox::store::Kept;
use crate::sandbox::{PendingWebhook, State};

/// Permissions and webhooks, by processor token.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ProcessorState {
    /// The products a token may read; absent or empty means all.
    pub permissions: BTreeMap<String, Vec<String>>,
    /// The partner's webhook URL per token.
    pub webhooks: BTreeMap<String, String>,
}

impl Kept for ProcessorState {
    const KEY: &'static str = "processor";
}

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a processor partner read of a product the client took off the token with `/processor/token/permissions/set`",
        400,
        "INVALID_INPUT",
        "INVALID_PRODUCT",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/processor/token/permissions/set", |state, body| {
        let token = text(body, "processor_token");
        Some(known(state, token).map(|_| {
            let products: Vec<String> = body
                .get("products")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect();
            state
                .products
                .get_mut::<ProcessorState>()
                .permissions
                .insert(token.to_owned(), products);
            json!({})
        }))
    }),
    Route::new("/processor/token/permissions/get", |state, body| {
        let token = text(body, "processor_token");
        Some(known(state, token).map(|_| {
            let products = state
                .products
                .get_mut::<ProcessorState>()
                .permissions
                .get(token);
            json!({ "products": products.cloned().unwrap_or_default() })
        }))
    }),
    Route::new("/processor/token/webhook/update", |state, body| {
        let token = text(body, "processor_token");
        Some(known(state, token).map(|item_id| {
            let url = text(body, "webhook").to_owned();
            state
                .products
                .get_mut::<ProcessorState>()
                .webhooks
                .insert(token.to_owned(), url.clone());
            state.outbox.push(PendingWebhook {
                item_id: item_id.clone(),
                url: Some(url.clone()),
                body: json!({"webhook_type": "ITEM", "webhook_code": "WEBHOOK_UPDATE_ACKNOWLEDGED",
                             "item_id": item_id, "new_webhook_url": url, "error": null,
                             "environment": "sandbox"}),
            });
            json!({})
        }))
    }),
];

/// The item of a live processor token.
fn known(state: &State, token: &str) -> Result<String, ErrorAnswer> {
    state
        .processor_tokens
        .get(token)
        .filter(|(item_id, _)| state.items.contains_key(item_id))
        .map(|(item_id, _)| item_id.clone())
        .ok_or_else(|| errors::processor_token_error(token))
}

/// Refuses a partner read of a product `token` may not read.
/// `product` is empty for reads no permission gates.
pub(crate) fn check(state: &State, token: &str, product: &str) -> Result<(), ErrorAnswer> {
    if product.is_empty() {
        return Ok(());
    }
    match state.products.get::<ProcessorState>().permissions.get(token) {
        Some(allowed) if !allowed.is_empty() && !allowed.iter().any(|p| p == product) => {
            Err(ErrorAnswer::new(
                400,
                "INVALID_INPUT",
                "INVALID_PRODUCT",
                format!("this processor token may not read {product}: the client limited it to {} with /processor/token/permissions/set; ask the client to add {product} (or send an empty list to allow every product)", allowed.join(", ")),
            ))
        }
        _ => Ok(()),
    }
}
