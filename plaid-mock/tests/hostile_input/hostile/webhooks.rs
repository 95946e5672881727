//! The webhook verifier, with arbitrary and mutated bodies and
//! `Plaid-Verification` headers built from a real signed webhook.

use super::*;

/// A webhook the fake signed and delivered, and a verifier whose clock
/// shows the time it was signed.
pub struct WebhookFixture {
    pub rt: tokio::runtime::Runtime,
    pub _mock: MockPlaid,
    pub verifier: WebhookVerifier,
    pub signer: WebhookSigner,
    pub body: Vec<u8>,
    pub header: String,
    pub now: i64,
}

pub fn webhook_fixture() -> WebhookFixture {
    let rt = runtime();
    let mock = MockPlaid::builder()
        .seed(SEED)
        .now(datetime!(2024-06-30 12:00 UTC))
        .transactions_per_item(3)
        .build();
    let client = mock.client();
    let (token, _) = mock.link_item("ins_109508", &["transactions"]).unwrap();
    rt.block_on(
        client
            .sandbox()
            .item()
            .fire_webhook(
                &token,
                SandboxItemFireWebhookRequestWebhookCode::DefaultUpdate,
            )
            .send(),
    )
    .unwrap();
    let webhook = mock.webhooks().pop().unwrap();
    let now = mock.now().unix_timestamp();
    let signer = WebhookSigner::from_seed(SEED);
    assert_eq!(signer.key_id(), mock.webhook_key_id());
    WebhookFixture {
        rt,
        verifier: WebhookVerifier::new(client).with_clock(ManualClock::new(now)),
        _mock: mock,
        signer,
        body: webhook.body.to_vec(),
        header: webhook.verification,
        now,
    }
}

