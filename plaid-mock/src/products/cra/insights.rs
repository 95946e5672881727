//! What a ready Consumer Report answers besides the Base Report: Income
//! Insights made from the items' credits (the income sources Bank Income
//! finds, one stream each), and the partner, network, cash-flow, LendScore
//! and credit-profile answers, which carry the spec's example
//! scores and attributes around the report's own id, time and items.

use serde_json::{json, Map, Value};
use time::{Date, Duration};

use super::super::bank_income::{category, frequency, sources, total};
use super::CheckReport;
use crate::kernel::errors::ErrorAnswer;
use crate::kernel::time::{rfc3339, rfc3339_of};
use crate::kit::example::example;
use crate::kit::fields::sent;
use crate::kit::route::{Handled, Route};
use crate::sandbox::data::format_date;
use crate::sandbox::institutions::institution_name;
use crate::sandbox::State;

/// The operations this part of Plaid Check answers.
pub(crate) const ROUTES: &[Route] = &[
    CASHFLOW_INSIGHTS,
    LEND_SCORE,
    Route::new("/cra/check_report/verification/get", |s, b| {
        read(s, b, |_, r, b| super::verification::answer(r, b))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/cra/check_report/base_report/get", |s, b| {
        read(s, b, |_, r, b| Ok(base_report(r, b)))
    })
    .refuses_samples("MISSING_FIELDS"),
    Route::new("/cra/check_report/income_insights/get", |s, b| {
        read(s, b, |_, r, _| {
            Ok(json!({"report": r.income, "warnings": []}))
        })
    })
    .refuses_samples("MISSING_FIELDS"),
    PARTNER_INSIGHTS,
    Route::new("/cra/partner_insights/get", |s, b| {
        read(s, b, |_, r, _| {
            let mut one = partner_insights(r)["report"].take();
            if let Some(fields) = one.as_object_mut() {
                fields.remove("client_report_id");
            }
            Ok(json!({"report": [one]}))
        })
    })
    .refuses_samples("INVALID_FIELD"),
    NETWORK_INSIGHTS,
    CREDIT_PROFILE,
];

/// `/cra/check_report/cashflow_insights/get`: its example around the
/// report's id and time.
const CASHFLOW_INSIGHTS: Route = Route::new("/cra/check_report/cashflow_insights/get", |s, b| {
    read(s, b, |_, r, _| Ok(framed(CASHFLOW_INSIGHTS.path, r)))
})
.refuses_samples("MISSING_FIELDS");

/// `/cra/check_report/lend_score/get`: its example around the report's id
/// and time.
const LEND_SCORE: Route = Route::new("/cra/check_report/lend_score/get", |s, b| {
    read(s, b, |_, r, _| Ok(framed(LEND_SCORE.path, r)))
})
.refuses_samples("MISSING_FIELDS");

/// `/cra/check_report/partner_insights/get`, whose example gives the
/// partner's scores.
const PARTNER_INSIGHTS: Route = Route::new("/cra/check_report/partner_insights/get", |s, b| {
    read(s, b, |_, r, _| Ok(partner_insights(r)))
})
.refuses_samples("MISSING_FIELDS");

/// `/cra/check_report/network_insights/get`, whose example gives the
/// network attributes.
const NETWORK_INSIGHTS: Route = Route::new("/cra/check_report/network_insights/get", |s, b| {
    read(s, b, |_, r, _| Ok(network_insights(r)))
})
.refuses_samples("MISSING_FIELDS");

/// `/cra/credit_profile/report/get`, whose example gives the profile.
const CREDIT_PROFILE: Route = Route::new("/cra/credit_profile/report/get", |s, b| {
    read(s, b, |_, r, b| Ok(credit_profile(r, b)))
})
.refuses_samples("INVALID_FIELD");

/// Makes one read's answer from the user's ready report.
type Build = fn(&State, &CheckReport, &Map<String, Value>) -> Result<Value, ErrorAnswer>;

