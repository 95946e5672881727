//! `/cra/check_report/verification/get`: the parts the request asks for,
//! made from the report's Base Report. Verification of Assets lists each
//! account with its balances, daily balance history and transactions;
//! Employment Refresh lists the payroll deposits of the depository
//! accounts within its days. (The fake does not make the `INCOME` part.)

use serde_json::{json, Map, Value};

use super::super::bank_income::category;
use super::CheckReport;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::rfc3339_of;

/// The verification answer for `report`; Employment Refresh needs
/// `employment_refresh_options.days_requested`, as Plaid says.
pub(super) fn answer(
    report: &CheckReport,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let wanted = |part: &str| {
        body.get("reports_requested")
            .and_then(Value::as_array)
            .is_some_and(|parts| parts.iter().any(|p| p == part))
    };
    let mut out = json!({"report_id": report.report_id,
                         "client_report_id": report.client_report_id});
    if wanted("VOA") {
        out["voa"] = voa(report);
    }
    if wanted("EMPLOYMENT_REFRESH") {
        let days = body
            .get("employment_refresh_options")
            .and_then(|o| o.get("days_requested"))
            .and_then(Value::as_i64)
            .ok_or_else(|| errors::missing_fields(&["employment_refresh_options.days_requested"]))?
            .clamp(1, report.days_requested);
        out["employment_refresh"] = employment(report, days);
    }
    Ok(json!({"report": out, "warnings": []}))
}

fn items(report: &CheckReport) -> impl Iterator<Item = &Value> {
    report.base["items"].as_array().into_iter().flatten()
}

fn accounts(item: &Value) -> impl Iterator<Item = &Value> {
    item["accounts"].as_array().into_iter().flatten()
}

/// The mean of the first `days` daily balances of `history` (newest
/// first), to the cent.
fn mean(history: &Value, days: usize) -> Value {
    let values: Vec<f64> = history
        .as_array()
        .into_iter()
        .flatten()
        .take(days)
        .filter_map(|b| b["current"].as_f64())
        .collect();
    if values.is_empty() {
        return Value::Null;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    ((mean * 100.0).round() / 100.0).into()
}

fn voa(report: &CheckReport) -> Value {
    let items: Vec<Value> = items(report)
        .map(|item| {
            let accounts: Vec<Value> = accounts(item)
                .map(|a| {
                    let history = &a["historical_balances"];
                    json!({
                        "account_id": a["account_id"],
                        "balances": {
                            "available": a["balances"]["available"],
                            "current": a["balances"]["current"],
                            "iso_currency_code": "USD",
                            "unofficial_currency_code": null,
                            "historical_balances": history,
                            "average_balance_30_days": mean(history, 30),
                            "average_balance_60_days": mean(history, 60),
                            "nsf_overdraft_transactions_count": 0,
                        },
                        "consumer_disputes": [],
                        "mask": a["mask"],
                        "name": a["name"],
                        "official_name": a["official_name"],
                        "type": a["type"],
                        "subtype": a["subtype"],
                        "days_available": a["days_available"],
                        "transactions_insights": {
                            "all_transactions": a["transactions"],
                            "start_date": a["metadata"]["start_date"],
                            "end_date": a["metadata"]["end_date"],
                        },
                        "owners": a["owners"],
                        "ownership_type": null,
                    })
                })
                .collect();
            json!({"accounts": accounts, "institution_name": item["institution_name"],
                   "institution_id": item["institution_id"], "item_id": item["item_id"],
                   "last_update_time": item["date_last_updated"]})
        })
        .collect();
    let attributes = &report.base["attributes"];
    json!({
        "generated_time": rfc3339_of(report.created_at),
        "days_requested": report.days_requested,
        "attributes": {"total_inflow_amount": attributes["total_inflow_amount"],
                       "total_outflow_amount": attributes["total_outflow_amount"]},
        "items": items,
    })
}

/// Payroll deposits (credits `SALARY` by their description) to depository
/// accounts in the last `days` days of the report.
fn employment(report: &CheckReport, days: i64) -> Value {
    let end = report.base["items"][0]["accounts"][0]["metadata"]["end_date"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let cutoff = time::OffsetDateTime::from_unix_timestamp(report.created_at)
        .map(|t| t.date() - time::Duration::days(days))
        .map(crate::sandbox::data::format_date)
        .unwrap_or_default();
    let items: Vec<Value> = items(report)
        .map(|item| {
            let accounts: Vec<Value> = accounts(item)
                .filter(|a| a["type"] == "depository")
                .map(|a| {
                    let payroll: Vec<Value> = a["transactions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|t| t["amount"].as_f64().is_some_and(|x| x < 0.0))
                        .filter(|t| {
                            t["date"]
                                .as_str()
                                .is_some_and(|d| *d > *cutoff && *d <= *end)
                        })
                        .filter(|t| {
                            category(t["original_description"].as_str().unwrap_or_default())
                                == "SALARY"
                        })
                        .map(|t| {
                            json!({"account_id": t["account_id"],
                                   "original_description": t["original_description"],
                                   "date": t["date"], "pending": t["pending"],
                                   "transaction_id": t["transaction_id"]})
                        })
                        .collect();
                    json!({"account_id": a["account_id"], "name": a["name"],
                           "official_name": a["official_name"], "type": a["type"],
                           "subtype": a["subtype"], "transactions": payroll})
                })
                .collect();
            json!({"accounts": accounts, "institution_name": item["institution_name"],
                   "institution_id": item["institution_id"], "item_id": item["item_id"],
                   "last_update_time": item["date_last_updated"]})
        })
        .collect();
    json!({"generated_time": rfc3339_of(report.created_at), "days_requested": days,
           "items": items})
}
