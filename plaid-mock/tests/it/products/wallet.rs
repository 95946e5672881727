//! Virtual Accounts: a wallet starts empty, is funded by a Payment
//! Initiation payment to its own recipient, pays out (idempotently, never
//! past its balance), refunds a pay-in, and lists its transactions. The
//! same flow runs in process and over HTTP.

use crate::support::scenarios;

use crate::support::code;
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

async fn call(client: &Client, path: &str, body: Value) -> Value {
    client
        .send_raw(path, body)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn counterparty() -> Value {
    json!({"name": "Ada Lovelace", "numbers": {"bacs": {"account": "26207729", "sort_code": "560029"}}})
}

async fn payout(
    client: &Client,
    wallet: &Value,
    value: f64,
    key: &str,
) -> Result<Value, plaid_core::Error> {
    client
        .send_raw(
            "/wallet/transaction/execute",
            json!({"wallet_id": wallet, "idempotency_key": key, "reference": "payout",
                   "amount": {"iso_currency_code": "GBP", "value": value},
                   "counterparty": counterparty()}),
        )
        .await
}

async fn balance(client: &Client, wallet: &Value) -> (f64, f64) {
    let got = call(client, "/wallet/get", json!({"wallet_id": wallet})).await;
    let b = &got["balance"];
    (
        b["available"].as_f64().unwrap(),
        b["current"].as_f64().unwrap(),
    )
}

async fn wallet_flow(client: &Client) {
    let made = call(
        client,
        "/wallet/create",
        json!({"iso_currency_code": "GBP"}),
    )
    .await;
    let wallet = made["wallet_id"].clone();
    assert!(
        wallet.as_str().unwrap().starts_with("wallet-id-sandbox-"),
        "{wallet}"
    );
    assert_eq!(made["status"], "ACTIVE");
    assert_eq!(made["balance"]["iso_currency_code"], "GBP");
    assert_eq!(
        balance(client, &wallet).await,
        (0.0, 0.0),
        "a new wallet is empty"
    );
    let sort_code = made["numbers"]["bacs"]["sort_code"].as_str().unwrap();
    assert_eq!(sort_code.len(), 6);
    let euros = call(
        client,
        "/wallet/create",
        json!({"iso_currency_code": "EUR"}),
    )
    .await;
    let iban = euros["numbers"]["international"]["iban"].as_str().unwrap();
    assert!(iban.starts_with("FR") && iban.len() == 27, "{iban}");

    // Nothing to pay out yet.
    let broke = payout(client, &wallet, 5.0, "too-early").await;
    assert_eq!(
        code(broke, "an empty wallet"),
        "TRANSACTION_INSUFFICIENT_FUNDS"
    );

    // Funding: a payment to the wallet's own recipient that settles.
    let payment = call(
        client,
        "/payment_initiation/payment/create",
        json!({"recipient_id": made["recipient_id"], "reference": "TopUp",
               "amount": {"currency": "GBP", "value": 100.0}}),
    )
    .await["payment_id"]
        .clone();
    call(
        client,
        "/sandbox/payment/simulate",
        json!({"payment_id": payment, "status": "PAYMENT_STATUS_SETTLED",
               "webhook": "http://127.0.0.1:9/hook"}),
    )
    .await;
    assert_eq!(balance(client, &wallet).await, (100.0, 100.0));

    let paid = payout(client, &wallet, 30.25, "pay-1").await.unwrap();
    assert_eq!(paid["status"], "INITIATED");
    let again = payout(client, &wallet, 30.25, "pay-1").await.unwrap();
    assert_eq!(
        again["transaction_id"], paid["transaction_id"],
        "one payout per key"
    );
    assert_eq!(balance(client, &wallet).await, (69.75, 69.75));
    let too_much = payout(client, &wallet, 69.76, "pay-2").await;
    assert_eq!(
        code(too_much, "past the balance"),
        "TRANSACTION_INSUFFICIENT_FUNDS"
    );
    let got = call(
        client,
        "/wallet/transaction/get",
        json!({"transaction_id": paid["transaction_id"]}),
    )
    .await;
    assert_eq!(got["type"], "PAYOUT");
    assert_eq!(got["wallet_id"], wallet);
    assert_eq!(got["counterparty"], counterparty());
    assert_eq!(
        got["amount"],
        json!({"iso_currency_code": "GBP", "value": 30.25})
    );

    // A refund of part of the pay-in, then of the rest.
    let refund = call(
        client,
        "/payment_initiation/payment/reverse",
        json!({"payment_id": payment, "idempotency_key": "refund-1", "reference": "Refund",
               "amount": {"currency": "GBP", "value": 40.0}}),
    )
    .await;
    assert_eq!(refund["status"], "INITIATED");
    let over = client
        .send_raw(
            "/payment_initiation/payment/reverse",
            json!({"payment_id": payment, "idempotency_key": "refund-2", "reference": "Refund",
                   "amount": {"currency": "GBP", "value": 60.01}}),
        )
        .await;
    assert_eq!(code(over, "more than is left to refund"), "INVALID_FIELD");
    let got = call(
        client,
        "/payment_initiation/payment/get",
        json!({"payment_id": payment}),
    )
    .await;
    assert_eq!(got["refund_ids"], json!([refund["refund_id"]]));
    assert_eq!(got["amount_refunded"]["value"], 40.0);
    assert_eq!(balance(client, &wallet).await, (29.75, 29.75));

    // Newest first, two to a page.
    let page = call(
        client,
        "/wallet/transaction/list",
        json!({"wallet_id": wallet, "count": 2}),
    )
    .await;
    let kinds: Vec<&str> = page["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["REFUND", "PAYOUT"]);
    let rest = call(
        client,
        "/wallet/transaction/list",
        json!({"wallet_id": wallet, "count": 2, "cursor": page["next_cursor"]}),
    )
    .await;
    assert_eq!(rest["transactions"][0]["type"], "PIS_PAY_IN");
    assert_eq!(rest["transactions"][0]["status"], "SETTLED");
    assert!(rest.get("next_cursor").is_none(), "{rest}");

    let wallets = call(client, "/wallet/list", json!({"iso_currency_code": "GBP"})).await;
    assert_eq!(wallets["wallets"].as_array().unwrap().len(), 1);
    let unknown = client
        .send_raw(
            "/wallet/get",
            json!({"wallet_id": "wallet-id-sandbox-nope"}),
        )
        .await;
    assert_eq!(code(unknown, "an unknown wallet"), "INVALID_FIELD");
}

scenarios! {
    a_wallet_is_funded_pays_out_and_refunds(MockPlaid::builder().seed(81).build()) |fake| {
        wallet_flow(fake.client()).await
    }
}
