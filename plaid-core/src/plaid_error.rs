//! The error body Plaid sends with every non-2xx answer.

use serde::{Deserialize, Serialize};

use crate::string_enum::string_enum;

string_enum! {
    /// The broad category of a Plaid error (`error_type`).
    ///
    /// Match on it for coarse handling; match on
    /// [`PlaidError::error_code`] for specific cases. Values Plaid adds later
    /// arrive as [`ErrorType::Unknown`].
    pub enum ErrorType {
        InvalidRequest = "INVALID_REQUEST",
        InvalidResult = "INVALID_RESULT",
        InvalidInput = "INVALID_INPUT",
        InstitutionError = "INSTITUTION_ERROR",
        RateLimitExceeded = "RATE_LIMIT_EXCEEDED",
        ApiError = "API_ERROR",
        ItemError = "ITEM_ERROR",
        AssetReportError = "ASSET_REPORT_ERROR",
        BaseReportError = "BASE_REPORT_ERROR",
        RecaptchaError = "RECAPTCHA_ERROR",
        OauthError = "OAUTH_ERROR",
        PaymentError = "PAYMENT_ERROR",
        BankTransferError = "BANK_TRANSFER_ERROR",
        IncomeVerificationError = "INCOME_VERIFICATION_ERROR",
        MicrodepositsError = "MICRODEPOSITS_ERROR",
        SandboxError = "SANDBOX_ERROR",
        PartnerError = "PARTNER_ERROR",
        SignalError = "SIGNAL_ERROR",
        TransactionsError = "TRANSACTIONS_ERROR",
        TransactionError = "TRANSACTION_ERROR",
        TransferError = "TRANSFER_ERROR",
        CheckReportError = "CHECK_REPORT_ERROR",
        ConsumerReportError = "CONSUMER_REPORT_ERROR",
        UserError = "USER_ERROR",
    }
}

/// Well-known values of [`PlaidError::error_code`], to compare against
/// without typos. Plaid has many more; any code arrives as a string.
///
/// ```
/// # fn check(err: &plaid_core::Error) {
/// use plaid_core::error_code;
///
/// if err.code() == Some(error_code::ITEM_LOGIN_REQUIRED) {
///     // send the user through Link update mode
/// }
/// # }
/// ```
pub mod error_code {
    /// The item's login details changed; repair it through Link update mode.
    pub const ITEM_LOGIN_REQUIRED: &str = "ITEM_LOGIN_REQUIRED";
    /// The product's data is not ready yet; try again later or wait for a webhook.
    pub const PRODUCT_NOT_READY: &str = "PRODUCT_NOT_READY";
    /// The item does not exist (for example it was removed).
    pub const ITEM_NOT_FOUND: &str = "ITEM_NOT_FOUND";
    /// The client id or secret is wrong for this environment.
    pub const INVALID_API_KEYS: &str = "INVALID_API_KEYS";
    /// The access token is malformed, unknown, removed or rotated.
    pub const INVALID_ACCESS_TOKEN: &str = "INVALID_ACCESS_TOKEN";
    /// The public token is malformed, already used or expired.
    pub const INVALID_PUBLIC_TOKEN: &str = "INVALID_PUBLIC_TOKEN";
    /// A required request field is missing.
    pub const MISSING_FIELDS: &str = "MISSING_FIELDS";
    /// The request has fields the endpoint does not accept.
    pub const UNKNOWN_FIELDS: &str = "UNKNOWN_FIELDS";
    /// A request field has the wrong type or value.
    pub const INVALID_FIELD: &str = "INVALID_FIELD";
    /// Plaid failed internally; safe to retry with back-off.
    pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
    /// Plaid is under maintenance; safe to retry with back-off.
    pub const PLANNED_MAINTENANCE: &str = "PLANNED_MAINTENANCE";
    /// Too many requests; safe to retry with back-off.
    pub const RATE_LIMIT: &str = "RATE_LIMIT";
    /// Data changed while paging `/transactions/sync`; restart from the
    /// cursor the pagination began with.
    pub const TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION: &str =
        "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION";
}

