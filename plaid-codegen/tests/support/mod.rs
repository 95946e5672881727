//! Helpers the generated calls (`tests/generated/calls.rs`) and the tests
//! that drive them use.

use serde::de::DeserializeOwned;

pub fn arg<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("sample {json} does not decode: {e}"))
}

pub fn date(text: &str) -> time::Date {
    serde_json::from_value::<Wrapped>(serde_json::json!({ "d": text, "t": "2024-01-01T00:00:00Z" }))
        .unwrap()
        .d
}

pub fn date_time(text: &str) -> time::OffsetDateTime {
    serde_json::from_value::<Wrapped>(serde_json::json!({ "d": "2024-01-01", "t": text }))
        .unwrap()
        .t
}

#[derive(serde::Deserialize)]
struct Wrapped {
    #[serde(with = "plaid_core::wire::iso_date")]
    d: time::Date,
    #[serde(with = "plaid_core::wire::rfc3339")]
    t: time::OffsetDateTime,
}

pub fn text(overrides: &dyn Fn(&str) -> Option<String>, field: &str, sample: &str) -> String {
    overrides(field).unwrap_or_else(|| sample.to_owned())
}

pub fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("a decoded answer re-encodes")
}

pub fn binary_len(value: &plaid_core::Binary) -> serde_json::Value {
    serde_json::json!({ "binary_len": value.0.len() })
}

/// Links a fresh item on the fake: its access token, first account id, and
/// a second public token for it (update mode).
pub async fn fresh_item(client: &plaid_core::Client) -> (String, String, String) {
    use plaid_core::models::Products;
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    let accounts = client
        .accounts()
        .get(&exchanged.access_token)
        .await
        .unwrap();
    let again = client
        .item()
        .public_token()
        .create(&exchanged.access_token)
        .await
        .unwrap();
    (
        exchanged.access_token,
        accounts.accounts[0].account_id.clone(),
        again.public_token,
    )
}

/// A processor token for `account_id` of the item behind `access_token`,
/// so the `/processor/…` reads answer from that account.
pub async fn processor_token(
    client: &plaid_core::Client,
    access_token: &str,
    account_id: &str,
) -> String {
    let made = client
        .send_raw(
            "/processor/token/create",
            serde_json::json!({"access_token": access_token, "account_id": account_id,
                               "processor": "dwolla"}),
        )
        .await
        .unwrap();
    made["processor_token"].as_str().unwrap().to_owned()
}

/// Every operation whose sample arguments the fake refuses as Plaid does,
/// with the error code it must give: the product lifecycles of
/// [`SAMPLE_IDS_REFUSED`], and each action of a generic-engine family
/// (anything but create and list) whose request requires the family's id,
/// since a `"sample"` id names no object the fake made. Sorted by path.
pub fn sample_ids_refused() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = SAMPLE_IDS_REFUSED.to_vec();
    for family in plaid_mock::resource_families() {
        if family.id_request.is_empty() {
            continue;
        }
        for (verb, path) in family.verbs {
            let names_the_id = plaid_mock::sample_request(path)
                .is_some_and(|body| body.get(family.id_request).is_some());
            if !matches!(verb, "create" | "list") && names_the_id {
                assert!(
                    out.iter().all(|(listed, _)| *listed != path),
                    "{path} is an engine action: take it out of SAMPLE_IDS_REFUSED"
                );
                out.push((path, "INVALID_FIELD"));
            }
        }
    }
    out.sort_unstable();
    out
}

