//! Requests are checked in depth, as Plaid checks them: `null` only where
//! the spec allows it, required fields, formats, unique items, at any
//! depth, each refusal naming the field's path. Answers keep to their
//! schema where what the request sent (or left out) would not fit. And
//! three sandbox facts: a removed item's token is `ITEM_NOT_FOUND`, the
//! sandbox's long-lived webhook key is known, and the older Income reads
//! answer with documents for a sandbox item made with
//! `income_verification`.

use plaid_core::models::Products;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::{self, scenarios};

/// The spec's minimal accepted body for `path` with `value` put at `at`
/// (`user.depository_accounts.0`: object keys and array indexes, parents
/// made as needed).
fn body_with(path: &str, at: &str, value: Value) -> Value {
    let mut body = plaid_mock::sample_request(path).expect("an operation of the spec");
    let mut here = &mut body;
    for key in at.split('.') {
        here = match key.parse::<usize>() {
            Ok(index) => {
                if !here.is_array() {
                    *here = json!([]);
                }
                let items = here.as_array_mut().expect("an array");
                while items.len() <= index {
                    items.push(json!({}));
                }
                &mut items[index]
            }
            Err(_) => {
                if !here.is_object() {
                    *here = json!({});
                }
                here.as_object_mut()
                    .expect("an object")
                    .entry(key)
                    .or_insert(Value::Null)
            }
        };
    }
    *here = value;
    body
}

/// The refusal of `body` at `path`: (error type, code, message).
async fn refusal(client: &Client, path: &str, body: Value) -> (String, String, String) {
    match client.send_raw(path, body.clone()).await {
        Ok(answer) => panic!("{path} {body}: expected a refusal, got {answer}"),
        Err(e) => {
            let error = e
                .plaid_error()
                .unwrap_or_else(|| panic!("{path}: not a Plaid error: {e}"));
            (
                format!("{:?}", error.error_type),
                error.error_code.clone(),
                error.error_message.clone(),
            )
        }
    }
}

/// Whether `body` at `path` passes the request checks: it is answered, or
/// refused with the very error the spec's minimal body gets (an unknown
/// id, say), never one about the value put in.
async fn passes_checks(client: &Client, path: &str, body: Value) -> bool {
    let outcome = |result: Result<Value, plaid_core::Error>| match result {
        Ok(_) => None,
        Err(e) => Some(
            e.plaid_error()
                .map(|p| (p.error_code.clone(), p.error_message.clone())),
        ),
    };
    let sample = plaid_mock::sample_request(path).expect("an operation of the spec");
    let with_value = outcome(client.send_raw(path, body).await);
    with_value.is_none() || with_value == outcome(client.send_raw(path, sample).await)
}

/// Checks that `value` put at `at` in the minimal body of `path` is
/// refused as INVALID_REQUEST `code`, with a message that says `message`
/// (the field's path first).
async fn refuses(path: &str, at: &str, value: Value, code: &str, message: &str) {
    let client = MockPlaid::new().client();
    let (error_type, got_code, got_message) =
        refusal(&client, path, body_with(path, at, value)).await;
    assert_eq!(error_type, "InvalidRequest", "{path} {at}");
    assert_eq!(got_code, code, "{path} {at}: {got_message}");
    assert!(
        got_message.contains(message),
        "{path} {at}: {got_message:?} does not say {message:?}"
    );
}

/// One test per rule: the operation, where the bad value goes, the value,
/// the code and what the message must say.
macro_rules! rules {
    ($($name:ident: $path:literal, $at:literal, $value:expr, $code:literal, $message:literal;)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                refuses($path, $at, $value, $code, $message).await;
            }
        )*
    };
}

