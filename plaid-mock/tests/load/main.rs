//! The `plaid-mock` binary under load and abuse at the same time.
//!
//! 200 concurrent clients (each its own `Client` and connection pool) run 50
//! item lifecycles each and check every answer, while other connections send
//! malformed HTTP, invalid JSON, wrong content types, 10 MB bodies, unknown
//! paths, and requests so slow they never finish. Every abusive request must
//! get a Plaid-shaped JSON error or a closed connection; every lifecycle must
//! succeed; no item may be lost or mixed up.
//!
//! `cargo test -p plaid-mock --test load -- --nocapture` prints the figures:
//! requests served, errors, wall time and the server's peak memory.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plaid_core::models::Products;
use plaid_core::test_util::CountingTransport;
use plaid_core::{Client, RetryPolicy};
use plaid_hyper::HyperTransport;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CLIENTS: usize = 200;
const LIFECYCLES: usize = 50;
const TRANSACTIONS_PER_ITEM: usize = 5;
const CLIENT_ID: &str = "load-client-id";
const SECRET: &str = "load-secret";
/// Bound on any single exchange; answers normally take milliseconds.
const STEP: Duration = Duration::from_secs(60);
/// Bound on the whole run: only a hang gets near it.
const WHOLE_RUN: Duration = Duration::from_secs(600);
/// Slow clients that never finish their request head.
const SLOWLORIS: usize = 20;
/// Connections sending abusive requests, one after another, during the load.
const ABUSERS: usize = 2;

/// Kills the child process when dropped, so a failing test leaves nothing behind.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port; returns the child and its address.
async fn start_binary() -> (KillOnDrop, SocketAddr) {
    let mut child = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--seed",
                "3",
                "--transactions",
                &TRANSACTIONS_PER_ITEM.to_string(),
                "--client-id",
                CLIENT_ID,
                "--secret",
                SECRET,
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        line
    });
    let line = tokio::time::timeout(STEP, line)
        .await
        .expect("the binary printed its address in time")
        .expect("reader");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .expect("an address");
    (child, addr)
}

/// `VmHWM` (peak resident set) and `VmRSS` of `pid`, in KiB.
#[cfg(target_os = "linux")]
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

#[cfg(not(target_os = "linux"))]
fn memory_kib(_pid: u32) -> Option<(u64, u64)> {
    None
}

/// CPU time (user + system) used so far by `pid` (`"self"` for this
/// process), in seconds, assuming the usual 100 clock ticks per second.
#[cfg(target_os = "linux")]
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

#[cfg(not(target_os = "linux"))]
fn cpu_seconds(_pid: &str) -> Option<f64> {
    None
}

/// An item kept alive until the end, to check no state was lost.
struct Kept {
    access_token: String,
    item_id: String,
    account_ids: Vec<String>,
}

/// What one client did.
#[derive(Default)]
struct ClientReport {
    access_tokens: Vec<String>,
    item_ids: Vec<String>,
    /// Errors the checks expect (a removed item's token refused).
    expected_errors: usize,
    kept: Option<Kept>,
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The account ids of an answer, checked to be distinct and non-empty.
fn account_ids(accounts: &[plaid_core::models::AccountBase]) -> Result<Vec<String>, String> {
    let ids: Vec<String> = accounts.iter().map(|a| a.account_id.clone()).collect();
    let distinct: HashSet<&String> = ids.iter().collect();
    ensure!(
        !ids.is_empty() && distinct.len() == ids.len(),
        "account ids {ids:?}"
    );
    Ok(ids)
}

/// One lifecycle: create → exchange → auth (even `n`) or transactions (odd
/// `n`), whose answers carry the item and its accounts too → remove → the
/// removed token is refused. With `keep`, the item is left linked (and
/// checked at the end instead).
async fn lifecycle(
    client: &Client,
    n: usize,
    keep: bool,
    report: &mut ClientReport,
) -> Result<(), String> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await
        .map_err(|e| format!("create: {e}"))?;
    ensure!(
        created.public_token.starts_with("public-sandbox-") && created.public_token.len() > 20,
        "public token {:?}",
        created.public_token
    );
    ensure!(
        created.request_id.starts_with("mock-"),
        "request id {}",
        created.request_id
    );

    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .map_err(|e| format!("exchange: {e}"))?;
    let token = exchanged.access_token;
    let item_id = exchanged.item_id;
    ensure!(
        token.starts_with("access-sandbox-") && token.len() > 20,
        "access token {token:?}"
    );
    ensure!(!item_id.is_empty(), "empty item id");

