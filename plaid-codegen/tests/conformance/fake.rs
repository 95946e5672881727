//! Talking to the fake: requests sent straight to it, and [`Steps`] that
//! check each success answer of a flow against its operation's schema.

use super::*;

/// What `recorder` saw: each request's path with the answer it got.
pub fn exchanges(recorder: &RecordingTransport<MockPlaid>) -> Vec<Exchange> {
    recorder
        .requests()
        .iter()
        .zip(recorder.responses())
        .map(|(request, response)| exchange(request.uri().path().to_owned(), response))
        .collect()
}

pub fn exchange(path: String, response: http::Response<Bytes>) -> Exchange {
    Exchange {
        path,
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: response.into_body(),
    }
}

/// Sends one request straight to the fake: a JSON content type and the
/// fake's credentials, unless `headers` replace them (`None` removes one).
pub async fn send_raw(
    mock: &MockPlaid,
    method: &str,
    path: &str,
    headers: &[(&str, Option<&str>)],
    body: impl Into<Bytes>,
) -> Exchange {
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("https://mock.plaid{path}"))
        .body(body.into())
        .expect("a valid request");
    let defaults = [
        ("content-type", Some("application/json")),
        ("plaid-client-id", Some(mock.client_id())),
        ("plaid-secret", Some(mock.secret())),
    ];
    for (name, value) in defaults.iter().chain(headers) {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        match value {
            Some(value) => {
                let value = http::HeaderValue::from_str(value).expect("a header value");
                request.headers_mut().insert(name, value);
            }
            None => {
                request.headers_mut().remove(name);
            }
        }
    }
    let response = mock
        .send(request)
        .await
        .expect("the in-process fake answers");
    exchange(path.to_owned(), response)
}

/// POSTs `body` with the fake's credentials.
pub async fn post(mock: &MockPlaid, path: &str, body: Value) -> Exchange {
    send_raw(mock, "POST", path, &[], body.to_string()).await
}

pub fn json_of(answer: &Exchange) -> Value {
    serde_json::from_slice(&answer.body).unwrap_or_else(|e| {
        panic!(
            "{}: HTTP {} is not JSON ({e}): {}",
            answer.path,
            answer.status,
            String::from_utf8_lossy(&answer.body)
        )
    })
}

/// A path made at run time, for labels that must be `'static`.
pub fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

/// The steps of one flow: each success answer is checked against its
/// operation's schema and handed back as JSON for the next step.
pub struct Steps<'a> {
    map: &'a ValidatorMap,
    operations: &'a [SpecOperation],
    report: &'a mut Report,
}

impl<'a> Steps<'a> {
    /// Steps checked with `map`, counted in `report`.
    pub fn new(
        map: &'a ValidatorMap,
        operations: &'a [SpecOperation],
        report: &'a mut Report,
    ) -> Self {
        Steps {
            map,
            operations,
            report,
        }
    }

    /// Checks `answer` of `path` (labelled `label` in failures) and gives
    /// its JSON, or `null` for a file answer.
    pub fn check(&mut self, path: &str, label: &str, answer: Exchange) -> Value {
        self.report
            .success(self.map, operation(self.operations, path), label, &answer);
        if answer.content_type.starts_with("application/json") {
            json_of(&answer)
        } else {
            Value::Null
        }
    }
}

/// An item linked with `products`: its access token and the id of its
/// first account (the checking account).
pub async fn linked_account(mock: &MockPlaid, products: &[&str]) -> (String, Value) {
    let (token, _) = mock.link_item("ins_109508", products).expect("an item");
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    (token, account)
}

/// A processor token for `account` of the item behind `token`.
pub async fn processor_token(
    mock: &MockPlaid,
    token: impl serde::Serialize,
    account: &Value,
) -> Value {
    let made = post(
        mock,
        "/processor/token/create",
        json!({"access_token": token, "account_id": account, "processor": "dwolla"}),
    )
    .await;
    json_of(&made)["processor_token"].clone()
}
