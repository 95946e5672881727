//! Behaviour of `HyperTransport` against local servers (127.0.0.1 only).

// Without any root store compiled in, `build()` fails by design.
#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use plaid_core::transport::{HttpTransport, TransportError, TransportErrorKind};
use plaid_hyper::HyperTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every await on the network in these tests is bounded by this.
const LIMIT: Duration = Duration::from_secs(10);

const SECRET: &str = "s3cr3t-do-not-print";

fn transport() -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("default transport builds")
}

fn capped(cap: usize) -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .max_response_body_bytes(cap)
        .build()
        .expect("transport builds")
}

fn post(url: &str, body: &'static [u8]) -> http::Request<Bytes> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .header("plaid-client-id", "client-123")
        .header("plaid-secret", SECRET)
        .body(Bytes::from_static(body))
        .expect("valid request")
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url)
        .header("plaid-secret", SECRET)
        .body(Bytes::new())
        .expect("valid request")
}

async fn send(
    t: &HyperTransport,
    req: http::Request<Bytes>,
) -> Result<http::Response<Bytes>, TransportError> {
    tokio::time::timeout(LIMIT, t.send(req))
        .await
        .expect("send finished in time")
}

fn assert_no_secret(err: &TransportError) {
    eprintln!("error: {err}");
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
    assert!(
        !shown.to_ascii_lowercase().contains("plaid-secret"),
        "header leaked: {shown}"
    );
}

/// Reads one HTTP/1.1 request (head + Content-Length body) from `stream`,
/// using `buf` for bytes already received. `None` on EOF.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + len].to_vec();
    buf.drain(..head_end + len);
    Some((head, body))
}

/// A one-connection raw server: accepts once, reads the request, then runs
/// `respond` on the stream. Returns the URL base and the server task.
async fn one_shot_server<F, Fut, T>(respond: F) -> (String, tokio::task::JoinHandle<T>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
    T: Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut buf = Vec::new();
        read_request(&mut stream, &mut buf).await.expect("request");
        respond(stream).await
    });
    (format!("http://{addr}"), task)
}

#[tokio::test]
async fn request_round_trips_method_path_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/link/token/create"))
        .and(header("plaid-client-id", "client-123"))
        .and(header("plaid-secret", SECRET))
        .and(header("content-type", "application/json"))
        .and(body_json(
            serde_json::json!({"user": {"client_user_id": "u-1"}}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-42")
                .insert_header("content-type", "application/json")
                .set_body_bytes(&b"{\"link_token\":\"link-sandbox-1\"}"[..]),
        )
        .expect(1)
        .mount(&server)
        .await;

    let url = format!("{}/link/token/create", server.uri());
    let request = post(&url, br#"{"user":{"client_user_id":"u-1"}}"#);
    let response = send(&transport(), request).await.expect("round trip");

    assert_eq!(response.status(), 201);
    assert_eq!(response.version(), http::Version::HTTP_11);
    assert_eq!(response.headers()["x-request-id"], "req-42");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.body(), &b"{\"link_token\":\"link-sandbox-1\"}"[..]);

    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1);
    let seen = &received[0];
    assert_eq!(seen.method, http::Method::POST);
    assert_eq!(seen.url.path(), "/link/token/create");
    assert_eq!(seen.body, br#"{"user":{"client_user_id":"u-1"}}"#);
    assert_eq!(seen.headers["plaid-client-id"], "client-123");
    assert_eq!(seen.headers["plaid-secret"], SECRET);
}

#[tokio::test]
async fn server_error_status_is_returned_as_ok() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_bytes(&b"{\"error_code\":\"INTERNAL_SERVER_ERROR\"}"[..]),
        )
        .expect(1)
        .mount(&server)
        .await;

    let url = format!("{}/accounts/get", server.uri());
    let response = send(&transport(), post(&url, b"{}"))
        .await
        .expect("a 500 is a successful exchange");
    assert_eq!(response.status(), 500);
    assert_eq!(
        response.body(),
        &b"{\"error_code\":\"INTERNAL_SERVER_ERROR\"}"[..]
    );
}

