//! Shared pieces of the runnable examples: building a client from the
//! environment, and the quickstart flow itself (kept here so that a test runs
//! it too).

use std::io::Write;

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use plaid_core::models::Products;
use plaid_core::transactions_sync::{SyncChanges, TransactionsSync};
use plaid_core::webhook_verification::{VerifiedWebhook, WebhookError, WebhookVerifier};
use plaid_core::{Client, Environment, Error};

/// Builds a client on the production transport from `PLAID_CLIENT_ID`,
/// `PLAID_SECRET` and `PLAID_ENV` (`sandbox` by default, `production`, or a
/// base URL such as `http://127.0.0.1:8080`).
///
/// Returns `Ok(None)` when the credentials are not set.
pub fn client_from_env() -> Result<Option<Client>, String> {
    let (Ok(client_id), Ok(secret)) = (
        std::env::var("PLAID_CLIENT_ID"),
        std::env::var("PLAID_SECRET"),
    ) else {
        return Ok(None);
    };
    let environment = match std::env::var("PLAID_ENV") {
        Ok(name) => Environment::parse(&name).ok_or_else(|| {
            format!("PLAID_ENV={name:?} is not sandbox, production or an http(s) URL")
        })?,
        Err(_) => Environment::Sandbox,
    };
    plaid_hyper::client_builder()
        .environment(environment)
        .credentials(client_id, secret)
        .build()
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The client every example uses: real Plaid when `PLAID_CLIENT_ID` and
/// `PLAID_SECRET` are set (see [`client_from_env`]), otherwise the built-in
/// fake Plaid in-process, which is returned too so examples can drive it.
pub fn client_or_fake() -> Result<(Client, Option<plaid_mock::MockPlaid>), String> {
    match client_from_env()? {
        Some(client) => Ok((client, None)),
        None => {
            println!(
                "PLAID_CLIENT_ID / PLAID_SECRET not set: running against the built-in fake Plaid \
                 (plaid-mock). Set them to run against Plaid's sandbox.\n"
            );
            let mock = plaid_mock::MockPlaid::new();
            Ok((mock.client(), Some(mock)))
        }
    }
}

/// Runs an example's body and turns its outcome into an exit code.
pub async fn run_example<F, T>(name: &str, body: F) -> std::process::ExitCode
where
    F: std::future::Future<Output = Result<T, Error>>,
{
    match body.await {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{name} failed: {err}");
            if let Some(id) = err.request_id() {
                eprintln!("request id: {id}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// The legacy client's README flow: create a sandbox item, exchange its
/// public token, read accounts, auth numbers and all transactions of the
/// last 30 days page by page, create a Stripe token, remove the item, and
/// list categories without credentials. Writes a readable report to `out`.
pub async fn quickstart(client: &Client, out: &mut impl Write) -> Result<(), Error> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Auth, Products::Transactions])
        .await?;
    line(
        out,
        format_args!("public token    {}", created.public_token),
    );

    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    let access_token = exchanged.access_token;
    line(out, format_args!("item            {}", exchanged.item_id));

    let accounts = client.accounts().get(&access_token).await?;
    line(
        out,
        format_args!("accounts        {}", accounts.accounts.len()),
    );
    for account in &accounts.accounts {
        line(
            out,
            format_args!(
                "  {:<22} {:<12} mask {:<4}  current {:>10}",
                account.name,
                account.subtype.as_ref().map_or("-", |s| s.as_str()),
                account.mask.as_deref().unwrap_or("-"),
                account
                    .balances
                    .current
                    .map_or_else(|| "-".to_owned(), |c| format!("{c:.2}")),
            ),
        );
    }

    let auth = client.auth().get(&access_token).await?;
    for ach in &auth.numbers.ach {
        line(
            out,
            format_args!(
                "  ach {}  routing {}  account {}",
                ach.account_id, ach.routing, ach.account
            ),
        );
    }

    let end = time::OffsetDateTime::now_utc().date();
    let start = end - time::Duration::days(30);
    let mut transactions = Vec::new();
    loop {
        let page = client
            .transactions()
            .get(&access_token)
            .start_date(start)
            .end_date(end)
            .count(500)
            .offset(transactions.len() as i64)
            .await?;
        // Absent only if Plaid broke its own contract; then one page is all we know of.
        let total = page
            .total_transactions
            .and_then(|t| usize::try_from(t).ok())
            .unwrap_or(0);
        let fetched = page.transactions.len();
        transactions.extend(page.transactions);
        if fetched == 0 || transactions.len() >= total {
            break;
        }
    }
    line(
        out,
        format_args!("transactions    {} in the last 30 days", transactions.len()),
    );
    for t in transactions.iter().take(5) {
        // `name` is deprecated by Plaid in favour of `merchant_name`, which
        // is often empty in the sandbox; the listing shows `name`.
        #[allow(deprecated)]
        let name = &t.name;
        line(
            out,
            format_args!(
                "  {}  {:>9}  {}",
                or_dash(t.date),
                or_dash(t.amount.map(|a| format!("{a:.2}"))),
                name
            ),
        );
    }

    if let Some(account) = accounts.accounts.first() {
        let stripe = client
            .processor()
            .stripe()
            .bank_account_token()
            .create(&access_token)
            .account_id(&account.account_id)
            .await?;
        line(
            out,
            format_args!("stripe token    {}", stripe.stripe_bank_account_token),
        );
    }

    client.item().remove(&access_token).await?;
    line(out, format_args!("item removed"));

    #[allow(deprecated)] // Plaid deprecated /categories/get; the legacy flow still uses it.
    let categories = client.categories().get().await?;
    line(
        out,
        format_args!("categories      {}", categories.categories.len()),
    );
    Ok(())
}

fn or_dash<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn line(out: &mut impl Write, args: std::fmt::Arguments<'_>) {
    // A closed stdout is not worth failing the flow for.
    let _ = writeln!(out, "{args}");
}

/// Links a sandbox item with transactions and returns its access token.
pub async fn link_sandbox_item(client: &Client, webhook: Option<String>) -> Result<String, Error> {
    let mut create = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions]);
    if let Some(url) = webhook {
        create = create.webhook(url);
    }
    let created = create.await?;
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    Ok(exchanged.access_token)
}

