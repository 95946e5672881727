//! The client's base URL, taken apart once so that each request only adds
//! its path.

use std::fmt;

use http::uri::{Authority, PathAndQuery, Scheme};
use http::Uri;

use crate::error::LocalError;

/// The base URL taken apart once, so that each request only adds its path.
pub(crate) struct BaseUrl {
    scheme: Scheme,
    authority: Authority,
    /// What comes after the authority, without a trailing `/` (usually
    /// empty).
    path: String,
}

impl BaseUrl {
    pub(crate) fn parse(base_url: &str) -> Result<Self, String> {
        let uri: Uri = base_url
            .parse()
            .map_err(|e| format!("base URL {base_url:?} is not a URL: {e}"))?;
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(format!(
                "base URL {base_url:?} must be an absolute http:// or https:// URL"
            ));
        };
        if !matches!(scheme.as_str(), "http" | "https") {
            return Err(format!(
                "base URL {base_url:?} must use http:// or https://, not {scheme}://"
            ));
        }
        if uri.query().is_some() {
            return Err(format!("base URL {base_url:?} must not have a query"));
        }
        Ok(Self {
            scheme: scheme.clone(),
            authority: authority.clone(),
            path: uri.path().trim_end_matches('/').to_owned(),
        })
    }

    /// The URL of the operation at `path`.
    pub(crate) fn url_for(&self, path: &str) -> Result<Uri, LocalError> {
        let invalid = |e: &dyn fmt::Display| {
            LocalError::Config(format!("{path:?} does not make a valid URL: {e}"))
        };
        let path_and_query = if self.path.is_empty() {
            PathAndQuery::try_from(path)
        } else {
            PathAndQuery::try_from(format!("{}{path}", self.path))
        }
        .map_err(|e| invalid(&e))?;
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(path_and_query);
        Uri::from_parts(parts).map_err(|e| invalid(&e))
    }
}
