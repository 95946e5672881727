//! `/auth/verify` checks numbers against the linked items' numbers (what
//! `/auth/get` gives), and `/sandbox/user/reset_login` puts a user's items
//! into `ITEM_LOGIN_REQUIRED`.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn verify(client: &Client, account: &str, routing: &str, name: Option<&str>) -> Value {
    let mut body = json!({"numbers": {"ach": {"account": account, "routing": routing}}});
    if let Some(name) = name {
        body["legal_name"] = json!(name);
    }
    client
        .send_raw("/auth/verify", body)
        .await
        .expect("a verification")
}

async fn verify_scenario(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let auth = client
        .send_raw("/auth/get", json!({"access_token": linked.access_token}))
        .await
        .expect("numbers");
    let ach = &auth["numbers"]["ach"][0];
    let (account, routing) = (
        ach["account"].as_str().unwrap(),
        ach["routing"].as_str().unwrap(),
    );
    let identity = client
        .send_raw(
            "/identity/get",
            json!({"access_token": linked.access_token}),
        )
        .await
        .expect("identity");
    let owner = identity["accounts"][0]["owners"][0]["names"][0]
        .as_str()
        .unwrap();

    let known = verify(client, account, routing, Some(owner)).await;
    assert_eq!(known["verification_status"], "database_insights_pass");
    let insights = &known["verification_insights"];
    assert_eq!(insights["network_status"]["has_numbers_match"], true);
    assert_eq!(insights["name_match_score"], 100);
    assert_eq!(insights["account_number_format"], "valid");
    let stranger = verify(client, account, routing, Some("Zed Quimby")).await;
    assert!(
        stranger["verification_insights"]["name_match_score"]
            .as_i64()
            .unwrap()
            < 70
    );
    let unnamed = verify(client, account, routing, None).await;
    assert!(unnamed["verification_insights"]
        .get("name_match_score")
        .is_none());

    // Unknown to the network, but well formed: pass with caution.
    let unknown = verify(client, "987654321", routing, None).await;
    assert_eq!(
        unknown["verification_status"],
        "database_insights_pass_with_caution"
    );
    assert_eq!(
        unknown["verification_insights"]["network_status"]["has_numbers_match"],
        false
    );
    // A routing number failing the ABA check digit, or a malformed account.
    let bad_routing = verify(client, account, "011401534", None).await;
    assert_eq!(bad_routing["verification_status"], "database_insights_fail");
    let bad_account = verify(client, "12AB", routing, None).await;
    assert_eq!(bad_account["verification_status"], "database_insights_fail");
    assert_eq!(
        bad_account["verification_insights"]["account_number_format"],
        "invalid"
    );
}

async fn reset_scenario(client: &Client) {
    let user = client
        .send_raw("/user/create", json!({"client_user_id": "reset-1"}))
        .await
        .expect("a user");
    let user_token = user["user_token"].as_str().unwrap();
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let created = client
            .send_raw(
                "/sandbox/public_token/create",
                json!({"institution_id": "ins_109508", "initial_products": ["auth"],
                       "user_token": user_token}),
            )
            .await
            .expect("a public token");
        let exchanged = client
            .send_raw(
                "/item/public_token/exchange",
                json!({"public_token": created["public_token"]}),
            )
            .await
            .expect("an access token");
        tokens.push(exchanged);
    }
    let other = support::link(client, "ins_109508").await;
    let other_item = client
        .send_raw("/item/get", json!({"access_token": other.access_token}))
        .await
        .expect("the item")["item"]["item_id"]
        .clone();
    let stranger = client
        .send_raw(
            "/sandbox/user/reset_login",
            json!({"user_token": user_token, "item_ids": [other_item]}),
        )
        .await;
    assert_eq!(code(stranger, "another user's item"), "INVALID_FIELD");

    // One named item only.
    client
        .send_raw(
            "/sandbox/user/reset_login",
            json!({"user_token": user_token, "item_ids": [tokens[0]["item_id"]]}),
        )
        .await
        .expect("reset");
    let accounts = |i: usize| json!({"access_token": tokens[i]["access_token"]});
    let first = client.send_raw("/accounts/get", accounts(0)).await;
    assert_eq!(code(first, "reset item"), "ITEM_LOGIN_REQUIRED");
    client
        .send_raw("/accounts/get", accounts(1))
        .await
        .expect("the other item still works");
    // No item_ids: every item of the user; other users' items untouched.
    client
        .send_raw(
            "/sandbox/user/reset_login",
            json!({ "user_token": user_token }),
        )
        .await
        .expect("reset");
    let second = client.send_raw("/accounts/get", accounts(1)).await;
    assert_eq!(code(second, "reset item"), "ITEM_LOGIN_REQUIRED");
    client
        .send_raw("/accounts/get", json!({"access_token": other.access_token}))
        .await
        .expect("someone else's item still works");
}

scenarios! {
    auth_verify_checks_numbers_against_linked_items(MockPlaid::builder().seed(91).build()) |fake| {
        verify_scenario(fake.client()).await
    }
    a_users_items_need_a_login_after_reset(MockPlaid::builder().seed(92).build()) |fake| {
        reset_scenario(fake.client()).await
    }
}
