//! Identity Match scores the request's `user` against the owners
//! `/identity/get` gives for each account: the same values score 100, other
//! values score low, a field not sent gets no score, `options.account_ids`
//! limits the accounts, and the processor endpoint scores its account.

use crate::support;
use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

/// The first owner of the item's first account, as `/identity/get` has it.
async fn owner(client: &Client, access_token: &str) -> Value {
    let identity = client
        .send_raw("/identity/get", json!({ "access_token": access_token }))
        .await
        .expect("identity");
    identity["accounts"][0]["owners"][0].clone()
}

async fn matched(client: &Client, access_token: &str, user: Value) -> Value {
    client
        .send_raw(
            "/identity/match",
            json!({"access_token": access_token, "user": user}),
        )
        .await
        .expect("a match")
}

async fn scenario(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let owner = owner(client, &linked.access_token).await;
    let name = owner["names"][0].as_str().expect("a name").to_owned();
    let address = owner["addresses"][0]["data"].clone();
    let same = json!({
        "legal_name": name,
        "phone_number": owner["phone_numbers"][0]["data"],
        "email_address": owner["emails"][0]["data"],
        "address": address,
    });
    let answer = matched(client, &linked.access_token, same).await;
    let accounts = answer["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), linked.account_ids.len());
    for account in accounts {
        assert_eq!(account["legal_name"]["score"], 100, "{account}");
        assert_eq!(
            account["legal_name"]["is_first_name_or_last_name_match"],
            true
        );
        assert_eq!(account["legal_name"]["is_nickname_match"], false);
        assert_eq!(account["phone_number"]["score"], 100);
        assert_eq!(account["email_address"]["score"], 100);
        assert_eq!(account["address"]["score"], 100);
        assert_eq!(account["address"]["is_postal_code_match"], true);
        assert!(account.get("owners").is_none(), "no owners in a match");
    }
    assert!(answer["item"]["item_id"].is_string());

    // A stranger: every score low, no name in common.
    let stranger = json!({
        "legal_name": "Zed Quimby",
        "phone_number": "+14155550000",
        "email_address": "zed.quimby@elsewhere.test",
        "address": {"street": "1 Infinite Loop", "city": "Cupertino", "region": "CA",
                    "postal_code": "95014", "country": "US"},
    });
    let answer = matched(client, &linked.access_token, stranger.clone()).await;
    let first = &answer["accounts"][0];
    for field in ["legal_name", "phone_number", "email_address", "address"] {
        let score = first[field]["score"].as_i64().expect("a score");
        assert!(score < 70, "{field} of a stranger scored {score}");
    }
    assert_eq!(
        first["legal_name"]["is_first_name_or_last_name_match"],
        false
    );
    assert_eq!(first["address"]["is_postal_code_match"], false);
    // The same request, the same scores.
    let again = matched(client, &linked.access_token, stranger).await;
    assert_eq!(again["accounts"], answer["accounts"]);

    // The same first and last name, the middle name left out: a strong
    // match, short of perfect; a family member shares one name only.
    let words: Vec<&str> = name.split_whitespace().collect();
    let (given, family) = (words[0], words[words.len() - 1]);
    let short = matched(
        client,
        &linked.access_token,
        json!({ "legal_name": format!("{given} {family}") }),
    )
    .await;
    let score = short["accounts"][0]["legal_name"]["score"]
        .as_i64()
        .unwrap();
    assert!((85..100).contains(&score), "first and last scored {score}");
    let relative = matched(
        client,
        &linked.access_token,
        json!({ "legal_name": format!("Gordon {family}") }),
    )
    .await;
    let relative = &relative["accounts"][0]["legal_name"];
    assert!(relative["score"].as_i64().unwrap() < 70, "{relative}");
    assert_eq!(relative["is_first_name_or_last_name_match"], true);

    // A short form of the given name with the family name: a nickname
    // match, still strong; a business name is flagged.
    let nickname = matched(
        client,
        &linked.access_token,
        json!({ "legal_name": format!("Bert {family}") }),
    )
    .await;
    let nickname = &nickname["accounts"][0]["legal_name"];
    assert_eq!(nickname["is_nickname_match"], true, "{nickname}");
    assert!(nickname["score"].as_i64().unwrap() >= 85, "{nickname}");
    let business = matched(
        client,
        &linked.access_token,
        json!({ "legal_name": format!("{family} Holdings LLC") }),
    )
    .await;
    assert_eq!(
        business["accounts"][0]["legal_name"]["is_business_name_detected"],
        true
    );

    // Only the name was sent: only the name is scored.
    let only_name = &short["accounts"][0];
    for absent in ["phone_number", "email_address", "address"] {
        assert!(only_name.get(absent).is_none(), "{absent} was not sent");
    }

    // A `+` extension of the same mailbox is a partial match.
    let email = owner["emails"][0]["data"].as_str().unwrap();
    let (local, domain) = email.split_once('@').unwrap();
    let tagged = matched(
        client,
        &linked.access_token,
        json!({ "email_address": format!("{local}+bank@{domain}") }),
    )
    .await;
    let score = tagged["accounts"][0]["email_address"]["score"]
        .as_i64()
        .unwrap();
    assert!((70..100).contains(&score), "a tagged email scored {score}");

    // options.account_ids: those accounts only; an unknown id is refused.
    let saving = &linked.account_ids[1];
    let one = client
        .send_raw(
            "/identity/match",
            json!({"access_token": linked.access_token, "user": {"legal_name": name},
                   "options": {"account_ids": [saving]}}),
        )
        .await
        .expect("one account");
    let ids: Vec<&str> = one["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [saving.as_str()]);
    let unknown = client
        .send_raw(
            "/identity/match",
            json!({"access_token": linked.access_token, "user": {"legal_name": name},
                   "options": {"account_ids": ["nope"]}}),
        )
        .await;
    assert_eq!(code(unknown, "unknown account"), "INVALID_ACCOUNT_ID");

    // The processor endpoint scores the token's account.
    let processor_token = support::processor_token(client, &linked.access_token, saving).await;
    let partner = client
        .send_raw(
            "/processor/identity/match",
            json!({"processor_token": processor_token, "user": {"legal_name": name}}),
        )
        .await
        .expect("a partner match");
    assert_eq!(partner["account"]["account_id"], saving.as_str());
    assert_eq!(partner["account"]["legal_name"]["score"], 100);

    client
        .send_raw("/item/remove", json!({"access_token": linked.access_token}))
        .await
        .expect("removed");
    let removed = client
        .send_raw(
            "/identity/match",
            json!({"access_token": linked.access_token, "user": {"legal_name": name}}),
        )
        .await;
    assert_eq!(code(removed, "removed item"), "ITEM_NOT_FOUND");
}

scenarios! {
    identity_match_scores_the_user_against_the_owners(MockPlaid::builder().seed(61).build()) |fake| {
        scenario(fake.client()).await
    }
}
