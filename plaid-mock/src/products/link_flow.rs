//! Link as a person goes through it: the steps behind the Link stand-in's
//! panes (the server's `link` module serves the panes and calls these).
//! Each step checks what the person typed against the sandbox's test
//! credentials and says which pane comes next; nothing is linked until
//! [`finish`], which checks every answer again and then completes the
//! session as the link token asks ([`link_token::complete_as`]).
//!
//! The sandbox's rules: username `user_good` (or any `user_…` name, or
//! `user_transactions_dynamic` with any password) and password
//! `pass_good`; password `mfa_device` asks for the code `1234`;
//! `mfa_questions_<n>_<m>` asks `n` rounds of `m` questions, answered
//! `answer_<round>_<question>`; `mfa_selections` asks one question whose
//! answer is `Yes`; `mfa_selections_<n>_<m>_<o>` asks `n` rounds of `m`
//! questions with `o` choices each, answered `answer_<round>_<question>_0`;
//! `error_<CODE>` ends in that Plaid error.

use serde_json::{json, Map, Value};

use super::link_token::{self, Person};
use crate::kernel::errors::ErrorAnswer;
use crate::kit::fields::{strings, text};
use crate::sandbox::data::{default_accounts, Institution};
use crate::sandbox::State;

/// The most rounds or questions an `mfa_…` password may ask for.
const MAX_MFA: usize = 9;

/// Item error codes a password `error_<CODE>` may name.
const ITEM_ERRORS: &[&str] = &[
    "INSUFFICIENT_CREDENTIALS",
    "INVALID_CREDENTIALS",
    "INVALID_MFA",
    "INVALID_SEND_METHOD",
    "INVALID_PHONE_NUMBER",
    "INVALID_OTP",
    "ITEM_LOCKED",
    "ITEM_LOGIN_REQUIRED",
    "ITEM_NOT_SUPPORTED",
    "MFA_NOT_SUPPORTED",
    "NO_ACCOUNTS",
    "NO_AUTH_ACCOUNTS",
    "NO_INVESTMENT_ACCOUNTS",
    "NO_LIABILITY_ACCOUNTS",
    "PRODUCT_NOT_SUPPORTED",
    "USER_SETUP_REQUIRED",
    "USER_INPUT_TIMEOUT",
    "ACCESS_NOT_GRANTED",
    "PASSWORD_RESET_REQUIRED",
];

/// Institution error codes a password `error_<CODE>` may name.
const INSTITUTION_ERRORS: &[&str] = &[
    "INSTITUTION_DOWN",
    "INSTITUTION_NOT_RESPONDING",
    "INSTITUTION_NOT_AVAILABLE",
    "INSTITUTION_NO_LONGER_SUPPORTED",
    "INSTITUTION_REGISTRATION_REQUIRED",
    "UNAUTHORIZED_INSTITUTION",
];

/// `open`: the person opened Link on `token`. Answers what the panes need:
/// a fresh `link_session_id`, the app's `client_name`, the institution of
/// an update-mode item (the search is skipped then), whether the account
/// selection pane is shown (the token has `account_filters` and is not
/// for update mode), and for Hosted Link the
/// `completion_redirect_uri`.
pub(crate) fn open(state: &mut State, token: &str) -> Result<Value, ErrorAnswer> {
    let request = link_token::live_request(state, token)?;
    let access_token = text(&request, "access_token");
    let institution = if access_token.is_empty() {
        Value::Null
    } else {
        let item_id = state.item_id_for(access_token)?;
        let id = state
            .items
            .get(&item_id)
            .map(|i| i.institution_id.clone())
            .unwrap_or_default();
        institution_json(&id)
    };
    let select_account =
        access_token.is_empty() && request.get("account_filters").is_some_and(Value::is_object);
    let hosted = request.get("hosted_link").filter(|h| h.is_object());
    let redirect = hosted
        .and_then(|h| h.get("completion_redirect_uri"))
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    Ok(json!({
        "link_session_id": state.rng.uuid(),
        "client_name": text(&request, "client_name"),
        "update_mode": !access_token.is_empty(),
        "institution": institution,
        "select_account": select_account,
        "hosted": hosted.is_some(),
        "completion_redirect_uri": redirect,
    }))
}

