//! The client against test transports (`plaid_core::test_util`): no sockets.

use std::time::Duration;

use plaid_core::models::{AccountSubtype, AccountType};
use plaid_core::sleep::RecordingSleep;
use plaid_core::{
    Client, Environment, Error, ErrorType, LocalError, ResponseErrorKind, RetryPolicy,
    TransportErrorKind,
};
use serde_json::json;

#[path = "support/mod.rs"]
mod support;

use plaid_core::test_util::{NeverAnswers, ScriptedTransport};
use support::{client, SECRET};

fn account_json(subtype: serde_json::Value) -> serde_json::Value {
    json!({
        "account_id": "acc-1",
        "balances": {"available": 100.0, "current": null, "limit": null,
                     "iso_currency_code": "USD", "unofficial_currency_code": null},
        "mask": "0000", "name": "Plaid Checking", "official_name": null,
        "type": "depository", "subtype": subtype
    })
}

fn item_json() -> serde_json::Value {
    json!({"item_id": "item-1", "institution_id": "ins_109508", "webhook": null, "error": null,
           "available_products": ["balance"], "billed_products": ["auth"],
           "consent_expiration_time": null, "update_type": "background"})
}

#[tokio::test]
async fn a_user_written_transport_replaces_hyper_entirely() {
    let transport = ScriptedTransport::new().answer(
        200,
        json!({"access_token": "access-sandbox-1", "item_id": "item-1", "request_id": "r1"}),
    );
    let client = client(&transport);
    let exchanged = client
        .item()
        .public_token()
        .exchange("public-sandbox-1")
        .await
        .unwrap();
    assert_eq!(exchanged.access_token, "access-sandbox-1");

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method(), http::Method::POST);
    assert_eq!(
        sent[0].uri().to_string(),
        "https://sandbox.plaid.com/item/public_token/exchange"
    );
    let body: serde_json::Value = serde_json::from_slice(sent[0].body()).unwrap();
    assert_eq!(body, json!({"public_token": "public-sandbox-1"}));
    assert_eq!(sent[0].headers()["plaid-secret"], SECRET);
    assert_eq!(sent[0].headers()["plaid-client-id"], "client-1");
}

