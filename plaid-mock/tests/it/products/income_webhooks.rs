//! The Income sandbox webhooks (`/sandbox/income/fire_webhook`,
//! `/sandbox/bank_income/fire_webhook`) and the proactive
//! `BANK_INCOME_REFRESH_UPDATE` a subscribed user gets; in process and
//! over HTTP.

use crate::support::scenarios;
use crate::support::{code, link};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

const HOOK: &str = "https://lender.example/income";

async fn sandbox_webhooks_scenario(mock: &MockPlaid, client: &Client) {
    let plain = link(client, "ins_109508").await;
    let item_id = mock.item_id(&plain.access_token).unwrap();
    let unknown = client
        .send_raw(
            "/sandbox/income/fire_webhook",
            json!({"item_id": "not-an-item", "webhook": HOOK, "webhook_code": "INCOME_VERIFICATION"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown item"), "INVALID_FIELD");
    client
        .send_raw(
            "/sandbox/income/fire_webhook",
            json!({"item_id": item_id, "webhook": HOOK,
                   "webhook_code": "INCOME_VERIFICATION_RISK_SIGNALS"}),
        )
        .await
        .expect("fired");
    let hooks = mock.webhooks();
    let hook = hooks.last().unwrap();
    assert_eq!(hook.url.as_deref(), Some(HOOK));
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["webhook_code"], "INCOME_VERIFICATION_RISK_SIGNALS");
    assert_eq!(body["item_id"], item_id.as_str());

    let user_id = client
        .send_raw("/user/create", json!({"client_user_id": "hooks"}))
        .await
        .expect("a user")["user_id"]
        .clone();
    let nobody = client
        .send_raw(
            "/sandbox/bank_income/fire_webhook",
            json!({"webhook_code": "BANK_INCOME_REFRESH_UPDATE",
                   "webhook_fields": {"user_id": "no-such-user"}}),
        )
        .await;
    assert_eq!(code(nobody, "an unknown user"), "INVALID_FIELD");
    client
        .send_raw(
            "/sandbox/bank_income/fire_webhook",
            json!({"webhook_code": "BANK_INCOME_REFRESH_COMPLETE", "webhook_override": HOOK,
                   "webhook_fields": {"user_id": user_id, "bank_income_refresh_complete_result": "FAILURE"}}),
        )
        .await
        .expect("fired");
    let hooks = mock.webhooks();
    let hook = hooks.last().unwrap();
    assert_eq!(hook.url.as_deref(), Some(HOOK));
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["webhook_code"], "BANK_INCOME_REFRESH_COMPLETE");
    assert_eq!(body["user_id"], user_id);
    assert_eq!(body["result"], "FAILURE");
}

/// Proactive `BANK_INCOME_REFRESH_UPDATE`: only for a subscribed user.
async fn income_update_webhooks_scenario(mock: &MockPlaid, client: &Client) {
    let user = client
        .send_raw("/user/create", json!({"client_user_id": "subscriber"}))
        .await
        .expect("a user");
    let linked = client
        .send_raw(
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["income_verification"],
                   "user_token": user["user_token"], "options": {"webhook": HOOK}}),
        )
        .await
        .expect("a public token");
    let exchanged = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": linked["public_token"]}),
        )
        .await
        .expect("an access token");
    let token = exchanged["access_token"].as_str().unwrap();
    let updates = || {
        mock.webhooks()
            .iter()
            .filter_map(|w| serde_json::from_slice::<Value>(&w.body).ok())
            .filter(|b| {
                b["webhook_code"] == "BANK_INCOME_REFRESH_UPDATE" && b["user_id"] == user["user_id"]
            })
            .count()
    };
    mock.add_transaction(token, -1250.0, "ACME PAYROLL")
        .expect("a credit");
    client
        .send_raw("/user/get", json!({"user_id": user["user_id"]}))
        .await
        .expect("the user");
    assert_eq!(updates(), 0, "users start unsubscribed");
    client
        .send_raw(
            "/credit/bank_income/webhook/update",
            json!({"user_token": user["user_token"], "enable_webhooks": true}),
        )
        .await
        .expect("subscribed");
    mock.add_transaction(token, 25.0, "COFFEE")
        .expect("a debit");
    mock.add_transaction(token, -1250.0, "ACME PAYROLL")
        .expect("a credit");
    client
        .send_raw("/user/get", json!({"user_id": user["user_id"]}))
        .await
        .expect("the user");
    assert_eq!(updates(), 1, "one credit while subscribed");
}

scenarios! {
    income_webhooks(MockPlaid::builder().seed(85).build()) |fake| {
        sandbox_webhooks_scenario(&fake.mock, fake.client()).await;
        income_update_webhooks_scenario(&fake.mock, fake.client()).await
    }
}
