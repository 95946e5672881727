//! Beacon users: made, read, updated and reviewed, their versions, and the
//! risk attributes of the accounts behind their items.

use super::*;

pub(super) fn create_user(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let data = body.get("user").and_then(Value::as_object);
    let sent_accounts = request_accounts(data);
    let has_birth_date = data.is_some_and(|d| !text(d, "date_of_birth").is_empty());
    if !has_birth_date && sent_accounts.is_empty() {
        return Err(errors::invalid_field(
            "user must have a date_of_birth or depository_accounts besides the name",
        ));
    }
    let item_ids = item_ids(state, body)?;
    let now = timestamp(state.now());
    let mut user = user_data(&Value::Null, data.unwrap_or(&Map::new()));
    user["depository_accounts"] = Value::Array(
        sent_accounts
            .iter()
            .map(|(routing, number)| account_json(routing, number, &now))
            .collect(),
    );
    let id = short_id(state, "becusr_");
    let made = json!({
        "id": id, "version": 1, "created_at": now, "updated_at": now,
        "status": "cleared", "program_id": text(body, "program_id"),
        "client_user_id": text(body, "client_user_id"), "user": user,
        "audit_trail": audit_trail(&now), "item_ids": item_ids,
    });
    beacon(state).users.push(BeaconUser {
        versions: vec![made],
        accounts: sent_accounts,
    });
    screen(state, &id);
    find_user(state, &id).map(|u| u.current().clone())
}

pub(super) fn get_user(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    find_user(state, text(body, "beacon_user_id")).map(|u| u.current().clone())
}

pub(super) fn update_user(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "beacon_user_id").to_owned();
    let stored = find_user(state, &id)?.clone();
    let added_items = item_ids(state, body)?;
    let data = body.get("user").and_then(Value::as_object);
    let now = timestamp(state.now());
    let mut next = stored.current().clone();
    let mut user = user_data(&next["user"], data.unwrap_or(&Map::new()));
    let mut accounts = stored.accounts.clone();
    let mut shown = next["user"]["depository_accounts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for account in request_accounts(data) {
        if !accounts.contains(&account) {
            shown.push(account_json(&account.0, &account.1, &now));
            accounts.push(account);
        }
    }
    user["depository_accounts"] = Value::Array(shown);
    next["user"] = user;
    let mut items: Vec<Value> = next["item_ids"].as_array().cloned().unwrap_or_default();
    for item in added_items {
        if !items.contains(&item) {
            items.push(item);
        }
    }
    next["item_ids"] = Value::Array(items);
    let stored = user_mut(state, &id)?;
    stored.accounts = accounts;
    push_version(stored, next, &now);
    screen(state, &id);
    find_user(state, &id).map(|u| u.current().clone())
}

pub(super) fn review_user(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "beacon_user_id").to_owned();
    let status = text(body, "status");
    let current = find_user(state, &id)?.current().clone();
    if current["status"] == status {
        return Ok(current);
    }
    let reported = beacon_ref(state)
        .reports
        .iter()
        .any(|r| r["beacon_user_id"] == id.as_str());
    match status {
        "rejected" if !reported => {
            return Err(errors::invalid_field(format!(
                "beacon user {id:?} cannot be rejected: it has no Beacon Report and no confirmed Report Syndication"
            )))
        }
        "cleared" if reported => {
            return Err(errors::invalid_field(format!(
                "beacon user {id:?} cannot be cleared while it has an active Beacon Report"
            )))
        }
        _ => {}
    }
    set_status(state, &id, status)?;
    find_user(state, &id).map(|u| u.current().clone())
}

pub(super) fn list_history(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let user = find_user(state, text(body, "beacon_user_id"))?;
    let newest_first: Vec<Value> = user.versions.iter().rev().cloned().collect();
    let (versions, next) = page(newest_first, body)?;
    Ok(json!({ "beacon_users": versions, "next_cursor": next }))
}

pub(super) fn account_insights(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let user = find_user(state, text(body, "beacon_user_id"))?
        .current()
        .clone();
    let token = text(body, "access_token");
    let item_id = state.item_id_for(token)?;
    if !user["item_ids"]
        .as_array()
        .is_some_and(|items| items.contains(&json!(item_id)))
    {
        return Err(errors::invalid_field(format!(
            "the access_token's item is not linked to beacon user {:?}; link it with access_tokens on /beacon/user/create or /beacon/user/update",
            user["id"].as_str().unwrap_or_default()
        )));
    }
    let accounts = account_attributes(state, token, None)?;
    Ok(json!({
        "beacon_user_id": user["id"], "created_at": user["created_at"],
        "updated_at": user["updated_at"],
        "bank_account_insights": { "item_id": item_id, "accounts": accounts },
    }))
}

