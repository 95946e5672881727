//! What a payroll record is made of and how its documents read: an
//! employer from a short fixed list, a yearly salary paid every other
//! Friday, the two newest pay stubs and last year's W-2. Every amount
//! follows from the salary (gross per period = salary / 26; federal,
//! state, Social Security and Medicare withholding at fixed rates; net =
//! gross − withholding; year-to-date = per period × pay dates so far this
//! year), so the documents agree with each other and with `/credit/employment/get`.
//! The employee was hired more than two years before the record was made,
//! so last year's W-2 covers a whole year of salary.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::{Date, Duration, Month};

use crate::kernel::rng::Rng;
use crate::sandbox::data::format_date;

/// An employer the fake's payroll data names.
pub(crate) struct Employer {
    /// The name, in capitals as pay stubs print it.
    pub name: &'static str,
    /// The street address.
    pub street: &'static str,
    /// The city.
    pub city: &'static str,
    /// The state (two letters).
    pub region: &'static str,
    /// The ZIP code.
    pub postal_code: &'static str,
    /// The job title of the sandbox employee there.
    pub title: &'static str,
    /// The employer's tax id (EIN).
    pub ein: &'static str,
}

/// The employers of the fake's payroll data (and of `/employers/search`).
pub(crate) const EMPLOYERS: [Employer; 4] = [
    Employer {
        name: "PLAID INC",
        street: "1098 HARRISON ST",
        city: "SAN FRANCISCO",
        region: "CA",
        postal_code: "94111",
        title: "Software Engineer",
        ein: "12-3456789",
    },
    Employer {
        name: "ACME INC",
        street: "456 MAIN ST",
        city: "NEW YORK",
        region: "NY",
        postal_code: "10010",
        title: "Account Manager",
        ein: "12-1234567",
    },
    Employer {
        name: "PLATYPUS LOGISTICS LLC",
        street: "77 RIVER RD",
        city: "AUSTIN",
        region: "TX",
        postal_code: "78701",
        title: "Operations Analyst",
        ein: "74-2345678",
    },
    Employer {
        name: "GOOD HARVEST FOODS",
        street: "12 ORCHARD AVE",
        city: "PORTLAND",
        region: "OR",
        postal_code: "97204",
        title: "Store Manager",
        ein: "93-3456789",
    },
];

/// Withholding per pay period, in basis points of gross pay.
const WITHHOLDING: [(&str, i64); 4] = [
    ("FEDERAL INCOME TAX", 1200),
    ("STATE INCOME TAX", 500),
    ("SOCIAL SECURITY TAX", 620),
    ("MEDICARE TAX", 145),
];

/// Pay periods in a year (biweekly pay).
const PERIODS: i64 = 26;

/// A Friday payday every later one is a multiple of 14 days from.
fn first_payday() -> Date {
    Date::from_calendar_date(2020, Month::January, 3).unwrap_or(Date::MIN)
}

/// One person's pay at one employer, as a payroll login or uploaded
/// documents show it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PayrollRecord {
    /// The item the Link session made.
    pub item_id: String,
    /// The user the Link session was for, if any.
    pub user_id: Option<String>,
    /// Uploaded documents (Document Income) rather than a payroll login.
    pub document: bool,
    /// The payroll account (`None` for uploaded documents, as Plaid gives).
    pub account_id: Option<String>,
    /// Index into [`EMPLOYERS`].
    pub employer: usize,
    /// Yearly salary in cents.
    pub annual_cents: i64,
    /// When the employment started (`YYYY-MM-DD`).
    pub hire_date: String,
    /// The employee number the payroll provider gives.
    pub employee_id: String,
    /// Pay dates of the pay stubs, newest first.
    pub pay_dates: Vec<String>,
    /// Document ids of the pay stubs, in the order of `pay_dates`.
    pub stub_ids: Vec<String>,
    /// Document id of last year's W-2.
    pub w2_id: String,
    /// Unix seconds of the last pull (Link or refresh).
    pub updated_at: i64,
    /// What `/credit/payroll_income/parsing_config/update` asked for.
    #[serde(default)]
    pub parsing_config: Vec<String>,
}

impl PayrollRecord {
    /// A new record for `item_id` as of `today`.
    pub(crate) fn new(rng: &mut Rng, item_id: &str, document: bool, today: Date) -> Self {
        let employer = rng.below(EMPLOYERS.len() as u64) as usize;
        let annual_cents = (48 + rng.below(80) as i64) * 1_000 * 100;
        let hire = today - Duration::days(800 + rng.below(1500) as i64);
        let mut record = PayrollRecord {
            item_id: item_id.to_owned(),
            user_id: None,
            document,
            account_id: (!document).then(|| rng.id()),
            employer,
            annual_cents,
            hire_date: format_date(hire),
            employee_id: format!("{:07}", rng.below(10_000_000)),
            pay_dates: Vec::new(),
            stub_ids: Vec::new(),
            w2_id: doc_id(rng),
            updated_at: 0,
            parsing_config: Vec::new(),
        };
        record.pull(rng, today);
        record
    }

