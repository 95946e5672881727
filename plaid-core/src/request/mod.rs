//! The typed request seam: what an operation is, and how a call is built.
//!
//! Every Plaid operation is a type implementing [`PlaidRequest`]: it knows its
//! path, its HTTP method, whether it needs credentials, and the type its
//! answer decodes into. [`Client::send`](crate::Client::send) takes any of
//! them. The per-product methods (`client.auth().get(token)`) return a
//! [`Call`], which holds the request so optional fields can be chained and
//! which runs when awaited.
//!
//! One concept per module: the request trait, decoding an answer's body,
//! [`Binary`] answers, the operation tables' rows, path encoding (for
//! generated code only) and [`Call`].

mod binary;
mod call;
mod operation_info;
mod path_segment;
mod plaid_request;
mod response_body;

pub use binary::Binary;
pub use call::Call;
pub use operation_info::{MethodInfo, OperationInfo};
#[allow(unused_imports)] // unused when no operation with a path parameter is compiled
pub(crate) use path_segment::encode_path_segment;
pub use plaid_request::PlaidRequest;
pub use response_body::FromResponseBody;
