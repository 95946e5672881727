//! Identity Match: how well the identity a client holds for its user (the
//! request's `user`) agrees with the owners the institution has on file for
//! each account — the owners `/identity/get` gives. Each score is 0–100;
//! a field the request did not send gets no score at all.
//!
//! Scores are the fake's own, deterministic, on Plaid's documented scale:
//! 100 the same value, 85–99 a strong match, 70–84 a partial match, below
//! 70 a mismatch.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::errors::Refusal;
use crate::kit::route::{Handled, Route};
use crate::sandbox::State;

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "`/identity/match` with an `options.account_ids` entry, or `/transactions/recurring/get` with an `account_ids` entry, that is not the item's",
        400,
        "INVALID_INPUT",
        "INVALID_ACCOUNT_ID",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[Route::new("/identity/match", handle)];

/// Answers `/identity/match`.
pub(crate) fn handle(state: &mut State, body: &Map<String, Value>) -> Handled {
    Some(identity_match(state, body))
}

fn identity_match(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let identity = state.identity(crate::kit::fields::text(body, "access_token"))?;
    let wanted = body
        .get("options")
        .and_then(|o| o.get("account_ids"))
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect::<HashSet<_>>());
    let accounts = identity["accounts"].as_array().cloned().unwrap_or_default();
    if let Some(wanted) = &wanted {
        let known: HashSet<&str> = accounts
            .iter()
            .filter_map(|a| a["account_id"].as_str())
            .collect();
        if wanted.iter().any(|id| !known.contains(id)) {
            return Err(crate::kit::accounts::invalid_account_id());
        }
    }
    let user = body.get("user").and_then(Value::as_object);
    let scored: Vec<Value> = accounts
        .into_iter()
        .filter(|a| {
            wanted
                .as_ref()
                .is_none_or(|w| a["account_id"].as_str().is_some_and(|id| w.contains(id)))
        })
        .map(|mut account| {
            let owners = account
                .as_object_mut()
                .and_then(|a| a.remove("owners"))
                .and_then(|o| o.as_array().cloned())
                .unwrap_or_default();
            if let (Some(user), Some(fields)) = (user, account.as_object_mut()) {
                for (name, score) in scores(user, &owners) {
                    fields.insert(name.into(), score);
                }
            }
            account
        })
        .collect();
    Ok(json!({"accounts": scored, "item": identity["item"]}))
}

/// The scores for the fields `user` sent, each the best over `owners`.
fn scores(user: &Map<String, Value>, owners: &[Value]) -> Vec<(&'static str, Value)> {
    let sent = |name: &str| user.get(name).filter(|v| !v.is_null());
    let mut out = Vec::new();
    let on_file = |field: &str| -> Vec<&Value> {
        owners
            .iter()
            .filter_map(|o| o[field].as_array())
            .flatten()
            .collect()
    };
    if let Some(name) = sent("legal_name").and_then(Value::as_str) {
        let best = on_file("names")
            .into_iter()
            .filter_map(Value::as_str)
            .map(|owner| name_score(name, owner))
            .max_by_key(|s| s.score)
            .unwrap_or_default();
        out.push((
            "legal_name",
            json!({"score": best.score,
                   "is_first_name_or_last_name_match": best.first_or_last,
                   "is_nickname_match": best.nickname,
                   "is_business_name_detected": best.business}),
        ));
    }
    if let Some(phone) = sent("phone_number").and_then(Value::as_str) {
        let best = on_file("phone_numbers")
            .into_iter()
            .filter_map(|p| p["data"].as_str())
            .map(|owner| phone_score(phone, owner))
            .max()
            .unwrap_or(0);
        out.push(("phone_number", json!({ "score": best })));
    }
    if let Some(email) = sent("email_address").and_then(Value::as_str) {
        let best = on_file("emails")
            .into_iter()
            .filter_map(|e| e["data"].as_str())
            .map(|owner| email_score(email, owner))
            .max()
            .unwrap_or(0);
        out.push(("email_address", json!({ "score": best })));
    }
    if let Some(address) = sent("address").and_then(Value::as_object) {
        let best = on_file("addresses")
            .into_iter()
            .filter_map(|a| a["data"].as_object())
            .map(|owner| address_score(address, owner))
            .max_by_key(|(score, _)| *score)
            .unwrap_or((0, None));
        let mut score = json!({ "score": best.0 });
        if let Some(postal) = best.1 {
            score["is_postal_code_match"] = json!(postal);
        }
        out.push(("address", score));
    }
    out
}

/// How a legal name compared with one name on file.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct NameScore {
    pub score: u32,
    first_or_last: bool,
    nickname: bool,
    business: bool,
}

