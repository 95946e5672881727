//! How requests are checked, recorded and made to fail: credentials, the spec, `Plaid-Version`, the journal, injected faults, the seed.

use plaid_core::{Client, RetryPolicy};
use plaid_mock::{ErrorAnswer, MockPlaid};
use serde_json::json;
use std::time::Duration;
use time::macros::datetime;

use super::{code, link, mock};

#[tokio::test]
async fn wrong_credentials_are_rejected_and_categories_need_none() {
    let mock = mock(10);
    let wrong = Client::builder()
        .credentials(mock.client_id(), "not-the-secret")
        .transport(mock.clone())
        .build()
        .unwrap();
    let err = wrong.item().get("access-sandbox-x").await.unwrap_err();
    assert_eq!(code(&err), "INVALID_API_KEYS");
    let anonymous = Client::builder().transport(mock.clone()).build().unwrap();
    #[allow(deprecated)]
    let categories = anonymous.categories().get().await.unwrap();
    assert!(!categories.request_id.is_empty());
}

#[tokio::test]
async fn requests_are_checked_against_the_spec() {
    let client = mock(10).client();
    let missing = client.send_raw("/item/get", json!({})).await.unwrap_err();
    assert_eq!(code(&missing), "MISSING_FIELDS");
    assert!(missing.is_invalid_request());
    let unknown = client
        .send_raw("/item/get", json!({"access_token": "a", "colour": "blue"}))
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "UNKNOWN_FIELDS");
    let wrong_type = client
        .send_raw("/item/get", json!({"access_token": 5}))
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_type), "INVALID_FIELD");
    let nowhere = client
        .send_raw("/no/such/operation", json!({}))
        .await
        .unwrap_err();
    assert_eq!(nowhere.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_plaid_version_header_is_honoured() {
    let mock = mock(10);
    let old = mock
        .client_builder()
        .api_version("2019-05-29")
        .build()
        .unwrap();
    assert!(old
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .is_ok());
    let bogus = mock
        .client_builder()
        .api_version("1999-01-01")
        .build()
        .unwrap();
    let err = bogus
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INVALID_HEADERS");
    let versions: Vec<String> = mock
        .requests()
        .iter()
        .filter_map(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n == "plaid-version")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(versions, ["2019-05-29", "1999-01-01"]);
}

#[tokio::test]
async fn injected_errors_and_latency_reach_the_client() {
    let mock = mock(10);
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    mock.fail_next(
        "/institutions/get_by_id",
        1,
        ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "injected"),
    );
    let err = client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INTERNAL_SERVER_ERROR");
    assert!(err.is_retryable());
    assert!(client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .is_ok());
    mock.delay_next("/institutions/get_by_id", 1, Duration::from_secs(5));
    let slow = client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert!(slow.is_timeout(), "{slow}");
    // The request the client gave up on was received all the same.
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/institutions/get_by_id"; 3]);
}

#[tokio::test]
async fn requests_are_recorded_without_the_secret() {
    let mock = mock(10);
    let client = mock.client();
    let _ = client
        .send_raw(
            "/item/get",
            json!({"access_token": "a", "secret": "in-body"}),
        )
        .await;
    let (_, _) = link(&client).await;
    let recorded = mock.requests();
    assert_eq!(recorded[0].path, "/item/get");
    assert_eq!(recorded[0].body["secret"], "[redacted]");
    for request in &recorded {
        let text = format!("{request:?}");
        assert!(
            !text.contains(mock.secret()) && !text.contains("in-body"),
            "{text}"
        );
        assert!(request
            .headers
            .iter()
            .any(|(n, v)| n == "plaid-client-id" && v == mock.client_id()));
    }
}

#[tokio::test]
async fn the_seed_fixes_every_id() {
    let run = |seed| async move {
        let mock = MockPlaid::builder()
            .seed(seed)
            .now(datetime!(2024-06-30 12:00 UTC))
            .build();
        let client = mock.client();
        let (token, item_id) = link(&client).await;
        let accounts = client.accounts().get(&token).await.unwrap();
        (token, item_id, accounts.accounts[0].account_id.clone())
    };
    assert_eq!(run(1).await, run(1).await);
    assert_ne!(run(1).await, run(2).await);
}
