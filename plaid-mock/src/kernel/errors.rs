//! Plaid-shaped error answers: the same `error_type`, `error_code` and HTTP
//! status the real service uses.

use bytes::Bytes;
use plaid_core::PlaidError;

/// An error answer: HTTP status and Plaid error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub error: Box<PlaidError>,
}

impl std::fmt::Display for ErrorAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.error)
    }
}

impl std::error::Error for ErrorAnswer {}

impl ErrorAnswer {
    /// An error with `status`, `error_type`, `error_code` and a message.
    pub fn new(
        status: u16,
        error_type: &str,
        error_code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error: Box::new(PlaidError::new(error_type, error_code, message)),
        }
    }

    /// Adds the message meant for end users.
    #[must_use]
    pub fn display(mut self, message: &str) -> Self {
        self.error.display_message = Some(message.to_owned());
        self
    }

    /// The JSON body, with `request_id` set.
    pub fn body(&self, request_id: &str) -> Bytes {
        let mut error = (*self.error).clone();
        error.request_id = Some(request_id.to_owned());
        Bytes::from(serde_json::to_vec(&error).unwrap_or_default())
    }
}

pub(crate) fn invalid_api_keys() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_INPUT",
        "INVALID_API_KEYS",
        "invalid client_id or secret provided",
    )
}

pub(crate) fn invalid_access_token() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
        "provided access token is in an invalid format, unknown, removed or rotated",
    )
}

/// `ITEM_NOT_FOUND`: the access token was good, but its item was removed
/// with `/item/remove`.
pub(crate) fn item_not_found() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "ITEM_ERROR",
        "ITEM_NOT_FOUND",
        "the Item you requested cannot be found: it was removed with /item/remove; link the account again to get a new access token",
    )
}

pub(crate) fn invalid_public_token() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_INPUT",
        "INVALID_PUBLIC_TOKEN",
        "provided public token is unknown, expired or already used",
    )
}

pub(crate) fn item_login_required() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "ITEM_ERROR",
        "ITEM_LOGIN_REQUIRED",
        "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information",
    )
    .display("Your bank login has changed; please sign in again.")
}

pub(crate) fn product_not_ready() -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "ITEM_ERROR",
        "PRODUCT_NOT_READY",
        "the requested product is not yet ready; please provide a webhook or try the request again later",
    )
}

pub(crate) fn missing_fields(fields: &[&str]) -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
        format!(
            "the following required fields are missing: {}",
            fields.join(", ")
        ),
    )
}

pub(crate) fn unknown_fields(fields: &[String]) -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_REQUEST",
        "UNKNOWN_FIELDS",
        format!(
            "the following fields are not recognized by this endpoint: {}",
            fields.join(", ")
        ),
    )
}

pub(crate) fn invalid_field(message: impl Into<String>) -> ErrorAnswer {
    ErrorAnswer::new(400, "INVALID_REQUEST", "INVALID_FIELD", message)
}

pub(crate) fn invalid_body(message: impl Into<String>) -> ErrorAnswer {
    ErrorAnswer::new(400, "INVALID_REQUEST", "INVALID_BODY", message)
}

pub(crate) fn not_found(path: &str) -> ErrorAnswer {
    ErrorAnswer::new(
        404,
        "INVALID_REQUEST",
        "NOT_FOUND",
        format!("{path} is not a Plaid operation"),
    )
}

/// An id or token the fake never handed out (or that was removed), for the
/// products whose objects are not items.
pub(crate) fn unknown_object(field: &str, id: &str) -> ErrorAnswer {
    ErrorAnswer::new(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        format!("{field} {id:?} does not exist or was removed"),
    )
}

/// The kind of a Plaid token from its prefix (`access`, `public`, `link`, …).
fn token_kind(token: &str) -> Option<&'static str> {
    ["access", "public", "link", "processor", "assets"]
        .into_iter()
        .find(|kind| token.starts_with(&format!("{kind}-")))
}

/// `INVALID_ACCESS_TOKEN` for `token`, saying so when it is a token of
/// another kind (a public or link token where an access token goes).
pub(crate) fn access_token_error(token: &str) -> ErrorAnswer {
    match token_kind(token) {
        Some(kind) if kind != "access" => ErrorAnswer::new(
            400,
            "INVALID_INPUT",
            "INVALID_ACCESS_TOKEN",
            format!(
                "provided token is the wrong type: expected an access token, got a {kind} token"
            ),
        ),
        _ => invalid_access_token(),
    }
}

