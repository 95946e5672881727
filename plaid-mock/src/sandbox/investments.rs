//! The investment accounts' data: the holdings each investment account
//! keeps (the test user's IRA and 401k, worth their balances) and the
//! investment transactions an item's accounts have, made when the item is
//! linked.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::{Date, Duration};

use crate::kernel::rng::Rng;
use crate::sandbox::data::{format_date, Account};

/// Security ids of the spec's example securities the holdings name.
pub(crate) const CASH: &str = "d6ePmbPxgWCWmMVv66q9iPV94n91vMtov5Are";
pub(crate) const NFLX_CALL: &str = "8E4L9XLl6MudjEpwPAAgivmdZRdBPJuvMPlPb";
pub(crate) const ACHN: &str = "KDwjlXj1Rqt58dVvmzRguxJybmyQL8FgeWWAy";
pub(crate) const DBLTX: &str = "NDVQrXQoqzt5v3bAe8qRt4A7mK7wvZCLEBBJk";
pub(crate) const MIPTX: &str = "JDdP7XPMklt5vwPmDN45t3KAoWAPmjtpaW7DP";
pub(crate) const NH_PORTFOLIO: &str = "nnmo8doZ4lfKNEDe3mPJipLGkaGw3jfPrpxoN";
pub(crate) const TREASURY_BILL: &str = "Lxe4yz4XQEtwb2YArO7RFMpPDvPxy7FALRyea";

/// One position: security, quantity, price, cost basis.
pub(crate) type Position = (&'static str, f64, f64, f64);

/// The IRA's positions (worth 320.76, its balance).
pub(crate) const IRA: &[Position] = &[(CASH, 210.76, 1.0, 1.0), (NFLX_CALL, 10000.0, 0.011, 0.01)];

/// The 401k's positions (worth 23631.9805, its balance).
pub(crate) const FOUR_O_ONE_K: &[Position] = &[
    (ACHN, 1.0, 2.11, 1.5),
    (DBLTX, 2.0, 10.42, 10.0),
    (MIPTX, 23.567, 27.0, 23.0),
    (NH_PORTFOLIO, 100.05, 13.73, 15.0),
    (TREASURY_BILL, 10.0, 94.808, 948.08),
    (CASH, 20650.955, 1.0, 1.0),
];

/// The positions an account holds (none for accounts that are not
/// investment accounts).
pub(crate) fn positions(account: &Account) -> &'static [Position] {
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
    pub(crate) fn to_json(&self) -> Value {
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