/// One change to a `Plaid-Verification` value. `usize`s pick a position
/// (modulo the length) or a part of the JWT (modulo 3).
#[derive(Debug, Clone)]
pub enum HeaderEdit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    Truncate(usize),
    Append(String),
    SwapParts(usize, usize),
    /// Replace a part with the base64url of some JSON.
    PartJson(usize, Value),
    /// Replace a part with the base64url of some bytes.
    PartBytes(usize, Vec<u8>),
    /// Replace the JWT header with another one (other `alg`, `kid`, fields).
    JwtHeader(String, Option<Value>, Option<(String, Value)>),
    /// Replace the claims, keeping header and signature.
    Claims(Value, Value),
    /// Add `=` padding to a part.
    Pad(usize, usize),
    /// Surround the value with whitespace.
    Surround(String, String),
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn apply_header_edit(token: &str, edit: &HeaderEdit) -> String {
    let chars: Vec<char> = token.chars().collect();
    let at = |n: usize| n % (chars.len() + 1);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let part = |n: usize, parts: &Vec<String>| n % parts.len();
    match edit {
        HeaderEdit::Insert(n, c) => {
            let mut out = chars.clone();
            out.insert(at(*n), *c);
            out.into_iter().collect()
        }
        HeaderEdit::Delete(n) => {
            let mut out = chars.clone();
            if !out.is_empty() {
                out.remove(n % chars.len());
            }
            out.into_iter().collect()
        }
        HeaderEdit::Replace(n, c) => {
            let mut out = chars.clone();
            if !out.is_empty() {
                out[n % chars.len()] = *c;
            }
            out.into_iter().collect()
        }
        HeaderEdit::Truncate(n) => chars[..at(*n)].iter().collect(),
        HeaderEdit::Append(tail) => format!("{token}{tail}"),
        HeaderEdit::SwapParts(a, b) => {
            let (a, b) = (part(*a, &parts), part(*b, &parts));
            parts.swap(a, b);
            parts.join(".")
        }
        HeaderEdit::PartJson(n, value) => {
            let i = part(*n, &parts);
            parts[i] = b64url(value.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::PartBytes(n, bytes) => {
            let i = part(*n, &parts);
            parts[i] = b64url(bytes);
            parts.join(".")
        }
        HeaderEdit::JwtHeader(alg, kid, extra) => {
            let mut header = json!({"alg": alg, "typ": "JWT"});
            if let Some(kid) = kid {
                header["kid"] = kid.clone();
            }
            if let Some((name, value)) = extra {
                header[name.as_str()] = value.clone();
            }
            parts[0] = b64url(header.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::Claims(iat, hash) => {
            let claims = json!({"iat": iat, "request_body_sha256": hash});
            let i = part(1, &parts);
            parts[i] = b64url(claims.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::Pad(n, count) => {
            let i = part(*n, &parts);
            parts[i].push_str(&"=".repeat(*count));
            parts.join(".")
        }
        HeaderEdit::Surround(before, after) => format!("{before}{token}{after}"),
    }
}

/// The value as the verifier reads it: surrounding whitespace and `=`
/// padding after the signature do not change what was signed.
pub fn normalized(header: &str) -> String {
    let token = header.trim();
    match token.rsplit_once('.') {
        Some((signed, signature)) => format!("{signed}.{}", signature.trim_end_matches('=')),
        None => token.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub enum WebhookCase {
    /// The delivered webhook, its body and header maybe changed.
    Delivered {
        body_edit: Option<ByteEdit>,
        header_edits: Vec<HeaderEdit>,
        drop_header: bool,
    },
    /// Another body, signed with Plaid's key `offset` seconds from now.
    Signed { body: Body, offset: i64 },
    /// Any body with any header text.
    Arbitrary { body: Body, header: Option<String> },
}

pub fn arb_header_char() -> BoxedStrategy<char> {
    prop_oneof![
        3 => select(&['A', 'z', '0', '9', '-', '_', '.', '=', '+', '/', ' ', '\t'][..]),
        1 => any::<char>(),
    ]
    .boxed()
}

pub fn arb_header_edit() -> BoxedStrategy<HeaderEdit> {
    let at = any::<usize>();
    prop_oneof![
        3 => (at, arb_header_char()).prop_map(|(n, c)| HeaderEdit::Insert(n, c)),
        3 => at.prop_map(HeaderEdit::Delete),
        4 => (at, arb_header_char()).prop_map(|(n, c)| HeaderEdit::Replace(n, c)),
        2 => at.prop_map(HeaderEdit::Truncate),
        1 => prop_oneof![arb_string(), "[.=A-Za-z0-9_-]{1,8}"].prop_map(HeaderEdit::Append),
        1 => (at, at).prop_map(|(a, b)| HeaderEdit::SwapParts(a, b)),
        1 => (at, arb_json()).prop_map(|(n, v)| HeaderEdit::PartJson(n, v)),
        1 => (at, prop::collection::vec(any::<u8>(), 0..80))
            .prop_map(|(n, b)| HeaderEdit::PartBytes(n, b)),
        2 => (
            prop_oneof![
                select(&["ES256", "none", "None", "HS256", "RS256", "ES384", "es256", "ES256 ", ""][..])
                    .prop_map(str::to_owned),
                arb_string(),
            ],
            prop::option::of(prop_oneof![arb_json(), json_string()]),
            prop::option::of(("[a-z]{1,6}", arb_json())),
        )
            .prop_map(|(alg, kid, extra)| HeaderEdit::JwtHeader(alg, kid, extra)),
        1 => (arb_json(), arb_json()).prop_map(|(iat, hash)| HeaderEdit::Claims(iat, hash)),
        2 => (at, 1..4usize).prop_map(|(n, k)| HeaderEdit::Pad(n, k)),
        2 => ("[ \t\r\n]{0,3}", "[ \t\r\n]{0,3}")
            .prop_map(|(a, b)| HeaderEdit::Surround(a, b)),
    ]
    .boxed()
}

pub fn webhook_cases() -> BoxedStrategy<WebhookCase> {
    let delivered = (
        prop::option::weighted(0.3, arb_byte_edit()),
        prop::collection::vec(arb_header_edit(), 0..4),
        prop::bool::weighted(0.03),
    )
        .prop_map(
            |(body_edit, header_edits, drop_header)| WebhookCase::Delivered {
                body_edit,
                header_edits,
                drop_header,
            },
        );
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
    .prop_map(Body);
    let signed = (body.clone(), prop_oneof![-400..400i64, any::<i64>()])
        .prop_map(|(body, offset)| WebhookCase::Signed { body, offset });
    let arbitrary = (
        body,
        prop::option::of(prop_oneof![
            arb_string(),
            "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,90}",
        ]),
    )
        .prop_map(|(body, header)| WebhookCase::Arbitrary { body, header });
    prop_oneof![8 => delivered, 1 => signed, 1 => arbitrary].boxed()
}

/// Errors that reject a header before the body is looked at.
pub fn rejects_the_header(err: &WebhookError) -> bool {
    matches!(
        err,
        WebhookError::MissingHeader
            | WebhookError::MalformedHeader(_)
            | WebhookError::UnsupportedAlgorithm(_)
            | WebhookError::UnknownKey(_)
            | WebhookError::BadSignature
    )
}

pub fn check_webhook(f: &WebhookFixture, case: WebhookCase) -> Result<(), TestCaseError> {
    let (body, header) = match &case {
        WebhookCase::Delivered {
            body_edit,
            header_edits,
            drop_header,
        } => {
            let body = match body_edit {
                Some(ByteEdit::Pretty) => {
                    let value: Value = serde_json::from_slice(&f.body).unwrap();
                    serde_json::to_vec_pretty(&value).unwrap()
                }
                Some(edit) => {
                    let mut body = f.body.clone();
                    match *edit {
                        ByteEdit::Truncate(at) => body.truncate(at % (body.len() + 1)),
                        ByteEdit::Flip(at, mask) => {
                            let at = at % body.len();
                            body[at] ^= mask;
                        }
                        ByteEdit::Insert(at, byte) => body.insert(at % (body.len() + 1), byte),
                        ByteEdit::Pretty => unreachable!(),
                    }
                    body
                }
                None => f.body.clone(),
            };
            let header = header_edits.iter().fold(f.header.clone(), |token, edit| {
                apply_header_edit(&token, edit)
            });
            (body, (!drop_header).then_some(header))
        }
        WebhookCase::Signed { body, offset } => {
            let iat = f.now.saturating_add(*offset);
            (body.0.clone(), Some(f.signer.sign(&body.0, iat)))
        }
        WebhookCase::Arbitrary { body, header } => (body.0.clone(), header.clone()),
    };
    let result = f.rt.block_on(f.verifier.verify(&body, header.as_deref()));
    if let Err(err) = &result {
        let (shown, debug) = (err.to_string(), format!("{err:?}"));
        prop_assert!(!shown.is_empty() && !debug.is_empty());
    }

    match case {
        WebhookCase::Signed { offset, .. } => {
            let json = serde_json::from_slice::<Value>(&body);
            match (result, offset.unsigned_abs() <= 300, json) {
                (Ok(webhook), true, Ok(json)) => prop_assert_eq!(webhook.body, json),
                (Err(WebhookError::InvalidBody(_)), true, Err(_)) => {}
                (Err(WebhookError::Stale { age, .. }), false, _) => {
                    prop_assert_eq!(age, f.now.saturating_sub(f.now.saturating_add(offset)))
                }
                (result, fresh, json) => {
                    return Err(TestCaseError::fail(format!(
                        "signed {}s from now (fresh: {fresh}), JSON: {}: got {result:?}",
                        offset,
                        json.is_ok()
                    )))
                }
            }
        }
        _ => {
            let header_is_the_signed_one =
                header.as_deref().is_some_and(|h| normalized(h) == f.header);
            let body_is_the_signed_one = body == f.body;
            match result {
                Ok(webhook) => {
                    prop_assert!(
                        header_is_the_signed_one && body_is_the_signed_one,
                        "a changed webhook verified: {:?}",
                        header
                    );
                    prop_assert_eq!(
                        webhook.body,
                        serde_json::from_slice::<Value>(&f.body).unwrap()
                    );
                }
                Err(err) if header_is_the_signed_one => {
                    prop_assert!(!body_is_the_signed_one, "the real webhook failed: {err}");
                    prop_assert!(matches!(err, WebhookError::BodyMismatch), "{err}");
                }
                Err(err) => prop_assert!(rejects_the_header(&err), "{err}"),
            }
        }
    }
    Ok(())
}

#[test]
fn webhook_verifier_survives_hostile_webhooks() {
    let fixture = webhook_fixture();
    let verified = fixture
        .rt
        .block_on(
            fixture
                .verifier
                .verify(&fixture.body, Some(&fixture.header)),
        )
        .unwrap();
    assert_eq!(verified.webhook_code, "DEFAULT_UPDATE");
    run("webhook verifier", webhook_cases(), |case| {
        check_webhook(&fixture, case)
    });
}
