//! The control API over HTTP: `/_mock/…` routes that parse JSON, call the
//! controls in `control` and answer JSON. Who may call it is
//! [`ControlAccess`]. Every route is listed in the README ("Using
//! plaid-mock from any language").

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::time::{parse_time, rfc3339 as format_time};
use crate::mock::faults::{FaultOutcome, FaultSpec};
use crate::mock::MockPlaid;

/// Where the control API lives; no Plaid path starts with it.
pub(crate) const PREFIX: &str = "/_mock/";

/// Who may use the control API (`/_mock/…`) of a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlAccess {
    /// Anyone who can reach the server (the default on a loopback address).
    Open,
    /// Only requests with `Authorization: Bearer <token>`.
    Token(String),
    /// Off: `/_mock/…` paths (but `GET /_mock/health`) are answered with a
    /// `403` saying that the control API is off and how to turn it on.
    Off,
}

impl ControlAccess {
    /// The rule for a server on `addr`: on a loopback address the API is
    /// open (or needs `token` when one is given); on any other address it
    /// needs `token` and is off without one. `disabled` turns it off.
    ///
    /// ```
    /// use plaid_mock::server::ControlAccess;
    ///
    /// let local = "127.0.0.1:8080".parse().unwrap();
    /// let public = "0.0.0.0:8080".parse().unwrap();
    /// assert_eq!(ControlAccess::for_address(local, None, false), ControlAccess::Open);
    /// assert_eq!(ControlAccess::for_address(public, None, false), ControlAccess::Off);
    /// assert_eq!(
    ///     ControlAccess::for_address(public, Some("t".into()), false),
    ///     ControlAccess::Token("t".into())
    /// );
    /// ```
    pub fn for_address(addr: std::net::SocketAddr, token: Option<String>, disabled: bool) -> Self {
        match (disabled, token) {
            (true, _) => Self::Off,
            (false, Some(token)) => Self::Token(token),
            (false, None) if addr.ip().is_loopback() => Self::Open,
            (false, None) => Self::Off,
        }
    }

    /// Whether a request with these headers may use the API.
    fn allows(&self, headers: &http::HeaderMap) -> bool {
        match self {
            Self::Open => true,
            Self::Off => false,
            Self::Token(token) => headers
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|given| same_bytes(given.as_bytes(), token.as_bytes())),
        }
    }
}

/// Compares without stopping at the first difference.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A control API error: status, what went wrong, what to do.
struct ControlError {
    status: u16,
    error: String,
    hint: String,
}

fn bad(error: impl Into<String>, hint: impl Into<String>) -> ControlError {
    ControlError {
        status: 400,
        error: error.into(),
        hint: hint.into(),
    }
}

impl From<ErrorAnswer> for ControlError {
    fn from(answer: ErrorAnswer) -> Self {
        let status = if answer.error.error_code == "INVALID_ACCESS_TOKEN" {
            404
        } else {
            400
        };
        ControlError {
            status,
            error: format!("{}: {}", answer.error.error_code, answer.error.error_message),
            hint: "check the access_token (from POST /_mock/items or /item/public_token/exchange) and ids".into(),
        }
    }
}

/// What the control API needs beyond the fake.
#[derive(Debug, Clone)]
pub(crate) struct ControlContext {
    pub access: ControlAccess,
    /// Where `POST /_mock/snapshot` saves the state.
    pub state_file: Option<PathBuf>,
    /// The server's base URL from its listening address (the Link
    /// stand-in names the fake with it when a request has no usable `Host`).
    pub base_url: String,
    /// Where the control token was given, for the hint of a refusal.
    pub token_origin: String,
}

/// The hint when the control API is off.
const TURN_ON: &str = "start plaid-mock with --control-token T (or the PLAID_MOCK_CONTROL_TOKEN=T environment variable) and send Authorization: Bearer T; without a token the control API is open on a loopback address (unless --no-control) and off on any other";

