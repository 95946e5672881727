//! Payment Initiation: recipients keep what they were made with (`bacs`
//! included), payments start waiting for input and move as the sandbox
//! simulates, lists page by cursor.

use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn recipient(client: &Client, body: Value) -> String {
    client
        .send_raw("/payment_initiation/recipient/create", body)
        .await
        .expect("a recipient")["recipient_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The older payment token: for a payment of this client, 15 minutes.
async fn payment_token(mock: &MockPlaid, client: &Client) {
    let to = recipient(
        client,
        json!({"name": "R", "iban": "GB33BUKB20201555555555"}),
    )
    .await;
    let payment = client
        .send_raw(
            "/payment_initiation/payment/create",
            json!({"recipient_id": to, "reference": "Token",
                   "amount": {"currency": "GBP", "value": 5.0}}),
        )
        .await
        .unwrap();
    let made = client
        .send_raw(
            "/payment_initiation/payment/token/create",
            json!({"payment_id": payment["payment_id"]}),
        )
        .await
        .unwrap();
    let token = made["payment_token"].as_str().unwrap();
    assert!(token.starts_with("payment-token-sandbox-"), "{token}");
    let expires = time::OffsetDateTime::parse(
        made["payment_token_expiration_time"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires - mock.now(), time::Duration::minutes(15));
    let unknown = client
        .send_raw(
            "/payment_initiation/payment/token/create",
            json!({"payment_id": "payment-id-sandbox-nope"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown payment"), "INVALID_FIELD");
}

scenarios! {
    a_payment_token_is_for_a_made_payment(MockPlaid::builder().seed(43).build()) |fake| {
        payment_token(&fake.mock, fake.client()).await
    }
    recipients_come_back_as_they_were_sent(MockPlaid::builder().seed(41).build()) in_process |fake| {
        let client = fake.client().clone();
        let address = json!({"street": ["1 Platypus Lane", "Flat 2"], "city": "Leeds",
                             "postal_code": "LS1 1AA", "country": "GB"});
        let by_bacs = recipient(
            &client,
            json!({"name": "Tea Shop", "bacs": {"account": "26207729", "sort_code": "560029"},
                   "address": address}),
        )
        .await;
        let by_iban = recipient(
            &client,
            json!({"name": "Café Européen", "iban": "FR1420041010050500013M02606"}),
        )
        .await;
        assert!(by_bacs.starts_with("recipient-id-sandbox-"));
        let got = client
            .send_raw(
                "/payment_initiation/recipient/get",
                json!({"recipient_id": by_bacs}),
            )
            .await
            .unwrap();
        assert_eq!(got["name"], "Tea Shop");
        assert_eq!(
            got["bacs"],
            json!({"account": "26207729", "sort_code": "560029"})
        );
        assert_eq!(got["iban"], Value::Null);
        assert_eq!(got["address"], address);
        let got = client
            .send_raw(
                "/payment_initiation/recipient/get",
                json!({"recipient_id": by_iban}),
            )
            .await
            .unwrap();
        assert_eq!(got["iban"], "FR1420041010050500013M02606");
        assert_eq!(got["bacs"], Value::Null);
        assert!(got.get("address").is_none());

        let first = client
            .send_raw("/payment_initiation/recipient/list", json!({"count": 1}))
            .await
            .unwrap();
        assert_eq!(
            first["recipients"][0]["recipient_id"],
            by_iban.as_str(),
            "newest first"
        );
        let second = client
            .send_raw(
                "/payment_initiation/recipient/list",
                json!({"count": 1, "cursor": first["next_cursor"]}),
            )
            .await
            .unwrap();
        assert_eq!(second["recipients"][0]["recipient_id"], by_bacs.as_str());
        assert!(second.get("next_cursor").is_none());

        let neither = client
            .send_raw(
                "/payment_initiation/recipient/create",
                json!({"name": "Nobody"}),
            )
            .await;
        assert_eq!(code(neither, "no iban nor bacs"), "INVALID_FIELD");
        let unknown = client
            .send_raw(
                "/payment_initiation/recipient/get",
                json!({"recipient_id": "nope"}),
            )
            .await;
        assert_eq!(code(unknown, "unknown recipient"), "INVALID_FIELD");
    }
    payments_wait_for_input_and_move_as_simulated(MockPlaid::builder().seed(42).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let to = recipient(
            &client,
            json!({"name": "Rent Ltd", "bacs": {"account": "11111111", "sort_code": "222222"}}),
        )
        .await;
        let mut made = Vec::new();
        for (reference, value) in [
            ("Rent March", 950.0),
            ("Rent April", 975.5),
            ("Rent May", 1000.0),
        ] {
            let created = client
                .send_raw(
                    "/payment_initiation/payment/create",
                    json!({"recipient_id": to, "reference": reference,
                           "amount": {"currency": "GBP", "value": value}}),
                )
                .await
                .unwrap();
            assert_eq!(created["status"], "PAYMENT_STATUS_INPUT_NEEDED");
            made.push(created["payment_id"].as_str().unwrap().to_owned());
            mock.advance_clock(time::Duration::minutes(5));
        }
        let got = client
            .send_raw(
                "/payment_initiation/payment/get",
                json!({"payment_id": made[1]}),
            )
            .await
            .unwrap();
        assert_eq!(got["reference"], "Rent April");
        assert_eq!(got["amount"], json!({"currency": "GBP", "value": 975.5}));
        assert_eq!(got["recipient_id"], to.as_str());
        assert_eq!(got["status"], "PAYMENT_STATUS_INPUT_NEEDED");

        let moved = client
            .send_raw(
                "/sandbox/payment/simulate",
                json!({"payment_id": made[1], "status": "PAYMENT_STATUS_EXECUTED",
                       "webhook": "https://example.com/hook"}),
            )
            .await
            .unwrap();
        assert_eq!(moved["old_status"], "PAYMENT_STATUS_INPUT_NEEDED");
        assert_eq!(moved["new_status"], "PAYMENT_STATUS_EXECUTED");
        let got = client
            .send_raw(
                "/payment_initiation/payment/get",
                json!({"payment_id": made[1]}),
            )
            .await
            .unwrap();
        assert_eq!(got["status"], "PAYMENT_STATUS_EXECUTED");
        let bad = client
            .send_raw(
                "/sandbox/payment/simulate",
                json!({"payment_id": made[1], "status": "PAYMENT_STATUS_INPUT_NEEDED",
                       "webhook": "https://example.com/hook"}),
            )
            .await;
        assert_eq!(code(bad, "not a simulated status"), "INVALID_FIELD");

        let page = client
            .send_raw("/payment_initiation/payment/list", json!({"count": 2}))
            .await
            .unwrap();
        let ids: Vec<&str> = page["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["payment_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [made[2].as_str(), made[1].as_str()], "newest first");
        let rest = client
            .send_raw(
                "/payment_initiation/payment/list",
                json!({"count": 2, "cursor": page["next_cursor"]}),
            )
            .await
            .unwrap();
        assert_eq!(rest["payments"].as_array().unwrap().len(), 1);
        assert_eq!(rest["payments"][0]["payment_id"], made[0].as_str());
        assert_eq!(rest["next_cursor"], Value::Null);

        let unknown = client
            .send_raw(
                "/payment_initiation/payment/create",
                json!({"recipient_id": "nope", "reference": "x", "amount": {"currency": "GBP", "value": 1.0}}),
            )
            .await;
        assert_eq!(code(unknown, "unknown recipient"), "INVALID_FIELD");
        let long = client
            .send_raw(
                "/payment_initiation/payment/create",
                json!({"recipient_id": to, "reference": "a reference far too long",
                       "amount": {"currency": "GBP", "value": 1.0}}),
            )
            .await;
        assert_eq!(code(long, "long reference"), "PAYMENT_INVALID_REFERENCE");
        let unknown = client
            .send_raw(
                "/payment_initiation/payment/get",
                json!({"payment_id": "nope"}),
            )
            .await;
        assert_eq!(code(unknown, "unknown payment"), "INVALID_FIELD");
    }
}
