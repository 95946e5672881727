//! Running `/transactions/sync` (or `/processor/transactions/sync`) to the
//! end, correctly.
//!
//! [`TransactionsSync`] pages from a stored cursor until `has_more` is false
//! and hands back everything that changed plus the cursor to store next. If
//! Plaid reports `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`, it drops the
//! pages it has and starts again from the cursor the pagination began with, a
//! bounded number of times. It never returns a cursor whose changes it did
//! not also return. Rate limits are retried by the client's retry policy.
//!
//! The builders of both operations hand over to it with `into_sync()`, keeping
//! the options set on them:
//!
//! ```no_run
//! # async fn run(client: plaid_core::Client, stored: String) -> Result<(), plaid_core::Error> {
//! use plaid_core::transactions_sync::TransactionsSync;
//!
//! let changes = TransactionsSync::new(&client, "access-sandbox-…")
//!     .cursor(stored)
//!     .run()
//!     .await?;
//! // Apply changes.added / .modified / .removed, then store changes.next_cursor.
//!
//! let changes = client
//!     .transactions()
//!     .sync("access-sandbox-…")
//!     .include_original_description(true)
//!     .into_sync()
//!     .cursor(changes.next_cursor)
//!     .run()
//!     .await?;
//! # let _ = changes;
//! # Ok(()) }
//! ```

use crate::call_options::CallOptions;
use crate::models::{RemovedTransaction, Transaction};
use crate::request::{CustomizedCall, IntoCall};
use crate::{error_code, Call, Client, Error, PlaidRequest};

/// How many times a pagination is restarted after a mutation by default.
pub const DEFAULT_MAX_RESTARTS: u32 = 3;

/// What changed since the cursor, and the cursor to store next.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct SyncChanges {
    /// Transactions new since the cursor.
    pub added: Vec<Transaction>,
    /// Transactions changed since the cursor.
    pub modified: Vec<Transaction>,
    /// Transactions removed since the cursor.
    pub removed: Vec<RemovedTransaction>,
    /// The cursor to start from next time.
    pub next_cursor: String,
    /// How many times the pagination started over.
    pub restarts: u32,
}

/// One page of a sync answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncPage {
    /// Transactions new since the cursor.
    pub added: Vec<Transaction>,
    /// Transactions changed since the cursor.
    pub modified: Vec<Transaction>,
    /// Transactions removed since the cursor.
    pub removed: Vec<RemovedTransaction>,
    /// The cursor after this page.
    pub next_cursor: String,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// A sync operation: `/transactions/sync` or `/processor/transactions/sync`.
pub trait SyncRequest: PlaidRequest + Clone + 'static {
    /// The cursor the request starts from (empty: the beginning).
    fn cursor(&self) -> String;
    /// Sets the cursor and page size of the next page.
    fn set_page(&mut self, cursor: String, count: i64);
    /// Reads a page out of an answer.
    fn page(response: Self::Response) -> SyncPage;
}

macro_rules! sync_request {
    ($feature:literal, $request:ident) => {
        #[cfg(feature = $feature)]
        impl SyncRequest for crate::models::$request {
            fn cursor(&self) -> String {
                self.cursor.clone().unwrap_or_default()
            }

            fn set_page(&mut self, cursor: String, count: i64) {
                self.cursor = Some(cursor);
                self.count = Some(count);
            }

            fn page(response: Self::Response) -> SyncPage {
                SyncPage {
                    added: response.added,
                    modified: response.modified,
                    removed: response.removed,
                    next_cursor: response.next_cursor,
                    has_more: response.has_more == Some(true),
                }
            }
        }
    };
}

sync_request!("transactions", TransactionsSyncRequest);
sync_request!("processor", ProcessorTransactionsSyncRequest);

