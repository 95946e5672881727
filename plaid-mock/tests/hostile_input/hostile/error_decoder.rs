//! The Plaid error decoder, met the way a user meets it: through a
//! [`Client`] whose transport answers with a generated status, headers and
//! body.

use super::*;

/// The body of a non-2xx answer, with what the client should make of it.
#[derive(Debug, Clone)]
pub enum ErrorBody {
    /// A body that follows the spec's `PlaidError` schema (required fields
    /// present, nullable ones sometimes `null`, optional ones sometimes
    /// absent), plus unknown fields.
    Plaid(Value),
    /// A body that is not a Plaid error, and the request id its JSON object
    /// carries, if any.
    NotPlaid(Body, Option<String>),
    /// Any bytes.
    Arbitrary(Body),
}

#[derive(Debug, Clone)]
pub enum RetryAfter {
    Seconds(u64),
    PastDate,
    Words(String),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct ErrorAnswer {
    pub status: u16,
    pub retry_after: Option<RetryAfter>,
    pub plaid_request_id: Option<Vec<u8>>,
    pub x_request_id: Option<Vec<u8>>,
    pub body: ErrorBody,
}

pub const ERROR_TYPES: &[&str] = &[
    "INVALID_REQUEST",
    "INVALID_INPUT",
    "INSTITUTION_ERROR",
    "RATE_LIMIT_EXCEEDED",
    "API_ERROR",
    "ITEM_ERROR",
    "ASSET_REPORT_ERROR",
    "TRANSACTIONS_ERROR",
    "item_error",
];

pub const ERROR_CODES: &[&str] = &[
    "ITEM_LOGIN_REQUIRED",
    "INTERNAL_SERVER_ERROR",
    "PLANNED_MAINTENANCE",
    "RATE_LIMIT",
    "INVALID_API_KEYS",
    "PRODUCT_NOT_READY",
    "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
];

/// A field that may be absent (`None`).
pub fn maybe<S: Strategy<Value = Value>>(strategy: S) -> impl Strategy<Value = Option<Value>> {
    prop::option::of(strategy)
}

pub fn nullable<S: Strategy<Value = Value>>(strategy: S) -> impl Strategy<Value = Value> {
    prop_oneof![Just(Value::Null), strategy]
}

pub fn json_string() -> BoxedStrategy<Value> {
    arb_string().prop_map(Value::from).boxed()
}

pub fn plaid_error_doc() -> BoxedStrategy<Value> {
    let required = (
        prop_oneof![select(ERROR_TYPES).prop_map(str::to_owned), arb_string()],
        prop_oneof![select(ERROR_CODES).prop_map(str::to_owned), arb_string()],
        arb_string(),
        nullable(json_string()),
    );
    let optional = (
        maybe(nullable(json_string())),
        maybe(json_string()),
        maybe(prop::collection::vec(arb_json(), 0..3).prop_map(Value::Array)),
        maybe(nullable(any::<i64>().prop_map(Value::from))),
        maybe(json_string()),
        maybe(nullable(json_string())),
        maybe(prop::collection::vec(json_string(), 0..3).prop_map(Value::Array)),
        maybe(prop::collection::vec(json_string(), 0..3).prop_map(Value::Array)),
    );
    let unknown = prop::collection::vec(("[a-z_]{0,8}", arb_json()), 0..3);
    (required, optional, unknown)
        .prop_map(|(required, optional, unknown)| {
            let (error_type, error_code, error_message, display_message) = required;
            let mut doc = json!({
                "error_type": error_type,
                "error_code": error_code,
                "error_message": error_message,
                "display_message": display_message,
            });
            let (reason, request_id, causes, status, docs, action, required_subtypes, provided) =
                optional;
            let names = [
                "error_code_reason",
                "request_id",
                "causes",
                "status",
                "documentation_url",
                "suggested_action",
                "required_account_subtypes",
                "provided_account_subtypes",
            ];
            let values = [
                reason,
                request_id,
                causes,
                status,
                docs,
                action,
                required_subtypes,
                provided,
            ];
            for (name, value) in names.into_iter().zip(values) {
                if let Some(value) = value {
                    doc[name] = value;
                }
            }
            for (name, value) in unknown {
                doc[format!("{UNKNOWN_PREFIX}{name}")] = value;
            }
            doc
        })
        .boxed()
}

/// Bodies that are not Plaid errors: proxy pages, other JSON, Plaid errors
/// missing a required field or with one of the wrong type, truncated ones.
pub fn not_plaid_body() -> BoxedStrategy<(Vec<u8>, Option<String>)> {
    const PAGES: &[&str] = &[
        "",
        " ",
        "\r\n",
        "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
        "upstream request timeout",
        "Service Unavailable",
        "{}",
        "[]",
        "null",
        "\"INTERNAL_SERVER_ERROR\"",
        "[\"request-id-in-an-array\"]",
        "[\"ITEM_ERROR\",\"ITEM_LOGIN_REQUIRED\",\"msg\",null,\"req\"]",
        "{\"error_type\":\"ITEM_ERROR\"}",
        "{\"error_code\":\"ITEM_LOGIN_REQUIRED\"}",
    ];
    let page = (select(PAGES), "\\PC{0,20}").prop_map(|(page, tail)| {
        let body = if page.is_empty() {
            page.to_owned()
        } else {
            format!("{page}{tail}")
        };
        (body.into_bytes(), None)
    });
    let non_string = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        arb_number(),
        prop::collection::vec(arb_json(), 0..3).prop_map(Value::Array),
        Just(json!({"code": "ITEM_LOGIN_REQUIRED"})),
    ];
    let broken = (plaid_error_doc(), 0..4usize, non_string).prop_map(|(mut doc, how, value)| {
        let map = doc.as_object_mut().unwrap();
        match how {
            0 => {
                map.remove("error_type");
            }
            1 => {
                map.remove("error_code");
            }
            2 => {
                map.insert("error_type".into(), value);
            }
            _ => {
                map.insert("error_code".into(), value);
            }
        }
        let request_id = map
            .get("request_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (serde_json::to_vec(&doc).unwrap(), request_id)
    });
    let truncated = (plaid_error_doc(), any::<usize>()).prop_map(|(doc, at)| {
        let mut body = serde_json::to_vec(&doc).unwrap();
        body.truncate(at % body.len());
        (body, None)
    });
    let other_object = (
        prop::collection::vec(
            (
                arb_key().prop_map(|k| match k.as_str() {
                    "error_type" | "error_code" | "request_id" => format!("not_{k}"),
                    _ => k,
                }),
                arb_json(),
            ),
            0..5,
        ),
        maybe(prop_oneof![json_string(), Just(Value::Null), arb_number()]),
    )
        .prop_map(|(fields, request_id)| {
            let mut map: Map<String, Value> = fields.into_iter().collect();
            if let Some(id) = request_id {
                map.insert("request_id".into(), id);
            }
            let request_id = map
                .get("request_id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            (serde_json::to_vec(&map).unwrap(), request_id)
        });
    let other_json = prop_oneof![
        arb_json().prop_map(|v| Value::Array(vec![v])),
        prop::collection::vec(arb_json(), 0..4).prop_map(Value::Array),
        arb_string().prop_map(Value::from),
        arb_number(),
        any::<bool>().prop_map(Value::from),
    ]
    .prop_map(|v| (serde_json::to_vec(&v).unwrap(), None));
    prop_oneof![page, broken, truncated, other_object, other_json].boxed()
}

/// Bytes allowed in a header value: visible ASCII, tab, and obs-text.
pub fn header_bytes() -> BoxedStrategy<Vec<u8>> {
    prop::collection::vec(
        prop_oneof![4 => 0x20u8..=0x7e, 1 => 0x80u8..=0xff, 1 => Just(b'\t')],
        0..40,
    )
    .boxed()
}

pub fn error_answers() -> BoxedStrategy<ErrorAnswer> {
    let status = prop_oneof![
        select(&[400u16, 401, 403, 404, 405, 408, 409, 429, 500, 502, 503, 504][..]),
        100..200u16,
        300..1000u16,
    ];
    let retry_after = prop::option::of(prop_oneof![
        any::<u64>().prop_map(RetryAfter::Seconds),
        (0..120u64).prop_map(RetryAfter::Seconds),
        Just(RetryAfter::PastDate),
        "[a-zA-Z ]{1,20}".prop_map(RetryAfter::Words),
        header_bytes().prop_map(RetryAfter::Bytes),
    ]);
    let body = prop_oneof![
        3 => plaid_error_doc().prop_map(ErrorBody::Plaid),
        3 => not_plaid_body().prop_map(|(body, id)| ErrorBody::NotPlaid(Body(body), id)),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(|b| ErrorBody::Arbitrary(Body(b))),
    ];
    (
        status,
        retry_after,
        prop::option::of(header_bytes()),
        prop::option::of(header_bytes()),
        body,
    )
        .prop_map(
            |(status, retry_after, plaid_request_id, x_request_id, body)| ErrorAnswer {
                status,
                retry_after,
                plaid_request_id,
                x_request_id,
                body,
            },
        )
        .boxed()
}

/// A header value as text, when it is visible ASCII (what `to_str` accepts).
pub fn header_text(bytes: &Option<Vec<u8>>) -> Option<String> {
    let bytes = bytes.as_ref()?;
    bytes
        .iter()
        .all(|b| (0x20..0x7f).contains(b) || *b == b'\t')
        .then(|| String::from_utf8(bytes.clone()).unwrap())
}

/// Calls `/item/get` through a client whose transport always answers
/// `status`, `headers` and `body`, with the default retry policy on a timer
/// that does not wait. Returns the result, the number of exchanges and the
/// delays the client asked for.
pub fn call_with(
    rt: &tokio::runtime::Runtime,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> (Result<ItemGetResponse, Error>, usize, Vec<Duration>) {
    let mut answer = http::Response::new(Bytes::copy_from_slice(body));
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    let transport = CannedTransport::new(answer);
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials("client-id", "secret")
        .no_timeout()
        .retry_policy(RetryPolicy::default())
        .sleep_impl(sleep.clone())
        .transport(transport.clone())
        .build()
        .unwrap();
    let result = rt.block_on(client.send(ItemGetRequest::new("access-sandbox-hostile")));
    (result, transport.calls(), sleep.delays())
}

pub fn check_error_answer(
    rt: &tokio::runtime::Runtime,
    answer: ErrorAnswer,
) -> Result<(), TestCaseError> {
    let status = StatusCode::from_u16(answer.status).unwrap();
    let mut headers = HeaderMap::new();
    let retry_after_text = match &answer.retry_after {
        Some(RetryAfter::Seconds(s)) => Some(s.to_string().into_bytes()),
        Some(RetryAfter::PastDate) => Some(b"Wed, 21 Oct 2015 07:28:00 GMT".to_vec()),
        Some(RetryAfter::Words(w)) => Some(w.clone().into_bytes()),
        Some(RetryAfter::Bytes(b)) => Some(b.clone()),
        None => None,
    };
    for (name, value) in [
        ("retry-after", &retry_after_text),
        ("plaid-request-id", &answer.plaid_request_id),
        ("x-request-id", &answer.x_request_id),
    ] {
        if let Some(value) = value {
            headers.insert(name, HeaderValue::from_bytes(value).unwrap());
        }
    }
    let body = match &answer.body {
        ErrorBody::Plaid(doc) => serde_json::to_vec(doc).unwrap(),
        ErrorBody::NotPlaid(body, _) | ErrorBody::Arbitrary(body) => body.0.clone(),
    };
    let (result, calls, delays) = call_with(rt, status, headers, &body);
    let Err(err) = result else {
        return Err(TestCaseError::fail(format!("HTTP {status} gave Ok")));
    };
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    prop_assert!(!shown.is_empty() && !debug.is_empty());

    // Retries: at most the policy's two, never waiting past its 60 s cap.
    prop_assert!((1..=3).contains(&calls), "{calls} calls");
    prop_assert_eq!(delays.len(), calls - 1);
    prop_assert!(
        delays.iter().all(|d| *d <= Duration::from_secs(60)),
        "{delays:?}"
    );

    prop_assert_eq!(err.status(), Some(status));
    match &answer.retry_after {
        Some(RetryAfter::Seconds(s)) => {
            prop_assert_eq!(err.retry_after(), Some(Duration::from_secs(*s)))
        }
        Some(RetryAfter::PastDate) => prop_assert_eq!(err.retry_after(), Some(Duration::ZERO)),
        Some(RetryAfter::Words(_)) | None => prop_assert_eq!(err.retry_after(), None),
        Some(RetryAfter::Bytes(_)) => {}
    }
    let header_request_id =
        header_text(&answer.plaid_request_id).or_else(|| header_text(&answer.x_request_id));

    match (&answer.body, &err) {
        (ErrorBody::Plaid(doc), Error::Service(api)) => {
            let text = |name: &str| doc.get(name).and_then(Value::as_str);
            prop_assert_eq!(err.code(), text("error_code"));
            prop_assert_eq!(Some(api.error.error_type.as_str()), text("error_type"));
            prop_assert_eq!(
                Some(api.error.error_message.as_str()),
                text("error_message")
            );
            prop_assert_eq!(
                api.error.display_message.as_deref(),
                text("display_message")
            );
            // The body's request id, else the one from a header.
            prop_assert_eq!(
                err.request_id(),
                text("request_id").or(header_request_id.as_deref())
            );
            prop_assert_eq!(api.status, status);
            prop_assert_eq!(&api.body[..], &body[..]);
            for (name, value) in doc.as_object().unwrap() {
                if name.starts_with(UNKNOWN_PREFIX) {
                    prop_assert_eq!(api.error.extra.get(name), Some(value));
                }
            }
        }
        (ErrorBody::NotPlaid(_, body_request_id), Error::Response(response)) => {
            prop_assert_eq!(response.kind, ResponseErrorKind::NotPlaidError);
            prop_assert_eq!(response.status, status);
            prop_assert_eq!(&response.body[..], &body[..]);
            prop_assert_eq!(
                response.request_id.clone(),
                body_request_id.clone().or(header_request_id)
            );
            prop_assert_eq!(err.code(), None);
        }
        (ErrorBody::Arbitrary(_), Error::Service(api)) => {
            prop_assert_eq!(api.status, status);
            prop_assert_eq!(&api.body[..], &body[..]);
        }
        (ErrorBody::Arbitrary(_), Error::Response(response)) => {
            prop_assert_eq!(response.kind, ResponseErrorKind::NotPlaidError);
            prop_assert_eq!(response.status, status);
            prop_assert_eq!(&response.body[..], &body[..]);
        }
        (expected, got) => {
            return Err(TestCaseError::fail(format!(
                "expected {} for {expected:?}, got {got:?}",
                if matches!(expected, ErrorBody::Plaid(_)) {
                    "Error::Service"
                } else {
                    "Error::Response"
                }
            )));
        }
    }
    Ok(())
}

#[test]
fn plaid_error_decoder_survives_hostile_answers() {
    let rt = runtime();
    run("Plaid error decoder", error_answers(), |answer| {
        check_error_answer(&rt, answer)
    });
}

/// A JSON array is not an object with a `request_id`: the request id comes
/// from the headers. (Found by `plaid_error_decoder_survives_hostile_answers`:
/// the body `[""]` gave the request id `""`, because serde also reads a
/// struct from an array.)
#[test]
fn an_array_body_does_not_supply_the_request_id() {
    let rt = runtime();
    for (body, header, expected) in [
        (
            &b"[\"first\"]"[..],
            Some("from-header"),
            Some("from-header"),
        ),
        (b" [\"\"]", None, None),
        (
            b"{\"request_id\":\"from-body\"}",
            Some("from-header"),
            Some("from-body"),
        ),
        (
            b"<html>502</html>",
            Some("from-header"),
            Some("from-header"),
        ),
    ] {
        let mut headers = HeaderMap::new();
        if let Some(id) = header {
            headers.insert("x-request-id", HeaderValue::from_static(id));
        }
        let (result, _, _) = call_with(&rt, StatusCode::BAD_GATEWAY, headers, body);
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Response(_)), "{err:?}");
        assert_eq!(err.request_id(), expected, "{}", body.escape_ascii());
    }
}
