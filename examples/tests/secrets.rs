//! The Plaid secret never shows: a whole flow through `plaid_hyper` against
//! the HTTP fake, with every `tracing` event at TRACE (and every `log` record,
//! which is how rustls reports) captured, every error formatted every way,
//! and the client, its builder, the transport and the fake's recordings
//! formatted too. None of it may contain the secret, in clear or encoded.
//!
//! The same holds for the egress proxy's password: a client going through a
//! proxy with credentials, one whose credentials the proxy rejects (407) and
//! one whose proxy is unreachable are part of the flow.
//!
//! Also: the TLS rules. Plaid's own environments are `https://` only, and
//! plain `http://` to anything but loopback is refused before any network
//! activity unless the caller opts in.

use std::convert::Infallible;
use std::error::Error as _;
use std::io::Write;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::Full;
use plaid_core::models::Products;
use plaid_core::test_util::CountingTransport;
use plaid_core::transport::TransportErrorKind;
use plaid_core::{Client, Environment, Error, ResponseErrorKind, RetryPolicy};
use plaid_hyper::HyperTransport;
use plaid_mock::MockPlaid;

const CLIENT_ID: &str = "secrets-test-client-id";
/// Distinctive, with `+`, `/` and `=` so that its percent-encoded and base64
/// forms differ from it.
const SECRET: &str = "sx-Q7vLk9Tz2Wm+Rp/ZzR=e4";
/// A wrong secret is a secret too: it must not show either.
const WRONG_SECRET: &str = "wx-8NbHc3Lq+Yt/Vd0=Ku1M";
/// The egress proxy's user and password (percent-encoded in the proxy URL).
const PROXY_USER: &str = "egress-user";
const PROXY_PASSWORD: &str = "px-Hq4/Zt+7Lw=Rm2Vb9K";
/// A wrong proxy password, rejected with 407: it must not show either.
const WRONG_PROXY_PASSWORD: &str = "qx-Jd8+Fs3/Nw=Pk6Ty1C";

// ---------------------------------------------------------------- capture

/// Everything logged by any thread, through `tracing` or `log`.
static CAPTURE: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn capture() -> MutexGuard<'static, Vec<u8>> {
    CAPTURE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct CaptureWriter;

impl Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        capture().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `log` records (rustls, hyper-rustls) go to the same buffer.
struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let _ = writeln!(
            capture(),
            "[log {} {}] {}",
            record.level(),
            record.target(),
            record.args()
        );
    }
    fn flush(&self) {}
}

static LOGGER: LogCapture = LogCapture;

/// Installs the process-wide TRACE subscriber and `log` logger once.
fn install_capture() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_target(true)
            .with_writer(|| CaptureWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("first subscriber");
        log::set_logger(&LOGGER).expect("first logger");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

// ------------------------------------------------------------- leak check

/// The forms a leaked secret could take: as is, base64 (of the secret and of
/// `client_id:secret`, as HTTP basic auth would), percent-encoded, hex, and
/// any 10-character piece of it.
fn leaked_forms(secret: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let mut forms = vec![secret.to_owned()];
    for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
        forms.push(engine.encode(secret));
        forms.push(engine.encode(format!("{CLIENT_ID}:{secret}")));
        forms.push(engine.encode(format!("{PROXY_USER}:{secret}")));
    }
    let percent: String = secret
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    forms.push(percent.to_ascii_lowercase());
    forms.push(percent);
    forms.push(secret.bytes().map(|b| format!("{b:02x}")).collect());
    let chars: Vec<char> = secret.chars().collect();
    forms.extend(chars.windows(10).map(|w| w.iter().collect::<String>()));
    forms
}

/// Every text (by label) that holds a form of a secret.
fn leaks(texts: &[(String, String)]) -> Vec<String> {
    let mut leaks = Vec::new();
    for secret in [SECRET, WRONG_SECRET, PROXY_PASSWORD, WRONG_PROXY_PASSWORD] {
        let forms = leaked_forms(secret);
        for (label, text) in texts {
            let lower = text.to_ascii_lowercase();
            for form in &forms {
                if text.contains(form.as_str()) || lower.contains(&form.to_ascii_lowercase()) {
                    leaks.push(format!("{label}: contains {form:?}"));
                }
            }
        }
    }
    leaks
}

