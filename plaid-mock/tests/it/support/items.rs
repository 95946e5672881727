//! Items and tokens made through the public client, and error checks.

use plaid_core::models::Products;
use plaid_core::Client;
use serde_json::Value;

/// A linked item: its access token and its accounts' ids, in order
/// (checking, saving, CD, credit card, money market, IRA, 401k, student
/// loan, mortgage).
pub struct Linked {
    pub access_token: String,
    pub account_ids: Vec<String>,
}

/// Links an item at `institution_id` with Auth through the sandbox flow.
pub async fn link(client: &Client, institution_id: &str) -> Linked {
    link_with_products(client, institution_id, vec![Products::Auth]).await
}

/// Links an item at `institution_id` with `products` through the sandbox
/// flow.
pub async fn link_with_products(
    client: &Client,
    institution_id: &str,
    products: Vec<Products>,
) -> Linked {
    let created = client
        .sandbox()
        .public_token()
        .create(institution_id, products)
        .await
        .expect("a public token");
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .expect("an access token");
    let accounts = client
        .accounts()
        .get(&exchanged.access_token)
        .await
        .expect("accounts");
    Linked {
        access_token: exchanged.access_token,
        account_ids: accounts
            .accounts
            .iter()
            .map(|a| a.account_id.clone())
            .collect(),
    }
}

/// Links an item through `/sandbox/public_token/create` with `request`
/// (institution, products, options, a user…) and exchanges the public
/// token: the item's access token.
pub async fn link_with(client: &Client, request: Value) -> String {
    let created = client
        .send_raw("/sandbox/public_token/create", request)
        .await
        .expect("a public token");
    let exchanged = client
        .send_raw(
            "/item/public_token/exchange",
            serde_json::json!({"public_token": created["public_token"]}),
        )
        .await
        .expect("an access token");
    exchanged["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// The Plaid error code of a failed call (panics on success, naming `what`).
pub fn code(result: Result<Value, plaid_core::Error>, what: &str) -> String {
    match result {
        Ok(answer) => panic!("{what}: expected an error, got {answer}"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("{what}: not a Plaid error: {e}"))
            .to_owned(),
    }
}

/// A processor token (processor `dwolla`) for `account_id` of the item
/// behind `access_token`.
pub async fn processor_token(client: &Client, access_token: &str, account_id: &str) -> String {
    client
        .send_raw(
            "/processor/token/create",
            serde_json::json!({"access_token": access_token,
                   "account_id": account_id, "processor": "dwolla"}),
        )
        .await
        .expect("a processor token")["processor_token"]
        .as_str()
        .expect("a token")
        .to_owned()
}
