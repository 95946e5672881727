//! Beacon: users screened at creation and at each update, versions and
//! history, reviews that follow the user's reports, reports syndicated to
//! users who share identity data, duplicates within a program, and the
//! risk attributes of the accounts behind a user's items.

use crate::support::code;
use crate::support::scenarios;

use plaid_core::models::{BeaconReportCreateType, BeaconUserRequestData, BeaconUserStatus};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

const PROGRAM: &str = "becprg_11111111111111";

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

/// Identity data of a person: `n` makes every identifier distinct.
fn person(given: &str, n: u32) -> Value {
    json!({
        "name": {"given_name": given, "family_name": "Knope"},
        "date_of_birth": format!("1990-05-{:02}", n % 28 + 1),
        "address": {"street": format!("{n} Main St."), "city": "Pawnee", "region": "IN",
                    "postal_code": "46001", "country": "US"},
        "email_address": format!("{given}{n}@example.com"),
        "phone_number": format!("+1987654{n:04}"),
        "id_number": {"value": format!("12345{n:04}"), "type": "us_ssn"},
        "ip_address": "192.0.2.42",
    })
}

async fn user(client: &Client, program: &str, data: Value) -> Value {
    send(
        client,
        "/beacon/user/create",
        json!({"program_id": program, "client_user_id": "your-db-id", "user": data}),
    )
    .await
}

/// The `BEACON` webhook bodies the fake journaled, oldest first.
fn beacon_hooks(mock: &MockPlaid) -> Vec<Value> {
    mock.webhooks()
        .iter()
        .map(|d| serde_json::from_slice::<Value>(&d.body).unwrap())
        .filter(|b| b["webhook_type"] == "BEACON")
        .collect()
}

async fn a_user_is_made_cleared_and_get_answers_what_create_did(client: &Client) {
    let data: BeaconUserRequestData = serde_json::from_value(person("Leslie", 1)).unwrap();
    let made = client
        .beacon()
        .user()
        .create(PROGRAM)
        .client_user_id("your-db-id-1")
        .user(data)
        .await
        .expect("a Beacon user");
    assert!(made.id.starts_with("becusr_"), "{}", made.id);
    assert_eq!(made.version, Some(1));
    assert_eq!(made.status, BeaconUserStatus::Cleared);
    assert_eq!(made.program_id, PROGRAM);
    assert_eq!(made.client_user_id, "your-db-id-1");
    assert_eq!(made.user.name.given_name, "Leslie");
    assert_eq!(made.audit_trail.dashboard_user_id, None);
    assert!(made.item_ids.is_empty());
    let got = client.beacon().user().get(&made.id).await.expect("get");
    let (mut made, mut got) = (
        serde_json::to_value(&made).unwrap(),
        serde_json::to_value(&got).unwrap(),
    );
    made.as_object_mut().unwrap().remove("request_id");
    got.as_object_mut().unwrap().remove("request_id");
    assert_eq!(got, made);
    assert_eq!(made["audit_trail"]["source"], "api");
    assert_eq!(made["created_at"], made["updated_at"]);

    let unknown = client
        .send_raw(
            "/beacon/user/get",
            json!({"beacon_user_id": "becusr_42cF1MNo42r9Xj"}),
        )
        .await;
    assert_eq!(code(unknown, "the spec's sample user"), "INVALID_FIELD");
}

#[tokio::test]
async fn create_needs_a_birth_date_or_bank_accounts_besides_the_name() {
    let mock = MockPlaid::new();
    let client = mock.client();
    let name_only = client
        .send_raw(
            "/beacon/user/create",
            json!({"program_id": PROGRAM, "client_user_id": "u",
                   "user": {"name": {"given_name": "Ann", "family_name": "Perkins"}}}),
        )
        .await;
    assert_eq!(code(name_only, "a name only"), "INVALID_FIELD");
    let accounts_only = user(
        &client,
        PROGRAM,
        json!({"name": {"given_name": "Ann", "family_name": "Perkins"},
               "depository_accounts": [{"account_number": "1234567890", "routing_number": "021000021"}]}),
    )
    .await;
    // No birth date sent: the answer's schema has no null there, so the
    // answer keeps the fake's own date (see plaid_mock's `kit::conform`).
    assert!(
        accounts_only["user"]["date_of_birth"].is_string(),
        "{accounts_only}"
    );
    let account = &accounts_only["user"]["depository_accounts"][0];
    assert_eq!(account["account_mask"], "7890");
    assert_eq!(account["routing_number"], "021000021");
    assert_eq!(account["added_at"], accounts_only["created_at"]);
    assert_eq!(accounts_only["status"], "cleared");
}

