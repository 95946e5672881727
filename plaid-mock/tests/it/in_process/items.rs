//! Institutions, an item's accounts and products, and a login reset.

use serde_json::{json, Value};
use std::collections::HashSet;

use super::{link, mock};

#[tokio::test]
async fn sandbox_institutions_can_be_listed_found_and_searched() {
    let client = mock(10).client();
    let page = client
        .institutions()
        .get(vec![plaid_core::models::CountryCode::Us])
        .count(3)
        .offset(0)
        .await
        .unwrap();
    assert_eq!(page.institutions.len(), 3);
    assert_eq!(
        page.total,
        Some(7),
        "seven sandbox institutions are in the US"
    );
    let one = client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap();
    assert_eq!(one.institution.name, "First Platypus Bank");
    let found = client
        .institutions()
        .search("platypus", vec![])
        .await
        .unwrap();
    let names: HashSet<String> = found.institutions.into_iter().map(|i| i.name).collect();
    assert!(
        names.contains("Flexible Platypus Open Banking") && names.len() == 4,
        "{names:?}"
    );
}

#[tokio::test]
async fn accounts_balances_auth_and_identity() {
    let client = mock(10).client();
    let (token, item_id) = link(&client).await;
    let accounts = client.accounts().get(&token).await.unwrap();
    assert_eq!(accounts.item.item_id, item_id);
    let checking = &accounts.accounts[0];
    assert_eq!(
        (checking.name.as_str(), checking.mask.as_deref()),
        ("Plaid Checking", Some("0000"))
    );
    assert_eq!(checking.balances.available, Some(100.0));
    assert_eq!(checking.balances.current, Some(110.0));
    let balances = client.accounts().balance().get(&token).await.unwrap();
    assert_eq!(balances.accounts.len(), accounts.accounts.len());
    let auth = client.auth().get(&token).await.unwrap();
    assert_eq!(auth.numbers.ach[0].account_id, checking.account_id);
    assert_eq!(auth.numbers.ach[0].routing, "011401533");
    let identity = client.identity().get(&token).await.unwrap();
    assert_eq!(
        identity.accounts[0].owners[0].names,
        ["Alberta Bobbeth Charleson"]
    );
}

#[tokio::test]
async fn the_item_in_accounts_answers_follows_its_changes() {
    let client = mock(10).client();
    let (token, _) = link(&client).await;
    let before = client.accounts().get(&token).await.unwrap();
    assert_eq!(before.item.webhook, None);
    let hook = "https://example.com/plaid-hook";
    client
        .item()
        .webhook()
        .update(&token)
        .webhook(hook)
        .await
        .unwrap();
    let after = client.accounts().balance().get(&token).await.unwrap();
    assert_eq!(after.item.webhook.as_deref(), Some(hook));
    assert_eq!(after.accounts, before.accounts);
    assert_ne!(after.request_id, before.request_id);
}

#[tokio::test]
async fn reset_login_breaks_product_calls_until_the_item_is_repaired() {
    let mock = mock(10);
    let client = mock.client();
    let (token, _) = link(&client).await;
    client.sandbox().item().reset_login(&token).await.unwrap();
    let err = client.accounts().get(&token).await.unwrap_err();
    assert!(
        err.is_item_error() && err.code() == Some("ITEM_LOGIN_REQUIRED"),
        "{err}"
    );
    let item = client.item().get(&token).await.unwrap();
    assert_eq!(
        item.item.error.as_ref().map(|e| e.error_code.as_str()),
        Some("ITEM_LOGIN_REQUIRED")
    );
    mock.repair_item(&token).unwrap();
    assert!(client.accounts().get(&token).await.is_ok());
    let codes: Vec<Value> = mock
        .webhooks()
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap()["webhook_code"].clone())
        .collect();
    assert_eq!(codes, [json!("ERROR"), json!("LOGIN_REPAIRED")]);
}
