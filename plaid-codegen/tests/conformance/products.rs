//! The first product lifecycles' answers with ids the fake made: link
//! tokens, Transfer, Bank Transfer, Payment Initiation, Identity
//! Verification, Assets, users and Bank Income, Watchlist Screening.

use super::*;

/// The product lifecycles' answers with ids the fake made: every
/// operation of `crate::support::sample_ids_refused_by_models` and the lists around them.
pub async fn product_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let (token, account) = linked_account(mock, &["auth"]).await;
    let mut steps = Steps::new(map, operations, report);
    let link = post(mock, "/link/token/create", json!({"client_name": "C", "language": "en",
        "country_codes": ["US"], "user": {"client_user_id": "u"}, "products": ["auth"],
        "webhook": "https://example.com/hook", "account_filters": {"depository": {"account_subtypes": ["checking"]}}})).await;
    let link = steps.check("/link/token/create", "full request", link);
    let got = post(
        mock,
        "/link/token/get",
        json!({"link_token": link["link_token"]}),
    )
    .await;
    steps.check("/link/token/get", "a made token", got);

    let user = json!({"legal_name": "L", "address": {"city": "C"}});
    let mut transfers = Vec::new();
    for kind in ["debit", "credit", "debit"] {
        let authorization = post(mock, "/transfer/authorization/create", json!({"access_token": token,
            "account_id": account, "type": kind, "network": "ach", "amount": "2.00", "ach_class": "ppd", "user": user})).await;
        let authorization =
            steps.check("/transfer/authorization/create", "approved", authorization);
        let created = post(
            mock,
            "/transfer/create",
            json!({"access_token": token, "account_id": account,
            "authorization_id": authorization["authorization"]["id"], "description": "d"}),
        )
        .await;
        transfers.push(
            steps.check("/transfer/create", "from an authorization", created)["transfer"]["id"]
                .clone(),
        );
    }
    for (id, event) in [
        (0, "posted"),
        (0, "settled"),
        (1, "posted"),
        (1, "settled"),
        (0, "funds_available"),
    ] {
        let simulated = post(
            mock,
            "/sandbox/transfer/simulate",
            json!({"transfer_id": transfers[id], "event_type": event}),
        )
        .await;
        steps.check("/sandbox/transfer/simulate", "an allowed event", simulated);
    }
    let returned = post(
        mock,
        "/sandbox/transfer/simulate",
        json!({"transfer_id": transfers[2],
        "event_type": "failed", "failure_reason": {"ach_return_code": "R01", "description": "d"}}),
    )
    .await;
    steps.check("/sandbox/transfer/simulate", "failed", returned);
    let sweep = post(mock, "/sandbox/transfer/sweep/simulate", json!({})).await;
    let sweep = steps.check("/sandbox/transfer/sweep/simulate", "a sweep", sweep);
    let got = post(
        mock,
        "/transfer/sweep/get",
        json!({"sweep_id": sweep["sweep"]["id"]}),
    )
    .await;
    steps.check("/transfer/sweep/get", "a made sweep", got);
    let listed = post(mock, "/transfer/sweep/list", json!({})).await;
    steps.check("/transfer/sweep/list", "one sweep", listed);
    for id in &transfers {
        let got = post(mock, "/transfer/get", json!({"transfer_id": id})).await;
        steps.check("/transfer/get", "swept, failed", got);
    }
    let listed = post(mock, "/transfer/list", json!({"count": 2})).await;
    steps.check("/transfer/list", "a page", listed);
    let events = post(
        mock,
        "/transfer/event/list",
        json!({"transfer_id": transfers[0]}),
    )
    .await;
    steps.check("/transfer/event/list", "one transfer's", events);
    let events = post(mock, "/transfer/event/sync", json!({"after_id": 0})).await;
    steps.check("/transfer/event/sync", "all", events);
    let authorization = post(
        mock,
        "/transfer/authorization/create",
        json!({"access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "1.00", "user": user}),
    )
    .await;
    let authorization = steps.check(
        "/transfer/authorization/create",
        "no ach_class",
        authorization,
    );
    let created = post(
        mock,
        "/transfer/create",
        json!({"access_token": token, "account_id": account,
        "authorization_id": authorization["authorization"]["id"], "description": "d"}),
    )
    .await;
    let created = steps.check("/transfer/create", "to cancel", created);
    let cancelled = post(
        mock,
        "/transfer/cancel",
        json!({"transfer_id": created["transfer"]["id"]}),
    )
    .await;
    steps.check("/transfer/cancel", "a pending transfer", cancelled);

    let created = post(
        mock,
        "/bank_transfer/create",
        json!({"idempotency_key": "k", "access_token": token,
        "account_id": account, "type": "credit", "network": "ach", "amount": "1.00",
        "iso_currency_code": "USD", "description": "d", "user": {"legal_name": "L"}}),
    )
    .await;
    let id =
        steps.check("/bank_transfer/create", "a credit", created)["bank_transfer"]["id"].clone();
    let simulated = post(
        mock,
        "/sandbox/bank_transfer/simulate",
        json!({"bank_transfer_id": id, "event_type": "posted"}),
    )
    .await;
    steps.check("/sandbox/bank_transfer/simulate", "posted", simulated);
    let simulated = post(
        mock,
        "/sandbox/bank_transfer/simulate",
        json!({"bank_transfer_id": id, "event_type": "reversed"}),
    )
    .await;
    steps.check("/sandbox/bank_transfer/simulate", "reversed", simulated);
    let got = post(mock, "/bank_transfer/get", json!({"bank_transfer_id": id})).await;
    steps.check("/bank_transfer/get", "reversed", got);
    let created = post(
        mock,
        "/bank_transfer/create",
        json!({"idempotency_key": "k2", "access_token": token,
        "account_id": account, "type": "debit", "network": "ach", "amount": "1.00",
        "iso_currency_code": "USD", "description": "d", "user": {"legal_name": "L"}}),
    )
    .await;
    let id =
        steps.check("/bank_transfer/create", "a debit", created)["bank_transfer"]["id"].clone();
    let cancelled = post(
        mock,
        "/bank_transfer/cancel",
        json!({"bank_transfer_id": id}),
    )
    .await;
    steps.check("/bank_transfer/cancel", "a pending one", cancelled);
    let listed = post(mock, "/bank_transfer/list", json!({})).await;
    steps.check("/bank_transfer/list", "two", listed);
    let events = post(mock, "/bank_transfer/event/list", json!({})).await;
    steps.check("/bank_transfer/event/list", "all", events);
    let events = post(mock, "/bank_transfer/event/sync", json!({"after_id": 1})).await;
    steps.check("/bank_transfer/event/sync", "after the first", events);

    let recipient = post(
        mock,
        "/payment_initiation/recipient/create",
        json!({"name": "R",
        "bacs": {"account": "12345678", "sort_code": "123456"},
        "address": {"street": ["1 Road"], "city": "London", "postal_code": "N1", "country": "GB"}}),
    )
    .await;
    let recipient = steps.check("/payment_initiation/recipient/create", "bacs", recipient)
        ["recipient_id"]
        .clone();
    let iban = post(
        mock,
        "/payment_initiation/recipient/create",
        json!({"name": "I", "iban": "GB33BUKB20201555555555"}),
    )
    .await;
    steps.check("/payment_initiation/recipient/create", "iban", iban);
    let got = post(
        mock,
        "/payment_initiation/recipient/get",
        json!({"recipient_id": recipient}),
    )
    .await;
    steps.check("/payment_initiation/recipient/get", "bacs and address", got);
    let listed = post(
        mock,
        "/payment_initiation/recipient/list",
        json!({"count": 1}),
    )
    .await;
    steps.check("/payment_initiation/recipient/list", "a page", listed);
    let payment = post(
        mock,
        "/payment_initiation/payment/create",
        json!({"recipient_id": recipient,
        "reference": "ref", "amount": {"currency": "GBP", "value": 1.5},
        "options": {"bacs": {"account": "87654321", "sort_code": "654321"}}}),
    )
    .await;
    let payment = steps.check(
        "/payment_initiation/payment/create",
        "input needed",
        payment,
    )["payment_id"]
        .clone();
    let simulated = post(
        mock,
        "/sandbox/payment/simulate",
        json!({"payment_id": payment,
        "status": "PAYMENT_STATUS_EXECUTED", "webhook": "https://example.com/hook"}),
    )
    .await;
    steps.check("/sandbox/payment/simulate", "executed", simulated);
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": payment}),
    )
    .await;
    steps.check("/payment_initiation/payment/get", "executed", got);
    let listed = post(mock, "/payment_initiation/payment/list", json!({})).await;
    steps.check("/payment_initiation/payment/list", "one", listed);
    let consent = post(
        mock,
        "/payment_initiation/consent/create",
        json!({"recipient_id": recipient, "reference": "ref", "type": "SWEEPING",
        "scopes": ["ME_TO_ME"], "constraints": {
            "valid_date_time": {"from": null, "to": "2099-01-01T00:00:00Z"},
            "max_payment_amount": {"currency": "GBP", "value": 10},
            "periodic_amounts": [{"amount": {"currency": "GBP", "value": 20},
                "interval": "MONTH", "alignment": "CONSENT"}]}}),
    )
    .await;
    let consent = steps.check(
        "/payment_initiation/consent/create",
        "unauthorised",
        consent,
    )["consent_id"]
        .clone();
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    steps.check("/payment_initiation/consent/get", "unauthorised", got);
    mock.authorise_consent(consent.as_str().unwrap())
        .expect("an authorised consent");
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    steps.check("/payment_initiation/consent/get", "authorised", got);
    let executed = post(
        mock,
        "/payment_initiation/consent/payment/execute",
        json!({"consent_id": consent,
        "amount": {"currency": "GBP", "value": 5.5}, "idempotency_key": "k1"}),
    )
    .await;
    let executed = steps.check(
        "/payment_initiation/consent/payment/execute",
        "within the limits",
        executed,
    );
    let again = post(
        mock,
        "/payment_initiation/consent/payment/execute",
        json!({"consent_id": consent,
        "amount": {"currency": "GBP", "value": 5.5}, "idempotency_key": "k1"}),
    )
    .await;
    steps.check(
        "/payment_initiation/consent/payment/execute",
        "a repeated idempotency key",
        again,
    );
    let got = post(
        mock,
        "/payment_initiation/payment/get",
        json!({"payment_id": executed["payment_id"]}),
    )
    .await;
    steps.check("/payment_initiation/payment/get", "by consent", got);
    let listed = post(
        mock,
        "/payment_initiation/payment/list",
        json!({"consent_id": consent}),
    )
    .await;
    steps.check("/payment_initiation/payment/list", "one consent's", listed);
    let revoked = post(
        mock,
        "/payment_initiation/consent/revoke",
        json!({"consent_id": consent}),
    )
    .await;
    steps.check("/payment_initiation/consent/revoke", "authorised", revoked);
    let got = post(
        mock,
        "/payment_initiation/consent/get",
        json!({"consent_id": consent}),
    )
    .await;
    steps.check("/payment_initiation/consent/get", "revoked", got);

    let institution = post(
        mock,
        "/institutions/get_by_id",
        json!({"institution_id": "ins_12345",
        "country_codes": ["US", "GB", "CA"], "options": {"include_optional_metadata": true}}),
    )
    .await;
    steps.check(
        "/institutions/get_by_id",
        "a directory institution with metadata",
        institution,
    );

    let (assets_token, _) = mock
        .link_item("ins_109508", &["assets", "transactions"])
        .expect("an assets item");
    let created = post(
        mock,
        "/asset_report/create",
        json!({"access_tokens": [assets_token], "days_requested": 30,
               "options": {"client_report_id": "r", "user": {"first_name": "A"}}}),
    )
    .await;
    let report = steps.check("/asset_report/create", "an item's report", created)
        ["asset_report_token"]
        .clone();
    mock.advance_clock(time::Duration::seconds(10));
    let got = post(
        mock,
        "/asset_report/get",
        json!({"asset_report_token": report}),
    )
    .await;
    steps.check("/asset_report/get", "from the item's data", got);
    let filtered = post(
        mock,
        "/asset_report/filter",
        json!({"asset_report_token": report, "account_ids_to_exclude": [account]}),
    )
    .await;
    steps.check("/asset_report/filter", "one account less", filtered);
    let refreshed = post(
        mock,
        "/asset_report/refresh",
        json!({"asset_report_token": report, "days_requested": 60}),
    )
    .await;
    steps.check("/asset_report/refresh", "more days", refreshed);
    let copy = post(
        mock,
        "/asset_report/audit_copy/create",
        json!({"asset_report_token": report}),
    )
    .await;
    let copy =
        steps.check("/asset_report/audit_copy/create", "a copy", copy)["audit_copy_token"].clone();
    let got = post(
        mock,
        "/asset_report/audit_copy/get",
        json!({"audit_copy_token": copy}),
    )
    .await;
    steps.check("/asset_report/audit_copy/get", "the shared report", got);
    let removed = post(
        mock,
        "/asset_report/audit_copy/remove",
        json!({"audit_copy_token": copy}),
    )
    .await;
    steps.check("/asset_report/audit_copy/remove", "removed", removed);
    let removed = post(
        mock,
        "/asset_report/remove",
        json!({"asset_report_token": report}),
    )
    .await;
    steps.check("/asset_report/remove", "removed", removed);

    // Users and Bank Income, with a real user and an item linked for it.
    let user = post(
        mock,
        "/user/create",
        json!({"client_user_id": "income-user"}),
    )
    .await;
    let user = steps.check("/user/create", "a new user", user);
    let (user_token, user_id) = (user["user_token"].clone(), user["user_id"].clone());
    let got = post(mock, "/user/get", json!({"user_id": user_id})).await;
    steps.check("/user/get", "the created user", got);
    let updated = post(
        mock,
        "/user/update",
        json!({"user_token": user_token,
        "identity": {"name": {"given_name": "A", "family_name": "B"}}}),
    )
    .await;
    steps.check("/user/update", "an identity", updated);
    let got = post(mock, "/user/get", json!({"user_id": user_id})).await;
    steps.check("/user/get", "with an identity", got);
    let linked = post(
        mock,
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508",
        "initial_products": ["income_verification"], "user_token": user_token,
        "options": {"income_verification": {"bank_income": {"days_requested": 30}}}}),
    )
    .await;
    steps.check("/sandbox/public_token/create", "for a user", linked);
    let items = post(mock, "/user/items/get", json!({"user_token": user_token})).await;
    let item_id =
        steps.check("/user/items/get", "the user's item", items)["items"][0]["item_id"].clone();
    let moved = post(
        mock,
        "/user/items/associate",
        json!({"user_id": user_id, "item_ids": [item_id]}),
    )
    .await;
    steps.check("/user/items/associate", "the user's own item", moved);
    let sessions = post(
        mock,
        "/credit/sessions/get",
        json!({"user_token": user_token}),
    )
    .await;
    steps.check("/credit/sessions/get", "one Link session", sessions);
    let income = post(
        mock,
        "/credit/bank_income/get",
        json!({"user_token": user_token}),
    )
    .await;
    steps.check("/credit/bank_income/get", "from the item's data", income);
    let refreshed = post(
        mock,
        "/credit/bank_income/refresh",
        json!({"user_token": user_token, "options": {"days_requested": 60}}),
    )
    .await;
    steps.check("/credit/bank_income/refresh", "more days", refreshed);
    let income = post(
        mock,
        "/credit/bank_income/get",
        json!({"user_token": user_token, "options": {"count": 2}}),
    )
    .await;
    steps.check("/credit/bank_income/get", "two reports", income);
    let hooked = post(
        mock,
        "/credit/bank_income/webhook/update",
        json!({"user_token": user_token, "enable_webhooks": true}),
    )
    .await;
    steps.check("/credit/bank_income/webhook/update", "subscribed", hooked);
    let removed = post(
        mock,
        "/user/items/remove",
        json!({"user_token": user_token, "item_ids": [item_id]}),
    )
    .await;
    steps.check("/user/items/remove", "the user's item", removed);
    let removed = post(mock, "/user/remove", json!({"user_token": user_token})).await;
    steps.check("/user/remove", "removed", removed);

    let individual = json!({"watchlist_program_id": "prg_1", "legal_name": "Aleksey Potemkin"});
    let entity = json!({"entity_watchlist_program_id": "entprg_1", "legal_name": "Al-Qaida"});
    for (kind, id_field, program_field, terms) in [
        (
            "individual",
            "watchlist_screening_id",
            "watchlist_program_id",
            individual,
        ),
        (
            "entity",
            "entity_watchlist_screening_id",
            "entity_watchlist_program_id",
            entity,
        ),
    ] {
        let path = |verb: &str| leak(format!("/watchlist_screening/{kind}/{verb}"));
        let made = post(
            mock,
            path("create"),
            json!({"search_terms": terms, "client_user_id": "u"}),
        )
        .await;
        let id = steps.check(path("create"), "a listed name", made)["id"].clone();
        let hits = post(mock, path("hit/list"), json!({ id_field: id })).await;
        let hits = steps.check(path("hit/list"), "one hit", hits);
        let hit = hits
            .as_object()
            .and_then(|h| h.values().find_map(|v| v.get(0)))
            .map(|h| h["id"].clone())
            .expect("a hit");
        let review = post(
            mock,
            path("review/create"),
            json!({ id_field: id, "confirmed_hits": [hit], "dismissed_hits": [], "comment": "c"}),
        )
        .await;
        steps.check(path("review/create"), "confirmed", review);
        for verb in ["get", "review/list", "history/list"] {
            let got = post(mock, path(verb), json!({ id_field: id })).await;
            steps.check(path(verb), "after a review", got);
        }
        let updated = post(
            mock,
            path("update"),
            json!({ id_field: id, "client_user_id": "v", "reset_fields": ["assignee"]}),
        )
        .await;
        steps.check(path("update"), "a new user id", updated);
        let listed = post(
            mock,
            path("list"),
            json!({ program_field: terms[program_field] }),
        )
        .await;
        steps.check(path("list"), "the one made", listed);
    }

    // Beacon: a user on an item, a report on it, a second user sharing its
    // identity data (a duplicate and a syndication), and every read.
    let (beacon_token, _) = linked_account(mock, &["auth"]).await;
    let person = json!({"name": {"given_name": "Leslie", "family_name": "Knope"},
        "date_of_birth": "1990-05-29", "email_address": "leslie@example.com",
        "address": {"street": "123 Main St.", "city": "Pawnee", "region": "IN",
                    "postal_code": "46001", "country": "US"},
        "depository_accounts": [{"account_number": "1234567890", "routing_number": "021000021"}]});
    let made = post(
        mock,
        "/beacon/user/create",
        json!({"program_id": "becprg_1",
        "client_user_id": "u", "user": person, "access_tokens": [beacon_token]}),
    )
    .await;
    let user = steps.check("/beacon/user/create", "with an item", made)["id"].clone();
    let updated = post(
        mock,
        "/beacon/user/update",
        json!({"beacon_user_id": user,
        "user": {"phone_number": "+19876543212"}}),
    )
    .await;
    steps.check("/beacon/user/update", "a phone number", updated);
    let report = post(
        mock,
        "/beacon/report/create",
        json!({"beacon_user_id": user,
        "type": "first_party", "fraud_date": "2024-01-31",
        "fraud_amount": {"iso_currency_code": "USD", "value": 100}}),
    )
    .await;
    let report = steps.check("/beacon/report/create", "on the user", report)["id"].clone();
    let reviewed = post(
        mock,
        "/beacon/user/review",
        json!({"beacon_user_id": user, "status": "rejected"}),
    )
    .await;
    steps.check("/beacon/user/review", "rejected after a report", reviewed);
    let twin = post(
        mock,
        "/beacon/user/create",
        json!({"program_id": "becprg_1",
        "client_user_id": "v", "user": person}),
    )
    .await;
    let twin = steps.check(
        "/beacon/user/create",
        "a duplicate of a reported user",
        twin,
    )["id"]
        .clone();
    for (path, body) in [
        ("/beacon/user/get", json!({"beacon_user_id": user})),
        ("/beacon/user/history/list", json!({"beacon_user_id": user})),
        (
            "/beacon/user/account_insights/get",
            json!({"beacon_user_id": user, "access_token": beacon_token}),
        ),
        ("/beacon/report/get", json!({"beacon_report_id": report})),
        ("/beacon/report/list", json!({"beacon_user_id": user})),
        (
            "/beacon/report_syndication/list",
            json!({"beacon_user_id": twin}),
        ),
        (
            "/beacon/account_risk/v1/evaluate",
            json!({"access_token": beacon_token}),
        ),
    ] {
        let got = post(mock, path, body).await;
        let got = steps.check(path, "made by the flow", got);
        if path == "/beacon/report_syndication/list" {
            let id = got["beacon_report_syndications"][0]["id"].clone();
            let one = post(
                mock,
                "/beacon/report_syndication/get",
                json!({"beacon_report_syndication_id": id}),
            )
            .await;
            steps.check(
                "/beacon/report_syndication/get",
                "syndicated to the duplicate",
                one,
            );
        }
    }
    let duplicate = mock
        .webhooks()
        .iter()
        .filter_map(|d| serde_json::from_slice::<Value>(&d.body).ok())
        .find(|b| b["webhook_code"] == "DUPLICATE_DETECTED")
        .expect("a duplicate webhook");
    let got = post(
        mock,
        "/beacon/duplicate/get",
        json!({"beacon_duplicate_id": duplicate["beacon_duplicate_id"]}),
    )
    .await;
    steps.check("/beacon/duplicate/get", "the two users", got);
}
