//! A pooled connection that the server closed before the request was
//! written hands the request back, and the pool sends it on a fresh
//! connection whatever the operation; a request that was written is not
//! sent again.
//!
//! The closed connection is simulated so that the race is not left to
//! timing: its reads see the end of the stream only from the moment the
//! test says so, and nothing wakes the connection when that happens, as
//! when a server's FIN is in flight while the client picks the connection
//! from the pool.

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use plaid_core::{Client, RetryPolicy};
use serde_json::json;
use tokio::net::TcpListener;

use super::*;
use crate::HyperTransport;

/// A connection to a server that has gone away.
#[derive(Clone, Default)]
struct Vanishing {
    /// From now on, reads see the end of the stream.
    closed: Arc<AtomicBool>,
    /// Request bytes the connection took.
    written: Arc<AtomicUsize>,
    /// Close as soon as a request's bytes are taken (the server read the
    /// request, then closed without answering).
    close_after_write: bool,
}

impl hyper::rt::Read for Vanishing {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        _buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        if self.closed.load(Ordering::SeqCst) {
            // Nothing read: the end of the stream.
            Poll::Ready(Ok(()))
        } else {
            // No waker kept: the close, when it comes, wakes nobody.
            Poll::Pending
        }
    }
}

impl hyper::rt::Write for Vanishing {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.written.fetch_add(buf.len(), Ordering::SeqCst);
        if self.close_after_write {
            self.closed.store(true, Ordering::SeqCst);
            cx.waker().wake_by_ref();
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A server on 127.0.0.1 answering every request with an exchanged token,
/// and the number of requests it received.
async fn server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let received = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&received);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let body = json!({"access_token": "access-1", "item_id": "item-1", "request_id": "req-1"});
                    async move {
                        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from(
                            body.to_string(),
                        ))))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, received)
}

/// A client on a transport whose pool holds, as its one idle connection to
/// `url`, a connection to a server that has gone: `io`.
async fn client_with_vanished_connection(url: &str, io: Vanishing, retry: RetryPolicy) -> Client {
    let transport = HyperTransport::builder().build().expect("transport");
    let pool = transport.pool.as_ref().expect("pool");
    let (mut sender, connection) = http1::handshake::<_, Body>(io.clone())
        .await
        .expect("handshake");
    drive(connection, "HTTP/1.1");
    // The connection is idle and waiting for a request, as a kept-alive
    // connection in the pool is; only then does its server go away.
    sender.ready().await.expect("ready");
    let uri: Uri = url.parse().expect("url");
    let key = HostKey {
        scheme: uri.scheme().expect("scheme").clone(),
        authority: uri.authority().expect("authority").clone(),
    };
    pool.host(&key).put_idle(sender, &pool.settings);
    Client::builder()
        .base_url(url)
        .credentials("client-1", "secret-1")
        .transport(transport)
        .retry_policy(retry)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_change_handed_back_unsent_goes_out_once_on_a_fresh_connection() {
    let (url, received) = server().await;
    let io = Vanishing::default();
    // Retries off: what resends is the transport, not the retry policy.
    let client = client_with_vanished_connection(&url, io.clone(), RetryPolicy::disabled()).await;
    io.closed.store(true, Ordering::SeqCst);

    let answer = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": "public-1"}),
        )
        .await
        .expect("sent again on a fresh connection");

    assert_eq!(answer["access_token"], "access-1");
    assert_eq!(
        io.written.load(Ordering::SeqCst),
        0,
        "nothing went out on the closed connection"
    );
    assert_eq!(
        received.load(Ordering::SeqCst),
        1,
        "the server saw the request exactly once"
    );
}

#[tokio::test]
async fn a_change_that_was_written_is_not_sent_again() {
    let (url, received) = server().await;
    let io = Vanishing {
        close_after_write: true,
        ..Vanishing::default()
    };
    // The default policy: it resends only what is safe to resend.
    let client = client_with_vanished_connection(&url, io.clone(), RetryPolicy::default()).await;

    let err = client
        .send_raw(
            "/item/public_token/exchange",
            json!({"public_token": "public-1"}),
        )
        .await
        .expect_err("the connection closed after taking the request");

    assert!(
        io.written.load(Ordering::SeqCst) > 0,
        "the request was written"
    );
    assert!(err.may_have_reached_plaid(), "{err:?}");
    assert!(!err.is_retryable(), "{err:?}");
    assert_eq!(
        received.load(Ordering::SeqCst),
        0,
        "not sent again anywhere"
    );
}