    /// Reads the pay stubs again as of `today` (new documents).
    pub(crate) fn pull(&mut self, rng: &mut Rng, today: Date) {
        let stubs = if self.document { 1 } else { 2 };
        let latest = latest_payday(today);
        self.pay_dates = (0..stubs)
            .map(|i| format_date(latest - Duration::days(14 * i)))
            .collect();
        self.stub_ids = (0..stubs).map(|_| doc_id(rng)).collect();
    }

    /// The employer.
    pub(crate) fn employer(&self) -> &'static Employer {
        &EMPLOYERS[self.employer % EMPLOYERS.len()]
    }

    /// Gross pay per period, in cents.
    fn gross_cents(&self) -> i64 {
        self.annual_cents / PERIODS
    }

    /// Each withholding per period, in cents.
    fn withheld_cents(&self) -> Vec<(&'static str, i64)> {
        let gross = self.gross_cents();
        WITHHOLDING
            .iter()
            .map(|(name, bp)| (*name, gross * bp / 10_000))
            .collect()
    }

    /// Net pay per period, in cents.
    fn net_cents(&self) -> i64 {
        self.gross_cents() - self.withheld_cents().iter().map(|(_, c)| c).sum::<i64>()
    }

    /// The W-2's tax year: the year before the newest pay stub.
    pub(crate) fn tax_year(&self) -> i32 {
        self.pay_dates
            .first()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(2024)
            - 1
    }

    /// The pay stubs in the Credit (`/credit/payroll_income/get`) form.
    pub(crate) fn credit_pay_stubs(&self) -> Vec<Value> {
        self.stubs()
            .map(|(id, pay_date, n)| {
                let mut stub = self.stub_body(pay_date, n);
                stub["document_id"] = json!(id);
                stub["document_metadata"] = json!({"document_type": "PAYSTUB",
                    "name": format!("paystub_{pay_date}.pdf"), "status": "PROCESSING_COMPLETE",
                    "download_url": null});
                stub["employee"]["marital_status"] = json!("SINGLE");
                stub["pay_period_details"]["pay_amount"] = money(self.net_cents());
                stub["pay_period_details"]["pay_frequency"] = json!("BIWEEKLY");
                stub["pay_period_details"]["iso_currency_code"] = json!("USD");
                stub["pay_period_details"]["unofficial_currency_code"] = Value::Null;
                stub
            })
            .collect()
    }

    /// The pay stubs in the older (`/income/verification/paystubs/get`) form.
    pub(crate) fn verification_pay_stubs(&self) -> Vec<Value> {
        self.stubs()
            .map(|(id, pay_date, n)| {
                let mut stub = self.stub_body(pay_date, n);
                stub["doc_id"] = json!(id);
                stub["earnings"]["breakdown"][0]["canonical_description"] = json!("REGULAR PAY");
                stub["employee"]["marital_status"] = json!("single");
                stub["pay_period_details"]["check_amount"] = money(self.net_cents());
                stub["pay_period_details"]["pay_frequency"] = json!("PAY_FREQUENCY_BIWEEKLY");
                stub
            })
            .collect()
    }

    /// `(document id, pay date, pay dates so far that year)` of each stub.
    fn stubs(&self) -> impl Iterator<Item = (&str, &str, i64)> + '_ {
        self.stub_ids
            .iter()
            .zip(&self.pay_dates)
            .map(|(id, date)| (id.as_str(), date.as_str(), paydays_in_year_to(date)))
    }

    /// What both pay stub forms share, for the stub paid on `pay_date`,
    /// the `n`th payday of its year.
    fn stub_body(&self, pay_date: &str, n: i64) -> Value {
        let gross = self.gross_cents();
        let withheld = self.withheld_cents();
        let total_withheld: i64 = withheld.iter().map(|(_, c)| c).sum();
        let net = self.net_cents();
        let end = parse_date(pay_date).map(|d| d - Duration::days(5));
        let start = end.map(|d| d - Duration::days(13));
        let hourly = (gross as f64 / 80.0).round() / 100.0;
        let deductions: Vec<Value> = withheld
            .iter()
            .map(|(name, cents)| {
                json!({"current_amount": money(*cents), "description": name,
                       "iso_currency_code": "USD", "unofficial_currency_code": null,
                       "ytd_amount": money(cents * n)})
            })
            .collect();
        json!({
            "deductions": {
                "breakdown": deductions,
                "total": {"current_amount": money(total_withheld), "iso_currency_code": "USD",
                          "unofficial_currency_code": null, "ytd_amount": money(total_withheld * n)},
            },
            "earnings": {
                "breakdown": [{"canonical_description": "REGULAR_PAY", "current_amount": money(gross),
                               "description": "REGULAR PAY", "hours": 80, "iso_currency_code": "USD",
                               "rate": hourly, "unofficial_currency_code": null,
                               "ytd_amount": money(gross * n)}],
                "total": {"current_amount": money(gross), "hours": 80, "iso_currency_code": "USD",
                          "unofficial_currency_code": null, "ytd_amount": money(gross * n)},
            },
            "employee": employee(),
            "employer": self.employer_json(),
            "net_pay": {"current_amount": money(net), "description": "TOTAL NET PAY",
                        "iso_currency_code": "USD", "unofficial_currency_code": null,
                        "ytd_amount": money(net * n)},
            "pay_period_details": {
                "distribution_breakdown": [{"account_name": "Plaid Checking",
                    "bank_name": "First Platypus Bank", "current_amount": money(net),
                    "iso_currency_code": "USD", "mask": "0000", "type": "checking",
                    "unofficial_currency_code": null}],
                "start_date": start.map(format_date),
                "end_date": end.map(format_date),
                "gross_earnings": money(gross),
                "pay_date": pay_date,
            },
        })
    }

    fn employer_json(&self) -> Value {
        let e = self.employer();
        json!({"name": e.name, "address": {"street": e.street, "city": e.city,
               "region": e.region, "postal_code": e.postal_code, "country": "US"}})
    }

    /// Last year's W-2 (both forms share it): wages are the salary, each
    /// withholding its rate of it.
    pub(crate) fn w2(&self) -> Value {
        let annual = self.annual_cents;
        let rate = |name: &str| {
            WITHHOLDING
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, bp)| annual * bp / 10_000)
                .unwrap_or_default()
        };
        let e = self.employer();
        json!({
            "document_id": self.w2_id,
            "document_metadata": {"document_type": "US_TAX_W2",
                "name": format!("w2_{}.pdf", self.tax_year()), "status": "PROCESSING_COMPLETE",
                "download_url": null},
            "employer": self.employer_json(),
            "employee": employee(),
            "tax_year": self.tax_year().to_string(),
            "employer_id_number": e.ein,
            "wages_tips_other_comp": text(annual),
            "federal_income_tax_withheld": text(rate("FEDERAL INCOME TAX")),
            "social_security_wages": text(annual),
            "social_security_tax_withheld": text(rate("SOCIAL SECURITY TAX")),
            "medicare_wages_and_tips": text(annual),
            "medicare_tax_withheld": text(rate("MEDICARE TAX")),
            "social_security_tips": null,
            "allocated_tips": null,
            "box_9": null,
            "dependent_care_benefits": null,
            "nonqualified_plans": null,
            "box_12": [],
            "statutory_employee": null,
            "retirement_plan": null,
            "third_party_sick_pay": null,
            "other": null,
            "state_and_local_wages": [{"state": e.region, "employer_state_id_number": null,
                "state_wages_tips": text(annual), "state_income_tax": text(rate("STATE INCOME TAX")),
                "local_wages_and_tips": null, "local_income_tax": null, "locality_name": null}],
        })
    }
}

