//! `/sandbox/transactions/create` adds transactions to a
//! `user_transactions_dynamic` item (seen by `/transactions/get` and
//! `/transactions/sync`, announced by `SYNC_UPDATES_AVAILABLE`), and
//! `/transactions/recurring/get` finds the streams among the item's
//! transactions.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};
use time::{Date, Duration};

const HOOK: &str = "https://example.com/recurring-hook";

fn day(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Links an item for `username` with a webhook; its access token and
/// account ids.
async fn link_as(client: &Client, username: &str) -> (String, Vec<String>) {
    let token = support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
               "options": {"override_username": username, "webhook": HOOK}}),
    )
    .await;
    let accounts = client
        .send_raw("/accounts/get", json!({ "access_token": token }))
        .await
        .expect("accounts");
    let ids = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap().to_owned())
        .collect();
    (token, ids)
}

fn sandbox_transaction(date: Date, amount: f64, description: &str) -> Value {
    json!({"date_transacted": day(date), "date_posted": day(date), "amount": amount,
           "description": description})
}

async fn create(
    client: &Client,
    token: &str,
    transactions: Vec<Value>,
) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/sandbox/transactions/create",
            json!({"access_token": token, "transactions": transactions}),
        )
        .await
}

/// The ids of the item's transactions named `name`, oldest first.
async fn ids_named(client: &Client, token: &str, today: Date, name: &str) -> Vec<String> {
    let got = client
        .send_raw(
            "/transactions/get",
            json!({"access_token": token, "start_date": day(today - Duration::days(30)),
                   "end_date": day(today), "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
    let mut found: Vec<(String, String)> = got["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == name)
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_owned(),
                t["transaction_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

fn stream<'a>(answer: &'a Value, list: &str, description: &str) -> &'a Value {
    answer[list]
        .as_array()
        .expect("streams")
        .iter()
        .find(|s| s["description"] == description)
        .unwrap_or_else(|| panic!("no {description} stream in {list}: {answer}"))
}

async fn recurring(client: &Client, token: &str) -> Value {
    client
        .send_raw(
            "/transactions/recurring/get",
            json!({ "access_token": token }),
        )
        .await
        .expect("streams")
}

async fn scenario(mock: &MockPlaid, client: &Client) {
    let today = mock.now().date();

    // Only the dynamic test user's items take created transactions.
    let (good, _) = link_as(client, "user_good").await;
    let refused = create(
        client,
        &good,
        vec![sandbox_transaction(today, 5.0, "Coffee")],
    )
    .await;
    assert_eq!(code(refused, "user_good item"), "INVALID_FIELD");

    let (token, accounts) = link_as(client, "user_transactions_dynamic").await;
    let eleven = (0..11)
        .map(|_| sandbox_transaction(today, 1.0, "Too many"))
        .collect();
    assert_eq!(
        code(create(client, &token, eleven).await, "eleven"),
        "INVALID_FIELD"
    );
    let future = create(
        client,
        &token,
        vec![sandbox_transaction(today + Duration::days(1), 1.0, "Later")],
    )
    .await;
    assert_eq!(code(future, "a future date"), "INVALID_FIELD");
    let old = create(
        client,
        &token,
        vec![sandbox_transaction(today - Duration::days(15), 1.0, "Old")],
    )
    .await;
    assert_eq!(code(old, "15 days back"), "INVALID_FIELD");

    // A sync cursor from before, to see what the create adds.
    let before = client
        .send_raw(
            "/transactions/sync",
            json!({"access_token": token, "count": 500}),
        )
        .await
        .expect("a sync");
    let mut cursor = before["next_cursor"].clone();
    let mut more = before["has_more"] == true;
    while more {
        let page = client
            .send_raw(
                "/transactions/sync",
                json!({"access_token": token, "cursor": cursor, "count": 500}),
            )
            .await
            .expect("a page");
        cursor = page["next_cursor"].clone();
        more = page["has_more"] == true;
    }

    let gym: Vec<Value> = [14, 7, 0]
        .iter()
        .map(|back| sandbox_transaction(today - Duration::days(*back), 15.99, "Weekly Gym Club"))
        .collect();
    let pay: Vec<Value> = [14, 0]
        .iter()
        .map(|back| sandbox_transaction(today - Duration::days(*back), -1200.0, "ACME PAYROLL"))
        .collect();
    create(client, &token, gym).await.expect("created");
    create(client, &token, pay).await.expect("created");
    let hook = mock
        .webhooks()
        .into_iter()
        .rev()
        .find(|w| w.url.as_deref() == Some(HOOK))
        .expect("a webhook");
    let hook: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(hook["webhook_code"], "SYNC_UPDATES_AVAILABLE");

    let synced = client
        .send_raw(
            "/transactions/sync",
            json!({"access_token": token, "cursor": cursor}),
        )
        .await
        .expect("a sync");
    let added: Vec<&str> = synced["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(added.len(), 5, "{added:?}");
    assert_eq!(added.iter().filter(|n| **n == "Weekly Gym Club").count(), 3);

    let gym_ids = ids_named(client, &token, today, "Weekly Gym Club").await;
    let pay_ids = ids_named(client, &token, today, "ACME PAYROLL").await;
    assert_eq!(gym_ids.len(), 3);
    assert_eq!(pay_ids.len(), 2);

    let answer = recurring(client, &token).await;
    assert!(answer["updated_datetime"].is_string());
    let weekly = stream(&answer, "outflow_streams", "Weekly Gym Club");
    assert_eq!(weekly["frequency"], "WEEKLY");
    assert_eq!(weekly["status"], "MATURE");
    assert_eq!(weekly["is_active"], true);
    assert_eq!(weekly["account_id"], accounts[0].as_str());
    assert_eq!(weekly["transaction_ids"], json!(gym_ids));
    assert_eq!(weekly["average_amount"]["amount"], 15.99);
    assert_eq!(weekly["last_amount"]["amount"], 15.99);
    assert_eq!(weekly["first_date"], day(today - Duration::days(14)));
    assert_eq!(weekly["last_date"], day(today));
    assert_eq!(
        weekly["predicted_next_date"],
        day(today + Duration::days(7))
    );
    let payroll = stream(&answer, "inflow_streams", "ACME PAYROLL");
    assert_eq!(payroll["frequency"], "BIWEEKLY");
    assert_eq!(payroll["status"], "EARLY_DETECTION");
    assert_eq!(payroll["transaction_ids"], json!(pay_ids));
    assert_eq!(payroll["last_amount"]["amount"], -1200.0);
    // The same streams keep their ids.
    let again = recurring(client, &token).await;
    assert_eq!(
        stream(&again, "outflow_streams", "Weekly Gym Club")["stream_id"],
        weekly["stream_id"]
    );

    // account_ids: another account has none of these streams.
    let saving = client
        .send_raw(
            "/transactions/recurring/get",
            json!({"access_token": token, "account_ids": [accounts[1]]}),
        )
        .await
        .expect("streams");
    for list in ["inflow_streams", "outflow_streams"] {
        assert!(saving[list]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["account_id"] == accounts[1].as_str()));
    }
    let unknown = client
        .send_raw(
            "/transactions/recurring/get",
            json!({"access_token": token, "account_ids": ["nope"]}),
        )
        .await;
    assert_eq!(code(unknown, "unknown account"), "INVALID_ACCOUNT_ID");

    // The processor endpoint sees its account's streams.
    let processor_token = support::processor_token(client, &token, &accounts[0]).await;
    let partner = client
        .send_raw(
            "/processor/transactions/recurring/get",
            json!({ "processor_token": processor_token }),
        )
        .await
        .expect("partner streams");
    assert_eq!(
        stream(&partner, "outflow_streams", "Weekly Gym Club")["transaction_ids"],
        json!(gym_ids)
    );

    // Twenty days on, nothing new: the early stream is tombstoned, the
    // mature one stays mature but is no longer active.
    mock.advance_clock(Duration::days(20));
    let later = recurring(client, &token).await;
    let weekly = stream(&later, "outflow_streams", "Weekly Gym Club");
    assert_eq!(weekly["status"], "MATURE");
    assert_eq!(weekly["is_active"], false);
    let payroll = stream(&later, "inflow_streams", "ACME PAYROLL");
    assert_eq!(payroll["status"], "TOMBSTONED");
    assert_eq!(payroll["is_active"], false);

    mock.set_transactions_ready(&token, false)
        .expect("not ready");
    let not_ready = client
        .send_raw(
            "/transactions/recurring/get",
            json!({ "access_token": token }),
        )
        .await;
    assert_eq!(code(not_ready, "not ready"), "PRODUCT_NOT_READY");
}

scenarios! {
    created_transactions_form_recurring_streams(MockPlaid::builder().seed(71).build()) |fake| {
        scenario(&fake.mock, fake.client()).await
    }
}
