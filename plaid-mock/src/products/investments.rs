//! Investments: holdings and investment transactions of the item's own
//! investment accounts (the test user's IRA and 401k), with the securities
//! they name. What the holdings are worth is the accounts' balance.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::{Date, Duration};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::rng::Rng;
use crate::kit::fields::example;
use crate::kit::options;
use crate::sandbox::data::{format_date, Account, Institution};
use crate::sandbox::{item_json, parse_date, Item, State};

/// Security ids of the spec's example securities the holdings name.
const CASH: &str = "d6ePmbPxgWCWmMVv66q9iPV94n91vMtov5Are";
const NFLX_CALL: &str = "8E4L9XLl6MudjEpwPAAgivmdZRdBPJuvMPlPb";
const ACHN: &str = "KDwjlXj1Rqt58dVvmzRguxJybmyQL8FgeWWAy";
const DBLTX: &str = "NDVQrXQoqzt5v3bAe8qRt4A7mK7wvZCLEBBJk";
const MIPTX: &str = "JDdP7XPMklt5vwPmDN45t3KAoWAPmjtpaW7DP";
const NH_PORTFOLIO: &str = "nnmo8doZ4lfKNEDe3mPJipLGkaGw3jfPrpxoN";
const TREASURY_BILL: &str = "Lxe4yz4XQEtwb2YArO7RFMpPDvPxy7FALRyea";

/// One position: security, quantity, price, cost basis.
type Position = (&'static str, f64, f64, f64);

/// The IRA's positions (worth 320.76, its balance).
const IRA: &[Position] = &[(CASH, 210.76, 1.0, 1.0), (NFLX_CALL, 10000.0, 0.011, 0.01)];

/// The 401k's positions (worth 23631.9805, its balance).
const FOUR_O_ONE_K: &[Position] = &[
    (ACHN, 1.0, 2.11, 1.5),
    (DBLTX, 2.0, 10.42, 10.0),
    (MIPTX, 23.567, 27.0, 23.0),
    (NH_PORTFOLIO, 100.05, 13.73, 15.0),
    (TREASURY_BILL, 10.0, 94.808, 948.08),
    (CASH, 20650.955, 1.0, 1.0),
];

/// The positions an account holds (none for accounts that are not
/// investment accounts).
fn positions(account: &Account) -> &'static [Position] {
    match (&*account.kind, &*account.subtype) {
        ("investment", "ira") => IRA,
        ("investment", "401k") => FOUR_O_ONE_K,
        _ => &[],
    }
}

/// A transaction in an investment account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct InvestmentTransaction {
    pub investment_transaction_id: String,
    pub account_id: String,
    pub security_id: String,
    pub date: String,
    pub name: String,
    pub quantity: f64,
    pub amount: f64,
    pub price: f64,
    pub kind: String,
    pub subtype: String,
}

impl InvestmentTransaction {
    fn to_json(&self) -> Value {
        json!({
            "investment_transaction_id": self.investment_transaction_id,
            "account_id": self.account_id,
            "security_id": self.security_id,
            "date": self.date,
            "name": self.name,
            "quantity": self.quantity,
            "amount": self.amount,
            "price": self.price,
            "fees": 0.0,
            "type": self.kind,
            "subtype": self.subtype,
            "iso_currency_code": "USD",
            "unofficial_currency_code": null,
        })
    }
}

/// Two years of monthly activity in the item's investment accounts, newest
/// first: a contribution and a fund purchase in the 401k every month, a
/// dividend every quarter, a contribution to the IRA every other month.
/// Drawn from the item id, so the item's other ids do not change.
pub(crate) fn history(
    item_id: &str,
    accounts: &[Account],
    today: Date,
) -> Vec<InvestmentTransaction> {
    let mut rng = Rng::new(item_id.bytes().fold(0x1f2e_3d4c, |h: u64, b| {
        h.wrapping_mul(131).wrapping_add(u64::from(b))
    }));
    let mut out = Vec::new();
    let mut add =
        |rng: &mut Rng, account: &Account, date: Date, entry: (&str, &str, &str, f64, f64, f64)| {
            let (security_id, kind, subtype, quantity, price, amount) = entry;
            let name = match subtype {
                "contribution" => "CONTRIBUTION".to_owned(),
                "buy" => "BUY DoubleLine Total Return Bond Fund".to_owned(),
                _ => "INCOME DIV DIVIDEND RECEIVED Matthews Pacific Tiger Fund".to_owned(),
            };
            out.push(InvestmentTransaction {
                investment_transaction_id: rng.id(),
                account_id: account.account_id.clone(),
                security_id: security_id.to_owned(),
                date: format_date(date),
                name,
                quantity,
                amount,
                price,
                kind: kind.to_owned(),
                subtype: subtype.to_owned(),
            });
        };
    for month in 0..24i64 {
        let date = today - Duration::days(3 + 30 * month);
        for account in accounts.iter().filter(|a| a.kind == "investment") {
            if account.subtype == "401k" {
                add(
                    &mut rng,
                    account,
                    date,
                    (CASH, "cash", "contribution", 500.0, 1.0, -500.0),
                );
                let units = (1 + rng.below(20)) as f64;
                let cost = (units * 10.42 * 100.0).round() / 100.0;
                add(
                    &mut rng,
                    account,
                    date,
                    (DBLTX, "buy", "buy", units, 10.42, cost),
                );
                if month % 3 == 0 {
                    let cents = 500 + rng.below(1000) as i64;
                    add(
                        &mut rng,
                        account,
                        date,
                        (MIPTX, "cash", "dividend", 0.0, 0.0, -(cents as f64) / 100.0),
                    );
                }
            } else if month % 2 == 0 {
                add(
                    &mut rng,
                    account,
                    date,
                    (CASH, "cash", "contribution", 100.0, 1.0, -100.0),
                );
            }
        }
    }
    out
}

/// Answers `/investments/holdings/get`, `/investments/transactions/get`,
/// `/investments/refresh` and `/investments/auth/get`.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    let token = crate::kit::fields::text(body, "access_token");
    Some(match path {
        "/investments/holdings/get" => {
            investment_item(state, token).map(|item| holdings(item, body))
        }
        "/investments/transactions/get" => {
            investment_item(state, token).and_then(|item| transactions(item, body))
        }
        "/investments/refresh" => refresh(state, token),
        "/investments/auth/get" => auth(state, token, body),
        _ => return None,
    })
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
            return Err(crate::kit::items::invalid_account_id());
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
    let identity = Map::from_iter([("access_token".into(), json!(token))]);
    let identity = state
        .answer("/identity/get", &identity)
        .unwrap_or_else(|| Err(crate::kernel::errors::invalid_access_token()))?;
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
    let known = example("/investments/holdings/get")["securities"].clone();
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
    let number = |name: &str, default: u64| {
        options::setting(body, name)
            .and_then(Value::as_u64)
            .unwrap_or(default) as usize
    };
    let (count, offset) = (number("count", 100), number("offset", 0));
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