#[tokio::test]
async fn localhost_and_loopback_ip_are_allowed_over_plain_http() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_string("pong"))
        .expect(2)
        .mount(&server)
        .await;
    let port = server.address().port();
    let t = transport();

    for url in [
        format!("http://127.0.0.1:{port}/ping"),
        format!("http://localhost:{port}/ping"),
    ] {
        let response = send(&t, get(&url)).await.expect(&url);
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.body(), "pong", "{url}");
    }
}

#[tokio::test]
async fn body_cap_is_enforced_while_streaming() {
    const CAP: usize = 64 * 1024;
    const CHUNK: usize = 16 * 1024;
    const TOTAL: usize = 64 * 1024 * 1024;

    // Streams up to TOTAL bytes of chunked body; stops early when the client
    // hangs up. Returns how many body bytes it managed to write.
    let (base, server) = one_shot_server(|mut stream| async move {
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head).await.is_err() {
            return 0;
        }
        let mut frame = format!("{CHUNK:x}\r\n").into_bytes();
        frame.extend(std::iter::repeat_n(b'a', CHUNK));
        frame.extend_from_slice(b"\r\n");
        let mut written = 0;
        while written < TOTAL {
            if stream.write_all(&frame).await.is_err() {
                return written;
            }
            written += CHUNK;
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
        written
    })
    .await;

    let started = Instant::now();
    let err = send(&capped(CAP), get(&format!("{base}/transactions/get")))
        .await
        .expect_err("body over the cap");
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(err.message().contains("65536"), "{err}");
    assert!(err.message().contains("127.0.0.1"), "{err}");
    assert_no_secret(&err);

    let written = tokio::time::timeout(LIMIT, server)
        .await
        .expect("server stopped after the client hung up")
        .expect("server task");
    eprintln!("server wrote {written} of {TOTAL} bytes before the client hung up ({elapsed:?})");
    assert!(
        written < TOTAL / 2,
        "the client read {written} bytes: the cap was not applied while streaming"
    );
}

#[tokio::test]
async fn declared_content_length_over_cap_fails_before_reading_the_body() {
    // Declares 10 MiB, sends nothing of it and keeps the connection open: a
    // client that tried to read the body would hang here.
    let (base, server) = one_shot_server(|mut stream| async move {
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n";
        stream.write_all(head).await.expect("head");
        let mut rest = Vec::new();
        // Returns when the client closes the connection.
        let _ = tokio::time::timeout(LIMIT, stream.read_to_end(&mut rest)).await;
    })
    .await;

    let started = Instant::now();
    let err = send(&capped(64 * 1024), get(&format!("{base}/big")))
        .await
        .expect_err("declared length over the cap");
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(err.message().contains("10485760"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    tokio::time::timeout(LIMIT, server)
        .await
        .expect("client closed the connection")
        .expect("server task");
}

#[tokio::test]
async fn body_shorter_than_content_length_is_interrupted() {
    let (base, server) = one_shot_server(|mut stream| async move {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
        stream.write_all(response).await.expect("write");
        stream.shutdown().await.expect("shutdown");
    })
    .await;

    let err = send(&transport(), get(&format!("{base}/short")))
        .await
        .expect_err("truncated body");
    assert_eq!(err.kind(), TransportErrorKind::Interrupted, "{err:?}");
    assert!(err.message().contains("127.0.0.1"), "{err}");
    assert!(std::error::Error::source(&err).is_some(), "source attached");
    assert_no_secret(&err);
    server.await.expect("server task");
}

#[tokio::test]
async fn connection_closed_before_response_head_is_interrupted() {
    let (base, server) = one_shot_server(|stream| async move { drop(stream) }).await;

    let err = send(&transport(), post(&format!("{base}/item/remove"), b"{}"))
        .await
        .expect_err("no response");
    assert_eq!(err.kind(), TransportErrorKind::Interrupted, "{err:?}");
    assert_no_secret(&err);
    server.await.expect("server task");
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);

    let err = send(
        &transport(),
        post(&format!("http://127.0.0.1:{port}/x"), b"{}"),
    )
    .await
    .expect_err("nobody listening");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.is_connect());
    assert!(
        err.message().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some(), "source attached");
    assert_no_secret(&err);
}

