//! Plaid Check and Cash Flow Report, with a real user and items.

use super::*;

/// Plaid Check and Cash Flow Report, with a real user, an item linked for
/// it and a ready Consumer Report: every success answer against the spec.
pub async fn consumer_report_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "check-user"}),
    )
    .await;
    let user = json_of(&user);
    let (user_token, user_id) = (user["user_token"].clone(), user["user_id"].clone());
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"],
        "user_token": user_token, "options": {"webhook": "https://example.com/item"}}),
    )
    .await;
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": json_of(&linked)["public_token"]}),
    )
    .await;
    let access_token = json_of(&exchanged)["access_token"].clone();
    let created = post(
        mock,
        "/cra/check_report/create",
        json!({"user_token": user_token, "webhook": "https://example.com/check",
        "days_requested": 365, "client_report_id": "c-1",
        "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT"}),
    )
    .await;
    steps.check(
        "/cra/check_report/create",
        "for a user with an item",
        created,
    );
    mock.advance_clock(time::Duration::seconds(10));
    let by_user = json!({"user_token": user_token});
    for path in [
        "/cra/check_report/base_report/get",
        "/cra/check_report/income_insights/get",
        "/cra/check_report/partner_insights/get",
        "/cra/check_report/network_insights/get",
        "/cra/check_report/cashflow_insights/get",
        "/cra/check_report/lend_score/get",
        "/cra/check_report/pdf/get",
        "/cra/check_report/verification/pdf/get",
        "/cra/partner_insights/get",
        "/consumer_report/pdf/get",
    ] {
        let got = post(mock, path, by_user.clone()).await;
        steps.check(path, "a ready report", got);
    }
    let got = post(
        mock,
        "/cra/check_report/verification/get",
        json!({"user_token": user_token, "reports_requested": ["VOA", "EMPLOYMENT_REFRESH"],
        "employment_refresh_options": {"days_requested": 60}}),
    )
    .await;
    steps.check("/cra/check_report/verification/get", "a ready report", got);
    let got = post(
        mock,
        "/cra/credit_profile/report/get",
        json!({"user_id": user_id, "consumer_report_permissible_purpose": "EXTENSION_OF_CREDIT",
        "client_report_id": "c-2", "report_type": "QUALIFY", "inquiry_type": "SOFT_INQUIRY",
        "version": "v1"}),
    )
    .await;
    steps.check("/cra/credit_profile/report/get", "a ready report", got);

    let subscribed = post(
        mock,
        "/cra/monitoring_insights/subscribe",
        json!({"user_token": user_token, "webhook": "https://example.com/updates"}),
    )
    .await;
    let subscription = steps.check("/cra/monitoring_insights/subscribe", "a user", subscribed)
        ["subscription_id"]
        .clone();
    let got = post(
        mock,
        "/cra/monitoring_insights/get",
        json!({"user_token": user_token,
        "consumer_report_permissible_purpose": "ACCOUNT_REVIEW_CREDIT"}),
    )
    .await;
    steps.check("/cra/monitoring_insights/get", "subscribed", got);
    let updated = post(
        mock,
        "/sandbox/cra/cashflow_updates/update",
        json!({"user_token": user_token, "webhook_codes": ["LARGE_DEPOSIT_DETECTED"]}),
    )
    .await;
    steps.check(
        "/sandbox/cra/cashflow_updates/update",
        "subscribed",
        updated,
    );
    let gone = post(
        mock,
        "/cra/monitoring_insights/unsubscribe",
        json!({"subscription_id": subscription}),
    )
    .await;
    steps.check("/cra/monitoring_insights/unsubscribe", "subscribed", gone);

    let loan = json!({"loans": [{"user_token": user_token, "loan_id": "l-1", "type": "AUTO",
        "payment_schedule": "MONTHLY", "opened_date": "2024-01-01",
        "opened_with_status": {"status": "CURRENT", "date": "2024-01-01"}}]});
    let registered = post(mock, "/cra/loans/register", loan).await;
    steps.check("/cra/loans/register", "a new loan", registered);
    let updated = post(
        mock,
        "/cra/loans/update",
        json!({"loans": [{"loan_id": "l-1",
        "status_history": [{"status": "CURRENT", "date": "2024-02-01"}]}]}),
    )
    .await;
    steps.check("/cra/loans/update", "a registered loan", updated);
    let closed = post(
        mock,
        "/cra/loans/unregister",
        json!({"loans": [{"loan_id": "l-1",
        "closed_with_status": {"status": "PAID_OFF", "date": "2024-03-01"}}]}),
    )
    .await;
    steps.check("/cra/loans/unregister", "a registered loan", closed);
    let applied = post(
        mock,
        "/cra/loans/applications/register",
        json!({"applications": [{"user_token": user_token, "application_id": "a-1",
        "type": "AUTO", "decision": "APPROVED"}]}),
    )
    .await;
    steps.check("/cra/loans/applications/register", "a user", applied);

    let refreshed = post(
        mock,
        "/cashflow_report/refresh",
        json!({"access_token": access_token, "days_requested": 90}),
    )
    .await;
    steps.check("/cashflow_report/refresh", "an item", refreshed);
    let first = post(
        mock,
        "/cashflow_report/get",
        json!({"access_token": access_token, "days_requested": 90, "count": 5}),
    )
    .await;
    let first = steps.check("/cashflow_report/get", "a first page", first);
    let next = post(
        mock,
        "/cashflow_report/transactions/get",
        json!({"access_token": access_token, "count": 5, "cursor": first["next_cursor"]}),
    )
    .await;
    steps.check("/cashflow_report/transactions/get", "a second page", next);
    let insights = post(
        mock,
        "/cashflow_report/insights/get",
        json!({"access_token": access_token}),
    )
    .await;
    steps.check("/cashflow_report/insights/get", "an item", insights);
}
