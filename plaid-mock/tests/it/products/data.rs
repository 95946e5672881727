//! Product lifecycles of the fake through the public client: what a create
//! sent is what `get` and `list` give back, and misuse gives Plaid's errors.

use crate::support::scenarios;
use plaid_core::{Client, Error};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};
use time::macros::datetime;

fn mock() -> MockPlaid {
    MockPlaid::builder()
        .seed(5)
        .now(datetime!(2024-06-30 12:00 UTC))
        .build()
}

/// The error code of a failed call.
fn code(result: Result<Value, Error>) -> String {
    let error = result.expect_err("the call fails");
    error
        .plaid_error()
        .map(|e| e.error_code.clone())
        .unwrap_or_else(|| panic!("not a Plaid error: {error}"))
}

async fn create_idv(client: &Client, user_id: &str, template: &str) -> Value {
    client
        .send_raw(
            "/identity_verification/create",
            json!({
                "client_user_id": user_id, "template_id": template,
                "is_shareable": true, "gave_consent": false,
                "user": {"email_address": "ana@example.com", "date_of_birth": "1985-03-02",
                         "name": {"given_name": "Ana", "family_name": "Lima"},
                         "address": {"street": "1 Elm St", "city": "Austin", "region": "TX",
                                     "postal_code": "78701", "country": "US"}}
            }),
        )
        .await
        .unwrap()
}

/// Autofill finds the user's name and address when the verification has a
/// phone number and date of birth; without them it fails.
async fn autofill(client: &Client) {
    let full = client
        .send_raw(
            "/identity_verification/create",
            json!({"client_user_id": "auto-1", "template_id": "idvtmp_a", "is_shareable": true,
                   "gave_consent": true,
                   "user": {"phone_number": "+12345678909", "date_of_birth": "1985-03-02",
                            "name": {"given_name": "Ana", "family_name": "Lima"},
                            "address": {"street": "1 Elm St", "city": "Austin", "region": "TX",
                                        "postal_code": "78701", "country": "US"}}}),
        )
        .await
        .unwrap();
    let filled = client
        .send_raw(
            "/identity_verification/autofill/create",
            json!({"identity_verification_id": full["id"]}),
        )
        .await
        .unwrap();
    assert_eq!(filled["status"], "success");
    assert_eq!(filled["user"]["name"]["family_name"], "Lima");
    assert_eq!(filled["user"]["address"]["postal_code"], "78701");
    let no_phone = create_idv(client, "auto-2", "idvtmp_a").await;
    let failed = client
        .send_raw(
            "/identity_verification/autofill/create",
            json!({"identity_verification_id": no_phone["id"]}),
        )
        .await
        .unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["user"], Value::Null);
    let unknown = client
        .send_raw(
            "/identity_verification/autofill/create",
            json!({"identity_verification_id": "idv_nope"}),
        )
        .await;
    assert_eq!(code(unknown), "INVALID_FIELD");
}