/// The JSON body of a Plaid error (the spec's `PlaidError` schema).
///
/// Fields follow the wire names. Fields the spec may add later are kept in
/// [`extra`](Self::extra).
///
/// ```
/// use plaid_core::{ErrorType, PlaidError};
///
/// let body = r#"{"error_type":"ITEM_ERROR","error_code":"ITEM_LOGIN_REQUIRED",
///     "error_message":"the login details of this item have changed",
///     "display_message":null,"request_id":"m8MDnv9okwxFNBV"}"#;
/// let err: PlaidError = serde_json::from_str(body).unwrap();
/// assert_eq!(err.error_type, ErrorType::ItemError);
/// assert_eq!(err.error_code, "ITEM_LOGIN_REQUIRED");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaidError {
    /// Broad category, e.g. `ITEM_ERROR`.
    pub error_type: ErrorType,
    /// Specific code, e.g. `ITEM_LOGIN_REQUIRED`; safe to match on.
    pub error_code: String,
    /// Finer reason for some codes (OAuth item errors), e.g. `OAUTH_CONSENT_EXPIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code_reason: Option<String>,
    /// Message for developers; its wording may change. Empty when Plaid
    /// sent none (or `null`).
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub error_message: String,
    /// Message suitable for end users, when the error concerns them.
    #[serde(default)]
    pub display_message: Option<String>,
    /// Plaid's id for the request; quote it to Plaid support. When the body
    /// has none, the client fills it from a `Plaid-Request-Id` or
    /// `X-Request-Id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-item breakdown for errors about several items (asset and check
    /// reports). Empty when absent or `null`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::wire::null_as_default"
    )]
    pub causes: Vec<serde_json::Value>,
    /// HTTP status, present only when the error is delivered inside a webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Link to Plaid's documentation of this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// What Plaid suggests doing about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_action: Option<String>,
    /// Account subtypes requested through `account_filters` (some `NO_ACCOUNTS` errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_account_subtypes: Option<Vec<String>>,
    /// Account subtypes found that did not match the filters (some `NO_ACCOUNTS` errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provided_account_subtypes: Option<Vec<String>>,
    /// Fields not listed above, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl PlaidError {
    /// An error body with the given type, code and developer message.
    /// Useful for fakes and tests.
    pub fn new(
        error_type: impl Into<ErrorType>,
        error_code: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Self {
        Self {
            error_type: error_type.into(),
            error_code: error_code.into(),
            error_code_reason: None,
            error_message: error_message.into(),
            display_message: None,
            request_id: None,
            causes: Vec::new(),
            status: None,
            documentation_url: None,
            suggested_action: None,
            required_account_subtypes: None,
            provided_account_subtypes: None,
            extra: serde_json::Map::new(),
        }
    }

    /// Sets the request id.
    #[must_use]
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets the message for end users.
    #[must_use]
    pub fn with_display_message(mut self, message: impl Into<String>) -> Self {
        self.display_message = Some(message.into());
        self
    }

    /// Whether Plaid documents this error as safe to retry with back-off:
    /// `INTERNAL_SERVER_ERROR`, `PLANNED_MAINTENANCE`, and every
    /// `RATE_LIMIT_EXCEEDED` error.
    pub fn is_retryable(&self) -> bool {
        self.error_type == ErrorType::RateLimitExceeded
            || self.error_code == error_code::INTERNAL_SERVER_ERROR
            || self.error_code == error_code::PLANNED_MAINTENANCE
    }
}

impl std::fmt::Display for PlaidError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.error_type, self.error_code)?;
        if !self.error_message.is_empty() {
            write!(f, ": {}", self.error_message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_24_spec_error_types_are_known() {
        assert_eq!(ErrorType::KNOWN.len(), 24);
        for name in ErrorType::KNOWN {
            let t: ErrorType = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert!(!t.is_unknown(), "{name}");
            assert_eq!(t.as_str(), *name);
        }
    }

    #[test]
    fn every_spec_field_and_extra_fields_decode() {
        let body = serde_json::json!({
            "error_type": "ASSET_REPORT_ERROR",
            "error_code": "PRODUCT_NOT_READY",
            "error_code_reason": null,
            "error_message": "not yet",
            "display_message": "Try later",
            "request_id": "req-1",
            "causes": [{"item_id": "i1"}],
            "status": 400,
            "documentation_url": "https://plaid.com/docs/errors/",
            "suggested_action": "wait",
            "required_account_subtypes": ["checking"],
            "provided_account_subtypes": ["savings"],
            "brand_new_field": {"x": 1}
        });
        let err: PlaidError = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(err.error_type, ErrorType::AssetReportError);
        assert_eq!(err.display_message.as_deref(), Some("Try later"));
        assert_eq!(err.causes.len(), 1);
        assert_eq!(err.status, Some(400));
        assert_eq!(err.required_account_subtypes, Some(vec!["checking".into()]));
        assert_eq!(err.extra["brand_new_field"], serde_json::json!({"x": 1}));
        let mut back = serde_json::to_value(&err).unwrap();
        back.as_object_mut()
            .unwrap()
            .insert("error_code_reason".into(), serde_json::Value::Null);
        assert_eq!(back, body);
    }

    #[test]
    fn nulls_where_the_spec_promises_values_do_not_lose_the_error() {
        let body = serde_json::json!({
            "error_type": "ITEM_ERROR",
            "error_code": "ITEM_LOGIN_REQUIRED",
            "error_message": null,
            "display_message": null,
            "causes": null,
            "request_id": "req-2"
        });
        let err: PlaidError = serde_json::from_value(body).unwrap();
        assert_eq!(err.error_code, "ITEM_LOGIN_REQUIRED");
        assert_eq!(err.error_message, "");
        assert!(err.causes.is_empty());
        assert_eq!(err.request_id.as_deref(), Some("req-2"));
    }

    #[test]
    fn retryable_codes_follow_plaid_docs() {
        assert!(PlaidError::new("API_ERROR", "INTERNAL_SERVER_ERROR", "").is_retryable());
        assert!(PlaidError::new("API_ERROR", "PLANNED_MAINTENANCE", "").is_retryable());
        assert!(PlaidError::new("RATE_LIMIT_EXCEEDED", "TRANSACTIONS_LIMIT", "").is_retryable());
        assert!(!PlaidError::new("ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "").is_retryable());
        assert!(!PlaidError::new("INVALID_INPUT", "INVALID_API_KEYS", "").is_retryable());
    }
}
