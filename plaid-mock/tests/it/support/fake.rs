//! One scenario, two ways of reaching the fake.
//!
//! A [`Fake`] is a `MockPlaid` and a `plaid_core::Client` that talks to it:
//! straight through its `HttpTransport` impl (in-process), or through the
//! HTTP server on 127.0.0.1 and `plaid_hyper::HyperTransport` (over HTTP).
//! The controls a scenario needs are the same in both modes: the clock,
//! webhooks and the journal are methods of the one `MockPlaid` the server
//! shares, and finishing Link ([`Fake::complete_link`]) goes through
//! `POST /_mock/link/complete` over HTTP, as another language's tests would.
//!
//! [`scenarios!`] writes a scenario once and runs it in both modes; it also
//! lists the module's scenarios in `SCENARIOS`, so `conformance` can run
//! each once more in-process and check every answer against the spec.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use plaid_core::test_util::RecordingTransport;
use plaid_core::{Client, HttpTransport, RetryPolicy};
use plaid_hyper::HyperTransport;
use plaid_mock::server::{self, RunningServer};
use plaid_mock::MockPlaid;
use serde_json::Value;

/// A fake and a client for it, in-process or over HTTP.
pub struct Fake {
    /// The fake itself: its controls work in both modes (the server answers
    /// from this same `MockPlaid`).
    pub mock: MockPlaid,
    client: Client,
    /// What the client sends through, for requests made by hand.
    transport: Arc<dyn HttpTransport>,
    /// Where those requests go.
    base_url: String,
    server: Option<RunningServer>,
}

impl Fake {
    /// `mock` called in-process through `mock.client()` (which retries
    /// without waiting).
    pub fn in_process(mock: MockPlaid) -> Self {
        let transport: Arc<dyn HttpTransport> = Arc::new(mock.clone());
        Self::in_process_through(mock, transport)
    }

    fn in_process_through(mock: MockPlaid, transport: Arc<dyn HttpTransport>) -> Self {
        let client = mock
            .client_builder()
            .transport(transport.clone())
            .build()
            .expect("a client");
        Self {
            mock,
            client,
            transport,
            base_url: "http://plaid-mock.test".to_owned(),
            server: None,
        }
    }

    /// `mock` served on 127.0.0.1, and a client on `HyperTransport` without
    /// retries. The server stops when the `Fake` is dropped.
    pub async fn over_http(mock: MockPlaid) -> Self {
        let running = server::start(mock.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .expect("a server on 127.0.0.1");
        let transport: Arc<dyn HttpTransport> = Arc::new(HyperTransport::new());
        let client = Client::builder()
            .base_url(running.url())
            .credentials(mock.client_id(), mock.secret())
            .transport(transport.clone())
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("a client");
        Self {
            mock,
            client,
            transport,
            base_url: running.url().trim_end_matches('/').to_owned(),
            server: Some(running),
        }
    }

    /// `mock` in-process, with every exchange kept by the returned recorder
    /// (as the fake sent it, retries included).
    pub fn recording(mock: MockPlaid) -> (Self, RecordingTransport<MockPlaid>) {
        let recorder = RecordingTransport::new(mock.clone());
        let fake = Self::in_process_through(mock, Arc::new(recorder.clone()));
        (fake, recorder)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends `request` (its URI a path) the way the client does, for answers
    /// the client does not read as JSON (files).
    pub async fn send(&self, mut request: http::Request<Bytes>) -> http::Response<Bytes> {
        let path = request.uri().path().to_owned();
        *request.uri_mut() = format!("{}{path}", self.base_url).parse().expect("a URI");
        self.transport
            .send(request)
            .await
            .expect("the fake answers")
    }

    /// The end user finishing Link on `link_token` at `institution_id`
    /// (default `ins_109508`): `{"public_token", "link_session_id",
    /// "item_id"}`, or the Plaid error code of the refusal.
    /// `MockPlaid::complete_link` in-process, `POST /_mock/link/complete`
    /// over HTTP.
    pub async fn complete_link(
        &self,
        link_token: &str,
        institution_id: Option<&str>,
    ) -> Result<Value, String> {
        let Some(running) = &self.server else {
            return self
                .mock
                .complete_link(link_token, institution_id)
                .map_err(|e| e.error.error_code.clone());
        };
        let mut body = serde_json::json!({"link_token": link_token});
        if let Some(id) = institution_id {
            body["institution_id"] = Value::from(id);
        }
        let addr = running.local_addr();
        let (status, answer) = tokio::task::spawn_blocking(move || {
            super::send(addr, "POST", "/_mock/link/complete", &body.to_string(), &[])
        })
        .await
        .expect("the control request ran")
        .expect("an answer from the control API");
        if status == 200 {
            Ok(answer)
        } else {
            let error = answer["error"].as_str().unwrap_or_default();
            Err(error.split(':').next().unwrap_or_default().to_owned())
        }
    }
}

/// A scenario's run on a fake, as a boxed future.
pub type Run = for<'a> fn(&'a Fake) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

/// A scenario as [`scenarios!`] registers it.
pub struct Scenario {
    /// `module::name`.
    pub name: &'static str,
    /// The fake it starts from.
    pub mock: fn() -> MockPlaid,
    pub run: Run,
}

/// Writes each scenario once and runs it in-process and over HTTP:
///
/// ```ignore
/// scenarios! {
///     /// What it shows.
///     refunds(MockPlaid::builder().seed(77).build()) |fake| {
///         refunds(fake.client()).await
///     }
/// }
/// ```
///
/// expands to `mod refunds { #[tokio::test] async fn in_process() …
/// #[tokio::test] async fn over_http() … }` (the module sees its parent's
/// items), and to `pub const SCENARIOS: &[Scenario]` listing them all (one
/// `scenarios!` per module). A scenario that only makes sense in-process
/// says so after its fake: `name(mock) in_process |fake| { … }`.
macro_rules! scenarios {
    ($(
        $(#[$attr:meta])*
        $name:ident($mock:expr) $($only:ident)? |$fake:ident| $body:block
    )*) => {
        $(
            $(#[$attr])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                use $crate::support::Fake;

                pub fn scenario_mock() -> ::plaid_mock::MockPlaid {
                    $mock
                }

                pub fn scenario_run(
                    fake: &Fake,
                ) -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ()> + '_>> {
                    Box::pin(async move {
                        let $fake = fake;
                        $body
                    })
                }

                $crate::support::scenario_tests!($($only)?);
            }
        )*

        /// This module's scenarios, for `conformance`.
        pub const SCENARIOS: &[$crate::support::Scenario] = &[$(
            $crate::support::Scenario {
                name: concat!(module_path!(), "::", stringify!($name)),
                mock: $name::scenario_mock,
                run: $name::scenario_run,
            },
        )*];
    };
}
pub(crate) use scenarios;

/// The tests of one scenario: in-process and over HTTP, or in-process only.
macro_rules! scenario_tests {
    () => {
        $crate::support::scenario_tests!(in_process);

        #[tokio::test]
        async fn over_http() {
            scenario_run(&Fake::over_http(scenario_mock()).await).await;
        }
    };
    (in_process) => {
        #[tokio::test]
        async fn in_process() {
            scenario_run(&Fake::in_process(scenario_mock())).await;
        }
    };
}
pub(crate) use scenario_tests;