/// Answers a `/_mock/…` request (with a `403` when the API is off).
pub(crate) fn answer(
    mock: &MockPlaid,
    context: &ControlContext,
    request: &http::Request<Bytes>,
) -> Option<http::Response<Bytes>> {
    let health = request.method() == Method::GET && request.uri().path() == "/_mock/health";
    // Health tells nothing about the state: it needs no token, so that a
    // container's health check works.
    let result = if health || context.access.allows(request.headers()) {
        route(mock, context, request)
    } else if context.access == ControlAccess::Off {
        Err(ControlError {
            status: 403,
            error: format!(
                "the control API (/_mock/...) is off on this server, so {} {} is not answered",
                request.method(),
                request.uri().path()
            ),
            hint: TURN_ON.into(),
        })
    } else {
        Err(ControlError {
            status: 401,
            error: "the control API needs the control token".into(),
            hint: format!(
                "send Authorization: Bearer <the token of {}>",
                context.token_origin
            ),
        })
    };
    let (status, body) = match result {
        Ok(value) => (200, value),
        Err(e) => (e.status, json!({"error": e.error, "hint": e.hint})),
    };
    let mut response = http::Response::new(Bytes::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Some(response)
}

fn route(
    mock: &MockPlaid,
    context: &ControlContext,
    request: &http::Request<Bytes>,
) -> Result<Value, ControlError> {
    let path = request.uri().path().trim_start_matches(PREFIX);
    let method = request.method();
    let body = || parse_body(request.body());
    match (method, path) {
        (&Method::GET, "health") => Ok(json!({"status": "ok", "now": format_time(mock.now())})),
        (&Method::POST, "reset") => {
            let body = body()?;
            let seed = optional_u64(&body, "seed")?;
            mock.reset(seed);
            Ok(json!({"reset": true}))
        }
        (&Method::GET, "requests") => {
            let filter = query_value(request.uri().query(), "path");
            let requests = match filter.as_deref() {
                Some(path) => mock.requests_to(path),
                None => mock.requests(),
            };
            Ok(json!({ "requests": requests }))
        }
        (&Method::DELETE, "requests") => {
            mock.clear_requests();
            Ok(json!({"cleared": true}))
        }
        (&Method::GET, "webhooks") => {
            let webhooks: Vec<Value> = mock
                .webhook_results()
                .into_iter()
                .map(|(delivery, result)| {
                    let body: Value = serde_json::from_slice(&delivery.body).unwrap_or(Value::Null);
                    json!({"id": delivery.id, "item_id": delivery.item_id, "url": delivery.url,
                           "body": body, "verification": delivery.verification, "delivery": result})
                })
                .collect();
            Ok(json!({ "webhooks": webhooks }))
        }
        (&Method::GET, "faults") => Ok(json!({"faults": mock.faults_json()})),
        (&Method::POST, "faults") => {
            let spec = fault_spec(&body()?)?;
            Ok(json!({"id": mock.add_fault(spec)}))
        }
        (&Method::DELETE, "faults") => {
            mock.clear_faults();
            Ok(json!({"cleared": true}))
        }
        (&Method::GET, "clock") => Ok(mock.clock_json()),
        (&Method::POST, "clock") => {
            clock_command(mock, &body()?)?;
            Ok(mock.clock_json())
        }
        (&Method::POST, "items") => {
            let body = body()?;
            let institution = optional_str(&body, "institution_id")?.unwrap_or("ins_109508");
            let products: Vec<&str> = match body.get("products") {
                None => vec!["transactions"],
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|p| {
                        p.as_str().ok_or_else(|| {
                            bad(
                                "products must be a list of strings",
                                "e.g. {\"products\": [\"transactions\", \"auth\"]}",
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => {
                    return Err(bad(
                        "products must be a list of strings",
                        "e.g. {\"products\": [\"transactions\", \"auth\"]}",
                    ))
                }
            };
            let webhook = optional_str(&body, "webhook")?;
            let (access_token, item_id) =
                mock.link_item_with_webhook(institution, &products, webhook)?;
            Ok(json!({"access_token": access_token, "item_id": item_id}))
        }
        (&Method::POST, "items/transactions") => {
            let body = body()?;
            let token = required_str(&body, "access_token")?;
            let amount = required_f64(&body, "amount")?;
            let name = optional_str(&body, "name")?.unwrap_or("Mock transaction");
            let id = mock.add_transaction(token, amount, name)?;
            Ok(json!({"transaction_id": id}))
        }
        (&Method::POST, "items/transactions/modify") => {
            let body = body()?;
            let token = required_str(&body, "access_token")?;
            let id = required_str(&body, "transaction_id")?;
            let amount = required_f64(&body, "amount")?;
            mock.modify_transaction(token, id, amount)?;
            Ok(json!({"modified": id}))
        }
        (&Method::POST, "items/transactions/remove") => {
            let body = body()?;
            let token = required_str(&body, "access_token")?;
            let id = required_str(&body, "transaction_id")?;
            mock.remove_transaction(token, id)?;
            Ok(json!({"removed": id}))
        }
        (&Method::POST, "items/readiness") => {
            let body = body()?;
            let token = required_str(&body, "access_token")?;
            let product = optional_str(&body, "product")?.unwrap_or("transactions");
            if product != "transactions" {
                return Err(bad(
                    format!("readiness of {product:?} cannot be set"),
                    "only \"transactions\" has a readiness switch",
                ));
            }
            let ready = body.get("ready").and_then(Value::as_bool).ok_or_else(|| {
                bad(
                    "ready must be true or false",
                    "e.g. {\"access_token\": \"…\", \"ready\": false}",
                )
            })?;
            mock.set_transactions_ready(token, ready)?;
            Ok(json!({"product": product, "ready": ready}))
        }
        (&Method::POST, "items/reset_login") => {
            mock.reset_login(required_str(&body()?, "access_token")?)?;
            Ok(json!({"login_required": true}))
        }
        (&Method::POST, "items/repair") => {
            mock.repair_item(required_str(&body()?, "access_token")?)?;
            Ok(json!({"login_required": false}))
        }
        (&Method::POST, "consents/authorise") => {
            let consent = mock.authorise_consent(required_str(&body()?, "consent_id")?)?;
            Ok(json!({"consent_id": consent["consent_id"], "status": consent["status"]}))
        }
        (&Method::POST, "consents/reject") => {
            let consent = mock.reject_consent(required_str(&body()?, "consent_id")?)?;
            Ok(json!({"consent_id": consent["consent_id"], "status": consent["status"]}))
        }
        (&Method::POST, "link/complete") => {
            let body = body()?;
            let token = required_str(&body, "link_token")?;
            let institution = optional_str(&body, "institution_id")?;
            Ok(mock.complete_link(token, institution)?)
        }
        (&Method::POST, "webhook_keys/retire") => {
            mock.retire_webhook_key();
            Ok(json!({"key_id": mock.webhook_key_id()}))
        }
        (&Method::POST, "snapshot") => {
            let Some(file) = &context.state_file else {
                return Err(bad(
                    "this server has no state file",
                    "start plaid-mock with --state FILE to save its state",
                ));
            };
            crate::mock::persist::save(mock, file).map_err(|e| ControlError {
                status: 500,
                error: e,
                hint: "check that the state file's folder exists and is writable".into(),
            })?;
            Ok(json!({"saved": file.display().to_string()}))
        }
        _ => Err(ControlError {
            status: 404,
            error: format!("no control endpoint {method} {PREFIX}{path}"),
            hint: "see the README's control API reference; e.g. GET /_mock/health".into(),
        }),
    }
}

fn parse_body(body: &Bytes) -> Result<Map<String, Value>, ControlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(bad(
            "the body must be a JSON object",
            "send e.g. {\"seed\": 7}",
        )),
        Err(e) => Err(bad(
            format!("the body is not valid JSON: {e}"),
            "send a JSON object with Content-Type: application/json",
        )),
    }
}

fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' => {
                match (
                    bytes.get(i + 1).and_then(|b| hex(*b)),
                    bytes.get(i + 2).and_then(|b| hex(*b)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn optional_str<'a>(
    body: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ControlError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(bad(
            format!("{name} must be a string"),
            format!("e.g. {{\"{name}\": \"…\"}}"),
        )),
    }
}

fn required_str<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, ControlError> {
    optional_str(body, name)?.ok_or_else(|| {
        bad(
            format!("{name} is missing"),
            format!("send {{\"{name}\": \"…\"}}"),
        )
    })
}

fn required_f64(body: &Map<String, Value>, name: &str) -> Result<f64, ControlError> {
    body.get(name).and_then(Value::as_f64).ok_or_else(|| {
        bad(
            format!("{name} must be a number"),
            format!("e.g. {{\"{name}\": 12.5}}"),
        )
    })
}

fn optional_u64(body: &Map<String, Value>, name: &str) -> Result<Option<u64>, ControlError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            bad(
                format!("{name} must be a non-negative integer"),
                format!("e.g. {{\"{name}\": 7}}"),
            )
        }),
    }
}

