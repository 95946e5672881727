//! Public, access, processor and link tokens: their shapes, lifetimes and what ends them.

use plaid_core::models::Products;
use plaid_core::ErrorType;
use serde_json::{json, Value};

use super::{code, link, mock};

#[tokio::test]
async fn tokens_have_plaids_shapes_and_a_public_token_works_once() {
    let mock = mock(10);
    let client = mock.client();
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth])
        .await
        .unwrap();
    assert!(created.public_token.starts_with("public-sandbox-"));
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    assert!(exchanged.access_token.starts_with("access-sandbox-"));
    assert_eq!(exchanged.item_id.len(), 37);
    let again = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap_err();
    assert_eq!(code(&again), "INVALID_PUBLIC_TOKEN");
    assert_eq!(again.error_type(), Some(&ErrorType::InvalidInput));
    assert_eq!(again.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn a_public_token_expires_after_30_minutes() {
    let mock = mock(10);
    let client = mock.client();
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth])
        .await
        .unwrap();
    mock.advance_clock(time::Duration::minutes(31));
    let err = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INVALID_PUBLIC_TOKEN");
}

#[tokio::test]
async fn a_removed_item_fails_with_item_not_found() {
    let client = mock(10).client();
    let (token, _) = link(&client).await;
    client.item().remove(&token).await.unwrap();
    let err = client.accounts().get(&token).await.unwrap_err();
    assert_eq!(code(&err), "ITEM_NOT_FOUND");
    assert!(err.is_item_error());
}

#[tokio::test]
async fn invalidating_an_access_token_rotates_it() {
    let client = mock(10).client();
    let (old, item_id) = link(&client).await;
    let rotated = client.item().access_token().invalidate(&old).await.unwrap();
    assert_ne!(rotated.new_access_token, old);
    assert_eq!(
        code(&client.item().get(&old).await.unwrap_err()),
        "INVALID_ACCESS_TOKEN"
    );
    let item = client.item().get(&rotated.new_access_token).await.unwrap();
    assert_eq!(item.item.item_id, item_id);
}

#[tokio::test]
async fn processor_and_stripe_tokens() {
    let client = mock(10).client();
    let (token, _) = link(&client).await;
    let accounts = client.accounts().get(&token).await.unwrap();
    let account_id = &accounts.accounts[0].account_id;
    let processor = client
        .processor()
        .token()
        .create(&token)
        .account_id(account_id)
        .processor(plaid_core::models::ProcessorTokenCreateRequestProcessor::Dwolla)
        .await
        .unwrap();
    assert!(processor.processor_token.starts_with("processor-sandbox-"));
    let stripe = client
        .processor()
        .stripe()
        .bank_account_token()
        .create(&token)
        .account_id(account_id)
        .await
        .unwrap();
    assert!(stripe.stripe_bank_account_token.starts_with("btok_"));
    let err = client
        .processor()
        .stripe()
        .bank_account_token()
        .create(&token)
        .account_id("not-an-account")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INVALID_ACCOUNT_ID");
}

#[tokio::test]
async fn link_tokens_expire_in_four_hours() {
    let mock = mock(10);
    let client = mock.client();
    let body = json!({"client_name": "Test", "language": "en", "country_codes": ["US"],
                      "user": {"client_user_id": "user-1"}, "products": ["transactions"]});
    let answer = client.send_raw("/link/token/create", body).await.unwrap();
    assert!(answer["link_token"]
        .as_str()
        .unwrap()
        .starts_with("link-sandbox-"));
    assert_eq!(answer["expiration"], "2024-06-30T16:00:00Z");
}

#[tokio::test]
async fn link_update_mode_repairs_an_item() {
    let mock = mock(10);
    let client = mock.client();
    let (token, _) = link(&client).await;
    client.sandbox().item().reset_login(&token).await.unwrap();
    // Update mode: a public token for the existing item, exchanged again.
    let update = client.item().public_token().create(&token).await.unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&update.public_token)
        .await
        .unwrap();
    assert_eq!(
        exchanged.access_token, token,
        "the item keeps its access token"
    );
    assert!(client.accounts().get(&token).await.is_ok());
    let last: Value = serde_json::from_slice(&mock.webhooks().last().unwrap().body).unwrap();
    assert_eq!(last["webhook_code"], "LOGIN_REPAIRED");
}
