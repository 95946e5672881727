//! Product lifecycles the generic engine cannot infer (Transfer, Payment
//! Initiation, Identity Verification, …), each as Plaid's sandbox runs it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::sandbox::State;

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
mod investments;
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
mod transfer;
mod transfer_ledger;
mod transfer_refunds;
mod transfer_sweeps;
mod user_data;
mod users;
mod wallet;
mod watchlist;

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

/// Answers `path` if a product lifecycle owns it, else `None`.
pub(crate) fn answer(
    state: &mut State,
    path: &str,
    body: &Map<String, Value>,
) -> Option<Result<Value, ErrorAnswer>> {
    None.or_else(|| link_token::answer(state, path, body))
        .or_else(|| transfer::answer(state, path, body))
        .or_else(|| transfer_ledger::answer(state, path, body))
        .or_else(|| transfer_refunds::answer(state, path, body))
        .or_else(|| bank_transfer::answer(state, path, body))
        .or_else(|| payment_initiation::answer(state, path, body))
        .or_else(|| payment_consent::answer(state, path, body))
        .or_else(|| wallet::answer(state, path, body))
        .or_else(|| signal::answer(state, path, body))
        .or_else(|| identity_verification::answer(state, path, body))
        .or_else(|| identity_match::answer(state, path, body))
        .or_else(|| recurring::answer(state, path, body))
        .or_else(|| item_maintenance::answer(state, path, body))
        .or_else(|| auth_verify::answer(state, path, body))
        .or_else(|| investments::answer(state, path, body))
        .or_else(|| assets::answer(state, path, body))
        .or_else(|| watchlist::answer(state, path, body))
        .or_else(|| statements::answer(state, path, body))
        .or_else(|| liabilities::answer(state, path, body))
        .or_else(|| processor::answer(state, path, body))
        .or_else(|| processor_permissions::answer(state, path, body))
        .or_else(|| users::answer(state, path, body))
        .or_else(|| user_data::answer(state, path, body))
        .or_else(|| bank_income::answer(state, path, body))
        .or_else(|| cra::answer(state, path, body))
        .or_else(|| cashflow_report::answer(state, path, body))
        .or_else(|| payroll_income::answer(state, path, body))
        .or_else(|| income_verification::answer(state, path, body))
        .or_else(|| enrich::answer(path, body))
}
