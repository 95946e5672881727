//! Signal evaluations belong to an item's account.

mod linked_item;
use linked_item as support;

use plaid_mock::MockPlaid;
use serde_json::json;
use support::code;

#[tokio::test]
async fn signal_checks_the_item_and_its_account() {
    let client = MockPlaid::builder().seed(51).build().client();
    let linked = support::link(&client, "ins_109508").await;
    let body = |account: &str, amount: f64| {
        json!({"access_token": linked.access_token, "account_id": account,
               "client_transaction_id": "t-1", "amount": amount})
    };
    let scores = client
        .send_raw("/signal/evaluate", body(&linked.account_ids[0], 12.5))
        .await
        .unwrap();
    assert!(scores["scores"].is_object(), "{scores}");
    let other = client
        .send_raw("/signal/evaluate", body("nope", 12.5))
        .await;
    assert_eq!(code(other, "unknown account"), "INVALID_ACCOUNT_ID");
    let zero = client
        .send_raw("/signal/evaluate", body(&linked.account_ids[0], 0.0))
        .await;
    assert_eq!(code(zero, "zero amount"), "INVALID_FIELD");
    client
        .send_raw(
            "/signal/prepare",
            json!({"access_token": linked.access_token}),
        )
        .await
        .unwrap();
    client
        .send_raw("/item/remove", json!({"access_token": linked.access_token}))
        .await
        .unwrap();
    let removed = client
        .send_raw("/signal/evaluate", body(&linked.account_ids[0], 1.0))
        .await;
    assert_eq!(code(removed, "removed item"), "INVALID_ACCESS_TOKEN");
    let removed = client
        .send_raw(
            "/signal/prepare",
            json!({"access_token": linked.access_token}),
        )
        .await;
    assert_eq!(code(removed, "removed item"), "INVALID_ACCESS_TOKEN");
}