#[tokio::test]
async fn missing_credentials_fail_locally_without_sending() {
    let transport = ScriptedTransport::new();
    let client = Client::builder()
        .transport(transport.clone())
        .build()
        .unwrap();
    let err = client.auth().get("access-sandbox-1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Local(LocalError::MissingCredentials { path }) if path == "/auth/get"),
        "{err:?}"
    );
    let raw = client.send_raw("/item/get", json!({})).await.unwrap_err();
    assert!(matches!(raw, Error::Local(_)));
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn categories_work_without_credentials_and_send_none() {
    let body = json!({"categories": [{"category_id": "10000000", "group": "special",
                                      "hierarchy": ["Bank Fees"]}], "request_id": "r"});
    let transport = ScriptedTransport::new()
        .answer(200, body.clone())
        .answer(200, body);
    let anonymous = Client::builder()
        .transport(transport.clone())
        .build()
        .unwrap();
    #[allow(deprecated)] // Plaid deprecated /categories/get; the legacy flow still uses it.
    let categories = anonymous.categories().get().await.unwrap();
    assert_eq!(categories.categories[0].hierarchy, ["Bank Fees"]);
    let raw = anonymous
        .send_raw("/categories/get", json!({}))
        .await
        .unwrap();
    assert_eq!(raw["categories"][0]["group"], "special");
    for request in transport.requests() {
        assert!(request.headers().get("plaid-secret").is_none());
        assert!(request.headers().get("plaid-client-id").is_none());
    }
}

#[tokio::test]
async fn retryable_plaid_error_is_retried_with_backoff() {
    let transport = ScriptedTransport::new()
        .answer(
            500,
            json!({"error_type": "API_ERROR", "error_code": "INTERNAL_SERVER_ERROR",
                   "error_message": "oops", "display_message": null, "request_id": "r1"}),
        )
        .fail(TransportErrorKind::Connect)
        .answer(200, json!({"request_id": "r3"}));
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .credentials("c", SECRET)
        .transport(transport.clone())
        .sleep_impl(sleep.clone())
        .no_timeout()
        .retry_policy(
            RetryPolicy::default()
                .max_retries(2)
                .initial_backoff(Duration::from_millis(100))
                .jitter(false),
        )
        .build()
        .unwrap();
    client.item().remove("access-1").await.unwrap();
    assert_eq!(transport.requests().len(), 3);
    assert_eq!(
        sleep.delays(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn timeouts_and_broken_connections_are_not_retried() {
    for kind in [
        TransportErrorKind::TimedOut,
        TransportErrorKind::Interrupted,
    ] {
        let transport = ScriptedTransport::new()
            .fail(kind)
            .answer(200, json!({"request_id": "r"}));
        let err = client(&transport).item().remove("a").await.unwrap_err();
        assert!(matches!(&err, Error::Transport(t) if t.kind() == kind));
        assert_eq!(err.is_timeout(), kind == TransportErrorKind::TimedOut);
        assert_eq!(
            transport.requests().len(),
            1,
            "{kind:?} must not be retried"
        );
    }
}

#[tokio::test]
async fn decode_failure_names_the_json_path_and_keeps_the_body() {
    let mut bad = json!({"accounts": [account_json(json!("checking"))], "item": item_json(),
                         "request_id": "req-77"});
    bad["accounts"][0]["balances"]["available"] = json!("a lot");
    let transport = ScriptedTransport::new().answer(200, bad.clone());
    let err = client(&transport).accounts().get("a").await.unwrap_err();
    let Error::Response(resp) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(resp.kind, ResponseErrorKind::Decode);
    assert_eq!(
        resp.json_path.as_deref(),
        Some("accounts[0].balances.available")
    );
    assert_eq!(resp.request_id.as_deref(), Some("req-77"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&resp.body).unwrap(),
        bad
    );
    assert!(
        err.to_string().contains("accounts[0].balances.available"),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn unknown_enum_values_nulls_and_extra_fields_do_not_fail_a_response() {
    let mut account = account_json(json!("quantum vault"));
    account["brand_new_field"] = json!({"nested": [1, 2]});
    let transport = ScriptedTransport::new().answer(
        200,
        json!({"accounts": [account, account_json(json!(null))], "item": item_json(),
               "request_id": "r", "another_new_field": true}),
    );
    let accounts = client(&transport).accounts().get("a").await.unwrap();
    let first = &accounts.accounts[0];
    assert_eq!(first.type_, AccountType::Depository);
    assert_eq!(
        first.subtype,
        Some(AccountSubtype::Unknown("quantum vault".into()))
    );
    assert_eq!(first.balances.current, None);
    assert_eq!(accounts.accounts[1].subtype, None);
    // The unknown value goes back out unchanged.
    assert_eq!(
        serde_json::to_value(first).unwrap()["subtype"],
        "quantum vault"
    );
}

#[tokio::test]
async fn transactions_get_sends_dates_and_paging_options() {
    let transport = ScriptedTransport::new().answer(
        200,
        json!({"accounts": [], "transactions": [{
                  "transaction_id": "t1", "account_id": "acc-1", "amount": 12.5,
                  "iso_currency_code": "USD", "unofficial_currency_code": null,
                  "date": "2024-02-29", "authorized_date": null, "datetime": "2024-02-29T10:00:00Z",
                  "name": "Coffee", "merchant_name": null, "pending": false,
                  "pending_transaction_id": null, "payment_channel": "in store"}],
               "total_transactions": 1, "item": item_json(), "request_id": "r"}),
    );
    let page = client(&transport)
        .transactions()
        .get("access-1")
        .start_date(time::macros::date!(2024 - 01 - 01))
        .end_date(time::macros::date!(2024 - 03 - 31))
        .count(500)
        .offset(100)
        .await
        .unwrap();
    assert_eq!(
        page.transactions[0].date,
        Some(time::macros::date!(2024 - 02 - 29))
    );
    assert_eq!(
        page.transactions[0].datetime,
        Some(time::macros::datetime!(2024-02-29 10:00 UTC))
    );
    let sent: serde_json::Value = serde_json::from_slice(transport.requests()[0].body()).unwrap();
    assert_eq!(
        sent,
        json!({"access_token": "access-1", "start_date": "2024-01-01", "end_date": "2024-03-31",
               "options": {"count": 500, "offset": 100}})
    );
}

#[tokio::test]
async fn api_version_user_agent_and_base_url_are_applied() {
    let transport = ScriptedTransport::new().answer(200, json!({"request_id": "r"}));
    let client = Client::builder()
        .environment(Environment::custom("http://127.0.0.1:9999/"))
        .credentials("c", SECRET)
        .api_version("2019-05-29")
        .user_agent("my-app/1.0")
        .transport(transport.clone())
        .build()
        .unwrap();
    client.item().remove("a").await.unwrap();
    let sent = &transport.requests()[0];
    assert_eq!(sent.uri().to_string(), "http://127.0.0.1:9999/item/remove");
    assert_eq!(sent.headers()["plaid-version"], "2019-05-29");
    assert_eq!(sent.headers()["user-agent"], "my-app/1.0");
    assert_eq!(sent.headers()["content-type"], "application/json");

    // A base URL with a path (a proxy in front of Plaid) keeps it.
    let transport = ScriptedTransport::new().answer(200, json!({"request_id": "r"}));
    let client = Client::builder()
        .base_url("https://proxy.example/plaid/")
        .credentials("c", SECRET)
        .transport(transport.clone())
        .build()
        .unwrap();
    client.item().remove("a").await.unwrap();
    assert_eq!(
        transport.requests()[0].uri().to_string(),
        "https://proxy.example/plaid/item/remove"
    );
}

#[test]
fn bad_configuration_is_a_typed_error_not_a_panic() {
    let cases = [
        Client::builder().build(),
        Client::builder()
            .base_url("not a url")
            .transport(ScriptedTransport::new())
            .build(),
        Client::builder()
            .base_url("ftp://example.com")
            .transport(ScriptedTransport::new())
            .build(),
        Client::builder()
            .api_version("bad\nversion")
            .transport(ScriptedTransport::new())
            .build(),
        Client::builder()
            .credentials("id", "bad\nsecret-value")
            .transport(ScriptedTransport::new())
            .build(),
    ];
    for result in cases {
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::Local(LocalError::Config(_))),
            "{err:?}"
        );
        assert!(!err.to_string().contains("secret-value"), "{err}");
    }
}

#[tokio::test]
async fn the_secret_never_shows_in_debug_or_errors() {
    let transport = ScriptedTransport::new()
        .answer(
            400,
            json!({"error_type": "INVALID_INPUT", "error_code": "INVALID_API_KEYS",
                   "error_message": "invalid client_id or secret provided",
                   "display_message": null, "request_id": "r"}),
        )
        .answer_raw(502, &[], "<html>bad gateway</html>");
    let builder = Client::builder()
        .credentials("client-1", SECRET)
        .transport(transport.clone())
        .retry_policy(RetryPolicy::disabled());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let api_err = client.item().remove("a").await.unwrap_err();
    let resp_err = client.item().remove("a").await.unwrap_err();
    assert_eq!(api_err.error_type(), Some(&ErrorType::InvalidInput));
    let texts = [
        builder_debug,
        format!("{client:?}"),
        format!("{api_err:?}"),
        api_err.to_string(),
        format!("{resp_err:?}"),
        resp_err.to_string(),
        format!("{:?}", transport.requests()[0]),
        format!("{:?}", transport.requests()[0].headers()),
    ];
    for text in texts {
        assert!(!text.contains(SECRET), "secret leaked in: {text}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_transport_that_never_answers_times_out() {
    let client = Client::builder()
        .credentials("c", SECRET)
        .timeout(Duration::from_secs(3))
        .transport(NeverAnswers)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = client.item().remove("a").await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(started.elapsed(), Duration::from_secs(3));
}

/// The names renamed in 0.2 still compile for one release, as deprecated
/// aliases of the new ones (the same types, not copies).
#[allow(deprecated)]
mod deprecated_aliases {
    use plaid_core::{Error, LocalError, ServiceError};

    #[test]
    fn input_error_is_local_error() {
        let old: plaid_core::InputError = plaid_core::InputError::Config("bad".into());
        let new: LocalError = old;
        let err = Error::from(new);
        assert!(matches!(err, Error::Local(LocalError::Config(_))));
        assert!(err.is_rejected_locally());
        let _same_path: Option<plaid_core::error::InputError> = None;
    }

    #[tokio::test]
    async fn api_error_is_service_error() {
        fn held(err: &Error) -> Option<&plaid_core::ApiError> {
            match err {
                Error::Service(service) => Some(service),
                _ => None,
            }
        }
        let as_new: fn(&plaid_core::error::ApiError) -> &ServiceError = |e| e;
        let transport = plaid_core::test_util::ScriptedTransport::new().answer(
            400,
            serde_json::json!({"error_type": "ITEM_ERROR", "error_code": "ITEM_NOT_FOUND",
                "error_message": "gone", "display_message": null, "request_id": "r"}),
        );
        let err = super::support::client(&transport)
            .item()
            .get("access-1")
            .await
            .unwrap_err();
        assert_eq!(
            held(&err).map(as_new).unwrap().error.error_code,
            "ITEM_NOT_FOUND"
        );
        assert!(held(&Error::from(LocalError::Config("x".into()))).is_none());
    }
}
