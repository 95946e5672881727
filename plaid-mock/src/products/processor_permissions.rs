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
use serde_json::{json, Map, Value};

use crate::kernel::errors::{self, ErrorAnswer};
use crate::kit::fields::text;
use crate::sandbox::{PendingWebhook, State};

/// Permissions and webhooks, by processor token.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ProcessorState {
    /// The products a token may read; absent or empty means all.
    pub permissions: BTreeMap<String, Vec<String>>,
    /// The partner's webhook URL per token.
    pub webhooks: BTreeMap<String, String>,
}

/// Answers the permission and webhook operations of processor tokens.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    let token = text(body, "processor_token");
    Some(match path {
        "/processor/token/permissions/set" => known(state, token).map(|_| {
            let products: Vec<String> = body
                .get("products")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect();
            state
                .products
                .processor
                .permissions
                .insert(token.to_owned(), products);
            json!({})
        }),
        "/processor/token/permissions/get" => known(state, token).map(|_| {
            let products = state.products.processor.permissions.get(token);
            json!({ "products": products.cloned().unwrap_or_default() })
        }),
        "/processor/token/webhook/update" => known(state, token).map(|item_id| {
            let url = text(body, "webhook").to_owned();
            state
                .products
                .processor
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
        }),
        _ => return None,
    })
}

/// The item of a live processor token.
fn known(state: &State, token: &str) -> Result<String, ErrorAnswer> {
    state
        .processor_tokens
        .get(token)
        .filter(|(item_id, _)| state.items.contains_key(item_id))
        .map(|(item_id, _)| item_id.clone())
        .ok_or_else(|| errors::processor_token_error(token))
}

/// The product a partner read needs, if any.
fn product_of(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/processor/")?;
    let product = match rest.split('/').next()? {
        "auth" => "auth",
        "balance" => "balance",
        "identity" => "identity",
        "transactions" => "transactions",
        "liabilities" => "liabilities",
        "investments" => "investments",
        "signal" => "signal",
        _ => return None,
    };
    Some(product)
}

/// Refuses a partner read of a product `token` may not read.
pub(crate) fn check(state: &State, token: &str, path: &str) -> Result<(), ErrorAnswer> {
    let Some(product) = product_of(path) else {
        return Ok(());
    };
    match state.products.processor.permissions.get(token) {
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
