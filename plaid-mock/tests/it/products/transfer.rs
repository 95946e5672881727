//! Transfer: authorize, create, read back, list, events, simulated status
//! changes, sweeps, cancellation, and the errors of each misuse.

use crate::support;
use crate::support::scenarios;

use crate::support::{code, Linked};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

fn user() -> Value {
    json!({"legal_name": "Ada Lovelace", "email_address": "ada@example.com",
           "address": {"street": "1 Analytical Way", "city": "London", "region": "LDN",
                       "postal_code": "N1", "country": "GB"}})
}

async fn authorize(client: &Client, linked: &Linked, kind: &str, amount: &str) -> Value {
    client
        .send_raw(
            "/transfer/authorization/create",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "type": kind, "network": "ach", "amount": amount, "ach_class": "ppd",
                   "user": user()}),
        )
        .await
        .expect("an authorization")["authorization"]
        .clone()
}

async fn transfer(client: &Client, linked: &Linked, kind: &str, amount: &str) -> Value {
    let authorization = authorize(client, linked, kind, amount).await;
    client
        .send_raw(
            "/transfer/create",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "authorization_id": authorization["id"], "description": "rent",
                   "metadata": {"invoice": "42"}}),
        )
        .await
        .expect("a transfer")["transfer"]
        .clone()
}

async fn simulate(client: &Client, id: &Value, event: &str) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/sandbox/transfer/simulate",
            json!({"transfer_id": id, "event_type": event}),
        )
        .await
}

async fn get(client: &Client, id: &Value) -> Value {
    client
        .send_raw("/transfer/get", json!({"transfer_id": id}))
        .await
        .expect("the transfer")["transfer"]
        .clone()
}