/// The sandbox employee (the same person Identity gives).
fn employee() -> Value {
    json!({
        "name": "ALBERTA BOBBETH CHARLESON",
        "address": {"street": "2992 CAMERON ROAD", "city": "MALAKOFF", "region": "NY",
                    "postal_code": "14236", "country": "US"},
        "marital_status": "SINGLE",
        "taxpayer_id": {"id_type": "SSN", "id_mask": "1234"},
    })
}

/// Cents as dollars.
fn money(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// Cents as a dollar string with two decimals, as W-2 boxes are given.
fn text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A document id in Plaid's short form.
fn doc_id(rng: &mut Rng) -> String {
    rng.id().chars().take(10).collect()
}

/// The newest payday on or before `today`.
fn latest_payday(today: Date) -> Date {
    let since = (today - first_payday()).whole_days().max(0);
    first_payday() + Duration::days(since - since % 14)
}

/// How many paydays `date`'s year has up to and including `date`.
fn paydays_in_year_to(date: &str) -> i64 {
    let Some(day) = parse_date(date) else {
        return 1;
    };
    let mut n = 0;
    let mut d = day;
    while d.year() == day.year() && d >= first_payday() {
        n += 1;
        d -= Duration::days(14);
    }
    n.max(1)
}

/// A `YYYY-MM-DD` date.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}
