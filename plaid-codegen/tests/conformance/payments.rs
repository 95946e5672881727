//! The Plaid Ledger and Virtual Accounts, with real transfers, sweeps,
//! wallets and payments.

use super::*;

/// The Plaid Ledger's answers with a real transfer and real sweeps.
pub async fn ledger_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let (token, account) = linked_account(mock, &["transfer"]).await;
    let authorization = post(
        mock,
        "/transfer/authorization/create",
        json!({"access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "3.00",
        "ach_class": "ppd", "user": {"legal_name": "L"}}),
    )
    .await;
    let authorization = json_of(&authorization)["authorization"]["id"].clone();
    let cancelled = post(
        mock,
        "/transfer/authorization/cancel",
        json!({"authorization_id": authorization}),
    )
    .await;
    steps.check(
        "/transfer/authorization/cancel",
        "an unused authorization",
        cancelled,
    );
    let capabilities = post(
        mock,
        "/transfer/capabilities/get",
        json!({"access_token": token, "account_id": account}),
    )
    .await;
    steps.check(
        "/transfer/capabilities/get",
        "a checking account",
        capabilities,
    );
    let deposit = post(
        mock,
        "/transfer/ledger/deposit",
        json!({"amount": "50.00",
        "idempotency_key": "conformance-deposit", "network": "ach"}),
    )
    .await;
    let deposit =
        steps.check("/transfer/ledger/deposit", "a deposit", deposit)["sweep"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/transfer/ledger/deposit/simulate",
        json!({"sweep_id": deposit, "event_type": "sweep.posted"}),
    )
    .await;
    steps.check(
        "/sandbox/transfer/ledger/deposit/simulate",
        "posted",
        simulated,
    );
    let withdrawal = post(
        mock,
        "/transfer/ledger/withdraw",
        json!({"amount": "5.00",
        "idempotency_key": "conformance-withdrawal", "network": "ach"}),
    )
    .await;
    let withdrawal =
        steps.check("/transfer/ledger/withdraw", "a withdrawal", withdrawal)["sweep"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/transfer/ledger/withdraw/simulate",
        json!({"sweep_id": withdrawal, "event_type": "sweep.failed"}),
    )
    .await;
    steps.check(
        "/sandbox/transfer/ledger/withdraw/simulate",
        "failed",
        simulated,
    );
    let sweep = post(mock, "/transfer/sweep/get", json!({"sweep_id": withdrawal})).await;
    steps.check("/transfer/sweep/get", "a failed ledger withdrawal", sweep);
    let available = post(
        mock,
        "/sandbox/transfer/ledger/simulate_available",
        json!({}),
    )
    .await;
    steps.check(
        "/sandbox/transfer/ledger/simulate_available",
        "all pending",
        available,
    );
    let ledger = post(mock, "/transfer/ledger/get", json!({})).await;
    steps.check("/transfer/ledger/get", "the default ledger", ledger);
    let events = post(mock, "/transfer/ledger/event/list", json!({})).await;
    steps.check("/transfer/ledger/event/list", "every move", events);
    let balance = post(mock, "/transfer/balance/get", json!({})).await;
    steps.check("/transfer/balance/get", "the ledger's", balance);
    // A refund of a settled debit, posted, then its reads.
    let authorization = post(
        mock,
        "/transfer/authorization/create",
        json!({"access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "8.00",
        "ach_class": "ppd", "user": {"legal_name": "L"}}),
    )
    .await;
    let debit = post(
        mock,
        "/transfer/create",
        json!({"access_token": token,
        "account_id": account, "description": "d",
        "authorization_id": json_of(&authorization)["authorization"]["id"]}),
    )
    .await;
    let debit = json_of(&debit)["transfer"]["id"].clone();
    for event in ["posted", "settled"] {
        post(
            mock,
            "/sandbox/transfer/simulate",
            json!({"transfer_id": debit, "event_type": event}),
        )
        .await;
    }
    let refund = post(
        mock,
        "/transfer/refund/create",
        json!({"transfer_id": debit,
        "amount": "2.00", "idempotency_key": "conformance-refund"}),
    )
    .await;
    let refund =
        steps.check("/transfer/refund/create", "part of a debit", refund)["refund"]["id"].clone();
    let posted = post(
        mock,
        "/sandbox/transfer/refund/simulate",
        json!({"refund_id": refund, "event_type": "refund.posted"}),
    )
    .await;
    steps.check("/sandbox/transfer/refund/simulate", "posted", posted);
    let got = post(mock, "/transfer/refund/get", json!({"refund_id": refund})).await;
    steps.check("/transfer/refund/get", "posted", got);
    let other = post(
        mock,
        "/transfer/refund/create",
        json!({"transfer_id": debit,
        "amount": "1.00", "idempotency_key": "conformance-refund-2"}),
    )
    .await;
    let other = json_of(&other)["refund"]["id"].clone();
    let cancelled = post(mock, "/transfer/refund/cancel", json!({"refund_id": other})).await;
    steps.check("/transfer/refund/cancel", "a pending refund", cancelled);
    let metrics = post(mock, "/transfer/metrics/get", json!({})).await;
    steps.check("/transfer/metrics/get", "today's transfers", metrics);
    for path in [
        "/sandbox/transfer/fire_webhook",
        "/sandbox/bank_transfer/fire_webhook",
    ] {
        let fired = post(mock, path, json!({"webhook": "http://127.0.0.1:9/hook"})).await;
        steps.check(path, "to a URL", fired);
    }
}