/// `{name, institution_id}` of an institution, or `null` when unknown.
fn institution_json(id: &str) -> Value {
    match Institution::find(id) {
        Some(i) => json!({"name": i.name, "institution_id": i.id}),
        None => Value::Null,
    }
}

/// `institutions`: the institutions whose name contains `query` (any case),
/// the sandbox's own first; an `ins_<digits>` id finds that institution.
pub(crate) fn institutions(query: &str) -> Value {
    let query = query.trim().to_lowercase();
    let mut found: Vec<Value> = Institution::sandbox_all()
        .filter(|i| i.name.to_lowercase().contains(&query))
        .map(|i| json!({"name": i.name, "institution_id": i.id}))
        .collect();
    if found.is_empty() {
        if let Some(i) = Institution::find(&query) {
            found.push(json!({"name": i.name, "institution_id": i.id}));
        }
    }
    json!({ "institutions": found })
}

/// What the login asks for beyond the password.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mfa {
    /// No more steps.
    None,
    /// A code sent to a device (`1234`).
    Device,
    /// `rounds` rounds of `questions` questions.
    Questions { rounds: usize, questions: usize },
    /// `rounds` rounds of `questions` questions with `choices` choices.
    Selections {
        rounds: usize,
        questions: usize,
        choices: usize,
    },
}

/// Numbers `1..=MAX_MFA` joined by `_`, e.g. `2_3`.
fn counts(text: &str, how_many: usize) -> Option<Vec<usize>> {
    let numbers: Vec<usize> = text
        .split('_')
        .map(|n| n.parse().ok().filter(|n| (1..=MAX_MFA).contains(n)))
        .collect::<Option<_>>()?;
    (numbers.len() == how_many).then_some(numbers)
}

/// The outcome of a username and password: the MFA asked for, or the error.
fn login(username: &str, password: &str) -> Result<Mfa, ErrorAnswer> {
    if username == "user_transactions_dynamic" {
        return Ok(Mfa::None);
    }
    if !username.starts_with("user_") || username.len() > 100 {
        return Err(link_error("INVALID_CREDENTIALS"));
    }
    if password == "pass_good" {
        return Ok(Mfa::None);
    }
    if password == "mfa_device" {
        return Ok(Mfa::Device);
    }
    if password == "mfa_selections" {
        return Ok(Mfa::Selections {
            rounds: 1,
            questions: 1,
            choices: 0,
        });
    }
    if let Some(rest) = password.strip_prefix("mfa_questions_") {
        if let Some(n) = counts(rest, 2) {
            return Ok(Mfa::Questions {
                rounds: n[0],
                questions: n[1],
            });
        }
    }
    if let Some(rest) = password.strip_prefix("mfa_selections_") {
        if let Some(n) = counts(rest, 3) {
            return Ok(Mfa::Selections {
                rounds: n[0],
                questions: n[1],
                choices: n[2],
            });
        }
    }
    if let Some(code) = password.strip_prefix("error_") {
        if ITEM_ERRORS.contains(&code) || INSTITUTION_ERRORS.contains(&code) {
            return Err(link_error(code));
        }
    }
    Err(link_error("INVALID_CREDENTIALS"))
}

