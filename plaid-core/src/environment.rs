//! Which Plaid deployment a client talks to.

use std::fmt;

/// A Plaid environment: where requests go.
///
/// ```
/// use plaid_core::Environment;
///
/// assert_eq!(Environment::Sandbox.base_url(), "https://sandbox.plaid.com");
/// let local = Environment::custom("http://127.0.0.1:8080");
/// assert_eq!(local.base_url(), "http://127.0.0.1:8080");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://sandbox.plaid.com`: test data and test credentials. The default.
    #[default]
    Sandbox,
    /// `https://production.plaid.com`: live data.
    Production,
    /// `https://development.plaid.com`: **retired by Plaid in 2024.** Kept so
    /// that configuration written for older clients still parses; requests to
    /// it will fail. Use [`Sandbox`](Self::Sandbox) or
    /// [`Production`](Self::Production).
    Development,
    /// Any other base URL, such as a local fake Plaid or a proxy. A trailing
    /// `/` is ignored.
    Custom(String),
}

impl Environment {
    /// A custom base URL, for example `http://127.0.0.1:8080`.
    pub fn custom(base_url: impl Into<String>) -> Self {
        Self::Custom(base_url.into())
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        match self {
            Self::Sandbox => "https://sandbox.plaid.com",
            Self::Production => "https://production.plaid.com",
            Self::Development => "https://development.plaid.com",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// Parses the names used by Plaid's libraries and dashboards
    /// (`sandbox`, `production`, `development`, case-insensitive) or an
    /// `http://` / `https://` URL. Returns `None` for anything else.
    ///
    /// ```
    /// use plaid_core::Environment;
    ///
    /// assert_eq!(Environment::parse("Sandbox"), Some(Environment::Sandbox));
    /// assert_eq!(Environment::parse("http://localhost:8080/"), Some(Environment::custom("http://localhost:8080/")));
    /// assert_eq!(Environment::parse("staging"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        let trimmed = name.trim();
        match trimmed.to_ascii_lowercase().as_str() {
            "sandbox" => Some(Self::Sandbox),
            "production" => Some(Self::Production),
            "development" => Some(Self::Development),
            lower if lower.starts_with("http://") || lower.starts_with("https://") => {
                Some(Self::Custom(trimmed.to_owned()))
            }
            _ => None,
        }
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sandbox => f.write_str("Sandbox"),
            Self::Production => f.write_str("Production"),
            Self::Development => f.write_str("Development"),
            Self::Custom(url) => f.debug_tuple("Custom").field(url).finish(),
        }
    }
}
