//! A server that closes a kept-alive connection just as the next request
//! goes out (here: it takes the request's bytes and closes without an
//! answer, the worst case of the race). Reads are safe to resend, so the
//! client sends them again on a new connection and none is lost; a change
//! is not resent, and its error says it may have taken effect.

#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use plaid_core::{Client, RetryPolicy};
use plaid_hyper::HyperTransport;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CALLS: usize = 1_000;

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `false` at
/// the end of the stream.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                buffer.drain(..end + 4 + length);
                return true;
            }
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Answers the first request of every connection (keep-alive, no
/// `Connection: close`), then takes the second request and closes.
async fn closing_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let dropped = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&dropped);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                if !read_request(&mut stream, &mut buffer).await {
                    return;
                }
                let body = json!({"accounts": [], "request_id": "req-ok"}).to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                if stream.write_all(answer.as_bytes()).await.is_err() {
                    return;
                }
                if read_request(&mut stream, &mut buffer).await {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                // Dropped here: closed with the request unanswered.
            });
        }
    });
    (url, dropped)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .credentials("client-1", "secret-1")
        .transport(HyperTransport::new())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::ZERO))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn no_read_is_lost_when_kept_alive_connections_close_under_it() {
    let (url, dropped) = closing_server().await;
    let client = client(&url);
    for call in 0..CALLS {
        let answer = client
            .send_raw("/accounts/get", json!({"access_token": "access-sandbox-1"}))
            .await
            .unwrap_or_else(|e| panic!("call {call} lost: {e}"));
        assert_eq!(answer["request_id"], "req-ok");
    }
    let dropped = dropped.load(Ordering::SeqCst);
    println!("{CALLS} reads, {dropped} of them resent after the server closed under them");
    assert!(dropped >= CALLS / 4, "the race was not provoked: {dropped}");
}

#[tokio::test]
async fn a_change_is_not_resent_and_says_it_may_have_acted() {
    let (url, dropped) = closing_server().await;
    let client = client(&url);
    let body = json!({"public_token": "public-sandbox-1"});
    // The first call takes the connection's one answer; the second is sent
    // on the kept-alive connection the server then closes.
    client
        .send_raw("/item/public_token/exchange", body.clone())
        .await
        .unwrap();
    let err = client
        .send_raw("/item/public_token/exchange", body)
        .await
        .unwrap_err();
    assert!(err.may_have_reached_plaid(), "{err:?}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("may have reached Plaid"), "{err}");
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}
