//! The connection pool of `HyperTransport`: the per-host bound is exact,
//! connections are reused, and closed ones are replaced without failing a
//! request.

#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use plaid_core::transport::HttpTransport;
use plaid_hyper::HyperTransport;
use tokio::net::TcpListener;

/// Every await on the network in these tests is bounded by this.
const LIMIT: Duration = Duration::from_secs(20);

/// What the test server has seen.
#[derive(Debug, Default)]
struct Seen {
    connections: AtomicUsize,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

/// An HTTP/1.1 server that answers `{}` after `delay`, counting connections
/// and concurrent requests; with `close_after_each`, it closes every
/// connection after one answer (without saying so in a header).
async fn server(delay: Duration, close_after_each: bool) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Seen::default());
    let counters = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            counters.connections.fetch_add(1, Ordering::SeqCst);
            let counters = Arc::clone(&counters);
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    let counters = Arc::clone(&counters);
                    async move {
                        counters.requests.fetch_add(1, Ordering::SeqCst);
                        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        counters.most_in_flight.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(delay).await;
                        counters.in_flight.fetch_sub(1, Ordering::SeqCst);
                        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from_static(
                            b"{}",
                        ))))
                    }
                });
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder.keep_alive(!close_after_each);
                let _ = builder
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, seen)
}

fn post(url: &str) -> http::Request<Bytes> {
    http::Request::post(format!("{url}/accounts/get"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{}"))
        .expect("valid request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_requests_never_open_more_connections_than_the_bound() {
    let (url, seen) = server(Duration::from_millis(2), false).await;
    let transport = HyperTransport::builder()
        .max_connections_per_host(4)
        .build()
        .expect("transport");
    assert_eq!(transport.max_connections_per_host(), 4);
    for _round in 0..3 {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..64 {
            let transport = transport.clone();
            let url = url.clone();
            tasks.spawn(async move {
                for _ in 0..4 {
                    let answer = transport.send(post(&url)).await.expect("answer");
                    assert_eq!(answer.body(), "{}");
                }
            });
        }
        tokio::time::timeout(LIMIT, async {
            while let Some(done) = tasks.join_next().await {
                done.expect("task finished without panicking");
            }
        })
        .await
        .expect("all requests finished in time");
    }
    assert_eq!(seen.requests.load(Ordering::SeqCst), 3 * 64 * 4);
    let connections = seen.connections.load(Ordering::SeqCst);
    assert!(
        (1..=4).contains(&connections),
        "{connections} connections opened for a bound of 4"
    );
    assert!(seen.most_in_flight.load(Ordering::SeqCst) <= 4);
}

#[tokio::test]
async fn the_default_bound_is_32_and_idle_connections_are_reused() {
    let (url, seen) = server(Duration::from_millis(1), false).await;
    let transport = HyperTransport::new();
    assert_eq!(
        transport.max_connections_per_host(),
        plaid_hyper::DEFAULT_MAX_CONNECTIONS_PER_HOST
    );
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let transport = transport.clone();
        let url = url.clone();
        tasks.spawn(async move { transport.send(post(&url)).await.map(|r| r.status()) });
    }
    while let Some(done) = tasks.join_next().await {
        assert_eq!(done.expect("no panic").expect("answer"), 200);
    }
    let after_burst = seen.connections.load(Ordering::SeqCst);
    assert!(after_burst <= 32, "{after_burst} connections");
    for _ in 0..10 {
        transport.send(post(&url)).await.expect("answer");
    }
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        after_burst,
        "later requests reuse the pooled connections"
    );
}

#[tokio::test]
async fn connections_the_server_closed_are_replaced_without_failing_requests() {
    let (url, seen) = server(Duration::ZERO, true).await;
    let transport = HyperTransport::builder()
        .max_connections_per_host(2)
        .build()
        .expect("transport");
    for _ in 0..5 {
        let answer = tokio::time::timeout(LIMIT, transport.send(post(&url)))
            .await
            .expect("in time")
            .expect("answer");
        assert_eq!(answer.status(), 200);
        // Let the client see the server's close before the next request.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen.requests.load(Ordering::SeqCst), 5);
    assert_eq!(seen.connections.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_pool_without_idle_connections_opens_one_per_request() {
    let (url, seen) = server(Duration::ZERO, false).await;
    let transport = HyperTransport::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("transport");
    for _ in 0..3 {
        transport.send(post(&url)).await.expect("answer");
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 3);
}
