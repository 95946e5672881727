//! Exact money (feature `decimal`): a `/transactions/get` answer of 10,000
//! transactions with two-decimal amounts, decoded through the client.
//!
//! Runs with `cargo test -p plaid-core --features decimal --test money`
//! (a step of `.ci/run`); without the feature it holds no test.
#![cfg(all(feature = "decimal", feature = "transactions"))]

use plaid_core::money::{Amount, AMOUNT_FIELDS};
use plaid_core::test_util::{response, CannedTransport};
use plaid_core::Client;

const TRANSACTIONS: usize = 10_000;

/// Two-decimal amount texts, as Plaid writes them: a few chosen ones
/// (trailing zeros, a cent, a value f64 arithmetic is known to get wrong)
/// and the rest from a fixed pseudo-random sequence, both signs.
fn amount_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "12.50",
        "0.00",
        "-0.01",
        "575.67",
        "1000000.10",
        "0.10",
        "-20.00",
    ]
    .map(String::from)
    .to_vec();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    while texts.len() < TRANSACTIONS {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let cents = (state % 2_000_000) as i64 - 1_000_000;
        let sign = if cents < 0 { "-" } else { "" };
        texts.push(format!(
            "{sign}{}.{:02}",
            cents.abs() / 100,
            cents.abs() % 100
        ));
    }
    texts
}

/// The amount `text` in cents, read from its digits alone.
fn cents(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, hundredths) = digits.split_once('.').expect("two decimals");
    assert_eq!(hundredths.len(), 2, "{text}");
    let value = units.parse::<i64>().unwrap() * 100 + hundredths.parse::<i64>().unwrap();
    if negative {
        -value
    } else {
        value
    }
}

fn body(texts: &[String]) -> String {
    let transactions: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, amount)| {
            format!(
                r#"{{"transaction_id":"tx-{i}","account_id":"acc-1","amount":{amount},"iso_currency_code":"USD","unofficial_currency_code":null,"date":"2024-01-02","name":"Shop {i}","pending":false,"payment_channel":"online"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"accounts":[{{"account_id":"acc-1","balances":{{"available":100.10,"current":110.00,"limit":null,"iso_currency_code":"USD","unofficial_currency_code":null}},"mask":"0000","name":"Checking","type":"depository","subtype":"checking"}}],"transactions":[{}],"total_transactions":{TRANSACTIONS},"item":{{"item_id":"item-1","webhook":null,"error":null,"available_products":[],"billed_products":[]}},"request_id":"req-1"}}"#,
        transactions.join(",")
    )
}

/// The text of every `"amount":` value in `json`, in order.
fn amount_values(json: &str) -> Vec<&str> {
    json.match_indices(r#""amount":"#)
        .map(|(at, key)| {
            let rest = &json[at + key.len()..];
            let end = rest.find([',', '}']).expect("a value ends");
            &rest[..end]
        })
        .collect()
}

async fn get(body: String) -> plaid_core::models::TransactionsGetResponse {
    let transport =
        CannedTransport::new(response(200, &[("content-type", "application/json")], body));
    let client = Client::builder()
        .credentials("client-1", "secret-1")
        .transport(transport)
        .build()
        .unwrap();
    let day = time::macros::date!(2024 - 01 - 01);
    client
        .transactions()
        .get("access-1")
        .start_date(day)
        .end_date(day)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_amount_of_ten_thousand_transactions_is_the_text_on_the_wire() {
    let texts = amount_texts();
    let answer = get(body(&texts)).await;

    assert_eq!(answer.transactions.len(), TRANSACTIONS);
    for (transaction, text) in answer.transactions.iter().zip(&texts) {
        let amount: Amount = transaction.amount.expect("every transaction has an amount");
        assert_eq!(amount.to_string(), *text);
        assert_eq!(amount.scale(), 2, "{text} keeps its two decimals");
    }
    let balances = &answer.accounts[0].balances;
    assert_eq!(balances.available.unwrap().to_string(), "100.10");
    assert_eq!(balances.current.unwrap().to_string(), "110.00");
    assert_eq!(balances.limit, None, "null stays None");
}

#[tokio::test]
async fn the_sum_is_exact() {
    let texts = amount_texts();
    let answer = get(body(&texts)).await;

    let sum: Amount = answer.transactions.iter().filter_map(|t| t.amount).sum();
    let expected_cents: i64 = texts.iter().map(|t| cents(t)).sum();
    assert_eq!(sum, Amount::new(expected_cents, 2));
    assert_eq!(sum.mantissa(), i128::from(expected_cents));
    // The same sum in f64 drifts: what the feature is for.
    let float_sum: f64 = texts.iter().map(|t| t.parse::<f64>().unwrap()).sum();
    eprintln!("exact sum {sum}, f64 sum {float_sum}");
}

#[tokio::test]
async fn a_round_trip_changes_no_byte_of_any_amount() {
    let texts = amount_texts();
    let sent = body(&texts);
    let answer = get(sent.clone()).await;

    let encoded = serde_json::to_string(&answer).unwrap();
    let before = amount_values(&sent);
    let after = amount_values(&encoded);
    assert_eq!(before.len(), TRANSACTIONS);
    assert_eq!(before, after);
    assert!(
        encoded.contains(r#""available":100.10,"current":110.00"#),
        "{}",
        &encoded[..300]
    );
}

#[test]
fn the_documented_list_of_amount_fields() {
    assert_eq!(AMOUNT_FIELDS.len(), 415);
    for field in [
        ("Transaction", "amount"),
        ("AccountBalance", "available"),
        ("AccountBalance", "current"),
        ("AccountBalance", "limit"),
        ("Holding", "quantity"),
        ("Holding", "institution_price"),
        ("Security", "close_price"),
    ] {
        assert!(AMOUNT_FIELDS.contains(&field), "{field:?}");
    }
}