/// The error code `path`'s sample arguments must be refused with, if they
/// must be (see [`sample_ids_refused`]).
pub fn sample_id_refusal(refused: &[(&str, &'static str)], path: &str) -> Option<&'static str> {
    refused
        .iter()
        .find(|(listed, _)| *listed == path)
        .map(|(_, code)| *code)
}

/// Operations answered outside the generic engine (plaid-mock's product
/// lifecycles and hand-written flows) whose sample arguments name objects nobody
/// made (a `"sample"` transfer id, link token, recipient…) or are not valid
/// values (an amount of `"sample"`), or that the sample item cannot take:
/// the fake refuses them as Plaid does, with this error code. plaid-mock's
/// product scenarios call them with real ids, and its conformance test
/// (`plaid-mock/tests/it/conformance`) checks those answers.
pub const SAMPLE_IDS_REFUSED: &[(&str, &str)] = &[
    ("/asset_report/audit_copy/create", "INVALID_FIELD"),
    ("/asset_report/audit_copy/get", "INVALID_FIELD"),
    ("/asset_report/audit_copy/pdf/get", "INVALID_FIELD"),
    ("/asset_report/audit_copy/remove", "INVALID_FIELD"),
    ("/asset_report/filter", "INVALID_FIELD"),
    ("/asset_report/pdf/get", "INVALID_FIELD"),
    ("/asset_report/refresh", "INVALID_FIELD"),
    ("/asset_report/remove", "INVALID_FIELD"),
    ("/bank_transfer/cancel", "INVALID_FIELD"),
    ("/bank_transfer/create", "INVALID_FIELD"),
    ("/bank_transfer/get", "INVALID_FIELD"),
    ("/identity_verification/get", "INVALID_FIELD"),
    ("/identity_verification/retry", "INVALID_FIELD"),
    ("/link/token/get", "INVALID_LINK_TOKEN"),
    ("/payment_initiation/consent/create", "INVALID_FIELD"),
    ("/payment_initiation/consent/get", "INVALID_FIELD"),
    (
        "/payment_initiation/consent/payment/execute",
        "INVALID_FIELD",
    ),
    ("/payment_initiation/consent/revoke", "INVALID_FIELD"),
    ("/payment_initiation/payment/create", "INVALID_FIELD"),
    ("/payment_initiation/payment/get", "INVALID_FIELD"),
    ("/payment_initiation/recipient/create", "INVALID_FIELD"),
    ("/payment_initiation/recipient/get", "INVALID_FIELD"),
    // A `"sample"` client_transaction_id no evaluation of the token's item used.
    ("/processor/signal/decision/report", "INVALID_FIELD"),
    ("/processor/signal/return/report", "INVALID_FIELD"),
    ("/sandbox/bank_transfer/simulate", "INVALID_FIELD"),
    // The sample item's accounts are verified at linking, none pending
    // automated micro-deposits.
    ("/sandbox/item/set_verification_status", "INVALID_FIELD"),
    ("/sandbox/payment/simulate", "INVALID_FIELD"),
    // The sample item is `user_good`'s; Plaid adds transactions only to
    // `user_transactions_dynamic` items.
    ("/sandbox/transactions/create", "INVALID_FIELD"),
    ("/sandbox/transfer/simulate", "INVALID_FIELD"),
    // The sample names neither `user_token` nor `user_id`.
    ("/sandbox/user/reset_login", "MISSING_FIELDS"),
    ("/statements/download", "INVALID_FIELD"),
    ("/transfer/authorization/create", "INVALID_FIELD"),
    ("/transfer/cancel", "INVALID_FIELD"),
    ("/transfer/create", "INVALID_FIELD"),
    ("/transfer/get", "MISSING_FIELDS"),
    ("/transfer/sweep/get", "INVALID_FIELD"),
    ("/transfer/authorization/cancel", "INVALID_FIELD"),
    ("/transfer/refund/create", "INVALID_FIELD"),
    ("/transfer/refund/get", "INVALID_FIELD"),
    ("/transfer/refund/cancel", "INVALID_FIELD"),
    ("/sandbox/transfer/refund/simulate", "INVALID_FIELD"),
    ("/payment_initiation/payment/reverse", "INVALID_FIELD"),
    ("/payment_initiation/payment/token/create", "INVALID_FIELD"),
    ("/identity_verification/autofill/create", "INVALID_FIELD"),
    ("/user/third_party_token/create", "MISSING_FIELDS"),
    ("/user/third_party_token/remove", "INVALID_FIELD"),
    ("/wallet/get", "INVALID_FIELD"),
    ("/wallet/transaction/execute", "INVALID_FIELD"),
    ("/wallet/transaction/get", "INVALID_FIELD"),
    ("/wallet/transaction/list", "INVALID_FIELD"),
    ("/transfer/ledger/deposit", "INVALID_FIELD"),
    ("/transfer/ledger/withdraw", "INVALID_FIELD"),
    ("/transfer/ledger/distribute", "INVALID_FIELD"),
    ("/sandbox/transfer/ledger/deposit/simulate", "INVALID_FIELD"),
    (
        "/sandbox/transfer/ledger/withdraw/simulate",
        "INVALID_FIELD",
    ),
    ("/watchlist_screening/entity/get", "INVALID_FIELD"),
    ("/watchlist_screening/entity/history/list", "INVALID_FIELD"),
    ("/watchlist_screening/entity/hit/list", "INVALID_FIELD"),
    ("/watchlist_screening/entity/review/create", "INVALID_FIELD"),
    ("/watchlist_screening/entity/review/list", "INVALID_FIELD"),
    ("/watchlist_screening/entity/update", "INVALID_FIELD"),
    ("/watchlist_screening/individual/get", "INVALID_FIELD"),
    (
        "/watchlist_screening/individual/history/list",
        "INVALID_FIELD",
    ),
    ("/watchlist_screening/individual/hit/list", "INVALID_FIELD"),
    (
        "/watchlist_screening/individual/review/create",
        "INVALID_FIELD",
    ),
    (
        "/watchlist_screening/individual/review/list",
        "INVALID_FIELD",
    ),
    ("/watchlist_screening/individual/update", "INVALID_FIELD"),
    ("/credit/bank_income/get", "MISSING_FIELDS"),
    ("/credit/bank_income/pdf/get", "INVALID_FIELD"),
    ("/credit/bank_income/refresh", "INVALID_FIELD"),
    ("/credit/bank_income/webhook/update", "INVALID_FIELD"),
    ("/credit/sessions/get", "INVALID_FIELD"),
    ("/credit/bank_statements/uploads/get", "INVALID_FIELD"),
    ("/beta/credit/v1/bank_employment/get", "INVALID_FIELD"),
    ("/credit/employment/get", "INVALID_FIELD"),
    ("/credit/payroll_income/get", "MISSING_FIELDS"),
    (
        "/credit/payroll_income/parsing_config/update",
        "INVALID_FIELD",
    ),
    ("/credit/payroll_income/refresh", "INVALID_FIELD"),
    ("/credit/payroll_income/risk_signals/get", "MISSING_FIELDS"),
    (
        "/employment/verification/get",
        "INCOME_VERIFICATION_NOT_FOUND",
    ),
    ("/income/verification/documents/download", "MISSING_FIELDS"),
    ("/income/verification/paystubs/get", "MISSING_FIELDS"),
    ("/income/verification/taxforms/get", "MISSING_FIELDS"),
    ("/sandbox/bank_income/fire_webhook", "INVALID_FIELD"),
    ("/sandbox/income/fire_webhook", "INVALID_FIELD"),
    ("/user/get", "INVALID_FIELD"),
    ("/user/financial_data/refresh", "INVALID_FIELD"),
    ("/user/identity/remove", "INVALID_FIELD"),
    ("/user/products/terminate", "INVALID_FIELD"),
    ("/user/transactions/refresh", "INVALID_FIELD"),
    ("/user/items/associate", "INVALID_FIELD"),
    ("/user/items/get", "MISSING_FIELDS"),
    ("/user/items/remove", "MISSING_FIELDS"),
    ("/user/remove", "MISSING_FIELDS"),
    ("/user/update", "MISSING_FIELDS"),
    ("/cra/monitoring_insights/subscribe", "MISSING_FIELDS"),
    ("/cra/monitoring_insights/unsubscribe", "INVALID_FIELD"),
    ("/cra/monitoring_insights/get", "MISSING_FIELDS"),
    ("/cra/partner_insights/get", "INVALID_FIELD"),
    ("/cra/check_report/income_insights/get", "MISSING_FIELDS"),
    ("/cra/check_report/base_report/get", "MISSING_FIELDS"),
    ("/cra/check_report/pdf/get", "MISSING_FIELDS"),
    ("/cra/check_report/create", "MISSING_FIELDS"),
    ("/cra/check_report/partner_insights/get", "MISSING_FIELDS"),
    ("/cra/check_report/cashflow_insights/get", "MISSING_FIELDS"),
    ("/cra/check_report/lend_score/get", "MISSING_FIELDS"),
    ("/cra/check_report/network_insights/get", "MISSING_FIELDS"),
    ("/cra/check_report/verification/get", "MISSING_FIELDS"),
    ("/cra/check_report/verification/pdf/get", "MISSING_FIELDS"),
    ("/cra/loans/applications/register", "INVALID_FIELD"),
    ("/cra/loans/register", "INVALID_FIELD"),
    ("/cra/loans/update", "MISSING_FIELDS"),
    ("/cra/loans/unregister", "INVALID_FIELD"),
    ("/cra/credit_profile/report/get", "INVALID_FIELD"),
    ("/consumer_report/pdf/get", "INVALID_FIELD"),
    ("/sandbox/cra/cashflow_updates/update", "MISSING_FIELDS"),
];
