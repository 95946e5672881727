//! Users and Bank Income: a user's token and id, its items, and the Bank
//! Income reports made from those items' own accounts and credits; in
//! process and over HTTP.

use crate::support;
use crate::support::scenarios;
use std::collections::BTreeMap;

use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::code;

async fn create_user(client: &Client, client_user_id: &str) -> Value {
    client
        .send_raw(
            "/user/create",
            json!({"client_user_id": client_user_id,
                   "consumer_report_user_identity": {"first_name": "Ada", "last_name": "Lovelace",
                       "phone_numbers": ["+15555550100"], "emails": ["ada@example.com"],
                       "date_of_birth": "1990-12-10",
                       "primary_address": {"city": "Boston", "region": "MA", "street": "1 Main St",
                                           "postal_code": "02110", "country": "US"}}}),
        )
        .await
        .expect("a user")
}

/// The user lifecycle: create → get → update → remove → get refused.
async fn user_lifecycle(client: &Client) {
    let user = create_user(client, "ada-1").await;
    let token = user["user_token"].as_str().expect("a user token");
    assert!(token.starts_with("user-sandbox-"), "{token}");
    assert_eq!(token.len(), "user-sandbox-".len() + 36);
    let user_id = user["user_id"].as_str().expect("a user id").to_owned();

    let again = client
        .send_raw("/user/create", json!({"client_user_id": "ada-1"}))
        .await;
    assert_eq!(code(again, "a second user for ada-1"), "INVALID_FIELD");

    let got = client
        .send_raw("/user/get", json!({"user_id": user_id}))
        .await
        .expect("the user");
    assert_eq!(got["user_id"], user_id.as_str());
    assert_eq!(got["client_user_id"], "ada-1");
    assert!(got["identity"].is_null(), "no identity was sent");

    client
        .send_raw(
            "/user/update",
            json!({"user_token": token, "identity": {"name": {"given_name": "Ada", "family_name": "King"}}}),
        )
        .await
        .expect("updated by token");
    let got = client
        .send_raw("/user/get", json!({"user_id": user_id}))
        .await
        .expect("the user");
    assert_eq!(got["identity"]["name"]["family_name"], "King");

    client
        .send_raw("/user/remove", json!({"user_token": token}))
        .await
        .expect("removed");
    let gone = client
        .send_raw("/user/get", json!({"user_id": user_id}))
        .await;
    assert_eq!(code(gone, "a removed user"), "INVALID_FIELD");
    let gone = client
        .send_raw("/user/remove", json!({"user_token": token}))
        .await;
    assert_eq!(code(gone, "a removed user's token"), "INVALID_FIELD");
    // The client_user_id is free again.
    create_user(client, "ada-1").await;
}

/// Links an item for the user; its access token.
async fn link_for(client: &Client, user_token: &str, days: i64) -> String {
    support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["income_verification"],
                   "user_token": user_token,
                   "options": {"webhook": "https://example.com/income",
                               "income_verification": {"bank_income": {"days_requested": days}}}}),
    )
    .await
}