async fn updates_and_reviews_make_versions_and_history_lists_them_newest_first(
    mock: &MockPlaid,
    client: &Client,
) {
    let made = user(client, PROGRAM, person("Ron", 2)).await;
    let id = made["id"].clone();
    mock.advance_clock(time::Duration::minutes(5));
    let updated = send(
        client,
        "/beacon/user/update",
        json!({"beacon_user_id": id, "user": {"email_address": "ron@example.com",
               "depository_accounts": [{"account_number": "000123", "routing_number": "011000015"}]}}),
    )
    .await;
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["user"]["email_address"], "ron@example.com");
    assert_eq!(updated["user"]["name"], made["user"]["name"], "kept");
    assert_eq!(
        updated["user"]["depository_accounts"][0]["account_mask"],
        "0123"
    );
    assert_eq!(updated["created_at"], made["created_at"]);
    assert_ne!(updated["updated_at"], made["updated_at"]);

    let reviewed = client
        .beacon()
        .user()
        .review(id.as_str().unwrap(), BeaconUserStatus::PendingReview)
        .await
        .expect("a review");
    assert_eq!(reviewed.version, Some(3));
    assert_eq!(reviewed.status, BeaconUserStatus::PendingReview);
    let again = send(
        client,
        "/beacon/user/review",
        json!({"beacon_user_id": id, "status": "pending_review"}),
    )
    .await;
    assert_eq!(again["version"], 3, "the same status changes nothing");
    let rejected = client
        .send_raw(
            "/beacon/user/review",
            json!({"beacon_user_id": id, "status": "rejected"}),
        )
        .await;
    assert_eq!(code(rejected, "rejected without a report"), "INVALID_FIELD");

    let history = send(
        client,
        "/beacon/user/history/list",
        json!({"beacon_user_id": id}),
    )
    .await;
    let versions: Vec<&Value> = history["beacon_users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["version"])
        .collect();
    assert_eq!(versions, [&json!(3), &json!(2), &json!(1)]);
    assert_eq!(history["beacon_users"][1], updated);
    assert_eq!(history["beacon_users"][2], made);
    assert_eq!(history["next_cursor"], Value::Null);

    // More versions than a page holds: the cursor pages through them.
    for n in 0..100 {
        send(
            client,
            "/beacon/user/update",
            json!({"beacon_user_id": id, "user": {"ip_address": format!("192.0.2.{n}")}}),
        )
        .await;
    }
    let first = send(
        client,
        "/beacon/user/history/list",
        json!({"beacon_user_id": id}),
    )
    .await;
    assert_eq!(first["beacon_users"].as_array().unwrap().len(), 100);
    assert_eq!(first["beacon_users"][0]["version"], 103);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let rest = send(
        client,
        "/beacon/user/history/list",
        json!({"beacon_user_id": id, "cursor": cursor}),
    )
    .await;
    assert_eq!(rest["beacon_users"].as_array().unwrap().len(), 3);
    assert_eq!(rest["beacon_users"][2], made);
    assert_eq!(rest["next_cursor"], Value::Null);
    let bad = client
        .send_raw(
            "/beacon/user/history/list",
            json!({"beacon_user_id": id, "cursor": "not-a-cursor"}),
        )
        .await;
    assert_eq!(code(bad, "a made-up cursor"), "INVALID_FIELD");
}

