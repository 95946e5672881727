//! The older Income and Employment verification API: a verification made
//! by `/income/verification/create`, Link finished on a link token naming
//! it, pay stubs, tax forms, documents and employment read by id or access
//! token; in process and over HTTP.

use crate::support::{code, link};
use crate::support::{scenarios, Fake};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

const HOOK: &str = "https://lender.example/income";

fn amount(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

async fn older_api_scenario(fake: &Fake) {
    let (mock, client, finish) = (&fake.mock, fake.client(), fake);
    let precheck = client
        .send_raw(
            "/income/verification/precheck",
            json!({"employer": {"name": "ACME INC"}}),
        )
        .await
        .expect("precheck");
    assert_eq!(precheck["confidence"], "HIGH");
    let unknown = client
        .send_raw(
            "/income/verification/create",
            json!({"webhook": HOOK, "precheck_id": "never-made"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown precheck"), "INVALID_FIELD");
    let created = client
        .send_raw(
            "/income/verification/create",
            json!({"webhook": HOOK, "precheck_id": precheck["precheck_id"]}),
        )
        .await
        .expect("a verification");
    let id = created["income_verification_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let early = client
        .send_raw(
            "/income/verification/paystubs/get",
            json!({"income_verification_id": id}),
        )
        .await;
    assert_eq!(code(early, "before Link"), "INCOME_VERIFICATION_NOT_FOUND");
    let never = client
        .send_raw(
            "/income/verification/paystubs/get",
            json!({"income_verification_id": "00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_eq!(
        code(never, "an unknown id"),
        "INCOME_VERIFICATION_NOT_FOUND"
    );

    let link_token = client
        .send_raw(
            "/link/token/create",
            json!({"client_name": "Acme Lending", "language": "en", "country_codes": ["US"],
                   "user": {"client_user_id": "c"}, "products": ["income_verification"],
                   "income_verification": {"income_verification_id": id}}),
        )
        .await
        .expect("a link token");
    let done = finish
        .complete_link(link_token["link_token"].as_str().unwrap(), None)
        .await
        .expect("Link finished");
    let hooks = mock.webhooks();
    let hook = hooks.last().expect("a webhook");
    assert_eq!(
        hook.url.as_deref(),
        Some(HOOK),
        "the verification's webhook"
    );
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(body["webhook_code"], "INCOME_VERIFICATION");
    assert_eq!(body["item_id"], done["item_id"]);

    let exchanged = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": done["public_token"]}),
        )
        .await
        .expect("exchanged");
    let access_token = exchanged["access_token"].as_str().unwrap().to_owned();
    let mut by_id = client
        .send_raw(
            "/income/verification/paystubs/get",
            json!({"income_verification_id": id}),
        )
        .await
        .expect("pay stubs");
    let mut by_token = client
        .send_raw(
            "/income/verification/paystubs/get",
            json!({"access_token": access_token}),
        )
        .await
        .expect("pay stubs");
    by_id.as_object_mut().unwrap().remove("request_id");
    by_token.as_object_mut().unwrap().remove("request_id");
    assert_eq!(
        by_id, by_token,
        "the same documents by id and by access token"
    );
    let stubs = by_id["paystubs"].as_array().unwrap();
    assert_eq!(stubs.len(), 2);
    stubs.iter().for_each(|s| {
        let gross = amount(&s["earnings"]["total"]["current_amount"]);
        let net = amount(&s["net_pay"]["current_amount"]);
        let withheld = amount(&s["deductions"]["total"]["current_amount"]);
        assert!((gross - withheld - net).abs() < 0.005, "{s}");
        assert_eq!(amount(&s["pay_period_details"]["check_amount"]), net);
    });
    assert_eq!(by_id["document_metadata"][0]["doc_id"], stubs[0]["doc_id"]);
    assert_eq!(
        by_id["document_metadata"][0]["doc_type"],
        "DOCUMENT_TYPE_PAYSTUB"
    );

    let forms = client
        .send_raw(
            "/income/verification/taxforms/get",
            json!({"access_token": access_token}),
        )
        .await
        .expect("tax forms");
    assert_eq!(forms["taxforms"][0]["document_type"], "W2");
    assert_eq!(
        forms["taxforms"][0]["w2"]["employer"]["name"],
        stubs[0]["employer"]["name"]
    );
    assert_eq!(
        forms["document_metadata"][0]["doc_id"],
        forms["taxforms"][0]["doc_id"]
    );

    let jobs = client
        .send_raw(
            "/employment/verification/get",
            json!({"access_token": access_token}),
        )
        .await
        .expect("employment");
    assert_eq!(
        jobs["employments"][0]["employer"]["name"],
        stubs[0]["employer"]["name"]
    );
    assert_eq!(jobs["employments"][0]["status"], "EMPLOYMENT_STATUS_ACTIVE");

    let missing = client
        .send_raw(
            "/income/verification/documents/download",
            json!({"access_token": access_token, "document_id": "nope"}),
        )
        .await;
    assert_eq!(
        code(missing, "an unknown document"),
        "INCOME_VERIFICATION_DOCUMENT_NOT_FOUND"
    );

    // An item linked without payroll income has none.
    let plain = link(client, "ins_109508").await;
    let none = client
        .send_raw(
            "/employment/verification/get",
            json!({"access_token": plain.access_token}),
        )
        .await;
    assert_eq!(
        code(none, "an item without payroll"),
        "INCOME_VERIFICATION_NOT_FOUND"
    );
}

scenarios! {
    older_income_verification(MockPlaid::builder().seed(84).build()) |fake| {
        older_api_scenario(fake).await
    }
}
