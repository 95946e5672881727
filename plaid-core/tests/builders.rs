//! Request builders: required setters checked before sending, per-call
//! overrides, and every paging style end to end through a scripted transport.

use std::time::Duration;

use plaid_core::pagination::PageStyle;
use plaid_core::{api::METHODS, Error, LocalError, RetryPolicy};
use serde_json::json;

#[path = "support/mod.rs"]
mod support;

use plaid_core::test_util::{NeverAnswers, ScriptedTransport};
use support::client;

fn body(request: &http::Request<bytes::Bytes>) -> serde_json::Value {
    serde_json::from_slice(request.body()).unwrap()
}

#[test]
fn no_client_method_takes_more_than_two_arguments_and_every_paged_one_has_helpers() {
    assert!(METHODS.iter().all(|m| m.positional.len() <= 2));
    let count = |style| METHODS.iter().filter(|m| m.paging == Some(style)).count();
    let (offset, cursor, sync) = (
        count(PageStyle::CountOffset),
        count(PageStyle::Cursor),
        count(PageStyle::Sync),
    );
    println!("{offset} count/offset and {cursor} cursor operations page ({sync} sync)");
    assert_eq!((offset, cursor, sync), (16, 22, 2));
    for path in [
        "/transfer/list",
        "/bank_transfer/event/list",
        "/processor/transactions/get",
    ] {
        let m = METHODS.iter().find(|m| m.path == path).unwrap();
        assert_eq!(m.paging, Some(PageStyle::CountOffset), "{path}");
    }
    for path in [
        "/identity_verification/list",
        "/item/activity/list",
        "/wallet/transaction/list",
    ] {
        let m = METHODS.iter().find(|m| m.path == path).unwrap();
        assert_eq!(m.paging, Some(PageStyle::Cursor), "{path}");
    }
    let create = METHODS
        .iter()
        .find(|m| m.path == "/bank_transfer/create")
        .unwrap();
    assert_eq!(create.positional, &["idempotency_key"]);
    assert!(create.required_setters.contains(&"account_id"));
}

#[tokio::test]
async fn a_missing_required_setter_fails_locally_and_sends_nothing() {
    let transport = ScriptedTransport::new();
    let err = client(&transport)
        .processor()
        .stripe()
        .bank_account_token()
        .create("access-1")
        .await
        .unwrap_err();
    match &err {
        Error::Local(LocalError::MissingField {
            path,
            field,
            setter,
        }) => {
            assert_eq!(*path, "/processor/stripe/bank_account_token/create");
            assert_eq!((*field, *setter), ("account_id", "account_id"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(".account_id(..)"), "{err}");
    let day = time::macros::date!(2024 - 01 - 01);
    let err = client(&transport)
        .transactions()
        .get("access-1")
        .start_date(day)
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("end_date"), "{err}");
    assert_eq!(transport.requests().len(), 0);
}

#[tokio::test]
async fn count_offset_pages_three_times_up_to_the_total() {
    let institution = |i: usize| json!({"institution_id": format!("ins_{i}"), "name": "Bank", "products": [], "country_codes": ["US"], "routing_numbers": [], "oauth": false});
    let mut transport = ScriptedTransport::new();
    for (start, len) in [(0, 500), (500, 500), (1000, 1)] {
        let page: Vec<_> = (start..start + len).map(institution).collect();
        transport = transport.answer(
            200,
            json!({"institutions": page, "total": 1001, "request_id": "r"}),
        );
    }
    let all = client(&transport)
        .institutions()
        .get(vec![plaid_core::models::CountryCode::Us])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1001);
    assert_eq!(all[1000].institution_id, "ins_1000");
    let sent: Vec<_> = transport.requests().iter().map(body).collect();
    let offsets: Vec<_> = sent
        .iter()
        .map(|b| (b["count"].clone(), b["offset"].clone()))
        .collect();
    assert_eq!(
        offsets,
        vec![
            (json!(500), json!(0)),
            (json!(500), json!(500)),
            (json!(500), json!(1000))
        ]
    );
}

#[tokio::test]
async fn cursor_pages_three_times_until_the_cursor_runs_out() {
    let activity = |id: &str| json!({"id": id, "activity": "ITEM_UNLINK", "initiated_date": "2024-01-01", "initiator": "x", "state": "SUCCESS"});
    let transport = ScriptedTransport::new()
        .answer(200, json!({"activities": [activity("a1")], "last_data_access_times": [], "cursor": "c1", "request_id": "r"}))
        .answer(200, json!({"activities": [activity("a2")], "last_data_access_times": [], "cursor": "c2", "request_id": "r"}))
        .answer(200, json!({"activities": [activity("a3")], "last_data_access_times": [], "cursor": "", "request_id": "r"}));
    let mut stream = client(&transport).item().activity().list().into_stream();
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        ids.push(item.unwrap().id);
    }
    assert_eq!(ids, ["a1", "a2", "a3"]);
    let cursors: Vec<_> = transport
        .requests()
        .iter()
        .map(|r| body(r)["cursor"].clone())
        .collect();
    assert_eq!(cursors, vec![json!(null), json!("c1"), json!("c2")]);
}

