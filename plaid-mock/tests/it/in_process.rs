//! The fake Plaid in-process, through the public `Client`: each sandbox
//! behaviour it models.

use std::collections::HashSet;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use plaid_core::models::{Products, SandboxItemFireWebhookRequestWebhookCode};
use plaid_core::{Client, Error, ErrorType, RetryPolicy};
use plaid_mock::{ErrorAnswer, MockPlaid};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::macros::datetime;

fn mock(transactions: usize) -> MockPlaid {
    MockPlaid::builder()
        .seed(7)
        .transactions_per_item(transactions)
        .now(datetime!(2024-06-30 12:00 UTC))
        .build()
}

/// Creates a sandbox item and exchanges its public token.
async fn link(client: &Client) -> (String, String) {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    (exchanged.access_token, exchanged.item_id)
}

fn code(err: &Error) -> &str {
    err.code().unwrap_or("<not a Plaid error>")
}

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
async fn wrong_credentials_are_rejected_and_categories_need_none() {
    let mock = mock(10);
    let wrong = Client::builder()
        .credentials(mock.client_id(), "not-the-secret")
        .transport(mock.clone())
        .build()
        .unwrap();
    let err = wrong.item().get("access-sandbox-x").await.unwrap_err();
    assert_eq!(code(&err), "INVALID_API_KEYS");
    let anonymous = Client::builder().transport(mock.clone()).build().unwrap();
    #[allow(deprecated)]
    let categories = anonymous.categories().get().await.unwrap();
    assert!(!categories.request_id.is_empty());
}

#[tokio::test]
async fn requests_are_checked_against_the_spec() {
    let client = mock(10).client();
    let missing = client.send_raw("/item/get", json!({})).await.unwrap_err();
    assert_eq!(code(&missing), "MISSING_FIELDS");
    assert!(missing.is_invalid_request());
    let unknown = client
        .send_raw("/item/get", json!({"access_token": "a", "colour": "blue"}))
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "UNKNOWN_FIELDS");
    let wrong_type = client
        .send_raw("/item/get", json!({"access_token": 5}))
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_type), "INVALID_FIELD");
    let nowhere = client
        .send_raw("/no/such/operation", json!({}))
        .await
        .unwrap_err();
    assert_eq!(nowhere.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_plaid_version_header_is_honoured() {
    let mock = mock(10);
    let old = mock
        .client_builder()
        .api_version("2019-05-29")
        .build()
        .unwrap();
    assert!(old
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .is_ok());
    let bogus = mock
        .client_builder()
        .api_version("1999-01-01")
        .build()
        .unwrap();
    let err = bogus
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INVALID_HEADERS");
    let versions: Vec<String> = mock
        .requests()
        .iter()
        .filter_map(|r| {
            r.headers
                .iter()
                .find(|(n, _)| n == "plaid-version")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(versions, ["2019-05-29", "1999-01-01"]);
}

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

#[tokio::test]
async fn transactions_page_with_count_and_offset_and_each_appears_once() {
    let client = mock(1234).client();
    let (token, _) = link(&client).await;
    let start = time::macros::date!(2020 - 01 - 01);
    let end = time::macros::date!(2024 - 06 - 30);
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let page = client
            .transactions()
            .get(&token)
            .start_date(start)
            .end_date(end)
            .count(500)
            .offset(seen.len() as i64)
            .await
            .unwrap();
        assert!(page.transactions.len() <= 500);
        total = total.or(page.total_transactions);
        if page.transactions.is_empty() {
            break;
        }
        seen.extend(page.transactions.into_iter().map(|t| t.transaction_id));
    }
    assert_eq!(total, Some(1234));
    assert_eq!(seen.len(), 1234);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        1234,
        "a transaction came twice"
    );
    let too_many = client
        .transactions()
        .get(&token)
        .start_date(start)
        .end_date(end)
        .count(501)
        .await
        .unwrap_err();
    assert_eq!(code(&too_many), "INVALID_FIELD");
}

#[tokio::test]
async fn product_not_ready_when_the_test_asks_for_it() {
    let mock = mock(10);
    let client = mock.client();
    let (token, _) = link(&client).await;
    mock.set_transactions_ready(&token, false).unwrap();
    let day = time::macros::date!(2024 - 06 - 01);
    let err = client
        .transactions()
        .get(&token)
        .start_date(day)
        .end_date(day)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "PRODUCT_NOT_READY");
    mock.set_transactions_ready(&token, true).unwrap();
    assert!(client
        .transactions()
        .get(&token)
        .start_date(day)
        .end_date(day)
        .await
        .is_ok());
}

