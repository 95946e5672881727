//! Link tokens and Transfer keeping state across calls, in-process and
//! over real HTTP (the `plaid-mock` server and `plaid_hyper::HyperTransport`).

use crate::support;

use crate::support::scenarios;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::json;

async fn link_tokens_and_transfers_keep_state(client: &Client) {
    let created = client
        .send_raw(
            "/link/token/create",
            json!({"client_name": "Over HTTP", "language": "en", "country_codes": ["US"],
                   "user": {"client_user_id": "h"}, "products": ["transfer"],
                   "webhook": "https://h.example/hook"}),
        )
        .await
        .unwrap();
    let got = client
        .send_raw(
            "/link/token/get",
            json!({"link_token": created["link_token"]}),
        )
        .await
        .unwrap();
    assert_eq!(got["link_token"], created["link_token"]);
    assert_eq!(got["metadata"]["client_name"], "Over HTTP");
    assert_eq!(got["metadata"]["initial_products"], json!(["transfer"]));
    let unknown = client
        .send_raw("/link/token/get", json!({"link_token": "link-sandbox-x"}))
        .await;
    assert_eq!(support::code(unknown, "unknown"), "INVALID_LINK_TOKEN");

    let linked = support::link(client, "ins_109508").await;
    let authorization = client
        .send_raw(
            "/transfer/authorization/create",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "type": "credit", "network": "ach", "amount": "7.00",
                   "user": {"legal_name": "Grace Hopper"}}),
        )
        .await
        .unwrap();
    let transfer = client
        .send_raw(
            "/transfer/create",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "authorization_id": authorization["authorization"]["id"],
                   "description": "payout"}),
        )
        .await
        .unwrap()["transfer"]
        .clone();
    client
        .send_raw(
            "/sandbox/transfer/simulate",
            json!({"transfer_id": transfer["id"], "event_type": "posted"}),
        )
        .await
        .unwrap();
    let got = client
        .send_raw("/transfer/get", json!({"transfer_id": transfer["id"]}))
        .await
        .unwrap();
    assert_eq!(got["transfer"]["status"], "posted");
    assert_eq!(got["transfer"]["amount"], "7.00");
    assert_eq!(got["transfer"]["user"]["legal_name"], "Grace Hopper");
    let listed = client.send_raw("/transfer/list", json!({})).await.unwrap();
    assert_eq!(listed["transfers"][0]["id"], transfer["id"]);
    let events = client
        .send_raw("/transfer/event/sync", json!({"after_id": 0}))
        .await
        .unwrap();
    let types: Vec<&str> = events["transfer_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["pending", "posted"]);
}

scenarios! {
    link_tokens_and_transfers_keep_state(MockPlaid::builder().seed(21).build()) |fake| {
        link_tokens_and_transfers_keep_state(fake.client()).await
    }
}