/// `INVALID_PROCESSOR_TOKEN` for `token` (never issued, or its item was
/// removed), saying so when it is a token of another kind.
pub(crate) fn processor_token_error(token: &str) -> ErrorAnswer {
    let message = match token_kind(token) {
        Some(kind) if kind != "processor" => {
            let article = if kind == "access" || kind == "assets" {
                "an"
            } else {
                "a"
            };
            format!(
                "provided token is the wrong type: expected a processor token, got {article} {kind} token"
            )
        }
        _ => "could not find matching processor token".to_owned(),
    };
    ErrorAnswer::new(400, "INVALID_INPUT", "INVALID_PROCESSOR_TOKEN", message)
}

/// `INVALID_PUBLIC_TOKEN` for `token`, saying so when it is a token of
/// another kind (an access or link token where a public token goes).
pub(crate) fn public_token_error(token: &str) -> ErrorAnswer {
    match token_kind(token) {
        Some(kind) if kind != "public" => ErrorAnswer::new(
            400,
            "INVALID_INPUT",
            "INVALID_PUBLIC_TOKEN",
            format!(
                "provided token is the wrong type: expected a public token, got a {kind} token"
            ),
        ),
        _ => invalid_public_token(),
    }
}

/// Plaid's answer for an id (`field`) that names nothing this client made.
pub(crate) fn unknown_id(field: &str, id: &str) -> ErrorAnswer {
    invalid_field(format!("{field} {id:?} does not exist for this client"))
}

/// A misuse the fake refuses and the Plaid error it answers with: one row
/// of the crate's error table ([`crate::sandbox_errors`]), kept beside the
/// code that refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The misuse, in the table's words (Markdown).
    pub misuse: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The answer's `error_type`.
    pub error_type: &'static str,
    /// The answer's `error_code`.
    pub error_code: &'static str,
    /// What else the answer says (the field its message names, say).
    pub detail: Option<&'static str>,
}

impl Refusal {
    /// A refusal of `misuse` with `status`, `error_type` and `error_code`.
    pub(crate) const fn new(
        misuse: &'static str,
        status: u16,
        error_type: &'static str,
        error_code: &'static str,
    ) -> Self {
        Refusal {
            misuse,
            status,
            error_type,
            error_code,
            detail: None,
        }
    }

    /// The same refusal, saying what else its answer tells.
    pub(crate) const fn detail(self, detail: &'static str) -> Self {
        Refusal {
            detail: Some(detail),
            ..self
        }
    }

    #[cfg(test)]
    /// The refusal as a row of a Markdown table.
    pub(crate) fn markdown_row(&self) -> String {
        let detail = self.detail.map(|d| format!(", {d}")).unwrap_or_default();
        format!(
            "| {} | {} | `{}` | `{}`{detail} |",
            self.misuse, self.status, self.error_type, self.error_code
        )
    }
}

/// The misuses of a request itself (its credentials, body, fields and
/// path) and the errors they get, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "wrong or missing `client_id`/`secret`",
        400,
        "INVALID_INPUT",
        "INVALID_API_KEYS",
    ),
    Refusal::new(
        "a required field missing or `null`",
        400,
        "INVALID_REQUEST",
        "MISSING_FIELDS",
    ),
    Refusal::new(
        "a field the operation does not know",
        400,
        "INVALID_REQUEST",
        "UNKNOWN_FIELDS",
    ),
    Refusal::new(
        "a field of the wrong JSON type, `null` where the spec does not allow it, a bad date, a malformed email, URI or UUID, a repeated item where items must be unique, a count out of range (at any depth, the message naming the field's path)",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a body that is not a JSON object, or not `application/json`",
        400,
        "INVALID_REQUEST",
        "INVALID_BODY",
    ),
    Refusal::new(
        "an unknown `Plaid-Version`",
        400,
        "INVALID_REQUEST",
        "INVALID_HEADERS",
    ),
    Refusal::new(
        "a path that is no Plaid operation",
        404,
        "INVALID_REQUEST",
        "NOT_FOUND",
    ),
];