/// Runs `/transactions/sync` from `cursor` until `has_more` is false.
async fn sync_all(
    client: &Client,
    token: &str,
    cursor: &str,
) -> (Vec<String>, Vec<String>, Vec<String>, String) {
    let (mut added, mut modified, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    let mut cursor = cursor.to_owned();
    loop {
        let page = client
            .transactions()
            .sync(token)
            .cursor(cursor.clone())
            .count(100)
            .await
            .unwrap();
        added.extend(page.added.into_iter().map(|t| t.transaction_id));
        modified.extend(page.modified.into_iter().map(|t| t.transaction_id));
        removed.extend(page.removed.into_iter().map(|t| t.transaction_id));
        cursor = page.next_cursor;
        if page.has_more != Some(true) {
            return (added, modified, removed, cursor);
        }
    }
}

#[tokio::test]
async fn sync_after_mutations_returns_exactly_those_mutations() {
    let mock = mock(250);
    let client = mock.client();
    let (token, _) = link(&client).await;
    let (added, modified, removed, cursor) = sync_all(&client, &token, "").await;
    assert_eq!((added.len(), modified.len(), removed.len()), (250, 0, 0));

    let new_id = mock.add_transaction(&token, 12.34, "Corner Shop").unwrap();
    mock.modify_transaction(&token, &added[10], 99.0).unwrap();
    mock.remove_transaction(&token, &added[20]).unwrap();
    let (a, m, r, next) = sync_all(&client, &token, &cursor).await;
    assert_eq!(a, [new_id]);
    assert_eq!(m, [added[10].clone()]);
    assert_eq!(r, [added[20].clone()]);
    let (a, m, r, _) = sync_all(&client, &token, &next).await;
    assert!(
        a.is_empty() && m.is_empty() && r.is_empty(),
        "nothing changed since"
    );
}

#[tokio::test]
async fn a_mutation_during_pagination_is_reported() {
    let mock = mock(250);
    let client = mock.client();
    let (token, _) = link(&client).await;
    let first = client.transactions().sync(&token).count(100).await.unwrap();
    assert_eq!(first.has_more, Some(true));
    mock.add_transaction(&token, 1.0, "Mid-page").unwrap();
    let err = client
        .transactions()
        .sync(&token)
        .cursor(first.next_cursor)
        .count(100)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION");
    // Restarting from where the pagination began works.
    let (added, _, _, _) = sync_all(&client, &token, "").await;
    assert_eq!(added.len(), 251);
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

fn decode_part(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).unwrap()
}

#[tokio::test]
async fn a_fired_webhook_verifies_with_the_served_key() {
    let mock = mock(10);
    let client = mock.client();
    let (token, item_id) = link(&client).await;
    client
        .sandbox()
        .item()
        .fire_webhook(
            &token,
            SandboxItemFireWebhookRequestWebhookCode::SyncUpdatesAvailable,
        )
        .await
        .unwrap();
    let webhook = mock.webhooks().pop().expect("a webhook was sent");
    let body: Value = serde_json::from_slice(&webhook.body).unwrap();
    assert_eq!(body["webhook_code"], "SYNC_UPDATES_AVAILABLE");
    assert_eq!(body["webhook_type"], "TRANSACTIONS");
    assert_eq!(body["item_id"], item_id.as_str());

    let parts: Vec<&str> = webhook.verification.split('.').collect();
    let header: Value = serde_json::from_slice(&decode_part(parts[0])).unwrap();
    assert_eq!(header["alg"], "ES256");
    let kid = header["kid"].as_str().unwrap();
    let key = client
        .webhook_verification_key()
        .get(kid)
        .await
        .unwrap()
        .key;
    assert_eq!(key.expired_at, None);
    let mut sec1 = vec![4u8];
    sec1.extend(decode_part(&key.x));
    sec1.extend(decode_part(&key.y));
    let verifying = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let signature = Signature::from_slice(&decode_part(parts[2])).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    verifying.verify(signed.as_bytes(), &signature).unwrap();
    let claims: Value = serde_json::from_slice(&decode_part(parts[1])).unwrap();
    let hash: String = Sha256::digest(&webhook.body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(claims["request_body_sha256"], hash);
    assert_eq!(claims["iat"], mock.now().unix_timestamp());
    let unknown = client
        .webhook_verification_key()
        .get("nope")
        .await
        .unwrap_err();
    assert!(unknown.is_invalid_input_error());
}

#[tokio::test]
async fn injected_errors_and_latency_reach_the_client() {
    let mock = mock(10);
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    mock.fail_next(
        "/institutions/get_by_id",
        1,
        ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", "injected"),
    );
    let err = client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&err), "INTERNAL_SERVER_ERROR");
    assert!(err.is_retryable());
    assert!(client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .is_ok());
    mock.delay_next("/institutions/get_by_id", 1, Duration::from_secs(5));
    let slow = client
        .institutions()
        .get_by_id("ins_109508", vec![])
        .await
        .unwrap_err();
    assert!(slow.is_timeout(), "{slow}");
    // The request the client gave up on was received all the same.
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/institutions/get_by_id"; 3]);
}

#[tokio::test]
async fn requests_are_recorded_without_the_secret() {
    let mock = mock(10);
    let client = mock.client();
    let _ = client
        .send_raw(
            "/item/get",
            json!({"access_token": "a", "secret": "in-body"}),
        )
        .await;
    let (_, _) = link(&client).await;
    let recorded = mock.requests();
    assert_eq!(recorded[0].path, "/item/get");
    assert_eq!(recorded[0].body["secret"], "[redacted]");
    for request in &recorded {
        let text = format!("{request:?}");
        assert!(
            !text.contains(mock.secret()) && !text.contains("in-body"),
            "{text}"
        );
        assert!(request
            .headers
            .iter()
            .any(|(n, v)| n == "plaid-client-id" && v == mock.client_id()));
    }
}

#[tokio::test]
async fn the_seed_fixes_every_id() {
    let run = |seed| async move {
        let mock = MockPlaid::builder()
            .seed(seed)
            .now(datetime!(2024-06-30 12:00 UTC))
            .build();
        let client = mock.client();
        let (token, item_id) = link(&client).await;
        let accounts = client.accounts().get(&token).await.unwrap();
        (token, item_id, accounts.accounts[0].account_id.clone())
    };
    assert_eq!(run(1).await, run(1).await);
    assert_ne!(run(1).await, run(2).await);
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
