//! Egress proxies: where the proxy settings come from, which requests go
//! through a proxy, and [`ProxyError`], what a failing proxy is reported as.
//!
//! Matching (`NO_PROXY` rules, credentials in the proxy URL) is hyper-util's
//! [`Matcher`]; this module adds the sources (the environment, an injected
//! lookup, an explicit URL), validation with errors that never show
//! credentials, and the rule that loopback destinations never use a proxy.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::Matcher;

use crate::error::BuildError;
use crate::target::is_loopback_host;

/// The variables read for proxies, upper case first (as hyper-util and curl
/// do for all but `http_proxy`).
const HTTPS_VARS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const HTTP_VARS: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const ALL_VARS: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const NO_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// The proxy part of a [`HyperTransportBuilder`](crate::HyperTransportBuilder).
#[derive(Clone)]
pub(crate) struct ProxyOptions {
    pub(crate) explicit: Option<String>,
    pub(crate) explicit_no_proxy: Option<String>,
    pub(crate) from_env: bool,
    /// Variables injected with `proxy_env`; `None` reads the process
    /// environment at build time.
    pub(crate) env: Option<ProxyEnv>,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        Self {
            explicit: None,
            explicit_no_proxy: None,
            from_env: true,
            env: None,
        }
    }
}

impl fmt::Debug for ProxyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyOptions")
            .field("explicit", &self.explicit.as_deref().map(redact))
            .field("no_proxy", &self.explicit_no_proxy)
            .field("from_env", &self.from_env)
            .field("env", &self.env)
            .finish()
    }
}

impl ProxyOptions {
    /// The rules these options give, or `None` when no request uses a proxy.
    pub(crate) fn resolve(&self) -> Result<Option<ProxyRules>, BuildError> {
        if let Some(url) = &self.explicit {
            let source = "the proxy URL given to HyperTransportBuilder::proxy";
            check_url(url, source)?;
            let endpoint = Endpoint::new(url, "set with HyperTransportBuilder::proxy");
            let matcher = Matcher::builder()
                .all(url.as_str())
                .no(self.explicit_no_proxy.as_deref().unwrap_or_default())
                .build();
            return Ok(Some(ProxyRules {
                matcher,
                http: Some(endpoint.clone()),
                https: Some(endpoint),
                loopback_direct: false,
            }));
        }
        if !self.from_env {
            return Ok(None);
        }
        let env = match &self.env {
            Some(env) => env.clone(),
            None => ProxyEnv::read(|name| std::env::var(name).ok()),
        };
        env.rules()
    }
}

/// The proxy variables, as read once.
#[derive(Clone, Default)]
pub(crate) struct ProxyEnv {
    https: Option<(&'static str, String)>,
    http: Option<(&'static str, String)>,
    all: Option<(&'static str, String)>,
    no: Option<String>,
    cgi: bool,
}

impl ProxyEnv {
    pub(crate) fn read(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                lookup(name)
                    .filter(|value| !value.trim().is_empty())
                    .map(|value| (name, value.trim().to_owned()))
            })
        };
        Self {
            https: first(HTTPS_VARS),
            http: first(HTTP_VARS),
            all: first(ALL_VARS),
            no: first(NO_VARS).map(|(_, value)| value),
            cgi: lookup("REQUEST_METHOD").is_some(),
        }
    }

    fn rules(&self) -> Result<Option<ProxyRules>, BuildError> {
        if self.https.is_none() && self.http.is_none() && self.all.is_none() {
            return Ok(None);
        }
        if self.cgi {
            tracing::debug!("REQUEST_METHOD is set (CGI): proxy variables ignored");
            return Ok(None);
        }
        for (name, value) in [&self.https, &self.http, &self.all].into_iter().flatten() {
            check_url(value, name)?;
        }
        let endpoint = |var: &Option<(&'static str, String)>| {
            var.as_ref()
                .or(self.all.as_ref())
                .map(|(name, value)| Endpoint::new(value, &format!("from {name}")))
        };
        let value = |var: &Option<(&'static str, String)>| {
            var.as_ref().map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let matcher = Matcher::builder()
            .https(value(&self.https))
            .http(value(&self.http))
            .all(value(&self.all))
            .no(self.no.clone().unwrap_or_default())
            .build();
        Ok(Some(ProxyRules {
            matcher,
            http: endpoint(&self.http),
            https: endpoint(&self.https),
            loopback_direct: true,
        }))
    }
}

impl fmt::Debug for ProxyEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ProxyEnv");
        for (name, value) in [&self.https, &self.http, &self.all].into_iter().flatten() {
            d.field(name, &redact(value));
        }
        if let Some(no) = &self.no {
            d.field("NO_PROXY", no);
        }
        d.field("cgi", &self.cgi).finish()
    }
}

/// Which requests use which proxy, once the sources are resolved.
pub(crate) struct ProxyRules {
    matcher: Matcher,
    http: Option<Endpoint>,
    https: Option<Endpoint>,
    /// Loopback destinations go direct (proxies from the environment).
    loopback_direct: bool,
}

