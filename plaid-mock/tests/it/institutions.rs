//! Institutions: the ten sandbox-only ones keep Plaid's documented facts;
//! any other well-formed id is a plausible institution of Plaid's wider
//! directory, the same every time; a malformed id is `INVALID_INSTITUTION`.

use crate::support::code;
use plaid_core::models::Products;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn by_id(client: &plaid_core::Client, id: &str, metadata: bool) -> Value {
    client
        .send_raw(
            "/institutions/get_by_id",
            json!({"institution_id": id, "country_codes": ["US", "CA", "GB"],
                   "options": {"include_optional_metadata": metadata}}),
        )
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))["institution"]
        .clone()
}

#[tokio::test]
async fn sandbox_institutions_keep_their_documented_facts() {
    let client = MockPlaid::new().client();
    for (id, name, country, oauth) in [
        ("ins_109508", "First Platypus Bank", "US", false),
        ("ins_43", "Tartan-Dominion Bank of Canada", "CA", false),
        ("ins_117650", "Royal Bank of Plaid", "GB", true),
        ("ins_127287", "Platypus OAuth Bank", "US", true),
    ] {
        let institution = by_id(&client, id, false).await;
        assert_eq!(institution["name"], name);
        assert_eq!(institution["country_codes"], json!([country]));
        assert_eq!(institution["oauth"], oauth);
    }
}

#[tokio::test]
async fn optional_metadata_is_present_only_when_asked_for() {
    let client = MockPlaid::new().client();
    let plain = by_id(&client, "ins_109508", false).await;
    for field in ["url", "logo", "primary_color"] {
        assert!(plain.get(field).is_none(), "{field} absent: {plain}");
    }
    let rich = by_id(&client, "ins_109508", true).await;
    assert!(rich["url"].as_str().unwrap().starts_with("https://"));
    assert!(rich["logo"].as_str().is_some_and(|l| !l.is_empty()));
    let color = rich["primary_color"].as_str().unwrap();
    assert!(color.len() == 7 && color.starts_with('#'), "{color}");
    let searched = client
        .send_raw(
            "/institutions/search",
            json!({"query": "Platypus", "country_codes": ["US"], "products": null,
                   "options": {"include_optional_metadata": true}}),
        )
        .await
        .unwrap();
    assert!(searched["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["logo"].is_string()));
    let listed = client
        .send_raw(
            "/institutions/get",
            json!({"count": 10, "offset": 0, "country_codes": ["US"]}),
        )
        .await
        .unwrap();
    assert!(listed["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i.get("logo").is_none()));
}

#[tokio::test]
async fn other_well_formed_ids_are_stable_plausible_institutions() {
    let client = MockPlaid::new().client();
    let chase_like = by_id(&client, "ins_56", true).await;
    assert_eq!(chase_like["institution_id"], "ins_56");
    let name = chase_like["name"].as_str().unwrap();
    assert!(name.split(' ').count() >= 3, "{name}");
    assert_eq!(
        by_id(&client, "ins_56", true).await,
        chase_like,
        "the same every time"
    );
    let other_client = MockPlaid::builder().seed(99).build().client();
    assert_eq!(
        by_id(&other_client, "ins_56", true).await,
        chase_like,
        "whatever the seed"
    );
    // Across many ids: valid routing numbers for US ones, products, countries.
    let mut names = std::collections::HashSet::new();
    for n in 1..60 {
        let id = format!("ins_{}", 1000 + n * 37);
        let institution = by_id(&client, &id, false).await;
        names.insert(institution["name"].as_str().unwrap().to_owned());
        assert!(!institution["products"].as_array().unwrap().is_empty());
        let countries = institution["country_codes"].as_array().unwrap();
        assert_eq!(countries.len(), 1);
        for routing in institution["routing_numbers"].as_array().unwrap() {
            let digits: Vec<u32> = routing
                .as_str()
                .unwrap()
                .chars()
                .map(|c| c.to_digit(10).unwrap())
                .collect();
            assert_eq!(digits.len(), 9);
            let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
            let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
            assert_eq!(sum % 10, 0, "ABA check digit of {routing}");
        }
        if countries[0] == "US" {
            assert!(!institution["routing_numbers"]
                .as_array()
                .unwrap()
                .is_empty());
        }
    }
    assert!(names.len() > 30, "names vary: {names:?}");
}

#[tokio::test]
async fn items_link_at_directory_institutions_and_malformed_ids_fail() {
    let client = MockPlaid::new().client();
    let created = client
        .sandbox()
        .public_token()
        .create("ins_3", vec![Products::Transactions])
        .await
        .expect("an institution outside the ten sandbox ones links");
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    let item = client
        .send_raw("/item/get", json!({"access_token": exchanged.access_token}))
        .await
        .unwrap();
    assert_eq!(item["item"]["institution_id"], "ins_3");
    let name = by_id(&client, "ins_3", false).await["name"].clone();
    assert_eq!(item["item"]["institution_name"], name);

    for bad in ["ins_", "ins_12a", "bank_1", "INS_5", "ins_-1", ""] {
        let answer = client
            .send_raw(
                "/sandbox/public_token/create",
                json!({"institution_id": bad, "initial_products": ["transactions"]}),
            )
            .await;
        assert_eq!(code(answer, bad), "INVALID_INSTITUTION", "{bad:?}");
        let answer = client
            .send_raw(
                "/institutions/get_by_id",
                json!({"institution_id": bad, "country_codes": ["US"]}),
            )
            .await;
        assert_eq!(code(answer, bad), "INVALID_INSTITUTION", "{bad:?}");
    }
    let elsewhere = client
        .send_raw(
            "/institutions/get_by_id",
            json!({"institution_id": "ins_117650", "country_codes": ["US"]}),
        )
        .await;
    assert_eq!(
        code(elsewhere, "a UK bank asked for in the US"),
        "INVALID_INSTITUTION"
    );
}
