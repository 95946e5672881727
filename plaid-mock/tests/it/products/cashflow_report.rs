//! Cash Flow Report: an item's own accounts and transactions, paged by
//! cursor, narrowed by account, refreshed with a webhook, and summed into
//! daily balances and monthly summaries; in process and over HTTP.

use crate::support;
use crate::support::scenarios;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::code;

const HOOK: &str = "https://example.com/cashflow";

async fn link(client: &Client) -> String {
    support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
                   "options": {"webhook": HOOK}}),
    )
    .await
}

fn format(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn ids(answer: &Value) -> Vec<String> {
    answer["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["transaction_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn scenario(mock: &MockPlaid, client: &Client) {
    let token = link(client).await;
    let today = mock.now().date();
    let expected = client
        .send_raw(
            "/transactions/get",
            json!({"access_token": token, "start_date": format(today - time::Duration::days(29)),
                   "end_date": format(today), "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
    let expected_ids = ids(&expected);
    assert!(expected_ids.len() > 12, "the seed gives 30 days of history");

    let first = client
        .send_raw(
            "/cashflow_report/get",
            json!({"access_token": token, "days_requested": 30, "count": 5, "cursor": ""}),
        )
        .await
        .expect("a first page");
    assert_eq!(first["total_transactions"], expected["total_transactions"]);
    assert_eq!(ids(&first), expected_ids[..5].to_vec(), "newest first");
    assert_eq!(first["has_more"], true);
    assert_eq!(first["accounts"], expected["accounts"]);
    assert_eq!(first["item"]["item_id"], expected["item"]["item_id"]);

    // The cursors page through the rest, five at a time.
    let mut all = ids(&first);
    let mut cursor = first["next_cursor"].clone();
    loop {
        let page = client
            .send_raw(
                "/cashflow_report/transactions/get",
                json!({"access_token": token, "count": 5, "cursor": cursor}),
            )
            .await
            .expect("a next page");
        all.extend(ids(&page));
        cursor = page["next_cursor"].clone();
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(all, expected_ids, "every transaction of the 30 days, once");
    let stale = client
        .send_raw(
            "/cashflow_report/transactions/get",
            json!({"access_token": token, "cursor": "not-a-cursor"}),
        )
        .await;
    assert_eq!(code(stale, "a cursor never handed out"), "INVALID_FIELD");

    // One account only.
    let checking = expected["accounts"][0]["account_id"].clone();
    let narrowed = client
        .send_raw(
            "/cashflow_report/get",
            json!({"access_token": token, "days_requested": 30, "count": 500,
                   "options": {"account_ids": [checking]}}),
        )
        .await
        .expect("one account");
    let own: Vec<&Value> = expected["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["account_id"] == checking)
        .collect();
    assert_eq!(
        narrowed["transactions"].as_array().unwrap().len(),
        own.len()
    );
    assert_eq!(narrowed["accounts"].as_array().unwrap().len(), 1);
    let foreign = client
        .send_raw(
            "/cashflow_report/get",
            json!({"access_token": token, "days_requested": 30,
                   "options": {"account_ids": ["not-an-account"]}}),
        )
        .await;
    assert_eq!(code(foreign, "an account of no item"), "INVALID_FIELD");
    let zero = client
        .send_raw(
            "/cashflow_report/get",
            json!({"access_token": token, "days_requested": 0}),
        )
        .await;
    assert_eq!(code(zero, "no days"), "INVALID_FIELD");

    // A refresh tells the item's webhook and moves the update time.
    let before = first["last_successful_update_time"].clone();
    mock.advance_clock(time::Duration::minutes(5));
    client
        .send_raw(
            "/cashflow_report/refresh",
            json!({"access_token": token, "days_requested": 30}),
        )
        .await
        .expect("refreshed");
    let webhooks = mock.webhooks();
    let hook = webhooks.last().expect("a webhook");
    assert_eq!(hook.url.as_deref(), Some(HOOK));
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["webhook_code"], "CASHFLOW_REPORT_READY");
    assert_eq!(body["item_id"], expected["item"]["item_id"]);
    let again = client
        .send_raw(
            "/cashflow_report/get",
            json!({"access_token": token, "days_requested": 30}),
        )
        .await
        .expect("after the refresh");
    assert_ne!(again["last_successful_update_time"], before);
    let voided = client
        .send_raw(
            "/cashflow_report/transactions/get",
            json!({"access_token": token, "cursor": first["next_cursor"]}),
        )
        .await;
    assert_eq!(
        code(voided, "a cursor from before the refresh"),
        "INVALID_FIELD"
    );

    // Insights: today's balance is the depository balances less what the
    // credit cards owe. "Today" is read again: the refresh moved the clock,
    // which crosses midnight when the test starts just before it.
    let today = mock.now().date();
    let insights = client
        .send_raw(
            "/cashflow_report/insights/get",
            json!({"access_token": token}),
        )
        .await
        .expect("insights");
    let mut cents = 0i64;
    for account in expected["accounts"].as_array().unwrap() {
        let current = (account["balances"]["current"].as_f64().unwrap() * 100.0).round() as i64;
        match account["type"].as_str().unwrap() {
            "depository" => cents += current,
            "credit" => cents -= current,
            _ => {}
        }
    }
    let balances = &insights["account_insights"]["historical_balances"];
    assert_eq!(balances[0]["date"], format(today).as_str());
    assert_eq!(
        (balances[0]["amount"].as_f64().unwrap() * 100.0).round() as i64,
        cents
    );
    assert_eq!(balances.as_array().unwrap().len(), 30);
    let summaries = insights["account_insights"]["monthly_summaries"]
        .as_array()
        .unwrap();
    assert_eq!(summaries[0]["end_date"], format(today).as_str());

    // The report goes with its item.
    client
        .send_raw("/item/remove", json!({"access_token": token}))
        .await
        .expect("removed");
    let gone = client
        .send_raw(
            "/cashflow_report/insights/get",
            json!({"access_token": token}),
        )
        .await;
    assert_eq!(code(gone, "a removed item"), "ITEM_NOT_FOUND");
}

scenarios! {
    a_cashflow_report_is_the_items_own_data(
        MockPlaid::builder().seed(71).transactions_per_item(120).build()
    ) |fake| {
        scenario(&fake.mock, fake.client()).await
    }
}
