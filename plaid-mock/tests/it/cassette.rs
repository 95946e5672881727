//! Record, replay and diff (`plaid_mock::cassette`, `plaid-mock record`,
//! `replay`, `diff`): a second plaid-mock plays Plaid's sandbox, a client's
//! session goes through the recorder, and the cassette is replayed with the
//! upstream stopped, and measured against a fresh fake.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use plaid_core::models::Products;
use plaid_mock::cassette::{diff, Cassette, DifferenceKind, Recorder, Replayer, NO_RECORDING};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::{self, Binary, Target};

/// The upstream's credentials: what must never reach a cassette.
const CLIENT_ID: &str = "cid-7f3a9e-upstream";
const SECRET: &str = "sec-very-secret-4d21";
/// Credentials sent to this proxy (and to nobody else).
const PROXY_CREDENTIALS: &str = "Basic cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA==";
const BEARER: &str = "Bearer bearer-secret-9c8d";

/// A client of some server, with some credentials (in headers, or in the
/// body for the calls that say so).
struct Client {
    addr: SocketAddr,
    id: String,
    secret: String,
}

impl Target for Client {
    fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn credentials(&self) -> (String, String) {
        (self.id.clone(), self.secret.clone())
    }
}

impl Client {
    fn of(target: &impl Target, id: &str, secret: &str) -> Self {
        Self {
            addr: target.addr(),
            id: id.into(),
            secret: secret.into(),
        }
    }

    /// A call with the credentials in the body, and proxy and bearer
    /// credentials in headers.
    fn in_body(&self, path: &str, mut body: Value) -> (u16, Value) {
        body["client_id"] = json!(self.id);
        body["secret"] = json!(self.secret);
        self.send(
            "POST",
            path,
            &body.to_string(),
            &[
                ("proxy-authorization", PROXY_CREDENTIALS),
                ("authorization", BEARER),
            ],
        )
        .unwrap()
    }
}

/// The session: sandbox public token, exchange, accounts, transactions, and
/// the used public token exchanged again (an error). Every answer, in order.
fn session(client: &Client) -> Vec<(u16, Value)> {
    let mut answers = Vec::new();
    let created = client.in_body(
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"]}),
    );
    let public_token = created.1["public_token"].clone();
    answers.push(created);
    let exchanged = client.plaid(
        "/item/public_token/exchange",
        json!({"public_token": public_token}),
    );
    let access_token = exchanged.1["access_token"].clone();
    answers.push(exchanged);
    answers.push(client.plaid("/accounts/get", json!({"access_token": access_token})));
    answers.push(client.in_body(
        "/transactions/get",
        json!({"access_token": access_token, "start_date": "2000-01-01",
               "end_date": "2100-01-01", "options": {"count": 5}}),
    ));
    answers.push(client.plaid(
        "/item/public_token/exchange",
        json!({"public_token": public_token}),
    ));
    answers
}

/// Records the session from a fresh upstream plaid-mock (with `faults`
/// added to it first) into `file`, redacting `redact`; returns the answers.
fn record(file: &Path, redact: &[&str], faults: &[Value]) -> Vec<(u16, Value)> {
    record_from(&[], file, redact, faults)
}

