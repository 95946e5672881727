//! Consumer Report by Plaid Check: a user's report made from its items'
//! own accounts, transactions and credits, ready a few seconds after
//! create, expiring after a day and gone with the user; monitoring
//! subscriptions and registered loans; in process and over HTTP.

use crate::support;
use crate::support::scenarios;
use std::collections::{BTreeMap, BTreeSet};

use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::code;

const HOOK: &str = "https://example.com/check";

async fn create_user(client: &Client, client_user_id: &str) -> (String, String) {
    let user = client
        .send_raw("/user/create", json!({"client_user_id": client_user_id}))
        .await
        .expect("a user");
    (
        user["user_token"].as_str().unwrap().to_owned(),
        user["user_id"].as_str().unwrap().to_owned(),
    )
}

/// Links an item for the user; its access token.
async fn link_for(client: &Client, user_token: &str) -> String {
    support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
                   "user_token": user_token}),
    )
    .await
}

async fn create_report(client: &Client, user_token: &str, days: i64) {
    client
        .send_raw(
            "/cra/check_report/create",
            json!({"user_token": user_token, "webhook": HOOK, "days_requested": days,
                   "client_report_id": "loan-42",
                   "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT"}),
        )
        .await
        .expect("a report is asked for");
}

async fn get(client: &Client, path: &str, user_token: &str) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(path, json!({"user_token": user_token}))
        .await
}