/// `POST /_mock/faults`: `{"path", "times"?, "probability"?, "latency_ms"?,
/// "error"? {"error_type", "error_code", "status"?, "error_message"?},
/// "drop_connection"?}`.
fn fault_spec(body: &Map<String, Value>) -> Result<FaultSpec, ControlError> {
    const HINT: &str = "e.g. {\"path\": \"/item/get\", \"times\": 1, \"error\": {\"error_type\": \"API_ERROR\", \"error_code\": \"INTERNAL_SERVER_ERROR\"}}";
    let path = required_str(body, "path").map_err(|e| bad(e.error, HINT))?;
    if path != "*" && !path.starts_with('/') {
        return Err(bad(
            format!("path {path:?} must start with / (or be *)"),
            HINT,
        ));
    }
    let times = optional_u64(body, "times")?;
    let probability = match body.get("probability") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_f64()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(|| bad("probability must be a number from 0 to 1", HINT))?,
        ),
    };
    let latency = optional_u64(body, "latency_ms")?.map(Duration::from_millis);
    let drop = match body.get("drop_connection") {
        None | Some(Value::Null) => false,
        Some(value) => value
            .as_bool()
            .ok_or_else(|| bad("drop_connection must be true or false", HINT))?,
    };
    let error = match body.get("error") {
        None | Some(Value::Null) => None,
        Some(Value::Object(error)) => Some(error_answer(error)?),
        Some(_) => return Err(bad("error must be an object", HINT)),
    };
    let outcome = match (error, drop) {
        (Some(_), true) => {
            return Err(bad(
                "a fault either answers an error or drops the connection, not both",
                HINT,
            ))
        }
        (Some(error), false) => FaultOutcome::Fail(error),
        (None, true) => FaultOutcome::Drop,
        (None, false) if latency.is_some() => FaultOutcome::Answer,
        (None, false) => {
            return Err(bad(
                "the fault does nothing: give error, latency_ms or drop_connection",
                HINT,
            ))
        }
    };
    // A fault without a count or probability hits the next call only.
    let times = match (times, probability) {
        (None, None) => Some(1),
        (times, _) => times,
    };
    Ok(FaultSpec {
        path: path.to_owned(),
        times,
        probability,
        latency,
        outcome,
    })
}

