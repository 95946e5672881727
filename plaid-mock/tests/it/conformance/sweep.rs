//! Answers no scenario has to reach: every operation once with its sample
//! request, and the generic engine's families with objects the fake made;
//! and the ways of sending a request straight to the fake.

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

/// An item linked with `products`: its access token and the id of its
/// first account (the checking account).
pub async fn linked_account(mock: &MockPlaid, products: &[&str]) -> (String, Value) {
    let (token, _) = mock.link_item("ins_109508", products).expect("an item");
    let accounts = post(mock, "/accounts/get", json!({"access_token": token})).await;
    let account = json_of(&accounts)["accounts"][0]["account_id"].clone();
    (token, account)
}

/// Every operation once, with its sample request and a fresh item's
/// tokens (access, public and processor token, account id, the webhook
/// key's id) where the request names them. An answer is checked against
/// the operation's success schema, or against `PlaidError` where the fake
/// refuses the sample's ids as Plaid does (plaid-codegen's `every_operation`
/// checks which operations must refuse them, and with which code).
pub async fn every_operation_once(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let client = mock.client();
    for op in operations {
        let (access_token, _) = mock
            .link_item("ins_109508", &["transactions"])
            .expect("an item");
        let account_id = mock.account_ids(&access_token).expect("accounts").remove(0);
        let processor_token = mock
            .processor_token(&access_token, &account_id)
            .expect("a processor token");
        // A second public token of the item (update mode).
        let public_token = client
            .item()
            .public_token()
            .create(&access_token)
            .await
            .expect("an update-mode public token")
            .public_token;
        let mut body = plaid_mock::sample_request(&op.path).unwrap_or_else(|| json!({}));
        for (field, value) in [
            ("access_token", access_token),
            ("processor_token", processor_token),
            ("account_id", account_id),
            ("public_token", public_token),
            ("institution_id", "ins_109508".to_owned()),
            ("key_id", mock.webhook_key_id()),
        ] {
            if body.get(field).is_some() {
                body[field] = json!(value);
            }
        }
        let sent = if op.method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let answer = send_raw(mock, &op.method, &op.path, &[], sent).await;
        report.operations += 1;
        if (200..300).contains(&answer.status) {
            report.success(map, op, "every operation", &answer);
        } else {
            report.error(
                map,
                "every operation, sample ids",
                None,
                op.error_schema.as_deref(),
                &answer,
            );
        }
    }
}

/// The generic engine's families with objects the fake made. Their gets
/// and actions refuse the sample ids `every_operation_once` sends (see
/// plaid-codegen's `sample_ids_refused`), so their success answers are checked
/// here: for every family with a create, an object made from the create's
/// sample request, then each other verb with the id that create answered
/// (remove last). Returns how many operations were checked.
pub async fn engine_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) -> usize {
    let op = |path: &str| operation(operations, path);
    let (token, account) = linked_account(mock, &["auth"]).await;
    // A sample request, with the item's token and account where it names them.
    let sample = |path: &str| {
        let mut body = plaid_mock::sample_request(path).expect("a sample request");
        if body.get("access_token").is_some() {
            body["access_token"] = json!(token);
        }
        if body.get("account_id").is_some() {
            body["account_id"] = account.clone();
        }
        body
    };
    let mut checked = std::collections::BTreeSet::new();
    for family in plaid_mock::resource_families() {
        let Some((_, create)) = family.verbs.iter().find(|(verb, _)| *verb == "create") else {
            continue;
        };
        let made = post(mock, create, sample(create)).await;
        report.success(map, op(create), "engine, from the sample request", &made);
        checked.insert(*create);
        if family.id_request.is_empty() {
            continue;
        }
        let made = json_of(&made);
        let object = if family.object.is_empty() {
            &made
        } else {
            &made[family.object]
        };
        let id = object[family.id_answer].clone();
        assert!(
            id.is_string(),
            "{create}: no {} in {made}",
            family.id_answer
        );
        let mut rest: Vec<(&str, &str)> = family
            .verbs
            .iter()
            .copied()
            .filter(|(verb, _)| *verb != "create")
            .collect();
        rest.sort_by_key(|(verb, _)| matches!(*verb, "remove" | "delete"));
        for (verb, path) in rest {
            let mut body = sample(path);
            if verb != "list" {
                body[family.id_request] = id.clone();
            }
            let answer = post(mock, path, body).await;
            report.success(map, op(path), "engine, the id create answered", &answer);
            checked.insert(path);
        }
    }
    checked.len()
}
