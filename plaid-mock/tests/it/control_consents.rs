//! Payment consents decided through the HTTP control API, as the user
//! would decide them in Link: authorised, or rejected.

use crate::support::{Served, Target};
use plaid_mock::server::ServerOptions;
use plaid_mock::MockPlaid;
use serde_json::json;

#[test]
fn a_payment_consent_is_authorised_through_the_control_api() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let (_, recipient) = fake.plaid(
        "/payment_initiation/recipient/create",
        json!({"name": "R", "iban": "GB33BUKB20201555555555"}),
    );
    let (status, consent) = fake.plaid(
        "/payment_initiation/consent/create",
        json!({"recipient_id": recipient["recipient_id"], "reference": "ref",
               "constraints": {"max_payment_amount": {"currency": "GBP", "value": 5},
                               "periodic_amounts": [{"amount": {"currency": "GBP", "value": 5},
                                   "interval": "DAY", "alignment": "CALENDAR"}]}}),
    );
    assert_eq!(status, 200, "{consent}");
    let id = &consent["consent_id"];
    let (status, authorised) = fake.post("/_mock/consents/authorise", &json!({"consent_id": id}));
    assert_eq!(status, 200, "{authorised}");
    assert_eq!(
        authorised,
        json!({"consent_id": id, "status": "AUTHORISED"})
    );
    let (_, got) = fake.plaid("/payment_initiation/consent/get", json!({"consent_id": id}));
    assert_eq!(got["status"], "AUTHORISED");
    let (status, unknown) = fake.post(
        "/_mock/consents/authorise",
        &json!({"consent_id": "consent-id-sandbox-nope"}),
    );
    assert_eq!(status, 400);
    assert!(unknown["error"].as_str().unwrap().contains("INVALID_FIELD"));
}

#[test]
fn a_payment_consent_is_rejected_through_the_control_api() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let (_, recipient) = fake.plaid(
        "/payment_initiation/recipient/create",
        json!({"name": "R", "iban": "GB33BUKB20201555555555"}),
    );
    let constraints = json!({"max_payment_amount": {"currency": "GBP", "value": 5},
        "periodic_amounts": [{"amount": {"currency": "GBP", "value": 5},
                              "interval": "DAY", "alignment": "CALENDAR"}]});
    let (_, consent) = fake.plaid(
        "/payment_initiation/consent/create",
        json!({"recipient_id": recipient["recipient_id"], "reference": "ref",
               "constraints": constraints}),
    );
    let id = &consent["consent_id"];
    let (status, rejected) = fake.post("/_mock/consents/reject", &json!({"consent_id": id}));
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected, json!({"consent_id": id, "status": "REJECTED"}));
    let (_, got) = fake.plaid("/payment_initiation/consent/get", json!({"consent_id": id}));
    assert_eq!(got["status"], "REJECTED");
    // A decision is final: a rejected consent cannot be authorised.
    let (status, refused) = fake.post("/_mock/consents/authorise", &json!({"consent_id": id}));
    assert_eq!(status, 400, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("INVALID_FIELD"));
    let (status, _) = fake.post(
        "/_mock/consents/reject",
        &json!({"consent_id": "consent-id-sandbox-nope"}),
    );
    assert_eq!(status, 400);
}