impl fmt::Debug for ProxyRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |e: &Option<Endpoint>| e.as_ref().map(|e| e.name.to_string());
        f.debug_struct("ProxyRules")
            .field("https", &name(&self.https))
            .field("http", &name(&self.http))
            .finish_non_exhaustive()
    }
}

/// A proxy as it is named in messages: its URL without credentials and where
/// it was configured.
#[derive(Clone)]
struct Endpoint {
    name: Arc<str>,
}

impl Endpoint {
    fn new(url: &str, origin: &str) -> Self {
        Self {
            name: format!("{} ({origin})", redact(url)).into(),
        }
    }
}

/// How one request reaches its destination through a proxy.
pub(crate) struct Route {
    /// The proxy's address (no credentials).
    pub(crate) proxy: Uri,
    /// `Proxy-Authorization` for the `CONNECT` request, marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
    /// The proxy as named in messages, without credentials.
    pub(crate) name: Arc<str>,
}

impl ProxyRules {
    /// The proxy for a request to `dst`, or `None` to connect directly.
    pub(crate) fn route(&self, dst: &Uri) -> Option<Route> {
        let host = dst.host()?;
        if self.loopback_direct && is_loopback_host(host) {
            return None;
        }
        let intercept = self.matcher.intercept(dst)?;
        let endpoint = match dst.scheme_str() {
            Some("https") => self.https.as_ref(),
            _ => self.http.as_ref(),
        }?;
        Some(Route {
            proxy: intercept.uri().clone(),
            authorization: intercept.basic_auth().cloned(),
            name: Arc::clone(&endpoint.name),
        })
    }
}

/// `url` without user info, path or query: safe for messages and logs.
fn redact(url: &str) -> String {
    match url.parse::<Uri>() {
        Ok(uri) => match uri.authority() {
            Some(authority) => {
                let host_port = authority
                    .as_str()
                    .rsplit_once('@')
                    .map_or(authority.as_str(), |(_, host_port)| host_port);
                match uri.scheme_str() {
                    Some(scheme) => format!("{scheme}://{host_port}"),
                    None => format!("http://{host_port}"),
                }
            }
            None => "<a proxy URL without host>".to_owned(),
        },
        Err(_) => "<an unparsable proxy URL>".to_owned(),
    }
}

/// Whether `url` is a proxy URL this crate can use; the error names
/// `source` and the URL without credentials, never the URL as given.
fn check_url(url: &str, source: &str) -> Result<(), BuildError> {
    let expected = "expected http://[user:password@]host:port";
    let uri = url.parse::<Uri>().map_err(|_| {
        BuildError::proxy(format!("{source} is not a valid proxy URL ({expected})"))
    })?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(BuildError::proxy(format!(
            "{source} names no proxy host ({expected})"
        )));
    }
    match uri.scheme_str() {
        None | Some("http" | "https") => Ok(()),
        Some(scheme) if scheme.starts_with("socks") => Err(BuildError::proxy(format!(
            "{source} is a SOCKS proxy ({}); plaid-hyper supports HTTP proxies that accept CONNECT",
            redact(url)
        ))),
        Some(scheme) => Err(BuildError::proxy(format!(
            "{source} has the unsupported scheme {scheme:?} ({expected})"
        ))),
    }
}

/// A request could not get through the proxy. Found in the
/// [`source`](StdError::source) chain of the
/// [`TransportError`](plaid_core::TransportError) (kind
/// [`Connect`](plaid_core::TransportErrorKind::Connect): nothing reached
/// the destination); [`ProxyError::find`] looks for it.
///
/// Neither its message nor its `Debug` output contain the proxy's
/// credentials.
///
/// ```
/// # fn handle(err: &plaid_hyper::Error) {
/// use plaid_hyper::{ProxyError, ProxyErrorKind};
///
/// if let Some(proxy) = ProxyError::find(err) {
///     if proxy.kind() == ProxyErrorKind::AuthenticationRequired {
///         eprintln!("check the credentials of {}", proxy.proxy());
///     }
/// }
/// # }
/// ```
pub struct ProxyError {
    kind: ProxyErrorKind,
    proxy: Arc<str>,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

/// What went wrong with a proxy; see [`ProxyError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProxyErrorKind {
    /// No connection to the proxy (DNS, TCP, or TLS to an `https://` proxy).
    Unreachable,
    /// The proxy answered `407 Proxy Authentication Required`: it wants
    /// credentials, or rejected the ones in the proxy URL.
    AuthenticationRequired,
    /// The proxy refused or failed the `CONNECT` (a status other than 200 or
    /// 407, or an answer that is not HTTP).
    TunnelRefused,
    /// The proxy did not set up the tunnel within the connect timeout.
    TimedOut,
}

