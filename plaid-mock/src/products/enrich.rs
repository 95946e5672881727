//! Enrich: `/transactions/enrich` answers one enriched transaction per
//! transaction sent, in the order sent, each keeping its `id`, description,
//! amount, direction and currency. Enrichments come from the description:
//! a known merchant gives its name, category and channel; anything else an
//! unnamed merchant in `GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE`
//! (or `INCOME_OTHER_INCOME` for money coming in).

use serde_json::{json, Map, Value};

use crate::kit::example::example;
use crate::kit::route::Route;

/// Description fragment, merchant, primary and detailed category, channel.
const MERCHANTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "walmart",
        "Walmart",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_SUPERSTORES",
        "in store",
    ),
    (
        "wm supercenter",
        "Walmart",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_SUPERSTORES",
        "in store",
    ),
    (
        "starbucks",
        "Starbucks",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_COFFEE",
        "in store",
    ),
    (
        "mcdonald",
        "McDonald's",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_FAST_FOOD",
        "in store",
    ),
    (
        "burger",
        "Burger King",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_FAST_FOOD",
        "online",
    ),
    (
        "uber",
        "Uber",
        "TRANSPORTATION",
        "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
        "online",
    ),
    (
        "lyft",
        "Lyft",
        "TRANSPORTATION",
        "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
        "online",
    ),
    (
        "united airlines",
        "United Airlines",
        "TRAVEL",
        "TRAVEL_FLIGHTS",
        "online",
    ),
    (
        "amazon",
        "Amazon",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
        "online",
    ),
    (
        "netflix",
        "Netflix",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        "online",
    ),
    (
        "shell",
        "Shell",
        "TRANSPORTATION",
        "TRANSPORTATION_GAS",
        "in store",
    ),
    ("payroll", "", "INCOME", "INCOME_WAGES", "other"),
    ("gusto", "", "INCOME", "INCOME_WAGES", "other"),
    (
        "rent",
        "",
        "RENT_AND_UTILITIES",
        "RENT_AND_UTILITIES_RENT",
        "other",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[ENRICH];

/// `/transactions/enrich`, whose example gives every enriched transaction
/// its shape.
const ENRICH: Route = Route::new("/transactions/enrich", |_, body| Some(Ok(enrich(body))));

fn enrich(body: &Map<String, Value>) -> Value {
    let template = example(ENRICH.path)["enriched_transactions"][0].clone();
    let account_type = body.get("account_type").cloned().unwrap_or(Value::Null);
    let enriched: Vec<Value> = body
        .get("transactions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|sent| enriched(&template, sent, &account_type))
        .collect();
    json!({"enriched_transactions": enriched})
}

fn enriched(template: &Value, sent: &Value, account_type: &Value) -> Value {
    let description = sent["description"].as_str().unwrap_or_default();
    let incoming = sent["direction"] == "INFLOW";
    let lower = description.to_lowercase();
    let known = MERCHANTS
        .iter()
        .find(|(fragment, ..)| lower.contains(fragment));
    let (merchant, primary, detailed, channel) = match known {
        Some((_, merchant, primary, detailed, channel)) => {
            (*merchant, *primary, *detailed, *channel)
        }
        None if incoming => ("", "INCOME", "INCOME_OTHER_INCOME", "other"),
        None => (
            "",
            "GENERAL_MERCHANDISE",
            "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
            "other",
        ),
    };
    let named = !merchant.is_empty();
    let location = sent.get("location").cloned().unwrap_or(Value::Null);
    let field = |name: &str| location.get(name).cloned().unwrap_or(Value::Null);
    let mut out = template.clone();
    for name in [
        "id",
        "description",
        "amount",
        "direction",
        "iso_currency_code",
    ] {
        out[name] = sent.get(name).cloned().unwrap_or(Value::Null);
    }
    for name in ["client_user_id", "client_account_id", "account_subtype"] {
        match sent.get(name) {
            Some(value) => out[name] = value.clone(),
            None => {
                if let Some(fields) = out.as_object_mut() {
                    fields.remove(name);
                }
            }
        }
    }
    out["account_type"] = sent
        .get("account_type")
        .cloned()
        .unwrap_or_else(|| account_type.clone());
    let icon = format!("https://plaid-category-icons.plaid.com/PFC_{primary}.png");
    let counterparties = if named {
        json!([{"name": merchant, "type": "merchant", "entity_id": null, "logo_url": null,
                "website": null, "phone_number": null, "confidence_level": "HIGH"}])
    } else {
        json!([])
    };
    out["enrichments"] = json!({
        "counterparties": counterparties,
        "entity_id": null,
        "location": {
            "address": field("address"), "city": field("city"), "country": field("country"),
            "lat": null, "lon": null, "postal_code": field("postal_code"),
            "region": field("region"), "store_number": null
        },
        "logo_url": null,
        "merchant_name": if named { json!(merchant) } else { Value::Null },
        "payment_channel": channel,
        "personal_finance_category": {
            "primary": primary, "detailed": detailed,
            "confidence_level": if known.is_some() { "VERY_HIGH" } else { "LOW" }
        },
        "personal_finance_category_icon_url": icon,
        "phone_number": null,
        "website": null,
    });
    out
}
