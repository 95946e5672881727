//! Transactions: count/offset paging, readiness and sync.

use plaid_core::Client;
use std::collections::HashSet;

use super::{code, link, mock};

#[tokio::test]
async fn transactions_page_with_count_and_offset_and_each_appears_once() {
    let client = mock(1234).client();
    let (token, _) = link(&client).await;
    let start = time::macros::date!(2020 - 01 - 01);
    let end = time::macros::date!(2024 - 06 - 30);
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let page = client
            .transactions()
            .get(&token)
            .start_date(start)
            .end_date(end)
            .count(500)
            .offset(seen.len() as i64)
            .await
            .unwrap();
        assert!(page.transactions.len() <= 500);
        total = total.or(page.total_transactions);
        if page.transactions.is_empty() {
            break;
        }
        seen.extend(page.transactions.into_iter().map(|t| t.transaction_id));
    }
    assert_eq!(total, Some(1234));
    assert_eq!(seen.len(), 1234);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        1234,
        "a transaction came twice"
    );
    let too_many = client
        .transactions()
        .get(&token)
        .start_date(start)
        .end_date(end)
        .count(501)
        .await
        .unwrap_err();
    assert_eq!(code(&too_many), "INVALID_FIELD");
}

#[tokio::test]
async fn product_not_ready_when_the_test_asks_for_it() {
    let mock = mock(10);
    let client = mock.client();
    let (token, _) = link(&client).await;
    mock.set_transactions_ready(&token, false).unwrap();
    let day = time::macros::date!(2024 - 06 - 01);
    let err = client
        .transactions()
        .get(&token)
        .start_date(day)
        .end_date(day)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "PRODUCT_NOT_READY");
    mock.set_transactions_ready(&token, true).unwrap();
    assert!(client
        .transactions()
        .get(&token)
        .start_date(day)
        .end_date(day)
        .await
        .is_ok());
}

/// Runs `/transactions/sync` from `cursor` until `has_more` is false.
async fn sync_all(
    client: &Client,
    token: &str,
    cursor: &str,
) -> (Vec<String>, Vec<String>, Vec<String>, String) {
    let (mut added, mut modified, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    let mut cursor = cursor.to_owned();
    loop {
        let page = client
            .transactions()
            .sync(token)
            .cursor(cursor.clone())
            .count(100)
            .await
            .unwrap();
        added.extend(page.added.into_iter().map(|t| t.transaction_id));
        modified.extend(page.modified.into_iter().map(|t| t.transaction_id));
        removed.extend(page.removed.into_iter().map(|t| t.transaction_id));
        cursor = page.next_cursor;
        if page.has_more != Some(true) {
            return (added, modified, removed, cursor);
        }
    }
}

#[tokio::test]
async fn sync_after_mutations_returns_exactly_those_mutations() {
    let mock = mock(250);
    let client = mock.client();
    let (token, _) = link(&client).await;
    let (added, modified, removed, cursor) = sync_all(&client, &token, "").await;
    assert_eq!((added.len(), modified.len(), removed.len()), (250, 0, 0));

    let new_id = mock.add_transaction(&token, 12.34, "Corner Shop").unwrap();
    mock.modify_transaction(&token, &added[10], 99.0).unwrap();
    mock.remove_transaction(&token, &added[20]).unwrap();
    let (a, m, r, next) = sync_all(&client, &token, &cursor).await;
    assert_eq!(a, [new_id]);
    assert_eq!(m, [added[10].clone()]);
    assert_eq!(r, [added[20].clone()]);
    let (a, m, r, _) = sync_all(&client, &token, &next).await;
    assert!(
        a.is_empty() && m.is_empty() && r.is_empty(),
        "nothing changed since"
    );
}

#[tokio::test]
async fn a_mutation_during_pagination_is_reported() {
    let mock = mock(250);
    let client = mock.client();
    let (token, _) = link(&client).await;
    let first = client.transactions().sync(&token).count(100).await.unwrap();
    assert_eq!(first.has_more, Some(true));
    mock.add_transaction(&token, 1.0, "Mid-page").unwrap();
    let err = client
        .transactions()
        .sync(&token)
        .cursor(first.next_cursor)
        .count(100)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION");
    // Restarting from where the pagination began works.
    let (added, _, _, _) = sync_all(&client, &token, "").await;
    assert_eq!(added.len(), 251);
}
