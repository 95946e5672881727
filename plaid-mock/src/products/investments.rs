//! Investments: holdings and investment transactions of the item's own
//! investment accounts (the test user's IRA and 401k), with the securities
//! they name. What the holdings are worth is the accounts' balance.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::errors::Refusal;
use crate::kit::example::example;
use crate::kit::fields::text;
use crate::kit::options;
use crate::kit::route::{Handled, Route};
use crate::sandbox::data::{format_date, Account, Institution};
use crate::sandbox::investments::{positions, InvestmentTransaction};
use crate::sandbox::{item_json, parse_date, Item, State};

/// `/investments/holdings/get`, whose example lists the securities the
/// fake knows.
const HOLDINGS_GET: Route = Route::new("/investments/holdings/get", holdings_get);

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "Investments or Liabilities for an item whose institution does not offer them (the UK ones)",
        400,
        "ITEM_ERROR",
        "PRODUCTS_NOT_SUPPORTED",
    ),
    Refusal::new(
        "`/investments/transactions/get` with `start_date` after `end_date`",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "`/investments/auth/get` or `/identity/documents/uploads/get` with an `options.account_ids` entry that is not the item's",
        400,
        "INVALID_INPUT",
        "INVALID_ACCOUNT_ID",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    HOLDINGS_GET,
    Route::new("/investments/transactions/get", transactions_get),
    Route::new("/investments/refresh", |state, body| {
        Some(refresh(state, text(body, "access_token")))
    }),
    Route::new("/investments/auth/get", auth_get),
];

/// Answers `/investments/holdings/get`.
pub(crate) fn holdings_get(state: &mut State, body: &Map<String, Value>) -> Handled {
    let token = text(body, "access_token");
    Some(investment_item(state, token).map(|item| holdings(item, body)))
}

/// Answers `/investments/transactions/get`.
pub(crate) fn transactions_get(state: &mut State, body: &Map<String, Value>) -> Handled {
    let token = text(body, "access_token");
    Some(investment_item(state, token).and_then(|item| transactions(item, body)))
}

/// Answers `/investments/auth/get`.
pub(crate) fn auth_get(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(auth(state, text(body, "access_token"), body))
}

/// `/investments/refresh`: the holdings and investment transactions are
/// pulled again. The fake's never change, so no webhook follows: Plaid
/// fires `HOLDINGS`/`INVESTMENTS_TRANSACTIONS` `DEFAULT_UPDATE` only for new
/// data, and says its sandbox typically has none.
fn refresh(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    investment_item(state, token)?;
    Ok(json!({}))
}

/// `/investments/auth/get`: the item's accounts (as Plaid's example, not
/// only the investment ones) with the holdings, owners (the names
/// `/identity/get` gives) and, for investment accounts, ACATS numbers (an
/// account number made from the mask), all from the institution.
fn auth(state: &mut State, token: &str, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let item = investment_item(state, token)?;
    if let Some(ids) = options::account_ids(body) {
        if ids
            .iter()
            .any(|id| !item.accounts.iter().any(|a| a.account_id == *id))
        {
            return Err(crate::kit::accounts::invalid_account_id());
        }
    }
    let mut answer = holdings(item, body);
    let accounts = answer["accounts"].as_array().cloned().unwrap_or_default();
    let acats: Vec<Value> = accounts
        .iter()
        .filter(|a| a["type"] == "investment")
        .map(|a| {
            json!({"account_id": a["account_id"],
                   "account": format!("TR{}", a["mask"].as_str().unwrap_or_default()),
                   "dtc_numbers": ["0226"]})
        })
        .collect();
    let identity = state.identity(token)?;
    let owners: Vec<Value> = identity["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| {
            accounts
                .iter()
                .any(|mine| mine["account_id"] == a["account_id"])
        })
        .map(|a| {
            let names: Vec<Value> = a["owners"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|o| o["names"].as_array().cloned().unwrap_or_default())
                .collect();
            json!({"account_id": a["account_id"], "names": names})
        })
        .collect();
    answer["owners"] = json!(owners);
    answer["numbers"] = json!({ "acats": acats });
    answer["data_sources"] =
        json!({"numbers": "INSTITUTION", "owners": "INSTITUTION", "holdings": "INSTITUTION"});
    Ok(answer)
}