async fn a_report_is_syndicated_to_users_sharing_identity_data_and_rejects_new_ones(
    mock: &MockPlaid,
    client: &Client,
) {
    let reported = user(client, PROGRAM, person("Tom", 3)).await;
    let reported_id = reported["id"].as_str().unwrap().to_owned();
    // Made before the report, in another program, with Tom's email.
    let mut data = person("Thomas", 4);
    data["email_address"] = reported["user"]["email_address"].clone();
    let earlier = user(client, "becprg_other", data).await;
    assert_eq!(earlier["status"], "cleared");
    let stranger = user(client, PROGRAM, person("April", 5)).await;

    let report = client
        .beacon()
        .report()
        .create(&reported_id)
        .type_(BeaconReportCreateType::FirstParty)
        .fraud_date(time::macros::date!(2024 - 01 - 15))
        .await
        .expect("a report");
    assert!(report.id.starts_with("becrpt_"));
    let report = serde_json::to_value(&report).unwrap();
    assert_eq!(report["beacon_user_id"], reported_id.as_str());
    assert_eq!(report["type"], "first_party");
    assert_eq!(report["fraud_date"], "2024-01-15");
    assert_eq!(report["fraud_amount"], Value::Null);
    let got = send(
        client,
        "/beacon/report/get",
        json!({"beacon_report_id": report["id"]}),
    )
    .await;
    assert_eq!(json!(got["id"]), report["id"]);
    assert_eq!(got["event_date"], report["event_date"]);
    let listed = send(
        client,
        "/beacon/report/list",
        json!({"beacon_user_id": reported_id}),
    )
    .await;
    assert_eq!(listed["beacon_reports"], json!([got]));
    assert_eq!(listed["next_cursor"], Value::Null);
    let second = client
        .send_raw(
            "/beacon/report/create",
            json!({"beacon_user_id": reported_id, "type": "stolen", "fraud_date": "2024-01-16"}),
        )
        .await;
    assert_eq!(code(second, "a second active report"), "INVALID_FIELD");

    // The earlier user got the report syndicated, and keeps its status.
    let syndicated = send(
        client,
        "/beacon/report_syndication/list",
        json!({"beacon_user_id": earlier["id"]}),
    )
    .await;
    let syndications = syndicated["beacon_report_syndications"].as_array().unwrap();
    assert_eq!(syndications.len(), 1);
    let syndication = &syndications[0];
    assert!(syndication["id"].as_str().unwrap().starts_with("becrsn_"));
    assert_eq!(syndication["report"]["id"], report["id"]);
    assert_eq!(syndication["analysis"]["email_address"], "match");
    assert_eq!(syndication["analysis"]["id_number"], "no_match");
    let got = send(
        client,
        "/beacon/report_syndication/get",
        json!({"beacon_report_syndication_id": syndication["id"]}),
    )
    .await;
    assert_eq!(&got, syndication);
    let earlier_now = send(
        client,
        "/beacon/user/get",
        json!({"beacon_user_id": earlier["id"]}),
    )
    .await;
    assert_eq!(earlier_now["status"], "cleared");
    let none = send(
        client,
        "/beacon/report_syndication/list",
        json!({"beacon_user_id": stranger["id"]}),
    )
    .await;
    assert_eq!(none["beacon_report_syndications"], json!([]));

    // A new user with Tom's phone number is rejected at creation.
    let mut data = person("Tommy", 6);
    data["phone_number"] = reported["user"]["phone_number"].clone();
    let later = user(client, "becprg_third", data).await;
    assert_eq!(later["status"], "rejected");
    let later_syndications = send(
        client,
        "/beacon/report_syndication/list",
        json!({"beacon_user_id": later["id"]}),
    )
    .await;
    assert_eq!(
        later_syndications["beacon_report_syndications"][0]["analysis"]["phone_number"],
        "match"
    );
    // It has no report of its own: it can be cleared.
    let cleared = send(
        client,
        "/beacon/user/review",
        json!({"beacon_user_id": later["id"], "status": "cleared"}),
    )
    .await;
    assert_eq!(cleared["status"], "cleared");
    assert_eq!(cleared["version"], 2);

    // The reported user: rejected takes, cleared does not while reported.
    let rejected = send(
        client,
        "/beacon/user/review",
        json!({"beacon_user_id": reported_id, "status": "rejected"}),
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    let cleared = client
        .send_raw(
            "/beacon/user/review",
            json!({"beacon_user_id": reported_id, "status": "cleared"}),
        )
        .await;
    assert_eq!(code(cleared, "cleared with a report"), "INVALID_FIELD");

    let codes: Vec<Value> = beacon_hooks(mock)
        .iter()
        .map(|h| h["webhook_code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            "REPORT_CREATED",
            "REPORT_SYNDICATION_CREATED",
            "REPORT_SYNDICATION_CREATED",
            "USER_STATUS_UPDATED",
            "USER_STATUS_UPDATED",
        ]
    );
    let sample = "becrpt_11111111111111";
    for (path, body) in [
        ("/beacon/report/get", json!({"beacon_report_id": sample})),
        (
            "/beacon/report_syndication/get",
            json!({"beacon_report_syndication_id": sample}),
        ),
        (
            "/beacon/report/create",
            json!({"beacon_user_id": sample, "type": "stolen", "fraud_date": "2024-01-01"}),
        ),
        ("/beacon/report/list", json!({"beacon_user_id": sample})),
        (
            "/beacon/report_syndication/list",
            json!({"beacon_user_id": sample}),
        ),
    ] {
        let unknown = client.send_raw(path, body).await;
        assert_eq!(code(unknown, path), "INVALID_FIELD", "{path}");
    }
}

async fn users_sharing_identity_data_in_a_program_are_duplicates(
    mock: &MockPlaid,
    client: &Client,
) {
    let first = user(client, PROGRAM, person("Ben", 7)).await;
    let mut data = person("Benjamin", 8);
    data["id_number"] = first["user"]["id_number"].clone();
    let second = user(client, PROGRAM, data.clone()).await;
    assert_eq!(second["status"], "pending_review");
    assert_eq!(second["version"], 1);
    let hooks = beacon_hooks(mock);
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["webhook_code"], "DUPLICATE_DETECTED");
    let duplicate = send(
        client,
        "/beacon/duplicate/get",
        json!({"beacon_duplicate_id": hooks[0]["beacon_duplicate_id"]}),
    )
    .await;
    assert!(duplicate["id"].as_str().unwrap().starts_with("becdup_"));
    assert_eq!(
        duplicate["beacon_user1"],
        json!({"id": first["id"], "version": 1})
    );
    assert_eq!(
        duplicate["beacon_user2"],
        json!({"id": second["id"], "version": 1})
    );
    assert_eq!(duplicate["analysis"]["id_number"], "match");
    assert_eq!(duplicate["analysis"]["name"], "partial_match");
    assert_eq!(duplicate["analysis"]["email_address"], "no_match");
    assert_eq!(duplicate["analysis"]["ip_address"], "match");

    // Another program does not look at this one's users.
    let elsewhere = user(client, "becprg_other", data).await;
    assert_eq!(elsewhere["status"], "cleared");
    // An update that shares nothing new keeps the status; one that makes a
    // duplicate with a user of the program moves it.
    let third = user(client, PROGRAM, person("Chris", 9)).await;
    let kept = send(
        client,
        "/beacon/user/update",
        json!({"beacon_user_id": third["id"], "user": {"ip_address": "198.51.100.1"}}),
    )
    .await;
    assert_eq!(kept["status"], "cleared");
    let moved = send(
        client,
        "/beacon/user/update",
        json!({"beacon_user_id": third["id"], "user": {"email_address": first["user"]["email_address"]}}),
    )
    .await;
    assert_eq!(moved["status"], "pending_review");
    assert_eq!(moved["version"], 3);
    let unknown = client
        .send_raw(
            "/beacon/duplicate/get",
            json!({"beacon_duplicate_id": "becdup_11111111111111"}),
        )
        .await;
    assert_eq!(
        code(unknown, "the spec's sample duplicate"),
        "INVALID_FIELD"
    );
}

