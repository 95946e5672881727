//! The scripted transport shared by plaid-core's test files: answers from a
//! queue and records every request it was sent.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use plaid_core::sleep::RecordingSleep;
use plaid_core::{Client, HttpTransport, TransportError, TransportErrorKind};

/// The secret every test client is given.
pub const SECRET: &str = "super-secret-value-42";

type Answer = Result<http::Response<Bytes>, TransportError>;

/// A transport written by a user: answers from a queue and records requests.
#[derive(Debug, Default, Clone)]
pub struct Scripted {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Scripted {
    pub fn answer(self, status: u16, body: serde_json::Value) -> Self {
        self.answer_raw(status, &[], body.to_string())
    }

    pub fn answer_raw(self, status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let mut response = http::Response::new(body.into());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response.headers_mut().insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        self.answers.lock().unwrap().push_back(Ok(response));
        self
    }

    pub fn fail(self, kind: TransportErrorKind) -> Self {
        self.answers
            .lock()
            .unwrap()
            .push_back(Err(TransportError::new(kind, "scripted")));
        self
    }

    pub fn requests(&self) -> Vec<http::Request<Bytes>> {
        self.seen.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl HttpTransport for Scripted {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        self.seen.lock().unwrap().push(request);
        self.answers.lock().unwrap().pop_front().unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Io,
                "script ran out",
            ))
        })
    }
}

pub fn client(transport: &Scripted) -> Client {
    Client::builder()
        .credentials("client-1", SECRET)
        .transport(transport.clone())
        .sleep_impl(RecordingSleep::default())
        .no_timeout()
        .build()
        .unwrap()
}
