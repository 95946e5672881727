//! Pagination and the transactions sync helper against the in-process fake.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use plaid_core::models::CountryCode;
use plaid_core::transactions_sync::TransactionsSync;
use plaid_core::{Client, HttpTransport, RetryPolicy, TransportError};
use plaid_mock::{ErrorAnswer, MockPlaid};
use time::macros::{date, datetime};

fn mock(transactions: usize) -> MockPlaid {
    MockPlaid::builder()
        .seed(11)
        .transactions_per_item(transactions)
        .now(datetime!(2024-06-30 12:00 UTC))
        .build()
}

fn link(mock: &MockPlaid) -> String {
    mock.link_item("ins_109508", &["transactions"]).unwrap().0
}

const START: time::Date = date!(1990 - 01 - 01);
const END: time::Date = date!(2024 - 06 - 30);

#[tokio::test]
async fn ten_thousand_transactions_come_back_once_each_in_the_services_order() {
    let mock = mock(10_000);
    let client = mock.client();
    let token = link(&mock);
    let all = client
        .transactions()
        .get(&token)
        .start_date(START)
        .end_date(END)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 10_000);
    let ids: Vec<&str> = all.iter().map(|t| t.transaction_id.as_str()).collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        10_000,
        "duplicates"
    );
    // The service's order: what plain pages of 100 return, one after another.
    let mut expected = Vec::new();
    for offset in (0..10_000).step_by(100) {
        let page = client
            .transactions()
            .get(&token)
            .start_date(START)
            .end_date(END)
            .count(100)
            .offset(offset)
            .await
            .unwrap();
        expected.extend(page.transactions.into_iter().map(|t| t.transaction_id));
    }
    assert_eq!(ids, expected);
    let page_calls = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/transactions/get" && r.body["options"]["count"] == 500)
        .count();
    assert_eq!(page_calls, 20, "pages of 500, stopping at the total");
}

#[tokio::test]
async fn an_error_ends_the_stream_with_that_error() {
    let mock = mock(1_200);
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let token = link(&mock);
    let mut stream = client
        .transactions()
        .get(&token)
        .start_date(START)
        .end_date(END)
        .into_stream();
    for _ in 0..500 {
        stream.next().await.unwrap().unwrap();
    }
    mock.fail_next(
        "/transactions/get",
        1,
        ErrorAnswer::new(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", "injected"),
    );
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some("ITEM_LOGIN_REQUIRED"));
    assert!(stream.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn institutions_paginate_too() {
    let client = mock(1).client();
    let all = client
        .institutions()
        .get(vec![CountryCode::Us])
        .count(1)
        .offset(0)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
}

/// A transport of the test's own: after the `n`th `/transactions/sync`
/// call, it adds a transaction to the fake, as if the bank posted one
/// mid-pagination. Not a `plaid_core::test_util` double: it changes the
/// fake's state between answers, which only this test needs.
#[derive(Debug)]
struct MutateDuringSync {
    mock: MockPlaid,
    token: String,
    mutate_after: Vec<usize>,
    calls: AtomicUsize,
}

#[async_trait::async_trait]
impl HttpTransport for MutateDuringSync {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let is_sync = request.uri().path() == "/transactions/sync";
        let response = self.mock.handle(request).await;
        if is_sync {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if self.mutate_after.contains(&n) {
                self.mock
                    .add_transaction(&self.token, 3.5, "Posted mid-sync")
                    .unwrap();
            }
        }
        Ok(response)
    }
}

fn mutating_client(
    mock: &MockPlaid,
    token: &str,
    mutate_after: Vec<usize>,
) -> (Client, Arc<MutateDuringSync>) {
    let transport = Arc::new(MutateDuringSync {
        mock: mock.clone(),
        token: token.to_owned(),
        mutate_after,
        calls: AtomicUsize::new(0),
    });
    let client = Client::builder()
        .credentials(mock.client_id(), mock.secret())
        .shared_transport(transport.clone())
        .build()
        .unwrap();
    (client, transport)
}

#[tokio::test]
async fn sync_restarts_after_a_mutation_and_ends_consistent() {
    let mock = mock(1_200);
    let token = link(&mock);
    let (client, _) = mutating_client(&mock, &token, vec![1]);
    let changes = TransactionsSync::new(&client, &token).run().await.unwrap();
    assert_eq!(changes.restarts, 1);
    let ids: HashSet<&str> = changes
        .added
        .iter()
        .map(|t| t.transaction_id.as_str())
        .collect();
    assert_eq!(
        changes.added.len(),
        1_201,
        "the history plus the one posted mid-sync"
    );
    assert_eq!(ids.len(), 1_201, "no transaction twice");
    // The cursor handed back covers exactly what was returned: nothing is left.
    let again = TransactionsSync::new(&mock.client(), &token)
        .cursor(changes.next_cursor)
        .run()
        .await
        .unwrap();
    assert!(again.added.is_empty() && again.modified.is_empty() && again.removed.is_empty());
}

#[tokio::test]
async fn sync_gives_up_after_the_restart_budget() {
    let mock = mock(1_200);
    let token = link(&mock);
    let (client, transport) = mutating_client(&mock, &token, (1..100).collect());
    let err = TransactionsSync::new(&client, &token)
        .max_restarts(2)
        .run()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION")
    );
    // Three paginations (the first and two restarts), each failing on its second page.
    assert_eq!(transport.calls.load(Ordering::SeqCst), 6);
}
