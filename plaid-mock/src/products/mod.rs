//! Product lifecycles the generic engine cannot infer (Transfer, Payment
//! Initiation, Identity Verification, …), each as Plaid's sandbox runs it.

use crate::kit::route::Product;

// What the fake's test controls do beside answering requests.
pub(crate) use bank_income::income_changed;
pub(crate) use link_token::complete as complete_link;
pub(crate) use payment_consent::{authorise as authorise_consent, reject as reject_consent};

mod assets;
mod auth_verify;
mod bank_income;
mod bank_transfer;
mod beacon;
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
pub(crate) mod link_flow;
mod link_sessions;
pub(crate) mod link_token;
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
mod user_data;
mod users;
mod wallet;
mod watchlist;
mod webhook_keys;

/// Every product model, with the operations it answers. The router builds
/// its table from this list.
pub(crate) const PRODUCTS: &[Product] = &[
    Product::new("item", item::ROUTES),
    Product::new("transactions", transactions::ROUTES),
    Product::new("institutions", institutions::ROUTES),
    Product::new("webhook_keys", webhook_keys::ROUTES),
    Product::new("link_token", link_token::ROUTES).keeps::<link_token::LinkTokenState>(),
    Product::new("transfer", transfer::ROUTES).keeps::<transfer::TransferState>(),
    Product::new("transfer_ledger", transfer::ledger::ROUTES)
        .keeps::<transfer::ledger::LedgerState>(),
    Product::new("transfer_refunds", transfer::refunds::ROUTES)
        .keeps::<transfer::refunds::RefundState>(),
    Product::new("beacon", beacon::ROUTES).keeps::<beacon::BeaconState>(),
    Product::new("bank_transfer", bank_transfer::ROUTES)
        .keeps::<bank_transfer::BankTransferState>(),
    Product::new("payment_initiation", payment_initiation::ROUTES)
        .keeps::<payment_initiation::PaymentInitiationState>(),
    Product::new("payment_consent", payment_consent::ROUTES)
        .keeps::<payment_consent::PaymentConsentState>(),
    Product::new("wallet", wallet::ROUTES)
        .keeps::<wallet::WalletState>()
        .reacts(wallet::on_event),
    Product::new("signal", signal::ROUTES).keeps::<signal::SignalState>(),
    Product::new("identity_verification", identity_verification::ROUTES)
        .keeps::<identity_verification::IdvState>(),
    Product::new("identity_match", identity_match::ROUTES),
    Product::new("recurring", recurring::ROUTES),
    Product::new("item_maintenance", item_maintenance::ROUTES),
    Product::new("auth_verify", auth_verify::ROUTES),
    Product::new("investments", investments::ROUTES),
    Product::new("assets", assets::ROUTES).keeps::<assets::AssetState>(),
    Product::new("watchlist", watchlist::ROUTES).keeps::<watchlist::WatchlistState>(),
    Product::new("statements", statements::ROUTES),
    Product::new("liabilities", liabilities::ROUTES),
    Product::new("processor", processor::ROUTES),
    Product::new("processor_permissions", processor_permissions::ROUTES)
        .keeps::<processor_permissions::ProcessorState>(),
    Product::new("users", users::ROUTES),
    Product::new("link_sessions", &[]).reacts(link_sessions::on_event),
    Product::new("user_data", user_data::ROUTES),
    Product::new("bank_income", bank_income::ROUTES),
    Product::new("cra", cra::ROUTES)
        .keeps::<cra::CraState>()
        .reacts(cra::on_event),
    Product::new("cra_monitoring", cra::monitoring::ROUTES),
    Product::new("cra_loans", cra::loans::ROUTES),
    Product::new("cra_insights", cra::insights::ROUTES),
    Product::new("cashflow_report", cashflow_report::ROUTES)
        .keeps::<cashflow_report::CashflowState>()
        .reacts(cashflow_report::on_event),
    Product::new("payroll_income", payroll_income::ROUTES)
        .keeps::<payroll_income::PayrollState>()
        .reacts(payroll_income::on_event),
    Product::new("income_verification", income_verification::ROUTES),
    Product::new("enrich", enrich::ROUTES),
];