/// Panics naming every text (by label) that holds a form of a secret.
fn assert_no_secret(texts: &[(String, String)]) {
    let leaks = leaks(texts);
    assert!(leaks.is_empty(), "secret leaked:\n{}", leaks.join("\n"));
}

/// `{}`, `{:?}`, `{:#?}` of the error and of every error in its source chain.
fn formatted(label: &str, err: &(dyn std::error::Error + 'static)) -> Vec<(String, String)> {
    let mut out = vec![
        (format!("{label} {{}}"), err.to_string()),
        (format!("{label} {{:?}}"), format!("{err:?}")),
        (format!("{label} {{:#?}}"), format!("{err:#?}")),
    ];
    let mut depth = 0;
    let mut source = err.source();
    while let Some(e) = source {
        depth += 1;
        out.push((format!("{label} source {depth} {{}}"), e.to_string()));
        out.push((format!("{label} source {depth} {{:?}}"), format!("{e:?}")));
        source = e.source();
    }
    out
}

// ------------------------------------------------------------ other server

/// A server that answers like a broken proxy or a Plaid that changed its
/// schema: `/accounts/get` gives JSON that does not fit, `/item/get` an HTML
/// 502. It is also an egress proxy: see [`connect`].
async fn odd_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    |request: http::Request<hyper::body::Incoming>| async move {
                        if request.method() == http::Method::CONNECT {
                            return Ok::<_, Infallible>(connect(request));
                        }
                        let (status, body) = match request.uri().path() {
                            "/accounts/get" => (
                                200,
                                r#"{"accounts":"not a list","item":{},"request_id":"odd-1"}"#,
                            ),
                            _ => (502, "<html><title>502 Bad Gateway</title></html>"),
                        };
                        let mut response = http::Response::new(Full::new(Bytes::from(body)));
                        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                        Ok::<_, Infallible>(response)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .with_upgrades()
                    .await;
            });
        }
    });
    (url, task)
}

/// `Proxy-Authorization` for the right proxy credentials.
fn proxy_authorization() -> String {
    use base64::engine::general_purpose::STANDARD;
    format!(
        "Basic {}",
        STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
    )
}

