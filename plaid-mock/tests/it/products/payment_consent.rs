//! Payment consents (variable recurring payments): made `UNAUTHORISED`
//! for a recipient the client made, authorised as the user would in Link,
//! payments executed within the consent's limits (idempotently) and shown
//! with the other payments, no more payments after a revoke. The same flow
//! runs in process and over HTTP.

use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn recipient(client: &Client) -> String {
    client
        .send_raw(
            "/payment_initiation/recipient/create",
            json!({"name": "Sweep Ltd", "bacs": {"account": "26207729", "sort_code": "560029"}}),
        )
        .await
        .expect("a recipient")["recipient_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn constraints(max: f64, weekly: f64) -> Value {
    json!({
        "valid_date_time": {"from": "2024-01-01T00:00:00Z", "to": "2030-12-31T23:59:59Z"},
        "max_payment_amount": {"currency": "GBP", "value": max},
        "periodic_amounts": [{"amount": {"currency": "GBP", "value": weekly},
                              "interval": "WEEK", "alignment": "CALENDAR"}],
    })
}

async fn consent(client: &Client, to: &str, constraints: Value) -> String {
    let created = client
        .send_raw(
            "/payment_initiation/consent/create",
            json!({"recipient_id": to, "reference": "Sweep01", "type": "SWEEPING",
                   "constraints": constraints}),
        )
        .await
        .expect("a consent");
    assert_eq!(created["status"], "UNAUTHORISED");
    created["consent_id"].as_str().unwrap().to_owned()
}

async fn execute(
    client: &Client,
    consent: &str,
    value: f64,
    key: &str,
) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/payment_initiation/consent/payment/execute",
            json!({"consent_id": consent, "amount": {"currency": "GBP", "value": value},
                   "idempotency_key": key}),
        )
        .await
}

