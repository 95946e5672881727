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

mod abuse;
mod lifecycle;
mod process;

use plaid_core::models::Products;
use plaid_core::test_util::CountingTransport;
use plaid_core::{Client, RetryPolicy};
use plaid_hyper::HyperTransport;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use abuse::*;
use lifecycle::*;
use process::*;

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
