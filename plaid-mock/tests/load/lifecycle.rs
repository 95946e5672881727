//! One client's item lifecycles, each answer checked.

use plaid_core::models::Products;
use plaid_core::Client;
use std::collections::HashSet;

use super::*;

/// An item kept alive until the end, to check no state was lost.
pub(crate) struct Kept {
    pub(crate) access_token: String,
    pub(crate) item_id: String,
    pub(crate) account_ids: Vec<String>,
}

/// What one client did.
#[derive(Default)]
pub(crate) struct ClientReport {
    pub(crate) access_tokens: Vec<String>,
    pub(crate) item_ids: Vec<String>,
    /// Errors the checks expect (a removed item's token refused).
    pub(crate) expected_errors: usize,
    pub(crate) kept: Option<Kept>,
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The account ids of an answer, checked to be distinct and non-empty.
pub(crate) fn account_ids(
    accounts: &[plaid_core::models::AccountBase],
) -> Result<Vec<String>, String> {
    let ids: Vec<String> = accounts.iter().map(|a| a.account_id.clone()).collect();
    let distinct: HashSet<&String> = ids.iter().collect();
    ensure!(
        !ids.is_empty() && distinct.len() == ids.len(),
        "account ids {ids:?}"
    );
    Ok(ids)
}

/// One lifecycle: create → exchange → auth (even `n`) or transactions (odd
/// `n`), whose answers carry the item and its accounts too → remove → the
/// removed token is refused. With `keep`, the item is left linked (and
/// checked at the end instead).
pub(crate) async fn lifecycle(
    client: &Client,
    n: usize,
    keep: bool,
    report: &mut ClientReport,
) -> Result<(), String> {
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions, Products::Auth])
        .await
        .map_err(|e| format!("create: {e}"))?;
    ensure!(
        created.public_token.starts_with("public-sandbox-") && created.public_token.len() > 20,
        "public token {:?}",
        created.public_token
    );
    ensure!(
        created.request_id.starts_with("mock-"),
        "request id {}",
        created.request_id
    );

    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .map_err(|e| format!("exchange: {e}"))?;
    let token = exchanged.access_token;
    let item_id = exchanged.item_id;
    ensure!(
        token.starts_with("access-sandbox-") && token.len() > 20,
        "access token {token:?}"
    );
    ensure!(!item_id.is_empty(), "empty item id");

    let account_ids = if n.is_multiple_of(2) {
        let auth = client
            .auth()
            .get(&token)
            .await
            .map_err(|e| format!("auth: {e}"))?;
        ensure!(
            auth.item.item_id == item_id,
            "auth answered for item {} instead of {item_id}",
            auth.item.item_id
        );
        let ids = account_ids(&auth.accounts)?;
        ensure!(!auth.numbers.ach.is_empty(), "no ACH numbers");
        for ach in &auth.numbers.ach {
            ensure!(
                ids.contains(&ach.account_id),
                "ACH numbers for a foreign account {}",
                ach.account_id
            );
            ensure!(
                !ach.account.is_empty() && !ach.routing.is_empty(),
                "empty account/routing number"
            );
        }
        ids
    } else {
        let end = time::OffsetDateTime::now_utc().date();
        let transactions = client
            .transactions()
            .get(&token)
            .start_date(end - time::Duration::days(90))
            .end_date(end)
            .count(100)
            .await
            .map_err(|e| format!("transactions: {e}"))?;
        ensure!(
            transactions.item.item_id == item_id,
            "transactions answered for item {} instead of {item_id}",
            transactions.item.item_id
        );
        let ids = account_ids(&transactions.accounts)?;
        ensure!(
            transactions.transactions.len() == TRANSACTIONS_PER_ITEM
                && transactions.total_transactions == Some(TRANSACTIONS_PER_ITEM as i64),
            "{} transactions (total {:?})",
            transactions.transactions.len(),
            transactions.total_transactions
        );
        for t in &transactions.transactions {
            ensure!(
                ids.contains(&t.account_id),
                "transaction on a foreign account"
            );
        }
        ids
    };

    report.access_tokens.push(token.clone());
    report.item_ids.push(item_id.clone());
    if keep {
        report.kept = Some(Kept {
            access_token: token,
            item_id,
            account_ids,
        });
        return Ok(());
    }

    let removed = client
        .item()
        .remove(&token)
        .await
        .map_err(|e| format!("remove: {e}"))?;
    ensure!(!removed.request_id.is_empty(), "remove without request id");
    match client.accounts().get(&token).await {
        Ok(_) => return Err("a removed item's token still works".into()),
        Err(e)
            if e.code() == Some("ITEM_NOT_FOUND")
                && e.status().map(|s| s.as_u16()) == Some(400) =>
        {
            report.expected_errors += 1;
        }
        Err(e) => return Err(format!("removed token: unexpected error {e}")),
    }
    Ok(())
}

pub(crate) async fn run_client(client: Client, c: usize) -> Result<ClientReport, String> {
    let mut report = ClientReport::default();
    for n in 0..LIFECYCLES {
        // Each client keeps its first item until the end.
        lifecycle(&client, n, n == 0, &mut report)
            .await
            .map_err(|e| format!("client {c}, lifecycle {n}: {e}"))?;
    }
    Ok(report)
}