rules! {
    null_in_a_non_nullable_array_item:
        "/beacon/user/create", "user.depository_accounts.0", Value::Null,
        "INVALID_FIELD", "user.depository_accounts[0] must not be null";
    null_in_an_optional_non_nullable_nested_field:
        "/transactions/get", "options.count", Value::Null,
        "INVALID_FIELD", "options.count must not be null";
    null_in_a_required_non_nullable_field:
        "/accounts/get", "access_token", Value::Null,
        "MISSING_FIELDS", "access_token";
    null_in_a_required_field_of_an_array_items_object:
        "/transactions/enrich", "transactions.0.amount", Value::Null,
        "MISSING_FIELDS", "transactions[0].amount";
    format_email:
        "/identity_verification/create", "user.email_address", json!(""),
        "INVALID_FIELD", "user.email_address must be an email address";
    format_uri:
        "/watchlist_screening/entity/create", "search_terms.url", json!("AAA"),
        "INVALID_FIELD", "search_terms.url must be an absolute URI";
    format_uuid:
        "/transfer/platform/requirement/submit", "requirement_submissions.0.person_id",
        json!("person-1"),
        "INVALID_FIELD", "requirement_submissions[0].person_id must be a UUID";
    format_date:
        "/transactions/get", "start_date", json!("2024-02-30"),
        "INVALID_FIELD", "start_date must be a date";
    format_date_time:
        "/transfer/event/list", "start_date", json!("2024-01-31 12:00"),
        "INVALID_FIELD", "start_date must be an ISO 8601 date-time";
    unique_items:
        "/payment_initiation/consent/create", "scopes", json!(["ME_TO_ME", "ME_TO_ME"]),
        "INVALID_FIELD", "scopes[1] repeats an earlier item";
    wrong_type_three_levels_down:
        "/beacon/user/create", "user.address",
        json!({"street": "1 Main St", "city": 5, "country": "US"}),
        "INVALID_FIELD", "user.address.city must be a string";
}

#[tokio::test]
async fn the_same_places_accept_what_the_spec_allows() {
    let client = MockPlaid::new().client();
    let good: &[(&str, &str, Value)] = &[
        (
            "/beacon/user/create",
            "user.depository_accounts.0",
            json!({"account_number": "1234567890", "routing_number": "021000021"}),
        ),
        ("/transactions/get", "options.count", json!(500)),
        (
            "/identity_verification/create",
            "user.email_address",
            json!("jane.doe+plaid@example.co.uk"),
        ),
        (
            "/watchlist_screening/entity/create",
            "search_terms.url",
            json!("https://example.com/about?x=1"),
        ),
        // Nullable in the spec: null is accepted.
        (
            "/watchlist_screening/entity/create",
            "search_terms.url",
            Value::Null,
        ),
        (
            "/transactions/get",
            "options.include_original_description",
            Value::Null,
        ),
        (
            "/transfer/platform/requirement/submit",
            "requirement_submissions.0.person_id",
            json!("6c5516e1-92dc-479e-a8ff-5a51992e0001"),
        ),
        (
            "/transfer/event/list",
            "start_date",
            json!("2024-01-31T12:00:00Z"),
        ),
        (
            "/payment_initiation/consent/create",
            "scopes",
            json!(["ME_TO_ME", "EXTERNAL"]),
        ),
        // `url` is a name in the spec, not a rule: not checked.
        ("/item/webhook/update", "webhook", json!("not really a url")),
    ];
    for (path, at, value) in good {
        let body = body_with(path, at, value.clone());
        assert!(
            passes_checks(&client, path, body.clone()).await,
            "{path}: {body} was refused by the request checks"
        );
    }
}

#[tokio::test]
async fn answers_keep_the_fakes_own_value_where_the_request_left_a_gap() {
    let client = MockPlaid::new().client();
    // Plaid allows a Beacon user without an address or a birth date; the
    // answer's schema does not allow null there.
    let made = client
        .send_raw(
            "/beacon/user/create",
            json!({"program_id": "becprg_11111111111111", "client_user_id": "u-1",
                   "user": {"name": {"given_name": "Ann", "family_name": "Perkins"},
                            "depository_accounts": [{"account_number": "1234567890",
                                                     "routing_number": "021000021"}]}}),
        )
        .await
        .expect("a Beacon user");
    assert!(made["user"]["address"]["city"].is_string(), "{made}");
    assert!(made["user"]["date_of_birth"].is_string(), "{made}");
    // What was sent is still what is answered.
    assert_eq!(made["user"]["name"]["given_name"], "Ann");
    assert_eq!(made["client_user_id"], "u-1");

    // `products: null` (nullable in the request) is answered as no products.
    let token = client
        .send_raw(
            "/link/token/create",
            json!({"client_name": "App", "language": "en", "country_codes": ["US"],
                   "user": {"client_user_id": "u-1"}, "products": null}),
        )
        .await
        .expect("a link token")["link_token"]
        .clone();
    let got = client
        .send_raw("/link/token/get", json!({"link_token": token}))
        .await
        .expect("the link token");
    assert_eq!(got["metadata"]["initial_products"], json!([]));
}

