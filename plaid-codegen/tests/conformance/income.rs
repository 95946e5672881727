//! Payroll and Document Income, the older income verification API, Link
//! sessions and the Income sandbox webhooks.

use super::*;

/// Payroll and Document Income, the older income verification API, Link
/// sessions finished on a link token, and the Income sandbox webhooks,
/// with ids the fake made.
pub async fn payroll_income_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "payroll-conformance"}),
    )
    .await;
    let user = steps.check("/user/create", "for payroll", user);
    let user_token = user["user_token"].clone();
    let user_id = user["user_id"].clone();
    let mut items = Vec::new();
    for flows in [
        json!(["payroll_digital_income"]),
        json!(["payroll_document_income"]),
    ] {
        let link = post(
            mock,
            "/link/token/create",
            json!({"client_name": "C", "language": "en",
            "country_codes": ["US"], "user": {"client_user_id": "p"}, "user_token": user_token,
            "products": ["income_verification"], "webhook": "https://example.com/hook",
            "income_verification": {"income_source_types": ["payroll"],
                                    "payroll_income": {"flow_types": flows}}}),
        )
        .await;
        let link = steps.check("/link/token/create", "payroll income", link);
        let token = link["link_token"].as_str().expect("a link token");
        let done = mock.complete_link(token, None).expect("Link finished");
        items.push(done["item_id"].clone());
        let got = post(mock, "/link/token/get", json!({"link_token": token})).await;
        steps.check("/link/token/get", "a finished session", got);
    }
    let user_body = json!({"user_token": user_token});
    for (path, label) in [
        ("/credit/sessions/get", "payroll and document sessions"),
        ("/credit/payroll_income/get", "payroll and documents"),
        ("/credit/employment/get", "from the payroll data"),
        (
            "/credit/payroll_income/risk_signals/get",
            "documents checked",
        ),
        ("/credit/bank_statements/uploads/get", "document items"),
        (
            "/credit/payroll_income/refresh",
            "a payroll login and documents",
        ),
    ] {
        let answer = post(mock, path, user_body.clone()).await;
        steps.check(path, label, answer);
    }
    let filtered = post(
        mock,
        "/credit/payroll_income/get",
        json!({"user_token": user_token, "options": {"item_ids": [items[0]]}}),
    )
    .await;
    steps.check("/credit/payroll_income/get", "one item", filtered);
    let refreshed = post(
        mock,
        "/credit/payroll_income/refresh",
        json!({"user_token": user_token, "options": {"item_ids": [items[0]]}}),
    )
    .await;
    steps.check(
        "/credit/payroll_income/refresh",
        "a payroll login",
        refreshed,
    );
    let config = post(
        mock,
        "/credit/payroll_income/parsing_config/update",
        json!({"user_token": user_token, "item_id": items[1], "parsing_config": ["ocr"]}),
    )
    .await;
    steps.check(
        "/credit/payroll_income/parsing_config/update",
        "a document item",
        config,
    );
    let precheck = post(
        mock,
        "/credit/payroll_income/precheck",
        json!({"user_token": user_token, "employer": {"name": "Plaid Inc"}}),
    )
    .await;
    steps.check(
        "/credit/payroll_income/precheck",
        "a known employer",
        precheck,
    );
    let fired = post(
        mock,
        "/sandbox/income/fire_webhook",
        json!({"item_id": items[0],
        "user_id": user_id, "webhook": "https://example.com/hook",
        "webhook_code": "INCOME_VERIFICATION"}),
    )
    .await;
    steps.check("/sandbox/income/fire_webhook", "the user's item", fired);
    let fired = post(
        mock,
        "/sandbox/bank_income/fire_webhook",
        json!({
        "webhook_code": "BANK_INCOME_REFRESH_UPDATE", "webhook_fields": {"user_id": user_id}}),
    )
    .await;
    steps.check("/sandbox/bank_income/fire_webhook", "a user", fired);

    let employers = post(
        mock,
        "/employers/search",
        json!({"query": "inc", "products": ["deposit_switch"]}),
    )
    .await;
    steps.check("/employers/search", "two matches", employers);
    for (path, label, body) in [
        (
            "/user/transactions/refresh",
            "the user's items",
            json!({"user_id": user_id}),
        ),
        (
            "/user/financial_data/refresh",
            "the user's items",
            json!({"user_id": user_id}),
        ),
        (
            "/user/identity/remove",
            "a user",
            json!({"user_id": user_id}),
        ),
    ] {
        let answer = post(mock, path, body).await;
        steps.check(path, label, answer);
    }

    // The older API: a verification, Link finished on it, reads by id and token.
    let precheck = post(
        mock,
        "/income/verification/precheck",
        json!({"employer": {"name": "Acme Inc"}}),
    )
    .await;
    let precheck = steps.check(
        "/income/verification/precheck",
        "a known employer",
        precheck,
    );
    let created = post(
        mock,
        "/income/verification/create",
        json!({
        "webhook": "https://example.com/hook", "precheck_id": precheck["precheck_id"]}),
    )
    .await;
    let created = steps.check("/income/verification/create", "from a precheck", created);
    let id = created["income_verification_id"].clone();
    let link = post(mock, "/link/token/create", json!({"client_name": "C", "language": "en",
        "country_codes": ["US"], "user": {"client_user_id": "p"},
        "products": ["income_verification"], "income_verification": {"income_verification_id": id}}))
    .await;
    let link = steps.check("/link/token/create", "an older verification", link);
    let done = mock
        .complete_link(link["link_token"].as_str().expect("a link token"), None)
        .expect("Link finished");
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": done["public_token"]}),
    )
    .await;
    let access_token = steps.check("/item/public_token/exchange", "a payroll item", exchanged)
        ["access_token"]
        .clone();
    for (path, label, body) in [
        (
            "/income/verification/paystubs/get",
            "by verification id",
            json!({"income_verification_id": id}),
        ),
        (
            "/income/verification/paystubs/get",
            "by access token",
            json!({"access_token": access_token}),
        ),
        (
            "/income/verification/taxforms/get",
            "by access token",
            json!({"access_token": access_token}),
        ),
        (
            "/employment/verification/get",
            "a payroll item",
            json!({"access_token": access_token}),
        ),
    ] {
        let answer = post(mock, path, body).await;
        steps.check(path, label, answer);
    }
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["income_verification"], "user_token": user_token}),
    )
    .await;
    steps.check(
        "/sandbox/public_token/create",
        "bank income for the payroll user",
        linked,
    );
    let employment = post(
        mock,
        "/beta/credit/v1/bank_employment/get",
        user_body.clone(),
    )
    .await;
    steps.check(
        "/beta/credit/v1/bank_employment/get",
        "from salary deposits",
        employment,
    );
    let ended = post(
        mock,
        "/user/products/terminate",
        json!({"user_id": user_id, "reason_code": "USER_OFFBOARDING"}),
    )
    .await;
    steps.check("/user/products/terminate", "the payroll user", ended);
}