    let account_ids = if n.is_multiple_of(2) {
        let auth = client
            .auth()
            .get(&token)
            .await
            .map_err(|e| format!("auth: {e}"))?;
        ensure!(
            auth.item.item_id == item_id,
            "auth answered for item {} instead of {item_id}",
            auth.item.item_id
        );
        let ids = account_ids(&auth.accounts)?;
        ensure!(!auth.numbers.ach.is_empty(), "no ACH numbers");
        for ach in &auth.numbers.ach {
            ensure!(
                ids.contains(&ach.account_id),
                "ACH numbers for a foreign account {}",
                ach.account_id
            );
            ensure!(
                !ach.account.is_empty() && !ach.routing.is_empty(),
                "empty account/routing number"
            );
        }
        ids
    } else {
        let end = time::OffsetDateTime::now_utc().date();
        let transactions = client
            .transactions()
            .get(&token)
            .start_date(end - time::Duration::days(90))
            .end_date(end)
            .count(100)
            .await
            .map_err(|e| format!("transactions: {e}"))?;
        ensure!(
            transactions.item.item_id == item_id,
            "transactions answered for item {} instead of {item_id}",
            transactions.item.item_id
        );
        let ids = account_ids(&transactions.accounts)?;
        ensure!(
            transactions.transactions.len() == TRANSACTIONS_PER_ITEM
                && transactions.total_transactions == Some(TRANSACTIONS_PER_ITEM as i64),
            "{} transactions (total {:?})",
            transactions.transactions.len(),
            transactions.total_transactions
        );
        for t in &transactions.transactions {
            ensure!(
                ids.contains(&t.account_id),
                "transaction on a foreign account"
            );
        }
        ids
    };

    report.access_tokens.push(token.clone());
    report.item_ids.push(item_id.clone());
    if keep {
        report.kept = Some(Kept {
            access_token: token,
            item_id,
            account_ids,
        });
        return Ok(());
    }

    let removed = client
        .item()
        .remove(&token)
        .await
        .map_err(|e| format!("remove: {e}"))?;
    ensure!(!removed.request_id.is_empty(), "remove without request id");
    match client.accounts().get(&token).await {
        Ok(_) => return Err("a removed item's token still works".into()),
        Err(e)
            if e.code() == Some("ITEM_NOT_FOUND")
                && e.status().map(|s| s.as_u16()) == Some(400) =>
        {
            report.expected_errors += 1;
        }
        Err(e) => return Err(format!("removed token: unexpected error {e}")),
    }
    Ok(())
}

async fn run_client(client: Client, c: usize) -> Result<ClientReport, String> {
    let mut report = ClientReport::default();
    for n in 0..LIFECYCLES {
        // Each client keeps its first item until the end.
        lifecycle(&client, n, n == 0, &mut report)
            .await
            .map_err(|e| format!("client {c}, lifecycle {n}: {e}"))?;
    }
    Ok(report)
}

