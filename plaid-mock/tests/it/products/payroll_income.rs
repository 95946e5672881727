//! Payroll and Document Income and Bank Employment: data made when Link is
//! finished with payroll income, consistent across pay stubs, W-2s and
//! employment; in process and over HTTP.

use crate::support::code;
use crate::support::{scenarios, Fake};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

const HOOK: &str = "https://lender.example/income";

async fn user(client: &Client, id: &str) -> String {
    let user = client
        .send_raw("/user/create", json!({"client_user_id": id}))
        .await
        .expect("a user");
    user["user_token"].as_str().unwrap().to_owned()
}

/// Finishes a payroll Link session for the user; its `item_id`.
async fn payroll_link(client: &Client, finish: &Fake, user_token: &str, flows: &[&str]) -> String {
    let created = client
        .send_raw(
            "/link/token/create",
            json!({"client_name": "Acme Lending", "language": "en", "country_codes": ["US"],
                   "user": {"client_user_id": "c"}, "user_token": user_token,
                   "products": ["income_verification"], "webhook": HOOK,
                   "income_verification": {"income_source_types": ["payroll"],
                                           "payroll_income": {"flow_types": flows}}}),
        )
        .await
        .expect("a link token");
    let done = finish
        .complete_link(created["link_token"].as_str().unwrap(), None)
        .await
        .expect("Link finished");
    done["item_id"].as_str().unwrap().to_owned()
}

