//! Item upkeep: `/item/products/terminate` ends the item,
//! `/identity/refresh` needs a working item, Identity Document Upload has
//! the item's accounts and owners (no documents: nothing was uploaded),
//! and `/sandbox/item/set_verification_status` moves only accounts that
//! wait for automated micro-deposits.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::json;

async fn scenario(mock: &MockPlaid, client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let token = json!(linked.access_token);

    client
        .send_raw("/identity/refresh", json!({ "access_token": token }))
        .await
        .expect("refreshed");

    let uploads = client
        .send_raw(
            "/identity/documents/uploads/get",
            json!({"access_token": token, "options": {"account_ids": [linked.account_ids[0]]}}),
        )
        .await
        .expect("uploads");
    let accounts = uploads["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["account_id"], linked.account_ids[0].as_str());
    assert_eq!(accounts[0]["documents"], json!([]));
    assert!(accounts[0]["owners"][0]["names"][0].is_string());
    let unknown = client
        .send_raw(
            "/identity/documents/uploads/get",
            json!({"access_token": token, "options": {"account_ids": ["nope"]}}),
        )
        .await;
    assert_eq!(code(unknown, "unknown account"), "INVALID_ACCOUNT_ID");

    let set = |account: &str, status: &str| json!({"access_token": token, "account_id": account, "verification_status": status});
    let verified = client
        .send_raw(
            "/sandbox/item/set_verification_status",
            set(&linked.account_ids[0], "automatically_verified"),
        )
        .await;
    assert_eq!(code(verified, "an account not pending"), "INVALID_FIELD");
    let other = client
        .send_raw(
            "/sandbox/item/set_verification_status",
            set("nope", "verification_expired"),
        )
        .await;
    assert_eq!(code(other, "another account"), "INVALID_ACCOUNT_ID");
    let status = client
        .send_raw(
            "/sandbox/item/set_verification_status",
            set(&linked.account_ids[0], "manually_verified"),
        )
        .await;
    assert_eq!(
        code(status, "a status the sandbox does not set"),
        "INVALID_FIELD"
    );

    // A login-required item cannot be refreshed.
    mock.reset_login(&linked.access_token).expect("reset");
    let broken = client
        .send_raw("/identity/refresh", json!({ "access_token": token }))
        .await;
    assert_eq!(code(broken, "login required"), "ITEM_LOGIN_REQUIRED");

    client
        .send_raw(
            "/item/products/terminate",
            json!({"access_token": token, "reason_code": "USER_OFFBOARDING"}),
        )
        .await
        .expect("terminated");
    let gone = client
        .send_raw("/accounts/get", json!({ "access_token": token }))
        .await;
    assert_eq!(code(gone, "terminated item"), "INVALID_ACCESS_TOKEN");
    let again = client
        .send_raw(
            "/item/products/terminate",
            json!({"access_token": token, "reason_code": "USER_OFFBOARDING"}),
        )
        .await;
    assert_eq!(code(again, "terminated twice"), "INVALID_ACCESS_TOKEN");
}

scenarios! {
    item_upkeep(MockPlaid::builder().seed(81).build()) |fake| {
        scenario(&fake.mock, fake.client()).await
    }
}