async fn account_insights_read_the_items_linked_to_the_user(mock: &MockPlaid, client: &Client) {
    let linked = crate::support::link(client, "ins_109508").await;
    let item_id = mock.item_id(&linked.access_token).unwrap();
    let made = send(
        client,
        "/beacon/user/create",
        json!({"program_id": PROGRAM, "client_user_id": "u", "user": person("Donna", 10),
               "access_tokens": [linked.access_token]}),
    )
    .await;
    assert_eq!(made["item_ids"], json!([item_id]));
    let insights = send(
        client,
        "/beacon/user/account_insights/get",
        json!({"beacon_user_id": made["id"], "access_token": linked.access_token}),
    )
    .await;
    assert_eq!(insights["beacon_user_id"], made["id"]);
    assert_eq!(
        insights["bank_account_insights"]["item_id"],
        item_id.as_str()
    );
    let accounts = insights["bank_account_insights"]["accounts"]
        .as_array()
        .unwrap();
    assert_eq!(accounts.len(), linked.account_ids.len());
    assert_eq!(accounts[0]["account_id"], linked.account_ids[0].as_str());
    assert_eq!(accounts[0]["type"], "depository");
    let attributes = &accounts[0]["attributes"];
    assert_eq!(attributes["total_plaid_connections_count"], 1);
    assert_eq!(attributes["days_since_first_plaid_connection"], 0);
    assert_eq!(attributes["is_account_closed"], false);

    // An item not linked to the user, then linked by an update.
    let other = crate::support::link(client, "ins_109508").await;
    let stranger = user(client, PROGRAM, person("Jerry", 11)).await;
    let refused = client
        .send_raw(
            "/beacon/user/account_insights/get",
            json!({"beacon_user_id": stranger["id"], "access_token": other.access_token}),
        )
        .await;
    assert_eq!(code(refused, "an item of no user"), "INVALID_FIELD");
    send(
        client,
        "/beacon/user/update",
        json!({"beacon_user_id": stranger["id"], "access_tokens": [other.access_token]}),
    )
    .await;
    let insights = send(
        client,
        "/beacon/user/account_insights/get",
        json!({"beacon_user_id": stranger["id"], "access_token": other.access_token}),
    )
    .await;
    // The same bank account was connected twice now.
    assert_eq!(
        insights["bank_account_insights"]["accounts"][0]["attributes"]
            ["total_plaid_connections_count"],
        2
    );
    let bad_token = client
        .send_raw(
            "/beacon/user/create",
            json!({"program_id": PROGRAM, "client_user_id": "u", "user": person("Gary", 12),
                   "access_tokens": ["access-sandbox-00000000-0000-0000-0000-000000000000"]}),
        )
        .await;
    assert_eq!(
        code(bad_token, "a token never issued"),
        "INVALID_ACCESS_TOKEN"
    );

    // Account risk evaluates the token's accounts, or the ones asked for.
    let risk = send(
        client,
        "/beacon/account_risk/v1/evaluate",
        json!({"access_token": linked.access_token,
               "options": {"account_ids": [linked.account_ids[1]]}}),
    )
    .await;
    assert_eq!(risk["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(
        risk["accounts"][0]["account_id"],
        linked.account_ids[1].as_str()
    );
    let no_token = client
        .send_raw("/beacon/account_risk/v1/evaluate", json!({}))
        .await;
    assert_eq!(code(no_token, "no access token"), "MISSING_FIELDS");
    let wrong_account = client
        .send_raw(
            "/beacon/account_risk/v1/evaluate",
            json!({"access_token": linked.access_token,
                   "options": {"account_ids": [other.account_ids[0]]}}),
        )
        .await;
    assert_eq!(
        code(wrong_account, "another item's account"),
        "INVALID_ACCOUNT_ID"
    );
}

async fn users_and_reports_keep_state(client: &Client) {
    let made = user(client, PROGRAM, person("Andy", 13)).await;
    let got = send(
        client,
        "/beacon/user/get",
        json!({"beacon_user_id": made["id"]}),
    )
    .await;
    assert_eq!(got, made);
    let report = send(
        client,
        "/beacon/report/create",
        json!({"beacon_user_id": made["id"], "type": "stolen", "fraud_date": "2024-02-01",
               "fraud_amount": {"iso_currency_code": "USD", "value": 12.5}}),
    )
    .await;
    assert_eq!(report["fraud_amount"]["value"], 12.5);
    let listed = send(
        client,
        "/beacon/report/list",
        json!({"beacon_user_id": made["id"]}),
    )
    .await;
    assert_eq!(listed["beacon_reports"], json!([report]));
    let rejected = send(
        client,
        "/beacon/user/review",
        json!({"beacon_user_id": made["id"], "status": "rejected"}),
    )
    .await;
    assert_eq!(rejected["version"], 2);
    let twin = user(client, PROGRAM, made["user"].clone()).await;
    assert_eq!(
        twin["status"], "rejected",
        "the same person as a reported user"
    );
    let unknown = client
        .send_raw(
            "/beacon/report/get",
            json!({"beacon_report_id": "becrpt_11111111111111"}),
        )
        .await;
    assert_eq!(code(unknown, "the spec's sample report"), "INVALID_FIELD");
}

scenarios! {
    a_user_is_made_cleared_and_get_answers_what_create_did(MockPlaid::builder().seed(41).build()) |fake| {
        a_user_is_made_cleared_and_get_answers_what_create_did(fake.client()).await
    }
    updates_and_reviews_make_versions_and_history_lists_them_newest_first(MockPlaid::builder().seed(42).build()) |fake| {
        updates_and_reviews_make_versions_and_history_lists_them_newest_first(&fake.mock, fake.client()).await
    }
    a_report_is_syndicated_to_users_sharing_identity_data_and_rejects_new_ones(MockPlaid::builder().seed(43).build()) |fake| {
        a_report_is_syndicated_to_users_sharing_identity_data_and_rejects_new_ones(&fake.mock, fake.client()).await
    }
    users_sharing_identity_data_in_a_program_are_duplicates(MockPlaid::builder().seed(44).build()) |fake| {
        users_sharing_identity_data_in_a_program_are_duplicates(&fake.mock, fake.client()).await
    }
    account_insights_read_the_items_linked_to_the_user(MockPlaid::builder().seed(45).build()) |fake| {
        account_insights_read_the_items_linked_to_the_user(&fake.mock, fake.client()).await
    }
    users_and_reports_keep_state(MockPlaid::builder().seed(46).build()) |fake| {
        users_and_reports_keep_state(fake.client()).await
    }
}
