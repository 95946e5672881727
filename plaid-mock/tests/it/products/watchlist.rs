//! Watchlist Screening: screenings keep what they were made with, listed
//! names give hits, reviews move hits and the screening's status, edits
//! are history.

use crate::support::code;
use crate::support::scenarios;

use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

/// The answer of `path`, without its `request_id` (so answers compare).
async fn send(client: &Client, path: &str, body: Value) -> Value {
    let mut answer = client
        .send_raw(path, body)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    answer
        .as_object_mut()
        .expect("an object")
        .remove("request_id");
    answer
}

async fn individual(client: &Client, name: &str, user: &str) -> Value {
    send(
        client,
        "/watchlist_screening/individual/create",
        json!({"search_terms": {"watchlist_program_id": "prg_2eRPsDnL66rZ7H", "legal_name": name,
                                "date_of_birth": "1990-05-29", "country": "US"},
               "client_user_id": user}),
    )
    .await
}

scenarios! {
    a_screening_is_what_it_was_made_with_and_get_and_list_agree(MockPlaid::builder().seed(31).build()) in_process |fake| {
        let client = fake.client().clone();
        let made = individual(&client, "Ada Lovelace", "user-ada").await;
        assert!(made["id"].as_str().unwrap().starts_with("scr_"));
        assert_eq!(made["search_terms"]["legal_name"], "Ada Lovelace");
        assert_eq!(made["search_terms"]["version"], 1);
        assert_eq!(made["client_user_id"], "user-ada");
        assert_eq!(made["status"], "cleared", "a name on no list gives no hit");
        let got = send(
            &client,
            "/watchlist_screening/individual/get",
            json!({"watchlist_screening_id": made["id"]}),
        )
        .await;
        assert_eq!(got, made);
        let other = individual(&client, "Grace Hopper", "user-grace").await;
        let listed = send(
            &client,
            "/watchlist_screening/individual/list",
            json!({"watchlist_program_id": "prg_2eRPsDnL66rZ7H"}),
        )
        .await;
        assert_eq!(listed["watchlist_screenings"], json!([other, made]));
        let filtered = send(
            &client,
            "/watchlist_screening/individual/list",
            json!({"watchlist_program_id": "prg_2eRPsDnL66rZ7H", "client_user_id": "user-ada"}),
        )
        .await;
        assert_eq!(filtered["watchlist_screenings"], json!([made]));
        let hits = send(
            &client,
            "/watchlist_screening/individual/hit/list",
            json!({"watchlist_screening_id": made["id"]}),
        )
        .await;
        assert_eq!(hits["watchlist_screening_hits"], json!([]));
    }
    a_listed_name_is_a_hit_and_reviews_decide_the_status(MockPlaid::builder().seed(32).build()) in_process |fake| {
        let client = fake.client().clone();
        let made = individual(&client, "aleksey potemkin", "u-1").await;
        assert_eq!(made["status"], "pending_review");
        let id = made["id"].clone();
        let hits = send(
            &client,
            "/watchlist_screening/individual/hit/list",
            json!({"watchlist_screening_id": id}),
        )
        .await["watchlist_screening_hits"]
            .clone();
        assert_eq!(hits.as_array().unwrap().len(), 1);
        assert_eq!(hits[0]["review_status"], "pending_review");
        let hit = hits[0]["id"].clone();

        let review = send(
            &client,
            "/watchlist_screening/individual/review/create",
            json!({"watchlist_screening_id": id, "confirmed_hits": [hit], "dismissed_hits": [],
                   "comment": "a true match"}),
        )
        .await;
        assert_eq!(review["confirmed_hits"], json!([hit]));
        assert_eq!(review["comment"], "a true match");
        let got = send(
            &client,
            "/watchlist_screening/individual/get",
            json!({"watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(got["status"], "rejected");
        let hits = send(
            &client,
            "/watchlist_screening/individual/hit/list",
            json!({"watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(
            hits["watchlist_screening_hits"][0]["review_status"],
            "confirmed"
        );
        let reviews = send(
            &client,
            "/watchlist_screening/individual/review/list",
            json!({"watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(reviews["watchlist_screening_reviews"], json!([review]));
        let history = send(
            &client,
            "/watchlist_screening/individual/history/list",
            json!({"watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(history["watchlist_screenings"].as_array().unwrap().len(), 1);
        assert_eq!(history["watchlist_screenings"][0]["status"], "rejected");

        let foreign = client
            .send_raw(
                "/watchlist_screening/individual/review/create",
                json!({"watchlist_screening_id": id, "confirmed_hits": ["scrhit_notreal"],
                       "dismissed_hits": []}),
            )
            .await;
        assert_eq!(code(foreign, "a hit of no screening"), "INVALID_FIELD");
    }
    dismissing_every_hit_clears_and_updates_are_history(MockPlaid::builder().seed(33).build()) in_process |fake| {
        let client = fake.client().clone();
        let made = individual(&client, "Aleksey Potemkin", "u-2").await;
        let id = made["id"].clone();
        let hit = send(
            &client,
            "/watchlist_screening/individual/hit/list",
            json!({"watchlist_screening_id": id}),
        )
        .await["watchlist_screening_hits"][0]["id"]
            .clone();
        send(
            &client,
            "/watchlist_screening/individual/review/create",
            json!({"watchlist_screening_id": id, "confirmed_hits": [], "dismissed_hits": [hit]}),
        )
        .await;
        let cleared = send(
            &client,
            "/watchlist_screening/individual/get",
            json!({"watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(cleared["status"], "cleared");

        let updated = send(
            &client,
            "/watchlist_screening/individual/update",
            json!({"watchlist_screening_id": id, "search_terms": {"legal_name": "Ada Lovelace"},
                   "client_user_id": "u-3"}),
        )
        .await;
        assert_eq!(updated["search_terms"]["legal_name"], "Ada Lovelace");
        assert_eq!(
            updated["search_terms"]["date_of_birth"], "1990-05-29",
            "terms not sent stay"
        );
        assert_eq!(updated["search_terms"]["version"], 2);
        assert_eq!(updated["client_user_id"], "u-3");
        let history = send(
            &client,
            "/watchlist_screening/individual/history/list",
            json!({"watchlist_screening_id": id}),
        )
        .await["watchlist_screenings"]
            .clone();
        assert_eq!(history[0], updated, "newest first");
        assert_eq!(history[1]["status"], "cleared");
        assert_eq!(history.as_array().unwrap().len(), 2);

        let both = client
            .send_raw(
                "/watchlist_screening/individual/update",
                json!({"watchlist_screening_id": id, "search_terms": {"legal_name": "X"},
                       "status": "cleared"}),
            )
            .await;
        assert_eq!(code(both, "terms and status together"), "INVALID_FIELD");
        let unknown = client
            .send_raw(
                "/watchlist_screening/individual/get",
                json!({"watchlist_screening_id": "scr_00000000000000"}),
            )
            .await;
        assert_eq!(code(unknown, "an unknown screening"), "INVALID_FIELD");
    }
    entity_screenings_have_their_own_ids_hits_and_reviews(MockPlaid::builder().seed(34).build()) in_process |fake| {
        let client = fake.client().clone();
        let made = send(
            &client,
            "/watchlist_screening/entity/create",
            json!({"search_terms": {"entity_watchlist_program_id": "entprg_2eRPsDnL66rZ7H",
                                    "legal_name": "Al-Qaida", "country": "US"},
                   "client_user_id": "biz-1"}),
        )
        .await;
        assert!(made["id"].as_str().unwrap().starts_with("entscr_"));
        assert_eq!(made["status"], "pending_review");
        assert_eq!(made["search_terms"]["url"], Value::Null);
        let id = made["id"].clone();
        let hits = send(
            &client,
            "/watchlist_screening/entity/hit/list",
            json!({"entity_watchlist_screening_id": id}),
        )
        .await["entity_watchlist_screening_hits"]
            .clone();
        let hit = hits[0]["id"].clone();
        assert!(hit.as_str().unwrap().starts_with("enthit_"));
        let review = send(
            &client,
            "/watchlist_screening/entity/review/create",
            json!({"entity_watchlist_screening_id": id, "confirmed_hits": [],
                   "dismissed_hits": [hit]}),
        )
        .await;
        assert!(review["id"].as_str().unwrap().starts_with("entrev_"));
        let got = send(
            &client,
            "/watchlist_screening/entity/get",
            json!({"entity_watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(got["status"], "cleared");
        // An entity id is not an individual screening.
        let crossed = client
            .send_raw(
                "/watchlist_screening/individual/get",
                json!({"watchlist_screening_id": id}),
            )
            .await;
        assert_eq!(
            code(crossed, "an entity id as an individual"),
            "INVALID_FIELD"
        );
        let listed = send(
            &client,
            "/watchlist_screening/entity/list",
            json!({"entity_watchlist_program_id": "entprg_2eRPsDnL66rZ7H", "status": "cleared"}),
        )
        .await;
        assert_eq!(listed["entity_watchlist_screenings"], json!([got]));
        // Reviews and history, as for individuals.
        let reviews = send(
            &client,
            "/watchlist_screening/entity/review/list",
            json!({"entity_watchlist_screening_id": id}),
        )
        .await;
        assert_eq!(reviews["entity_watchlist_screening_reviews"], json!([review]));
        let updated = send(
            &client,
            "/watchlist_screening/entity/update",
            json!({"entity_watchlist_screening_id": id, "client_user_id": "biz-2"}),
        )
        .await;
        assert_eq!(updated["client_user_id"], "biz-2");
        assert_eq!(updated["search_terms"]["legal_name"], "Al-Qaida", "terms not sent stay");
        let history = send(
            &client,
            "/watchlist_screening/entity/history/list",
            json!({"entity_watchlist_screening_id": id}),
        )
        .await["entity_watchlist_screenings"]
            .clone();
        assert_eq!(history[0], updated, "newest first");
        assert_eq!(history[1]["client_user_id"], "biz-1");
        assert_eq!(history.as_array().unwrap().len(), 2);
    }
}