/// [`record`] from an upstream started with `flags` too.
fn record_from(
    flags: &[&str],
    file: &Path,
    redact: &[&str],
    faults: &[Value],
) -> Vec<(u16, Value)> {
    let flags = [&["--client-id", CLIENT_ID, "--secret", SECRET][..], flags].concat();
    let upstream = Binary::start(&flags, None);
    for fault in faults {
        assert_eq!(upstream.post("/_mock/faults", fault).0, 200, "{fault}");
    }
    let mut args = vec![
        "record",
        "--upstream",
        &upstream_url(&upstream),
        "--cassette",
        file.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    for field in redact {
        args.extend(["--redact".to_owned(), (*field).to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let recorder = Binary::launch(&args, &[]);
    let answers = session(&Client::of(&recorder, CLIENT_ID, SECRET));
    drop(recorder);
    drop(upstream);
    answers
}

fn upstream_url(upstream: &Binary) -> String {
    upstream.url()
}

fn replay(file: &Path, extra: &[&str]) -> Binary {
    let args = [
        &[
            "replay",
            "--cassette",
            file.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ][..],
        extra,
    ]
    .concat();
    Binary::launch(&args, &[])
}

fn lines(file: &Path) -> Vec<Value> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn a_recorded_session_replays_with_the_upstream_stopped() {
    let dir = support::temp_dir("cassette-replay");
    let file = dir.join("session.cassette");
    let recorded = record(&file, &[], &[]);
    let statuses: Vec<u16> = recorded.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 400], "{recorded:?}");
    assert_eq!(recorded[4].1["error_code"], "INVALID_PUBLIC_TOKEN");
    assert!(!recorded[3].1["transactions"].as_array().unwrap().is_empty());

    // The file: a versioned header, then one exchange a line.
    let lines = lines(&file);
    assert_eq!(lines[0]["cassette"], "plaid-mock");
    assert_eq!(lines[0]["version"], 1);
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[3]["path"], "/accounts/get");
    assert_eq!(lines[3]["status"], 200);
    assert_eq!(
        lines[3]["request_headers"]["content-type"],
        "application/json"
    );
    assert_eq!(lines[5]["status"], 400);
    assert_eq!(lines[5]["answer"], recorded[4].1);

    // No secret: not the upstream's credentials, not the proxy's, not the
    // bearer token, not even the headers' names.
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    for secret in [
        CLIENT_ID,
        SECRET,
        "cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA",
        "bearer-secret-9c8d",
        "plaid-secret",
        "proxy-authorization",
        "\"secret\"",
        "\"client_id\"",
    ] {
        assert!(
            !text.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} in the cassette"
        );
    }

    // The upstream is stopped; other credentials, the same answers.
    let replaying = replay(&file, &[]);
    let client = Client::of(&replaying, "ci-client-id", "ci-secret");
    assert_eq!(session(&client), recorded);
    assert_eq!(replaying.get("/_mock/health").1["mode"], "replay");

    // What was not recorded: the error, naming the closest recording.
    let token = recorded[1].1["access_token"].clone();
    let (status, error) = client.plaid(
        "/transactions/get",
        json!({"access_token": token, "start_date": "2000-01-01",
               "end_date": "2100-01-01", "options": {"count": 50}}),
    );
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error_type"], "INVALID_REQUEST");
    assert_eq!(error["error_code"], NO_RECORDING);
    let message = error["error_message"].as_str().unwrap();
    assert!(
        message.starts_with("nothing was recorded for POST /transactions/get"),
        "{message}"
    );
    assert!(
        message.contains("exchange 4 (POST /transactions/get)"),
        "{message}"
    );
    assert!(
        message.contains("options.count is 50 here, 5 in the recording"),
        "{message}"
    );
    let (status, error) = client.plaid("/item/get", json!({"access_token": token}));
    assert_eq!(
        (status, error["error_code"].as_str()),
        (400, Some(NO_RECORDING))
    );
    assert!(
        error["error_message"]
            .as_str()
            .unwrap()
            .contains("it is POST /accounts/get"),
        "{error}"
    );
}

#[test]
fn the_fake_answers_what_was_not_recorded_with_fallback() {
    let dir = support::temp_dir("cassette-fallback");
    let file = dir.join("session.cassette");
    // Another seed than the fallback fake's, whose first tokens would
    // otherwise be the recorded ones.
    let recorded = record_from(&["--seed", "7"], &file, &[], &[]);
    let replaying = replay(&file, &["--fallback", "fake"]);
    let client = Client::of(&replaying, "ci-client-id", "ci-secret");
    // Recorded: from the cassette.
    assert_eq!(
        client.in_body(
            "/sandbox/public_token/create",
            json!({"institution_id": "ins_109508", "initial_products": ["transactions"]}),
        ),
        recorded[0]
    );
    // Not recorded: the fake, whatever the client's credentials.
    let (status, created) = client.plaid(
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109511", "initial_products": ["auth"]}),
    );
    assert_eq!(status, 200, "{created}");
    let (status, exchanged) = client.plaid(
        "/item/public_token/exchange",
        json!({"public_token": created["public_token"]}),
    );
    assert_eq!(status, 200, "{exchanged}");
    let (status, auth) = client.plaid(
        "/auth/get",
        json!({"access_token": exchanged["access_token"]}),
    );
    assert_eq!(status, 200, "{auth}");
    assert!(auth["numbers"]["ach"].is_array(), "{auth}");
}

