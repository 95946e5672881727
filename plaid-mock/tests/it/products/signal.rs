//! Signal evaluations belong to an item's account.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_mock::MockPlaid;
use serde_json::json;

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
    assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
    let removed = client
        .send_raw(
            "/signal/prepare",
            json!({"access_token": linked.access_token}),
        )
        .await;
    assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
}

/// Reports name an earlier evaluation; through a processor token, one of
/// the token's item.
async fn reports_scenario(client: &plaid_core::Client) {
    let linked = support::link(client, "ins_109508").await;
    let decision = |id: &str| {
        json!({"client_transaction_id": id, "initiated": true,
                                     "days_funds_on_hold": 2, "decision_outcome": "APPROVE"})
    };
    let unknown = client
        .send_raw("/signal/decision/report", decision("never-evaluated"))
        .await;
    assert_eq!(code(unknown, "no evaluation"), "INVALID_FIELD");
    client
        .send_raw(
            "/signal/evaluate",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "client_transaction_id": "order-1", "amount": 42.0}),
        )
        .await
        .expect("an evaluation");
    client
        .send_raw("/signal/decision/report", decision("order-1"))
        .await
        .expect("a decision report");
    client
        .send_raw(
            "/signal/return/report",
            json!({"client_transaction_id": "order-1", "return_code": "R01"}),
        )
        .await
        .expect("a return report");
    let unknown = client
        .send_raw(
            "/signal/return/report",
            json!({"client_transaction_id": "order-2", "return_code": "R01"}),
        )
        .await;
    assert_eq!(code(unknown, "no evaluation"), "INVALID_FIELD");

    // A processor token of another account of the item did not evaluate
    // order-1; its own evaluation can be reported through it.
    let token_of = |account: usize| {
        json!({"access_token": linked.access_token,
               "account_id": linked.account_ids[account], "processor": "dwolla"})
    };
    let saving = client
        .send_raw("/processor/token/create", token_of(1))
        .await
        .expect("a processor token")["processor_token"]
        .clone();
    let mut through = decision("order-1");
    through["processor_token"] = saving.clone();
    let other = client
        .send_raw("/processor/signal/decision/report", through)
        .await;
    assert_eq!(code(other, "another account's evaluation"), "INVALID_FIELD");
    client
        .send_raw(
            "/processor/signal/evaluate",
            json!({"processor_token": saving, "client_transaction_id": "order-3", "amount": 5.0}),
        )
        .await
        .expect("a partner evaluation");
    let mut mine = decision("order-3");
    mine["processor_token"] = saving.clone();
    client
        .send_raw("/processor/signal/decision/report", mine)
        .await
        .expect("the partner's report");
    client
        .send_raw(
            "/processor/signal/return/report",
            json!({"processor_token": saving, "client_transaction_id": "order-3", "return_code": "R02"}),
        )
        .await
        .expect("the partner's return report");
    client
        .send_raw(
            "/processor/signal/prepare",
            json!({ "processor_token": saving }),
        )
        .await
        .expect("prepared");

    // A schedule: five weekdays from tomorrow, the optimal one first.
    let schedule = client
        .send_raw(
            "/signal/schedule",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "client_transaction_id": "order-4", "amount": 10.0}),
        )
        .await
        .expect("a schedule");
    let days = schedule["recommendations"].as_array().expect("days");
    assert_eq!(days.len(), 5);
    assert_eq!(schedule["optimal_date"], days[0]["date"]);
    assert_eq!(days[0]["rank"], 1);
    let zero = client
        .send_raw(
            "/signal/schedule",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "client_transaction_id": "order-4", "amount": 0.0}),
        )
        .await;
    assert_eq!(code(zero, "zero amount"), "INVALID_FIELD");

    // Removing the item forgets its evaluations.
    client
        .send_raw("/item/remove", json!({"access_token": linked.access_token}))
        .await
        .expect("removed");
    let gone = client
        .send_raw("/signal/decision/report", decision("order-1"))
        .await;
    assert_eq!(code(gone, "removed item"), "INVALID_FIELD");
}

scenarios! {
    reports_name_an_earlier_evaluation(MockPlaid::builder().seed(52).build()) |fake| {
        reports_scenario(fake.client()).await
    }
}