#[tokio::test]
async fn connect_timeout_is_a_connect_error_that_says_so() {
    // A listener with a tiny backlog that never accepts: once its queue is
    // full the kernel drops further SYNs, so connecting hangs until timeout.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(0).expect("listen");
    let addr = listener.local_addr().expect("addr");
    let mut fillers = Vec::new();
    for _ in 0..8 {
        if let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(100), TcpStream::connect(addr)).await
        {
            fillers.push(stream);
        }
    }

    let t = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(200))
        .build()
        .expect("builds");
    let started = Instant::now();
    let err = send(&t, post(&format!("http://{addr}/x"), b"{}"))
        .await
        .expect_err("backlog full");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.message().contains("200ms"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let mut source = std::error::Error::source(&err);
    let mut saw_timeout = false;
    while let Some(e) = source {
        saw_timeout |= e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
        source = e.source();
    }
    assert!(saw_timeout, "io TimedOut kept in the source chain: {err:?}");
    assert_no_secret(&err);
    drop((fillers, listener));
}

#[tokio::test]
async fn tls_handshake_failure_is_a_connect_error() {
    // Speaks plain HTTP to a TLS client.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello).await;
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await;
    });

    let err = send(&transport(), post(&format!("https://{addr}/x"), b"{}"))
        .await
        .expect_err("not a TLS server");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.message().contains("127.0.0.1"), "{err}");
    assert_no_secret(&err);
    server.await.expect("server task");
}

#[tokio::test]
async fn plain_http_to_a_non_loopback_host_is_refused_without_any_network() {
    let t = transport();
    let started = Instant::now();
    for url in [
        "http://example.com/link/token/create",
        "http://example.com:8080/x",
        "http://localhost.example.com/x",
    ] {
        let err = send(&t, post(url, b"{}")).await.expect_err(url);
        assert_eq!(err.kind(), TransportErrorKind::Refused, "{url}: {err:?}");
        assert!(err.message().contains("example.com"), "{err}");
        assert!(std::error::Error::source(&err).is_none());
        assert_no_secret(&err);
    }
    // No DNS lookup, no connection attempt: refusal is immediate.
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );

    let err = send(&t, post("/relative/only", b"{}"))
        .await
        .expect_err("relative URL");
    assert_eq!(err.kind(), TransportErrorKind::Refused, "{err:?}");
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepts);
    let server = tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while read_request(&mut stream, &mut buf).await.is_some() {
                    let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                    if stream.write_all(ok).await.is_err() {
                        return;
                    }
                }
            });
        }
    });

    let t = transport();
    for i in 0..3 {
        let response = send(&t, post(&format!("http://{addr}/r/{i}"), b"{}"))
            .await
            .expect("request");
        assert_eq!(response.body(), "ok");
    }
    // A clone shares the pool.
    let response = send(&t.clone(), get(&format!("http://{addr}/clone")))
        .await
        .expect("request");
    assert_eq!(response.status(), 200);

    assert_eq!(
        accepts.load(Ordering::SeqCst),
        1,
        "one TCP connection for all requests"
    );
    server.abort();
}

#[test]
fn debug_output_shows_settings_and_nothing_odd() {
    let t = HyperTransport::builder()
        .max_response_body_bytes(65_536)
        .pool_max_idle_per_host(4)
        .build()
        .expect("builds");
    let shown = format!("{t:?}");
    assert!(shown.starts_with("HyperTransport {"), "{shown}");
    assert!(shown.contains("max_response_body_bytes: 65536"), "{shown}");
    assert!(shown.contains("pool_max_idle_per_host: 4"), "{shown}");
    assert!(shown.contains("allow_insecure_http: false"), "{shown}");
    assert!(shown.len() < 400, "{shown}");
    let pretty = format!("{t:#?}");
    assert!(pretty.contains("connect_timeout: 10s"), "{pretty}");

    let builder = format!("{:?}", HyperTransport::builder());
    assert!(builder.contains("HyperTransportBuilder"), "{builder}");
}

#[cfg(feature = "webpki-roots")]
#[test]
fn new_and_default_build_without_a_runtime() {
    let t = HyperTransport::new();
    assert_eq!(
        t.max_response_body_bytes(),
        plaid_hyper::DEFAULT_MAX_RESPONSE_BODY_BYTES
    );
    let _ = HyperTransport::default();
    // Usable as a trait object.
    let _: Arc<dyn HttpTransport> = Arc::new(t);
}
