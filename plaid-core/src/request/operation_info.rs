//! Static facts about the operations, as the generated tables list them.

/// Static facts about one operation of Plaid's API, from the generated
/// [`OPERATIONS`](crate::OPERATIONS) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// The spec's `operationId`, e.g. `transactionsGet`.
    pub operation_id: &'static str,
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The path template, e.g. `/transactions/get`.
    pub path: &'static str,
    /// The product group (first path segment), e.g. `transactions`.
    pub group: &'static str,
    /// How the client reaches it, e.g. `transactions().get(..)`.
    pub client_method: &'static str,
    /// The request type in [`models`](crate::models).
    pub request_type: &'static str,
    /// The response type in [`models`](crate::models), or `Binary`.
    pub response_type: &'static str,
    /// Whether Plaid marks it deprecated.
    pub deprecated: bool,
    /// False only for operations without authentication (`/categories/get`).
    pub requires_credentials: bool,
    /// Plaid's documentation page for it.
    pub docs_url: Option<&'static str>,
}

/// How a generated client method is called, from the generated
/// [`api::METHODS`](crate::api::METHODS) table: which required fields are
/// arguments, which are setters, and how it pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodInfo {
    /// The path template, e.g. `/transfer/create`.
    pub path: &'static str,
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The builder type, e.g. `transfer::TransferCreate` (under
    /// [`api`](crate::api)).
    pub builder: &'static str,
    /// The cargo feature that compiles it.
    pub feature: &'static str,
    /// Required fields taken as arguments of the client method, in order
    /// (at most two, never of the same type).
    pub positional: &'static [&'static str],
    /// Required fields set with a setter; sending without one fails locally
    /// with [`LocalError::MissingField`](crate::LocalError::MissingField).
    pub required_setters: &'static [&'static str],
    /// How the operation pages, if it does.
    pub paging: Option<crate::pagination::PageStyle>,
}
