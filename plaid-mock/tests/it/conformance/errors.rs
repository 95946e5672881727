//! The error answers the fake gives when provoked, each with the code it
//! must carry.

use super::*;

/// A request that must fail: what it is, the error code it must get, its
/// path, headers replacing the defaults of [`send_raw`], and its body.
pub type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, Option<&'static str>)],
    String,
);

/// Every kind of error answer the fake gives, each with the code it must
/// carry.
pub async fn provoked_errors(mock: &MockPlaid) -> Vec<(&'static str, &'static str, Exchange)> {
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .expect("an item");
    let access = json!({ "access_token": token }).to_string();
    let dates = |start: &str, end: &str, options: Value| {
        let body = json!({"access_token": token, "start_date": start, "end_date": end});
        let mut body = body.as_object().cloned().unwrap_or_default();
        body.insert("options".into(), options);
        Value::Object(body).to_string()
    };
    let s = |text: &str| text.to_owned();
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("wrong secret", "INVALID_API_KEYS", "/accounts/get", &[("plaid-secret", Some("wrong"))], access.clone()),
        ("no credentials", "INVALID_API_KEYS", "/accounts/get", &[("plaid-client-id", None), ("plaid-secret", None)], access.clone()),
        ("missing field", "MISSING_FIELDS", "/accounts/get", &[], s("{}")),
        ("null required field", "MISSING_FIELDS", "/accounts/get", &[], s(r#"{"access_token": null}"#)),
        ("wrong type", "INVALID_FIELD", "/accounts/get", &[], s(r#"{"access_token": 5}"#)),
        ("unknown field", "UNKNOWN_FIELDS", "/accounts/get", &[], s(r#"{"access_token": "a", "colour": "red"}"#)),
        ("body not JSON", "INVALID_BODY", "/accounts/get", &[], s("{not json")),
        ("body not an object", "INVALID_BODY", "/accounts/get", &[], s("[1]")),
        ("wrong content type", "INVALID_BODY", "/accounts/get", &[("content-type", Some("text/plain"))], access.clone()),
        ("unknown API version", "INVALID_HEADERS", "/accounts/get", &[("plaid-version", Some("1999-01-01"))], access.clone()),
        ("body too large", "INVALID_BODY", "/accounts/get", &[], " ".repeat(2 * 1024 * 1024)),
        ("unknown path", "NOT_FOUND", "/no/such/operation", &[], s("{}")),
        ("unknown access token", "INVALID_ACCESS_TOKEN", "/accounts/get", &[], s(r#"{"access_token": "access-sandbox-nope"}"#)),
        ("unknown public token", "INVALID_PUBLIC_TOKEN", "/item/public_token/exchange", &[], s(r#"{"public_token": "public-sandbox-nope"}"#)),
        ("unknown institution", "INVALID_INSTITUTION", "/sandbox/public_token/create", &[], s(r#"{"institution_id": "ins_nope", "initial_products": ["transactions"]}"#)),
        ("unknown institution id", "INVALID_INSTITUTION", "/institutions/get_by_id", &[], s(r#"{"institution_id": "ins_nope", "country_codes": ["US"]}"#)),
        ("account of another item", "INVALID_ACCOUNT_ID", "/processor/token/create", &[], json!({"access_token": token, "account_id": "nope", "processor": "dwolla"}).to_string()),
        ("unknown processor token", "INVALID_PROCESSOR_TOKEN", "/processor/auth/get", &[], s(r#"{"processor_token": "processor-sandbox-nope"}"#)),
        ("unknown webhook key", "INVALID_WEBHOOK_VERIFICATION_KEY_ID", "/webhook_verification_key/get", &[], s(r#"{"key_id": "nope"}"#)),
        ("dates reversed", "INVALID_FIELD", "/transactions/get", &[], dates("2024-02-01", "2024-01-01", json!({}))),
        ("not a date", "INVALID_FIELD", "/transactions/get", &[], dates("yesterday", "2024-01-01", json!({}))),
        ("page size out of range", "INVALID_FIELD", "/transactions/get", &[], dates("2024-01-01", "2024-02-01", json!({"count": 0}))),
        ("negative offset", "INVALID_FIELD", "/transactions/get", &[], dates("2024-01-01", "2024-02-01", json!({"offset": -1}))),
        ("unknown cursor", "INVALID_FIELD", "/transactions/sync", &[], json!({"access_token": token, "cursor": "nope"}).to_string()),
        ("sync count out of range", "INVALID_FIELD", "/transactions/sync", &[], json!({"access_token": token, "count": 0}).to_string()),
    ];
    let mut out = Vec::new();
    for (label, code, path, headers, body) in cases {
        out.push((
            label,
            code,
            send_raw(mock, "POST", path, headers, body).await,
        ));
    }

    // The item's state breaks it step by step.
    let after = |label, code, path, body: String| {
        let mock = mock.clone();
        async move { (label, code, send_raw(&mock, "POST", path, &[], body).await) }
    };
    let first = post(
        mock,
        "/transactions/sync",
        json!({"access_token": token, "count": 1}),
    )
    .await;
    let next = json_of(&first)["next_cursor"].clone();
    mock.add_transaction(&token, 1.0, "Tea").unwrap();
    let next_page = json!({"access_token": token, "cursor": next, "count": 1}).to_string();
    out.push(
        after(
            "mutation during pagination",
            "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
            "/transactions/sync",
            next_page,
        )
        .await,
    );
    mock.set_transactions_ready(&token, false).unwrap();
    let month = dates("2024-01-01", "2024-02-01", json!({}));
    out.push(
        after(
            "transactions not ready (get)",
            "PRODUCT_NOT_READY",
            "/transactions/get",
            month,
        )
        .await,
    );
    out.push(
        after(
            "transactions not ready (sync)",
            "PRODUCT_NOT_READY",
            "/transactions/sync",
            access.clone(),
        )
        .await,
    );
    send_raw(
        mock,
        "POST",
        "/sandbox/item/reset_login",
        &[],
        access.clone(),
    )
    .await;
    out.push(
        after(
            "login required",
            "ITEM_LOGIN_REQUIRED",
            "/accounts/get",
            access.clone(),
        )
        .await,
    );
    send_raw(mock, "POST", "/item/remove", &[], access.clone()).await;
    out.push(
        after(
            "removed item",
            "ITEM_NOT_FOUND",
            "/accounts/get",
            access.clone(),
        )
        .await,
    );

    // Errors injected by tests.
    let injected = [
        ErrorAnswer::new(
            429,
            "RATE_LIMIT_EXCEEDED",
            "RATE_LIMIT",
            "too many requests",
        ),
        ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "something broke"),
        ErrorAnswer::new(
            502,
            "INSTITUTION_ERROR",
            "INSTITUTION_DOWN",
            "the bank is down",
        )
        .display("Your bank is not answering; try again later."),
    ];
    let codes = ["RATE_LIMIT", "INTERNAL_SERVER_ERROR", "INSTITUTION_DOWN"];
    let search = s(r#"{"query": "x", "country_codes": ["US"]}"#);
    for (error, code) in injected.into_iter().zip(codes) {
        mock.fail_next("/institutions/search", 1, error);
        out.push(
            after(
                "injected with fail_next",
                code,
                "/institutions/search",
                search.clone(),
            )
            .await,
        );
    }
    out
}
