//! The parts of the hostile-input test: generated JSON, mutations of real
//! answers, the seeds they start from, and one module of properties per
//! decoder.

pub use std::fmt::Debug;
pub use std::sync::atomic::{AtomicUsize, Ordering};
pub use std::sync::OnceLock;
pub use std::time::{Duration, Instant};

pub use base64::engine::general_purpose::URL_SAFE_NO_PAD;
pub use base64::Engine as _;
pub use bytes::Bytes;
pub use http::{HeaderMap, HeaderValue, StatusCode};
pub use plaid_core::clock::ManualClock;
pub use plaid_core::models::{
    AccountsGetResponse, AuthGetResponse, ItemGetRequest, ItemGetResponse,
    SandboxItemFireWebhookRequestWebhookCode, TransactionsGetResponse, TransactionsSyncResponse,
};
pub use plaid_core::sleep::RecordingSleep;
pub use plaid_core::test_util::CannedTransport;
pub use plaid_core::webhook_verification::{WebhookError, WebhookVerifier};
pub use plaid_core::{Client, Error, FromResponseBody, ResponseErrorKind, RetryPolicy};
pub use plaid_mock::webhook_signing::WebhookSigner;
pub use plaid_mock::MockPlaid;
pub use proptest::prelude::*;
pub use proptest::sample::select;
pub use proptest::test_runner::{TestCaseError, TestRunner};
pub use serde::Serialize;
pub use serde_json::{json, Map, Value};
pub use time::macros::datetime;

pub use crate::{run, runtime, SEED};

mod error_decoder;
mod json;
mod mutate;
mod response_types;
mod seeds;
mod webhooks;

pub use error_decoder::json_string;
pub use json::*;
pub use mutate::*;
pub use seeds::*;
