//! The fake over real sockets: `plaid_mock::server` and the `plaid-mock`
//! binary, driven through `plaid_hyper::HyperTransport` and raw TCP.

use std::collections::HashSet;
use std::convert::Infallible;
use std::future::IntoFuture;
use std::io::BufRead;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use plaid_core::models::{Products, SandboxItemFireWebhookRequestWebhookCode};
use plaid_core::{Client, HttpTransport, RetryPolicy};
use plaid_hyper::HyperTransport;
use plaid_mock::server::{self, RunningServer};
use plaid_mock::MockPlaid;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Generous bound for any single step; tests normally take milliseconds.
const STEP: Duration = Duration::from_secs(20);

fn mock() -> MockPlaid {
    MockPlaid::builder()
        .seed(7)
        .credentials("http-test-id", "http-test-secret")
        .transactions_per_item(20)
        .build()
}

async fn start(mock: &MockPlaid) -> RunningServer {
    server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// A client over real HTTP, without retries (so no failure is hidden).
fn client(url: &str, mock: &MockPlaid) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(mock.client_id(), mock.secret())
        .transport(HyperTransport::new())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// What one lifecycle saw.
struct Lifecycle {
    access_token: String,
    item_id: String,
}

/// Create, exchange, accounts, transactions, remove, and check the token is dead.
async fn lifecycle(client: &Client) -> Result<Lifecycle, plaid_core::Error> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await?;
    assert!(created.public_token.starts_with("public-sandbox-"));
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    let at = exchanged.access_token.clone();
    assert!(at.starts_with("access-sandbox-"), "{at}");
    assert!(!exchanged.item_id.is_empty());

    let accounts = client.accounts().get(&at).await?;
    assert!(!accounts.accounts.is_empty());
    assert_eq!(
        accounts.item.item_id, exchanged.item_id,
        "accounts answered for another item"
    );
    let account_ids: HashSet<&str> = accounts
        .accounts
        .iter()
        .map(|a| a.account_id.as_str())
        .collect();

    let end = time::OffsetDateTime::now_utc().date();
    let start = end - time::Duration::days(60);
    let transactions = client
        .transactions()
        .get(&at)
        .start_date(start)
        .end_date(end)
        .count(500)
        .await?;
    assert_eq!(transactions.total_transactions, Some(20));
    assert_eq!(transactions.transactions.len(), 20);
    assert_eq!(transactions.item.item_id, exchanged.item_id);
    for t in &transactions.transactions {
        assert!(
            account_ids.contains(t.account_id.as_str()),
            "transaction on a foreign account"
        );
        let date = t.date.expect("transactions have a date");
        assert!(
            date >= start && date <= end,
            "{date} outside {start}..={end}"
        );
    }

    client.item().remove(&at).await?;
    let err = client
        .accounts()
        .get(&at)
        .await
        .expect_err("a removed item's access token must not work");
    assert_eq!(err.code(), Some("ITEM_NOT_FOUND"), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));

    Ok(Lifecycle {
        access_token: at,
        item_id: exchanged.item_id,
    })
}

#[tokio::test]
async fn item_lifecycle_over_http() -> TestResult {
    let mock = mock();
    let server = start(&mock).await;
    assert!(
        server.url().starts_with("http://127.0.0.1:"),
        "{}",
        server.url()
    );
    assert_eq!(server.url(), format!("http://{}", server.local_addr()));
    let client = client(&server.url(), &mock);
    timeout(STEP, lifecycle(&client)).await??;
    // Everything went through the socket to this fake.
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/sandbox/public_token/create",
            "/item/public_token/exchange",
            "/accounts/get",
            "/transactions/get",
            "/item/remove",
            "/accounts/get",
        ]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_lifecycles() -> TestResult {
    let mock = mock();
    let server = start(&mock).await;
    let client = client(&server.url(), &mock);
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { lifecycle(&client).await })
        })
        .collect();
    let mut tokens = HashSet::new();
    let mut items = HashSet::new();
    for task in tasks {
        let done = timeout(STEP, task)
            .await??
            .map_err(|e| format!("a call failed: {e}"))?;
        tokens.insert(done.access_token);
        items.insert(done.item_id);
    }
    assert_eq!(tokens.len(), 64, "access tokens are not unique");
    assert_eq!(items.len(), 64, "item ids are not unique");
    assert_eq!(mock.requests().len(), 64 * 6);
    Ok(())
}

