//! Statements: monthly statements of the item's own depository and credit
//! accounts, stable ids, the PDF of one, and a refresh that tells the
//! item's webhook.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_mock::MockPlaid;
use serde_json::json;

scenarios! {
    statements_belong_to_the_items_accounts_and_download_as_pdf(MockPlaid::builder().seed(41).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let listed = client
            .send_raw(
                "/statements/list",
                json!({"access_token": linked.access_token}),
            )
            .await
            .expect("statements");
        let accounts = listed["accounts"].as_array().unwrap();
        // Checking, saving, CD, credit card and money market; no investment or loan accounts.
        assert_eq!(accounts.len(), 5);
        for (account, id) in accounts.iter().zip(&linked.account_ids) {
            assert_eq!(account["account_id"], id.as_str());
            let statements = account["statements"].as_array().unwrap();
            assert_eq!(statements.len(), 12);
            let today = mock.now().date();
            let (year, month) = (
                statements[0]["year"].as_i64().unwrap(),
                statements[0]["month"].as_i64().unwrap(),
            );
            assert!(
                year * 12 + month < i64::from(today.year()) * 12 + i64::from(u8::from(today.month()))
            );
        }
        assert_eq!(listed["accounts"][0]["account_name"], "Plaid Checking");
        let again = client
            .send_raw(
                "/statements/list",
                json!({"access_token": linked.access_token}),
            )
            .await
            .expect("statements");
        assert_eq!(
            again["accounts"], listed["accounts"],
            "ids do not change between calls"
        );

        let statement = listed["accounts"][0]["statements"][3]["statement_id"].clone();
        let request = http::Request::post("/statements/download")
            .header("content-type", "application/json")
            .header("plaid-client-id", mock.client_id())
            .header("plaid-secret", mock.secret())
            .body(bytes::Bytes::from(
                json!({"access_token": linked.access_token, "statement_id": statement}).to_string(),
            ))
            .unwrap();
        let pdf = mock.handle(request).await;
        assert_eq!(pdf.status(), 200);
        assert!(pdf.body().starts_with(b"%PDF"));

        let unknown = client
            .send_raw(
                "/statements/download",
                json!({"access_token": linked.access_token, "statement_id": "not-a-statement"}),
            )
            .await;
        assert_eq!(code(unknown, "an unknown statement"), "INVALID_FIELD");
    }
    a_refresh_tells_the_items_webhook(MockPlaid::builder().seed(42).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let (token, _) = mock
            .link_item_with_webhook(
                "ins_109508",
                &["statements"],
                Some("https://example.com/hook"),
            )
            .expect("an item");
        client
            .send_raw(
                "/statements/refresh",
                json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-06-30"}),
            )
            .await
            .expect("refreshed");
        let webhooks = mock.webhooks();
        let last = webhooks.last().expect("a webhook");
        assert_eq!(last.url.as_deref(), Some("https://example.com/hook"));
        let body: serde_json::Value = serde_json::from_slice(&last.body).expect("JSON");
        assert_eq!(body["webhook_code"], "STATEMENTS_REFRESH_COMPLETE");
        assert_eq!(body["result"], "SUCCESS");
        let backwards = client
            .send_raw(
                "/statements/refresh",
                json!({"access_token": token, "start_date": "2024-06-30", "end_date": "2024-01-01"}),
            )
            .await;
        assert_eq!(code(backwards, "start after end"), "INVALID_FIELD");
    }
}