/// `CONNECT` as an egress proxy does it: 407 without the right
/// `Proxy-Authorization`, else a tunnel to the address asked for (loopback
/// only).
fn connect(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let authorized = request
        .headers()
        .get("proxy-authorization")
        .and_then(|v| v.to_str().ok())
        == Some(proxy_authorization().as_str());
    let authority = request.uri().authority().map(ToString::to_string);
    let status = match authority {
        _ if !authorized => 407,
        Some(authority) if authority.starts_with("127.0.0.1:") => {
            tokio::spawn(async move {
                let Ok(upgraded) = hyper::upgrade::on(request).await else {
                    return;
                };
                if let Ok(mut upstream) = tokio::net::TcpStream::connect(authority).await {
                    let mut client = hyper_util::rt::TokioIo::new(upgraded);
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
            200
        }
        _ => 403,
    };
    let mut response = http::Response::new(Full::new(Bytes::new()));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    response
}

/// The proxy URL for the proxy at `url` (`http://host:port`) with these
/// credentials, percent-encoded.
fn proxy_url(url: &str, password: &str) -> String {
    let encoded: String = password
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    url.replacen("http://", &format!("http://{PROXY_USER}:{encoded}@"), 1)
}

/// A port on 127.0.0.1 where nothing listens.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A transport through the proxy at `proxy`, and its `Debug` output.
fn through_proxy(proxy: String) -> (HyperTransport, String) {
    let transport = HyperTransport::builder().proxy(proxy).build().unwrap();
    let text = format!("{transport:?} {transport:#?}");
    (transport, text)
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(2)
        .initial_backoff(Duration::from_millis(10))
}

// ------------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_appears_in_no_log_error_or_debug_output() {
    install_capture();
    let mut texts: Vec<(String, String)> = Vec::new();

    let mock = MockPlaid::builder()
        .seed(11)
        .credentials(CLIENT_ID, SECRET)
        .transactions_per_item(5)
        .build();
    let fake = plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();

    let builder = plaid_hyper::client_builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, SECRET)
        .timeout(Duration::from_secs(10))
        .retry_policy(fast_retries());
    texts.push(("ClientBuilder {:?}".into(), format!("{builder:?}")));
    let client = builder.build().unwrap();
    texts.push(("Client {:?}".into(), format!("{client:?}")));
    texts.push(("Client {:#?}".into(), format!("{client:#?}")));

    // The happy path, every call authenticated with the secret.
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    let token = exchanged.access_token;
    let accounts = client.accounts().get(&token).await.unwrap();
    assert!(!accounts.accounts.is_empty());
    client.auth().get(&token).await.unwrap();
    let end = time::OffsetDateTime::now_utc().date();
    let transactions = client
        .transactions()
        .get(&token)
        .start_date(end - time::Duration::days(30))
        .end_date(end)
        .await
        .unwrap();
    texts.push((
        "transactions response {:?}".into(),
        format!("{transactions:?}"),
    ));
    client.item().get(&token).await.unwrap();

    let mut errors: Vec<(&str, Error)> = Vec::new();

    // Item error: ITEM_LOGIN_REQUIRED after a sandbox reset.
    client.sandbox().item().reset_login(&token).await.unwrap();
    let err = client.accounts().get(&token).await.unwrap_err();
    assert!(err.is_item_error(), "{err:?}");
    assert_eq!(err.code(), Some("ITEM_LOGIN_REQUIRED"));
    errors.push(("item error", err));

    // Wrong secret: INVALID_API_KEYS.
    let wrong = plaid_hyper::client_builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, WRONG_SECRET)
        .build()
        .unwrap();
    texts.push(("wrong Client {:?}".into(), format!("{wrong:?}")));
    let err = wrong.item().get(&token).await.unwrap_err();
    assert_eq!(err.code(), Some("INVALID_API_KEYS"), "{err:?}");
    errors.push(("invalid api keys", err));

    // Timeout: the fake holds its answer longer than the client waits.
    mock.delay_next("/item/get", 1, Duration::from_secs(2));
    let impatient = plaid_hyper::client_builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, SECRET)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = impatient.item().get(&token).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    errors.push(("timeout", err));

    // Transport error, retried: nothing listens.
    let port = closed_port().await;
    let unreachable = plaid_hyper::client_builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(CLIENT_ID, SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = unreachable.item().get(&token).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    errors.push(("connect", err));

    // TLS handshake against a server that does not speak TLS (the fake).
    let tls = plaid_hyper::client_builder()
        .base_url(fake.url().replace("http://", "https://"))
        .credentials(CLIENT_ID, SECRET)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = tls.item().get(&token).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    errors.push(("tls handshake", err));

    // Refused: plain http to a host that is not loopback.
    let insecure = plaid_hyper::client_builder()
        .base_url("http://sandbox.plaid.com")
        .credentials(CLIENT_ID, SECRET)
        .build()
        .unwrap();
    let err = insecure.item().get(&token).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Refused),
        "{err:?}"
    );
    errors.push(("refused", err));

    // Decode error and a non-Plaid 502, from a server that misbehaves.
    let (odd_url, odd_task) = odd_server().await;
    let odd = plaid_hyper::client_builder()
        .base_url(&odd_url)
        .credentials(CLIENT_ID, SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = odd.accounts().get(&token).await.unwrap_err();
    assert!(
        matches!(&err, Error::Response(r) if r.kind == ResponseErrorKind::Decode),
        "{err:?}"
    );
    assert!(err.source().is_some(), "decode errors keep serde's error");
    errors.push(("decode", err));
    let err = odd.item().get(&token).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502), "{err:?}");
    errors.push(("html 502", err));

    // Through the egress proxy (an explicit proxy also carries loopback
    // destinations), with its password in the proxy URL.
    let (proxied_transport, text) = through_proxy(proxy_url(&odd_url, PROXY_PASSWORD));
    texts.push(("proxied HyperTransport {:?}".into(), text));
    let proxied_builder = Client::builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, SECRET)
        .transport(proxied_transport);
    texts.push((
        "proxied ClientBuilder {:?}".into(),
        format!("{proxied_builder:?}"),
    ));
    let proxied = proxied_builder.build().unwrap();
    texts.push(("proxied Client {:?}".into(), format!("{proxied:?}")));
    let through = proxied
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth])
        .await
        .unwrap();
    assert!(through.public_token.starts_with("public-sandbox-"));

    // The proxy rejects a wrong password: 407.
    let (rejected_transport, text) = through_proxy(proxy_url(&odd_url, WRONG_PROXY_PASSWORD));
    texts.push(("rejected HyperTransport {:?}".into(), text));
    let rejected = Client::builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, SECRET)
        .retry_policy(RetryPolicy::disabled())
        .transport(rejected_transport)
        .build()
        .unwrap();
    let err = rejected.item().get(&token).await.unwrap_err();
    let proxy_err = plaid_hyper::ProxyError::find(&err).expect("a proxy error");
    assert_eq!(
        proxy_err.kind(),
        plaid_hyper::ProxyErrorKind::AuthenticationRequired
    );
    errors.push(("proxy 407", err));

    // The proxy is not there.
    let (gone_transport, _) = through_proxy(proxy_url(
        &format!("http://127.0.0.1:{}", closed_port().await),
        PROXY_PASSWORD,
    ));
    let gone = Client::builder()
        .base_url(fake.url())
        .credentials(CLIENT_ID, SECRET)
        .retry_policy(fast_retries())
        .transport(gone_transport)
        .build()
        .unwrap();
    let err = gone.item().get(&token).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let proxy_err = plaid_hyper::ProxyError::find(&err).expect("a proxy error");
    assert_eq!(proxy_err.kind(), plaid_hyper::ProxyErrorKind::Unreachable);
    errors.push(("proxy unreachable", err));

    // A proxy URL the transport cannot use.
    let err = HyperTransport::builder()
        .proxy(proxy_url(&odd_url, PROXY_PASSWORD).replace("http://", "socks5://"))
        .build()
        .unwrap_err();
    texts.extend(formatted("proxy build error", &err));
    odd_task.abort();

    // Rejected locally: a secret that cannot be a header value, whose
    // message must not quote it.
    let bad_secret = format!("{SECRET}\n");
    let err = plaid_hyper::client_builder()
        .credentials(CLIENT_ID, bad_secret.as_str())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Local(_)), "{err:?}");
    errors.push(("invalid secret", err));

    // The item still works for the remaining steps, then goes.
    mock.repair_item(&token).unwrap();
    client.item().remove(&token).await.unwrap();
    let err = client.accounts().get(&token).await.unwrap_err();
    assert_eq!(err.code(), Some("ITEM_NOT_FOUND"));
    errors.push(("removed item", err));

    for (label, err) in &errors {
        texts.extend(formatted(label, err));
    }
    let transport = HyperTransport::new();
    texts.push(("HyperTransport {:?}".into(), format!("{transport:?}")));
    texts.push(("MockPlaid {:?}".into(), format!("{mock:?}")));
    texts.push(("RunningServer {:?}".into(), format!("{fake:?}")));
    let recorded = mock.requests();
    texts.push(("mock.requests() {:?}".into(), format!("{recorded:?}")));
    texts.push(("mock.requests() {:#?}".into(), format!("{recorded:#?}")));

    // The recordings are real: the fake saw the client id on every call
    // (and the secret, or it would have refused them).
    assert!(recorded.len() >= 12, "{} requests recorded", recorded.len());
    assert!(recorded.iter().all(|r| r
        .headers
        .iter()
        .any(|(n, v)| n == "plaid-client-id" && v == CLIENT_ID)));

    drop(fake);
    let logs = String::from_utf8_lossy(&capture()).into_owned();
    // The capture works, at TRACE, and holds what we promise to log...
    for expected in [
        "plaid_request",
        "TRACE",
        "attempt=3",
        "retrying Plaid request",
        "ITEM_LOGIN_REQUIRED",
        "INVALID_API_KEYS",
        "/item/public_token/exchange",
        "request refused",
        "response head received",
        "connecting through proxy",
    ] {
        assert!(logs.contains(expected), "{expected:?} not logged:\n{logs}");
    }
    // ...rustls' `log` records of the failed handshake included.
    assert!(logs.contains("[log "), "no `log` record captured:\n{logs}");
    eprintln!(
        "checked {} texts and {} bytes of logs ({} lines)",
        texts.len(),
        logs.len(),
        logs.lines().count()
    );
    texts.push(("logs (tracing at TRACE + log)".into(), logs));
    assert_no_secret(&texts);
}

