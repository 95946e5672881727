//! Real answers of the fake to mutate.

use super::*;

pub struct Seeds {
    pub transactions_get: Value,
    pub transactions_sync: Value,
    pub accounts_get: Value,
    pub auth_get: Value,
    pub item_get: Value,
}

pub fn set(target: &mut Value, fields: Value) {
    let (Value::Object(target), Value::Object(fields)) = (target, fields) else {
        unreachable!("both are objects");
    };
    target.extend(fields);
}

/// Fills what the fake leaves `null` with what Plaid sends, so mutations
/// reach timestamps, categories, counterparties and nested errors too.
pub fn enrich_transaction(transaction: &mut Value) {
    set(
        transaction,
        json!({
            "datetime": "2024-06-30T10:11:12Z",
            "authorized_datetime": "2024-06-29T23:00:00.123+02:00",
            "category": ["Food and Drink", "Restaurants"],
            "category_id": "13005000",
            "check_number": "1042",
            "logo_url": "https://plaid-merchant-logos.plaid.com/kfc.png",
            "website": "kfc.com",
            "merchant_entity_id": "vzWXDWBjB06j5BJoD3Jo84OJZg7JJzmqOZA22",
            "transaction_code": "purchase",
            "transaction_type": "place",
            "personal_finance_category": {
                "primary": "FOOD_AND_DRINK",
                "detailed": "FOOD_AND_DRINK_FAST_FOOD",
                "confidence_level": "VERY_HIGH",
                "version": "v2"
            },
            "personal_finance_category_icon_url": "https://plaid-category-icons.plaid.com/PFC_FOOD_AND_DRINK.png",
            "counterparties": [{
                "name": "KFC",
                "entity_id": "vzWXDWBjB06j5BJoD3Jo84OJZg7JJzmqOZA22",
                "type": "merchant",
                "website": "kfc.com",
                "logo_url": null,
                "confidence_level": "VERY_HIGH"
            }],
            "location": {
                "address": "300 Post St", "city": "San Francisco", "region": "CA",
                "postal_code": "94108", "country": "US", "lat": 40.740352,
                "lon": -74.001761, "store_number": "1235"
            },
        }),
    );
}

pub fn enrich_item(item: &mut Value) {
    set(
        item,
        json!({
            "webhook": "https://example.com/plaid/webhook",
            "auth_method": "INSTANT_AUTH",
            "consent_expiration_time": "2025-06-30T12:00:00Z",
            "error": {
                "error_type": "ITEM_ERROR",
                "error_code": "ITEM_LOGIN_REQUIRED",
                "error_code_reason": null,
                "error_message": "the login details of this item have changed",
                "display_message": null,
                "request_id": "mock-error-1",
                "causes": [],
                "status": 400,
                "documentation_url": "https://plaid.com/docs/errors/item/",
                "suggested_action": null
            },
        }),
    );
}

pub fn enrich_accounts(accounts: &mut Value) {
    for account in accounts.as_array_mut().unwrap() {
        set(
            &mut account["balances"],
            json!({"last_updated_datetime": "2024-06-30T11:59:00Z"}),
        );
        set(
            account,
            json!({
                "verification_status": "automatically_verified",
                "persistent_account_id": "8cfb8beb89b774ee43b090625f0d61d0814322b43bff984eaf60386e",
                "holder_category": "personal"
            }),
        );
    }
}

pub fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        runtime().block_on(async {
            let mock = MockPlaid::builder()
                .seed(SEED)
                .transactions_per_item(3)
                .now(datetime!(2024-06-30 12:00 UTC))
                .build();
            let client = mock.client();
            let (token, _) = mock
                .link_item("ins_109508", &["transactions", "auth"])
                .unwrap();
            let token = json!(token);
            let call = |path: &'static str, body: Value| {
                let client = client.clone();
                async move { client.send_raw(path, body).await.unwrap() }
            };
            let mut transactions_get = call(
                "/transactions/get",
                json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-06-30"}),
            )
            .await;
            let mut transactions_sync =
                call("/transactions/sync", json!({"access_token": token})).await;
            let mut accounts_get = call("/accounts/get", json!({"access_token": token})).await;
            let mut auth_get = call("/auth/get", json!({"access_token": token})).await;
            let mut item_get = call("/item/get", json!({"access_token": token})).await;

            for transaction in transactions_get["transactions"].as_array_mut().unwrap() {
                enrich_transaction(transaction);
            }
            for transaction in transactions_sync["added"].as_array_mut().unwrap() {
                enrich_transaction(transaction);
            }
            let modified = transactions_sync["added"][0].clone();
            set(
                &mut transactions_sync,
                json!({
                    "modified": [modified],
                    "removed": [{"transaction_id": "removed-1", "account_id": "account-1"}],
                    "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE",
                }),
            );
            for doc in [&mut transactions_get, &mut accounts_get, &mut auth_get] {
                enrich_accounts(&mut doc["accounts"]);
                enrich_item(&mut doc["item"]);
            }
            enrich_accounts(&mut transactions_sync["accounts"]);
            enrich_item(&mut item_get["item"]);
            set(&mut item_get["item"], json!({"created_at": "2024-06-01T08:00:00Z"}));
            set(
                &mut auth_get["numbers"],
                json!({
                    "eft": [{"account_id": "a", "account": "111122223333", "institution": "021", "branch": "01140"}],
                    "international": [{"account_id": "a", "iban": "GB33BUKB20201555555555", "bic": "NWBKGB21"}],
                    "bacs": [{"account_id": "a", "account": "31926819", "sort_code": "601613"}],
                }),
            );
            set(
                &mut item_get,
                json!({"status": {
                    "investments": {"last_successful_update": "2024-06-30T10:00:00Z", "last_failed_update": null},
                    "transactions": {"last_successful_update": "2024-06-30T10:00:00.5+01:00", "last_failed_update": "2024-06-29T10:00:00Z"},
                    "last_webhook": {"sent_at": "2024-06-30T10:00:01Z", "code_sent": "DEFAULT_UPDATE"}
                }}),
            );
            Seeds {
                transactions_get,
                transactions_sync,
                accounts_get,
                auth_get,
                item_get,
            }
        })
    })
}
