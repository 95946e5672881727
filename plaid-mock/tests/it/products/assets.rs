//! Assets: a report made from the item's own accounts, balances and
//! transactions; not ready right after create; refresh, filter, remove,
//! audit copies and the PDF.

use crate::support;
use crate::support::scenarios;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::code;

/// Links an item with the assets product; its access token.
async fn assets_item(client: &Client) -> String {
    support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["assets", "transactions"]}),
    )
    .await
}

async fn create(client: &Client, token: &str, days: i64) -> Value {
    client
        .send_raw(
            "/asset_report/create",
            json!({"access_tokens": [token], "days_requested": days,
                   "options": {"client_report_id": "loan-17",
                               "user": {"client_user_id": "u-1", "first_name": "Ada"}}}),
        )
        .await
        .expect("a report")
}

async fn get(client: &Client, report_token: &Value) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/asset_report/get",
            json!({"asset_report_token": report_token}),
        )
        .await
}

/// A report, created and then waited for (the fake's clock moved on).
async fn ready_report(mock: &MockPlaid, client: &Client, token: &str, days: i64) -> (Value, Value) {
    let created = create(client, token, days).await;
    mock.advance_clock(time::Duration::seconds(10));
    let got = get(client, &created["asset_report_token"])
        .await
        .expect("a ready report");
    (created, got)
}

