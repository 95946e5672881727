//! Product lifecycles the generic engine cannot infer (Transfer, Payment
//! Initiation, Identity Verification, …), each as Plaid's sandbox runs it.

use serde::{Deserialize, Serialize};

use crate::kit::route::Product;

pub(crate) use bank_income::income_changed;
pub(crate) use investments::{history as investment_history, InvestmentTransaction};
pub(crate) use link_token::complete as complete_link;
pub(crate) use payment_consent::{authorise as authorise_consent, reject as reject_consent};
pub(crate) use users::{link_owner, linked as item_linked};

mod assets;
mod auth_verify;
mod bank_income;
mod bank_transfer;
mod cashflow_report;
mod cra;
mod enrich;
mod identity_match;
mod identity_verification;
mod income_verification;
mod institutions;
mod investments;
mod item;
mod item_maintenance;
mod liabilities;
mod link_token;
mod pay_documents;
mod payment_consent;
mod payment_initiation;
mod payroll_income;
mod processor;
mod processor_permissions;
mod recurring;
mod signal;
mod statements;
mod transactions;
mod transfer;
mod transfer_ledger;
mod transfer_refunds;
mod transfer_sweeps;
mod user_data;
mod users;
mod wallet;
mod watchlist;
mod webhook_keys;

/// What the product lifecycles remember (kept inside [`State`]), one field
/// per product.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ProductState {
    pub link_token: link_token::LinkTokenState,
    pub transfer: transfer::TransferState,
    pub bank_transfer: bank_transfer::BankTransferState,
    pub payment_initiation: payment_initiation::PaymentInitiationState,
    #[serde(default)]
    pub identity_verification: identity_verification::IdvState,
    #[serde(default)]
    pub assets: assets::AssetState,
    #[serde(default)]
    pub watchlist: watchlist::WatchlistState,
    #[serde(default)]
    pub payment_consent: payment_consent::PaymentConsentState,
    pub users: users::UserState,
    #[serde(default)]
    pub transfer_ledger: transfer_ledger::LedgerState,
    #[serde(default)]
    pub wallet: wallet::WalletState,
    #[serde(default)]
    pub signal: signal::SignalState,
    #[serde(default)]
    pub cra: cra::CraState,
    #[serde(default)]
    pub cashflow_report: cashflow_report::CashflowState,
    #[serde(default)]
    pub payroll: payroll_income::PayrollState,
    #[serde(default)]
    pub processor: processor_permissions::ProcessorState,
    #[serde(default)]
    pub transfer_refunds: transfer_refunds::RefundState,
}

/// Every product model, with the operations it answers. The router builds
/// its table from this list.
pub(crate) const PRODUCTS: &[Product] = &[
    Product::new("item", item::ROUTES),
    Product::new("transactions", transactions::ROUTES),
    Product::new("institutions", institutions::ROUTES),
    Product::new("webhook_keys", webhook_keys::ROUTES),
    Product::new("link_token", link_token::ROUTES),
    Product::new("transfer", transfer::ROUTES),
    Product::new("transfer_ledger", transfer_ledger::ROUTES),
    Product::new("transfer_refunds", transfer_refunds::ROUTES),
    Product::new("bank_transfer", bank_transfer::ROUTES),
    Product::new("payment_initiation", payment_initiation::ROUTES),
    Product::new("payment_consent", payment_consent::ROUTES),
    Product::new("wallet", wallet::ROUTES),
    Product::new("signal", signal::ROUTES),
    Product::new("identity_verification", identity_verification::ROUTES),
    Product::new("identity_match", identity_match::ROUTES),
    Product::new("recurring", recurring::ROUTES),
    Product::new("item_maintenance", item_maintenance::ROUTES),
    Product::new("auth_verify", auth_verify::ROUTES),
    Product::new("investments", investments::ROUTES),
    Product::new("assets", assets::ROUTES),
    Product::new("watchlist", watchlist::ROUTES),
    Product::new("statements", statements::ROUTES),
    Product::new("liabilities", liabilities::ROUTES),
    Product::new("processor", processor::ROUTES),
    Product::new("processor_permissions", processor_permissions::ROUTES),
    Product::new("users", users::ROUTES),
    Product::new("user_data", user_data::ROUTES),
    Product::new("bank_income", bank_income::ROUTES),
    Product::new("cra", cra::ROUTES),
    Product::new("cra_monitoring", cra::monitoring::ROUTES),
    Product::new("cra_loans", cra::loans::ROUTES),
    Product::new("cra_insights", cra::insights::ROUTES),
    Product::new("cashflow_report", cashflow_report::ROUTES),
    Product::new("payroll_income", payroll_income::ROUTES),
    Product::new("income_verification", income_verification::ROUTES),
    Product::new("enrich", enrich::ROUTES),
];
