//! A [`plaid_core`] client on the Fetch API, for `wasm32-unknown-unknown`:
//! browsers, web workers, and edge runtimes that offer a global `fetch`
//! (Cloudflare Workers, Deno, Node 18+).
//!
//! On wasm32 the crate provides `FetchTransport` (an
//! [`HttpTransport`](plaid_core::HttpTransport) that hands each request to
//! `fetch`), `FetchSleep` (an [`AsyncSleep`](plaid_core::sleep::AsyncSleep)
//! on `setTimeout`, since there is no tokio there) and two functions exported
//! to JavaScript, `plaid_category_count` and `plaid_item_institution`
//! (`src/fetch.rs`; `cargo doc --target wasm32-unknown-unknown` shows them).
//! Build it with
//!
//! ```sh
//! cargo build -p plaid-wasm-fetch --target wasm32-unknown-unknown
//! ```
//!
//! and bind it with `wasm-bindgen` as usual. On other targets only the
//! target-independent part compiles: [`client_builder`] and the two calls
//! ([`category_count`], [`item_institution`]), which the tests run against
//! the fake Plaid.
//!
//! # `Send` on a single thread
//!
//! [`HttpTransport`](plaid_core::HttpTransport) and `AsyncSleep` return
//! `Send` futures, so that a native client can be shared across threads.
//! JavaScript values (and so the futures awaiting a `fetch`) are not `Send`.
//! Without the `atomics` target feature, `wasm32-unknown-unknown` has exactly
//! one thread, so nothing can ever be sent to another thread; a small
//! wrapper (`SingleThreaded`, in `fetch.rs`) states that with an
//! `unsafe impl Send`. It only compiles for wasm32 *without* `atomics`: built
//! for wasm threads, the crate fails to compile instead of becoming unsound.
//!
//! # Time
//!
//! `std::time::Instant::now()` and `SystemTime::now()` panic on
//! `wasm32-unknown-unknown`. plaid-core reads the time there from the
//! JavaScript host instead (`performance.now()` for an attempt's latency,
//! `Date.now()` for `Retry-After` dates and webhook ages, through the
//! `web-time` crate), so nothing here has to supply a clock.

use plaid_core::{Client, ClientBuilder, Error};

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod fetch;
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub use fetch::{plaid_category_count, plaid_item_institution, FetchSleep, FetchTransport};

/// A client builder for `base_url` (for example
/// `plaid_core::Environment::Sandbox.base_url()`, or a proxy of your own in
/// front of Plaid). Add `.transport(..)`, the timer with `.sleep_impl(..)`
/// and, for calls other than `/categories/get`, `.credentials(..)`.
///
/// In a browser, do not give the client your Plaid secret: anything shipped
/// to a browser can be read. Point `base_url` at a backend of yours that adds
/// credentials, and call Plaid with credentials only from an edge runtime or
/// server that keeps them secret.
pub fn client_builder(base_url: &str) -> ClientBuilder {
    Client::builder().base_url(base_url)
}

/// How many categories `/categories/get` returns (no credentials needed).
pub async fn category_count(client: &Client) -> Result<usize, Error> {
    #[allow(deprecated)] // Plaid deprecated /categories/get; it still answers.
    let categories = client.categories().get().await?;
    Ok(categories.categories.len())
}

/// The institution id of the item behind `access_token` (`/item/get`).
pub async fn item_institution(
    client: &Client,
    access_token: &str,
) -> Result<Option<String>, Error> {
    let item = client.item().get(access_token).await?;
    Ok(item.item.institution_id.clone())
}

#[cfg(test)]
mod tests {
    use plaid_core::models::Products;
    use plaid_core::RetryPolicy;
    use plaid_mock::MockPlaid;

    use super::*;

    #[tokio::test]
    async fn the_example_calls_work_against_the_fake() {
        let mock = MockPlaid::builder().seed(3).build();
        let client = client_builder("https://sandbox.plaid.com")
            .credentials(mock.client_id(), mock.secret())
            .retry_policy(RetryPolicy::disabled())
            .transport(mock.clone())
            .build()
            .unwrap();
        assert!(category_count(&client).await.unwrap() > 0);

        let created = mock
            .client()
            .sandbox()
            .public_token()
            .create("ins_109508", vec![Products::Auth])
            .await
            .unwrap();
        let exchanged = mock
            .client()
            .item()
            .public_token()
            .exchange(&created.public_token)
            .await
            .unwrap();
        let institution = item_institution(&client, &exchanged.access_token).await;
        assert_eq!(institution.unwrap().as_deref(), Some("ins_109508"));
    }
}