fn format(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The item's transactions of the last `days` days, by id: (account id,
/// amount in cents, name).
async fn transactions(
    client: &Client,
    access_token: &str,
    today: time::Date,
    days: i64,
) -> BTreeMap<String, (String, i64, String)> {
    let got = client
        .send_raw(
            "/transactions/get",
            json!({"access_token": access_token,
                   "start_date": format(today - time::Duration::days(days - 1)),
                   "end_date": format(today), "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
    got["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["transaction_id"].as_str().unwrap().to_owned(),
                (
                    t["account_id"].as_str().unwrap().to_owned(),
                    (t["amount"].as_f64().unwrap() * 100.0).round() as i64,
                    t["name"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

/// The report's lifecycle and what its Base Report and Income Insights
/// hold.
async fn report_flow(mock: &MockPlaid, client: &Client) {
    let (token, user_id) = create_user(client, "borrower").await;
    let none = get(client, "/cra/check_report/base_report/get", &token).await;
    assert_eq!(code(none, "before any report"), "PRODUCT_NOT_READY");

    let access_token = link_for(client, &token).await;
    // Fewer than 180 days are read as 180. The report is the items as they
    // were on the day it was made.
    let made_on = mock.now().date();
    create_report(client, &token, 30).await;
    let early = get(client, "/cra/check_report/base_report/get", &token).await;
    match early {
        Err(e) => assert_eq!(e.code(), Some("PRODUCT_NOT_READY"), "{e}"),
        Ok(v) => panic!("right after create: expected an error, got {v}"),
    }
    mock.advance_clock(time::Duration::seconds(10));
    let webhooks = mock.webhooks();
    let hook = webhooks
        .iter()
        .rev()
        .find(|w| w.url.as_deref() == Some(HOOK))
        .expect("a webhook to the report's URL");
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["webhook_type"], "CHECK_REPORT");
    assert_eq!(body["webhook_code"], "CHECK_REPORT_READY");
    assert_eq!(body["user_id"], user_id.as_str());

    let base = get(client, "/cra/check_report/base_report/get", &token)
        .await
        .expect("a ready base report");
    let report = &base["report"];
    assert_eq!(report["days_requested"], 180);
    assert_eq!(report["client_report_id"], "loan-42");
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = client
        .send_raw("/item/get", json!({"access_token": access_token}))
        .await
        .unwrap();
    assert_eq!(items[0]["item_id"], item["item"]["item_id"]);

    let accounts = client
        .send_raw("/accounts/get", json!({"access_token": access_token}))
        .await
        .unwrap();
    let expected: Vec<(Value, Value)> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["account_id"].clone(), a["balances"]["current"].clone()))
        .collect();
    let found: Vec<(Value, Value)> = items[0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["account_id"].clone(), a["balances"]["current"].clone()))
        .collect();
    assert_eq!(found, expected, "the item's own accounts and balances");

    let today = made_on;
    let own = transactions(client, &access_token, today, 180).await;
    assert!(own.len() > 100, "the seed gives the item history");
    let mut listed = BTreeMap::new();
    for account in items[0]["accounts"].as_array().unwrap() {
        assert_eq!(
            account["owners"][0]["names"][0],
            "Alberta Bobbeth Charleson"
        );
        for t in account["transactions"].as_array().unwrap() {
            assert_eq!(t["account_id"], account["account_id"]);
            listed.insert(
                t["transaction_id"].as_str().unwrap().to_owned(),
                (
                    t["account_id"].as_str().unwrap().to_owned(),
                    (t["amount"].as_f64().unwrap() * 100.0).round() as i64,
                    t["original_description"].as_str().unwrap().to_owned(),
                ),
            );
        }
    }
    assert_eq!(listed, own, "the transactions of the 180 days");

    // Income Insights: one stream per description of credits to a
    // depository account, its transactions those credits.
    let depository: BTreeSet<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "depository")
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    let mut credits: BTreeMap<String, i64> = BTreeMap::new();
    for (account, cents, name) in own.values() {
        if *cents < 0 && depository.contains(account.as_str()) {
            *credits.entry(name.clone()).or_default() -= cents;
        }
    }
    assert!(!credits.is_empty(), "the seed gives the item credits");
    let income = get(client, "/cra/check_report/income_insights/get", &token)
        .await
        .expect("income insights");
    let mut streams: BTreeMap<String, i64> = BTreeMap::new();
    for stream in income["report"]["income_streams"].as_array().unwrap() {
        let total: i64 = stream["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["amount"].as_f64().unwrap() * 100.0).round() as i64)
            .sum();
        *streams
            .entry(stream["description"].as_str().unwrap().to_owned())
            .or_default() += total;
        if stream["description"].as_str().unwrap().contains("GUSTO") {
            assert_eq!(stream["insights"]["income_category"]["secondary"], "SALARY");
        }
    }
    assert_eq!(streams, credits, "streams are the depository credits");
    assert_eq!(income["report"]["report_id"], report["report_id"]);

    // The other insights carry the same report and the user's item.
    for path in [
        "/cra/check_report/partner_insights/get",
        "/cra/check_report/network_insights/get",
    ] {
        let got = get(client, path, &token).await.expect(path);
        assert_eq!(got["report"]["report_id"], report["report_id"], "{path}");
        assert_eq!(
            got["report"]["items"][0]["item_id"], items[0]["item_id"],
            "{path}"
        );
    }
    for path in [
        "/cra/check_report/cashflow_insights/get",
        "/cra/check_report/lend_score/get",
    ] {
        let got = get(client, path, &token).await.expect(path);
        assert_eq!(got["report"]["report_id"], report["report_id"], "{path}");
    }
    let older = get(client, "/cra/partner_insights/get", &token)
        .await
        .expect("older partner insights");
    assert_eq!(older["report"][0]["report_id"], report["report_id"]);
    let verification = client
        .send_raw(
            "/cra/check_report/verification/get",
            json!({"user_token": token, "reports_requested": ["VOA"]}),
        )
        .await
        .expect("verification");
    assert_eq!(verification["report"]["report_id"], report["report_id"]);
    let voa = &verification["report"]["voa"];
    assert_eq!(voa["days_requested"], 180);
    assert_eq!(voa["items"][0]["item_id"], items[0]["item_id"]);
    let voa_ids: BTreeSet<&str> = voa["items"][0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            a["transactions_insights"]["all_transactions"]
                .as_array()
                .unwrap()
        })
        .map(|t| t["transaction_id"].as_str().unwrap())
        .collect();
    assert_eq!(voa_ids, own.keys().map(String::as_str).collect());
    assert!(verification["report"].get("employment_refresh").is_none());
    let no_days = client
        .send_raw(
            "/cra/check_report/verification/get",
            json!({"user_token": token, "reports_requested": ["EMPLOYMENT_REFRESH"]}),
        )
        .await;
    assert_eq!(
        code(no_days, "employment refresh without days"),
        "MISSING_FIELDS"
    );
    let refresh = client
        .send_raw(
            "/cra/check_report/verification/get",
            json!({"user_token": token, "reports_requested": ["EMPLOYMENT_REFRESH"],
                   "employment_refresh_options": {"days_requested": 60}}),
        )
        .await
        .expect("employment refresh");
    let payroll: BTreeSet<String> = transactions(client, &access_token, today, 60)
        .await
        .into_iter()
        .filter(|(_, (account, cents, name))| {
            *cents < 0 && depository.contains(account.as_str()) && name.contains("GUSTO")
        })
        .map(|(id, _)| id)
        .collect();
    assert!(!payroll.is_empty(), "the seed gives the item payroll");
    let listed: BTreeSet<String> = refresh["report"]["employment_refresh"]["items"][0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["transactions"].as_array().unwrap())
        .map(|t| t["transaction_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, payroll, "the payroll deposits of the 60 days");
    let profile = client
        .send_raw(
            "/cra/credit_profile/report/get",
            json!({"user_id": user_id, "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT",
                   "client_report_id": "app-7", "report_type": "QUALIFY",
                   "inquiry_type": "SOFT_INQUIRY", "version": "v1"}),
        )
        .await
        .expect("credit profile");
    assert_eq!(profile["report"]["client_report_id"], "app-7");
    assert_eq!(profile["user_id"], user_id.as_str());

    // A day later the report has expired; a new one can be made.
    mock.advance_clock(time::Duration::hours(25));
    let old = get(client, "/cra/check_report/base_report/get", &token).await;
    assert_eq!(code(old, "a day-old report"), "CONSUMER_REPORT_EXPIRED");
    create_report(client, &token, 731).await;
    mock.advance_clock(time::Duration::seconds(10));
    let again = get(client, "/cra/check_report/base_report/get", &token)
        .await
        .expect("a new report");
    assert_eq!(again["report"]["days_requested"], 731);
    assert_ne!(again["report"]["report_id"], report["report_id"]);

    // A user without items gets a failed report.
    let (lonely, _) = create_user(client, "no-items").await;
    create_report(client, &lonely, 365).await;
    mock.advance_clock(time::Duration::seconds(10));
    let webhooks = mock.webhooks();
    let last: Value = serde_json::from_slice(&webhooks.last().unwrap().body).unwrap();
    assert_eq!(last["webhook_code"], "CHECK_REPORT_FAILED");
    let failed = get(client, "/cra/check_report/income_insights/get", &lonely).await;
    assert_eq!(code(failed, "a user without items"), "DATA_UNAVAILABLE");

    // Removing the user takes its report with it.
    client
        .send_raw("/user/remove", json!({"user_token": token}))
        .await
        .expect("removed");
    let gone = get(client, "/cra/check_report/base_report/get", &token).await;
    assert_eq!(code(gone, "a removed user's report"), "INVALID_FIELD");
    let unknown = get(
        client,
        "/cra/check_report/base_report/get",
        "user-sandbox-nobody",
    )
    .await;
    assert_eq!(code(unknown, "an unknown user"), "INVALID_FIELD");
}

/// Monitoring: subscribe, read, simulate an update, unsubscribe.
async fn monitoring_flow(mock: &MockPlaid, client: &Client) {
    let (token, user_id) = create_user(client, "watched").await;
    let access_token = link_for(client, &token).await;
    let read = |client: &Client, token: &str| {
        let body = json!({"user_token": token,
                          "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"});
        let client = client.clone();
        async move { client.send_raw("/cra/monitoring_insights/get", body).await }
    };
    let early = read(client, &token).await;
    assert_eq!(code(early, "before subscribing"), "INVALID_FIELD");
    let subscribed = client
        .send_raw(
            "/cra/monitoring_insights/subscribe",
            json!({"user_token": token, "webhook": "https://example.com/updates"}),
        )
        .await
        .expect("subscribed");
    let subscription = subscribed["subscription_id"].as_str().unwrap().to_owned();
    assert_eq!(subscription.len(), 36, "a uuid: {subscription}");
    let insights = read(client, &token).await.expect("insights");
    let item = client
        .send_raw("/item/get", json!({"access_token": access_token}))
        .await
        .unwrap();
    assert_eq!(insights["items"][0]["item_id"], item["item"]["item_id"]);
    let accounts = client
        .send_raw("/accounts/get", json!({"access_token": access_token}))
        .await
        .unwrap();
    assert_eq!(
        insights["items"][0]["accounts"][0]["account_id"],
        accounts["accounts"][0]["account_id"]
    );
    // The monthly income is a third of the 90 days' depository credits.
    let today = mock.now().date();
    let depository: BTreeSet<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "depository")
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    let credited: i64 = transactions(client, &access_token, today, 90)
        .await
        .values()
        .filter(|(account, cents, _)| *cents < 0 && depository.contains(account.as_str()))
        .map(|(_, cents, _)| -cents)
        .sum();
    assert!(credited > 0, "the seed gives the item credits");
    let monthly = insights["items"][0]["insights"]["income"]["total_monthly_income"]
        ["current_amount"]
        .as_f64()
        .unwrap();
    assert!(
        (monthly * 100.0 - credited as f64 / 3.0).abs() <= 1.0,
        "{monthly} a month from {credited} cents in 90 days"
    );

    client
        .send_raw(
            "/sandbox/cra/cashflow_updates/update",
            json!({"user_token": token, "webhook_codes": ["LOW_BALANCE_DETECTED"]}),
        )
        .await
        .expect("an update");
    let sent: Vec<Value> = mock
        .webhooks()
        .iter()
        .filter(|w| w.url.as_deref() == Some("https://example.com/updates"))
        .map(|w| serde_json::from_slice(&w.body).unwrap())
        .collect();
    let codes: Vec<&str> = sent
        .iter()
        .map(|b| b["webhook_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["INSIGHTS_UPDATED", "LOW_BALANCE_DETECTED"]);
    assert_eq!(sent[0]["webhook_type"], "CASH_FLOW_UPDATES");
    assert_eq!(sent[0]["user_id"], user_id.as_str());

    client
        .send_raw(
            "/cra/monitoring_insights/unsubscribe",
            json!({"subscription_id": subscription}),
        )
        .await
        .expect("unsubscribed");
    let after = read(client, &token).await;
    assert_eq!(code(after, "after unsubscribing"), "INVALID_FIELD");
    let twice = client
        .send_raw(
            "/cra/monitoring_insights/unsubscribe",
            json!({"subscription_id": subscription}),
        )
        .await;
    assert_eq!(code(twice, "a second unsubscribe"), "INVALID_FIELD");
}

/// Loans: registered under the lender's ids, updated, closed.
async fn loans_flow(client: &Client) {
    let (token, _) = create_user(client, "lendee").await;
    let loan = |id: &str, token: &str| {
        json!({"user_token": token, "loan_id": id, "type": "PERSONAL",
               "payment_schedule": "MONTHLY", "opened_date": "2024-01-15",
               "opened_with_status": {"status": "CURRENT", "date": "2024-01-15"},
               "loan_amount": 1500.0})
    };
    client
        .send_raw(
            "/cra/loans/register",
            json!({"loans": [loan("loan-1", &token)]}),
        )
        .await
        .expect("registered");
    let twice = client
        .send_raw(
            "/cra/loans/register",
            json!({"loans": [loan("loan-1", &token)]}),
        )
        .await;
    assert_eq!(code(twice, "the same loan id again"), "INVALID_FIELD");
    let stranger = client
        .send_raw(
            "/cra/loans/register",
            json!({"loans": [loan("loan-2", "user-sandbox-nobody")]}),
        )
        .await;
    assert_eq!(code(stranger, "an unknown user"), "INVALID_FIELD");
    let update = |id: &str| {
        json!({"loans": [{"loan_id": id,
                          "status_history": [{"status": "DELINQUENT", "date": "2024-03-01"}]}]})
    };
    client
        .send_raw("/cra/loans/update", update("loan-1"))
        .await
        .expect("updated");
    // The failed batch above registered nothing.
    let unknown = client.send_raw("/cra/loans/update", update("loan-2")).await;
    assert_eq!(code(unknown, "an unregistered loan"), "INVALID_FIELD");
    client
        .send_raw(
            "/cra/loans/unregister",
            json!({"loans": [{"loan_id": "loan-1",
                              "closed_with_status": {"status": "PAID_OFF", "date": "2024-06-01"}}]}),
        )
        .await
        .expect("unregistered");
    let closed = client.send_raw("/cra/loans/update", update("loan-1")).await;
    assert_eq!(code(closed, "a closed loan"), "INVALID_FIELD");

    client
        .send_raw(
            "/cra/loans/applications/register",
            json!({"applications": [{"user_token": token, "application_id": "app-1",
                                     "type": "PERSONAL", "decision": "APPROVED"}]}),
        )
        .await
        .expect("an application");
    let stranger = client
        .send_raw(
            "/cra/loans/applications/register",
            json!({"applications": [{"user_token": "user-sandbox-nobody", "application_id": "app-2",
                                     "type": "PERSONAL", "decision": "DECLINED"}]}),
        )
        .await;
    assert_eq!(code(stranger, "an unknown user"), "INVALID_FIELD");
}

fn mock(seed: u64) -> MockPlaid {
    MockPlaid::builder()
        .seed(seed)
        .transactions_per_item(400)
        .build()
}

scenarios! {
    a_check_report_is_the_users_items(mock(61)) |fake| {
        report_flow(&fake.mock, fake.client()).await
    }
    monitoring_and_loans(mock(62)) |fake| {
        monitoring_flow(&fake.mock, fake.client()).await;
        loans_flow(fake.client()).await
    }
    a_report_over_an_item_needing_its_login_is_data_unavailable(mock(64)) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let (token, _) = create_user(&client, "locked-out").await;
        let access_token = link_for(&client, &token).await;
        client
            .send_raw(
                "/sandbox/item/reset_login",
                json!({"access_token": access_token}),
            )
            .await
            .expect("login reset");
        create_report(&client, &token, 365).await;
        let last: Value = serde_json::from_slice(&mock.webhooks().last().unwrap().body).unwrap();
        assert_eq!(last["webhook_code"], "CHECK_REPORT_FAILED");
        mock.advance_clock(time::Duration::seconds(10));
        let failed = get(&client, "/cra/check_report/base_report/get", &token).await;
        assert_eq!(
            code(failed, "an item needing its login"),
            "DATA_UNAVAILABLE"
        );
    }
    the_pdfs_are_refused_until_a_report_is_ready(mock(63)) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let (token, _) = create_user(&client, "pdf").await;
        link_for(&client, &token).await;
        let pdf = |path: &str| {
            http::Request::post(path)
                .header("content-type", "application/json")
                .header("plaid-client-id", mock.client_id())
                .header("plaid-secret", mock.secret())
                .body(bytes::Bytes::from(json!({"user_token": token}).to_string()))
                .unwrap()
        };
        let paths = [
            "/cra/check_report/pdf/get",
            "/cra/check_report/verification/pdf/get",
            "/consumer_report/pdf/get",
        ];
        for path in paths {
            let early = fake.send(pdf(path)).await;
            assert_eq!(early.status(), 400, "{path} without a report");
        }
        create_report(&client, &token, 365).await;
        let not_yet = fake.send(pdf(paths[0])).await;
        assert_eq!(not_yet.status(), 400, "before the report is ready");
        mock.advance_clock(time::Duration::seconds(10));
        for path in paths {
            let answer = fake.send(pdf(path)).await;
            assert_eq!(answer.status(), 200, "{path}");
            assert!(answer.body().starts_with(b"%PDF"), "{path}");
        }
    }
}
