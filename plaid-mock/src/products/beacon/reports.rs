//! Beacon reports, the syndications and duplicates screening finds, and
//! the screening itself.

use super::*;

pub(super) fn create_report(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let user_id = text(body, "beacon_user_id").to_owned();
    find_user(state, &user_id)?;
    if beacon_ref(state)
        .reports
        .iter()
        .any(|r| r["beacon_user_id"] == user_id.as_str())
    {
        return Err(errors::invalid_field(format!(
            "beacon user {user_id:?} already has an active Beacon Report; a user has one at a time"
        )));
    }
    let now = state.now();
    let stamp = timestamp(now);
    let id = short_id(state, "becrpt_");
    let report = json!({
        "id": id, "beacon_user_id": user_id, "created_at": stamp,
        "type": text(body, "type"), "fraud_date": sent(body, "fraud_date"),
        "event_date": iso_date(now), "fraud_amount": sent(body, "fraud_amount"),
        "audit_trail": audit_trail(&stamp),
    });
    beacon(state).reports.push(report.clone());
    hook(state, "REPORT_CREATED", "beacon_report_id", &id);
    let others: Vec<String> = beacon_ref(state)
        .users
        .iter()
        .map(|u| u.current()["id"].as_str().unwrap_or_default().to_owned())
        .filter(|other| *other != user_id)
        .collect();
    for other in others {
        if shares_identity(state, &other, &user_id) {
            syndicate(state, &report, &other);
        }
    }
    Ok(report)
}

pub(super) fn get_report(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "beacon_report_id");
    beacon_ref(state)
        .reports
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .ok_or_else(|| unknown_id("beacon_report_id", id))
}

pub(super) fn list_reports(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let user_id = text(body, "beacon_user_id");
    find_user(state, user_id)?;
    let reports = of_user(&beacon_ref(state).reports, user_id);
    let (reports, next) = page(reports, body)?;
    Ok(json!({ "beacon_reports": reports, "next_cursor": next }))
}

pub(super) fn get_syndication(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "beacon_report_syndication_id");
    beacon_ref(state)
        .syndications
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .ok_or_else(|| unknown_id("beacon_report_syndication_id", id))
}

pub(super) fn list_syndications(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let user_id = text(body, "beacon_user_id");
    find_user(state, user_id)?;
    let syndications = of_user(&beacon_ref(state).syndications, user_id);
    let (syndications, next) = page(syndications, body)?;
    Ok(json!({ "beacon_report_syndications": syndications, "next_cursor": next }))
}

pub(super) fn get_duplicate(
    state: &mut State,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let id = text(body, "beacon_duplicate_id");
    beacon_ref(state)
        .duplicates
        .iter()
        .find(|d| d["id"] == id)
        .cloned()
        .ok_or_else(|| unknown_id("beacon_duplicate_id", id))
}

/// Screens user `id`'s current version: against the other users of its
/// program (duplicates) and the reports this client made (syndications).
/// Only new findings move the status.
pub(super) fn screen(state: &mut State, id: &str) {
    let Ok(user) = find_user(state, id).map(|u| u.current().clone()) else {
        return;
    };
    let others: Vec<Value> = beacon_ref(state)
        .users
        .iter()
        .map(|u| u.current().clone())
        .filter(|other| other["id"] != id)
        .collect();
    let mut status = user["status"].as_str().unwrap_or("cleared").to_owned();
    for other in others
        .iter()
        .filter(|o| o["program_id"] == user["program_id"])
    {
        let other_id = other["id"].as_str().unwrap_or_default();
        let known = beacon_ref(state).duplicates.iter().any(|d| {
            let pair = [&d["beacon_user1"]["id"], &d["beacon_user2"]["id"]];
            pair.contains(&&json!(id)) && pair.contains(&&json!(other_id))
        });
        if !known && shares_identity(state, other_id, id) {
            let dup_id = short_id(state, "becdup_");
            let analysis = analysis(&other["user"], &user["user"]);
            beacon(state).duplicates.push(json!({
                "id": dup_id,
                "beacon_user1": { "id": other_id, "version": other["version"] },
                "beacon_user2": { "id": id, "version": user["version"] },
                "analysis": analysis,
            }));
            hook(state, "DUPLICATE_DETECTED", "beacon_duplicate_id", &dup_id);
            if status != "rejected" {
                status = "pending_review".to_owned();
            }
        }
    }
    let reports: Vec<Value> = beacon_ref(state)
        .reports
        .iter()
        .filter(|r| r["beacon_user_id"] != id)
        .cloned()
        .collect();
    for report in reports {
        let reported = report["beacon_user_id"].as_str().unwrap_or_default();
        let known = beacon_ref(state)
            .syndications
            .iter()
            .any(|s| s["beacon_user_id"] == id && s["report"]["id"] == report["id"]);
        if !known && shares_identity(state, id, reported) {
            syndicate(state, &report, id);
            status = "rejected".to_owned();
        }
    }
    if user["status"] != status.as_str() {
        // The version just made (by the create or the update) carries the
        // status its screening gave; a change after creation is announced.
        if let Ok(stored) = user_mut(state, id) {
            if let Some(newest) = stored.versions.last_mut() {
                newest["status"] = json!(status);
            }
        }
        if user["version"] != 1 {
            hook(state, "USER_STATUS_UPDATED", "beacon_user_id", id);
        }
    }
}

