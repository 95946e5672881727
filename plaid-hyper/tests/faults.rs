//! Network faults, end to end: `Client` over `HyperTransport` against a raw
//! TCP fault server on 127.0.0.1 whose behaviour is scripted per case.
//!
//! Every case checks the exact error the caller gets, that the call ended
//! within its time budget (per-attempt timeout × attempts + back-off + a
//! margin: a "did not hang" bound, not a performance figure), how many
//! attempts were made (the client retries only where the request certainly
//! did not reach the server, or the server said to: connect failures, gateway
//! errors without a body, 429), and that nothing panicked.
//!
//! `cargo test -p plaid-hyper --test faults -- --nocapture` prints the table.

// Without any root store compiled in, `build()` fails by design.
#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use plaid_core::test_util::CountingTransport;
use plaid_core::transport::TransportErrorKind;
use plaid_core::{Client, Error, ResponseErrorKind, RetryPolicy};
use plaid_hyper::HyperTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The client's per-attempt timeout in every case.
const TIMEOUT: Duration = Duration::from_secs(2);
/// Retries after the first attempt, where retrying is allowed.
const MAX_RETRIES: u32 = 2;
/// First back-off; doubles (no jitter), so the retries wait 50 + 100 ms.
const BACKOFF: Duration = Duration::from_millis(50);
/// Slack on top of the computed budget: scheduling, connecting, a busy CI box.
const MARGIN: Duration = Duration::from_secs(1);
/// The response body cap used by the "body larger than the cap" cases.
const CAP: usize = 64 * 1024;
/// How long the server gives a client to hang up after its attempt ended.
const HANGUP_WAIT: Duration = Duration::from_secs(5);

const SECRET: &str = "fault-secret-never-shown-41d9";

/// What the fault server does with one request (or, for
/// [`ResetOnAccept`](Behaviour::ResetOnAccept), one connection).
#[derive(Clone, Debug)]
enum Behaviour {
    /// Accepts, waits 50 ms (long enough for the client to finish
    /// connecting and write its request), then resets the connection (RST,
    /// `SO_LINGER` 0) without reading anything.
    ///
    /// Without the pause the outcome is a race: an RST that arrives while the
    /// client is still completing the TCP connect is a connect error, which
    /// is retried (safely: nothing was sent).
    ResetOnAccept,
    /// Reads the whole request, then resets without writing a byte.
    ResetBeforeResponse,
    /// Writes the status line and half a header, then resets.
    ResetMidHeaders,
    /// Writes a complete head declaring 100 bytes, 10 of them, then resets.
    ResetMidBody,
    /// Reads the request and never answers; waits for the client to leave.
    Silent,
    /// Writes a valid `200` one byte per second.
    Trickle,
    /// Declares `Content-Length: 1000`, sends 10 bytes, then closes (FIN).
    ShortBodyThenClose,
    /// Declares `Content-Length: 1000`, sends 10 bytes, then goes quiet.
    ShortBodyThenSilence,
    /// Streams a chunked body of 64 MiB (stops when the client hangs up).
    HugeChunkedBody,
    /// Writes this complete response and keeps the connection for the next
    /// request.
    Respond(Vec<u8>),
    /// Writes this response head, then as much body as declared (or until
    /// the client hangs up).
    RespondDeclared {
        head: &'static [u8],
        body_len: usize,
    },
}

/// A complete HTTP/1.1 response with a correct `Content-Length`.
fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    out.into_bytes()
}

const HTML_502_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

fn html_502() -> Behaviour {
    Behaviour::Respond(response(
        "502 Bad Gateway",
        &[("content-type", "text/html")],
        HTML_502_PAGE,
    ))
}

fn empty_503() -> Behaviour {
    Behaviour::Respond(response("503 Service Unavailable", &[], ""))
}

fn rate_limited_429() -> Behaviour {
    Behaviour::Respond(response(
        "429 Too Many Requests",
        &[("content-type", "application/json"), ("retry-after", "1")],
        r#"{"error_type":"RATE_LIMIT_EXCEEDED","error_code":"RATE_LIMIT","error_message":"rate limit exceeded","display_message":null,"request_id":"req-429-rate-limited"}"#,
    ))
}