#[test]
fn a_redacted_field_keeps_linking_the_calls_that_use_it() {
    let dir = support::temp_dir("cassette-redact");
    let file = dir.join("session.cassette");
    let recorded = record(&file, &["access_token"], &[]);
    let real_token = recorded[1].1["access_token"].as_str().unwrap().to_owned();
    assert!(
        real_token.starts_with("access-sandbox-"),
        "the client gets the real token"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains(&real_token),
        "the real token is in the cassette"
    );
    let lines = lines(&file);
    assert_eq!(lines[0]["redacted"], json!(["access_token"]));
    // The exchange's answer and the calls that use the token share its stand-in.
    assert_eq!(
        lines[2]["answer"]["access_token"],
        "redacted-access_token-1"
    );
    assert_eq!(
        lines[3]["request"]["access_token"],
        "redacted-access_token-1"
    );
    assert_eq!(
        lines[4]["request"]["access_token"],
        "redacted-access_token-1"
    );

    // Replayed, the client gets the stand-in and uses it: every call matches.
    let replaying = replay(&file, &[]);
    let client = Client::of(&replaying, "ci", "ci");
    let replayed = session(&client);
    assert_eq!(replayed[1].1["access_token"], "redacted-access_token-1");
    for (index, ((status, answer), (recorded_status, _))) in
        replayed.iter().zip(&recorded).enumerate()
    {
        assert_eq!(status, recorded_status, "call {index}: {answer}");
        assert_ne!(answer["error_code"], NO_RECORDING, "call {index}: {answer}");
    }
    assert_eq!(replayed[2].1["accounts"], recorded[2].1["accounts"]);
    // Matching ignores a redacted field: another token is answered too.
    let (status, accounts) = client.plaid("/accounts/get", json!({"access_token": "other"}));
    assert_eq!(status, 200, "{accounts}");
}