/// Syndicates `report` to user `to`.
fn syndicate(state: &mut State, report: &Value, to: &str) {
    let reported = report["beacon_user_id"].as_str().unwrap_or_default();
    let (Ok(from), Ok(target)) = (
        find_user(state, reported).cloned(),
        find_user(state, to).cloned(),
    ) else {
        return;
    };
    let mut analysis = analysis(&from.current()["user"], &target.current()["user"]);
    analysis["depository_accounts"] = target
        .current()
        .pointer("/user/depository_accounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .zip(&target.accounts)
        .map(|(shown, account)| {
            let status = if from.accounts.contains(account) {
                "match"
            } else {
                "no_match"
            };
            json!({ "account_mask": shown["account_mask"],
                    "routing_number": shown["routing_number"], "match_status": status })
        })
        .collect();
    let id = short_id(state, "becrsn_");
    beacon(state).syndications.push(json!({
        "id": id, "beacon_user_id": to,
        "report": { "id": report["id"], "created_at": report["created_at"],
                    "type": report["type"], "fraud_date": report["fraud_date"],
                    "event_date": report["event_date"] },
        "analysis": analysis,
    }));
    hook(
        state,
        "REPORT_SYNDICATION_CREATED",
        "beacon_report_syndication_id",
        &id,
    );
}

/// Whether users `a` and `b` share identity data (see the module docs).
fn shares_identity(state: &State, a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (find_user(state, a), find_user(state, b)) else {
        return false;
    };
    let found = analysis(&a.current()["user"], &b.current()["user"]);
    let strong = ["id_number", "email_address", "phone_number"]
        .iter()
        .any(|field| found[*field] == "match");
    let person = found["name"] == "match" && found["date_of_birth"] == "match";
    let account = a.accounts.iter().any(|x| b.accounts.contains(x));
    strong || person || account
}

/// Which fields of two users' data match (`BeaconMatchSummaryAnalysis`).
fn analysis(a: &Value, b: &Value) -> Value {
    let same = |x: &Value, y: &Value| {
        x.as_str()
            .zip(y.as_str())
            .is_some_and(|(x, y)| x.trim().eq_ignore_ascii_case(y.trim()))
    };
    let code = |x: &Value, y: &Value, partial: bool, full: bool| {
        if x.is_null() || y.is_null() {
            "no_data"
        } else if full {
            "match"
        } else if partial {
            "partial_match"
        } else {
            "no_match"
        }
    };
    let scalar = |field: &str| {
        let (x, y) = (&a[field], &b[field]);
        code(x, y, false, same(x, y))
    };
    let (name_a, name_b) = (&a["name"], &b["name"]);
    let given = same(&name_a["given_name"], &name_b["given_name"]);
    let family = same(&name_a["family_name"], &name_b["family_name"]);
    let (home_a, home_b) = (&a["address"], &b["address"]);
    let street = same(&home_a["street"], &home_b["street"]);
    let city = same(&home_a["city"], &home_b["city"]);
    let country = same(&home_a["country"], &home_b["country"]);
    let (id_a, id_b) = (&a["id_number"], &b["id_number"]);
    let id_same = same(&id_a["value"], &id_b["value"]) && same(&id_a["type"], &id_b["type"]);
    json!({
        "address": code(home_a, home_b, city && country, street && city && country),
        "date_of_birth": scalar("date_of_birth"),
        "email_address": scalar("email_address"),
        "name": code(name_a, name_b, given || family, given && family),
        "id_number": code(id_a, id_b, false, id_same),
        "ip_address": scalar("ip_address"),
        "phone_number": scalar("phone_number"),
    })
}