fn ok_200() -> Vec<u8> {
    response(
        "200 OK",
        &[("content-type", "application/json")],
        r#"{"request_id":"req-ok-1"}"#,
    )
}

const BIG_DECLARED_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1048576\r\n\r\n";

/// A raw TCP server on 127.0.0.1 that plays a script: request `n` (counted
/// over all connections) gets `script[n]`, the last entry repeating.
struct FaultServer {
    addr: std::net::SocketAddr,
    /// Connections accepted.
    connections: Arc<AtomicUsize>,
    /// Complete request heads read (attempts that reached the server).
    requests: Arc<AtomicUsize>,
    /// Connections the client closed while the server was still holding
    /// them (after a timeout, or a body it refused to read).
    hangups: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every
        // connection task.
        self.task.abort();
    }
}

impl FaultServer {
    async fn start(script: Vec<Behaviour>) -> Self {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let hangups = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(script);
        let (c, r, h) = (connections.clone(), requests.clone(), hangups.clone());
        let task = tokio::spawn(async move {
            let mut handlers = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                handlers.spawn(serve_connection(
                    stream,
                    script.clone(),
                    r.clone(),
                    h.clone(),
                ));
            }
        });
        Self {
            addr,
            connections,
            requests,
            hangups,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn behaviour_for(script: &[Behaviour], n: usize) -> Behaviour {
    script[n.min(script.len() - 1)].clone()
}

/// Resets the connection: `SO_LINGER` 0 turns the close into an RST.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Waits (bounded) until the client closes the connection, then counts it.
async fn await_hangup(mut stream: TcpStream, hangups: &AtomicUsize) {
    let mut sink = [0u8; 1024];
    let closed = tokio::time::timeout(TIMEOUT * 4 + HANGUP_WAIT, async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    if closed.is_ok() {
        hangups.fetch_add(1, Ordering::SeqCst);
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    script: Arc<Vec<Behaviour>>,
    requests: Arc<AtomicUsize>,
    hangups: Arc<AtomicUsize>,
) {
    if let Behaviour::ResetOnAccept = behaviour_for(&script, requests.load(Ordering::SeqCst)) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        reset(stream);
        return;
    }
    let mut buf = Vec::new();
    loop {
        if !read_request(&mut stream, &mut buf).await {
            return;
        }
        let n = requests.fetch_add(1, Ordering::SeqCst);
        match behaviour_for(&script, n) {
            Behaviour::ResetOnAccept | Behaviour::ResetBeforeResponse => return reset(stream),
            Behaviour::ResetMidHeaders => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: appli")
                    .await;
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_millis(50)).await;
                return reset(stream);
            }
            Behaviour::ResetMidBody => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"request_")
                    .await;
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_millis(50)).await;
                return reset(stream);
            }
            Behaviour::Silent => return await_hangup(stream, &hangups).await,
            Behaviour::Trickle => {
                for byte in ok_200() {
                    if stream.write_all(&[byte]).await.is_err() {
                        hangups.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    // Stop early once the client has gone: a read of 0
                    // bytes (EOF) or an error within the 1 s pause.
                    let mut probe = [0u8; 64];
                    match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut probe))
                        .await
                    {
                        Err(_) => {}             // quiet: keep trickling
                        Ok(Ok(n)) if n > 0 => {} // unexpected bytes: ignore
                        Ok(_) => {
                            hangups.fetch_add(1, Ordering::SeqCst);
                            return;
                        }
                    }
                }
                return;
            }
            Behaviour::ShortBodyThenClose => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789")
                    .await;
                let _ = stream.shutdown().await;
                return;
            }
            Behaviour::ShortBodyThenSilence => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789")
                    .await;
                return await_hangup(stream, &hangups).await;
            }
            Behaviour::HugeChunkedBody => {
                const CHUNK: usize = 16 * 1024;
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head).await.is_err() {
                    return;
                }
                let mut frame = format!("{CHUNK:x}\r\n").into_bytes();
                frame.extend(std::iter::repeat_n(b'a', CHUNK));
                frame.extend_from_slice(b"\r\n");
                for _ in 0..(64 * 1024 * 1024 / CHUNK) {
                    if stream.write_all(&frame).await.is_err() {
                        hangups.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                return;
            }
            Behaviour::Respond(response) => {
                if stream.write_all(&response).await.is_err() {
                    return;
                }
            }
            Behaviour::RespondDeclared { head, body_len } => {
                if stream.write_all(head).await.is_err() {
                    return;
                }
                let block = vec![b' '; 16 * 1024];
                let mut left = body_len;
                while left > 0 {
                    let n = left.min(block.len());
                    if stream.write_all(&block[..n]).await.is_err() {
                        hangups.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    left -= n;
                }
                // The client hung up before reading the body it refused.
                return await_hangup(stream, &hangups).await;
            }
        }
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body) into `buf`
/// and consumes it. `false` on EOF or error.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
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
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    buf.drain(..head_end + len);
    true
}