/// Short forms of given names the fake recognises as the same person.
const NICKNAMES: &[(&str, &[&str])] = &[
    ("alberta", &["al", "bert", "bertie", "allie"]),
    ("alexander", &["alex", "al", "sasha"]),
    ("elizabeth", &["liz", "beth", "eliza", "betty"]),
    ("jennifer", &["jen", "jenn", "jenny"]),
    ("katherine", &["kate", "kathy", "katie"]),
    ("michael", &["mike", "mikey"]),
    ("robert", &["rob", "bob", "bobby"]),
    ("william", &["will", "bill", "billy"]),
];

/// Words that mark a business name.
const BUSINESS_WORDS: &[&str] = &["corp", "corporation", "llc", "inc", "ltd", "co", "company"];

/// `a` is a nickname of `b` (or the other way round).
fn nickname_of(a: &str, b: &str) -> bool {
    NICKNAMES.iter().any(|(full, short)| {
        (*full == b && short.contains(&a)) || (*full == a && short.contains(&b))
    })
}

/// Lower-case words of `text`, punctuation dropped.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '-')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

pub(super) fn name_score(sent: &str, on_file: &str) -> NameScore {
    let (a, b) = (words(sent), words(on_file));
    let business = a
        .iter()
        .chain(&b)
        .any(|w| BUSINESS_WORDS.contains(&w.as_str()));
    let (Some(a_first), Some(b_first)) = (a.first(), b.first()) else {
        return NameScore {
            business,
            ..NameScore::default()
        };
    };
    let (a_last, b_last) = (a.last().unwrap_or(a_first), b.last().unwrap_or(b_first));
    let first = a_first == b_first;
    let last = a_last == b_last;
    let nickname = !first && nickname_of(a_first, b_first);
    let similar = similarity(&a.join(" "), &b.join(" "));
    let score = if a == b {
        100
    } else if first && last {
        // The same first and last name, the middle name differing or left out.
        similar.max(90)
    } else if nickname && last {
        similar.max(85)
    } else {
        // One of the names in common is a family member, not the owner.
        similar.min(69)
    };
    NameScore {
        score,
        first_or_last: first || last,
        nickname,
        business,
    }
}

/// Digits of a phone number without a leading US country code.
fn phone_digits(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('1') {
        Some(rest) if digits.len() == 11 => rest.to_owned(),
        _ => digits,
    }
}

fn phone_score(sent: &str, on_file: &str) -> u32 {
    let (a, b) = (phone_digits(sent), phone_digits(on_file));
    if a.is_empty() || b.is_empty() {
        0
    } else if a == b {
        100
    } else if a.starts_with(&b) || b.starts_with(&a) {
        // The same number, one side with an extension.
        80
    } else {
        similarity(&a, &b).min(69)
    }
}

/// An email lower-cased, and without a `+tag` in its local part.
fn email_base(email: &str) -> String {
    let email = email.trim().to_lowercase();
    match email.split_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => email,
    }
}

fn email_score(sent: &str, on_file: &str) -> u32 {
    if sent.trim().eq_ignore_ascii_case(on_file.trim()) {
        100
    } else if email_base(sent) == email_base(on_file) {
        // The same mailbox, another `+` extension.
        90
    } else {
        similarity(&email_base(sent), &email_base(on_file)).min(69)
    }
}

/// The address score, and whether the postal codes matched (`None` when
/// the request sent no postal code).
fn address_score(sent: &Map<String, Value>, on_file: &Map<String, Value>) -> (u32, Option<bool>) {
    let value = |m: &Map<String, Value>, f: &str| {
        words(m.get(f).and_then(Value::as_str).unwrap_or("")).join(" ")
    };
    let postal = |m: &Map<String, Value>| {
        value(m, "postal_code")
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(5)
            .collect::<String>()
    };
    let postal_match = sent
        .get("postal_code")
        .and_then(Value::as_str)
        .filter(|p| !p.trim().is_empty())
        .map(|_| postal(sent) == postal(on_file));
    // Each part the request sent, weighted: the street counts most.
    let parts = [
        ("street", 50),
        ("city", 20),
        ("region", 10),
        ("postal_code", 20),
    ];
    let (mut total, mut weight, mut all_equal) = (0, 0, true);
    for (field, w) in parts {
        let mine = value(sent, field);
        if mine.is_empty() {
            continue;
        }
        let theirs = value(on_file, field);
        let s = if field == "postal_code" {
            if postal_match == Some(true) {
                100
            } else {
                0
            }
        } else {
            similarity(&mine, &theirs)
        };
        all_equal &= s == 100;
        total += s * w;
        weight += w;
    }
    let score = match weight {
        0 => 0,
        _ if all_equal => 100,
        _ => (total / weight).min(99),
    };
    (score, postal_match)
}

/// 0–100: how alike two strings are, by edit distance.
fn similarity(a: &str, b: &str) -> u32 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 100;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    let distance = previous[b.len()];
    (100 * (longest - distance) / longest) as u32
}