#[test]
fn the_leak_check_finds_every_form() {
    // The check itself must be able to fail.
    use base64::engine::general_purpose::STANDARD;
    for leak in [
        format!("header: {SECRET}"),
        format!("Basic {}", STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"))),
        "secret=sx-Q7vLk9Tz2Wm%2BRp%2FZzR%3De4".to_owned(),
        "…Tz2Wm+Rp/Z…".to_owned(),
        format!(
            "Proxy-Authorization: Basic {}",
            STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
        ),
        format!("http://{PROXY_USER}:px-Hq4%2FZt%2B7Lw%3DRm2Vb9K@proxy:3128"),
    ] {
        assert!(
            !leaks(&[("probe".into(), leak.clone())]).is_empty(),
            "not caught: {leak}"
        );
    }
    assert_no_secret(&[("clean".into(), "secret: [redacted]".into())]);
}

#[test]
fn plaids_environments_are_https_only() {
    for env in [
        Environment::Sandbox,
        Environment::Production,
        Environment::Development,
    ] {
        assert!(
            env.base_url().starts_with("https://"),
            "{env:?}: {}",
            env.base_url()
        );
    }
    // The default client goes to the sandbox, over https.
    let client = plaid_hyper::client_builder()
        .credentials(CLIENT_ID, SECRET)
        .build()
        .unwrap();
    assert_eq!(client.environment(), &Environment::Sandbox);
    assert!(format!("{client:?}").contains("\"https://sandbox.plaid.com\""));
}

/// `0.0.0.0` is not a loopback name, so plain http to it is refused; on
/// Linux a connection to it reaches local listeners, which lets the opt-in
/// be shown working with no network at all.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn plain_http_off_loopback_is_refused_unless_opted_in() {
    let mock = MockPlaid::builder().credentials(CLIENT_ID, SECRET).build();
    let fake = plaid_mock::server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = format!("http://0.0.0.0:{}", fake.local_addr().port());
    // The client and its transport, which counts the attempts.
    let client_with = |allow: bool| {
        let transport = CountingTransport::new(
            HyperTransport::builder()
                .allow_insecure_http(allow)
                .build()
                .unwrap(),
        );
        let client = Client::builder()
            .base_url(&url)
            .credentials(CLIENT_ID, SECRET)
            .retry_policy(fast_retries())
            .transport(transport.clone())
            .build()
            .unwrap();
        (client, transport)
    };

    // Refused, at once, not retried, and the fake never heard of it.
    let (client, transport) = client_with(false);
    let started = Instant::now();
    let err = client.item().get("access-sandbox-x").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Refused),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(transport.calls(), 1, "a refusal is not retried");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
    assert!(mock.requests().is_empty(), "the request left the process");
    assert_no_secret(&formatted("refused", &err));

    // Opted in: the same URL reaches the fake.
    let (client, transport) = client_with(true);
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await
        .unwrap();
    assert!(created.public_token.starts_with("public-sandbox-"));
    assert_eq!(transport.calls(), 1);
    assert_eq!(mock.requests().len(), 1);
}