/// What a case must end with.
#[derive(Clone, Debug)]
enum Expect {
    Transport(TransportErrorKind),
    /// `Error::Response` (not a Plaid body) with this status; `Some(text)`:
    /// the message quotes it, `None`: the body is empty.
    Response(u16, Option<&'static str>),
    /// `Error::Service` with this status and `error_code`, and this `Retry-After`.
    Api(u16, &'static str, Option<Duration>),
    Ok(&'static str),
}

#[derive(Clone)]
struct Case {
    name: &'static str,
    /// `None`: nothing listens on the port.
    script: Option<Vec<Behaviour>>,
    expect: Expect,
    /// Attempts the client must make (calls of the transport).
    attempts: usize,
    /// Requests the server must have read.
    server_requests: usize,
    /// Connections the client must have left while the server held them.
    hangups: usize,
    /// Delays between attempts the client is expected to wait.
    waits: Duration,
    /// Whether every attempt is expected to run into the client's timeout.
    times_out: bool,
    /// Whether the call is a read (`/item/get`) rather than the
    /// state-changing `/item/remove`.
    read: bool,
}

fn cases() -> Vec<Case> {
    let backoff = BACKOFF + BACKOFF * 2; // 50 ms + 100 ms, no jitter
    let base = Case {
        name: "",
        script: None,
        expect: Expect::Ok(""),
        attempts: 1,
        server_requests: 1,
        hangups: 0,
        waits: Duration::ZERO,
        times_out: false,
        read: false,
    };
    vec![
        Case {
            name: "connection refused",
            expect: Expect::Transport(TransportErrorKind::Connect),
            attempts: 3,
            server_requests: 0,
            waits: backoff,
            ..base.clone()
        },
        Case {
            name: "reset after accept, request unread",
            script: Some(vec![Behaviour::ResetOnAccept]),
            expect: Expect::Transport(TransportErrorKind::Interrupted),
            server_requests: 0,
            ..base.clone()
        },
        Case {
            name: "reset before any response byte",
            script: Some(vec![Behaviour::ResetBeforeResponse]),
            expect: Expect::Transport(TransportErrorKind::Interrupted),
            ..base.clone()
        },
        Case {
            name: "reset mid-headers",
            script: Some(vec![Behaviour::ResetMidHeaders]),
            expect: Expect::Transport(TransportErrorKind::Interrupted),
            ..base.clone()
        },
        Case {
            name: "reset mid-body",
            script: Some(vec![Behaviour::ResetMidBody]),
            expect: Expect::Transport(TransportErrorKind::Interrupted),
            ..base.clone()
        },
        Case {
            name: "accepts, never answers",
            script: Some(vec![Behaviour::Silent]),
            expect: Expect::Transport(TransportErrorKind::TimedOut),
            hangups: 1,
            times_out: true,
            ..base.clone()
        },
        Case {
            name: "trickles 1 byte/s",
            script: Some(vec![Behaviour::Trickle]),
            expect: Expect::Transport(TransportErrorKind::TimedOut),
            hangups: 1,
            times_out: true,
            ..base.clone()
        },
        Case {
            name: "Content-Length > body, then FIN",
            script: Some(vec![Behaviour::ShortBodyThenClose]),
            expect: Expect::Transport(TransportErrorKind::Interrupted),
            ..base.clone()
        },
        Case {
            name: "Content-Length > body, then silence",
            script: Some(vec![Behaviour::ShortBodyThenSilence]),
            expect: Expect::Transport(TransportErrorKind::TimedOut),
            hangups: 1,
            times_out: true,
            ..base.clone()
        },
        Case {
            name: "declared body over the cap",
            script: Some(vec![Behaviour::RespondDeclared {
                head: BIG_DECLARED_HEAD,
                body_len: 1024 * 1024,
            }]),
            expect: Expect::Transport(TransportErrorKind::BodyTooLarge),
            hangups: 1,
            ..base.clone()
        },
        Case {
            name: "chunked body over the cap",
            script: Some(vec![Behaviour::HugeChunkedBody]),
            expect: Expect::Transport(TransportErrorKind::BodyTooLarge),
            hangups: 1,
            ..base.clone()
        },
        Case {
            // The gateway may have passed the request on: a change is not
            // repeated.
            name: "HTML 502 on /item/remove",
            script: Some(vec![html_502()]),
            expect: Expect::Response(502, Some("502 Bad Gateway")),
            ..base.clone()
        },
        Case {
            // A read is safe to repeat.
            name: "HTML 502 on /item/get",
            script: Some(vec![html_502()]),
            expect: Expect::Response(502, Some("502 Bad Gateway")),
            attempts: 3,
            server_requests: 3,
            waits: backoff,
            read: true,
            ..base.clone()
        },
        Case {
            // The request may have been read, but a read is safe to resend.
            name: "reset before any response byte on /item/get, then 200",
            script: Some(vec![
                Behaviour::ResetBeforeResponse,
                Behaviour::Respond(ok_200()),
            ]),
            expect: Expect::Ok("req-ok-1"),
            attempts: 2,
            server_requests: 2,
            waits: BACKOFF,
            read: true,
            ..base.clone()
        },
        Case {
            name: "empty 503",
            script: Some(vec![empty_503()]),
            expect: Expect::Response(503, None),
            attempts: 3,
            server_requests: 3,
            waits: backoff,
            ..base.clone()
        },
        Case {
            name: "429 Retry-After: 1, then 200",
            script: Some(vec![rate_limited_429(), Behaviour::Respond(ok_200())]),
            expect: Expect::Ok("req-ok-1"),
            attempts: 2,
            server_requests: 2,
            waits: Duration::from_secs(1),
            ..base.clone()
        },
        Case {
            name: "429 Retry-After: 1, always",
            script: Some(vec![rate_limited_429()]),
            expect: Expect::Api(429, "RATE_LIMIT", Some(Duration::from_secs(1))),
            attempts: 3,
            server_requests: 3,
            waits: Duration::from_secs(2),
            ..base
        },
    ]
}

/// A short name for the error variant, for the table.
fn variant(outcome: &Result<String, Error>) -> String {
    match outcome {
        Ok(request_id) => format!("Ok (request_id {request_id})"),
        Err(Error::Transport(t)) => format!("Transport({:?})", t.kind()),
        Err(Error::Response(r)) => format!(
            "Response({:?}, {}, {} body bytes)",
            r.kind,
            r.status.as_u16(),
            r.body.len()
        ),
        Err(Error::Service(a)) => format!(
            "Api({}, {}, retry_after {:?})",
            a.status.as_u16(),
            a.error.error_code,
            a.retry_after
        ),
        Err(Error::Local(i)) => format!("InvalidInput({i})"),
        Err(other) => format!("other: {other:?}"),
    }
}

/// Checks the outcome against what the case expects; `retried` says
/// whether the case expects more than one attempt.
fn check_outcome(
    expect: &Expect,
    outcome: &Result<String, Error>,
    retried: bool,
) -> Result<(), String> {
    let shown = format!("{outcome:?}");
    match (expect, outcome) {
        (Expect::Ok(id), Ok(got)) if got == id => Ok(()),
        (Expect::Transport(kind), Err(err @ Error::Transport(t))) if t.kind() == *kind => {
            if (*kind == TransportErrorKind::TimedOut) != err.is_timeout() {
                return Err(format!("is_timeout() disagrees with the kind: {err:?}"));
            }
            if (*kind == TransportErrorKind::Connect) != err.is_connect() {
                return Err(format!("is_connect() disagrees with the kind: {err:?}"));
            }
            let retryable = *kind == TransportErrorKind::Connect;
            if err.is_retryable() != retryable {
                return Err(format!("is_retryable() should be {retryable}: {err:?}"));
            }
            Ok(())
        }
        (Expect::Response(status, text), Err(err @ Error::Response(r)))
            if r.kind == ResponseErrorKind::NotPlaidError && r.status.as_u16() == *status =>
        {
            let message = err.to_string();
            match text {
                Some(text) if !message.contains(text) || r.body.is_empty() => {
                    Err(format!("message does not quote {text:?}: {message}"))
                }
                None if !r.body.is_empty() || !message.contains("empty body") => {
                    Err(format!("expected an empty body, said so: {message}"))
                }
                _ if err.is_retryable() != retried || err.code().is_some() => Err(format!(
                    "is_retryable() should be {retried}, and no code: {err:?}"
                )),
                _ => Ok(()),
            }
        }
        (Expect::Api(status, code, retry_after), Err(err @ Error::Service(a)))
            if a.status.as_u16() == *status && err.code() == Some(*code) =>
        {
            if err.retry_after() != *retry_after {
                return Err(format!("retry_after {:?}", err.retry_after()));
            }
            if !err.is_rate_limited() || !err.is_retryable() {
                return Err(format!("should be a retryable rate limit: {err:?}"));
            }
            if err.request_id() != Some("req-429-rate-limited") {
                return Err(format!("request id lost: {err:?}"));
            }
            Ok(())
        }
        _ => Err(format!("expected {expect:?}, got {shown}")),
    }
}

struct Row {
    name: &'static str,
    variant: String,
    elapsed: Duration,
    budget: Duration,
    attempts: usize,
    connections: usize,
    server_requests: usize,
    hangups: usize,
    failures: Vec<String>,
}

async fn run_case(case: Case) -> Row {
    let server = match &case.script {
        Some(script) => Some(FaultServer::start(script.clone()).await),
        None => None,
    };
    let url = match &server {
        Some(server) => server.url(),
        None => {
            // A port nobody listens on: bind, note, close.
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("addr");
            drop(listener);
            format!("http://{addr}")
        }
    };
    // Counts the attempts the client makes: every call of the transport.
    let transport = CountingTransport::new(
        HyperTransport::builder()
            .connect_timeout(Duration::from_secs(1))
            .max_response_body_bytes(CAP)
            .build()
            .expect("transport builds"),
    );
    let client = Client::builder()
        .base_url(url)
        .credentials("fault-client", SECRET)
        .timeout(TIMEOUT)
        .retry_policy(
            RetryPolicy::default()
                .max_retries(MAX_RETRIES)
                .initial_backoff(BACKOFF)
                .max_backoff(Duration::from_secs(1))
                .max_retry_after(Duration::from_secs(5))
                .jitter(false),
        )
        .transport(transport.clone())
        .build()
        .expect("client builds");

    let attempts_budget = u32::try_from(case.attempts).expect("small");
    let budget = if case.times_out {
        TIMEOUT * attempts_budget
    } else {
        Duration::ZERO
    } + case.waits
        + MARGIN;

    // `item/remove` is a state-changing POST: exactly the kind of call that
    // must not be repeated once it may have reached the server.
    let started = Instant::now();
    let read = case.read;
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            if read {
                client
                    .item()
                    .get("access-sandbox-fault")
                    .await
                    .map(|r| r.request_id)
            } else {
                client
                    .item()
                    .remove("access-sandbox-fault")
                    .await
                    .map(|r| r.request_id)
            }
        }
    });
    // Far beyond any budget: only a hang gets here.
    let joined = tokio::time::timeout(budget + Duration::from_secs(30), call).await;
    let elapsed = started.elapsed();

