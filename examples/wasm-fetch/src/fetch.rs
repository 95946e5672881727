//! [`FetchTransport`] and [`FetchSleep`]: the Fetch API and `setTimeout`
//! behind plaid-core's seams, plus the functions exported to JavaScript.
//! Compiled only for wasm32 without threads (see the crate docs).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use plaid_core::sleep::{AsyncSleep, Sleep};
use plaid_core::transport::{HttpTransport, TransportError, TransportErrorKind};
use plaid_core::Client;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (window, worker or edge runtime alike).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;

    /// The global `setTimeout`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: f64) -> JsValue;
}

/// A future that is `Send` because there is only one thread.
///
/// SAFETY: this module is compiled only for `wasm32` without the `atomics`
/// target feature (see the `cfg` on `mod fetch` in `lib.rs`). There, the
/// program runs on exactly one thread: no value can be moved to, or shared
/// with, another thread, so `Send` and `Sync` cannot be violated. The wrapped
/// future holds JavaScript values, which are not `Send` only because of wasm
/// threads.
struct SingleThreaded<F>(Pin<Box<F>>);

// SAFETY: see the type's documentation.
unsafe impl<F> Send for SingleThreaded<F> {}
// SAFETY: see the type's documentation.
unsafe impl<F> Sync for SingleThreaded<F> {}

impl<F: Future> SingleThreaded<F> {
    fn new(future: F) -> Self {
        Self(Box::pin(future))
    }
}

impl<F: Future> Future for SingleThreaded<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.0.as_mut().poll(cx)
    }
}

/// An [`HttpTransport`] that sends each request with the global `fetch`.
///
/// Fetch decides connection reuse, TLS and HTTP versions. What it cannot
/// tell apart is reported honestly: a `fetch` that fails (network error,
/// CORS refusal, DNS) is [`Interrupted`](TransportErrorKind::Interrupted),
/// since the request may have been sent, so the client does not retry it by
/// itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

#[async_trait::async_trait]
impl HttpTransport for FetchTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        SingleThreaded::new(fetch(request)).await
    }
}

/// `METHOD scheme://host/path`, for messages: never the query or headers.
fn describe(method: &http::Method, uri: &http::Uri) -> String {
    format!(
        "{method} {}://{}{}",
        uri.scheme_str().unwrap_or_default(),
        uri.authority().map(|a| a.host()).unwrap_or_default(),
        uri.path()
    )
}

fn js_failure(kind: TransportErrorKind, target: &str, what: &str, err: JsValue) -> TransportError {
    let detail = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{err:?}"));
    TransportError::new(kind, format!("{target}: {what}: {detail}"))
}

async fn fetch(request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
    let (parts, body) = request.into_parts();
    let target = describe(&parts.method, &parts.uri);
    let refused =
        |what: &str, err: JsValue| js_failure(TransportErrorKind::Refused, &target, what, err);

    let headers = web_sys::Headers::new().map_err(|e| refused("no Headers object", e))?;
    for (name, value) in &parts.headers {
        let Ok(value) = value.to_str() else {
            return Err(TransportError::new(
                TransportErrorKind::Refused,
                format!("{target}: the value of header {name} is not visible ASCII"),
            ));
        };
        headers
            .append(name.as_str(), value)
            .map_err(|e| refused("fetch refused a header", e))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_headers(&headers);
    if !body.is_empty() {
        init.set_body(&js_sys::Uint8Array::from(&body[..]));
    }
    let request = web_sys::Request::new_with_str_and_init(&parts.uri.to_string(), &init)
        .map_err(|e| refused("fetch refused the request", e))?;

    let response: web_sys::Response = JsFuture::from(global_fetch(&request))
        .await
        .map_err(|e| js_failure(TransportErrorKind::Interrupted, &target, "fetch failed", e))?
        .dyn_into()
        .map_err(|e| js_failure(TransportErrorKind::Io, &target, "fetch gave no Response", e))?;

    let mut builder = http::Response::builder().status(response.status());
    if let Ok(Some(entries)) = js_sys::try_iter(response.headers().as_ref()) {
        for entry in entries.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                builder = builder.header(name, value);
            }
        }
    }
    let buffer = response.array_buffer().map_err(|e| {
        js_failure(
            TransportErrorKind::Io,
            &target,
            "the body cannot be read",
            e,
        )
    })?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| {
        js_failure(
            TransportErrorKind::Interrupted,
            &target,
            "reading the body failed",
            e,
        )
    })?;
    let body = Bytes::from(js_sys::Uint8Array::new(&buffer).to_vec());
    builder.body(body).map_err(|e| {
        TransportError::new(
            TransportErrorKind::Io,
            format!("{target}: unusable response: {e}"),
        )
    })
}

/// An [`AsyncSleep`] on the global `setTimeout`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchSleep;

impl AsyncSleep for FetchSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        let millis = duration.as_secs_f64() * 1000.0;
        let timer = js_sys::Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, millis);
        });
        Box::pin(SingleThreaded::new(async move {
            // A timer promise only resolves.
            let _ = JsFuture::from(timer).await;
        }))
    }
}

fn client(base_url: &str, credentials: Option<(String, String)>) -> Result<Client, JsValue> {
    let mut builder = crate::client_builder(base_url)
        .transport(FetchTransport)
        .sleep_impl(FetchSleep);
    if let Some((client_id, secret)) = credentials {
        builder = builder.credentials(client_id, secret);
    }
    builder
        .build()
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// `/categories/get` from JavaScript: how many categories `base_url`
/// returns. Needs no credentials.
#[wasm_bindgen]
pub async fn plaid_category_count(base_url: String) -> Result<u32, JsValue> {
    let client = client(&base_url, None)?;
    let count = crate::category_count(&client)
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// `/item/get` from JavaScript: the institution id of the item behind
/// `access_token` (or `undefined`). Meant for edge runtimes that keep the
/// secret; see [`client_builder`](crate::client_builder).
#[wasm_bindgen]
pub async fn plaid_item_institution(
    base_url: String,
    client_id: String,
    secret: String,
    access_token: String,
) -> Result<Option<String>, JsValue> {
    let client = client(&base_url, Some((client_id, secret)))?;
    crate::item_institution(&client, &access_token)
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))
}