/// How the server dealt with one abusive request.
#[derive(Debug)]
enum Outcome {
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
async fn exchange_raw(addr: SocketAddr, request: &[u8], pause: Option<Duration>) -> Outcome {
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

fn classify(answer: &[u8]) -> Outcome {
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
struct Tally {
    sent: usize,
    plaid_errors: BTreeMap<String, usize>,
    closed: usize,
    bare: BTreeMap<u16, usize>,
    unexpected: Vec<String>,
}

type Tallies = Arc<Mutex<BTreeMap<&'static str, Tally>>>;

fn record(tallies: &Tallies, category: &'static str, outcome: Outcome, bare_ok: bool) {
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
fn post(addr: SocketAddr, path: &str, content_type: Option<&str>, body: &[u8]) -> Vec<u8> {
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
async fn abuse_round(addr: SocketAddr, tallies: &Tallies, big: &[u8]) {
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
async fn slowloris(addr: SocketAddr, give_up: Instant) -> Option<Duration> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_with_abuse_alongside() {
    let (child, addr) = start_binary().await;
    let pid = child.0.id();
    let url = format!("http://{addr}");
    let at_start = memory_kib(pid);
    let started = Instant::now();

    // The abuse runs in rounds until the lifecycles are done.
    let done = Arc::new(AtomicBool::new(false));
    let tallies: Tallies = Arc::default();
    // The server gives a request head 30 s; these give up after 45 s.
    let give_up = started + Duration::from_secs(45);
    let slow: Vec<_> = (0..SLOWLORIS)
        .map(|_| tokio::spawn(slowloris(addr, give_up)))
        .collect();
    let big = Arc::new(vec![b' '; 10 * 1024 * 1024]);
    let abusers: Vec<_> = (0..ABUSERS)
        .map(|_| {
            let (done, tallies, big) = (done.clone(), tallies.clone(), big.clone());
            tokio::spawn(async move {
                let mut rounds = 0;
                while !done.load(Ordering::SeqCst) {
                    abuse_round(addr, &tallies, &big).await;
                    rounds += 1;
                }
                rounds
            })
        })
        .collect();

    // Counts HTTP exchanges (the clients run without retries, so one per call).
    let transports: Vec<_> = (0..CLIENTS)
        .map(|_| CountingTransport::new(HyperTransport::new()))
        .collect();
    let exchanges = || {
        transports
            .iter()
            .map(CountingTransport::calls)
            .sum::<usize>()
    };
    let clients: Vec<Client> = transports
        .iter()
        .map(|transport| {
            Client::builder()
                .base_url(&url)
                .credentials(CLIENT_ID, SECRET)
                .transport(transport.clone())
                .retry_policy(RetryPolicy::disabled())
                .timeout(STEP)
                .build()
                .expect("client")
        })
        .collect();
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .enumerate()
        .map(|(c, client)| tokio::spawn(run_client(client, c)))
        .collect();
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    let joined = tokio::time::timeout(WHOLE_RUN, async {
        for task in tasks {
            match task.await {
                Ok(Ok(report)) => reports.push(report),
                Ok(Err(failure)) => failures.push(failure),
                Err(join) => failures.push(format!("client task failed: {join}")),
            }
        }
    })
    .await;
    let load_time = started.elapsed();
    done.store(true, Ordering::SeqCst);
    assert!(
        joined.is_ok(),
        "the load did not finish within {WHOLE_RUN:?}"
    );
    let mut rounds = 0;
    for abuser in abusers {
        rounds += tokio::time::timeout(STEP * 2, abuser)
            .await
            .expect("the last abuse round ended")
            .expect("abuse task");
    }
    let mut slow_closed = Vec::new();
    for task in slow {
        if let Some(after) = task.await.expect("slowloris task") {
            slow_closed.push(after);
        }
    }
    let slowest_close = slow_closed.iter().max().copied().unwrap_or_default();

    assert!(
        failures.is_empty(),
        "{} of {CLIENTS} clients failed; first: {}",
        failures.len(),
        failures.join("\n")
    );

    // No state lost: every kept item is intact, then goes.
    for (client, report) in clients.iter().zip(&reports) {
        let kept = report.kept.as_ref().expect("each client kept an item");
        let accounts = client
            .accounts()
            .get(&kept.access_token)
            .await
            .expect("a kept item still works");
        assert_eq!(accounts.item.item_id, kept.item_id);
        let mut ids = account_ids(&accounts.accounts).expect("accounts");
        let mut expected = kept.account_ids.clone();
        ids.sort();
        expected.sort();
        assert_eq!(ids, expected, "a kept item's accounts changed");
        client
            .item()
            .remove(&kept.access_token)
            .await
            .expect("remove");
    }
    let tokens: HashSet<&String> = reports.iter().flat_map(|r| &r.access_tokens).collect();
    let items: HashSet<&String> = reports.iter().flat_map(|r| &r.item_ids).collect();
    assert_eq!(tokens.len(), CLIENTS * LIFECYCLES, "access tokens repeat");
    assert_eq!(items.len(), CLIENTS * LIFECYCLES, "item ids repeat");
    let expected_errors: usize = reports.iter().map(|r| r.expected_errors).sum();
    assert_eq!(expected_errors, CLIENTS * (LIFECYCLES - 1));

    // The fake numbers its request ids: the last one counts what it handled.
    let last = clients[0]
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth])
        .await
        .expect("still serving");
    let served: usize = last
        .request_id
        .strip_prefix("mock-")
        .and_then(|n| n.parse().ok())
        .expect("numbered request id");
    let memory = memory_kib(pid);
    let wall = started.elapsed();

    let tallies = std::mem::take(&mut *tallies.lock().unwrap());
    let abuse_sent: usize = tallies.values().map(|t| t.sent).sum();
    println!(
        "\n== plaid-mock under load (debug build, {CLIENTS} clients x {LIFECYCLES} lifecycles)"
    );
    println!(
        "lifecycles: {} ok; client exchanges: {}; expected error answers (removed token): {expected_errors}",
        CLIENTS * LIFECYCLES,
        exchanges()
    );
    println!("requests handled by the fake (last request id): {served}");
    println!(
        "abuse: {abuse_sent} requests in {rounds} rounds; slow clients that never finish their head: {SLOWLORIS}, {} closed by the server (the last after {:.1} s)",
        slow_closed.len(),
        slowest_close.as_secs_f64()
    );
    for (category, tally) in &tallies {
        println!(
            "  {category}: {} sent, Plaid errors {:?}, closed {}, bare HTTP errors {:?}, unexpected {}",
            tally.sent,
            tally.plaid_errors,
            tally.closed,
            tally.bare,
            tally.unexpected.len()
        );
    }
    println!(
        "wall time: load {:.1} s, total {:.1} s",
        load_time.as_secs_f64(),
        wall.as_secs_f64()
    );
    if let (Some(server), Some(tests)) = (cpu_seconds(&pid.to_string()), cpu_seconds("self")) {
        println!(
            "cpu time: server {server:.1} s, this test process (clients + abuse) {tests:.1} s"
        );
    }
    match (at_start, memory) {
        (Some((_, rss0)), Some((hwm, rss))) => println!(
            "server memory: peak (VmHWM) {:.1} MiB, now (VmRSS) {:.1} MiB, at start {:.1} MiB",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0,
            rss0 as f64 / 1024.0
        ),
        _ => println!("server memory: not measured on this platform"),
    }

    let unexpected: Vec<String> = tallies
        .iter()
        .flat_map(|(c, t)| t.unexpected.iter().map(move |u| format!("{c}: {u}")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} abusive requests were answered wrongly:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(rounds >= 1, "no abuse round finished");
    assert_eq!(
        slow_closed.len(),
        SLOWLORIS,
        "the server kept never-ending request heads open"
    );
    for category in [
        "malformed HTTP",
        "broken chunked body",
        "invalid JSON",
        "wrong content type",
        "unknown path",
        "10 MB body",
        "slow client (completes)",
    ] {
        assert!(
            tallies.get(category).is_some_and(|t| t.sent > 0),
            "no {category} request was sent"
        );
    }
    // Every request this test made was handled by the fake (abuse rejected
    // while reading the body never reaches it, so this is a lower bound).
    assert!(served >= exchanges());
    if let Some((hwm, _)) = memory {
        // About 22 MiB in a debug build. The fake keeps its last 10,000
        // requests; when it kept their header values as hyper parsed them,
        // each pinned a connection's read buffer and the peak passed 100 MiB.
        assert!(hwm < 64 * 1024, "peak memory {hwm} KiB");
    }
}