    let mut failures = Vec::new();
    let outcome = match joined {
        Err(_) => {
            failures.push(format!("hung: no result after {elapsed:?}"));
            None
        }
        Ok(Err(join)) if join.is_panic() => {
            failures.push(format!("PANIC: {join}"));
            None
        }
        Ok(Err(join)) => {
            failures.push(format!("task failed: {join}"));
            None
        }
        Ok(Ok(outcome)) => Some(outcome),
    };
    let variant_text = match &outcome {
        Some(outcome) => {
            if let Err(why) = check_outcome(&case.expect, outcome, case.attempts > 1) {
                failures.push(why);
            }
            if let Err(err) = outcome {
                let shown = format!("{err} {err:?} {err:#?}");
                if shown.contains(SECRET) {
                    failures.push("the secret is in the error".into());
                }
            }
            variant(outcome)
        }
        None => "-".into(),
    };
    if elapsed > budget {
        failures.push(format!("took {elapsed:?}, budget {budget:?}"));
    }
    if case.times_out && elapsed < TIMEOUT * attempts_budget {
        failures.push(format!(
            "ended after {elapsed:?}, before the {TIMEOUT:?} timeout could have fired"
        ));
    }
    if elapsed < case.waits {
        failures.push(format!(
            "ended after {elapsed:?}: the {:?} between attempts were not waited",
            case.waits
        ));
    }
    let attempts = transport.calls();
    if attempts != case.attempts {
        failures.push(format!("{attempts} attempts, expected {}", case.attempts));
    }