/// Runs `plaid-mock diff` on `file`; its exit code and output.
fn run_diff(file: &Path, json: bool) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plaid-mock"));
    command.args(["diff", "--cassette", file.to_str().unwrap()]);
    if json {
        command.arg("--json");
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn diff_finds_nothing_for_a_session_with_an_unchanged_fake() {
    let dir = support::temp_dir("cassette-diff-same");
    let file = dir.join("session.cassette");
    record(&file, &["access_token"], &[]);
    let (code, text) = run_diff(&file, false);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with("plaid-mock diff: 5 exchanges, 4 operations; the fake answers every one in the recorded shape\n"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains("  same")).count(),
        4,
        "{text}"
    );
    let (code, json) = run_diff(&file, true);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["exchanges"], 5);
    assert!(report["operations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["differences"] == json!([])));
}

/// The differences of a JSON report, as `(operation, kind, field)`.
fn differences(report: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for operation in report["operations"].as_array().unwrap() {
        for d in operation["differences"].as_array().unwrap() {
            out.push((
                operation["operation"].as_str().unwrap().to_owned(),
                d["kind"].as_str().unwrap().to_owned(),
                d["field"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

#[test]
fn diff_reports_exactly_what_a_faulty_upstream_answered_differently() {
    let dir = support::temp_dir("cassette-diff-fault");
    let file = dir.join("session.cassette");
    let fault = json!({"path": "/accounts/get", "times": 1,
                       "error": {"error_type": "ITEM_ERROR", "error_code": "ITEM_LOGIN_REQUIRED"}});
    let recorded = record(&file, &[], &[fault]);
    assert_eq!(recorded[2].0, 400);
    let (code, json) = run_diff(&file, true);
    assert_eq!(code, 1, "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        differences(&report),
        [(
            "POST /accounts/get".to_owned(),
            "status".to_owned(),
            String::new()
        )]
    );
    let only = &report["operations"][2]["differences"][0];
    assert_eq!(only["recorded"], "400 ITEM_ERROR/ITEM_LOGIN_REQUIRED");
    assert_eq!(only["fake"], "200");
    let (code, text) = run_diff(&file, false);
    assert_eq!(code, 1);
    assert!(
        text.starts_with("plaid-mock diff: 5 exchanges, 4 operations; 1 operation differs from the recording (1 difference)\n"),
        "{text}"
    );
    assert!(text.contains("POST /accounts/get"), "{text}");
}

/// Rewrites the exchange at `line` of a cassette with `edit`.
fn edit(file: &Path, line: usize, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut lines = lines(file);
    edit(&mut lines[line]);
    let edited = file.with_extension("edited");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&edited, text).unwrap();
    edited
}

#[test]
fn diff_reports_exactly_the_edits_of_a_cassette() {
    let dir = support::temp_dir("cassette-diff-edit");
    let file = dir.join("session.cassette");
    record(&file, &["access_token"], &[]);
    let file = edit(&file, 3, |accounts| {
        let answer = &mut accounts["answer"];
        for account in answer["accounts"].as_array_mut().unwrap() {
            account.as_object_mut().unwrap().remove("mask");
        }
        answer["accounts"][0]["type"] = json!("brokerage");
        answer["item"]["recorded_only"] = json!("x");
    });
    let file = edit(&file, 4, |transactions| {
        transactions["answer"]["total_transactions"] = json!("fifty");
    });
    let file = edit(&file, 5, |exchange| {
        exchange["answer"]["error_code"] = json!("INVALID_ACCESS_TOKEN");
    });
    let (code, json) = run_diff(&file, true);
    assert_eq!(code, 1, "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let expected = [
        ("POST /accounts/get", "missing", "item.recorded_only"),
        ("POST /accounts/get", "enum", "accounts[].type"),
        ("POST /accounts/get", "extra", "accounts[].mask"),
        ("POST /transactions/get", "type", "total_transactions"),
        ("POST /item/public_token/exchange", "error_code", ""),
    ];
    let mut found = differences(&report);
    found.sort();
    let mut expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(found, expected, "{json}");
}

/// In Rust, with no server: a session recorded through [`Recorder`] from an
/// in-process fake, then answered by [`Replayer`], and diffed.
#[tokio::test]
async fn record_and_replay_in_process() {
    let dir = support::temp_dir("cassette-in-process");
    let file = dir.join("session.cassette");
    let upstream = MockPlaid::new();
    let recorder = Recorder::create(
        upstream.clone(),
        "https://sandbox.plaid.com",
        &file,
        &["access_token".to_owned()],
    )
    .unwrap();
    let client = plaid_core::Client::builder()
        .credentials(upstream.client_id(), upstream.secret())
        .transport(recorder)
        .build()
        .unwrap();
    let created = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await
        .unwrap();
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await
        .unwrap();
    let accounts = client
        .accounts()
        .get(&exchanged.access_token)
        .await
        .unwrap();

    let cassette = Cassette::open(&file).unwrap();
    assert_eq!(cassette.exchanges.len(), 3);
    let replay = Replayer::new(cassette.clone());
    let client = plaid_core::Client::builder()
        .credentials("ci", "ci")
        .transport(replay.clone())
        .build()
        .unwrap();
    let again = client
        .sandbox()
        .public_token()
        .create("ins_109508", vec![Products::Transactions])
        .await
        .unwrap();
    assert_eq!(again.public_token, created.public_token);
    let token = client
        .item()
        .public_token()
        .exchange(&again.public_token)
        .await
        .unwrap()
        .access_token;
    assert_eq!(token, "redacted-access_token-1");
    let replayed = client.accounts().get(&token).await.unwrap();
    assert_eq!(replayed.accounts, accounts.accounts);
    let error = client.item().get(&token).await.unwrap_err();
    let plaid = error.plaid_error().expect("a Plaid error");
    assert_eq!(plaid.error_code, NO_RECORDING);

    let report = diff(&cassette, MockPlaid::new()).await;
    assert!(report.is_clean(), "{report}");
    let mut edited = cassette;
    edited.exchanges[2].status = 500;
    let report = diff(&edited, MockPlaid::new()).await;
    assert_eq!(report.difference_count(), 1, "{report}");
    assert_eq!(
        report.operations[2].differences[0].kind,
        DifferenceKind::Status
    );
}
