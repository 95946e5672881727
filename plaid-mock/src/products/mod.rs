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

pub(crate) use processor::processor_token;

/// Every product model, with the operations it answers. The router builds
/// its table from this list.
pub(crate) const PRODUCTS: &[Product] = &[
    Product::new("item", item::ROUTES)
        .about("items, their tokens and accounts; Auth, Identity, Balance, login resets"),
    Product::new("transactions", transactions::ROUTES)
        .about("Transactions: get, sync, refresh and the sandbox's own transactions")
        .refuses(transactions::REFUSALS),
    Product::new("institutions", institutions::ROUTES)
        .about("the sandbox's institutions, listed, found by id and searched"),
    Product::new("webhook_keys", webhook_keys::ROUTES)
        .about("webhook verification keys")
        .refuses(webhook_keys::REFUSALS),
    Product::new("link_token", link_token::ROUTES)
        .about("link tokens")
        .keeps::<link_token::LinkTokenState>(),
    Product::new("transfer", transfer::ROUTES)
        .about("transfers, authorizations, sweeps and their events")
        .refuses(transfer::REFUSALS)
        .keeps::<transfer::TransferState>(),
    Product::new("transfer_ledger", transfer::ledger::ROUTES)
        .about("the Transfer ledger: deposits, withdrawals, distributions")
        .refuses(transfer::ledger::REFUSALS)
        .keeps::<transfer::ledger::LedgerState>(),
    Product::new("transfer_refunds", transfer::refunds::ROUTES)
        .about("refunds of transfers")
        .refuses(transfer::refunds::REFUSALS)
        .keeps::<transfer::refunds::RefundState>(),
    Product::new("beacon", beacon::ROUTES)
        .about("Beacon users, reports, syndications and duplicates")
        .refuses(beacon::REFUSALS)
        .keeps::<beacon::BeaconState>(),
    Product::new("bank_transfer", bank_transfer::ROUTES)
        .about("Bank Transfers and their events")
        .keeps::<bank_transfer::BankTransferState>(),
    Product::new("payment_initiation", payment_initiation::ROUTES)
        .about("payment recipients and payments")
        .refuses(payment_initiation::REFUSALS)
        .keeps::<payment_initiation::PaymentInitiationState>(),
    Product::new("payment_consent", payment_consent::ROUTES)
        .about("payment consents and the payments made on them")
        .refuses(payment_consent::REFUSALS)
        .keeps::<payment_consent::PaymentConsentState>(),
    Product::new("wallet", wallet::ROUTES)
        .about("virtual accounts (wallets), their transactions and payouts")
        .refuses(wallet::REFUSALS)
        .keeps::<wallet::WalletState>()
        .reacts(wallet::on_event),
    Product::new("signal", signal::ROUTES)
        .about("Signal evaluations and the decisions and returns reported on them")
        .refuses(signal::REFUSALS)
        .keeps::<signal::SignalState>(),
    Product::new("identity_verification", identity_verification::ROUTES)
        .about("Identity Verification sessions")
        .refuses(identity_verification::REFUSALS)
        .keeps::<identity_verification::IdvState>(),
    Product::new("identity_match", identity_match::ROUTES)
        .about("Identity Match scores from the item's owners")
        .refuses(identity_match::REFUSALS),
    Product::new("recurring", recurring::ROUTES)
        .about("recurring transaction streams from the item's transactions")
        .refuses(recurring::REFUSALS),
    Product::new("item_maintenance", item_maintenance::ROUTES)
        .about("verification status, product termination, login resets, document uploads")
        .refuses(item_maintenance::REFUSALS),
    Product::new("auth_verify", auth_verify::ROUTES)
        .about("`/auth/verify` against the item's account numbers"),
    Product::new("investments", investments::ROUTES)
        .about("holdings and investment transactions from the item's own accounts")
        .refuses(investments::REFUSALS),
    Product::new("assets", assets::ROUTES)
        .about("Asset Reports from the items' accounts; refresh, filter, audit copies")
        .refuses(assets::REFUSALS)
        .keeps::<assets::AssetState>(),
    Product::new("watchlist", watchlist::ROUTES)
        .about("individual and entity screenings, hits for listed names, reviews, history")
        .refuses(watchlist::REFUSALS)
        .keeps::<watchlist::WatchlistState>(),
    Product::new("statements", statements::ROUTES)
        .about("twelve monthly statements per account, their PDFs, refresh")
        .refuses(statements::REFUSALS),
    Product::new("liabilities", liabilities::ROUTES)
        .about("liabilities from the item's own credit and loan accounts"),
    Product::new("processor", processor::ROUTES)
        .about("processor and Stripe tokens and every partner read through them")
        .refuses(processor::REFUSALS),
    Product::new("processor_permissions", processor_permissions::ROUTES)
        .about("the products a processor token may read, and its webhook")
        .refuses(processor_permissions::REFUSALS)
        .keeps::<processor_permissions::ProcessorState>(),
    Product::new("users", users::ROUTES)
        .about("users and their items")
        .refuses(users::REFUSALS),
    Product::new("link_sessions", &[])
        .about("Link sessions finished on link tokens (`MockPlaid::complete_link`)")
        .refuses(link_sessions::REFUSALS)
        .reacts(link_sessions::on_event),
    Product::new("user_data", user_data::ROUTES)
        .about("user-wide operations: third-party tokens, user items")
        .refuses(user_data::REFUSALS),
    Product::new("bank_income", bank_income::ROUTES)
        .about("Bank Income reports from the items' credits")
        .refuses(bank_income::REFUSALS),
    Product::new("cra", cra::ROUTES)
        .about("Plaid Check consumer reports")
        .refuses(cra::REFUSALS)
        .keeps::<cra::CraState>()
        .reacts(cra::on_event),
    Product::new("cra_monitoring", cra::monitoring::ROUTES)
        .about("Plaid Check monitoring subscriptions and insights")
        .refuses(cra::monitoring::REFUSALS),
    Product::new("cra_loans", cra::loans::ROUTES)
        .about("loans registered with Plaid Check")
        .refuses(cra::loans::REFUSALS),
    Product::new("cra_insights", cra::insights::ROUTES)
        .about("the insights answers of a ready consumer report"),
    Product::new("cashflow_report", cashflow_report::ROUTES)
        .about("Cash Flow Reports")
        .refuses(cashflow_report::REFUSALS)
        .keeps::<cashflow_report::CashflowState>()
        .reacts(cashflow_report::on_event),
    Product::new("payroll_income", payroll_income::ROUTES)
        .about("Payroll and Document Income")
        .refuses(payroll_income::REFUSALS)
        .keeps::<payroll_income::PayrollState>()
        .reacts(payroll_income::on_event),
    Product::new("income_verification", income_verification::ROUTES)
        .about("the older Income and Employment verification API, Income webhooks")
        .refuses(income_verification::REFUSALS),
    Product::new("enrich", enrich::ROUTES).about("Enrich over the transactions a request sends"),
];