#[tokio::test]
async fn processor_sync_runs_three_pages_to_the_end() {
    let page = |cursor: &str, more: bool| json!({"added": [], "modified": [], "removed": [{"transaction_id": cursor}], "next_cursor": cursor, "has_more": more, "request_id": "r", "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE", "account": null});
    let transport = ScriptedTransport::new()
        .answer(200, page("c1", true))
        .answer(200, page("c2", true))
        .answer(200, page("c3", false));
    let changes = client(&transport)
        .processor()
        .transactions()
        .sync("processor-1")
        .into_sync()
        .run()
        .await
        .unwrap();
    assert_eq!(changes.next_cursor, "c3");
    assert_eq!(changes.removed.len(), 3);
    let cursors: Vec<_> = transport
        .requests()
        .iter()
        .map(|r| body(r)["cursor"].clone())
        .collect();
    assert_eq!(cursors, vec![json!(""), json!("c1"), json!("c2")]);
}

#[tokio::test]
async fn customize_overrides_the_clients_retry_policy_for_one_call() {
    let transport = ScriptedTransport::new()
        .answer(503, json!({}))
        .answer(503, json!({}))
        .answer(503, json!({}))
        .answer(200, json!({"item": {"item_id": "i"}, "request_id": "r"}));
    let err = client(&transport)
        .item()
        .get("access-1")
        .customize()
        .retry_policy(RetryPolicy::disabled())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        transport.requests().len(),
        1,
        "no retry with the call's policy"
    );

    // One retry allowed: the second 503 is returned, after two attempts.
    let err = client(&transport)
        .item()
        .get("access-1")
        .customize()
        .retry_policy(RetryPolicy::default().max_retries(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(transport.requests().len(), 3, "one attempt and one retry");

    // The next call is the client's own again: it gets the 200.
    let answer = client(&transport).item().get("access-1").await;
    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(transport.requests().len(), 4);
}

#[tokio::test]
async fn customize_overrides_the_clients_timeout_for_one_call() {
    let patient = plaid_core::Client::builder()
        .credentials("c", "s")
        .no_timeout()
        .retry_policy(RetryPolicy::disabled())
        .transport(NeverAnswers)
        .build()
        .unwrap();
    let err = patient
        .item()
        .get("a")
        .customize()
        .timeout(Duration::from_millis(20))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    // And the other way round: a client that gives up after 10 ms, a call
    // that waits for an answer taking 50 ms.
    #[derive(Debug)]
    struct Slow;
    #[async_trait::async_trait]
    impl plaid_core::HttpTransport for Slow {
        async fn send(
            &self,
            _: http::Request<bytes::Bytes>,
        ) -> Result<http::Response<bytes::Bytes>, plaid_core::TransportError> {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let body = json!({"item": {"item_id": "i"}, "request_id": "r"}).to_string();
            Ok(plaid_core::test_util::response(200, &[], body))
        }
    }
    let hasty = plaid_core::Client::builder()
        .credentials("c", "s")
        .timeout(Duration::from_millis(10))
        .retry_policy(RetryPolicy::disabled())
        .transport(Slow)
        .build()
        .unwrap();
    let err = hasty.item().get("a").await.unwrap_err();
    assert!(err.is_timeout(), "the client's timeout: {err:?}");
    let item = hasty
        .item()
        .get("a")
        .customize()
        .no_timeout()
        .await
        .unwrap();
    assert_eq!(item.item.item_id, "i");
    let item = hasty
        .item()
        .get("a")
        .customize()
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(item.item.item_id, "i");
}

#[tokio::test]
async fn customize_adds_headers_to_one_call_but_never_replaces_credentials() {
    let transport = ScriptedTransport::new()
        .answer(200, json!({"item": {"item_id": "i"}, "request_id": "r"}))
        .answer(200, json!({"item": {"item_id": "i"}, "request_id": "r"}));
    client(&transport)
        .item()
        .get("access-1")
        .customize()
        .header("X-Trace-Id", "t-1")
        .header("PLAID-SECRET", "stolen")
        .await
        .unwrap();
    client(&transport).item().get("access-1").await.unwrap();
    let sent = transport.requests();
    assert_eq!(sent[0].headers()["x-trace-id"], "t-1");
    assert_eq!(sent[0].headers()["plaid-secret"], support::SECRET);
    assert!(
        !sent[1].headers().contains_key("x-trace-id"),
        "only that call"
    );

    let err = client(&transport)
        .item()
        .get("access-1")
        .customize()
        .header("bad header", "x")
        .await
        .unwrap_err();
    assert!(err.is_rejected_locally(), "{err:?}");
    assert_eq!(transport.requests().len(), 2, "nothing sent");
}

#[tokio::test]
async fn customize_keeps_a_missing_required_field_an_error_until_sending() {
    let transport = ScriptedTransport::new();
    let err = client(&transport)
        .processor()
        .stripe()
        .bank_account_token()
        .create("access-1")
        .customize()
        .timeout(Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Local(LocalError::MissingField {
                field: "account_id",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn customized_paging_sends_every_page_with_the_calls_options() {
    let institution = |i: usize| json!({"institution_id": format!("ins_{i}"), "name": "Bank", "products": [], "country_codes": ["US"], "routing_numbers": [], "oauth": false});
    let transport = ScriptedTransport::new()
        .answer(503, json!({}))
        .answer(
            200,
            json!({"institutions": (0..500).map(institution).collect::<Vec<_>>(), "total": 501, "request_id": "r"}),
        )
        .answer(200, json!({"institutions": [institution(500)], "total": 501, "request_id": "r"}));
    // `/institutions/get` requires `count` and `offset`: the pager sets them.
    let all = client(&transport)
        .institutions()
        .get(vec![plaid_core::models::CountryCode::Us])
        .customize()
        .header("X-Trace-Id", "pages")
        .retry_policy(RetryPolicy::default().max_retries(1))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 501);
    let sent = transport.requests();
    assert_eq!(sent.len(), 3, "the 503 was retried once");
    assert!(sent.iter().all(|r| r.headers()["x-trace-id"] == "pages"));
    assert_eq!(body(&sent[2])["offset"], 500);

    // The same request sent once still needs them.
    let err = client(&transport)
        .institutions()
        .get(vec![plaid_core::models::CountryCode::Us])
        .customize()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Local(LocalError::MissingField { field: "count", .. })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_call_from_into_call_takes_the_same_options() {
    let transport =
        ScriptedTransport::new().answer(200, json!({"item": {"item_id": "i"}, "request_id": "r"}));
    let call = client(&transport)
        .item()
        .get("access-1")
        .customize()
        .header("X-Trace-Id", "via-call")
        .into_call()
        .unwrap();
    assert_eq!(call.request().access_token, "access-1");
    call.await.unwrap();
    assert_eq!(transport.requests()[0].headers()["x-trace-id"], "via-call");
}