/// A run of a sync operation from a cursor to the end.
#[derive(Debug)]
#[must_use = "nothing happens until `run` is awaited"]
pub struct TransactionsSync<R: SyncRequest> {
    call: Result<(Client, R, CallOptions), Error>,
    cursor: String,
    count: i64,
    max_restarts: u32,
}

#[cfg(feature = "transactions")]
impl TransactionsSync<crate::models::TransactionsSyncRequest> {
    /// Syncs the item behind `access_token` from the beginning, with
    /// `/transactions/sync`.
    pub fn new(client: &Client, access_token: impl Into<String>) -> Self {
        Self::from_call(Call::new(
            client,
            crate::models::TransactionsSyncRequest::new(access_token),
        ))
    }
}

#[cfg(feature = "processor")]
impl TransactionsSync<crate::models::ProcessorTransactionsSyncRequest> {
    /// Syncs the account behind `processor_token` from the beginning, with
    /// `/processor/transactions/sync`.
    pub fn processor(client: &Client, processor_token: impl Into<String>) -> Self {
        Self::from_call(Call::new(
            client,
            crate::models::ProcessorTransactionsSyncRequest::new(processor_token),
        ))
    }
}

impl<R: SyncRequest> TransactionsSync<R> {
    /// Runs `call`'s request (its options, headers, timeout and retry policy
    /// kept) from its cursor to the end.
    pub fn from_call(call: Call<R>) -> Self {
        Self::from_result(Ok(call))
    }

    /// As [`from_call`](Self::from_call); an `Err` (a builder with a
    /// required field unset) is returned by [`run`](Self::run) before
    /// anything is sent.
    fn from_result(call: Result<Call<R>, Error>) -> Self {
        let call = call.map(Call::into_parts);
        let cursor = call
            .as_ref()
            .map(|(_, request, _)| request.cursor())
            .unwrap_or_default();
        Self {
            call,
            cursor,
            count: 500,
            max_restarts: DEFAULT_MAX_RESTARTS,
        }
    }

    /// Starts from a stored cursor (empty: from the beginning).
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = cursor.into();
        self
    }

    /// Page size, 1 to 500 (default 500).
    pub fn count(mut self, count: i64) -> Self {
        self.count = count;
        self
    }

    /// How many times to start over after a mutation during pagination
    /// (default [`DEFAULT_MAX_RESTARTS`]); after that the error is returned.
    pub fn max_restarts(mut self, restarts: u32) -> Self {
        self.max_restarts = restarts;
        self
    }

    /// Pages until `has_more` is false.
    pub async fn run(self) -> Result<SyncChanges, Error> {
        let (client, template, options) = self.call?;
        let mut restarts = 0;
        'pagination: loop {
            let mut changes = SyncChanges {
                restarts,
                ..SyncChanges::default()
            };
            let mut cursor = self.cursor.clone();
            loop {
                let mut request = template.clone();
                request.set_page(cursor.clone(), self.count);
                let page = match client.send_with_options(&request, &options).await {
                    Ok(page) => R::page(page),
                    Err(e)
                        if e.code()
                            == Some(error_code::TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION)
                            && restarts < self.max_restarts =>
                    {
                        restarts += 1;
                        tracing::debug!(
                            restarts,
                            "transactions changed during sync; starting over"
                        );
                        continue 'pagination;
                    }
                    Err(e) => return Err(e),
                };
                changes.added.extend(page.added);
                changes.modified.extend(page.modified);
                changes.removed.extend(page.removed);
                cursor = page.next_cursor;
                if !page.has_more {
                    changes.next_cursor = cursor;
                    return Ok(changes);
                }
            }
        }
    }
}

impl<B> CustomizedCall<B>
where
    B: IntoCall,
    B::Request: SyncRequest,
{
    /// Runs the sync from the request's cursor to the end, every page with
    /// this call's options; see [`TransactionsSync`].
    pub fn into_sync(self) -> TransactionsSync<B::Request> {
        TransactionsSync::from_result(self.into_paging_call())
    }
}