scenarios! {
    autofill_reads_the_verifications_user(mock()) |fake| {
        autofill(fake.client()).await
    }
    an_identity_verification_is_stored_as_sent_and_listed_by_user_and_template(mock()) in_process |fake| {
        let client = fake.client().clone();
        let created = create_idv(&client, "user-17", "idvtmp_abc").await;
        let id = created["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("idv_") && id.len() == 18, "{id}");
        assert_eq!(created["client_user_id"], "user-17");
        assert_eq!(created["template"]["id"], "idvtmp_abc");
        assert_eq!(
            created["user"]["name"],
            json!({"given_name": "Ana", "family_name": "Lima"})
        );
        assert_eq!(created["user"]["address"]["city"], "Austin");
        assert_eq!(created["user"]["phone_number"], Value::Null);
        assert_eq!(created["status"], "active");
        assert_eq!(created["steps"]["accept_tos"], "active");
        assert_eq!(created["steps"]["kyc_check"], "waiting_for_prerequisite");
        assert_eq!(created["created_at"], "2024-06-30T12:00:00Z");
        assert!(created["shareable_url"].as_str().unwrap().contains(&id));

        let fetched = client
            .send_raw(
                "/identity_verification/get",
                json!({"identity_verification_id": id}),
            )
            .await
            .unwrap();
        let without_request_id = |mut v: Value| {
            v.as_object_mut().unwrap().remove("request_id");
            v
        };
        assert_eq!(
            without_request_id(fetched),
            without_request_id(created.clone())
        );

        create_idv(&client, "user-18", "idvtmp_abc").await;
        create_idv(&client, "user-17", "idvtmp_other").await;
        let listed = client
            .send_raw(
                "/identity_verification/list",
                json!({"template_id": "idvtmp_abc", "client_user_id": "user-17"}),
            )
            .await
            .unwrap();
        let ids: Vec<&Value> = listed["identity_verifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| &v["id"])
            .collect();
        assert_eq!(ids, vec![&json!(id)]);
        assert_eq!(listed["next_cursor"], Value::Null);
    }
    identity_verification_lists_page_with_cursors(mock()) in_process |fake| {
        let client = fake.client().clone();
        let mut made = Vec::new();
        for _ in 0..130 {
            made.push(create_idv(&client, "pager", "idvtmp_p").await["id"].clone());
        }
        let mut seen = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let mut body = json!({"template_id": "idvtmp_p"});
            if !cursor.is_null() {
                body["cursor"] = cursor.clone();
            }
            let page = client
                .send_raw("/identity_verification/list", body)
                .await
                .unwrap();
            seen.extend(
                page["identity_verifications"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["id"].clone()),
            );
            cursor = page["next_cursor"].clone();
            if cursor.is_null() {
                break;
            }
        }
        assert_eq!(seen, made);
    }
    a_retry_is_a_new_attempt_naming_the_previous_one(mock()) in_process |fake| {
        let client = fake.client().clone();
        let first = create_idv(&client, "user-r", "idvtmp_r").await;
        let retried = client
            .send_raw(
                "/identity_verification/retry",
                json!({"client_user_id": "user-r", "template_id": "idvtmp_r", "strategy": "reset"}),
            )
            .await
            .unwrap();
        assert_ne!(retried["id"], first["id"]);
        assert_eq!(retried["previous_attempt_id"], first["id"]);
        assert_eq!(retried["status"], "active");
        assert_eq!(retried["user"], first["user"]);
        assert_eq!(retried["steps"]["selfie_check"], "not_applicable");
        let old = client
            .send_raw(
                "/identity_verification/get",
                json!({"identity_verification_id": first["id"]}),
            )
            .await
            .unwrap();
        assert_eq!(old["status"], "canceled");
        // `infer` cannot retry an attempt that is still active; `custom` needs steps.
        let infer = client
            .send_raw(
                "/identity_verification/retry",
                json!({"client_user_id": "user-r", "template_id": "idvtmp_r", "strategy": "infer"}),
            )
            .await;
        assert_eq!(code(infer), "INVALID_FIELD");
        let custom = client
            .send_raw(
                "/identity_verification/retry",
                json!({"client_user_id": "user-r", "template_id": "idvtmp_r", "strategy": "custom"}),
            )
            .await;
        assert_eq!(code(custom), "INVALID_FIELD");
    }
    unknown_identity_verifications_are_errors(mock()) in_process |fake| {
        let client = fake.client().clone();
        let get = client
            .send_raw(
                "/identity_verification/get",
                json!({"identity_verification_id": "idv_nope"}),
            )
            .await;
        assert_eq!(code(get), "INVALID_FIELD");
        let retry = client
            .send_raw(
                "/identity_verification/retry",
                json!({"client_user_id": "nobody", "template_id": "idvtmp_x", "strategy": "reset"}),
            )
            .await;
        assert_eq!(code(retry), "INVALID_FIELD");
    }
    an_idempotent_create_returns_the_existing_verification(mock()) in_process |fake| {
        let client = fake.client().clone();
        let first = create_idv(&client, "user-i", "idvtmp_i").await;
        let again = client
            .send_raw(
                "/identity_verification/create",
                json!({"client_user_id": "user-i", "template_id": "idvtmp_i", "is_shareable": false,
                       "gave_consent": true, "is_idempotent": true}),
            )
            .await
            .unwrap();
        assert_eq!(again["id"], first["id"]);
    }
    enrich_answers_one_enriched_transaction_per_input_in_order(mock()) in_process |fake| {
        let client = fake.client().clone();
        let sent = json!([
            {"id": "t-1", "description": "STARBUCKS 1234 SEATTLE", "amount": 4.5, "direction": "OUTFLOW", "iso_currency_code": "USD"},
            {"id": "t-2", "description": "GUSTO PAYROLL", "amount": 1200.0, "direction": "INFLOW", "iso_currency_code": "USD"},
            {"id": "t-3", "description": "ZXQ UNHEARD-OF SHOP", "amount": 9.99, "direction": "OUTFLOW", "iso_currency_code": "USD"},
            {"id": "t-4", "description": "UBER TRIP", "amount": 18.2, "direction": "OUTFLOW", "iso_currency_code": "USD",
             "location": {"city": "Denver", "region": "CO"}}
        ]);
        let answer = client
            .send_raw(
                "/transactions/enrich",
                json!({"account_type": "depository", "transactions": sent}),
            )
            .await
            .unwrap();
        let enriched = answer["enriched_transactions"].as_array().unwrap();
        assert_eq!(enriched.len(), 4);
        for (out, input) in enriched.iter().zip(sent.as_array().unwrap()) {
            for field in [
                "id",
                "description",
                "amount",
                "direction",
                "iso_currency_code",
            ] {
                assert_eq!(out[field], input[field], "{field}");
            }
        }
        let category =
            |i: usize| enriched[i]["enrichments"]["personal_finance_category"]["primary"].clone();
        assert_eq!(enriched[0]["enrichments"]["merchant_name"], "Starbucks");
        assert_eq!(category(0), "FOOD_AND_DRINK");
        assert_eq!(category(1), "INCOME");
        assert_eq!(enriched[2]["enrichments"]["merchant_name"], Value::Null);
        assert_eq!(category(2), "GENERAL_MERCHANDISE");
        assert_eq!(category(3), "TRANSPORTATION");
        assert_eq!(enriched[3]["enrichments"]["location"]["city"], "Denver");
    }
    a_token_of_another_kind_is_named_in_the_error(mock()) in_process |fake| {
        let client = fake.client().clone();
        let created = client
            .send_raw(
                "/sandbox/public_token/create",
                json!({"institution_id": "ins_109508", "initial_products": ["transactions"]}),
            )
            .await
            .unwrap();
        let public_token = created["public_token"].as_str().unwrap();
        let as_access = client
            .send_raw("/accounts/get", json!({"access_token": public_token}))
            .await
            .expect_err("a public token is not an access token");
        let error = as_access.plaid_error().unwrap();
        assert_eq!(error.error_code, "INVALID_ACCESS_TOKEN");
        assert!(error.error_message.contains("public token"), "{error:?}");
        let link = client
            .send_raw(
                "/link/token/create",
                json!({"client_name": "x", "language": "en", "country_codes": ["US"],
                       "user": {"client_user_id": "u"}, "products": ["auth"]}),
            )
            .await
            .unwrap();
        let as_public = client
            .send_raw(
                "/item/public_token/exchange",
                json!({"public_token": link["link_token"]}),
            )
            .await
            .expect_err("a link token is not a public token");
        let error = as_public.plaid_error().unwrap();
        assert_eq!(error.error_code, "INVALID_PUBLIC_TOKEN");
        assert!(error.error_message.contains("link token"), "{error:?}");
        // A removed item's token is unknown afterwards.
        let exchanged = client
            .item()
            .public_token()
            .exchange(public_token)
            .await
            .unwrap();
        client
            .send_raw(
                "/item/remove",
                json!({"access_token": exchanged.access_token}),
            )
            .await
            .unwrap();
        let removed = client
            .send_raw(
                "/accounts/get",
                json!({"access_token": exchanged.access_token}),
            )
            .await;
        assert_eq!(code(removed), "ITEM_NOT_FOUND");
    }
}