fn amount(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// What every pay stub must satisfy: net = gross − deductions, each
/// year-to-date figure at least the period's.
fn check_stub(stub: &Value) {
    let gross = amount(&stub["earnings"]["total"]["current_amount"]);
    let withheld = amount(&stub["deductions"]["total"]["current_amount"]);
    let net = amount(&stub["net_pay"]["current_amount"]);
    assert!(net > 0.0 && net < gross, "{stub}");
    assert!(
        (gross - withheld - net).abs() < 0.005,
        "{gross} − {withheld} ≠ {net}"
    );
    let parts: f64 = stub["deductions"]["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| amount(&d["current_amount"]))
        .sum();
    assert!((parts - withheld).abs() < 0.005, "{parts} ≠ {withheld}");
    assert!(amount(&stub["net_pay"]["ytd_amount"]) >= net);
    assert!(amount(&stub["earnings"]["total"]["ytd_amount"]) >= gross);
    assert_eq!(amount(&stub["pay_period_details"]["gross_earnings"]), gross);
    assert_eq!(
        amount(&stub["pay_period_details"]["distribution_breakdown"][0]["current_amount"]),
        net
    );
}

async fn payroll_scenario(fake: &Fake) {
    let (mock, client, finish) = (&fake.mock, fake.client(), fake);
    let token = user(client, "payroll-1").await;
    for path in [
        "/credit/payroll_income/get",
        "/credit/employment/get",
        "/credit/payroll_income/risk_signals/get",
        "/credit/bank_statements/uploads/get",
        "/credit/payroll_income/refresh",
    ] {
        let early = client.send_raw(path, json!({"user_token": token})).await;
        assert_eq!(code(early, path), "INCOME_VERIFICATION_NOT_FOUND", "{path}");
    }

    let item_id = payroll_link(client, finish, &token, &[]).await;
    let income = client
        .send_raw("/credit/payroll_income/get", json!({"user_token": token}))
        .await
        .expect("payroll income");
    let items = income["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["item_id"], item_id.as_str());
    assert_eq!(item["institution_id"], "ins_109508");
    let account_id = item["accounts"][0]["account_id"].clone();
    assert!(account_id.is_string());
    assert_eq!(item["accounts"][0]["pay_frequency"], "BIWEEKLY");
    let payroll = &item["payroll_income"][0];
    assert_eq!(payroll["account_id"], account_id);
    let stubs = payroll["pay_stubs"].as_array().unwrap();
    assert_eq!(stubs.len(), 2);
    stubs.iter().for_each(check_stub);
    let newest = stubs[0]["pay_period_details"]["pay_date"].as_str().unwrap();
    let older = stubs[1]["pay_period_details"]["pay_date"].as_str().unwrap();
    assert!(newest > older, "{newest} after {older}");
    assert_ne!(stubs[0]["document_id"], stubs[1]["document_id"]);
    let employer = stubs[0]["employer"]["name"].clone();
    let w2 = &payroll["w2s"][0];
    assert_eq!(w2["employer"]["name"], employer);
    let salary = amount(&item["accounts"][0]["rate_of_pay"]["pay_amount"]);
    let wages: f64 = w2["wages_tips_other_comp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(wages, salary);
    // Gross per period is the salary over 26 pay periods.
    let gross = amount(&stubs[0]["earnings"]["total"]["current_amount"]);
    assert!(
        (gross * 26.0 - salary).abs() < 1.0,
        "{gross} × 26 vs {salary}"
    );

    let employment = client
        .send_raw("/credit/employment/get", json!({"user_token": token}))
        .await
        .expect("employment");
    let job = &employment["items"][0]["employments"][0];
    assert_eq!(employment["items"][0]["item_id"], item_id.as_str());
    assert_eq!(job["employer"]["name"], employer);
    assert_eq!(job["account_id"], account_id);
    assert_eq!(job["status"], "ACTIVE");
    assert_eq!(job["last_paystub_date"], newest);

    // The item_ids filter: the user's own items only.
    let other = client
        .send_raw(
            "/credit/payroll_income/get",
            json!({"user_token": token, "options": {"item_ids": ["not-an-item"]}}),
        )
        .await;
    assert_eq!(
        code(other, "an item that is not the user's"),
        "INVALID_FIELD"
    );

    // A refresh of a payroll login: new documents, a webhook to the item's URL.
    let refreshed = client
        .send_raw(
            "/credit/payroll_income/refresh",
            json!({"user_token": token}),
        )
        .await
        .expect("refreshed");
    assert_eq!(refreshed["verification_refresh_status"], "SUCCESSFUL");
    let hooks = mock.webhooks();
    let last: Value = serde_json::from_slice(&hooks.last().expect("a webhook").body).unwrap();
    assert_eq!(hooks.last().unwrap().url.as_deref(), Some(HOOK));
    assert_eq!(last["webhook_code"], "INCOME_VERIFICATION");
    assert_eq!(last["item_id"], item_id.as_str());
    assert_eq!(
        last["verification_status"],
        "VERIFICATION_STATUS_PROCESSING_COMPLETE"
    );
    let again = client
        .send_raw("/credit/payroll_income/get", json!({"user_token": token}))
        .await
        .expect("payroll income");
    assert_ne!(
        again["items"][0]["payroll_income"][0]["pay_stubs"][0]["document_id"],
        stubs[0]["document_id"],
        "a refresh pulls new documents"
    );
    let signals = client
        .send_raw(
            "/credit/payroll_income/risk_signals/get",
            json!({"user_token": token}),
        )
        .await
        .expect("risk signals");
    assert_eq!(signals["items"][0]["verification_risk_signals"], json!([]));

    // Document Income: uploaded documents, no payroll account.
    let doc_item = payroll_link(client, finish, &token, &["payroll_document_income"]).await;
    let sessions = client
        .send_raw("/credit/sessions/get", json!({"user_token": token}))
        .await
        .expect("sessions");
    let uploaded = &sessions["sessions"][0]["results"]["document_income_results"];
    assert_eq!(uploaded["num_paystubs_uploaded"], 1);
    assert_eq!(uploaded["num_w2s_uploaded"], 1);
    let only_docs = client
        .send_raw(
            "/credit/payroll_income/get",
            json!({"user_token": token, "options": {"item_ids": [doc_item]}}),
        )
        .await
        .expect("document income");
    let doc = &only_docs["items"][0];
    assert_eq!(only_docs["items"].as_array().unwrap().len(), 1);
    assert_eq!(doc["accounts"], json!([]));
    assert!(doc["payroll_income"][0]["account_id"].is_null());
    doc["payroll_income"][0]["pay_stubs"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(check_stub);
    let signals = client
        .send_raw(
            "/credit/payroll_income/risk_signals/get",
            json!({"user_token": token}),
        )
        .await
        .expect("risk signals");
    let of_docs = signals["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == doc_item.as_str())
        .expect("the document item");
    let checked = &of_docs["verification_risk_signals"][0]["single_document_risk_signals"];
    assert_eq!(checked.as_array().unwrap().len(), 2, "a pay stub and a W-2");
    assert_eq!(checked[0]["risk_summary"]["risk_score"], 0);
    let uploads = client
        .send_raw(
            "/credit/bank_statements/uploads/get",
            json!({"user_token": token}),
        )
        .await
        .expect("uploads");
    assert_eq!(uploads["items"].as_array().unwrap().len(), 1);
    assert_eq!(uploads["items"][0]["item_id"], doc_item.as_str());
    let refreshed = client
        .send_raw(
            "/credit/payroll_income/refresh",
            json!({"user_token": token, "options": {"item_ids": [doc_item]}}),
        )
        .await
        .expect("refreshed");
    assert_eq!(
        refreshed["verification_refresh_status"],
        "USER_PRESENCE_REQUIRED"
    );
    client
        .send_raw(
            "/credit/payroll_income/parsing_config/update",
            json!({"user_token": token, "item_id": doc_item, "parsing_config": ["ocr", "risk_signals"]}),
        )
        .await
        .expect("parsing config");
    let stranger = client
        .send_raw(
            "/credit/payroll_income/parsing_config/update",
            json!({"user_token": token, "item_id": "nope", "parsing_config": ["ocr"]}),
        )
        .await;
    assert_eq!(code(stranger, "another item"), "INVALID_FIELD");

    // Precheck: known employer, unknown employer, nothing.
    for (employer, confidence) in [
        (json!({"name": "Plaid Inc"}), "HIGH"),
        (json!({"name": "Nobody Corp"}), "LOW"),
        (json!({}), "UNKNOWN"),
    ] {
        let checked = client
            .send_raw(
                "/credit/payroll_income/precheck",
                json!({"user_token": token, "employer": employer}),
            )
            .await
            .expect("precheck");
        assert_eq!(checked["confidence"], confidence, "{employer}");
    }

    // The records go with the user.
    client
        .send_raw("/user/remove", json!({"user_token": token}))
        .await
        .expect("removed");
    let gone = client
        .send_raw("/credit/payroll_income/get", json!({"user_token": token}))
        .await;
    assert_eq!(code(gone, "a removed user"), "INVALID_FIELD");
}

scenarios! {
    payroll_income(MockPlaid::builder().seed(81).build()) |fake| {
        payroll_scenario(fake).await
    }
    sandbox_public_token_with_payroll_options_makes_payroll_data(MockPlaid::builder().seed(82).build()) in_process |fake| {
        let client = fake.client().clone();
        let token = user(&client, "sandbox-payroll").await;
        client
            .send_raw(
                "/sandbox/public_token/create",
                json!({"institution_id": "ins_109508", "initial_products": ["income_verification"],
                       "user_token": token,
                       "options": {"income_verification": {"income_source_types": ["payroll"]}}}),
            )
            .await
            .expect("a public token");
        let income = client
            .send_raw("/credit/payroll_income/get", json!({"user_token": token}))
            .await
            .expect("payroll income");
        assert_eq!(
            income["items"][0]["payroll_income"][0]["pay_stubs"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let bank = client
            .send_raw("/credit/bank_income/get", json!({"user_token": token}))
            .await;
        assert_eq!(code(bank, "payroll only"), "INCOME_VERIFICATION_NOT_FOUND");
    }
    bank_employment_comes_from_the_salary_deposits(MockPlaid::builder().seed(83).build()) in_process |fake| {
        let client = fake.client().clone();
        let token = user(&client, "bank-employment").await;
        let early = client
            .send_raw(
                "/beta/credit/v1/bank_employment/get",
                json!({"user_token": token}),
            )
            .await;
        assert_eq!(code(early, "before Link"), "INCOME_VERIFICATION_NOT_FOUND");
        client
            .send_raw(
                "/sandbox/public_token/create",
                json!({"institution_id": "ins_109508", "initial_products": ["income_verification"],
                       "user_token": token,
                       "options": {"income_verification": {"bank_income": {"days_requested": 120}}}}),
            )
            .await
            .expect("a public token");
        let income = client
            .send_raw("/credit/bank_income/get", json!({"user_token": token}))
            .await
            .expect("bank income");
        let salary = income["bank_income"][0]["items"][0]["bank_income_sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["income_category"] == "SALARY")
            .expect("a salary source")
            .clone();
        let report = client
            .send_raw(
                "/beta/credit/v1/bank_employment/get",
                json!({"user_token": token}),
            )
            .await
            .expect("bank employment");
        let report = &report["bank_employment_reports"][0];
        assert_eq!(report["days_requested"], 120);
        let job = &report["items"][0]["bank_employments"][0];
        assert_eq!(job["employer"]["name"], "GUSTO");
        assert_eq!(job["account_id"], salary["account_id"]);
        assert_eq!(job["earliest_deposit_date"], salary["start_date"]);
        assert_eq!(job["latest_deposit_date"], salary["end_date"]);
    }
}
