//! The Plaid Ledger behind Transfer: debits held as `pending` until their
//! funds are available, credits paid from `available`, deposits and
//! withdrawals as sweeps with their simulated events, every move a ledger
//! event; plus authorization cancel and the account's capabilities. The
//! same flow runs in process and over HTTP.

use crate::support;
use crate::support::scenarios;

use crate::support::{code, Linked};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn call(client: &Client, path: &str, body: Value) -> Value {
    client
        .send_raw(path, body)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn authorize(client: &Client, linked: &Linked, kind: &str, amount: &str) -> Value {
    call(
        client,
        "/transfer/authorization/create",
        json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
               "type": kind, "network": "ach", "amount": amount, "ach_class": "ppd",
               "user": {"legal_name": "Ada Lovelace"}}),
    )
    .await["authorization"]
        .clone()
}

async fn transfer(client: &Client, linked: &Linked, kind: &str, amount: &str) -> Value {
    let authorization = authorize(client, linked, kind, amount).await;
    call(
        client,
        "/transfer/create",
        json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
               "authorization_id": authorization["id"], "description": "d"}),
    )
    .await["transfer"]["id"]
        .clone()
}

async fn simulate(client: &Client, id: &Value, events: &[&str]) {
    for event in events {
        call(
            client,
            "/sandbox/transfer/simulate",
            json!({"transfer_id": id, "event_type": event}),
        )
        .await;
    }
}

/// The default ledger's (available, pending).
async fn balances(client: &Client) -> (String, String) {
    let ledger = call(client, "/transfer/ledger/get", json!({})).await;
    assert_eq!(ledger["is_default"], true);
    let balance = &ledger["balance"];
    (
        balance["available"].as_str().unwrap().to_owned(),
        balance["pending"].as_str().unwrap().to_owned(),
    )
}

fn pair(available: &str, pending: &str) -> (String, String) {
    (available.to_owned(), pending.to_owned())
}

async fn ledger_flow(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    assert_eq!(balances(client).await, pair("0.00", "0.00"));

    // A debit is pending until its funds are available; a credit is paid
    // out of the available balance at once.
    let debit = transfer(client, &linked, "debit", "20.00").await;
    assert_eq!(balances(client).await, pair("0.00", "20.00"));
    let credit = transfer(client, &linked, "credit", "5.00").await;
    assert_eq!(balances(client).await, pair("-5.00", "20.00"));
    simulate(client, &debit, &["posted", "settled"]).await;
    assert_eq!(
        balances(client).await,
        pair("-5.00", "20.00"),
        "settled is still held"
    );
    simulate(client, &debit, &["funds_available"]).await;
    assert_eq!(balances(client).await, pair("15.00", "0.00"));

    // A deposit is a sweep into the ledger, idempotent by key.
    let deposit = json!({"amount": "100.00", "idempotency_key": "dep-1", "network": "ach",
                         "description": "top up"});
    let sweep = call(client, "/transfer/ledger/deposit", deposit.clone()).await["sweep"].clone();
    assert_eq!(sweep["amount"], "-100.00", "out of the business account");
    assert_eq!(sweep["status"], "pending");
    assert_eq!(sweep["description"], "top up");
    let again = call(client, "/transfer/ledger/deposit", deposit).await["sweep"].clone();
    assert_eq!(again["id"], sweep["id"], "the same key, the same sweep");
    assert_eq!(balances(client).await, pair("15.00", "100.00"));

    let skip = client
        .send_raw(
            "/sandbox/transfer/ledger/deposit/simulate",
            json!({"sweep_id": sweep["id"], "event_type": "sweep.settled"}),
        )
        .await;
    assert_eq!(
        code(skip, "pending straight to settled"),
        "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
    );
    for event in ["sweep.posted", "sweep.settled"] {
        call(
            client,
            "/sandbox/transfer/ledger/deposit/simulate",
            json!({"sweep_id": sweep["id"], "event_type": event}),
        )
        .await;
    }
    call(
        client,
        "/sandbox/transfer/ledger/simulate_available",
        json!({}),
    )
    .await;
    assert_eq!(balances(client).await, pair("115.00", "0.00"));
    let got = call(
        client,
        "/transfer/sweep/get",
        json!({"sweep_id": sweep["id"]}),
    )
    .await;
    assert_eq!(got["sweep"]["status"], "funds_available");
    assert!(
        got["sweep"].get("ledger_direction").is_none(),
        "no bookkeeping leaks"
    );

    // A withdrawal leaves the available balance at once and comes back if
    // it fails.
    let withdrawal = call(
        client,
        "/transfer/ledger/withdraw",
        json!({"amount": "30.00", "idempotency_key": "wd-1", "network": "ach"}),
    )
    .await["sweep"]
        .clone();
    assert_eq!(withdrawal["amount"], "30.00");
    assert_eq!(balances(client).await, pair("85.00", "0.00"));
    call(
        client,
        "/sandbox/transfer/ledger/withdraw/simulate",
        json!({"sweep_id": withdrawal["id"], "event_type": "sweep.failed"}),
    )
    .await;
    assert_eq!(balances(client).await, pair("115.00", "0.00"));
    let failed = call(
        client,
        "/transfer/sweep/get",
        json!({"sweep_id": withdrawal["id"]}),
    )
    .await;
    assert_eq!(failed["sweep"]["status"], "failed");
    assert_eq!(
        failed["sweep"]["failure_reason"]["failure_code"],
        Value::Null
    );
    // A deposit's id is no withdrawal.
    let wrong = client
        .send_raw(
            "/sandbox/transfer/ledger/withdraw/simulate",
            json!({"sweep_id": sweep["id"], "event_type": "sweep.posted"}),
        )
        .await;
    assert_eq!(
        code(wrong, "a deposit simulated as a withdrawal"),
        "INVALID_FIELD"
    );

    // A returned credit gives its money back.
    simulate(client, &credit, &["posted", "returned"]).await;
    assert_eq!(balances(client).await, pair("120.00", "0.00"));

    // The debit's own events, newest first: held, released.
    let events = call(
        client,
        "/transfer/ledger/event/list",
        json!({"source_id": debit, "source_type": "TRANSFER"}),
    )
    .await;
    let moves: Vec<(&str, &str)> = events["ledger_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        moves,
        [
            ("available", "20.00"),
            ("pending", "-20.00"),
            ("pending", "20.00")
        ]
    );
    assert_eq!(events["has_more"], false);
    let page = call(client, "/transfer/ledger/event/list", json!({"count": 2})).await;
    assert_eq!(page["ledger_events"].as_array().unwrap().len(), 2);
    assert_eq!(page["has_more"], true);
    assert_eq!(page["ledger_events"][0]["available_balance"], "120.00");

    let balance = call(
        client,
        "/transfer/balance/get",
        json!({"type": "prefunded_ach_credits"}),
    )
    .await;
    assert_eq!(
        balance["balance"],
        json!({"available": "120.00", "current": "120.00", "type": "prefunded_ach_credits"})
    );
    let unknown = client
        .send_raw("/transfer/ledger/get", json!({"ledger_id": "not-a-ledger"}))
        .await;
    assert_eq!(code(unknown, "an unknown ledger"), "INVALID_FIELD");
}

