//! Bank Transfers (legacy): create, read back, list, simulated status
//! changes, every event in order, cancellation, and misuse.

use crate::support;
use crate::support::scenarios;

use crate::support::{code, Linked};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn create(client: &Client, linked: &Linked, key: &str, kind: &str, amount: &str) -> Value {
    client
        .send_raw(
            "/bank_transfer/create",
            json!({"idempotency_key": key, "access_token": linked.access_token,
                   "account_id": linked.account_ids[0], "type": kind, "network": "ach",
                   "amount": amount, "iso_currency_code": "USD", "description": "payroll",
                   "ach_class": "ccd", "custom_tag": "batch-7",
                   "user": {"legal_name": "Katherine Johnson", "email_address": "kj@example.com"}}),
        )
        .await
        .expect("a bank transfer")["bank_transfer"]
        .clone()
}

async fn simulate(client: &Client, id: &Value, event: &str) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/sandbox/bank_transfer/simulate",
            json!({"bank_transfer_id": id, "event_type": event}),
        )
        .await
}

async fn get(client: &Client, id: &Value) -> Value {
    client
        .send_raw("/bank_transfer/get", json!({"bank_transfer_id": id}))
        .await
        .expect("the bank transfer")["bank_transfer"]
        .clone()
}

scenarios! {
    a_bank_transfer_lives_through_its_events(MockPlaid::builder().seed(31).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let created = create(&client, &linked, "k1", "credit", "12.00").await;
        assert_eq!(created["status"], "pending");
        assert_eq!(created["cancellable"], true);
        assert_eq!(created["amount"], "12.00");
        assert_eq!(created["ach_class"], "ccd");
        assert_eq!(created["custom_tag"], "batch-7");
        assert_eq!(created["direction"], "outbound");
        assert_eq!(created["user"]["legal_name"], "Katherine Johnson");
        assert_eq!(get(&client, &created["id"]).await, created);
        let again = create(&client, &linked, "k1", "credit", "12.00").await;
        assert_eq!(again["id"], created["id"], "the same idempotency key");

        let invalid = simulate(&client, &created["id"], "reversed").await;
        assert_eq!(
            code(invalid, "pending -> reversed"),
            "SANDBOX_BANK_TRANSFER_EVENT_TRANSITION_INVALID"
        );
        simulate(&client, &created["id"], "posted").await.unwrap();
        let cancel = client
            .send_raw(
                "/bank_transfer/cancel",
                json!({"bank_transfer_id": created["id"]}),
            )
            .await;
        assert_eq!(
            code(cancel, "cancel posted"),
            "BANK_TRANSFER_NOT_CANCELLABLE"
        );
        simulate(&client, &created["id"], "reversed").await.unwrap();
        let reversed = get(&client, &created["id"]).await;
        assert_eq!(reversed["status"], "reversed");
        assert_eq!(reversed["failure_reason"]["ach_return_code"], "R01");

        let debit = create(&client, &linked, "k2", "debit", "3.00").await;
        assert_eq!(debit["direction"], "inbound");
        client
            .send_raw(
                "/bank_transfer/cancel",
                json!({"bank_transfer_id": debit["id"]}),
            )
            .await
            .unwrap();
        assert_eq!(get(&client, &debit["id"]).await["status"], "cancelled");

        let events = client
            .send_raw("/bank_transfer/event/sync", json!({"after_id": 0}))
            .await
            .unwrap();
        let seen: Vec<(i64, &str, bool)> = events["bank_transfer_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["event_id"].as_i64().unwrap(),
                    e["event_type"].as_str().unwrap(),
                    e["bank_transfer_id"] == created["id"],
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (1, "pending", true),
                (2, "posted", true),
                (3, "reversed", true),
                (4, "pending", false),
                (5, "cancelled", false)
            ]
        );
        let later = client
            .send_raw("/bank_transfer/event/sync", json!({"after_id": 3}))
            .await
            .unwrap();
        assert_eq!(later["bank_transfer_events"].as_array().unwrap().len(), 2);
        let listed = client
            .send_raw(
                "/bank_transfer/event/list",
                json!({"bank_transfer_id": debit["id"]}),
            )
            .await
            .unwrap();
        assert_eq!(listed["bank_transfer_events"].as_array().unwrap().len(), 2);

        let all = client
            .send_raw("/bank_transfer/list", json!({}))
            .await
            .unwrap();
        let ids: Vec<&Value> = all["bank_transfers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| &t["id"])
            .collect();
        assert_eq!(ids, [&debit["id"], &created["id"]], "newest first");
        let inbound = client
            .send_raw("/bank_transfer/list", json!({"direction": "inbound"}))
            .await
            .unwrap();
        assert_eq!(inbound["bank_transfers"].as_array().unwrap().len(), 1);
    }
    bank_transfer_misuse_gives_plaids_errors(MockPlaid::builder().seed(32).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let unknown = client
            .send_raw("/bank_transfer/get", json!({"bank_transfer_id": "nope"}))
            .await;
        assert_eq!(code(unknown, "unknown"), "INVALID_FIELD");
        let unknown = simulate(&client, &json!("nope"), "posted").await;
        assert_eq!(code(unknown, "simulate unknown"), "INVALID_FIELD");
        let body = |account: &str| {
            json!({"idempotency_key": "x", "access_token": linked.access_token, "account_id": account,
                   "type": "debit", "network": "ach", "amount": "1.00", "iso_currency_code": "USD",
                   "description": "d", "user": {"legal_name": "L"}})
        };
        let other = client.send_raw("/bank_transfer/create", body("nope")).await;
        assert_eq!(code(other, "another item's account"), "INVALID_ACCOUNT_ID");
        client
            .send_raw("/item/remove", json!({"access_token": linked.access_token}))
            .await
            .unwrap();
        let removed = client
            .send_raw("/bank_transfer/create", body(&linked.account_ids[0]))
            .await;
        assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
    }
}