/// The item behind `token`, if its institution offers Investments.
fn investment_item<'s>(state: &'s mut State, token: &str) -> Result<&'s Item, ErrorAnswer> {
    let item = state.healthy_item(token)?;
    supported(item, "investments")?;
    Ok(item)
}

/// Fails as Plaid does when the item's institution lacks `product`.
pub(crate) fn supported(item: &Item, product: &str) -> Result<(), ErrorAnswer> {
    let offered =
        Institution::find(&item.institution_id).is_some_and(|i| i.products.contains(&product));
    if offered {
        Ok(())
    } else {
        Err(ErrorAnswer::new(
            400,
            "ITEM_ERROR",
            "PRODUCTS_NOT_SUPPORTED",
            format!("the item's institution does not offer {product}"),
        ))
    }
}

/// The item's accounts the request asks about (`options.account_ids`).
fn chosen<'i>(item: &'i Item, body: &Map<String, Value>) -> Vec<&'i Account> {
    let ids: Option<HashSet<&str>> = options::account_ids(body);
    item.accounts
        .iter()
        .filter(|a| {
            ids.as_ref()
                .is_none_or(|ids| ids.contains(a.account_id.as_str()))
        })
        .collect()
}

/// An account as the investment and asset schemas have it: with
/// `margin_loan_amount` among its balances (`null`: no margin loans).
pub(crate) fn account_json(account: &Account) -> Value {
    let mut json = account.to_json();
    json["balances"]["margin_loan_amount"] = Value::Null;
    json
}

/// The spec's example securities named by `ids`, in the order first named.
fn securities<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<Value> {
    let known = example(HOLDINGS_GET.path)["securities"].clone();
    let known = known.as_array().cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(id.to_owned()))
        .filter_map(|id| known.iter().find(|s| s["security_id"] == id).cloned())
        .collect()
}

fn holdings(item: &Item, body: &Map<String, Value>) -> Value {
    let accounts = chosen(item, body);
    let mut held = Vec::new();
    for account in &accounts {
        for (security_id, quantity, price, cost_basis) in positions(account) {
            held.push(json!({
                "account_id": account.account_id,
                "security_id": security_id,
                "institution_price": price,
                "institution_value": quantity * price,
                "cost_basis": cost_basis,
                "quantity": quantity,
                "iso_currency_code": "USD",
                "unofficial_currency_code": null,
            }));
        }
    }
    let securities = securities(held.iter().filter_map(|h| h["security_id"].as_str()));
    json!({
        "accounts": accounts.iter().map(|a| account_json(a)).collect::<Vec<_>>(),
        "holdings": held,
        "securities": securities,
        "item": item_json(item),
    })
}

fn transactions(item: &Item, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let start = format_date(parse_date(body, "start_date")?);
    let end = format_date(parse_date(body, "end_date")?);
    if start > end {
        return Err(crate::kernel::errors::invalid_field(
            "start_date must not be after end_date",
        ));
    }
    let (count, offset) = crate::kit::paging::count_offset(body, 100, 500)?;
    let accounts = chosen(item, body);
    let matching: Vec<&InvestmentTransaction> = item
        .investment_transactions
        .iter()
        .filter(|t| t.date >= start && t.date <= end)
        .filter(|t| accounts.iter().any(|a| a.account_id == t.account_id))
        .collect();
    let page: Vec<&InvestmentTransaction> =
        matching.iter().skip(offset).take(count).copied().collect();
    let securities = securities(page.iter().map(|t| t.security_id.as_str()));
    Ok(json!({
        "accounts": accounts.iter().map(|a| account_json(a)).collect::<Vec<_>>(),
        "securities": securities,
        "investment_transactions": page.iter().map(|t| t.to_json()).collect::<Vec<_>>(),
        "total_investment_transactions": matching.len(),
        "item": item_json(item),
    }))
}