fn error_answer(error: &Map<String, Value>) -> Result<ErrorAnswer, ControlError> {
    const HINT: &str = "e.g. {\"error_type\": \"API_ERROR\", \"error_code\": \"INTERNAL_SERVER_ERROR\", \"status\": 500}";
    let error_type =
        required_str(error, "error_type").map_err(|e| bad(format!("error.{}", e.error), HINT))?;
    let error_code =
        required_str(error, "error_code").map_err(|e| bad(format!("error.{}", e.error), HINT))?;
    let default_status = match error_type {
        "API_ERROR" => 500,
        "RATE_LIMIT_EXCEEDED" => 429,
        _ => 400,
    };
    let status = match optional_u64(error, "status")? {
        None => default_status,
        Some(status @ 400..=599) => status as u16,
        Some(other) => {
            return Err(bad(
                format!("error.status {other} is not an error status"),
                "use 400 to 599",
            ))
        }
    };
    let message = optional_str(error, "error_message")?
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{error_code} (injected by plaid-mock)"));
    Ok(ErrorAnswer::new(status, error_type, error_code, message))
}

/// `POST /_mock/clock`: one of `advance_seconds`, `set`, `freeze`,
/// `follow_wall_clock`.
fn clock_command(mock: &MockPlaid, body: &Map<String, Value>) -> Result<(), ControlError> {
    const HINT: &str = "send one of {\"advance_seconds\": 1800}, {\"set\": \"2024-06-30T12:00:00Z\"}, {\"freeze\": true}, {\"follow_wall_clock\": true}";
    let given: Vec<&str> = ["advance_seconds", "set", "freeze", "follow_wall_clock"]
        .into_iter()
        .filter(|k| body.contains_key(*k))
        .collect();
    if given.len() != 1 {
        return Err(bad("give exactly one clock command", HINT));
    }
    match given[0] {
        "advance_seconds" => {
            let seconds = body["advance_seconds"]
                .as_i64()
                .ok_or_else(|| bad("advance_seconds must be an integer", HINT))?;
            mock.advance_clock(time::Duration::seconds(seconds));
        }
        "set" => {
            let text = body["set"]
                .as_str()
                .ok_or_else(|| bad("set must be an RFC 3339 time", HINT))?;
            let at = parse_time(text)
                .ok_or_else(|| bad(format!("set: {text:?} is not an RFC 3339 time"), HINT))?;
            mock.set_clock(at);
        }
        "freeze" => match body["freeze"].as_bool() {
            Some(true) => mock.freeze_clock(),
            Some(false) => mock.follow_wall_clock(),
            None => return Err(bad("freeze must be true or false", HINT)),
        },
        _ => match body["follow_wall_clock"].as_bool() {
            Some(true) => mock.follow_wall_clock(),
            Some(false) => mock.freeze_clock(),
            None => return Err(bad("follow_wall_clock must be true or false", HINT)),
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_rule() {
        let local = "127.0.0.1:8080".parse().unwrap();
        let v6 = "[::1]:8080".parse().unwrap();
        let public = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(
            ControlAccess::for_address(local, None, false),
            ControlAccess::Open
        );
        assert_eq!(
            ControlAccess::for_address(v6, None, false),
            ControlAccess::Open
        );
        assert_eq!(
            ControlAccess::for_address(public, None, false),
            ControlAccess::Off
        );
        assert_eq!(
            ControlAccess::for_address(local, None, true),
            ControlAccess::Off
        );
        assert_eq!(
            ControlAccess::for_address(public, Some("t".into()), true),
            ControlAccess::Off
        );
        let guarded = ControlAccess::for_address(public, Some("s3cret".into()), false);
        let mut headers = http::HeaderMap::new();
        assert!(!guarded.allows(&headers));
        headers.insert(http::header::AUTHORIZATION, "Bearer wrong".parse().unwrap());
        assert!(!guarded.allows(&headers));
        headers.insert(
            http::header::AUTHORIZATION,
            "Bearer s3cret".parse().unwrap(),
        );
        assert!(guarded.allows(&headers));
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(
            query_value(Some("path=%2Fitem%2Fget&x=1"), "path").as_deref(),
            Some("/item/get")
        );
        assert_eq!(query_value(Some("x=1"), "path"), None);
        assert_eq!(
            query_value(Some("path=%zz"), "path").as_deref(),
            Some("%zz")
        );
    }
}