async fn removed_item_scenario(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let token = json!({"access_token": linked.access_token});
    client
        .send_raw("/item/remove", token.clone())
        .await
        .expect("removed");
    for path in ["/accounts/get", "/item/get", "/auth/get", "/item/remove"] {
        let (error_type, code, _) = refusal(client, path, token.clone()).await;
        assert_eq!(
            (error_type.as_str(), code.as_str()),
            ("ItemError", "ITEM_NOT_FOUND"),
            "{path}"
        );
    }
    // Through the typed client too, with Plaid's HTTP status.
    let err = client
        .accounts()
        .get(&linked.access_token)
        .await
        .expect_err("a removed item");
    assert_eq!(err.code(), Some("ITEM_NOT_FOUND"));
    assert!(err.is_item_error(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    // A token never issued, and one rotated away, stay INVALID_ACCESS_TOKEN.
    let never = json!({"access_token": "access-sandbox-00000000-0000-4000-8000-000000000000"});
    assert_eq!(
        refusal(client, "/accounts/get", never).await.1,
        "INVALID_ACCESS_TOKEN"
    );
    let other = support::link(client, "ins_109508").await;
    client
        .send_raw(
            "/item/access_token/invalidate",
            json!({"access_token": other.access_token}),
        )
        .await
        .expect("rotated");
    let rotated = json!({"access_token": other.access_token});
    assert_eq!(
        refusal(client, "/accounts/get", rotated).await.1,
        "INVALID_ACCESS_TOKEN"
    );
}

async fn long_lived_key_scenario(client: &Client) {
    let kid = plaid_mock::webhook_signing::SANDBOX_LONG_LIVED_KEY_ID;
    assert_eq!(kid, "6c5516e1-92dc-479e-a8ff-5a51992e0001");
    let answer = client
        .send_raw("/webhook_verification_key/get", json!({"key_id": kid}))
        .await
        .expect("the sandbox's long-lived key");
    let key = &answer["key"];
    assert_eq!(key["kid"], kid);
    assert_eq!(
        (&key["alg"], &key["crv"], &key["kty"], &key["use"]),
        (
            &json!("ES256"),
            &json!("P-256"),
            &json!("EC"),
            &json!("sig")
        )
    );
    for coordinate in ["x", "y"] {
        // 32 bytes, base64url without padding.
        assert_eq!(key[coordinate].as_str().map(str::len), Some(43), "{key}");
    }
    assert!(key["created_at"].as_i64().is_some_and(|t| t > 0), "{key}");
    assert_eq!(key["expired_at"], Value::Null);
    // The typed client reads it too; an unknown id is still refused.
    let typed = client
        .webhook_verification_key()
        .get(kid)
        .await
        .expect("the key, typed");
    assert_eq!(typed.key.kid, kid);
    let (_, code, _) = refusal(
        client,
        "/webhook_verification_key/get",
        json!({"key_id": "6c5516e1-92dc-479e-a8ff-5a51992e0002"}),
    )
    .await;
    assert_eq!(code, "INVALID_WEBHOOK_VERIFICATION_KEY_ID");
}

async fn income_documents_scenario(client: &Client) {
    let access_token = support::link_with(
        client,
        json!({"institution_id": "ins_109508", "initial_products": ["income_verification"]}),
    )
    .await;
    let body = json!({"access_token": access_token});
    let stubs = client
        .send_raw("/income/verification/paystubs/get", body.clone())
        .await
        .expect("pay stubs");
    let forms = client
        .send_raw("/income/verification/taxforms/get", body.clone())
        .await
        .expect("tax forms");
    for (answer, list) in [(&stubs, "paystubs"), (&forms, "taxforms")] {
        let items = answer[list].as_array().map_or(0, Vec::len);
        let docs = answer["document_metadata"].as_array().map_or(0, Vec::len);
        assert!(items > 0 && docs > 0, "{list}: {answer}");
    }
    // An item made without income_verification still has none.
    let plain = support::link_with_products(client, "ins_109508", vec![Products::Auth]).await;
    let (_, code, _) = refusal(
        client,
        "/income/verification/paystubs/get",
        json!({"access_token": plain.access_token}),
    )
    .await;
    assert_eq!(code, "INCOME_VERIFICATION_NOT_FOUND");
}

scenarios! {
    /// `/item/remove`, then the token: ITEM_ERROR / ITEM_NOT_FOUND, as the
    /// sandbox answers (a second remove too); unknown and rotated tokens
    /// stay INVALID_ACCESS_TOKEN.
    removed_item_is_item_not_found(MockPlaid::builder().seed(221).build()) |fake| {
        removed_item_scenario(fake.client()).await
    }

    /// The sandbox's long-lived webhook verification key is served.
    long_lived_webhook_key(MockPlaid::builder().seed(222).build()) |fake| {
        long_lived_key_scenario(fake.client()).await
    }

    /// The older Income reads answer with documents for a sandbox item
    /// made with `income_verification`.
    income_documents_by_access_token(MockPlaid::builder().seed(223).build()) |fake| {
        income_documents_scenario(fake.client()).await
    }
}