/// Virtual Accounts' answers with a real wallet, a pay-in, a payout and a
/// refund.
pub async fn wallet_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let made = post(mock, "/wallet/create", json!({"iso_currency_code": "GBP"})).await;
    let made = steps.check("/wallet/create", "a GBP wallet", made);
    let euros = post(mock, "/wallet/create", json!({"iso_currency_code": "EUR"})).await;
    steps.check("/wallet/create", "a EUR wallet", euros);
    let wallet = made["wallet_id"].clone();
    let payment = post(
        mock,
        "/payment_initiation/payment/create",
        json!({
        "recipient_id": made["recipient_id"], "reference": "TopUp",
        "amount": {"currency": "GBP", "value": 50.0}}),
    )
    .await;
    let payment = json_of(&payment)["payment_id"].clone();
    post(
        mock,
        "/sandbox/payment/simulate",
        json!({"payment_id": payment,
        "status": "PAYMENT_STATUS_SETTLED", "webhook": "http://127.0.0.1:9/hook"}),
    )
    .await;
    let paid = post(mock, "/wallet/transaction/execute", json!({"wallet_id": wallet,
        "idempotency_key": "conformance-payout", "reference": "payout",
        "amount": {"iso_currency_code": "GBP", "value": 5.0},
        "counterparty": {"name": "A", "numbers": {"bacs": {"account": "26207729", "sort_code": "560029"}}}})).await;
    let paid = steps.check("/wallet/transaction/execute", "a payout", paid);
    let refund = post(
        mock,
        "/payment_initiation/payment/reverse",
        json!({"payment_id": payment,
        "idempotency_key": "conformance-refund", "reference": "refund"}),
    )
    .await;
    steps.check(
        "/payment_initiation/payment/reverse",
        "all of a pay-in",
        refund,
    );
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": payment}),
    )
    .await;
    steps.check("/payment_initiation/payment/get", "a refunded payment", got);
    let got = post(
        mock,
        "/wallet/transaction/get",
        json!({"transaction_id": paid["transaction_id"]}),
    )
    .await;
    steps.check("/wallet/transaction/get", "the payout", got);
    let listed = post(
        mock,
        "/wallet/transaction/list",
        json!({"wallet_id": wallet, "count": 2}),
    )
    .await;
    steps.check("/wallet/transaction/list", "a page of two", listed);
    let got = post(mock, "/wallet/get", json!({"wallet_id": wallet})).await;
    steps.check("/wallet/get", "after a pay-in, a payout and a refund", got);
    let listed = post(mock, "/wallet/list", json!({"count": 1})).await;
    steps.check("/wallet/list", "a page of one", listed);
}

/// Tokens handed out for other parties: a processor token's permissions
/// and webhook, a user's third-party token, the older payment token; and
/// Identity Verification autofill.
pub async fn token_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let mut steps = Steps::new(map, operations, report);
    let (token, account) = linked_account(mock, &["auth"]).await;
    let processor = processor_token(mock, &token, &account).await;
    let set = post(
        mock,
        "/processor/token/permissions/set",
        json!({"processor_token": processor, "products": ["auth"]}),
    )
    .await;
    steps.check("/processor/token/permissions/set", "auth only", set);
    let got = post(
        mock,
        "/processor/token/permissions/get",
        json!({"processor_token": processor}),
    )
    .await;
    steps.check("/processor/token/permissions/get", "auth only", got);
    let hooked = post(
        mock,
        "/processor/token/webhook/update",
        json!({"processor_token": processor, "webhook": "http://127.0.0.1:9/partner"}),
    )
    .await;
    steps.check("/processor/token/webhook/update", "a partner URL", hooked);

    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "conformance-3p"}),
    )
    .await;
    let user = json_of(&user);
    let made = post(
        mock,
        "/user/third_party_token/create",
        json!({"user_token": user["user_token"], "third_party_client_id": "partner"}),
    )
    .await;
    let made = steps.check("/user/third_party_token/create", "for a day", made);
    let removed = post(
        mock,
        "/user/third_party_token/remove",
        json!({"third_party_user_token": made["third_party_user_token"]}),
    )
    .await;
    steps.check("/user/third_party_token/remove", "a live token", removed);

    let recipient = post(
        mock,
        "/payment_initiation/recipient/create",
        json!({"name": "R", "iban": "GB33BUKB20201555555555"}),
    )
    .await;
    let payment = post(
        mock,
        "/payment_initiation/payment/create",
        json!({
        "recipient_id": json_of(&recipient)["recipient_id"], "reference": "Token",
        "amount": {"currency": "GBP", "value": 1.0}}),
    )
    .await;
    let token = post(
        mock,
        "/payment_initiation/payment/token/create",
        json!({"payment_id": json_of(&payment)["payment_id"]}),
    )
    .await;
    steps.check(
        "/payment_initiation/payment/token/create",
        "a made payment",
        token,
    );

    let verification = post(
        mock,
        "/identity_verification/create",
        json!({
        "client_user_id": "conformance-autofill", "template_id": "idvtmp_a",
        "is_shareable": true, "gave_consent": true,
        "user": {"phone_number": "+12345678909", "date_of_birth": "1985-03-02",
                 "name": {"given_name": "A", "family_name": "B"},
                 "address": {"street": "1 Elm St", "city": "Austin", "region": "TX",
                             "postal_code": "78701", "country": "US"}}}),
    )
    .await;
    let filled = post(
        mock,
        "/identity_verification/autofill/create",
        json!({"identity_verification_id": json_of(&verification)["id"]}),
    )
    .await;
    steps.check(
        "/identity_verification/autofill/create",
        "a full user",
        filled,
    );
}