/// The error Link shows (and `onExit` gets) for `code`.
pub(crate) fn link_error(code: &str) -> ErrorAnswer {
    let institution = INSTITUTION_ERRORS.contains(&code);
    let error_type = if institution {
        "INSTITUTION_ERROR"
    } else {
        "ITEM_ERROR"
    };
    let (message, display) = match code {
        "INVALID_CREDENTIALS" => (
            "the provided credentials were not correct",
            "The username or password you entered is not correct. Check them and try again.",
        ),
        "INVALID_MFA" => (
            "the provided MFA answer was not correct",
            "The answer you entered is not correct. Try again.",
        ),
        "ITEM_LOCKED" => (
            "the account is locked after too many attempts",
            "Your account is locked. Visit your bank's website to unlock it.",
        ),
        _ if institution => (
            "the institution cannot be reached right now",
            "This bank is not available right now. Try again later.",
        ),
        _ => (
            "the sandbox made this error because the password asked for it",
            "Something went wrong while connecting your account.",
        ),
    };
    ErrorAnswer::new(400, error_type, code, message).display(display)
}

/// `login`: the person typed `username` and `password` at an institution.
/// Answers `{"next": "mfa", "mfa": …}` or `{"next": "accounts", "accounts": …}`
/// (the accounts the item will have, by position); a wrong password is the
/// Link error it stands for.
pub(crate) fn credentials(
    state: &State,
    token: &str,
    username: &str,
    password: &str,
) -> Result<Value, ErrorAnswer> {
    let request = link_token::live_request(state, token)?;
    let mfa = login(username, password)?;
    Ok(next_after(state, &request, mfa, 0))
}

/// `mfa`: the answers of round `round` (from 0). Answers as [`credentials`].
pub(crate) fn mfa(
    state: &State,
    token: &str,
    username: &str,
    password: &str,
    round: usize,
    answers: &[String],
) -> Result<Value, ErrorAnswer> {
    let request = link_token::live_request(state, token)?;
    let mfa = login(username, password)?;
    check_round(mfa, round, answers)?;
    Ok(next_after(state, &request, mfa, round + 1))
}

/// The pane after `round` rounds of `mfa` were answered.
fn next_after(state: &State, request: &Map<String, Value>, mfa: Mfa, round: usize) -> Value {
    match prompt(mfa, round) {
        Some(prompt) => json!({"next": "mfa", "mfa": prompt}),
        None => json!({"next": "accounts", "accounts": preview_accounts(state, request)}),
    }
}

/// The accounts a new item gets that the link token's `account_filters`
/// let through, by position (in the item's list), before the item exists.
fn preview_accounts(state: &State, request: &Map<String, Value>) -> Vec<Value> {
    let mut rng = state.rng.clone();
    default_accounts(&mut rng)
        .iter()
        .enumerate()
        .filter(|(_, a)| offered(request, &a.kind, &a.subtype))
        .map(|(position, a)| {
            json!({"position": position, "name": a.name, "mask": a.mask,
                   "type": a.kind, "subtype": a.subtype})
        })
        .collect()
}

/// Whether the link token's `account_filters` offer an account of this
/// type and subtype (`{"depository": {"account_subtypes": ["checking"]}}`;
/// `"all"` lets every subtype of the type through). Without filters,
/// every account is offered.
fn offered(request: &Map<String, Value>, kind: &str, subtype: &str) -> bool {
    let Some(filters) = request.get("account_filters").and_then(Value::as_object) else {
        return true;
    };
    filters
        .get(kind)
        .and_then(|f| f.get("account_subtypes"))
        .and_then(Value::as_array)
        .is_some_and(|subtypes| subtypes.iter().any(|s| s == subtype || s == "all"))
}

/// How many rounds `mfa` has.
fn rounds(mfa: Mfa) -> usize {
    match mfa {
        Mfa::None => 0,
        Mfa::Device => 1,
        Mfa::Questions { rounds, .. } | Mfa::Selections { rounds, .. } => rounds,
    }
}

