//! Abusive requests (malformed HTTP, bad JSON, huge bodies, slow clients) and what the server made of them.

use serde_json::Value;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// How the server dealt with one abusive request.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A 4xx/5xx JSON body with `error_type`, `error_code` and `request_id`.
    PlaidError(u16, String),
    /// The connection was closed without an answer.
    Closed,
    /// hyper's own answer to something that is not HTTP: a bare 4xx status
    /// line, no body, then the connection closed.
    BareHttpError(u16),
    /// Anything else: a failure.
    Unexpected(String),
}

/// Sends `request` on a new connection (optionally one byte at a time with
/// `pause` between bytes) and reads until the server closes.
pub(crate) async fn exchange_raw(
    addr: SocketAddr,
    request: &[u8],
    pause: Option<Duration>,
) -> Outcome {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return Outcome::Unexpected("could not connect".into());
    };
    // A write may fail when the server answers or closes early: what it
    // answered (if anything) is what counts.
    let _ = match pause {
        None => stream.write_all(request).await,
        Some(pause) => {
            let mut result = Ok(());
            for byte in request {
                result = stream.write_all(&[*byte]).await;
                if result.is_err() {
                    break;
                }
                tokio::time::sleep(pause).await;
            }
            result
        }
    };
    let mut answer = Vec::new();
    let read = tokio::time::timeout(STEP, stream.read_to_end(&mut answer)).await;
    if read.is_err() {
        return Outcome::Unexpected("no answer and no close within the step bound".into());
    }
    if answer.is_empty() {
        // Reset or closed, while writing or after: no answer at all.
        return Outcome::Closed;
    }
    classify(&answer)
}

pub(crate) fn classify(answer: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Outcome::Unexpected(format!("incomplete answer {text:.200}"));
    };
    let status: u16 = match head
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
    {
        Some(status) => status,
        None => return Outcome::Unexpected(format!("not an HTTP answer: {head:.200}")),
    };
    if !(400..600).contains(&status) {
        return Outcome::Unexpected(format!("status {status} for an abusive request"));
    }
    if body.is_empty() {
        return Outcome::BareHttpError(status);
    }
    let json: Value = match serde_json::from_str(body) {
        Ok(json) => json,
        Err(e) => {
            return Outcome::Unexpected(format!("{status} with a non-JSON body ({e}): {body:.200}"))
        }
    };
    let field = |name: &str| json.get(name).and_then(Value::as_str).map(str::to_owned);
    match (
        field("error_type"),
        field("error_code"),
        field("request_id"),
    ) {
        (Some(_), Some(code), Some(_)) => Outcome::PlaidError(status, code),
        _ => Outcome::Unexpected(format!(
            "{status} without Plaid's error fields: {body:.200}"
        )),
    }
}

/// Counts of outcomes per abuse category.
#[derive(Default, Debug)]
pub(crate) struct Tally {
    pub(crate) sent: usize,
    pub(crate) plaid_errors: BTreeMap<String, usize>,
    pub(crate) closed: usize,
    pub(crate) bare: BTreeMap<u16, usize>,
    pub(crate) unexpected: Vec<String>,
}

pub(crate) type Tallies = Arc<Mutex<BTreeMap<&'static str, Tally>>>;

pub(crate) fn record(tallies: &Tallies, category: &'static str, outcome: Outcome, bare_ok: bool) {
    let mut tallies = tallies.lock().unwrap();
    let tally = tallies.entry(category).or_default();
    tally.sent += 1;
    match outcome {
        Outcome::PlaidError(status, code) => {
            *tally
                .plaid_errors
                .entry(format!("{status} {code}"))
                .or_default() += 1;
        }
        Outcome::Closed => tally.closed += 1,
        Outcome::BareHttpError(status) if bare_ok => *tally.bare.entry(status).or_default() += 1,
        Outcome::BareHttpError(status) => tally
            .unexpected
            .push(format!("bare {status} for a well-formed HTTP request")),
        Outcome::Unexpected(what) => tally.unexpected.push(what),
    }
}