scenarios! {
    a_transfer_is_what_its_authorization_and_request_said(MockPlaid::builder().seed(11).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let authorization = authorize(&client, &linked, "debit", "25.5").await;
        assert_eq!(authorization["decision"], "approved");
        assert_eq!(authorization["decision_rationale"], Value::Null);
        let proposed = &authorization["proposed_transfer"];
        assert_eq!(proposed["amount"], "25.50");
        assert_eq!(proposed["type"], "debit");
        assert_eq!(proposed["account_id"], linked.account_ids[0].as_str());
        assert_eq!(proposed["user"]["legal_name"], "Ada Lovelace");
        assert_eq!(proposed["user"]["phone_number"], Value::Null);

        let created = client
            .send_raw(
                "/transfer/create",
                json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                       "authorization_id": authorization["id"], "description": "rent",
                       "amount": "20.00", "metadata": {"invoice": "42"}}),
            )
            .await
            .unwrap()["transfer"]
            .clone();
        assert_eq!(created["status"], "pending");
        assert_eq!(created["cancellable"], true);
        assert_eq!(created["amount"], "20.00");
        assert_eq!(created["description"], "rent");
        assert_eq!(created["metadata"], json!({"invoice": "42"}));
        assert_eq!(created["authorization_id"], authorization["id"]);
        assert_eq!(created["user"]["address"]["city"], "London");
        assert_eq!(get(&client, &created["id"]).await, created);
        let by_authorization = client
            .send_raw(
                "/transfer/get",
                json!({"authorization_id": authorization["id"]}),
            )
            .await
            .unwrap();
        assert_eq!(by_authorization["transfer"], created);

        let reused = client
            .send_raw(
                "/transfer/create",
                json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                       "authorization_id": authorization["id"], "description": "again"}),
            )
            .await;
        assert_eq!(code(reused, "a used authorization"), "INVALID_FIELD");
        let too_much = authorize(&client, &linked, "credit", "5.00").await;
        let over = client
            .send_raw(
                "/transfer/create",
                json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                       "authorization_id": too_much["id"], "description": "x", "amount": "5.01"}),
            )
            .await;
        assert_eq!(code(over, "more than authorized"), "INVALID_FIELD");
    }
    misuse_gives_plaids_errors(MockPlaid::builder().seed(12).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let unknown = client
            .send_raw("/transfer/get", json!({"transfer_id": "nope"}))
            .await;
        assert_eq!(code(unknown, "unknown transfer"), "INVALID_FIELD");
        let unknown = client
            .send_raw(
                "/transfer/create",
                json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                       "authorization_id": "nope", "description": "x"}),
            )
            .await;
        assert_eq!(code(unknown, "unknown authorization"), "INVALID_FIELD");
        let body = |account: &str, amount: &str| {
            json!({"access_token": linked.access_token, "account_id": account, "type": "debit",
                   "network": "ach", "amount": amount, "user": user()})
        };
        for (account, amount, expected) in [
            ("not-an-account", "1.00", "INVALID_ACCOUNT_ID"),
            (
                linked.account_ids[3].as_str(),
                "1.00",
                "TRANSFER_UNSUPPORTED_ACCOUNT_TYPE",
            ),
            (linked.account_ids[0].as_str(), "-1.00", "INVALID_FIELD"),
            (linked.account_ids[0].as_str(), "1.234", "INVALID_FIELD"),
            (linked.account_ids[0].as_str(), "0.00", "INVALID_FIELD"),
        ] {
            let answer = client
                .send_raw("/transfer/authorization/create", body(account, amount))
                .await;
            assert_eq!(code(answer, expected), expected, "{account} {amount}");
        }
        let simulated = simulate(&client, &json!("nope"), "posted").await;
        assert_eq!(code(simulated, "simulate unknown"), "INVALID_FIELD");

        let kept = transfer(&client, &linked, "debit", "3.00").await;
        client
            .send_raw("/item/remove", json!({"access_token": linked.access_token}))
            .await
            .unwrap();
        let removed = client
            .send_raw(
                "/transfer/authorization/create",
                body(&linked.account_ids[0], "1.00"),
            )
            .await;
        assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
        assert_eq!(
            get(&client, &kept["id"]).await["id"],
            kept["id"],
            "a transfer outlives its item"
        );
    }
    simulated_events_move_the_status_as_plaid_allows(MockPlaid::builder().seed(13).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let debit = transfer(&client, &linked, "debit", "10.00").await;
        let id = &debit["id"];
        let invalid = simulate(&client, id, "settled").await;
        assert_eq!(
            code(invalid, "pending -> settled"),
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
        );
        simulate(&client, id, "posted").await.unwrap();
        let posted = get(&client, id).await;
        assert_eq!(posted["status"], "posted");
        assert_eq!(posted["cancellable"], false);
        let cancel = client
            .send_raw("/transfer/cancel", json!({"transfer_id": id}))
            .await;
        assert_eq!(code(cancel, "cancel posted"), "TRANSFER_NOT_CANCELLABLE");
        simulate(&client, id, "settled").await.unwrap();
        simulate(&client, id, "funds_available").await.unwrap();
        assert_eq!(get(&client, id).await["status"], "funds_available");

        let credit = transfer(&client, &linked, "credit", "4.00").await;
        simulate(&client, &credit["id"], "posted").await.unwrap();
        simulate(&client, &credit["id"], "settled").await.unwrap();
        let credit_funds = simulate(&client, &credit["id"], "funds_available").await;
        assert_eq!(
            code(credit_funds, "funds_available on a credit"),
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
        );

        let returned = transfer(&client, &linked, "debit", "2.00").await;
        simulate(&client, &returned["id"], "posted").await.unwrap();
        client
            .send_raw(
                "/sandbox/transfer/simulate",
                json!({"transfer_id": returned["id"], "event_type": "returned",
                       "failure_reason": {"ach_return_code": "R02", "description": "account closed"}}),
            )
            .await
            .unwrap();
        let returned = get(&client, &returned["id"]).await;
        assert_eq!(returned["status"], "returned");
        assert_eq!(returned["failure_reason"]["ach_return_code"], "R02");
        assert_eq!(returned["failure_reason"]["description"], "account closed");

        let cancelled = transfer(&client, &linked, "debit", "1.00").await;
        client
            .send_raw("/transfer/cancel", json!({"transfer_id": cancelled["id"]}))
            .await
            .unwrap();
        let cancelled = get(&client, &cancelled["id"]).await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancellable"], false);
        let after = simulate(&client, &cancelled["id"], "posted").await;
        assert_eq!(
            code(after, "posted after cancel"),
            "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
        );

        // Every event, in order, with increasing ids.
        let events = client
            .send_raw("/transfer/event/sync", json!({"after_id": 0}))
            .await
            .unwrap();
        let seen: Vec<(String, String)> = events["transfer_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let who = if e["transfer_id"] == *id {
                    "debit"
                } else if e["transfer_id"] == credit["id"] {
                    "credit"
                } else if e["transfer_id"] == returned["id"] {
                    "returned"
                } else {
                    "cancelled"
                };
                (who.to_owned(), e["event_type"].as_str().unwrap().to_owned())
            })
            .collect();
        let expected: Vec<(String, String)> = [
            ("debit", "pending"),
            ("debit", "posted"),
            ("debit", "settled"),
            ("debit", "funds_available"),
            ("credit", "pending"),
            ("credit", "posted"),
            ("credit", "settled"),
            ("returned", "pending"),
            ("returned", "posted"),
            ("returned", "returned"),
            ("cancelled", "pending"),
            ("cancelled", "cancelled"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(seen, expected);
        let ids: Vec<i64> = events["transfer_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, (1..=12).collect::<Vec<_>>());
        assert_eq!(events["has_more"], false);

        let tail = client
            .send_raw("/transfer/event/sync", json!({"after_id": 10, "count": 1}))
            .await
            .unwrap();
        assert_eq!(tail["transfer_events"][0]["event_id"], 11);
        assert_eq!(tail["has_more"], true);

        let listed = client
            .send_raw(
                "/transfer/event/list",
                json!({"transfer_id": id, "event_types": ["posted", "settled"]}),
            )
            .await
            .unwrap();
        let types: Vec<&str> = listed["transfer_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["posted", "settled"]);
        let page = client
            .send_raw("/transfer/event/list", json!({"count": 5, "offset": 5}))
            .await
            .unwrap();
        assert_eq!(page["transfer_events"][0]["event_id"], 6);
        assert_eq!(page["has_more"], true);
    }
    lists_are_newest_first_and_page(MockPlaid::builder().seed(14).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let mut made = Vec::new();
        for amount in ["1.00", "2.00", "3.00"] {
            made.push(transfer(&client, &linked, "debit", amount).await["id"].clone());
            mock.advance_clock(time::Duration::minutes(1));
        }
        let all = client.send_raw("/transfer/list", json!({})).await.unwrap();
        let ids: Vec<&Value> = all["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| &t["id"])
            .collect();
        assert_eq!(ids, [&made[2], &made[1], &made[0]]);
        let page = client
            .send_raw("/transfer/list", json!({"count": 1, "offset": 1}))
            .await
            .unwrap();
        assert_eq!(page["transfers"].as_array().unwrap().len(), 1);
        assert_eq!(page["transfers"][0]["id"], made[1]);
        let first = get(&client, &made[0]).await;
        let window = client
            .send_raw(
                "/transfer/list",
                json!({"start_date": first["created"], "end_date": first["created"]}),
            )
            .await
            .unwrap();
        assert_eq!(window["transfers"].as_array().unwrap().len(), 1);
        assert_eq!(window["transfers"][0]["id"], made[0]);
        let bad = client
            .send_raw("/transfer/list", json!({"count": 26}))
            .await;
        assert_eq!(code(bad, "count 26"), "INVALID_FIELD");
    }
    sweeps_collect_settled_transfers(MockPlaid::builder().seed(15).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let nothing = client
            .send_raw("/sandbox/transfer/sweep/simulate", json!({}))
            .await
            .unwrap();
        assert!(nothing.get("sweep").is_none(), "{nothing}");
        let debit = transfer(&client, &linked, "debit", "10.00").await;
        let credit = transfer(&client, &linked, "credit", "3.50").await;
        let pending = transfer(&client, &linked, "debit", "99.00").await;
        for t in [&debit, &credit] {
            simulate(&client, &t["id"], "posted").await.unwrap();
            simulate(&client, &t["id"], "settled").await.unwrap();
        }
        let swept = client
            .send_raw("/sandbox/transfer/sweep/simulate", json!({}))
            .await
            .unwrap()["sweep"]
            .clone();
        assert_eq!(swept["amount"], "6.50");
        assert_eq!(get(&client, &debit["id"]).await["sweep_status"], "swept");
        assert_eq!(
            get(&client, &pending["id"]).await["sweep_status"],
            "unswept"
        );
        let got = client
            .send_raw("/transfer/sweep/get", json!({"sweep_id": swept["id"]}))
            .await
            .unwrap();
        assert_eq!(got["sweep"], swept);
        let listed = client
            .send_raw("/transfer/sweep/list", json!({"transfer_id": credit["id"]}))
            .await
            .unwrap();
        assert_eq!(listed["sweeps"], json!([swept]));
        let none = client
            .send_raw(
                "/transfer/sweep/list",
                json!({"transfer_id": pending["id"]}),
            )
            .await
            .unwrap();
        assert_eq!(none["sweeps"], json!([]));
        let events = client
            .send_raw("/transfer/event/list", json!({"sweep_id": swept["id"]}))
            .await
            .unwrap();
        assert_eq!(events["transfer_events"].as_array().unwrap().len(), 2);
        assert_eq!(events["transfer_events"][0]["event_type"], "swept");
        let again = client
            .send_raw("/sandbox/transfer/sweep/simulate", json!({}))
            .await
            .unwrap();
        assert!(
            again.get("sweep").is_none(),
            "swept transfers are not swept twice"
        );
        let unknown = client
            .send_raw("/transfer/sweep/get", json!({"sweep_id": "nope"}))
            .await;
        assert_eq!(code(unknown, "unknown sweep"), "INVALID_FIELD");
    }
}