/// What round `round` (from 0) of `mfa` asks, or `None` after the last.
fn prompt(mfa: Mfa, round: usize) -> Option<Value> {
    if round >= rounds(mfa) {
        return None;
    }
    let r = round + 1;
    Some(match mfa {
        Mfa::None => return None,
        Mfa::Device => json!({"type": "device", "round": round,
            "questions": [{"text": "Enter the code sent to your device", "choices": null}]}),
        Mfa::Questions { questions, .. } => json!({"type": "questions", "round": round,
            "questions": (1..=questions)
                .map(|q| json!({"text": format!("Security question {r}.{q}"), "choices": null}))
                .collect::<Vec<_>>()}),
        Mfa::Selections {
            questions, choices, ..
        } => json!({"type": "selections", "round": round,
            "questions": (1..=questions)
                .map(|q| {
                    let options: Vec<String> = if choices == 0 {
                        vec!["Yes".into(), "No".into()]
                    } else {
                        (0..choices).map(|c| format!("answer_{r}_{q}_{c}")).collect()
                    };
                    json!({"text": format!("Security question {r}.{q}"), "choices": options})
                })
                .collect::<Vec<_>>()}),
    })
}

/// Checks the answers of round `round`.
fn check_round(mfa: Mfa, round: usize, answers: &[String]) -> Result<(), ErrorAnswer> {
    let r = round + 1;
    let expected: Vec<String> = match mfa {
        _ if round >= rounds(mfa) => return Err(link_error("INVALID_MFA")),
        Mfa::None => Vec::new(),
        Mfa::Device => vec!["1234".into()],
        Mfa::Questions { questions, .. } => {
            (1..=questions).map(|q| format!("answer_{r}_{q}")).collect()
        }
        Mfa::Selections {
            questions, choices, ..
        } => (1..=questions)
            .map(|q| {
                if choices == 0 {
                    "Yes".to_owned()
                } else {
                    format!("answer_{r}_{q}_0")
                }
            })
            .collect(),
    };
    let given: Vec<&str> = answers.iter().map(|a| a.trim()).collect();
    if given == expected {
        Ok(())
    } else {
        Err(link_error("INVALID_MFA"))
    }
}

/// `finish`: every answer of the session at once (`link_token`,
/// `link_session_id`, `institution_id`, `username`, `password`, `mfa` as a
/// list of rounds of answers, `accounts` as positions). Checks them all
/// again, then completes the session. Answers `onSuccess`'s arguments:
/// `{"public_token", "metadata"}`.
pub(crate) fn finish(state: &mut State, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let token = text(body, "link_token");
    let request = link_token::live_request(state, token)?;
    let username = text(body, "username");
    let mfa = login(username, text(body, "password"))?;
    let rounds_given: Vec<Vec<String>> = body
        .get("mfa")
        .and_then(Value::as_array)
        .map(|r| r.iter().map(|a| strings(Some(a))).collect())
        .unwrap_or_default();
    if rounds_given.len() != rounds(mfa) {
        return Err(link_error("INVALID_MFA"));
    }
    for (round, answers) in rounds_given.iter().enumerate() {
        check_round(mfa, round, answers)?;
    }
    let positions: Option<Vec<usize>> = body.get("accounts").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_u64)
            .filter_map(|n| usize::try_from(n).ok())
            .collect()
    });
    if positions.as_ref().is_some_and(Vec::is_empty) {
        return Err(ErrorAnswer::new(
            400,
            "INVALID_REQUEST",
            "INVALID_FIELD",
            "pick at least one account",
        ));
    }
    let allowed: Vec<usize> = preview_accounts(state, &request)
        .iter()
        .filter_map(|a| a["position"].as_u64())
        .filter_map(|n| usize::try_from(n).ok())
        .collect();
    if positions
        .as_ref()
        .is_some_and(|p| p.iter().any(|n| !allowed.contains(n)))
    {
        return Err(ErrorAnswer::new(
            400,
            "INVALID_REQUEST",
            "INVALID_FIELD",
            "pick only accounts the account selection pane offered",
        ));
    }
    // Without a pick, the accounts the link token's filters offer.
    let positions = positions.or_else(|| {
        request
            .get("account_filters")
            .filter(|f| f.is_object())
            .map(|_| allowed)
    });
    let institution_id = text(body, "institution_id");
    let update_mode = !text(&request, "access_token").is_empty();
    if !update_mode && Institution::find(institution_id).is_none() {
        return Err(ErrorAnswer::new(
            400,
            "INVALID_INPUT",
            "INVALID_INSTITUTION",
            "pick an institution first",
        ));
    }
    let session_id = Some(text(body, "link_session_id"))
        .filter(|s| !s.is_empty() && s.len() <= 64)
        .map(str::to_owned);
    let person = Person {
        username: Some(username).filter(|u| *u != "user_good"),
        accounts: if update_mode {
            None
        } else {
            positions.as_deref()
        },
        session_id,
    };
    let done = link_token::complete_as(state, token, Some(institution_id), &person)?;
    let item_id = done["item_id"].as_str().unwrap_or_default();
    let item = state.items.get(item_id);
    let institution = item
        .map(|i| institution_json(&i.institution_id))
        .unwrap_or(Value::Null);
    let accounts = link_token::metadata_accounts(state, item_id);
    Ok(json!({
        "public_token": done["public_token"],
        "metadata": {
            "institution": institution,
            "accounts": accounts,
            "link_session_id": done["link_session_id"],
            "transfer_status": null,
        },
    }))
}