/// Answers a report read with `build`, from the user's ready report (or
/// the reason there is none).
fn read(state: &mut State, body: &Map<String, Value>, build: Build) -> Handled {
    let report = super::find(state, body).and_then(|id| super::ready(state, &id));
    Some(report.and_then(|report| build(state, &report, body)))
}

/// The spec's example answer for the operation with the report's id and
/// time in place of the example's.
fn framed(path: &str, report: &CheckReport) -> Value {
    let mut answer = example(path);
    stamp(&mut answer["report"], report);
    answer
}

fn stamp(target: &mut Value, report: &CheckReport) {
    target["report_id"] = report.report_id.clone().into();
    target["generated_time"] = rfc3339_of(report.created_at).into();
    match (&report.client_report_id, target.as_object_mut()) {
        (Some(id), Some(fields)) => {
            fields.insert("client_report_id".into(), id.clone().into());
        }
        (None, Some(fields)) => {
            fields.remove("client_report_id");
        }
        _ => {}
    }
}

/// The Base Report, limited to `item_ids` when the request names some.
fn base_report(report: &CheckReport, body: &Map<String, Value>) -> Value {
    let mut base = report.base.clone();
    if let Some(wanted) = body.get("item_ids").and_then(Value::as_array) {
        if let Some(items) = base["items"].as_array_mut() {
            items.retain(|i| wanted.contains(&i["item_id"]));
        }
    }
    json!({"report": base, "warnings": []})
}

/// The report's items, each with the fields the insights answers share.
fn items_of(report: &CheckReport) -> impl Iterator<Item = &Value> {
    report.base["items"].as_array().into_iter().flatten()
}

/// An account as the partner insights list it (no balances or
/// transactions; only depository accounts are listed there).
fn short_account(account: &Value) -> Value {
    json!({
        "account_id": account["account_id"],
        "mask": account["mask"],
        "metadata": account["metadata"],
        "name": account["name"],
        "official_name": account["official_name"],
        "type": account["type"],
        "subtype": account["subtype"],
        "owners": account["owners"],
    })
}

fn partner_insights(report: &CheckReport) -> Value {
    let mut answer = example(PARTNER_INSIGHTS.path);
    stamp(&mut answer["report"], report);
    answer["report"]["items"] = items_of(report)
        .map(|item| {
            json!({
                "institution_id": item["institution_id"],
                "institution_name": item["institution_name"],
                "item_id": item["item_id"],
                "accounts": item["accounts"].as_array().into_iter().flatten()
                    .filter(|a| a["type"] == "depository").map(short_account).collect::<Vec<_>>(),
            })
        })
        .collect();
    answer
}

fn network_insights(report: &CheckReport) -> Value {
    let mut answer = example(NETWORK_INSIGHTS.path);
    stamp(&mut answer["report"], report);
    answer["report"]["items"] = items_of(report)
        .map(|item| {
            json!({"institution_id": item["institution_id"],
                   "institution_name": item["institution_name"], "item_id": item["item_id"]})
        })
        .collect();
    answer
}

fn credit_profile(report: &CheckReport, body: &Map<String, Value>) -> Value {
    let mut answer = example(CREDIT_PROFILE.path);
    answer["user_id"] = sent(body, "user_id");
    answer["warnings"] = json!([]);
    let target = &mut answer["report"];
    target["date_retrieved"] = rfc3339_of(report.created_at).into();
    target["inquiry_type"] = sent(body, "inquiry_type");
    target["client_report_id"] = sent(body, "client_report_id");
    answer
}