/// Credits to depository accounts in the last `days` days, by (account id,
/// description): their total in cents, from the item's own data.
async fn credits(
    client: &Client,
    access_token: &str,
    today: time::Date,
    days: i64,
) -> BTreeMap<(String, String), i64> {
    let accounts = client
        .send_raw("/accounts/get", json!({"access_token": access_token}))
        .await
        .expect("accounts");
    let depository: Vec<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "depository")
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    let start = today - time::Duration::days(days - 1);
    let format =
        |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let got = client
        .send_raw(
            "/transactions/get",
            json!({"access_token": access_token, "start_date": format(start), "end_date": format(today),
                   "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
    let mut out = BTreeMap::new();
    for t in got["transactions"].as_array().unwrap() {
        let amount = t["amount"].as_f64().unwrap();
        let account = t["account_id"].as_str().unwrap();
        if amount < 0.0 && depository.contains(&account) {
            *out.entry((account.to_owned(), t["name"].as_str().unwrap().to_owned()))
                .or_insert(0) += (-amount * 100.0).round() as i64;
        }
    }
    out
}

/// Bank Income for a user with an item: its sources are the item's credits.
async fn bank_income_flow(mock: &MockPlaid, client: &Client) {
    let user = create_user(client, "earner").await;
    let token = user["user_token"].as_str().unwrap().to_owned();
    let user_id = user["user_id"].as_str().unwrap().to_owned();

    let none = client
        .send_raw("/credit/bank_income/get", json!({"user_token": token}))
        .await;
    assert_eq!(
        code(none, "a user without items"),
        "INCOME_VERIFICATION_NOT_FOUND"
    );

    let access_token = link_for(client, &token, 20).await;
    let items = client
        .send_raw("/user/items/get", json!({"user_token": token}))
        .await
        .expect("the user's items");
    let item_id = items["items"][0]["item_id"].as_str().unwrap().to_owned();
    assert_eq!(items["items"].as_array().unwrap().len(), 1);

    let sessions = client
        .send_raw("/credit/sessions/get", json!({"user_token": token}))
        .await
        .expect("sessions");
    let session = &sessions["sessions"][0];
    assert_eq!(
        session["results"]["item_add_results"][0]["item_id"],
        item_id.as_str()
    );
    assert_eq!(
        session["results"]["bank_income_results"][0]["status"],
        "APPROVED"
    );

    let income = client
        .send_raw("/credit/bank_income/get", json!({"user_token": token}))
        .await
        .expect("bank income");
    let report = &income["bank_income"][0];
    assert_eq!(income["bank_income"].as_array().unwrap().len(), 1);
    assert_eq!(report["days_requested"], 20);
    let item = &report["items"][0];
    assert_eq!(item["item_id"], item_id.as_str());
    let expected = credits(client, &access_token, mock.now().date(), 20).await;
    assert!(!expected.is_empty(), "the seed gives the item some credits");
    let mut found = BTreeMap::new();
    for source in item["bank_income_sources"].as_array().unwrap() {
        let key = (
            source["account_id"].as_str().unwrap().to_owned(),
            source["income_description"].as_str().unwrap().to_owned(),
        );
        found.insert(
            key,
            (source["total_amount"].as_f64().unwrap() * 100.0).round() as i64,
        );
        if source["income_description"]
            .as_str()
            .unwrap()
            .contains("GUSTO")
        {
            assert_eq!(source["income_category"], "SALARY");
        }
    }
    assert_eq!(found, expected, "the sources are the item's own credits");
    let accounts: Vec<&str> = item["bank_income_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(accounts.contains(&"Plaid Checking"), "{accounts:?}");
    let total: i64 = expected.values().sum();
    assert_eq!(
        (report["bank_income_summary"]["total_amount"]
            .as_f64()
            .unwrap()
            * 100.0)
            .round() as i64,
        total
    );

    // A refresh makes a new report with more days and tells the webhook.
    client
        .send_raw(
            "/credit/bank_income/refresh",
            json!({"user_token": token, "options": {"days_requested": 25}}),
        )
        .await
        .expect("refreshed");
    let webhooks = mock.webhooks();
    let last = webhooks.last().expect("a webhook");
    assert_eq!(last.url.as_deref(), Some("https://example.com/income"));
    let body: Value = serde_json::from_slice(&last.body).unwrap();
    assert_eq!(body["webhook_code"], "BANK_INCOME_REFRESH_COMPLETE");
    assert_eq!(body["user_id"], user_id.as_str());
    let both = client
        .send_raw(
            "/credit/bank_income/get",
            json!({"user_token": token, "options": {"count": 5}}),
        )
        .await
        .expect("both reports");
    let reports = both["bank_income"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["days_requested"], 25, "newest first");
    assert_ne!(reports[0]["bank_income_id"], reports[1]["bank_income_id"]);

    let unknown = client
        .send_raw(
            "/credit/bank_income/get",
            json!({"user_token": "user-sandbox-nobody"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown user token"), "INVALID_FIELD");
    let unknown = client
        .send_raw(
            "/credit/sessions/get",
            json!({"user_token": "user-sandbox-nobody"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown user token"), "INVALID_FIELD");
    let unknown = client
        .send_raw(
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["auth"],
                   "user_token": "user-sandbox-nobody"}),
        )
        .await;
    assert_eq!(
        code(unknown, "linking for an unknown user"),
        "INVALID_FIELD"
    );

    // Removing the user removes its items.
    client
        .send_raw("/user/remove", json!({"user_id": user_id}))
        .await
        .expect("removed");
    let item_gone = client
        .send_raw("/item/get", json!({"access_token": access_token}))
        .await;
    assert_eq!(
        code(item_gone, "a removed user's item"),
        "INVALID_ACCESS_TOKEN"
    );
}

scenarios! {
    users_live_and_die(MockPlaid::builder().seed(51).build()) |fake| {
        user_lifecycle(fake.client()).await
    }
    bank_income_comes_from_the_users_items(MockPlaid::builder().seed(52).build()) |fake| {
        bank_income_flow(&fake.mock, fake.client()).await
    }
    items_move_between_users_and_leave_with_user_items_remove(MockPlaid::builder().seed(53).build()) in_process |fake| {
        let client = fake.client().clone();
        let first = create_user(&client, "first").await;
        let second = create_user(&client, "second").await;
        let access_token = link_for(&client, first["user_token"].as_str().unwrap(), 30).await;
        let items = client
            .send_raw("/user/items/get", json!({"user_id": first["user_id"]}))
            .await
            .unwrap();
        let item_id = items["items"][0]["item_id"].clone();
        client
            .send_raw(
                "/user/items/associate",
                json!({"user_id": second["user_id"], "item_ids": [item_id]}),
            )
            .await
            .expect("associated");
        let of_first = client
            .send_raw("/user/items/get", json!({"user_id": first["user_id"]}))
            .await
            .unwrap();
        assert_eq!(of_first["items"], json!([]));
        let wrong = client
            .send_raw(
                "/user/items/remove",
                json!({"user_id": first["user_id"], "item_ids": [item_id]}),
            )
            .await;
        assert_eq!(code(wrong, "another user's item"), "INVALID_FIELD");
        client
            .send_raw(
                "/user/items/remove",
                json!({"user_id": second["user_id"], "item_ids": [item_id]}),
            )
            .await
            .expect("removed");
        let gone = client
            .send_raw("/accounts/get", json!({"access_token": access_token}))
            .await;
        assert_eq!(code(gone, "a removed item"), "INVALID_ACCESS_TOKEN");
    }
    bank_income_pdf_is_a_pdf_once_there_is_income(MockPlaid::builder().seed(54).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let user = create_user(&client, "pdf").await;
        let token = user["user_token"].as_str().unwrap().to_owned();
        let pdf = |token: &str| {
            http::Request::post("/credit/bank_income/pdf/get")
                .header("content-type", "application/json")
                .header("plaid-client-id", mock.client_id())
                .header("plaid-secret", mock.secret())
                .body(bytes::Bytes::from(json!({"user_token": token}).to_string()))
                .unwrap()
        };
        let early = mock.handle(pdf(&token)).await;
        assert_eq!(early.status(), 400);
        link_for(&client, &token, 30).await;
        let answer = mock.handle(pdf(&token)).await;
        assert_eq!(answer.status(), 200);
        assert!(answer.body().starts_with(b"%PDF"));
    }
    huge_days_requested_is_read_as_plaids_limit(MockPlaid::builder().seed(55).build()) in_process |fake| {
        let client = fake.client().clone();
        let user = create_user(&client, "long").await;
        let token = user["user_token"].as_str().unwrap().to_owned();
        link_for(&client, &token, i64::MAX).await;
        client
            .send_raw(
                "/credit/bank_income/refresh",
                json!({"user_token": token, "options": {"days_requested": i64::MAX}}),
            )
            .await
            .expect("refreshed");
        let income = client
            .send_raw("/credit/bank_income/get", json!({"user_token": token}))
            .await
            .expect("bank income");
        assert_eq!(income["bank_income"][0]["days_requested"], 731);
    }
}