/// `exit`: the person left Link without finishing. For Hosted Link the
/// token's `SESSION_FINISHED` webhook goes out with status `EXITED`.
pub(crate) fn exit(state: &mut State, token: &str, session_id: &str) -> Result<Value, ErrorAnswer> {
    let request = link_token::live_request(state, token)?;
    if request.get("hosted_link").is_some_and(Value::is_object) {
        link_token::session_finished(
            state,
            token,
            &request,
            "",
            "EXITED",
            &json!(session_id),
            None,
        );
    }
    Ok(json!({"exited": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_passwords() {
        assert_eq!(login("user_good", "pass_good").unwrap(), Mfa::None);
        assert_eq!(login("user_good", "mfa_device").unwrap(), Mfa::Device);
        assert_eq!(
            login("user_good", "mfa_questions_2_3").unwrap(),
            Mfa::Questions {
                rounds: 2,
                questions: 3
            }
        );
        assert_eq!(
            login("user_transactions_dynamic", "anything").unwrap(),
            Mfa::None
        );
        let locked = login("user_good", "error_ITEM_LOCKED").unwrap_err();
        assert_eq!(locked.error.error_code, "ITEM_LOCKED");
        assert_eq!(locked.error.error_type, "ITEM_ERROR".into());
        let down = login("user_good", "error_INSTITUTION_DOWN").unwrap_err();
        assert_eq!(down.error.error_type, "INSTITUTION_ERROR".into());
        for (user, password) in [
            ("user_good", "wrong"),
            ("someone", "pass_good"),
            ("user_good", "mfa_questions_0_1"),
            ("user_good", "error_NOT_A_CODE"),
        ] {
            assert_eq!(
                login(user, password).unwrap_err().error.error_code,
                "INVALID_CREDENTIALS",
                "{user}/{password}"
            );
        }
    }

    #[test]
    fn mfa_answers() {
        assert!(check_round(Mfa::Device, 0, &["1234".into()]).is_ok());
        assert!(check_round(Mfa::Device, 0, &["1235".into()]).is_err());
        assert!(check_round(Mfa::Device, 1, &["1234".into()]).is_err());
        let questions = Mfa::Questions {
            rounds: 2,
            questions: 2,
        };
        assert!(check_round(questions, 1, &["answer_2_1".into(), "answer_2_2".into()]).is_ok());
        assert!(check_round(questions, 0, &["answer_2_1".into(), "answer_2_2".into()]).is_err());
        let one = Mfa::Selections {
            rounds: 1,
            questions: 1,
            choices: 0,
        };
        assert!(check_round(one, 0, &["Yes".into()]).is_ok());
        assert!(prompt(questions, 2).is_none());
        assert_eq!(
            prompt(questions, 1).unwrap()["questions"][1]["text"],
            "Security question 2.2"
        );
    }
}
