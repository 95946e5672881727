//! Plaid Link, offline: the server serves a stand-in for Link's web SDK and
//! the panes a person goes through, so a web app's browser tests run with
//! no internet connection.
//!
//! * `GET /link/v2/stable/link-initialize.js` — Plaid's own path, so an app
//!   (or a test that routes Plaid's CDN URL here) only swaps the host. It
//!   defines `window.Plaid.create(config)`; the handler's `open()` shows the
//!   panes in an iframe overlay.
//! * `GET /link/ui` — the panes (with `/link/ui/link.js` and
//!   `/link/ui/link.css`); `POST /link/ui/api/<step>` — each step of the
//!   person's session (open, institutions, credentials, mfa, finish, exit),
//!   answered from the fake's state.
//! * `GET /hl/<link_token>` — Hosted Link: the same panes as a page of
//!   their own; finishing redirects to `hosted_link.completion_redirect_uri`.
//!   `/link/token/create` with `hosted_link` answers a `hosted_link_url` on
//!   this server's base URL (the host the client used to reach it).
//!
//! The JavaScript, HTML and CSS are plain files beside this module, built
//! into the binary; they load nothing from anywhere but the fake.

use bytes::Bytes;
use http::{header, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value};

use crate::mock::link_person::LinkStep;
use crate::mock::{respond_bytes, MockPlaid};
use crate::products::link_token::{self, HOSTED_LINK_PATH, HOSTED_LINK_PLACEHOLDER};

/// The SDK stand-in, with `"__PLAID_MOCK_ORIGIN__"` for the fake's base URL.
const SDK: &str = include_str!("assets/link-initialize.js");
/// The panes' page.
const PAGE: &str = include_str!("assets/link.html");
/// The panes' script.
const PANES: &str = include_str!("assets/link.js");
/// The panes' style.
const STYLE: &str = include_str!("assets/link.css");

/// Where Plaid serves its web SDK (on its CDN); the fake serves the
/// stand-in at the same path.
pub const SDK_PATH: &str = "/link/v2/stable/link-initialize.js";
/// The panes' page.
const PAGE_PATH: &str = "/link/ui";
/// Where the panes send the person's steps.
const API_PREFIX: &str = "/link/ui/api/";

/// The content security policy of the panes: nothing but the fake itself.
const PANE_POLICY: &str =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'";

/// Answers a request for the Link stand-in, or `None` when the path is not
/// one of its own (then it is a Plaid operation or the control API).
pub(crate) fn answer(
    mock: &MockPlaid,
    base_url: &str,
    request: &http::Request<Bytes>,
) -> Option<http::Response<Bytes>> {
    let path = request.uri().path();
    let method = request.method();
    let reading = method == Method::GET || method == Method::HEAD;
    if reading {
        let base = own_base_url(request.headers().get(header::HOST), base_url);
        return match path {
            SDK_PATH => {
                let origin = serde_json::to_string(&base).unwrap_or_else(|_| "\"\"".into());
                let script = SDK.replace("\"__PLAID_MOCK_ORIGIN__\"", &origin);
                Some(asset(script, "text/javascript; charset=utf-8", None))
            }
            "/link/ui/link.js" => Some(asset(PANES, "text/javascript; charset=utf-8", None)),
            "/link/ui/link.css" => Some(asset(STYLE, "text/css; charset=utf-8", None)),
            PAGE_PATH | "/link/ui/" => {
                Some(asset(PAGE, "text/html; charset=utf-8", Some(PANE_POLICY)))
            }
            _ if hosted_token(path).is_some() => {
                Some(asset(PAGE, "text/html; charset=utf-8", Some(PANE_POLICY)))
            }
            _ => None,
        };
    }
    let step = path.strip_prefix(API_PREFIX)?;
    if method != Method::POST {
        return None;
    }
    let Some(step) = LinkStep::named(step) else {
        return Some(json_answer(
            404,
            &serde_json::json!({"error_type": "INVALID_REQUEST", "error_code": "NOT_FOUND",
                "error_message": format!("the Link stand-in has no step {step:?}"),
                "display_message": null, "request_id": "mock-link"}),
        ));
    };
    let body: Map<String, Value> = match serde_json::from_slice(request.body()) {
        Ok(Value::Object(fields)) => fields,
        _ => {
            return Some(json_answer(
                400,
                &serde_json::json!({"error_type": "INVALID_REQUEST", "error_code": "INVALID_BODY",
                    "error_message": "the Link panes send a JSON object",
                    "display_message": null, "request_id": "mock-link"}),
            ))
        }
    };
    Some(match mock.link_step(step, &body) {
        Ok(value) => json_answer(200, &value),
        Err(error) => {
            let status = error.status;
            let mut response = respond_bytes(status, error.body("mock-link"));
            no_store(&mut response);
            response
        }
    })
}

