//! Identity Match, recurring streams, created sandbox transactions and the
//! other item-data operations, on real items.

use super::*;

/// Identity Match, recurring streams and created sandbox transactions,
/// on an item of the `user_transactions_dynamic` test user.
pub async fn core_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let created = post(mock, "/sandbox/public_token/create", json!({"institution_id": "ins_109508",
        "initial_products": ["transactions"], "options": {"override_username": "user_transactions_dynamic"}})).await;
    let exchanged = post(
        mock,
        "/item/public_token/exchange",
        json!({"public_token": json_of(&created)["public_token"]}),
    )
    .await;
    let token = json_of(&exchanged)["access_token"].clone();
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    let today = mock.now().date();
    let day = |back: i64| {
        let d = today - time::Duration::days(back);
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    };
    let transactions: Vec<Value> = [(14, 9.99), (7, 9.99), (0, 9.99), (14, -500.0), (0, -500.0)]
        .iter()
        .map(|(back, amount)| {
            let description = if *amount > 0.0 {
                "Streaming Plus"
            } else {
                "PAYROLL"
            };
            json!({"date_transacted": day(*back), "date_posted": day(*back),
                   "amount": amount, "description": description})
        })
        .collect();
    let made = post(
        mock,
        "/sandbox/transactions/create",
        json!({"access_token": token, "transactions": transactions}),
    )
    .await;
    steps.check("/sandbox/transactions/create", "five transactions", made);
    let streams = post(
        mock,
        "/transactions/recurring/get",
        json!({"access_token": token}),
    )
    .await;
    let streams = steps.check(
        "/transactions/recurring/get",
        "weekly and biweekly",
        streams,
    );
    assert!(
        !streams["outflow_streams"].as_array().unwrap().is_empty()
            && !streams["inflow_streams"].as_array().unwrap().is_empty(),
        "{streams}"
    );
    let user = json!({"legal_name": "Alberta Charleson", "phone_number": "+12025550123",
        "email_address": "someone@example.com",
        "address": {"street": "2992 Cameron Road", "city": "Malakoff", "region": "NY",
                    "postal_code": "14236", "country": "US"}});
    let matched = post(
        mock,
        "/identity/match",
        json!({"access_token": token, "user": user}),
    )
    .await;
    steps.check("/identity/match", "every field", matched);
    let processor = processor_token(mock, &token, &account).await;
    let matched = post(
        mock,
        "/processor/identity/match",
        json!({"processor_token": processor, "user": {"legal_name": "A"}}),
    )
    .await;
    steps.check("/processor/identity/match", "a name", matched);
    let streams = post(
        mock,
        "/processor/transactions/recurring/get",
        json!({"processor_token": processor}),
    )
    .await;
    steps.check(
        "/processor/transactions/recurring/get",
        "its account",
        streams,
    );
    let evaluated = post(
        mock,
        "/processor/signal/evaluate",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "amount": 3.5}),
    )
    .await;
    steps.check("/processor/signal/evaluate", "to report on", evaluated);
    let reported = post(
        mock,
        "/processor/signal/decision/report",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "initiated": true}),
    )
    .await;
    steps.check(
        "/processor/signal/decision/report",
        "an evaluated id",
        reported,
    );
    let reported = post(
        mock,
        "/processor/signal/return/report",
        json!({"processor_token": processor,
        "client_transaction_id": "core-1", "return_code": "R01"}),
    )
    .await;
    steps.check(
        "/processor/signal/return/report",
        "an evaluated id",
        reported,
    );
    let made = post(
        mock,
        "/sandbox/processor_token/create",
        json!({"institution_id": "ins_109508"}),
    )
    .await;
    let made = steps.check("/sandbox/processor_token/create", "a new item", made);
    let auth = post(
        mock,
        "/processor/auth/get",
        json!({"processor_token": made["processor_token"]}),
    )
    .await;
    steps.check("/processor/auth/get", "a sandbox processor token", auth);
    let user = post(mock, "/user/create", json!({"client_user_id": "core-user"})).await;
    let user = json_of(&user)["user_token"].clone();
    post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["auth"], "user_token": user}),
    )
    .await;
    let reset = post(
        mock,
        "/sandbox/user/reset_login",
        json!({ "user_token": user }),
    )
    .await;
    steps.check("/sandbox/user/reset_login", "a user's items", reset);
}