/// Syncs an item's transactions from `cursor` and reports what changed;
/// returns the changes (store `next_cursor` for next time).
pub async fn sync_and_report(
    client: &Client,
    access_token: &str,
    cursor: &str,
    out: &mut impl Write,
) -> Result<SyncChanges, Error> {
    let changes = TransactionsSync::new(client, access_token)
        .cursor(cursor)
        .run()
        .await?;
    line(
        out,
        format_args!(
            "synced from {:?}: {} added, {} modified, {} removed (restarts: {}); store cursor {:?}",
            cursor,
            changes.added.len(),
            changes.modified.len(),
            changes.removed.len(),
            changes.restarts,
            changes.next_cursor
        ),
    );
    Ok(changes)
}

/// The largest webhook body the receiver reads.
const MAX_WEBHOOK_BYTES: usize = 64 * 1024;

/// Serves webhooks on `listener`: each POST is verified with `verifier`,
/// answered `200` (verified) or `400` (rejected), and the outcome is sent on
/// `outcomes`. Runs until the task is dropped.
pub async fn receive_webhooks(
    listener: tokio::net::TcpListener,
    verifier: WebhookVerifier,
    outcomes: tokio::sync::mpsc::UnboundedSender<Result<VerifiedWebhook, WebhookError>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let verifier = verifier.clone();
        let outcomes = outcomes.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let verifier = verifier.clone();
                    let outcomes = outcomes.clone();
                    async move {
                        let header = request
                            .headers()
                            .get("plaid-verification")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let body = Limited::new(request.into_body(), MAX_WEBHOOK_BYTES)
                            .collect()
                            .await
                            .map(|b| b.to_bytes());
                        let status = match body {
                            Err(_) => 413,
                            Ok(body) => {
                                let outcome = verifier.verify(&body, header.as_deref()).await;
                                let status = if outcome.is_ok() { 200 } else { 400 };
                                let _ = outcomes.send(outcome);
                                status
                            }
                        };
                        let mut response = http::Response::new(Full::new(Bytes::new()));
                        *response.status_mut() =
                            http::StatusCode::from_u16(status).unwrap_or_default();
                        Ok::<_, Infallible>(response)
                    }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The legacy README's error handling: an item whose login changed answers
/// `ITEM_LOGIN_REQUIRED`; the app sends the user through Link update mode.
/// On the fake, update mode is simulated by exchanging a public token made
/// for the item. Returns whether the item worked again afterwards.
pub async fn error_handling(client: &Client, out: &mut impl Write) -> Result<bool, Error> {
    let token = link_sandbox_item(client, None).await?;
    client.sandbox().item().reset_login(&token).await?;
    match client.auth().get(&token).await {
        Ok(_) => line(out, format_args!("auth worked (the item was not broken)")),
        Err(e)
            if e.is_item_error()
                && e.code() == Some(plaid_core::error_code::ITEM_LOGIN_REQUIRED) =>
        {
            line(
                out,
                format_args!(
                    "ITEM_LOGIN_REQUIRED (request id {}): start Link in update mode",
                    e.request_id().unwrap_or("-")
                ),
            );
            let update = client.item().public_token().create(&token).await?;
            if let Err(e) = client
                .item()
                .public_token()
                .exchange(&update.public_token)
                .await
            {
                line(out, format_args!("update mode needs the Link UI here: {e}"));
            }
        }
        Err(e) if e.is_timeout() => line(out, format_args!("timed out; try again later")),
        Err(e) if e.is_retryable() => line(
            out,
            format_args!("Plaid is busy ({e}); retry with back-off"),
        ),
        Err(e) => return Err(e),
    }
    let repaired = client.auth().get(&token).await.is_ok();
    line(out, format_args!("item works again: {repaired}"));
    client.item().remove(&token).await?;
    Ok(repaired)
}

/// Every transaction of the last 90 days through the pagination helper.
pub async fn transactions_get_all(client: &Client, out: &mut impl Write) -> Result<usize, Error> {
    let token = link_sandbox_item(client, None).await?;
    let end = time::OffsetDateTime::now_utc().date();
    let start = end - time::Duration::days(90);
    let all = client
        .transactions()
        .get(&token)
        .start_date(start)
        .end_date(end)
        .collect_all()
        .await?;
    line(
        out,
        format_args!("{} transactions from {start} to {end}", all.len()),
    );
    client.item().remove(&token).await?;
    Ok(all.len())
}

/// A Stripe bank account token for the first account of a new item.
pub async fn stripe_processor_token(
    client: &Client,
    out: &mut impl Write,
) -> Result<String, Error> {
    let token = link_sandbox_item(client, None).await?;
    let accounts = client.accounts().get(&token).await?;
    let Some(account) = accounts.accounts.first() else {
        line(out, format_args!("the item has no accounts"));
        return Ok(String::new());
    };
    let stripe = client
        .processor()
        .stripe()
        .bank_account_token()
        .create(&token)
        .account_id(&account.account_id)
        .await?;
    line(
        out,
        format_args!(
            "{} ({}): {}",
            account.name,
            account.mask.as_deref().unwrap_or("-"),
            stripe.stripe_bank_account_token
        ),
    );
    client.item().remove(&token).await?;
    Ok(stripe.stripe_bank_account_token)
}

/// A transport written by the user: adds a header for a proxy and logs each
/// exchange (method, path, status, time; never headers) before handing the
/// request to the transport it wraps.
#[derive(Debug)]
pub struct TaggingTransport<T> {
    /// The transport that does the work.
    pub inner: T,
    /// Sent as `x-proxy-tag`.
    pub tag: String,
    /// Where log lines go.
    pub log: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl<T: plaid_core::HttpTransport> plaid_core::HttpTransport for TaggingTransport<T> {
    async fn send(
        &self,
        mut request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, plaid_core::TransportError> {
        if let Ok(value) = http::HeaderValue::from_str(&self.tag) {
            request.headers_mut().insert("x-proxy-tag", value);
        }
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let started = std::time::Instant::now();
        let result = self.inner.send(request).await;
        let outcome = match &result {
            Ok(response) => response.status().as_u16().to_string(),
            Err(e) => e.to_string(),
        };
        let entry = format!("{method} {path} -> {outcome} in {:?}", started.elapsed());
        if let Ok(mut log) = self.log.lock() {
            log.push(entry);
        }
        result
    }
}

/// An app function of the kind `testing_with_mock` tests: the money
/// available across an item's accounts.
pub async fn total_available(client: &Client, access_token: &str) -> Result<f64, Error> {
    let accounts = client.accounts().get(access_token).await?;
    Ok(accounts
        .accounts
        .iter()
        .filter_map(|a| a.balances.available)
        .sum())
}

/// The repository README's Rust snippets, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
