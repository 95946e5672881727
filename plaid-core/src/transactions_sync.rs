//! Running `/transactions/sync` to the end, correctly.
//!
//! [`TransactionsSync`] pages from a stored cursor until `has_more` is false
//! and hands back everything that changed plus the cursor to store next. If
//! Plaid reports `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`, it drops the
//! pages it has and starts again from the cursor the pagination began with, a
//! bounded number of times. It never returns a cursor whose changes it did
//! not also return. Rate limits are retried by the client's retry policy.
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
//! # Ok(()) }
//! ```

use crate::models::{RemovedTransaction, Transaction};
use crate::{error_code, Client, Error};

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

/// A run of `/transactions/sync` from a cursor to the end.
#[derive(Debug, Clone)]
#[must_use = "nothing happens until `run` is awaited"]
pub struct TransactionsSync {
    client: Client,
    access_token: String,
    cursor: String,
    count: i64,
    max_restarts: u32,
}

impl TransactionsSync {
    /// Syncs the item behind `access_token` from the beginning.
    pub fn new(client: &Client, access_token: impl Into<String>) -> Self {
        Self {
            client: client.clone(),
            access_token: access_token.into(),
            cursor: String::new(),
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
        let mut restarts = 0;
        'pagination: loop {
            let mut changes = SyncChanges {
                restarts,
                ..SyncChanges::default()
            };
            let mut cursor = self.cursor.clone();
            loop {
                let page = self
                    .client
                    .transactions()
                    .sync(&self.access_token)
                    .cursor(cursor.clone())
                    .count(self.count)
                    .await;
                let page = match page {
                    Ok(page) => page,
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
                if page.has_more != Some(true) {
                    changes.next_cursor = cursor;
                    return Ok(changes);
                }
            }
        }
    }
}