/// The link token of a Hosted Link path (`/hl/<token>`).
fn hosted_token(path: &str) -> Option<&str> {
    path.strip_prefix(HOSTED_LINK_PATH)
        .filter(|t| !t.is_empty() && !t.contains('/'))
}

/// The base URL a client reached this server by: its `Host` header when it
/// is a plain host and port, otherwise the address the server listens on.
pub(crate) fn own_base_url(host: Option<&HeaderValue>, listening: &str) -> String {
    let host = host
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .and_then(|h| h.parse::<http::uri::Authority>().ok());
    match host {
        Some(host) => format!("http://{host}"),
        None => listening.to_owned(),
    }
}

/// Whether the answer to a request for `path` may carry a
/// `hosted_link_url` to rewrite (only a new link token's does), so that
/// no other answer is looked into.
pub(crate) fn answers_hosted_link_url(path: &str) -> bool {
    path == link_token::CREATE.path
}

/// Puts this server's base URL into the `hosted_link_url` of a new link
/// token's answer (`response`); in-process the fake has no address and
/// answers [`HOSTED_LINK_PLACEHOLDER`] there. Other answers pass unchanged.
pub(crate) fn own_hosted_link_url(
    host: Option<&HeaderValue>,
    listening: &str,
    response: http::Response<Bytes>,
) -> http::Response<Bytes> {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let mut answer: Value = match serde_json::from_slice(&body) {
        Ok(answer) => answer,
        Err(_) => return http::Response::from_parts(parts, body),
    };
    let Some(url) = answer
        .get("hosted_link_url")
        .and_then(Value::as_str)
        .and_then(|u| u.strip_prefix(HOSTED_LINK_PLACEHOLDER))
        .map(str::to_owned)
    else {
        return http::Response::from_parts(parts, body);
    };
    answer["hosted_link_url"] = Value::String(format!("{}{url}", own_base_url(host, listening)));
    let body = Bytes::from(answer.to_string());
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    http::Response::from_parts(parts, body)
}

fn asset(
    text: impl Into<String>,
    content_type: &'static str,
    policy: Option<&'static str>,
) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::from(text.into()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Some(policy) = policy {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    no_store(&mut response);
    response
}

fn json_answer(status: u16, value: &Value) -> http::Response<Bytes> {
    let mut response = respond_bytes(status, Bytes::from(value.to_string()));
    no_store(&mut response);
    response
}

fn no_store(response: &mut http::Response<Bytes>) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_is_the_host_the_client_used() {
        let listening = "http://127.0.0.1:9";
        assert_eq!(own_base_url(None, listening), listening);
        let named = HeaderValue::from_static("plaid-mock:8080");
        assert_eq!(
            own_base_url(Some(&named), listening),
            "http://plaid-mock:8080"
        );
        for odd in ["a b", "x\"y", "user@host", "host/path", ""] {
            let odd = HeaderValue::from_str(odd).unwrap();
            assert_eq!(own_base_url(Some(&odd), listening), listening, "{odd:?}");
        }
        assert_eq!(hosted_token("/hl/link-sandbox-1"), Some("link-sandbox-1"));
        assert_eq!(hosted_token("/hl/"), None);
        assert_eq!(hosted_token("/hl/a/b"), None);
    }

    #[test]
    fn only_a_hosted_link_url_is_rewritten() {
        let answer = |body: &str| http::Response::new(Bytes::from(body.to_owned()));
        let host = HeaderValue::from_static("127.0.0.1:7");
        let created = format!(
            r#"{{"link_token":"link-sandbox-1","hosted_link_url":"{HOSTED_LINK_PLACEHOLDER}/hl/link-sandbox-1"}}"#
        );
        let rewritten = own_hosted_link_url(Some(&host), "http://x", answer(&created));
        let value: Value = serde_json::from_slice(rewritten.body()).unwrap();
        assert_eq!(
            value["hosted_link_url"],
            "http://127.0.0.1:7/hl/link-sandbox-1"
        );
        assert_eq!(
            rewritten.headers()[header::CONTENT_LENGTH],
            rewritten.body().len().to_string().as_str()
        );
        // The placeholder elsewhere (an echoed webhook URL) stays as sent.
        let echoed = format!(r#"{{"webhook":"{HOSTED_LINK_PLACEHOLDER}/hl/x"}}"#);
        let kept = own_hosted_link_url(Some(&host), "http://x", answer(&echoed));
        assert_eq!(kept.body().as_ref(), echoed.as_bytes());
    }

    #[test]
    fn the_sdk_names_the_fake() {
        assert!(SDK.contains("\"__PLAID_MOCK_ORIGIN__\""));
        assert!(!PANES.contains("http://") && !PANES.contains("https://"));
    }
}