async fn authorizations_and_capabilities(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let authorization = authorize(client, &linked, "debit", "9.99").await;
    call(
        client,
        "/transfer/authorization/cancel",
        json!({"authorization_id": authorization["id"]}),
    )
    .await;
    let after = client
        .send_raw(
            "/transfer/create",
            json!({"access_token": linked.access_token, "account_id": linked.account_ids[0],
                   "authorization_id": authorization["id"], "description": "d"}),
        )
        .await;
    assert_eq!(code(after, "a cancelled authorization"), "INVALID_FIELD");
    let unknown = client
        .send_raw(
            "/transfer/authorization/cancel",
            json!({"authorization_id": "no-such-authorization"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown authorization"), "INVALID_FIELD");

    let capabilities =
        |account: &str| json!({"access_token": linked.access_token, "account_id": account});
    let checking = call(
        client,
        "/transfer/capabilities/get",
        capabilities(&linked.account_ids[0]),
    )
    .await;
    assert_eq!(
        checking["institution_supported_networks"]["rtp"]["credit"],
        true
    );
    let card = call(
        client,
        "/transfer/capabilities/get",
        capabilities(&linked.account_ids[3]),
    )
    .await;
    assert_eq!(
        card["institution_supported_networks"]["rtp"]["credit"],
        false
    );
    let other = client
        .send_raw("/transfer/capabilities/get", capabilities("not-an-account"))
        .await;
    assert_eq!(code(other, "an account of no item"), "INVALID_ACCOUNT_ID");
}

/// Today's and this month's volumes, and the sandbox's webhook triggers.
async fn metrics_and_webhooks(mock: &MockPlaid, client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    transfer(client, &linked, "debit", "10.00").await;
    transfer(client, &linked, "credit", "2.50").await;
    let failed = transfer(client, &linked, "debit", "99.00").await;
    simulate(client, &failed, &["failed"]).await;
    let metrics = call(client, "/transfer/metrics/get", json!({})).await;
    assert_eq!(
        metrics["daily_debit_transfer_volume"], "10.00",
        "failed ones do not count"
    );
    assert_eq!(metrics["daily_credit_transfer_volume"], "2.50");
    assert_eq!(metrics["monthly_transfer_volume"], "12.50");
    assert_eq!(metrics["iso_currency_code"], "USD");
    // A month later the day and the month are new.
    mock.advance_clock(time::Duration::days(40));
    let later = call(client, "/transfer/metrics/get", json!({})).await;
    assert_eq!(later["daily_debit_transfer_volume"], "0.00");
    assert_eq!(later["monthly_transfer_volume"], "0.00");

    for (path, code) in [
        ("/sandbox/transfer/fire_webhook", "TRANSFER_EVENTS_UPDATE"),
        (
            "/sandbox/bank_transfer/fire_webhook",
            "BANK_TRANSFERS_EVENTS_UPDATE",
        ),
    ] {
        call(
            client,
            path,
            json!({"webhook": "http://127.0.0.1:9/transfers"}),
        )
        .await;
        let sent = mock.webhooks().last().cloned().expect("a webhook");
        assert_eq!(sent.url.as_deref(), Some("http://127.0.0.1:9/transfers"));
        let body: Value = serde_json::from_slice(&sent.body).unwrap();
        assert_eq!(body["webhook_code"], code, "{path}");
        assert_eq!(body["environment"], "sandbox");
    }
}

/// Refunds of a debit: never more than is left, paid from the ledger,
/// cancelled while pending, simulated as Plaid orders their events.
async fn refunds(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let debit = transfer(client, &linked, "debit", "50.00").await;
    simulate(client, &debit, &["posted", "settled", "funds_available"]).await;
    assert_eq!(balances(client).await, pair("50.00", "0.00"));
    let refund = |amount: &str, key: &str| {
        client.send_raw(
            "/transfer/refund/create",
            json!({"transfer_id": debit, "amount": amount, "idempotency_key": key}),
        )
    };
    let made = refund("20.00", "r-1").await.expect("a refund")["refund"].clone();
    assert_eq!(made["status"], "pending");
    assert_eq!(made["amount"], "20.00");
    let again = refund("20.00", "r-1").await.expect("the same refund")["refund"].clone();
    assert_eq!(again["id"], made["id"], "one refund per key");
    assert_eq!(
        balances(client).await,
        pair("30.00", "0.00"),
        "paid from available"
    );
    let too_much = refund("30.01", "r-2").await;
    assert_eq!(code(too_much, "more than is left"), "INVALID_FIELD");

    let second = refund("30.00", "r-3").await.expect("the rest")["refund"].clone();
    call(
        client,
        "/transfer/refund/cancel",
        json!({"refund_id": second["id"]}),
    )
    .await;
    assert_eq!(
        balances(client).await,
        pair("30.00", "0.00"),
        "a cancel gives it back"
    );
    let got = call(
        client,
        "/transfer/refund/get",
        json!({"refund_id": second["id"]}),
    )
    .await;
    assert_eq!(got["refund"]["status"], "cancelled");

    let step = |id: &Value, event: &str| {
        client.send_raw(
            "/sandbox/transfer/refund/simulate",
            json!({"refund_id": id, "event_type": event}),
        )
    };
    let skip = step(&made["id"], "refund.settled").await;
    assert_eq!(
        code(skip, "pending straight to settled"),
        "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
    );
    step(&made["id"], "refund.posted").await.expect("posted");
    step(&made["id"], "refund.returned")
        .await
        .expect("returned");
    assert_eq!(
        balances(client).await,
        pair("50.00", "0.00"),
        "a return gives it back"
    );
    let cancel = client
        .send_raw("/transfer/refund/cancel", json!({"refund_id": made["id"]}))
        .await;
    assert_eq!(code(cancel, "a sent refund"), "TRANSFER_NOT_CANCELLABLE");

    let events = call(
        client,
        "/transfer/event/list",
        json!({"transfer_id": debit}),
    )
    .await;
    let refund_events: Vec<&str> = events["transfer_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["refund_id"] == made["id"])
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        refund_events,
        ["refund.pending", "refund.posted", "refund.returned"]
    );

    // A refund of a transfer that has not settled cannot be posted yet.
    let fresh = transfer(client, &linked, "debit", "5.00").await;
    let early = client
        .send_raw(
            "/transfer/refund/create",
            json!({"transfer_id": fresh, "amount": "1.00", "idempotency_key": "r-4"}),
        )
        .await
        .expect("a refund")["refund"]
        .clone();
    let posted = step(&early["id"], "refund.posted").await;
    assert_eq!(
        code(posted, "before the transfer settled"),
        "SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID"
    );
}

scenarios! {
    the_ledger_follows_transfers_and_sweeps(MockPlaid::builder().seed(71).build()) |fake| {
        ledger_flow(fake.client()).await
    }
    authorizations_cancel_and_capabilities(MockPlaid::builder().seed(73).build()) |fake| {
        authorizations_and_capabilities(fake.client()).await
    }
    metrics_and_sandbox_webhooks(MockPlaid::builder().seed(75).build()) |fake| {
        metrics_and_webhooks(&fake.mock, fake.client()).await
    }
    refunds(MockPlaid::builder().seed(77).build()) |fake| {
        refunds(fake.client()).await
    }
}
