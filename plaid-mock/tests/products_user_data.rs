//! A user's data as a whole: identity removal, product termination,
//! user-wide refreshes; and `/employers/search`; in process and over HTTP.

mod linked_item;

use linked_item::{code, over_http};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn scenario(mock: &MockPlaid, client: &Client) {
    let user = client
        .send_raw(
            "/user/create",
            json!({"client_user_id": "whole-user",
                   "identity": {"name": {"given_name": "Ada", "family_name": "King"}}}),
        )
        .await
        .expect("a user");
    let user_id = user["user_id"].clone();
    let user_token = user["user_token"].clone();
    let linked = client
        .send_raw(
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
                   "user_token": user_token, "options": {"webhook": "https://app.example/hook"}}),
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
    let item_id = exchanged["item_id"].clone();

    // A refresh per item, with its webhook.
    let before = mock.webhooks().len();
    for path in ["/user/transactions/refresh", "/user/financial_data/refresh"] {
        let refreshed = client
            .send_raw(path, json!({"user_id": user_id}))
            .await
            .expect("refreshed");
        assert_eq!(refreshed["user_id"], user_id);
        assert_eq!(
            refreshed["results"],
            json!([{"item_id": item_id, "product": "transactions"}])
        );
    }
    let hooks = mock.webhooks();
    assert_eq!(
        hooks.len(),
        before + 2,
        "one SYNC_UPDATES_AVAILABLE per refresh"
    );
    let last: Value = serde_json::from_slice(&hooks.last().unwrap().body).unwrap();
    assert_eq!(last["webhook_code"], "SYNC_UPDATES_AVAILABLE");

    // An item that needs a login reports its error instead.
    client
        .send_raw(
            "/sandbox/item/reset_login",
            json!({"access_token": exchanged["access_token"]}),
        )
        .await
        .expect("reset");
    let refreshed = client
        .send_raw("/user/transactions/refresh", json!({"user_id": user_id}))
        .await
        .expect("answered");
    assert_eq!(
        refreshed["results"][0]["error"]["error_code"],
        "ITEM_LOGIN_REQUIRED"
    );

    // Identity removal.
    client
        .send_raw("/user/identity/remove", json!({"user_id": user_id}))
        .await
        .expect("removed");
    let got = client
        .send_raw("/user/get", json!({"user_id": user_id}))
        .await
        .expect("the user");
    assert!(got.get("identity").is_none(), "{got}");

    // Termination removes the items; the user stays.
    client
        .send_raw(
            "/user/products/terminate",
            json!({"user_id": user_id, "reason_code": "USER_OFFBOARDING"}),
        )
        .await
        .expect("terminated");
    let gone = client
        .send_raw(
            "/item/get",
            json!({"access_token": exchanged["access_token"]}),
        )
        .await;
    assert_eq!(code(gone, "a terminated item"), "INVALID_ACCESS_TOKEN");
    let items = client
        .send_raw("/user/items/get", json!({"user_id": user_id}))
        .await
        .expect("the user is still there");
    assert_eq!(items["items"], json!([]));

    let nobody = client
        .send_raw("/user/identity/remove", json!({"user_id": "no-such-user"}))
        .await;
    assert_eq!(code(nobody, "an unknown user"), "INVALID_FIELD");

    // Employers: matched by name, any case.
    let found = client
        .send_raw(
            "/employers/search",
            json!({"query": "plaid", "products": ["deposit_switch"]}),
        )
        .await
        .expect("employers");
    assert_eq!(found["employers"][0]["name"], "PLAID INC");
    assert_eq!(found["employers"][0]["confidence_score"], 1.0);
    assert_eq!(found["employers"].as_array().unwrap().len(), 1);
    let inside = client
        .send_raw(
            "/employers/search",
            json!({"query": "inc", "products": ["deposit_switch"]}),
        )
        .await
        .expect("employers");
    let names: Vec<&str> = inside["employers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["PLAID INC", "ACME INC"]);
    let none = client
        .send_raw(
            "/employers/search",
            json!({"query": "zzz", "products": ["deposit_switch"]}),
        )
        .await
        .expect("employers");
    assert_eq!(none["employers"], json!([]));
}

#[tokio::test]
async fn user_data_in_process() {
    let mock = MockPlaid::builder().seed(91).build();
    scenario(&mock, &mock.client()).await;
}

#[tokio::test]
async fn user_data_over_http() {
    let mock = MockPlaid::builder().seed(91).build();
    let (_running, client) = over_http(&mock).await;
    scenario(&mock, &client).await;
}
