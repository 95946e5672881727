//! A string that never shows itself: the Plaid secret.

use std::fmt;

/// Holds a credential and keeps it out of `Debug`, `Display` and logs.
///
/// The only way to read the value is [`Secret::expose`], which the client
/// calls once per request to fill the `PLAID-SECRET` header (itself marked
/// sensitive so that `http`'s `Debug` hides it too).
///
/// ```
/// use plaid_core::Secret;
///
/// let secret = Secret::new("sandbox-secret-123");
/// assert_eq!(format!("{secret:?}"), "Secret([redacted])");
/// assert_eq!(secret.to_string(), "[redacted]");
/// assert_eq!(secret.expose(), "sandbox-secret-123");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The wrapped value. Call it only where the value must leave the process.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
