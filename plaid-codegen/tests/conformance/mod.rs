//! The parts of the schema-conformance test: reading the spec, checking
//! answers, talking to the fake, and one module per group of flows whose
//! answers are checked.

pub use std::collections::BTreeMap;

pub use bytes::Bytes;
pub use jsonschema::error::ValidationErrorKind;
pub use jsonschema::{ValidationError, ValidatorMap};
pub use plaid_core::test_util::RecordingTransport;
pub use plaid_core::{HttpTransport, RetryPolicy};
pub use plaid_mock::{ErrorAnswer, MockPlaid};
pub use serde_json::{json, Value};

mod consumer_report;
mod errors;
mod fake;
mod income;
mod item_data;
mod operations;
mod payments;
mod products;
mod report;
mod spec;

pub use consumer_report::*;
pub use errors::*;
pub use fake::*;
pub use income::*;
pub use item_data::*;
pub use operations::*;
pub use payments::*;
pub use products::*;
pub use report::*;
pub use spec::*;
