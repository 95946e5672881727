//! The answer kit: what product handlers build answers with. The spec's
//! example answer, echo of request values, readers of request fields, time
//! formatting, money, paging, the request options that shape answers, and
//! the last step that keeps every answer within its schema.

pub(crate) mod accounts;
pub(crate) mod conform;
pub(crate) mod echo;
pub(crate) mod example;
pub(crate) mod fields;
pub(crate) mod ids;
pub(crate) mod money;
pub(crate) mod options;
pub(crate) mod paging;
pub(crate) mod route;
