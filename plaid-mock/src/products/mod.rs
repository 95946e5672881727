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
mod link_sessions;
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
mod user_data;
mod users;
mod wallet;
mod watchlist;
mod webhook_keys;

pub(crate) use processor::processor_token;

/// Every product model, with the operations it answers. The router builds
/// its table from this list.
pub(crate) const PRODUCTS: &[Product] = &[
    Product::new("item", item::ROUTES),
    Product::new("transactions", transactions::ROUTES).refuses(transactions::REFUSALS),
    Product::new("institutions", institutions::ROUTES),
    Product::new("webhook_keys", webhook_keys::ROUTES).refuses(webhook_keys::REFUSALS),
    Product::new("link_token", link_token::ROUTES).keeps::<link_token::LinkTokenState>(),
    Product::new("transfer", transfer::ROUTES)
        .refuses(transfer::REFUSALS)
        .keeps::<transfer::TransferState>(),
    Product::new("transfer_ledger", transfer::ledger::ROUTES)
        .refuses(transfer::ledger::REFUSALS)
        .keeps::<transfer::ledger::LedgerState>(),
    Product::new("transfer_refunds", transfer::refunds::ROUTES)
        .refuses(transfer::refunds::REFUSALS)
        .keeps::<transfer::refunds::RefundState>(),
    Product::new("beacon", beacon::ROUTES)
        .refuses(beacon::REFUSALS)
        .keeps::<beacon::BeaconState>(),
    Product::new("bank_transfer", bank_transfer::ROUTES)
        .keeps::<bank_transfer::BankTransferState>(),
    Product::new("payment_initiation", payment_initiation::ROUTES)
        .refuses(payment_initiation::REFUSALS)
        .keeps::<payment_initiation::PaymentInitiationState>(),
    Product::new("payment_consent", payment_consent::ROUTES)
        .refuses(payment_consent::REFUSALS)
        .keeps::<payment_consent::PaymentConsentState>(),
    Product::new("wallet", wallet::ROUTES)
        .refuses(wallet::REFUSALS)
        .keeps::<wallet::WalletState>()
        .reacts(wallet::on_event),
    Product::new("signal", signal::ROUTES)
        .refuses(signal::REFUSALS)
        .keeps::<signal::SignalState>(),
    Product::new("identity_verification", identity_verification::ROUTES)
        .refuses(identity_verification::REFUSALS)
        .keeps::<identity_verification::IdvState>(),
    Product::new("identity_match", identity_match::ROUTES).refuses(identity_match::REFUSALS),
    Product::new("recurring", recurring::ROUTES).refuses(recurring::REFUSALS),
    Product::new("item_maintenance", item_maintenance::ROUTES).refuses(item_maintenance::REFUSALS),
    Product::new("auth_verify", auth_verify::ROUTES),
    Product::new("investments", investments::ROUTES).refuses(investments::REFUSALS),
    Product::new("assets", assets::ROUTES)
        .refuses(assets::REFUSALS)
        .keeps::<assets::AssetState>(),
    Product::new("watchlist", watchlist::ROUTES)
        .refuses(watchlist::REFUSALS)
        .keeps::<watchlist::WatchlistState>(),
    Product::new("statements", statements::ROUTES).refuses(statements::REFUSALS),
    Product::new("liabilities", liabilities::ROUTES),
    Product::new("processor", processor::ROUTES).refuses(processor::REFUSALS),
    Product::new("processor_permissions", processor_permissions::ROUTES)
        .refuses(processor_permissions::REFUSALS)
        .keeps::<processor_permissions::ProcessorState>(),
    Product::new("users", users::ROUTES).refuses(users::REFUSALS),
    Product::new("link_sessions", &[])
        .refuses(link_sessions::REFUSALS)
        .reacts(link_sessions::on_event),
    Product::new("user_data", user_data::ROUTES).refuses(user_data::REFUSALS),
    Product::new("bank_income", bank_income::ROUTES).refuses(bank_income::REFUSALS),
    Product::new("cra", cra::ROUTES)
        .refuses(cra::REFUSALS)
        .keeps::<cra::CraState>()
        .reacts(cra::on_event),
    Product::new("cra_monitoring", cra::monitoring::ROUTES).refuses(cra::monitoring::REFUSALS),
    Product::new("cra_loans", cra::loans::ROUTES).refuses(cra::loans::REFUSALS),
    Product::new("cra_insights", cra::insights::ROUTES),
    Product::new("cashflow_report", cashflow_report::ROUTES)
        .refuses(cashflow_report::REFUSALS)
        .keeps::<cashflow_report::CashflowState>()
        .reacts(cashflow_report::on_event),
    Product::new("payroll_income", payroll_income::ROUTES)
        .refuses(payroll_income::REFUSALS)
        .keeps::<payroll_income::PayrollState>()
        .reacts(payroll_income::on_event),
    Product::new("income_verification", income_verification::ROUTES)
        .refuses(income_verification::REFUSALS),
    Product::new("enrich", enrich::ROUTES),
];
