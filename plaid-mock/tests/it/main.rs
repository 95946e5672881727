//! plaid-mock's tests, in one binary: linking the crate once per test
//! binary is most of what building the tests costs, so every suite is a
//! module here. The proptest suite (`hostile_input`) and the load test of
//! the `plaid-mock` binary (`load`) are binaries of their own: one runs for
//! minutes with `PROPTEST_CASES`, the other measures its child's memory
//! and wants the machine to itself.
//!
//! Scenarios that make sense both in-process and over HTTP are written once
//! with [`scenarios!`](support::scenarios) and run in both modes; the
//! product scenarios' in-process runs are recorded again by `conformance`,
//! which checks every answer against the spec's schemas.

mod support;

mod answer_sources;
mod cassette;
mod conformance;
mod control;
mod control_consents;
mod http;
mod in_process;
mod institutions;
mod item_fields;
mod link_ui;
mod products;
mod resources;
mod resources_unknown_ids;
mod validation;
mod webhook_verification;
mod workflows;