pub(super) fn evaluate_account_risk(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let token = text(body, "access_token");
    if token.is_empty() {
        return Err(errors::missing_fields(&["access_token"]));
    }
    let wanted: Option<Vec<&str>> = body
        .get("options")
        .and_then(|o| o.get("account_ids"))
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let accounts = account_attributes(state, token, wanted.as_deref())?;
    Ok(json!({ "accounts": accounts }))
}

/// Risk attributes of the accounts of the item behind `token` (only those
/// of `wanted`, when given): connections count the items of this client at
/// the same institution holding an account with the same mask; what the
/// fake cannot see (IP addresses, user agents, account opening) is `null`.
fn account_attributes(
    state: &State,
    token: &str,
    wanted: Option<&[&str]>,
) -> Result<Vec<Value>, ErrorAnswer> {
    let item_id = state.item_id_for(token)?;
    let item = state
        .items
        .get(&item_id)
        .ok_or_else(errors::invalid_access_token)?;
    if item.login_required {
        return Err(errors::item_login_required());
    }
    if let Some(wanted) = wanted {
        if wanted
            .iter()
            .any(|id| !item.accounts.iter().any(|a| a.account_id == *id))
        {
            return Err(invalid_account_id());
        }
    }
    let now = state.now();
    let days = |at: OffsetDateTime| (now - at).whole_days().max(0);
    let accounts = item
        .accounts
        .iter()
        .filter(|a| wanted.is_none_or(|w| w.contains(&a.account_id.as_str())))
        .map(|account| {
            let linked: Vec<OffsetDateTime> = state
                .items
                .values()
                .filter(|other| other.institution_id == item.institution_id)
                .filter(|other| other.accounts.iter().any(|a| a.mask == account.mask))
                .map(|other| other.created_at.unwrap_or(now))
                .collect();
            let within = |d: i64| linked.iter().filter(|at| days(**at) < d).count();
            let first = linked.iter().min().copied().unwrap_or(now);
            let oldest_transaction = item
                .transactions
                .iter()
                .filter(|t| t.account_id == account.account_id)
                .map(|t| t.date)
                .min()
                .map(|date| (now.date() - date).whole_days().max(0));
            json!({
                "account_id": account.account_id, "type": account.kind,
                "subtype": account.subtype,
                "attributes": {
                    "days_since_first_plaid_connection": days(first),
                    "is_account_closed": false,
                    "is_account_frozen_or_restricted": false,
                    "total_plaid_connections_count": linked.len(),
                    "plaid_connections_count_7d": within(7),
                    "plaid_connections_count_30d": within(30),
                    "failed_plaid_non_oauth_authentication_attempts_count_3d": 0,
                    "plaid_non_oauth_authentication_attempts_count_3d": within(3),
                    "failed_plaid_non_oauth_authentication_attempts_count_7d": 0,
                    "plaid_non_oauth_authentication_attempts_count_7d": within(7),
                    "failed_plaid_non_oauth_authentication_attempts_count_30d": 0,
                    "plaid_non_oauth_authentication_attempts_count_30d": within(30),
                    "distinct_ip_addresses_count_3d": null,
                    "distinct_ip_addresses_count_7d": null,
                    "distinct_ip_addresses_count_30d": null,
                    "distinct_ip_addresses_count_90d": null,
                    "distinct_user_agents_count_3d": null,
                    "distinct_user_agents_count_7d": null,
                    "distinct_user_agents_count_30d": null,
                    "distinct_user_agents_count_90d": null,
                    "address_change_count_28d": 0,
                    "email_change_count_28d": 0,
                    "phone_change_count_28d": 0,
                    "address_change_count_90d": 0,
                    "email_change_count_90d": 0,
                    "phone_change_count_90d": 0,
                    "days_since_account_opening": null,
                    "days_since_first_observed_transaction": oldest_transaction,
                },
            })
        })
        .collect();
    Ok(accounts)
}