scenarios! {
    a_report_is_not_ready_right_after_create_and_then_holds_the_items_data(MockPlaid::builder()
        .seed(21)
        .transactions_per_item(120)
        .build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = assets_item(&client).await;
        // The report is the items as they were on the day it was made.
        let made_on = mock.now().date();
        let created = create(&client, &token, 30).await;
        assert!(created["asset_report_token"]
            .as_str()
            .unwrap()
            .starts_with("assets-sandbox-"));
        let early = get(&client, &created["asset_report_token"]).await;
        assert_eq!(code(early, "right after create"), "PRODUCT_NOT_READY");

        mock.advance_clock(time::Duration::seconds(10));
        let got = get(&client, &created["asset_report_token"])
            .await
            .expect("a ready report");
        assert_eq!(got["warnings"], json!([]));
        let report = &got["report"];
        assert_eq!(report["asset_report_id"], created["asset_report_id"]);
        assert_eq!(report["client_report_id"], "loan-17");
        assert_eq!(report["days_requested"], 30);
        assert_eq!(report["user"]["first_name"], "Ada");

        let accounts = client
            .send_raw("/accounts/get", json!({"access_token": token}))
            .await
            .expect("accounts");
        let item = &report["items"][0];
        assert_eq!(item["item_id"], accounts["item"]["item_id"]);
        assert_eq!(item["institution_name"], "First Platypus Bank");
        let reported = item["accounts"].as_array().unwrap();
        assert_eq!(
            reported.len(),
            accounts["accounts"].as_array().unwrap().len()
        );
        for (theirs, ours) in reported
            .iter()
            .zip(accounts["accounts"].as_array().unwrap())
        {
            assert_eq!(theirs["account_id"], ours["account_id"]);
            assert_eq!(theirs["balances"]["current"], ours["balances"]["current"]);
            assert_eq!(theirs["historical_balances"].as_array().unwrap().len(), 30);
            assert_eq!(
                theirs["historical_balances"][0]["current"], ours["balances"]["current"],
                "today's balance is the current one"
            );
        }

        // The report's transactions are the item's, with names, inside the days asked for.
        let all = client
            .send_raw(
                "/transactions/get",
                json!({"access_token": token, "start_date": "2000-01-01", "end_date": "2100-01-01",
                       "options": {"count": 500}}),
            )
            .await
            .expect("transactions");
        let reported: Vec<&Value> = item["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["transactions"].as_array().unwrap())
            .collect();
        assert!(!reported.is_empty());
        let today = made_on;
        let since = today - time::Duration::days(30);
        let expected = all["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                let date = t["date"].as_str().unwrap();
                date > since.to_string().as_str() && date <= today.to_string().as_str()
            })
            .count();
        assert_eq!(reported.len(), expected);
        assert!(expected < all["transactions"].as_array().unwrap().len());
        for t in &reported {
            let original = all["transactions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["transaction_id"] == t["transaction_id"])
                .expect("an item transaction");
            assert_eq!(t["name"], original["name"]);
            assert_eq!(t["amount"], original["amount"]);
        }
    }
    more_days_give_more_history(MockPlaid::builder()
        .seed(22)
        .transactions_per_item(300)
        .build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = assets_item(&client).await;
        let count = |report: &Value| {
            report["report"]["items"][0]["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["transactions"].as_array().unwrap().len())
                .sum::<usize>()
        };
        let (_, short) = ready_report(&mock, &client, &token, 10).await;
        let (_, long) = ready_report(&mock, &client, &token, 90).await;
        assert!(
            count(&short) < count(&long),
            "{} vs {}",
            count(&short),
            count(&long)
        );
    }
    filter_refresh_and_remove(MockPlaid::builder().seed(23).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = assets_item(&client).await;
        let (created, original) = ready_report(&mock, &client, &token, 30).await;
        let first_account = original["report"]["items"][0]["accounts"][0]["account_id"].clone();

        let filtered = client
            .send_raw(
                "/asset_report/filter",
                json!({"asset_report_token": created["asset_report_token"],
                       "account_ids_to_exclude": [first_account]}),
            )
            .await
            .expect("a filtered report");
        assert_ne!(filtered["asset_report_id"], created["asset_report_id"]);
        mock.advance_clock(time::Duration::seconds(10));
        let narrowed = get(&client, &filtered["asset_report_token"])
            .await
            .expect("it");
        let accounts = narrowed["report"]["items"][0]["accounts"]
            .as_array()
            .unwrap();
        assert_eq!(
            accounts.len() + 1,
            original["report"]["items"][0]["accounts"]
                .as_array()
                .unwrap()
                .len()
        );
        assert!(accounts.iter().all(|a| a["account_id"] != first_account));

        // A refresh keeps the filter and the options, and takes new days.
        let refreshed = client
            .send_raw(
                "/asset_report/refresh",
                json!({"asset_report_token": filtered["asset_report_token"], "days_requested": 45}),
            )
            .await
            .expect("a refreshed report");
        mock.advance_clock(time::Duration::seconds(10));
        let again = get(&client, &refreshed["asset_report_token"])
            .await
            .expect("it");
        assert_eq!(again["report"]["days_requested"], 45);
        assert_eq!(again["report"]["client_report_id"], "loan-17");
        assert!(again["report"]["items"][0]["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["account_id"] != first_account));

        let removed = client
            .send_raw(
                "/asset_report/remove",
                json!({"asset_report_token": created["asset_report_token"]}),
            )
            .await
            .expect("removed");
        assert_eq!(removed["removed"], true);
        let gone = get(&client, &created["asset_report_token"]).await;
        assert_eq!(code(gone, "a removed report"), "INVALID_FIELD");
        // The others stay.
        get(&client, &filtered["asset_report_token"])
            .await
            .expect("the filtered one stays");
    }
    audit_copies_share_the_report_until_removed(MockPlaid::builder().seed(24).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = assets_item(&client).await;
        let (created, original) = ready_report(&mock, &client, &token, 30).await;
        let copy = client
            .send_raw(
                "/asset_report/audit_copy/create",
                json!({"asset_report_token": created["asset_report_token"], "auditor_id": "fannie_mae"}),
            )
            .await
            .expect("an audit copy")["audit_copy_token"]
            .clone();
        let audited = client
            .send_raw(
                "/asset_report/audit_copy/get",
                json!({"audit_copy_token": copy}),
            )
            .await
            .expect("the audited report");
        assert_eq!(audited["report"], original["report"]);
        let removed = client
            .send_raw(
                "/asset_report/audit_copy/remove",
                json!({"audit_copy_token": copy}),
            )
            .await
            .expect("removed");
        assert_eq!(removed["removed"], true);
        let gone = client
            .send_raw(
                "/asset_report/audit_copy/get",
                json!({"audit_copy_token": copy}),
            )
            .await;
        assert_eq!(code(gone, "a removed copy"), "INVALID_FIELD");

        // Removing the report takes its copies with it; removing the item does not touch reports.
        let second = client
            .send_raw(
                "/asset_report/audit_copy/create",
                json!({"asset_report_token": created["asset_report_token"]}),
            )
            .await
            .expect("an audit copy")["audit_copy_token"]
            .clone();
        client
            .send_raw("/item/remove", json!({"access_token": token}))
            .await
            .expect("item removed");
        get(&client, &created["asset_report_token"])
            .await
            .expect("the report outlives its item");
        client
            .send_raw(
                "/asset_report/remove",
                json!({"asset_report_token": created["asset_report_token"]}),
            )
            .await
            .expect("removed");
        let gone = client
            .send_raw(
                "/asset_report/audit_copy/get",
                json!({"audit_copy_token": second}),
            )
            .await;
        assert_eq!(code(gone, "a copy of a removed report"), "INVALID_FIELD");
    }
    the_pdf_waits_for_the_report_and_misuse_fails(MockPlaid::builder().seed(25).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = assets_item(&client).await;
        let created = create(&client, &token, 30).await;
        let early = client
            .send_raw(
                "/asset_report/pdf/get",
                json!({"asset_report_token": created["asset_report_token"]}),
            )
            .await;
        assert_eq!(code(early, "pdf right after create"), "PRODUCT_NOT_READY");
        mock.advance_clock(time::Duration::seconds(10));
        let request = http::Request::post("/asset_report/pdf/get")
            .header("content-type", "application/json")
            .header("plaid-client-id", mock.client_id())
            .header("plaid-secret", mock.secret())
            .body(bytes::Bytes::from(
                json!({"asset_report_token": created["asset_report_token"]}).to_string(),
            ))
            .unwrap();
        let pdf = mock.handle(request).await;
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.body().starts_with(b"%PDF"));

        let unknown = get(
            &client,
            &json!("assets-sandbox-00000000-0000-4000-8000-000000000000"),
        )
        .await;
        assert_eq!(code(unknown, "an unknown token"), "INVALID_FIELD");

        // An item linked without the assets product cannot be in a report.
        let plain = support::link(&client, "ins_109508").await;
        let refused = client
            .send_raw(
                "/asset_report/create",
                json!({"access_tokens": [plain.access_token], "days_requested": 30}),
            )
            .await;
        assert_eq!(code(refused, "no assets product"), "PRODUCT_NOT_ENABLED");
        let refused = client
            .send_raw(
                "/asset_report/create",
                json!({"access_tokens": ["access-sandbox-00000000-0000-4000-8000-000000000000"],
                       "days_requested": 30}),
            )
            .await;
        assert_eq!(
            code(refused, "unknown access token"),
            "INVALID_ACCESS_TOKEN"
        );
    }
}