impl ProxyError {
    pub(crate) fn new(
        kind: ProxyErrorKind,
        route: &Route,
        message: String,
        source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            kind,
            proxy: Arc::clone(&route.name),
            message,
            source,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ProxyErrorKind {
        self.kind
    }

    /// The proxy: its URL without credentials, and where it was configured
    /// (for example `http://proxy.internal:3128 (from HTTPS_PROXY)`).
    pub fn proxy(&self) -> &str {
        &self.proxy
    }

    /// The first `ProxyError` in the source chain of `err` (`err` included),
    /// such as a [`plaid_core::Error`] returned by a call.
    pub fn find<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a ProxyError> {
        let mut next = Some(err);
        while let Some(e) = next {
            if let Some(found) = e.downcast_ref::<ProxyError>() {
                return Some(found);
            }
            next = e.source();
        }
        None
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyError")
            .field("kind", &self.kind)
            .field("proxy", &self.proxy)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> ProxyEnv {
        ProxyEnv::read(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    fn route(rules: &ProxyRules, uri: &str) -> Option<String> {
        rules
            .route(&uri.parse().unwrap())
            .map(|r| format!("{} {}", r.proxy, r.name))
    }

    #[test]
    fn redaction_drops_credentials_path_and_query() {
        assert_eq!(
            redact("http://user:p%40ss@proxy:3128/x?y"),
            "http://proxy:3128"
        );
        assert_eq!(redact("proxy.internal:8080"), "http://proxy.internal:8080");
        assert_eq!(redact("/only/a/path"), "<a proxy URL without host>");
        assert_eq!(redact("http://u:p@[bad"), "<an unparsable proxy URL>");
    }

    #[test]
    fn env_upper_case_wins_and_all_proxy_fills_in() {
        let rules = env(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
            ("all_proxy", "http://all:3"),
        ])
        .rules()
        .unwrap()
        .unwrap();
        assert_eq!(
            route(&rules, "https://sandbox.plaid.com/x").as_deref(),
            Some("http://upper:1/ http://upper:1 (from HTTPS_PROXY)")
        );
        assert_eq!(
            route(&rules, "http://plain.example/x").as_deref(),
            Some("http://all:3/ http://all:3 (from all_proxy)")
        );
    }

    #[test]
    fn no_proxy_and_loopback_go_direct() {
        let rules = env(&[
            ("https_proxy", "http://p:1"),
            ("no_proxy", "plaid.com, 10.0.0.0/8"),
        ])
        .rules()
        .unwrap()
        .unwrap();
        assert_eq!(route(&rules, "https://sandbox.plaid.com/x"), None);
        assert_eq!(route(&rules, "https://10.1.2.3/x"), None);
        assert_eq!(route(&rules, "https://127.0.0.1:9/x"), None);
        assert_eq!(route(&rules, "https://localhost/x"), None);
        assert!(route(&rules, "https://plaid.com.evil.example/x").is_some());
        // HTTP_PROXY is unset and there is no ALL_PROXY: plain http is direct.
        assert_eq!(route(&rules, "http://plain.example/x"), None);
    }

    #[test]
    fn no_variables_or_cgi_mean_no_proxy() {
        assert!(env(&[("NO_PROXY", "*")]).rules().unwrap().is_none());
        assert!(
            env(&[("HTTPS_PROXY", "http://p:1"), ("REQUEST_METHOD", "GET")])
                .rules()
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn bad_urls_are_build_errors_without_credentials() {
        let err = env(&[("HTTPS_PROXY", "socks5://user:hunter2@p:1080")])
            .rules()
            .unwrap_err();
        assert_eq!(err.kind(), crate::BuildErrorKind::Proxy);
        let text = format!("{err} {err:?}");
        assert!(
            text.contains("HTTPS_PROXY") && text.contains("SOCKS"),
            "{text}"
        );
        assert!(
            !text.contains("hunter2") && !text.contains("user"),
            "{text}"
        );

        let err = env(&[("ALL_PROXY", "http://user:hunter2@[bad")])
            .rules()
            .unwrap_err();
        assert!(err.to_string().contains("ALL_PROXY"), "{err}");
        assert!(!format!("{err} {err:?}").contains("hunter2"));

        let err = env(&[("HTTP_PROXY", "ftp://p:21")]).rules().unwrap_err();
        assert!(err.to_string().contains("\"ftp\""), "{err}");
    }

    #[test]
    fn explicit_proxy_wins_over_the_environment() {
        let options = ProxyOptions {
            explicit: Some("http://me:hunter2@explicit:3128".into()),
            explicit_no_proxy: Some("direct.example".into()),
            from_env: true,
            env: Some(env(&[("HTTPS_PROXY", "http://envproxy:1")])),
        };
        let rules = options.resolve().unwrap().unwrap();
        let r = rules
            .route(&"https://sandbox.plaid.com/".parse().unwrap())
            .unwrap();
        assert_eq!(r.proxy.to_string(), "http://explicit:3128/");
        assert!(r
            .authorization
            .as_ref()
            .is_some_and(HeaderValue::is_sensitive));
        assert_eq!(route(&rules, "https://api.direct.example/"), None);
        // An explicit proxy is used for loopback destinations too.
        assert!(route(&rules, "https://localhost:8443/").is_some());
        let text = format!("{options:?} {rules:?}");
        assert!(!text.contains("hunter2") && !text.contains("me:"), "{text}");
        assert!(text.contains("explicit:3128"), "{text}");

        let off = ProxyOptions {
            from_env: false,
            ..ProxyOptions::default()
        };
        assert!(off.resolve().unwrap().is_none());
    }
}
