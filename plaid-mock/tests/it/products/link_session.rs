//! Finishing Link on a link token (`MockPlaid::complete_link`,
//! `POST /_mock/link/complete`): the item it links, the session
//! `/link/token/get` and `/credit/sessions/get` show; in process and over
//! HTTP.

use crate::support::code;
use crate::support::{scenarios, Fake};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn link_token(client: &Client, extra: Value) -> String {
    let mut body = json!({"client_name": "Acme Lending", "language": "en", "country_codes": ["US"],
                          "user": {"client_user_id": "borrower-1"}});
    for (k, v) in extra.as_object().expect("an object") {
        body[k] = v.clone();
    }
    let created = client
        .send_raw("/link/token/create", body)
        .await
        .expect("a link token");
    created["link_token"].as_str().expect("a token").to_owned()
}

async fn scenario(fake: &Fake) {
    let (client, finish) = (fake.client(), fake);
    let user = client
        .send_raw("/user/create", json!({"client_user_id": "borrower-1"}))
        .await
        .expect("a user");
    let user_token = user["user_token"].as_str().unwrap().to_owned();

    // A payroll Link session for the user.
    let token = link_token(
        client,
        json!({"user_token": user_token, "products": ["income_verification"],
               "webhook": "https://lender.example/hook",
               "income_verification": {"income_source_types": ["payroll"]}}),
    )
    .await;
    let before = client
        .send_raw("/link/token/get", json!({"link_token": token}))
        .await
        .expect("the token");
    assert_eq!(
        before["link_sessions"],
        json!([]),
        "no session before Link is done"
    );

    let done = finish
        .complete_link(&token, None)
        .await
        .expect("Link finished");
    let public_token = done["public_token"].as_str().expect("a public token");
    assert!(
        public_token.starts_with("public-sandbox-"),
        "{public_token}"
    );
    let session_id = done["link_session_id"].as_str().expect("a session id");

    let got = client
        .send_raw("/link/token/get", json!({"link_token": token}))
        .await
        .expect("the token");
    let sessions = got["link_sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session["link_session_id"], session_id);
    let added = &session["results"]["item_add_results"][0];
    assert_eq!(added["public_token"], public_token);
    assert_eq!(added["institution"]["institution_id"], "ins_109508");
    assert_eq!(added["institution"]["name"], "First Platypus Bank");
    assert_eq!(added["accounts"][0]["name"], "Plaid Checking");
    assert_eq!(
        session["results"]["payroll_income_results"][0]["num_paystubs_retrieved"],
        2
    );
    assert_eq!(session["results"]["bank_income_results"], json!([]));

    let credit = client
        .send_raw("/credit/sessions/get", json!({"user_token": user_token}))
        .await
        .expect("credit sessions");
    assert_eq!(credit["sessions"].as_array().unwrap().len(), 1);
    let first = &credit["sessions"][0];
    assert_eq!(first["link_session_id"], session_id);
    assert_eq!(
        first["results"]["item_add_results"][0]["item_id"],
        done["item_id"]
    );
    assert_eq!(
        first["results"]["payroll_income_results"][0]["num_w2s_retrieved"],
        1
    );
    assert!(
        first["results"].get("bank_income_results").is_none(),
        "{first}"
    );

    // The public token works as after Link, and the item is the user's.
    let exchanged = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": public_token}),
        )
        .await
        .expect("exchanged");
    assert_eq!(exchanged["item_id"], done["item_id"]);
    let item = client
        .send_raw(
            "/item/get",
            json!({"access_token": exchanged["access_token"]}),
        )
        .await
        .expect("the item");
    assert_eq!(item["item"]["webhook"], "https://lender.example/hook");
    let items = client
        .send_raw("/user/items/get", json!({"user_token": user_token}))
        .await
        .expect("the user's items");
    assert_eq!(items["items"][0]["item_id"], done["item_id"]);

    // A Bank Income session at another institution.
    let token = link_token(
        client,
        json!({"user_token": user_token, "products": ["income_verification"],
               "income_verification": {"income_source_types": ["bank"],
                                       "bank_income": {"days_requested": 60}}}),
    )
    .await;
    let done = finish
        .complete_link(&token, Some("ins_109511"))
        .await
        .expect("Link finished");
    let credit = client
        .send_raw("/credit/sessions/get", json!({"user_token": user_token}))
        .await
        .expect("credit sessions");
    let newest = &credit["sessions"][0];
    assert_eq!(credit["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(newest["link_session_id"], done["link_session_id"]);
    assert_eq!(
        newest["results"]["bank_income_results"][0]["status"],
        "APPROVED"
    );
    assert_eq!(
        newest["results"]["bank_income_results"][0]["institution_id"],
        "ins_109511"
    );
    let income = client
        .send_raw("/credit/bank_income/get", json!({"user_token": user_token}))
        .await
        .expect("bank income");
    assert_eq!(income["bank_income"][0]["days_requested"], 60);

    // A token without a user links an item but records no credit session.
    let token = link_token(client, json!({"products": ["auth"]})).await;
    let done = finish
        .complete_link(&token, None)
        .await
        .expect("Link finished");
    let got = client
        .send_raw("/link/token/get", json!({"link_token": token}))
        .await
        .expect("the token");
    assert_eq!(
        got["link_sessions"][0]["link_session_id"],
        done["link_session_id"]
    );
    let credit = client
        .send_raw("/credit/sessions/get", json!({"user_token": user_token}))
        .await
        .expect("credit sessions");
    assert_eq!(credit["sessions"].as_array().unwrap().len(), 2);

    // Tokens Link cannot finish on.
    assert_eq!(
        finish
            .complete_link("link-sandbox-00000000-0000-4000-8000-000000000000", None)
            .await,
        Err("INVALID_LINK_TOKEN".to_owned())
    );
    assert_eq!(
        finish
            .complete_link(&token, Some("not-an-institution"))
            .await,
        Err("INVALID_INSTITUTION".to_owned())
    );
    client
        .send_raw("/user/remove", json!({"user_token": user_token}))
        .await
        .expect("removed");
    let token_of_removed = link_token(
        client,
        json!({"products": ["auth"], "user_token": user_token}),
    )
    .await;
    let gone = finish.complete_link(&token_of_removed, None).await;
    assert_eq!(gone, Err("INVALID_FIELD".to_owned()));
    let refused = client
        .send_raw("/credit/sessions/get", json!({"user_token": user_token}))
        .await;
    assert_eq!(code(refused, "a removed user"), "INVALID_FIELD");
}

scenarios! {
    link_sessions(MockPlaid::builder().seed(71).build()) |fake| {
        scenario(fake).await
    }
    an_expired_link_token_cannot_be_finished(MockPlaid::builder().seed(72).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let token = link_token(&client, json!({"products": ["auth"]})).await;
        mock.advance_clock(time::Duration::hours(5));
        let late = mock.complete_link(&token, None).expect_err("expired");
        assert_eq!(late.error.error_code, "INVALID_LINK_TOKEN");
    }
}
