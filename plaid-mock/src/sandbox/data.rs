//! The sandbox's data: institutions, the default accounts of an item, and a
//! generated transaction history.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::{Date, Duration};

use crate::kernel::rng::Rng;
pub(crate) use crate::kernel::time::format_date;

/// One of the sandbox-only institutions Plaid documents.
pub(crate) struct SandboxInstitution {
    pub id: &'static str,
    pub name: &'static str,
    pub countries: &'static [&'static str],
    pub oauth: bool,
}

/// An institution as the fake knows it: one of the sandbox-only ones, or
/// one of Plaid's wider directory, derived from its id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Institution {
    pub id: String,
    pub name: String,
    pub countries: Vec<&'static str>,
    pub products: Vec<&'static str>,
    pub routing_numbers: Vec<String>,
    pub oauth: bool,
    /// `url`, `primary_color`, `logo`: sent only when asked for.
    pub url: String,
    pub primary_color: String,
}

/// The sandbox-only institutions Plaid documents.
pub(crate) const INSTITUTIONS: &[SandboxInstitution] = &[
    SandboxInstitution {
        id: "ins_109508",
        name: "First Platypus Bank",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_130016",
        name: "First Platypus Balance Bank",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_109509",
        name: "First Gingham Credit Union",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_109510",
        name: "Tattersall Federal Credit Union",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_109511",
        name: "Tartan Bank",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_109512",
        name: "Houndstooth Bank",
        countries: &["US"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_43",
        name: "Tartan-Dominion Bank of Canada",
        countries: &["CA"],
        oauth: false,
    },
    SandboxInstitution {
        id: "ins_116834",
        name: "Flexible Platypus Open Banking",
        countries: &["GB"],
        oauth: true,
    },
    SandboxInstitution {
        id: "ins_117650",
        name: "Royal Bank of Plaid",
        countries: &["GB"],
        oauth: true,
    },
    SandboxInstitution {
        id: "ins_127287",
        name: "Platypus OAuth Bank",
        countries: &["US"],
        oauth: true,
    },
];

/// What US and Canadian institutions offer.
const PRODUCTS: &[&str] = &[
    "assets",
    "auth",
    "balance",
    "identity",
    "investments",
    "liabilities",
    "transactions",
];

/// What UK institutions offer (Open Banking, with payments).
const UK_PRODUCTS: &[&str] = &[
    "auth",
    "balance",
    "identity",
    "payment_initiation",
    "transactions",
];

/// Words of the names of derived institutions.
const NAME_FIRST: &[&str] = &[
    "First",
    "Pioneer",
    "Summit",
    "Harbor",
    "Prairie",
    "Granite",
    "Evergreen",
    "Liberty",
    "Cedar",
    "Lakeside",
    "Heritage",
    "Riverbend",
    "Northgate",
    "Bluewater",
    "Ironwood",
    "Meadow",
];
const NAME_SECOND: &[&str] = &[
    "Valley",
    "Federal",
    "Community",
    "National",
    "Citizens",
    "Mutual",
    "Savings",
    "Capital",
    "County",
    "State",
    "Union",
    "Peoples",
];
const NAME_LAST: &[&str] = &[
    "Bank",
    "Credit Union",
    "Trust",
    "Bank & Trust",
    "Savings Bank",
];

/// A 1×1 PNG, base64: the logo every institution shows when asked.
const LOGO: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// Spreads an id's number over 64 bits (SplitMix64's finaliser), so that
/// neighbouring ids get unrelated names.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A nine-digit ABA routing number whose check digit is right.
fn routing_number(seed: u64) -> String {
    let mut digits: Vec<u64> = (0..8).map(|i| (seed >> (i * 4)) % 10).collect();
    // The first two digits of US routing numbers are 01–12 (or 21–32).
    digits[0] = 0;
    digits[1] = 1 + seed % 9;
    let weights = [3, 7, 1, 3, 7, 1, 3, 7];
    let sum: u64 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    digits.push((10 - sum % 10) % 10);
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

/// The institution's web address and colour, made from its name.
fn presentation(name: &str, seed: u64) -> (String, String) {
    let slug: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (
        format!("https://www.{slug}.example"),
        format!("#{:06x}", seed & 0xff_ffff),
    )
}

impl Institution {
    /// Finds an institution by id: a sandbox-only one, or any other
    /// well-formed `ins_<digits>` id, which names a plausible institution
    /// derived from the digits (the same every time). `None` for a
    /// malformed id.
    pub fn find(id: &str) -> Option<Institution> {
        if let Some(known) = INSTITUTIONS.iter().find(|i| i.id == id) {
            return Some(Self::sandbox(known));
        }
        let digits = id.strip_prefix("ins_")?;
        if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u64 = digits.parse().ok()?;
        Some(Self::derived(id, number))
    }

    /// The sandbox-only institutions, in Plaid's order.
    pub fn sandbox_all() -> impl Iterator<Item = Institution> {
        INSTITUTIONS.iter().map(Self::sandbox)
    }

    fn sandbox(known: &SandboxInstitution) -> Institution {
        let seed = mix(known.id.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
        let uk = known.countries.contains(&"GB");
        let (url, primary_color) = presentation(known.name, seed);
        Institution {
            id: known.id.to_owned(),
            name: known.name.to_owned(),
            countries: known.countries.to_vec(),
            products: if uk { UK_PRODUCTS } else { PRODUCTS }.to_vec(),
            routing_numbers: if known.countries.contains(&"US") {
                vec!["011401533".to_owned()]
            } else {
                Vec::new()
            },
            oauth: known.oauth,
            url,
            primary_color,
        }
    }

    fn derived(id: &str, number: u64) -> Institution {
        let seed = mix(number);
        let pick = |list: &[&'static str], shift: u32| {
            list[((seed >> shift) % list.len() as u64) as usize]
        };
        let name = format!(
            "{} {} {}",
            pick(NAME_FIRST, 0),
            pick(NAME_SECOND, 8),
            pick(NAME_LAST, 16)
        );
        // Most of Plaid's directory is American; some Canadian and British.
        let (countries, products, oauth) = match (seed >> 24) % 10 {
            0 => (vec!["CA"], PRODUCTS, false),
            1 => (vec!["GB"], UK_PRODUCTS, true),
            _ => (vec!["US"], PRODUCTS, (seed >> 32).is_multiple_of(4)),
        };
        let routing_numbers = if countries == ["US"] {
            let count = 1 + (seed >> 40) % 3;
            (0..count).map(|i| routing_number(mix(seed ^ i))).collect()
        } else {
            Vec::new()
        };
        let (url, primary_color) = presentation(&name, seed >> 8);
        Institution {
            id: id.to_owned(),
            name,
            countries,
            products: products.to_vec(),
            routing_numbers,
            oauth,
            url,
            primary_color,
        }
    }

    /// The institution as Plaid's `Institution` schema; `url`,
    /// `primary_color` and `logo` only with `optional_metadata`.
    pub fn to_json(&self, optional_metadata: bool) -> Value {
        let mut out = json!({
            "institution_id": self.id,
            "name": self.name,
            "products": self.products,
            "country_codes": self.countries,
            "routing_numbers": self.routing_numbers,
            "dtc_numbers": [],
            "oauth": self.oauth,
        });
        if optional_metadata {
            out["url"] = json!(self.url);
            out["primary_color"] = json!(self.primary_color);
            out["logo"] = json!(LOGO);
        }
        out
    }
}

/// An account of a mock item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    pub account_id: String,
    pub name: Cow<'static, str>,
    pub official_name: Cow<'static, str>,
    pub mask: Cow<'static, str>,
    pub kind: Cow<'static, str>,
    pub subtype: Cow<'static, str>,
    pub available: Option<f64>,
    pub current: f64,
    pub limit: Option<f64>,
}

/// What an account of a new item looks like, before it gets an id.
struct AccountTemplate {
    name: &'static str,
    official_name: &'static str,
    mask: &'static str,
    kind: &'static str,
    subtype: &'static str,
    available: Option<f64>,
    current: f64,
    limit: Option<f64>,
}

/// The default sandbox accounts (the test user's): checking, saving, CD,
/// credit card, money market, two investment accounts (IRA, 401k) and two
/// loans (student, mortgage). The investment balances are what their
/// holdings are worth (see `products::investments`).
const DEFAULT_ACCOUNTS: [AccountTemplate; 9] = [
    AccountTemplate {
        name: "Plaid Checking",
        official_name: "Plaid Gold Standard 0% Interest Checking",
        mask: "0000",
        kind: "depository",
        subtype: "checking",
        available: Some(100.0),
        current: 110.0,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid Saving",
        official_name: "Plaid Silver Standard 0.1% Interest Saving",
        mask: "1111",
        kind: "depository",
        subtype: "savings",
        available: Some(200.0),
        current: 210.0,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid CD",
        official_name: "Plaid Bronze Standard 0.2% Interest CD",
        mask: "2222",
        kind: "depository",
        subtype: "cd",
        available: None,
        current: 1000.0,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid Credit Card",
        official_name: "Plaid Diamond 12.5% APR Interest Credit Card",
        mask: "3333",
        kind: "credit",
        subtype: "credit card",
        available: None,
        current: 410.0,
        limit: Some(2000.0),
    },
    AccountTemplate {
        name: "Plaid Money Market",
        official_name: "Plaid Platinum Standard 1.85% Interest Money Market",
        mask: "4444",
        kind: "depository",
        subtype: "money market",
        available: Some(43200.0),
        current: 43200.0,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid IRA",
        official_name: "",
        mask: "5555",
        kind: "investment",
        subtype: "ira",
        available: None,
        current: 320.76,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid 401k",
        official_name: "",
        mask: "6666",
        kind: "investment",
        subtype: "401k",
        available: None,
        current: 23631.9805,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid Student Loan",
        official_name: "",
        mask: "7777",
        kind: "loan",
        subtype: "student",
        available: None,
        current: 65262.0,
        limit: None,
    },
    AccountTemplate {
        name: "Plaid Mortgage",
        official_name: "",
        mask: "8888",
        kind: "loan",
        subtype: "mortgage",
        available: None,
        current: 56302.06,
        limit: None,
    },
];

/// The default sandbox accounts, with fresh ids.
pub(crate) fn default_accounts(rng: &mut Rng) -> Vec<Account> {
    DEFAULT_ACCOUNTS
        .iter()
        .map(|t| Account {
            account_id: rng.id(),
            name: Cow::Borrowed(t.name),
            official_name: Cow::Borrowed(t.official_name),
            mask: Cow::Borrowed(t.mask),
            kind: Cow::Borrowed(t.kind),
            subtype: Cow::Borrowed(t.subtype),
            available: t.available,
            current: t.current,
            limit: t.limit,
        })
        .collect()
}

impl Account {
    /// The account as Plaid's `AccountBase` schema.
    pub fn to_json(&self) -> Value {
        json!({
            "account_id": self.account_id,
            "balances": {
                "available": self.available,
                "current": self.current,
                "limit": self.limit,
                "iso_currency_code": "USD",
                "unofficial_currency_code": null
            },
            "mask": self.mask,
            "name": self.name,
            "official_name": (!self.official_name.is_empty()).then_some(&self.official_name),
            "type": self.kind,
            "subtype": self.subtype
        })
    }

    /// Whether ACH numbers exist for it (depository accounts).
    pub fn has_numbers(&self) -> bool {
        self.kind == "depository"
    }
}

// Dates in saved state read as `2024-06-30`.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A transaction of a mock item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Transaction {
    pub transaction_id: String,
    pub account_id: String,
    pub amount: f64,
    #[serde(with = "iso_date")]
    pub date: Date,
    pub name: String,
    pub merchant_name: Option<String>,
    pub pending: bool,
}

const MERCHANTS: &[(&str, Option<&str>, f64)] = &[
    ("Uber 063015 SF**POOL**", Some("Uber"), 5.4),
    ("United Airlines", Some("United Airlines"), 500.0),
    ("McDonald's", Some("McDonald's"), 12.0),
    ("Starbucks", Some("Starbucks"), 4.33),
    ("SparkFun", Some("SparkFun"), 89.4),
    ("INTRST PYMNT", None, -4.22),
    ("Touchstone Climbing", Some("Touchstone Climbing"), 78.5),
    ("KFC", Some("KFC"), 500.0),
    ("Madison Bicycle Shop", Some("Madison Bicycle Shop"), 500.0),
    ("CREDIT CARD 3333 PAYMENT *//", None, 25.0),
    ("ACH Electronic CreditGUSTO PAY 123456", None, -5850.0),
    ("CD DEPOSIT .INITIAL.", None, 1000.0),
];

/// `count` transactions over the accounts that have them, newest first,
/// one to three a day going back from `today`.
pub(crate) fn history(
    rng: &mut Rng,
    accounts: &[Account],
    count: usize,
    today: Date,
) -> Vec<Transaction> {
    let spendable: Vec<&Account> = accounts
        .iter()
        .filter(|a| matches!(&*a.subtype, "checking" | "savings" | "credit card"))
        .collect();
    let mut out = Vec::with_capacity(count);
    let mut date = today;
    while out.len() < count {
        let per_day = 1 + rng.below(3) as usize;
        for _ in 0..per_day.min(count - out.len()) {
            out.push(generated(rng, &spendable, date));
        }
        date -= Duration::days(1);
    }
    out
}

/// One generated transaction on `date`.
pub(crate) fn generated(rng: &mut Rng, accounts: &[&Account], date: Date) -> Transaction {
    let (name, merchant, base) = MERCHANTS[rng.below(MERCHANTS.len() as u64) as usize];
    let account = accounts[rng.below(accounts.len() as u64) as usize];
    let cents = (base * 100.0) as i64 + rng.below(500) as i64 - 250;
    Transaction {
        transaction_id: rng.id(),
        account_id: account.account_id.clone(),
        amount: cents as f64 / 100.0,
        date,
        name: name.to_owned(),
        merchant_name: merchant.map(str::to_owned),
        pending: false,
    }
}

impl Transaction {
    /// The transaction as Plaid's `Transaction` schema.
    pub fn to_json(&self) -> Value {
        let date = format_date(self.date);
        json!({
            "transaction_id": self.transaction_id,
            "account_id": self.account_id,
            "amount": self.amount,
            "iso_currency_code": "USD",
            "unofficial_currency_code": null,
            "date": date,
            "authorized_date": date,
            "authorized_datetime": null,
            "datetime": null,
            "name": self.name,
            "merchant_name": self.merchant_name,
            "original_description": null,
            "pending": self.pending,
            "pending_transaction_id": null,
            "account_owner": null,
            "payment_channel": if self.merchant_name.is_some() { "in store" } else { "other" },
            "transaction_code": null,
            "check_number": null,
            "location": {"address": null, "city": null, "region": null, "postal_code": null,
                         "country": null, "lat": null, "lon": null, "store_number": null},
            "payment_meta": {"by_order_of": null, "payee": null, "payer": null, "payment_method": null,
                             "payment_processor": null, "ppd_id": null, "reason": null, "reference_number": null},
            "category": null,
            "category_id": null,
            "personal_finance_category": null,
            "logo_url": null,
            "website": null,
            "counterparties": [],
            "merchant_entity_id": null
        })
    }
}
