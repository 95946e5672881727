//! One module per product (or group of operations): the fake's models
//! driven through the public client.

mod assets;
mod auth_verify;
mod bank_transfer;
mod beacon;
mod cashflow_report;
mod consumer_report;
mod data;
mod http;
mod identity_match;
mod income;
mod income_verification;
mod income_webhooks;
mod investments;
mod item_maintenance;
mod link_session;
mod link_token;
mod payment_consent;
mod payment_initiation;
mod payroll_income;
mod processor;
mod recurring;
mod signal;
mod statements;
mod transfer;
mod transfer_ledger;
mod user_data;
mod wallet;
mod watchlist;

use crate::support::Scenario;

/// Every product scenario, for `conformance`.
pub const SCENARIOS: &[&[Scenario]] = &[
    assets::SCENARIOS,
    auth_verify::SCENARIOS,
    bank_transfer::SCENARIOS,
    beacon::SCENARIOS,
    cashflow_report::SCENARIOS,
    consumer_report::SCENARIOS,
    data::SCENARIOS,
    http::SCENARIOS,
    identity_match::SCENARIOS,
    income::SCENARIOS,
    income_verification::SCENARIOS,
    income_webhooks::SCENARIOS,
    investments::SCENARIOS,
    item_maintenance::SCENARIOS,
    link_session::SCENARIOS,
    link_token::SCENARIOS,
    payment_consent::SCENARIOS,
    payment_initiation::SCENARIOS,
    payroll_income::SCENARIOS,
    processor::SCENARIOS,
    recurring::SCENARIOS,
    signal::SCENARIOS,
    statements::SCENARIOS,
    transfer::SCENARIOS,
    transfer_ledger::SCENARIOS,
    user_data::SCENARIOS,
    wallet::SCENARIOS,
    watchlist::SCENARIOS,
];
