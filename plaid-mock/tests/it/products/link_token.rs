//! Link tokens: what `/link/token/create` was given, `/link/token/get`
//! gives back, until the token expires after four hours.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_mock::MockPlaid;
use serde_json::json;

scenarios! {
    a_link_token_reads_back_what_it_was_made_with(MockPlaid::builder().seed(3).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let created = client
            .send_raw(
                "/link/token/create",
                json!({"client_name": "Acme Budget", "language": "fr", "country_codes": ["FR", "GB"],
                       "user": {"client_user_id": "user-42"}, "products": ["auth", "transactions"],
                       "webhook": "https://acme.example/hook", "redirect_uri": "https://acme.example/oauth",
                       "account_filters": {"depository": {"account_subtypes": ["checking"]}}}),
            )
            .await
            .unwrap();
        let token = created["link_token"].as_str().unwrap();
        assert!(token.starts_with("link-sandbox-"), "{token}");

        let got = client
            .send_raw("/link/token/get", json!({"link_token": token}))
            .await
            .unwrap();
        assert_eq!(got["link_token"], token);
        assert_eq!(got["expiration"], created["expiration"]);
        let created_at = time::OffsetDateTime::parse(
            got["created_at"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let expiration = time::OffsetDateTime::parse(
            got["expiration"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(expiration - created_at, time::Duration::hours(4));
        assert_eq!(created_at, mock.now().replace_nanosecond(0).unwrap());
        let metadata = &got["metadata"];
        assert_eq!(
            metadata["initial_products"],
            json!(["auth", "transactions"])
        );
        assert_eq!(metadata["webhook"], "https://acme.example/hook");
        assert_eq!(metadata["country_codes"], json!(["FR", "GB"]));
        assert_eq!(metadata["language"], "fr");
        assert_eq!(metadata["client_name"], "Acme Budget");
        assert_eq!(metadata["redirect_uri"], "https://acme.example/oauth");
        assert_eq!(
            metadata["account_filters"],
            json!({"depository": {"account_subtypes": ["checking"]}})
        );
        assert_eq!(got["link_sessions"], json!([]));

        let minimal = client
            .send_raw(
                "/link/token/create",
                json!({"client_name": "Min", "language": "en", "country_codes": ["US"],
                       "user": {"client_user_id": "u"}}),
            )
            .await
            .unwrap();
        assert_ne!(minimal["link_token"], created["link_token"]);
        let got = client
            .send_raw(
                "/link/token/get",
                json!({"link_token": minimal["link_token"]}),
            )
            .await
            .unwrap();
        assert_eq!(got["metadata"]["webhook"], json!(null));
        assert_eq!(got["metadata"]["initial_products"], json!([]));
        assert!(got["metadata"].get("account_filters").is_none());
    }
    unknown_and_expired_link_tokens_are_invalid(MockPlaid::builder().seed(4).build()) in_process |fake| {
        let mock = fake.mock.clone();
        let client = fake.client().clone();
        let unknown = client
            .send_raw(
                "/link/token/get",
                json!({"link_token": "link-sandbox-nope"}),
            )
            .await;
        assert_eq!(code(unknown, "unknown token"), "INVALID_LINK_TOKEN");

        let created = client
            .send_raw(
                "/link/token/create",
                json!({"client_name": "A", "language": "en", "country_codes": ["US"],
                       "user": {"client_user_id": "u"}}),
            )
            .await
            .unwrap();
        let token = created["link_token"].clone();
        mock.advance_clock(time::Duration::hours(4) - time::Duration::seconds(1));
        client
            .send_raw("/link/token/get", json!({"link_token": token}))
            .await
            .expect("still alive one second before four hours");
        mock.advance_clock(time::Duration::seconds(1));
        let expired = client
            .send_raw("/link/token/get", json!({"link_token": token}))
            .await;
        assert_eq!(code(expired, "expired token"), "INVALID_LINK_TOKEN");
    }
    update_mode_needs_a_working_access_token(MockPlaid::builder().seed(5).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let body = |token: &str| {
            json!({"client_name": "A", "language": "en", "country_codes": ["US"],
                   "user": {"client_user_id": "u"}, "access_token": token})
        };
        client
            .send_raw("/link/token/create", body(&linked.access_token))
            .await
            .expect("update mode for a linked item");
        client
            .send_raw("/item/remove", json!({"access_token": linked.access_token}))
            .await
            .unwrap();
        let removed = client
            .send_raw("/link/token/create", body(&linked.access_token))
            .await;
        assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
    }
}
