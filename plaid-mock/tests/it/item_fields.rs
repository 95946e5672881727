//! What `/item/get` and `/accounts/get` say about an item: the fields Plaid
//! always fills, from what the item was linked with and what happened to
//! it since (its status: when its data was pulled, its last webhook).

use plaid_mock::MockPlaid;
use serde_json::{json, Value};
use time::macros::datetime;

fn mock() -> MockPlaid {
    MockPlaid::builder()
        .seed(11)
        .now(datetime!(2024-06-30 12:00 UTC))
        .build()
}

/// The strings of a JSON array.
fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

#[tokio::test]
async fn an_item_names_its_institution_products_and_webhook() {
    let mock = mock();
    let client = mock.client();
    let (token, item_id) = mock
        .link_item_with_webhook(
            "ins_109508",
            &["transactions", "auth"],
            Some("https://example.com/hook"),
        )
        .expect("an item");
    let offered = client
        .send_raw(
            "/institutions/get_by_id",
            json!({"institution_id": "ins_109508", "country_codes": ["US"]}),
        )
        .await
        .expect("the institution");
    let offered = strings(&offered["institution"]["products"]);

    let got = client
        .send_raw("/item/get", json!({"access_token": token}))
        .await
        .expect("the item");
    let accounts = client
        .send_raw("/accounts/get", json!({"access_token": token}))
        .await
        .expect("the accounts");
    for (what, item) in [
        ("/item/get", &got["item"]),
        ("/accounts/get", &accounts["item"]),
    ] {
        assert_eq!(item["item_id"], json!(item_id), "{what}");
        assert_eq!(item["institution_id"], "ins_109508", "{what}");
        assert_eq!(item["institution_name"], "First Platypus Bank", "{what}");
        assert_eq!(item["webhook"], "https://example.com/hook", "{what}");
        assert_eq!(item["update_type"], "background", "{what}");
        assert_eq!(item["error"], Value::Null, "{what}");
        for field in ["products", "billed_products", "consented_products"] {
            assert_eq!(
                strings(&item[field]),
                ["transactions", "auth"],
                "{what} {field}"
            );
        }
        // What the bank offers and the item does not have yet.
        let available = strings(&item["available_products"]);
        let expected: Vec<&str> = offered
            .iter()
            .copied()
            .filter(|p| !["transactions", "auth"].contains(p))
            .collect();
        assert!(!expected.is_empty(), "{offered:?}");
        assert_eq!(available, expected, "{what}");
    }
    assert_eq!(got["item"]["created_at"], "2024-06-30T12:00:00Z");

    // Linked now, no webhook yet; transactions only, as the item has no
    // investments.
    let status = &got["status"];
    assert_eq!(
        status["transactions"],
        json!({"last_successful_update": "2024-06-30T12:00:00Z", "last_failed_update": null})
    );
    assert!(status.get("investments").is_none(), "{status}");
    assert_eq!(status["last_webhook"], Value::Null);
}

#[tokio::test]
async fn the_status_follows_refreshes_and_webhooks() {
    let mock = mock();
    let client = mock.client();
    let (token, _) = mock
        .link_item_with_webhook(
            "ins_109508",
            &["transactions", "investments"],
            Some("https://example.com/hook"),
        )
        .expect("an item");
    mock.advance_clock(time::Duration::hours(2));
    client
        .send_raw("/transactions/refresh", json!({"access_token": token}))
        .await
        .expect("refreshed");
    let got = client
        .send_raw("/item/get", json!({"access_token": token}))
        .await
        .expect("the item");
    let status = &got["status"];
    assert_eq!(
        status["transactions"]["last_successful_update"],
        "2024-06-30T14:00:00Z"
    );
    assert_eq!(
        status["investments"]["last_successful_update"],
        "2024-06-30T12:00:00Z"
    );
    assert_eq!(
        status["last_webhook"],
        json!({"sent_at": "2024-06-30T14:00:00Z", "code_sent": "SYNC_UPDATES_AVAILABLE"})
    );

    mock.advance_clock(time::Duration::minutes(5));
    client
        .send_raw(
            "/sandbox/item/fire_webhook",
            json!({"access_token": token, "webhook_code": "DEFAULT_UPDATE"}),
        )
        .await
        .expect("fired");
    let got = client
        .send_raw("/item/get", json!({"access_token": token}))
        .await
        .expect("the item");
    assert_eq!(
        got["status"]["last_webhook"],
        json!({"sent_at": "2024-06-30T14:05:00Z", "code_sent": "DEFAULT_UPDATE"})
    );
}

/// With no webhook URL nothing is sent, so no last webhook is reported.
#[tokio::test]
async fn an_item_without_a_webhook_has_no_last_webhook() {
    let mock = mock();
    let client = mock.client();
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .expect("an item");
    client
        .send_raw("/transactions/refresh", json!({"access_token": token}))
        .await
        .expect("refreshed");
    let got = client
        .send_raw("/item/get", json!({"access_token": token}))
        .await
        .expect("the item");
    assert_eq!(got["item"]["webhook"], Value::Null);
    assert_eq!(got["status"]["last_webhook"], Value::Null);
    assert!(
        got["status"]["transactions"].is_object(),
        "{}",
        got["status"]
    );
}
