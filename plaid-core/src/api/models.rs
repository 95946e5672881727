//! Shapes shared by several operations: accounts, balances, items.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::dates::rfc3339;
use crate::string_enum::string_enum;
use crate::PlaidError;

string_enum! {
    /// The broad kind of an account (`type`).
    pub enum AccountType {
        Investment = "investment",
        Credit = "credit",
        Depository = "depository",
        Loan = "loan",
        Brokerage = "brokerage",
        Other = "other",
    }
}

string_enum! {
    /// The specific kind of an account (`subtype`).
    pub enum AccountSubtype {
        Plan401a = "401a",
        Plan401k = "401k",
        Plan403B = "403B",
        Plan457b = "457b",
        Plan529 = "529",
        Auto = "auto",
        Brokerage = "brokerage",
        Business = "business",
        CashIsa = "cash isa",
        CashManagement = "cash management",
        Cd = "cd",
        Checking = "checking",
        Commercial = "commercial",
        Construction = "construction",
        Consumer = "consumer",
        CreditCard = "credit card",
        CryptoExchange = "crypto exchange",
        Ebt = "ebt",
        EducationSavingsAccount = "education savings account",
        Fhsa = "fhsa",
        FixedAnnuity = "fixed annuity",
        Gic = "gic",
        HealthReimbursementArrangement = "health reimbursement arrangement",
        HomeEquity = "home equity",
        Hsa = "hsa",
        Isa = "isa",
        Ira = "ira",
        Keogh = "keogh",
        Lif = "lif",
        LifeInsurance = "life insurance",
        LimitedPurposeChecking = "limited purpose checking",
        LineOfCredit = "line of credit",
        Lira = "lira",
        Loan = "loan",
        Lrif = "lrif",
        Lrsp = "lrsp",
        MoneyMarket = "money market",
        Mortgage = "mortgage",
        MutualFund = "mutual fund",
        NonCustodialWallet = "non-custodial wallet",
        NonTaxableBrokerageAccount = "non-taxable brokerage account",
        Other = "other",
        OtherInsurance = "other insurance",
        OtherAnnuity = "other annuity",
        Overdraft = "overdraft",
        Paypal = "paypal",
        Payroll = "payroll",
        Pension = "pension",
        Prepaid = "prepaid",
        Prif = "prif",
        ProfitSharingPlan = "profit sharing plan",
        Qshr = "qshr",
        Rdsp = "rdsp",
        Resp = "resp",
        Retirement = "retirement",
        Rlif = "rlif",
        Roth = "roth",
        Roth401k = "roth 401k",
        Roth403B = "roth 403B",
        Roth457b = "roth 457b",
        RothPension = "roth pension",
        RothProfitSharingPlan = "roth profit sharing plan",
        RothThriftSavingsPlan = "roth thrift savings plan",
        Rrif = "rrif",
        Rrsp = "rrsp",
        Sarsep = "sarsep",
        Savings = "savings",
        SepIra = "sep ira",
        SimpleIra = "simple ira",
        Sipp = "sipp",
        StockPlan = "stock plan",
        Student = "student",
        ThriftSavingsPlan = "thrift savings plan",
        Tfsa = "tfsa",
        Trust = "trust",
        Ugma = "ugma",
        Utma = "utma",
        VariableAnnuity = "variable annuity",
    }
}

string_enum! {
    /// A Plaid product (`products`, `initial_products`, …).
    pub enum Products {
        Assets = "assets",
        Auth = "auth",
        Balance = "balance",
        BalancePlus = "balance_plus",
        Beacon = "beacon",
        Identity = "identity",
        IdentityMatch = "identity_match",
        Investments = "investments",
        InvestmentsAuth = "investments_auth",
        Liabilities = "liabilities",
        PaymentInitiation = "payment_initiation",
        IdentityVerification = "identity_verification",
        Transactions = "transactions",
        CreditDetails = "credit_details",
        Income = "income",
        IncomeVerification = "income_verification",
        StandingOrders = "standing_orders",
        Transfer = "transfer",
        Employment = "employment",
        RecurringTransactions = "recurring_transactions",
        TransactionsRefresh = "transactions_refresh",
        Signal = "signal",
        Statements = "statements",
        ProcessorPayments = "processor_payments",
        ProcessorIdentity = "processor_identity",
        Profile = "profile",
        CraBaseReport = "cra_base_report",
        CraIncomeInsights = "cra_income_insights",
        CraPartnerInsights = "cra_partner_insights",
        CraNetworkInsights = "cra_network_insights",
        CraCashflowInsights = "cra_cashflow_insights",
        CraMonitoring = "cra_monitoring",
        CraLendScore = "cra_lend_score",
        CraPlaidCreditScore = "cra_plaid_credit_score",
        Layer = "layer",
        PayByBank = "pay_by_bank",
        ProtectLinkedBank = "protect_linked_bank",
        ProtectTransactions = "protect_transactions",
    }
}

/// A bank account of an item (the spec's `AccountBase`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Account {
    /// Plaid's id for the account.
    pub account_id: String,
    /// Balances as of the last update.
    pub balances: AccountBalance,
    /// The last digits of the account number.
    #[serde(default)]
    pub mask: Option<String>,
    /// The name the user or the bank gave the account.
    pub name: String,
    /// The bank's official name for the account.
    #[serde(default)]
    pub official_name: Option<String>,
    /// Broad kind, e.g. `depository`.
    #[serde(rename = "type")]
    pub account_type: AccountType,
    /// Specific kind, e.g. `checking`.
    #[serde(default)]
    pub subtype: Option<AccountSubtype>,
    /// Micro-deposit or database verification state, when relevant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_status: Option<String>,
    /// An id that stays the same when the item is re-linked (some institutions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_account_id: Option<String>,
}

/// Balances of an [`Account`]. Any amount may be absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountBalance {
    /// Money available to spend or withdraw.
    #[serde(default)]
    pub available: Option<f64>,
    /// Total money in (or owed on) the account.
    #[serde(default)]
    pub current: Option<f64>,
    /// Credit limit or overdraft limit.
    #[serde(default)]
    pub limit: Option<f64>,
    /// ISO 4217 currency code; `None` when `unofficial_currency_code` is set.
    #[serde(default)]
    pub iso_currency_code: Option<String>,
    /// Code for a currency without an ISO code (e.g. some crypto assets).
    #[serde(default)]
    pub unofficial_currency_code: Option<String>,
    /// When the balance was last fetched (some products only).
    #[serde(
        default,
        with = "rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_updated_datetime: Option<OffsetDateTime>,
}

/// An item: one login at one institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Item {
    /// Plaid's id for the item.
    pub item_id: String,
    /// The institution the item belongs to.
    #[serde(default)]
    pub institution_id: Option<String>,
    /// The institution's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_name: Option<String>,
    /// Where webhooks for this item are sent.
    #[serde(default)]
    pub webhook: Option<String>,
    /// The item's error state, `None` when healthy.
    #[serde(default)]
    pub error: Option<PlaidError>,
    /// Products the item could add.
    #[serde(default)]
    pub available_products: Vec<Products>,
    /// Products the item is billed for.
    #[serde(default)]
    pub billed_products: Vec<Products>,
    /// Products the item was initialised with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Products>>,
    /// Products the user consented to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consented_products: Option<Vec<Products>>,
    /// When the user's consent expires (some European institutions).
    #[serde(default, with = "rfc3339::option")]
    pub consent_expiration_time: Option<OffsetDateTime>,
    /// `background` or `user_present_required`.
    #[serde(default)]
    pub update_type: String,
}
