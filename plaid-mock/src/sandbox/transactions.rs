//! An item's transactions: `/transactions/get` pages, `/transactions/sync`
//! cursors and `/transactions/refresh`, and the test controls that add,
//! change and remove transactions.

use serde_json::{json, Map, Value};

use super::{accounts_json, field, item_json, parse_date, Change, State};
use crate::kernel::errors::{self, ErrorAnswer};
use crate::sandbox::data::Transaction;

/// The sandbox test user whose items take `/sandbox/transactions/create`.
const DYNAMIC_USER: &str = "user_transactions_dynamic";

/// How many transactions one `/sandbox/transactions/create` may add.
const MAX_CREATED: usize = 10;

/// How many days back a created transaction may be dated.
const MAX_AGE_DAYS: i64 = 14;

impl State {
    pub(super) fn transactions_get(
        &mut self,
        token: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let item = self.healthy_item(token)?;
        if !item.transactions_ready {
            return Err(errors::product_not_ready());
        }
        let start = parse_date(body, "start_date")?;
        let end = parse_date(body, "end_date")?;
        if start > end {
            return Err(errors::invalid_field(
                "start_date must not be after end_date",
            ));
        }
        let options = body.get("options").and_then(Value::as_object);
        let number = |name: &str, default: i64| {
            options
                .and_then(|o| o.get(name))
                .and_then(Value::as_i64)
                .unwrap_or(default)
        };
        let (count, offset) = (number("count", 100), number("offset", 0));
        if !(1..=500).contains(&count) {
            return Err(errors::invalid_field(
                "options.count must be between 1 and 500",
            ));
        }
        if offset < 0 {
            return Err(errors::invalid_field("options.offset must be at least 0"));
        }
        let account_ids: Option<Vec<&str>> = options
            .and_then(|o| o.get("account_ids"))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect());
        let matching: Vec<&Transaction> = item
            .transactions
            .iter()
            .filter(|t| t.date >= start && t.date <= end)
            .filter(|t| {
                account_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&t.account_id.as_str()))
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(offset as usize)
            .take(count as usize)
            .map(|t| t.to_json())
            .collect();
        Ok(
            json!({"accounts": accounts_json(item), "transactions": page,
                  "total_transactions": matching.len(), "item": item_json(item)}),
        )
    }

    pub(super) fn transactions_sync(
        &mut self,
        token: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let item = self.healthy_item(token)?;
        if !item.transactions_ready {
            return Err(errors::product_not_ready());
        }
        let count = body.get("count").and_then(Value::as_i64).unwrap_or(100);
        if !(1..=500).contains(&count) {
            return Err(errors::invalid_field("count must be between 1 and 500"));
        }
        let cursor = field(body, "cursor");
        let position = if cursor.is_empty() {
            0
        } else {
            cursor
                .strip_prefix("cursor-")
                .and_then(|c| c.parse::<usize>().ok())
                .filter(|p| *p <= item.changes.len())
                .ok_or_else(|| {
                    errors::invalid_field("cursor is not a cursor this item handed out")
                })?
        };
        if let Some(&began_at) = item.paginations.get(&position) {
            if item.changes.len() != began_at {
                return Err(ErrorAnswer::new(
                    400,
                    "TRANSACTIONS_ERROR",
                    "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
                    "underlying transaction data changed since the last page was fetched; restart pagination from the first cursor",
                ));
            }
        }
        let end = (position + count as usize).min(item.changes.len());
        let has_more = end < item.changes.len();
        let find = |id: &str| item.transactions.iter().find(|t| t.transaction_id == id);
        let (mut added, mut modified, mut removed) = (Vec::new(), Vec::new(), Vec::new());
        for change in &item.changes[position..end] {
            match change {
                Change::Added(id) => added.extend(find(id).map(Transaction::to_json)),
                Change::Modified(id) => modified.extend(find(id).map(Transaction::to_json)),
                Change::Removed(id, account_id) => {
                    removed.push(json!({"transaction_id": id, "account_id": account_id}))
                }
            }
        }
        if has_more {
            let began_at = item
                .paginations
                .get(&position)
                .copied()
                .unwrap_or(item.changes.len());
            item.paginations.insert(end, began_at);
        }
        Ok(
            json!({"added": added, "modified": modified, "removed": removed,
                  "next_cursor": format!("cursor-{end}"), "has_more": has_more,
                  "accounts": accounts_json(item),
                  "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE"}),
        )
    }

    pub(super) fn refresh(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let item = self.healthy_item(token)?;
        item.transactions_updated = Some(now);
        let item_id = item.item_id.clone();
        self.sync_updates_available(&item_id);
        Ok(json!({}))
    }

    /// `/sandbox/transactions/create`: adds up to ten transactions, posted
    /// today or in the 14 days before, to an item of the
    /// `user_transactions_dynamic` test user (the only user Plaid allows
    /// it for). They go to the item's first account, are seen by
    /// `/transactions/get` and `/transactions/sync` at once, and
    /// `SYNC_UPDATES_AVAILABLE` tells the item's webhook.
    pub(super) fn create_transactions(
        &mut self,
        token: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let today = self.now().date();
        let sent = body
            .get("transactions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let item = self.healthy_item(token)?;
        if item.username.as_deref() != Some(DYNAMIC_USER) {
            return Err(errors::invalid_field(format!(
                "access_token: /sandbox/transactions/create works only for items linked with the {DYNAMIC_USER} test user"
            )));
        }
        if sent.is_empty() || sent.len() > MAX_CREATED {
            return Err(errors::invalid_field(format!(
                "transactions must hold 1 to {MAX_CREATED} transactions, got {}",
                sent.len()
            )));
        }
        let mut made = Vec::with_capacity(sent.len());
        for (i, t) in sent.iter().enumerate() {
            let fields = t.as_object().cloned().unwrap_or_default();
            for name in ["date_transacted", "date_posted"] {
                let date = parse_date(&fields, name).map_err(|_| {
                    errors::invalid_field(format!(
                        "transactions[{i}].{name} must be a YYYY-MM-DD date"
                    ))
                })?;
                if date > today || date < today - time::Duration::days(MAX_AGE_DAYS) {
                    return Err(errors::invalid_field(format!(
                        "transactions[{i}].{name} must be today or up to {MAX_AGE_DAYS} days before"
                    )));
                }
            }
            let posted = parse_date(&fields, "date_posted")?;
            let amount = fields.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
            made.push((posted, amount, field(&fields, "description").to_owned()));
        }
        let account_id = item
            .accounts
            .first()
            .map(|a| a.account_id.clone())
            .unwrap_or_default();
        let item_id = item.item_id.clone();
        for (date, amount, name) in made {
            let id = self.rng.id();
            let Some(item) = self.items.get_mut(&item_id) else {
                break;
            };
            // Newest first, as the item keeps them.
            let at = item
                .transactions
                .iter()
                .position(|t| t.date <= date)
                .unwrap_or(item.transactions.len());
            item.transactions.insert(
                at,
                Transaction {
                    transaction_id: id.clone(),
                    account_id: account_id.clone(),
                    amount,
                    date,
                    name,
                    merchant_name: None,
                    pending: false,
                },
            );
            item.changes.push(Change::Added(id));
        }
        self.sync_updates_available(&item_id);
        Ok(json!({}))
    }

    /// Tells the item's webhook that `/transactions/sync` has new updates.
    fn sync_updates_available(&mut self, item_id: &str) {
        self.webhook(
            item_id,
            json!({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE",
                   "item_id": item_id, "initial_update_complete": true,
                   "historical_update_complete": true, "environment": "sandbox"}),
        );
    }

    /// Adds a transaction dated today to the item's first account that has
    /// transactions; returns its id.
    pub fn add_transaction(
        &mut self,
        token: &str,
        amount: f64,
        name: &str,
    ) -> Result<String, ErrorAnswer> {
        let today = self.now().date();
        let id = self.rng.id();
        let item = self.item_mut(token)?;
        let account_id = item
            .accounts
            .first()
            .map(|a| a.account_id.clone())
            .unwrap_or_default();
        item.transactions.insert(
            0,
            Transaction {
                transaction_id: id.clone(),
                account_id,
                amount,
                date: today,
                name: name.to_owned(),
                merchant_name: None,
                pending: false,
            },
        );
        item.changes.push(Change::Added(id.clone()));
        Ok(id)
    }

    /// Changes a transaction's amount.
    pub fn modify_transaction(
        &mut self,
        token: &str,
        id: &str,
        amount: f64,
    ) -> Result<(), ErrorAnswer> {
        let item = self.item_mut(token)?;
        let transaction = item
            .transactions
            .iter_mut()
            .find(|t| t.transaction_id == id)
            .ok_or_else(|| errors::invalid_field(format!("no transaction {id}")))?;
        transaction.amount = amount;
        item.changes.push(Change::Modified(id.to_owned()));
        Ok(())
    }

    /// Removes a transaction.
    pub fn remove_transaction(&mut self, token: &str, id: &str) -> Result<(), ErrorAnswer> {
        let item = self.item_mut(token)?;
        let position = item
            .transactions
            .iter()
            .position(|t| t.transaction_id == id)
            .ok_or_else(|| errors::invalid_field(format!("no transaction {id}")))?;
        let removed = item.transactions.remove(position);
        item.changes
            .push(Change::Removed(removed.transaction_id, removed.account_id));
        Ok(())
    }

    /// Makes transaction calls answer `PRODUCT_NOT_READY` (or stop doing so).
    pub fn set_transactions_ready(&mut self, token: &str, ready: bool) -> Result<(), ErrorAnswer> {
        self.item_mut(token)?.transactions_ready = ready;
        Ok(())
    }
}
