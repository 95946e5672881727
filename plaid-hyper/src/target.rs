//! What a request is aimed at, as logs and errors name it, and whether its
//! host is this machine.

use std::fmt;
use std::net::IpAddr;

use http::{Method, Uri};

/// True for `localhost`, `127.0.0.0/8`, `::1` and `::ffff:127.0.0.0/104`.
/// Decided on the literal host only: nothing is resolved.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// What a request is aimed at, for logs and error messages: method, scheme,
/// host, port and path. Never the query, user info or headers.
pub(crate) struct Target {
    pub(crate) method: Method,
    scheme: String,
    pub(crate) host: String,
    port: Option<u16>,
    pub(crate) path: String,
}

impl Target {
    pub(crate) fn of(method: &Method, uri: &Uri) -> Self {
        Self {
            method: method.clone(),
            scheme: uri.scheme_str().unwrap_or_default().to_owned(),
            host: uri.host().unwrap_or_default().to_owned(),
            port: uri.port_u16(),
            path: uri.path().to_owned(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.method)?;
        if !self.scheme.is_empty() {
            write!(f, "{}://", self.scheme)?;
        }
        f.write_str(&self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        f.write_str(&self.path)
    }
}