/// `CraIncomeInsights` over the items' credits in the report's days: one
/// stream per income source Bank Income would find.
pub(super) fn income(
    state: &mut State,
    item_ids: &[String],
    report_id: &str,
    days: i64,
    client_report_id: Option<&str>,
) -> Value {
    let now = state.now();
    let today = now.date();
    let since = today - Duration::days(days);
    let months = days as f64 / 30.4;
    let mut streams = Vec::new();
    let mut items = Vec::new();
    let mut monthly_total = 0.0;
    let mut found_streams = Vec::new();
    for item in item_ids.iter().filter_map(|i| state.items.get(i)) {
        for ((account_id, name), found) in sources(item, since, today) {
            let dates: Vec<Date> = found.iter().map(|t| t.date).collect();
            let transactions: Vec<Value> = found
                .iter()
                .map(|t| {
                    json!({"transaction_id": t.transaction_id, "item_id": item.item_id,
                           "account_id": account_id, "amount": -t.amount,
                           "date": format_date(t.date), "original_description": t.name,
                           "outlier": {"is_outlier": false},
                           "iso_currency_code": "USD", "unofficial_currency_code": null})
                })
                .collect();
            found_streams.push((name, dates, total(&found), transactions));
        }
        let accounts: Vec<Value> = item
            .accounts
            .iter()
            .filter(|a| a.kind == "depository")
            .map(|a| {
                let base = a.to_json();
                json!({"account_id": a.account_id, "mask": base["mask"], "name": base["name"],
                       "official_name": base["official_name"], "type": "depository",
                       "subtype": base["subtype"], "owners": [],
                       "metadata": {"start_date": format_date(since + Duration::days(1)),
                                    "end_date": format_date(today)}})
            })
            .collect();
        items.push(json!({
            "item_id": item.item_id,
            "institution_id": item.institution_id,
            "institution_name": institution_name(&item.institution_id),
            "last_updated_time": rfc3339(now),
            "accounts": accounts,
            "bank_income_accounts": [],
            "bank_income_sources": [],
        }));
    }
    for (name, dates, amount, transactions) in found_streams {
        let monthly = (amount / months * 100.0).round() / 100.0;
        monthly_total += monthly;
        let newest = dates.iter().max().copied().unwrap_or(today);
        let pay_frequency = frequency(&dates);
        let gap = match pay_frequency {
            "DAILY" => Some(1),
            "WEEKLY" => Some(7),
            "BIWEEKLY" => Some(14),
            "SEMI_MONTHLY" => Some(15),
            "MONTHLY" => Some(30),
            _ => None,
        };
        let secondary = category(&name);
        let primary = if secondary == "SALARY" {
            "EARNED_INCOME"
        } else {
            "OTHER"
        };
        streams.push(json!({
            "income_stream_id": state.rng.uuid(),
            "start_date": dates.iter().min().map(|d| format_date(*d)),
            "end_date": format_date(newest),
            "description": name,
            "insights": {
                "income_category": {"primary": primary, "secondary": secondary},
                "pay_frequency": pay_frequency,
                "income_provider": {"name": name, "is_normalized": false},
                "next_payment": gap.map(|g| json!({"date": format_date(newest + Duration::days(g))})),
                "status": if today - newest <= Duration::days(45) { "ACTIVE" } else { "INACTIVE" },
            },
            "income_metrics": metrics(monthly),
            "transactions": transactions,
        }));
    }
    let mut report = json!({
        "report_id": report_id,
        "generated_time": rfc3339(now),
        "days_requested": days,
        "user_summary": {"income_metrics": [metrics((monthly_total * 100.0_f64).round() / 100.0)]},
        "income_streams": streams,
        "items": items,
    });
    if let Some(id) = client_report_id {
        report["client_report_id"] = id.into();
    }
    report
}

/// Modelled income from a monthly figure (deposits are net pay, so gross
/// and net are the same figure in the fake).
fn metrics(monthly: f64) -> Value {
    let annual = (monthly * 12.0 * 100.0).round() / 100.0;
    let values = json!({"monthly": {"gross_income": monthly, "net_income": monthly},
                        "annual": {"gross_income": annual, "net_income": annual}});
    json!({"current": values, "projected": values, "iso_currency_code": "USD",
           "unofficial_currency_code": null})
}
