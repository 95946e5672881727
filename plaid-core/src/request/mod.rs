//! The typed request seam: what an operation is, and how a call is built.
//!
//! Every Plaid operation is a type implementing [`PlaidRequest`]: it knows its
//! path, its HTTP method, whether it needs credentials, and the type its
//! answer decodes into. [`Client::send`](crate::Client::send) takes any of
//! them. The per-product methods (`client.auth().get(token)`) return the
//! operation's generated request builder: optional fields are chained
//! setters, and it is sent when awaited. Every builder is an [`IntoCall`]:
//! `into_call()` turns it into a [`Call`] (the complete request bound to the
//! client), and `customize()` into a [`CustomizedCall`], which adds this
//! call's own headers, timeout and retry policy.
//!
//! One concept per module: the request trait, decoding an answer's body,
//! [`Binary`] answers, the operation tables' rows, path encoding (for
//! generated code only), [`Call`], and the per-call options
//! ([`IntoCall`], [`CustomizedCall`]).

mod binary;
mod call;
mod customize;
mod operation_info;
mod path_segment;
mod plaid_request;
mod response_body;

pub use binary::Binary;
pub use call::Call;
pub use customize::{CustomizedCall, IntoCall};
pub use operation_info::{MethodInfo, OperationInfo};
#[allow(unused_imports)] // unused when no operation with a path parameter is compiled
pub(crate) use path_segment::encode_path_segment;
pub use plaid_request::PlaidRequest;
pub use response_body::FromResponseBody;
