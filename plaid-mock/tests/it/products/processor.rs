//! Processor partners read one account through a processor token: the
//! partner endpoints answer from the item's own data for that account only,
//! and refuse tokens nobody made or whose item was removed.

use crate::support;
use crate::support::scenarios;

use crate::support::{code, Linked};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

/// A processor token for the linked item's account number `account`.
async fn processor_token(client: &Client, linked: &Linked, account: usize) -> String {
    support::processor_token(client, &linked.access_token, &linked.account_ids[account]).await
}

fn account_ids_in(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v["account_id"].as_str().expect("an account id"))
        .collect()
}

/// The partner endpoints, through `client`, see the token's account only.
async fn partner_reads_one_account(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let saving = &linked.account_ids[1];
    let token = processor_token(client, &linked, 1).await;

    let item_accounts = client
        .send_raw(
            "/accounts/get",
            json!({"access_token": linked.access_token}),
        )
        .await
        .expect("accounts");
    let account = client
        .processor()
        .account()
        .get(&token)
        .await
        .expect("the account");
    assert_eq!(&account.account.account_id, saving);
    assert_eq!(account.institution_id, "ins_109508");
    let balance = client
        .send_raw("/processor/balance/get", json!({"processor_token": token}))
        .await
        .expect("a balance");
    assert_eq!(balance["account"], item_accounts["accounts"][1]);

    let auth = client
        .send_raw("/processor/auth/get", json!({"processor_token": token}))
        .await
        .expect("numbers");
    assert_eq!(auth["account"]["account_id"], json!(saving));
    assert_eq!(auth["numbers"]["ach"]["account_id"], json!(saving));
    assert_eq!(auth["numbers"]["ach"]["routing"], "011401533");
    assert_eq!(auth["numbers"]["eft"], Value::Null);

    let identity = client
        .send_raw("/processor/identity/get", json!({"processor_token": token}))
        .await
        .expect("identity");
    assert_eq!(identity["account"]["account_id"], json!(saving));
    assert!(!identity["account"]["owners"][0]["names"]
        .as_array()
        .expect("owner names")
        .is_empty());

    let range = json!({"start_date": "2000-01-01", "end_date": "2100-01-01"});
    let mut item_request = range.clone();
    item_request["access_token"] = json!(linked.access_token);
    item_request["options"] = json!({"count": 500});
    let everything = client
        .send_raw("/transactions/get", item_request)
        .await
        .expect("the item's transactions");
    let of_saving = everything["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .filter(|t| t["account_id"] == json!(saving))
        .count();
    let mut partner_request = range;
    partner_request["processor_token"] = json!(token);
    partner_request["options"] = json!({"count": 500});
    let partner = client
        .send_raw("/processor/transactions/get", partner_request)
        .await
        .expect("the account's transactions");
    assert!(of_saving > 0, "the saving account has transactions");
    assert_eq!(partner["total_transactions"], json!(of_saving));
    assert!(account_ids_in(&partner["transactions"])
        .iter()
        .all(|id| id == saving));

    let synced = client
        .send_raw(
            "/processor/transactions/sync",
            json!({"processor_token": token}),
        )
        .await
        .expect("a sync page");
    assert_eq!(synced["account"]["account_id"], json!(saving));
    assert!(account_ids_in(&synced["added"])
        .iter()
        .all(|id| id == saving));
}

#[tokio::test]
async fn unknown_wrong_kind_and_removed_tokens_are_refused() {
    let client = MockPlaid::new().client();
    let linked = support::link(&client, "ins_109508").await;
    let token = processor_token(&client, &linked, 0).await;

    let unknown = client
        .send_raw(
            "/processor/auth/get",
            json!({"processor_token": "processor-sandbox-00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown token"), "INVALID_PROCESSOR_TOKEN");
    let wrong_kind = client
        .send_raw(
            "/processor/balance/get",
            json!({"processor_token": linked.access_token}),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong_kind.code(), Some("INVALID_PROCESSOR_TOKEN"));
    assert!(
        wrong_kind.to_string().contains("access token"),
        "{wrong_kind}"
    );

    client
        .send_raw("/item/remove", json!({"access_token": linked.access_token}))
        .await
        .expect("removed");
    let removed = client
        .send_raw("/processor/auth/get", json!({"processor_token": token}))
        .await;
    assert_eq!(
        code(removed, "a removed item's token"),
        "INVALID_PROCESSOR_TOKEN"
    );
}

/// `/sandbox/processor_token/create` links a new item and gives a token
/// for its checking account that the partner endpoints take.
async fn sandbox_token_reads_a_new_item(client: &Client) {
    let made = client
        .send_raw(
            "/sandbox/processor_token/create",
            json!({"institution_id": "ins_109508"}),
        )
        .await
        .expect("a processor token");
    let token = made["processor_token"].as_str().expect("a token");
    assert!(token.starts_with("processor-sandbox-"), "{token}");
    let account = client
        .send_raw(
            "/processor/account/get",
            json!({ "processor_token": token }),
        )
        .await
        .expect("the account");
    assert_eq!(account["account"]["subtype"], "checking");
    assert_eq!(account["institution_id"], "ins_109508");
    let auth = client
        .send_raw("/processor/auth/get", json!({ "processor_token": token }))
        .await
        .expect("numbers");
    assert_eq!(
        auth["numbers"]["ach"]["account_id"],
        account["account"]["account_id"]
    );
    // Two calls, two items.
    let second = client
        .send_raw(
            "/sandbox/processor_token/create",
            json!({"institution_id": "ins_109508"}),
        )
        .await
        .expect("another token");
    let other = client
        .send_raw(
            "/processor/account/get",
            json!({ "processor_token": second["processor_token"] }),
        )
        .await
        .expect("the account");
    assert_ne!(
        other["account"]["account_id"],
        account["account"]["account_id"]
    );
    let unknown = client
        .send_raw(
            "/sandbox/processor_token/create",
            json!({"institution_id": "ins_nope"}),
        )
        .await;
    assert_eq!(code(unknown, "no institution"), "INVALID_INSTITUTION");
}

/// The client limits what the partner may read; the partner sets its own
/// webhook.
async fn permissions_and_webhook(mock: &MockPlaid, client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let token = processor_token(client, &linked, 0).await;
    let get = || async {
        client
            .send_raw(
                "/processor/token/permissions/get",
                json!({"processor_token": token}),
            )
            .await
            .expect("the permissions")["products"]
            .clone()
    };
    assert_eq!(get().await, json!([]), "every product until limited");
    client
        .send_raw(
            "/processor/token/permissions/set",
            json!({"processor_token": token, "products": ["auth", "balance"]}),
        )
        .await
        .expect("limited");
    assert_eq!(get().await, json!(["auth", "balance"]));
    client
        .send_raw("/processor/auth/get", json!({"processor_token": token}))
        .await
        .expect("auth is allowed");
    client
        .send_raw("/processor/account/get", json!({"processor_token": token}))
        .await
        .expect("the account itself needs no product");
    let identity = client
        .send_raw("/processor/identity/get", json!({"processor_token": token}))
        .await;
    assert_eq!(code(identity, "identity, not allowed"), "INVALID_PRODUCT");
    client
        .send_raw(
            "/processor/token/permissions/set",
            json!({"processor_token": token, "products": []}),
        )
        .await
        .expect("all again");
    client
        .send_raw("/processor/identity/get", json!({"processor_token": token}))
        .await
        .expect("identity once every product is allowed");

    client
        .send_raw(
            "/processor/token/webhook/update",
            json!({"processor_token": token, "webhook": "http://127.0.0.1:9/partner"}),
        )
        .await
        .expect("a webhook");
    let sent = mock.webhooks().last().cloned().expect("an acknowledgement");
    assert_eq!(sent.url.as_deref(), Some("http://127.0.0.1:9/partner"));
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["webhook_code"], "WEBHOOK_UPDATE_ACKNOWLEDGED");
    assert_eq!(body["new_webhook_url"], "http://127.0.0.1:9/partner");

    let unknown = client
        .send_raw(
            "/processor/token/permissions/get",
            json!({"processor_token": "processor-sandbox-nobody"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown token"), "INVALID_PROCESSOR_TOKEN");
}

scenarios! {
    partner_endpoints_read_the_tokens_account(MockPlaid::new()) |fake| {
        partner_reads_one_account(fake.client()).await
    }
    a_sandbox_processor_token_reads_a_new_item(MockPlaid::new()) |fake| {
        sandbox_token_reads_a_new_item(fake.client()).await
    }
    permissions_and_webhook_of_a_processor_token(MockPlaid::new()) |fake| {
        permissions_and_webhook(&fake.mock, fake.client()).await
    }
}
