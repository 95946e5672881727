//! Forward compatibility of the generated models on real answer shapes:
//! values, fields and nulls the spec did not promise decode, and whatever is
//! unknown survives a round trip. Also the decoding rule for required fields
//! (see the crate docs of plaid-core): strings, lists, maps, objects and
//! enums read `null` as empty; numbers, booleans and dates are `Option`s.

use bytes::Bytes;
use plaid_core::models::{
    AccountSubtype, AccountType, AccountsGetResponse, BankTransferEventListResponse,
    LiabilitiesGetResponse, TransactionsGetResponse,
};
use plaid_core::{ErrorType, FromResponseBody, PlaidError};
use serde_json::{json, Value};

fn decode<T: FromResponseBody>(body: &Value) -> T {
    T::from_response_body(&Bytes::from(body.to_string()))
        .unwrap_or_else(|e| panic!("did not decode at {}: {}", e.path, e.source))
}

fn account(subtype: Value) -> Value {
    json!({
        "account_id": "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp",
        "balances": {"available": 100, "current": 110, "iso_currency_code": "USD",
                     "limit": null, "unofficial_currency_code": null},
        "mask": "0000", "name": "Plaid Checking", "official_name": "Plaid Gold Standard 0% Interest Checking",
        "subtype": subtype, "type": "depository"
    })
}

fn item() -> Value {
    json!({"available_products": ["balance"], "billed_products": ["auth"], "consent_expiration_time": null,
           "error": null, "institution_id": "ins_109508", "item_id": "eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6",
           "update_type": "background", "webhook": "https://www.genericwebhookurl.com/webhook"})
}

#[test]
fn an_unknown_account_subtype_decodes_and_is_kept() {
    let body =
        json!({"accounts": [account(json!("quantum vault"))], "item": item(), "request_id": "r"});
    let answer: AccountsGetResponse = decode(&body);
    let subtype = answer.accounts[0].subtype.clone();
    assert_eq!(
        subtype,
        Some(AccountSubtype::Unknown("quantum vault".into()))
    );
    assert_eq!(answer.accounts[0].type_, AccountType::Depository);
    assert_eq!(
        serde_json::to_value(&answer).unwrap()["accounts"][0]["subtype"],
        "quantum vault"
    );
}

#[test]
fn an_unknown_error_type_decodes_and_is_kept() {
    let err: PlaidError = serde_json::from_value(json!({
        "error_type": "QUANTUM_ERROR", "error_code": "ENTANGLED", "error_message": "m",
        "display_message": null, "request_id": "r"
    }))
    .unwrap();
    assert_eq!(err.error_type, ErrorType::Unknown("QUANTUM_ERROR".into()));
    assert_eq!(
        serde_json::to_value(&err).unwrap()["error_type"],
        "QUANTUM_ERROR"
    );
}

#[test]
fn null_current_balance_and_null_last_payment_amount_decode() {
    let mut checking = account(json!("checking"));
    checking["balances"]["current"] = Value::Null;
    let body = json!({
        "accounts": [checking], "item": item(), "request_id": "r",
        "liabilities": {
            "credit": [{
                "account_id": "dVzbVMLjrxTnLjX4G66XUp5GLklm4oiZy88yK",
                "aprs": [], "is_overdue": false, "last_payment_amount": null,
                "last_payment_date": null, "last_statement_issue_date": "2019-05-28",
                "last_statement_balance": 1708.77, "minimum_payment_amount": 20,
                "next_payment_due_date": "2020-05-28"
            }],
            "mortgage": [{"account_id": "m1", "account_number": null}],
            "student": null
        }
    });
    let answer: LiabilitiesGetResponse = decode(&body);
    assert_eq!(answer.accounts[0].balances.current, None);
    let credit = &answer.liabilities.credit.as_ref().unwrap()[0];
    assert_eq!(credit.last_payment_amount, None);
    assert_eq!(credit.last_statement_balance, Some(1708.77));
    let mortgage = &answer.liabilities.mortgage.as_ref().unwrap()[0];
    assert_eq!(mortgage.account_number, None);
    assert_eq!(answer.liabilities.student, None);
}

#[test]
fn an_empty_or_null_bank_transfer_events_list_decodes() {
    let empty: BankTransferEventListResponse =
        decode(&json!({"bank_transfer_events": [], "request_id": "r"}));
    assert!(empty.bank_transfer_events.is_empty());
    let null: BankTransferEventListResponse =
        decode(&json!({"bank_transfer_events": null, "request_id": "r"}));
    assert!(null.bank_transfer_events.is_empty());
}

#[test]
fn unknown_fields_anywhere_decode_and_survive_a_round_trip() {
    let mut body =
        json!({"accounts": [account(json!("checking"))], "item": item(), "request_id": "r"});
    body["top_level_novelty"] = json!({"a": [1, 2]});
    body["accounts"][0]["account_novelty"] = json!("x");
    body["accounts"][0]["balances"]["balance_novelty"] = json!(3.5);
    body["item"]["item_novelty"] = json!(null);
    let answer: AccountsGetResponse = decode(&body);
    assert_eq!(answer.extra["top_level_novelty"], json!({"a": [1, 2]}));
    assert_eq!(answer.accounts[0].extra["account_novelty"], "x");
    assert_eq!(answer.accounts[0].balances.extra["balance_novelty"], 3.5);
    let back = serde_json::to_value(&answer).unwrap();
    assert_eq!(back["top_level_novelty"], body["top_level_novelty"]);
    assert_eq!(back["accounts"][0]["balances"]["balance_novelty"], 3.5);
    assert_eq!(back["item"]["item_novelty"], Value::Null);
}

#[test]
fn required_fields_sent_as_null_follow_the_decoding_rule() {
    let body = json!({
        "accounts": [{"account_id": "a1", "balances": null, "name": null, "type": null}],
        "item": null,
        "request_id": "r",
        "total_transactions": null,
        "transactions": [{
            "account_id": "a1", "amount": null, "date": null, "pending": null,
            "transaction_id": "t1", "name": "Coffee", "location": null, "payment_meta": null,
            "payment_channel": null, "iso_currency_code": "USD"
        }]
    });
    let answer: TransactionsGetResponse = decode(&body);
    // Strings, lists, objects and enums: the empty value.
    let account = &answer.accounts[0];
    assert_eq!(account.name, "");
    assert_eq!(account.type_, AccountType::Unknown(String::new()));
    assert_eq!(account.balances.current, None);
    assert_eq!(answer.item.item_id, "");
    let t = &answer.transactions[0];
    assert_eq!(t.location.city, None);
    // Numbers, booleans and dates: None, never a made-up value.
    assert_eq!(answer.total_transactions, None);
    assert_eq!((t.amount, t.date, t.pending), (None, None, None));
    // And the same when the fields are missing altogether.
    let sparse: TransactionsGetResponse = decode(&json!({"request_id": "r"}));
    assert!(sparse.transactions.is_empty() && sparse.total_transactions.is_none());
}