    let (connections, server_requests, hangups) = match &server {
        Some(server) => {
            // A client that gave up may take a moment to close its socket.
            let deadline = Instant::now() + HANGUP_WAIT;
            while server.hangups.load(Ordering::SeqCst) < case.hangups && Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (
                server.connections.load(Ordering::SeqCst),
                server.requests.load(Ordering::SeqCst),
                server.hangups.load(Ordering::SeqCst),
            )
        }
        None => (0, 0, 0),
    };
    if server_requests != case.server_requests {
        failures.push(format!(
            "the server read {server_requests} requests, expected {}",
            case.server_requests
        ));
    }
    if hangups != case.hangups {
        failures.push(format!(
            "the client left {hangups} held connections, expected {}",
            case.hangups
        ));
    }
    Row {
        name: case.name,
        variant: variant_text,
        elapsed,
        budget,
        attempts,
        connections,
        server_requests,
        hangups,
        failures,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_network_fault_ends_in_the_right_error_in_bounded_time() {
    // The cases run at the same time: the slowest bounds the test (~3 s).
    let handles: Vec<_> = cases()
        .into_iter()
        .map(|c| tokio::spawn(run_case(c)))
        .collect();
    let mut rows = Vec::new();
    for handle in handles {
        rows.push(handle.await.expect("a case runner panicked"));
    }

    println!(
        "\n| case | error variant | elapsed | budget | attempts | server conns / requests | client hang-ups |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {:.2} s | {:.2} s | {} | {} / {} | {} |",
            r.name,
            r.variant,
            r.elapsed.as_secs_f64(),
            r.budget.as_secs_f64(),
            r.attempts,
            r.connections,
            r.server_requests,
            r.hangups
        );
    }
    let failures: Vec<String> = rows
        .iter()
        .flat_map(|r| r.failures.iter().map(move |f| format!("{}: {f}", r.name)))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