/// A request with the right credentials, `connection: close`, and `body`.
pub(crate) fn post(
    addr: SocketAddr,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\nplaid-client-id: {CLIENT_ID}\r\n\
         plaid-secret: {SECRET}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(kind) = content_type {
        head.push_str(&format!("content-type: {kind}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// One round of every kind of abuse except the endless slow clients.
pub(crate) async fn abuse_round(addr: SocketAddr, tallies: &Tallies, big: &[u8]) {
    let json = Some("application/json");
    let many_headers: String = (0..200).map(|i| format!("x-h{i}: v\r\n")).collect();
    let malformed: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"\x00\x01\x02\xff\xfe\r\n\r\n".to_vec(),
        b"POST /item/get HTTP/7.0\r\n\r\n".to_vec(),
        b"POST /item/get HTTP/1.1\r\nno colon here\r\n\r\n".to_vec(),
        b"POST /item/get HTTP/1.1\r\ncontent-length: abc\r\n\r\n".to_vec(),
        format!("POST /item/get HTTP/1.1\r\n{many_headers}\r\n").into_bytes(),
        format!("POST /{} HTTP/1.1\r\n\r\n", "a".repeat(64 * 1024)).into_bytes(),
    ];
    for request in &malformed {
        let outcome = exchange_raw(addr, request, None).await;
        record(tallies, "malformed HTTP", outcome, true);
    }
    // A broken chunked body is well-formed HTTP up to the body: Plaid error.
    let broken_chunk = format!(
        "POST /item/get HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\
         transfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\nZZZ\r\n"
    );
    let outcome = exchange_raw(addr, broken_chunk.as_bytes(), None).await;
    record(tallies, "broken chunked body", outcome, false);

    for body in [
        &b"{not json"[..],
        b"[1,2,3]",
        b"\"a string\"",
        b"{\"access_token\": \"x\"",
        b"",
        b"\xff\xfe\x00",
    ] {
        let outcome = exchange_raw(addr, &post(addr, "/item/get", json, body), None).await;
        record(tallies, "invalid JSON", outcome, false);
    }
    for kind in [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
    ] {
        let body = br#"{"access_token":"access-sandbox-x"}"#;
        let outcome = exchange_raw(addr, &post(addr, "/item/get", Some(kind), body), None).await;
        record(tallies, "wrong content type", outcome, false);
    }
    for path in [
        "/no/such/path",
        "/",
        "/item/get/../../etc/passwd",
        "/ITEM/GET",
    ] {
        let outcome = exchange_raw(addr, &post(addr, path, json, b"{}"), None).await;
        record(tallies, "unknown path", outcome, false);
    }
    let get = format!("GET /item/get HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    let outcome = exchange_raw(addr, get.as_bytes(), None).await;
    record(tallies, "unknown path", outcome, false);

    // 10 MB, with a Content-Length and chunked.
    let outcome = exchange_raw(addr, &post(addr, "/item/get", json, big), None).await;
    record(tallies, "10 MB body", outcome, false);
    let mut chunked = format!(
        "POST /item/get HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\
         transfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n"
    )
    .into_bytes();
    for piece in big.chunks(1024 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let outcome = exchange_raw(addr, &chunked, None).await;
    record(tallies, "10 MB body", outcome, false);

    // Slow but complete: an invalid request trickled over about 2 s.
    let slow = post(addr, "/item/get", json, b"{slow but not json}");
    let outcome = exchange_raw(addr, &slow, Some(Duration::from_millis(8))).await;
    record(tallies, "slow client (completes)", outcome, false);
}

/// Opens a connection that sends a request head one byte per second and
/// never finishes it. Returns how long the server took to close it (`None`:
/// still open at `give_up`).
pub(crate) async fn slowloris(addr: SocketAddr, give_up: Instant) -> Option<Duration> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let head = format!("POST /item/get HTTP/1.1\r\nhost: {addr}\r\nx-slow: ");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return Some(started.elapsed());
    }
    while Instant::now() < give_up {
        if stream.write_all(b"z").await.is_err() {
            return Some(started.elapsed());
        }
        let mut buf = [0u8; 256];
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
            Err(_) => {}
            // Closed, reset, or answered (a 408 ends it too).
            Ok(_) => return Some(started.elapsed()),
        }
    }
    None
}
