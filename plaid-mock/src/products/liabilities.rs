//! Liabilities: the details of the item's own credit card, student loan and
//! mortgage, shaped as the spec's example and tied to the accounts'
//! numbers, balances and today's date.

use serde_json::{Map, Value};
use time::Duration;

use super::investments::supported;
use crate::kit::example::example;
use crate::kit::fields::text;
use crate::kit::route::{Handled, Route};
use crate::sandbox::data::{format_date, Account};
use crate::sandbox::{accounts_json, item_json, State};

/// Answers `/liabilities/get`.
/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[GET];

/// `/liabilities/get`, whose example gives the fake its loan terms.
const GET: Route = Route::new("/liabilities/get", handle);

/// Answers `/liabilities/get`.
pub(crate) fn handle(state: &mut State, body: &Map<String, Value>) -> Handled {
    let today = state.now().date();
    let day = |days: i64| Value::String(format_date(today + Duration::days(days)));
    Some(
        state
            .healthy_item(text(body, "access_token"))
            .and_then(|item| {
                supported(item, "liabilities")?;
                let template = example(GET.path)["liabilities"].clone();
                let (mut credit, mut student, mut mortgage) = (Vec::new(), Vec::new(), Vec::new());
                for account in &item.accounts {
                    match (&*account.kind, &*account.subtype) {
                        ("credit", "credit card") => {
                            let mut card = for_account(&template["credit"][0], account);
                            card["last_statement_balance"] = account.current.into();
                            card["last_statement_issue_date"] = day(-5);
                            card["last_payment_date"] = day(-11);
                            card["next_payment_due_date"] = day(20);
                            credit.push(card);
                        }
                        ("loan", "student") => {
                            let mut loan = for_account(&template["student"][0], account);
                            loan["account_number"] = format!("427707{}", account.mask).into();
                            loan["payment_reference_number"] = loan["account_number"].clone();
                            loan["last_statement_issue_date"] = day(-5);
                            loan["last_payment_date"] = day(-11);
                            loan["next_payment_due_date"] = day(20);
                            student.push(loan);
                        }
                        ("loan", "mortgage") => {
                            let mut loan = for_account(&template["mortgage"][0], account);
                            loan["account_number"] = format!("312019{}", account.mask).into();
                            loan["last_payment_date"] = day(-14);
                            loan["next_payment_due_date"] = day(17);
                            mortgage.push(loan);
                        }
                        _ => {}
                    }
                }
                Ok(serde_json::json!({
                    "accounts": accounts_json(item),
                    "item": item_json(item),
                    "liabilities": {"credit": credit, "student": student, "mortgage": mortgage},
                }))
            }),
    )
}

/// The example's entry, for `account`.
fn for_account(template: &Value, account: &Account) -> Value {
    let mut entry = template.clone();
    entry["account_id"] = account.account_id.clone().into();
    entry
}
