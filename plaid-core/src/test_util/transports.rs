//! The test transports.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

use crate::transport::{HttpTransport, TransportError, TransportErrorKind};

type Answer = Result<http::Response<Bytes>, TransportError>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A response with `status`, `headers` and `body`. Panics on a status or
/// header HTTP does not allow: it is for tests, written by hand.
pub fn response(
    status: u16,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> http::Response<Bytes> {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = http::StatusCode::from_u16(status).expect("a valid HTTP status");
    for (name, value) in headers {
        response.headers_mut().append(
            http::HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            http::HeaderValue::from_str(value).expect("a valid header value"),
        );
    }
    response
}

/// Answers from a queue, in order, and records every request. Once the
/// queue is empty it fails with [`TransportErrorKind::Io`] ("script ran
/// out"). Clones share the queue and the record.
#[derive(Debug, Clone, Default)]
pub struct ScriptedTransport {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a JSON answer.
    #[must_use]
    pub fn answer(self, status: u16, body: serde_json::Value) -> Self {
        self.answer_raw(status, &[], body.to_string())
    }

    /// Queues an answer with headers and any body.
    #[must_use]
    pub fn answer_raw(self, status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        lock(&self.answers).push_back(Ok(response(status, headers, body)));
        self
    }

    /// Queues a transport failure.
    #[must_use]
    pub fn fail(self, kind: TransportErrorKind) -> Self {
        lock(&self.answers).push_back(Err(TransportError::new(kind, "scripted failure")));
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<http::Request<Bytes>> {
        lock(&self.seen).clone()
    }

    /// How many queued answers are left.
    pub fn remaining(&self) -> usize {
        lock(&self.answers).len()
    }
}

#[async_trait::async_trait]
impl HttpTransport for ScriptedTransport {
    async fn send(&self, request: http::Request<Bytes>) -> Answer {
        lock(&self.seen).push(request);
        lock(&self.answers).pop_front().unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Io,
                "script ran out",
            ))
        })
    }
}

/// Gives the same answer to every request, and counts them.
#[derive(Debug, Clone)]
pub struct CannedTransport {
    answer: Arc<http::Response<Bytes>>,
    calls: Arc<AtomicUsize>,
}

impl CannedTransport {
    /// Always `status` with this JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self::new(response(
            status,
            &[("content-type", "application/json")],
            body.to_string(),
        ))
    }

    /// Always (a copy of) `answer`.
    pub fn new(answer: http::Response<Bytes>) -> Self {
        Self {
            answer: Arc::new(answer),
            calls: Arc::default(),
        }
    }

    /// How many requests it answered.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl HttpTransport for CannedTransport {
    async fn send(&self, _request: http::Request<Bytes>) -> Answer {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok((*self.answer).clone())
    }
}

/// Never answers: every request waits forever (for timeout tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NeverAnswers;

#[async_trait::async_trait]
impl HttpTransport for NeverAnswers {
    async fn send(&self, _request: http::Request<Bytes>) -> Answer {
        std::future::pending().await
    }
}

/// Passes requests to another transport and counts them (the client's
/// attempts) and the body bytes of the answers.
#[derive(Debug, Clone)]
pub struct CountingTransport<T> {
    inner: T,
    calls: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
}

impl<T: HttpTransport> CountingTransport<T> {
    /// Counts what passes through `inner`.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            calls: Arc::default(),
            received: Arc::default(),
        }
    }

    /// How many requests were sent.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// How many body bytes the answers carried.
    pub fn bytes_received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    /// Starts counting from zero again.
    pub fn reset(&self) {
        self.calls.store(0, Ordering::SeqCst);
        self.received.store(0, Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl<T: HttpTransport> HttpTransport for CountingTransport<T> {
    async fn send(&self, request: http::Request<Bytes>) -> Answer {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let response = self.inner.send(request).await?;
        self.received
            .fetch_add(response.body().len(), Ordering::SeqCst);
        Ok(response)
    }
}

/// Passes requests to another transport and keeps a copy of each, and of
/// each answer it gave back (failures leave no answer).
#[derive(Debug, Clone)]
pub struct RecordingTransport<T> {
    inner: T,
    seen: Arc<Mutex<Vec<http::Request<Bytes>>>>,
    answers: Arc<Mutex<Vec<http::Response<Bytes>>>>,
}

impl<T: HttpTransport> RecordingTransport<T> {
    /// Records what passes through `inner`.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            seen: Arc::default(),
            answers: Arc::default(),
        }
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<http::Request<Bytes>> {
        lock(&self.seen).clone()
    }

    /// Every answer received so far, exactly as `inner` gave it.
    pub fn responses(&self) -> Vec<http::Response<Bytes>> {
        lock(&self.answers).clone()
    }

    /// Forgets the requests and answers recorded so far.
    pub fn clear(&self) {
        lock(&self.seen).clear();
        lock(&self.answers).clear();
    }
}

#[async_trait::async_trait]
impl<T: HttpTransport> HttpTransport for RecordingTransport<T> {
    async fn send(&self, request: http::Request<Bytes>) -> Answer {
        lock(&self.seen).push(request.clone());
        let response = self.inner.send(request).await?;
        lock(&self.answers).push(response.clone());
        Ok(response)
    }
}