/// Sends one request through the production transport, returning status and JSON body.
async fn send(
    url: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<(u16, Value), Box<dyn std::error::Error + Send + Sync>> {
    let mut request = http::Request::post(format!("{url}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(body.into())?;
    let response = timeout(STEP, HyperTransport::new().send(request)).await??;
    let status = response.status().as_u16();
    let json = serde_json::from_slice(response.body())
        .map_err(|e| format!("status {status}: the body is not JSON: {e}"))?;
    Ok((status, json))
}

/// Writes `request` on a fresh connection and reads the whole answer
/// (the request asks the server to close the connection).
async fn raw(
    addr: std::net::SocketAddr,
    request: &[u8],
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(request).await?;
    let mut answer = Vec::new();
    timeout(STEP, stream.read_to_end(&mut answer)).await??;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// The JSON body of a raw HTTP/1.1 answer with a Content-Length.
fn raw_json(answer: &str) -> Value {
    let (_, body) = answer
        .split_once("\r\n\r\n")
        .expect("a complete HTTP answer");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"))
}

#[tokio::test]
async fn garbage_gets_plaid_shaped_errors() -> TestResult {
    let mock = mock();
    let server = start(&mock).await;
    let url = server.url();
    let (id, secret) = (mock.client_id().to_owned(), mock.secret().to_owned());
    let creds = [
        ("content-type", "application/json"),
        ("plaid-client-id", id.as_str()),
        ("plaid-secret", secret.as_str()),
    ];

    // Invalid JSON.
    let (status, body) = send(&url, "/item/get", &creds, "{not json").await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_code"], "INVALID_BODY", "{body}");
    assert_eq!(body["error_type"], "INVALID_REQUEST", "{body}");

    // Wrong content type.
    let text = [
        ("content-type", "text/plain"),
        ("plaid-client-id", id.as_str()),
        ("plaid-secret", secret.as_str()),
    ];
    let (status, body) = send(&url, "/item/get", &text, r#"{"access_token":"x"}"#).await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_code"], "INVALID_BODY", "{body}");

    // Unknown path.
    let (status, body) = send(&url, "/no/such/thing", &creds, "{}").await?;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error_type"], "INVALID_REQUEST", "{body}");

    // A 2 MiB body, sent with Content-Length.
    let big = vec![b' '; 2 * 1024 * 1024];
    let (status, body) = send(&url, "/item/get", &creds, big.clone()).await?;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error_code"], "INVALID_BODY", "{body}");
    assert_eq!(body["error_type"], "INVALID_REQUEST", "{body}");

    // A 2 MiB body, chunked, over a raw socket.
    let mut chunked = format!(
        "POST /item/get HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        server.local_addr()
    )
    .into_bytes();
    for _ in 0..32 {
        chunked.extend_from_slice(b"10000\r\n"); // 64 KiB
        chunked.extend_from_slice(&vec![b' '; 0x10000]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = raw(server.local_addr(), &chunked).await?;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.200}");
    assert_eq!(raw_json(&answer)["error_code"], "INVALID_BODY");

    // A declared 2 MiB body with `Expect: 100-continue`: refused before it is sent.
    let expect = format!(
        "POST /item/get HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nexpect: 100-continue\r\n\r\n",
        server.local_addr(),
        2 * 1024 * 1024
    );
    let answer = raw(server.local_addr(), expect.as_bytes()).await?;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.200}");
    assert_eq!(raw_json(&answer)["error_code"], "INVALID_BODY");

    // Not HTTP at all: the connection is closed (or answered 400), the server lives on.
    let answer = raw(server.local_addr(), b"\x00\x01garbage\r\n\r\n").await?;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer}"
    );

    // Missing required field.
    let (status, body) = send(&url, "/item/get", &creds, "{}").await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_code"], "MISSING_FIELDS", "{body}");

    // Bad credentials.
    let bad = [
        ("content-type", "application/json"),
        ("plaid-client-id", id.as_str()),
        ("plaid-secret", "wrong"),
    ];
    let (status, body) = send(&url, "/item/get", &bad, r#"{"access_token":"x"}"#).await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_code"], "INVALID_API_KEYS", "{body}");

    // Still serving normal requests.
    let client = client(&url, &mock);
    let created = timeout(
        STEP,
        client
            .sandbox()
            .public_token()
            .create("ins_109508", vec![Products::Transactions])
            .into_future(),
    )
    .await??;
    assert!(created.public_token.starts_with("public-sandbox-"));
    Ok(())
}

#[tokio::test]
async fn stops_serving_when_dropped() -> TestResult {
    let mock = mock();
    let server = start(&mock).await;
    let addr = server.local_addr();
    tokio::net::TcpStream::connect(addr).await?;
    drop(server);
    let refused = timeout(STEP, async {
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(
        refused.is_ok(),
        "still accepting after the server was dropped"
    );
    Ok(())
}

/// A POST the webhook receiver got.
struct Received {
    path: String,
    headers: http::HeaderMap,
    body: Bytes,
}

/// A tiny HTTP server on 127.0.0.1 that forwards every request it gets.
async fn webhook_receiver() -> (
    u16,
    tokio::sync::mpsc::UnboundedReceiver<Received>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: http::Request<hyper::body::Incoming>| {
                        let tx = tx.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            if parts.method == http::Method::POST {
                                let _ = tx.send(Received {
                                    path: parts.uri.path().to_owned(),
                                    headers: parts.headers,
                                    body,
                                });
                            }
                            Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::new())))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (port, rx, task)
}

#[tokio::test]
async fn webhooks_are_posted_to_loopback_urls() -> TestResult {
    let mock = mock();
    let server = start(&mock).await;
    let client = client(&server.url(), &mock);
    let (port, mut received, receiver) = webhook_receiver().await;

    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .webhook(format!("http://127.0.0.1:{port}/hook"))
        .await?;
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    let fired = client
        .sandbox()
        .item()
        .fire_webhook(
            &exchanged.access_token,
            SandboxItemFireWebhookRequestWebhookCode::NewAccountsAvailable,
        )
        .await?;
    assert_eq!(fired.webhook_fired, Some(true));

    let hook = timeout(Duration::from_secs(5), received.recv())
        .await
        .map_err(|_| "no webhook arrived within 5 s")?
        .ok_or("the receiver stopped")?;
    assert_eq!(hook.path, "/hook");
    assert_eq!(
        hook.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let jwt = hook
        .headers
        .get("plaid-verification")
        .ok_or("no plaid-verification header")?
        .to_str()?;
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {jwt}");
    assert!(parts.iter().all(|p| !p.is_empty()), "not a JWT: {jwt}");
    let body: Value = serde_json::from_slice(&hook.body)?;
    assert_eq!(body["webhook_code"], "NEW_ACCOUNTS_AVAILABLE", "{body}");
    assert_eq!(body["item_id"], exchanged.item_id.as_str(), "{body}");

    // The exact bytes and signature the fake recorded.
    let sent = mock.webhooks();
    let delivery = sent.last().ok_or("the fake recorded no webhook")?;
    assert_eq!(delivery.body, hook.body);
    assert_eq!(delivery.verification, jwt);

    receiver.abort();
    Ok(())
}

/// Kills the child process when dropped, so a failing test leaves nothing behind.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves() -> TestResult {
    let mut child = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--client-id",
                "bin-id",
                "--secret",
                "bin-secret",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()?,
    );
    let stdout = child.0.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = tokio::task::spawn_blocking(move || rx.recv_timeout(STEP)).await??;
    assert!(
        line.starts_with("plaid-mock listening on http://127.0.0.1:"),
        "{line}"
    );
    assert!(
        line.contains("client id: bin-id") && line.contains("secret: bin-secret"),
        "{line}"
    );
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .ok_or("no URL in the line")?
        .to_owned();

    let client = Client::builder()
        .base_url(url)
        .credentials("bin-id", "bin-secret")
        .transport(HyperTransport::new())
        .retry_policy(RetryPolicy::disabled())
        .build()?;
    #[allow(deprecated)]
    let categories = timeout(STEP, client.categories().get().into_future()).await??;
    assert!(!categories.categories.is_empty());
    assert!(!categories.request_id.is_empty());
    Ok(())
}

#[test]
fn the_binary_refuses_bad_arguments() {
    for args in [
        &["--listen", "nonsense"][..],
        &["--bogus"],
        &["--seed", "x"],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("plaid-mock:"),
            "{args:?}"
        );
    }
}
