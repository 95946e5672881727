//! A user's data as a whole: identity removal, product termination,
//! user-wide refreshes; and `/employers/search`; in process and over HTTP.

use crate::support::code;
use crate::support::scenarios;
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

/// Third-party user tokens: made for a user, valid for at most a day,
/// removed once.
async fn third_party_tokens(mock: &MockPlaid, client: &Client) {
    let user = client
        .send_raw("/user/create", json!({"client_user_id": "shared-user"}))
        .await
        .expect("a user");
    let create = |expiration: Option<String>| {
        let mut body =
            json!({"user_token": user["user_token"], "third_party_client_id": "partner-1"});
        if let Some(at) = expiration {
            body["expiration_time"] = json!(at);
        }
        client.send_raw("/user/third_party_token/create", body)
    };
    let made = create(None).await.expect("a token");
    let token = made["third_party_user_token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("third-party-user-sandbox-"), "{token}");
    let rfc3339 = |at: time::OffsetDateTime| {
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let too_late = rfc3339(mock.now() + time::Duration::hours(25));
    assert_eq!(
        code(create(Some(too_late)).await, "more than a day"),
        "INVALID_FIELD"
    );
    let short = create(Some(rfc3339(mock.now() + time::Duration::hours(1))))
        .await
        .expect("a token for an hour");
    let remove = |token: Value| {
        client.send_raw(
            "/user/third_party_token/remove",
            json!({ "third_party_user_token": token }),
        )
    };
    let removed = remove(json!(token)).await.expect("removed");
    assert_eq!(removed["removed"], true);
    assert_eq!(
        code(remove(json!(token)).await, "removed twice"),
        "INVALID_FIELD"
    );
    // An expired token is gone too.
    mock.advance_clock(time::Duration::hours(2));
    assert_eq!(
        code(
            remove(short["third_party_user_token"].clone()).await,
            "expired"
        ),
        "INVALID_FIELD"
    );
}

scenarios! {
    third_party_tokens(MockPlaid::new()) |fake| {
        third_party_tokens(&fake.mock, fake.client()).await
    }
    user_data(MockPlaid::builder().seed(91).build()) |fake| {
        scenario(&fake.mock, fake.client()).await
    }
}