/// create → get → authorise → execute → payment get/list → revoke →
/// execute refused.
async fn lifecycle(mock: &MockPlaid, client: &Client) {
    let to = recipient(client).await;
    let limits = constraints(100.0, 300.0);
    let id = consent(client, &to, limits.clone()).await;
    assert!(id.starts_with("consent-id-sandbox-"), "{id}");

    let got = client
        .send_raw("/payment_initiation/consent/get", json!({"consent_id": id}))
        .await
        .unwrap();
    assert_eq!(got["consent_id"], id.as_str());
    assert_eq!(got["status"], "UNAUTHORISED");
    assert_eq!(got["recipient_id"], to.as_str());
    assert_eq!(got["reference"], "Sweep01");
    assert_eq!(got["type"], "SWEEPING");
    assert_eq!(got["constraints"], limits, "the constraints as sent");
    assert_eq!(got["created_at"], "2024-01-01T00:00:00Z");

    let early = execute(client, &id, 10.0, "before-authorised").await;
    assert_eq!(code(early, "unauthorised consent"), "INVALID_FIELD");

    let authorised = mock.authorise_consent(&id).unwrap();
    assert_eq!(authorised["status"], "AUTHORISED");
    let got = client
        .send_raw("/payment_initiation/consent/get", json!({"consent_id": id}))
        .await
        .unwrap();
    assert_eq!(got["status"], "AUTHORISED");

    let paid = execute(client, &id, 42.5, "first").await.unwrap();
    assert_eq!(paid["status"], "PAYMENT_STATUS_INITIATED");
    let payment_id = paid["payment_id"].as_str().unwrap().to_owned();
    assert!(payment_id.starts_with("payment-id-sandbox-"));
    let payment = client
        .send_raw(
            "/payment_initiation/payment/get",
            json!({"payment_id": payment_id}),
        )
        .await
        .unwrap();
    assert_eq!(payment["consent_id"], id.as_str());
    assert_eq!(payment["recipient_id"], to.as_str());
    assert_eq!(payment["amount"], json!({"currency": "GBP", "value": 42.5}));
    assert_eq!(payment["reference"], "Sweep01", "the consent's reference");
    let listed = client
        .send_raw(
            "/payment_initiation/payment/list",
            json!({"consent_id": id}),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = listed["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["payment_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [payment_id.as_str()]);

    client
        .send_raw(
            "/payment_initiation/consent/revoke",
            json!({"consent_id": id}),
        )
        .await
        .unwrap();
    let got = client
        .send_raw("/payment_initiation/consent/get", json!({"consent_id": id}))
        .await
        .unwrap();
    assert_eq!(got["status"], "REVOKED");
    let after = execute(client, &id, 10.0, "after-revoke").await;
    assert_eq!(code(after, "revoked consent"), "INVALID_FIELD");
    assert!(
        mock.authorise_consent(&id).is_err(),
        "a revoked consent stays revoked"
    );
}

/// A fake whose clock starts on Monday 2024-01-01.
fn new_year(seed: u64) -> MockPlaid {
    MockPlaid::builder()
        .seed(seed)
        .now(time::macros::datetime!(2024-01-01 00:00 UTC))
        .build()
}

fn in_process() -> (MockPlaid, Client) {
    let mock = new_year(61);
    let client = mock.client();
    (mock, client)
}

#[tokio::test]
async fn unknown_recipients_and_consents_are_refused() {
    let (_mock, client) = in_process();
    let unknown = client
        .send_raw(
            "/payment_initiation/consent/create",
            json!({"recipient_id": "recipient-id-sandbox-nobody", "reference": "R1",
                   "constraints": constraints(10.0, 20.0)}),
        )
        .await;
    assert_eq!(code(unknown, "unknown recipient"), "INVALID_FIELD");
    let to = recipient(&client).await;
    let long = client
        .send_raw(
            "/payment_initiation/consent/create",
            json!({"recipient_id": to, "reference": "a reference far too long",
                   "constraints": constraints(10.0, 20.0)}),
        )
        .await;
    // The spec's maxLength of 18: the request checks refuse it.
    assert_eq!(code(long, "long reference"), "INVALID_FIELD");
    for path in [
        "/payment_initiation/consent/get",
        "/payment_initiation/consent/revoke",
    ] {
        let unknown = client
            .send_raw(path, json!({"consent_id": "consent-id-sandbox-nope"}))
            .await;
        assert_eq!(code(unknown, path), "INVALID_FIELD");
    }
    let unknown = execute(&client, "consent-id-sandbox-nope", 1.0, "k").await;
    assert_eq!(code(unknown, "execute, unknown consent"), "INVALID_FIELD");
}

#[tokio::test]
async fn payments_stay_within_the_consents_limits() {
    let (mock, client) = in_process();
    let to = recipient(&client).await;
    let id = consent(&client, &to, constraints(100.0, 150.0)).await;
    mock.authorise_consent(&id).unwrap();

    let over = execute(&client, &id, 100.01, "too-much").await;
    assert_eq!(code(over, "above max_payment_amount"), "INVALID_FIELD");
    execute(&client, &id, 100.0, "at-max")
        .await
        .expect("the maximum itself is allowed");
    execute(&client, &id, 50.0, "fills-the-week")
        .await
        .expect("exactly the weekly limit");
    let week = execute(&client, &id, 0.01, "past-the-week").await;
    assert_eq!(code(week, "past the weekly limit"), "INVALID_FIELD");
    let euros = client
        .send_raw(
            "/payment_initiation/consent/payment/execute",
            json!({"consent_id": id, "amount": {"currency": "EUR", "value": 1.0},
                   "idempotency_key": "euros"}),
        )
        .await;
    assert_eq!(code(euros, "another currency"), "INVALID_FIELD");

    // 2024-01-01 is a Monday: a week later the calendar week is new.
    mock.advance_clock(time::Duration::days(7));
    execute(&client, &id, 100.0, "next-week")
        .await
        .expect("a new week, a new allowance");

    // Past `valid_date_time.to` the consent expires.
    let short = consent(
        &client,
        &to,
        json!({"valid_date_time": {"to": "2024-01-09T00:00:00Z"},
               "max_payment_amount": {"currency": "GBP", "value": 10.0},
               "periodic_amounts": [{"amount": {"currency": "GBP", "value": 10.0},
                                     "interval": "DAY", "alignment": "CONSENT"}]}),
    )
    .await;
    mock.authorise_consent(&short).unwrap();
    execute(&client, &short, 10.0, "short-1").await.unwrap();
    let day = execute(&client, &short, 1.0, "short-2").await;
    assert_eq!(code(day, "past the daily limit"), "INVALID_FIELD");
    mock.advance_clock(time::Duration::days(1));
    let expired = execute(&client, &short, 1.0, "short-3").await;
    assert_eq!(code(expired, "expired consent"), "INVALID_FIELD");
    let got = client
        .send_raw(
            "/payment_initiation/consent/get",
            json!({"consent_id": short}),
        )
        .await
        .unwrap();
    assert_eq!(got["status"], "EXPIRED");
}

#[tokio::test]
async fn a_repeated_idempotency_key_gives_back_the_same_payment() {
    let (mock, client) = in_process();
    let to = recipient(&client).await;
    let id = consent(&client, &to, constraints(100.0, 150.0)).await;
    mock.authorise_consent(&id).unwrap();

    let first = execute(&client, &id, 80.0, "retry-me").await.unwrap();
    let again = execute(&client, &id, 80.0, "retry-me").await.unwrap();
    assert_eq!(first["payment_id"], again["payment_id"]);
    let listed = client
        .send_raw(
            "/payment_initiation/payment/list",
            json!({"consent_id": id}),
        )
        .await
        .unwrap();
    assert_eq!(
        listed["payments"].as_array().unwrap().len(),
        1,
        "one payment for one key"
    );
    // The retry did not count twice against the weekly 150.
    let other = client
        .send_raw(
            "/payment_initiation/consent/payment/execute",
            json!({"consent_id": id, "amount": {"currency": "GBP", "value": 70.0},
                   "idempotency_key": "another-key", "reference": "Own ref"}),
        )
        .await
        .unwrap();
    assert_ne!(other["payment_id"], first["payment_id"]);
    let got = client
        .send_raw(
            "/payment_initiation/payment/get",
            json!({"payment_id": other["payment_id"]}),
        )
        .await
        .unwrap();
    assert_eq!(got["reference"], "Own ref", "a reference sent wins");

    // After 48 hours the key is free again (and the week is spent).
    mock.advance_clock(time::Duration::hours(49));
    let late = execute(&client, &id, 80.0, "retry-me").await;
    assert_eq!(
        code(late, "a new payment past the weekly limit"),
        "INVALID_FIELD"
    );
}

/// The consent's webhook: every status change is a `CONSENT_STATUS_UPDATE`
/// to the webhook of the link token made for the consent.
async fn status_updates(mock: &MockPlaid, client: &Client) {
    let to = recipient(client).await;
    let watched = consent(client, &to, constraints(10.0, 20.0)).await;
    client
        .send_raw(
            "/link/token/create",
            json!({"client_name": "C", "language": "en", "country_codes": ["GB"],
                   "user": {"client_user_id": "u-1"}, "products": ["payment_initiation"],
                   "webhook": "https://example.com/consents",
                   "payment_initiation": {"consent_id": watched}}),
        )
        .await
        .expect("a link token for the consent");
    let unwatched = consent(client, &to, constraints(10.0, 20.0)).await;

    mock.authorise_consent(&watched).unwrap();
    let rejected = mock.reject_consent(&unwatched).unwrap();
    assert_eq!(rejected["status"], "REJECTED");
    let declined = execute(client, &unwatched, 1.0, "on-a-rejected-consent").await;
    assert_eq!(code(declined, "a rejected consent"), "INVALID_FIELD");
    client
        .send_raw(
            "/payment_initiation/consent/revoke",
            json!({"consent_id": watched}),
        )
        .await
        .unwrap();

    let updates: Vec<Value> = mock
        .webhooks()
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap())
        .filter(|b| b["webhook_code"] == "CONSENT_STATUS_UPDATE")
        .collect();
    let moves: Vec<(&str, &str, &str)> = updates
        .iter()
        .map(|b| {
            (
                b["consent_id"].as_str().unwrap(),
                b["old_status"].as_str().unwrap(),
                b["new_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            (watched.as_str(), "UNAUTHORISED", "AUTHORISED"),
            (watched.as_str(), "AUTHORISED", "REVOKED"),
        ],
        "only the consent with a link token's webhook is reported"
    );
    assert_eq!(updates[0]["webhook_type"], "PAYMENT_INITIATION");
    let urls: Vec<Option<String>> = mock
        .webhooks()
        .iter()
        .filter(|w| String::from_utf8_lossy(&w.body).contains("CONSENT_STATUS_UPDATE"))
        .map(|w| w.url.clone())
        .collect();
    assert!(urls
        .iter()
        .all(|u| u.as_deref() == Some("https://example.com/consents")));
}

scenarios! {
    a_consent_lives_and_is_revoked(new_year(61)) |fake| {
        lifecycle(&fake.mock, fake.client()).await
    }
    consent_status_changes_are_sent_to_the_link_tokens_webhook(new_year(61)) |fake| {
        status_updates(&fake.mock, fake.client()).await
    }
}
