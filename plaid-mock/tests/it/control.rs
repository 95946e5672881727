//! The control API (`/_mock/…`) over real HTTP, as an app in another
//! language would use it, and the binary's clock.

use crate::support;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{iat, Binary, Served, Target};
use plaid_core::clock::ManualClock;
use plaid_mock::server::{ControlAccess, ServerOptions};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

#[test]
fn health_and_an_unknown_endpoint() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let (status, health) = fake.get("/_mock/health");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    let (status, answer) = fake.get("/_mock/nothing");
    assert_eq!(status, 404);
    assert!(answer["error"].as_str().unwrap().contains("/_mock/nothing"));
    assert!(answer["hint"].as_str().unwrap().contains("/_mock/health"));
}

#[test]
fn a_fault_then_recovery_and_the_journal_shows_both_statuses() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let item = fake.link();
    let token = item["access_token"].as_str().unwrap();
    let (status, added) = fake.post(
        "/_mock/faults",
        &json!({"path": "/accounts/get", "times": 1,
                "error": {"error_type": "API_ERROR", "error_code": "INTERNAL_SERVER_ERROR"}}),
    );
    assert_eq!(status, 200, "{added}");
    let (_, faults) = fake.get("/_mock/faults");
    assert_eq!(faults["faults"][0]["remaining"], 1);
    assert_eq!(faults["faults"][0]["error"]["status"], 500);

    let (status, failed) = fake.plaid("/accounts/get", json!({"access_token": token}));
    assert_eq!(status, 500);
    assert_eq!(failed["error_code"], "INTERNAL_SERVER_ERROR");
    let (status, ok) = fake.plaid("/accounts/get", json!({"access_token": token}));
    assert_eq!(status, 200);
    assert_eq!(ok["accounts"].as_array().unwrap().len(), 9);
    let (_, faults) = fake.get("/_mock/faults");
    assert_eq!(faults["faults"], json!([]));

    let (_, journal) = fake.get("/_mock/requests?path=%2Faccounts%2Fget");
    let statuses: Vec<&Value> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [&json!(500), &json!(200)]);
    let first = &journal["requests"][0];
    assert_eq!(first["method"], "POST");
    assert_eq!(first["body"]["access_token"], token);
    let headers = first["headers"].as_array().unwrap();
    assert!(headers.iter().any(|h| h[0] == "plaid-client-id"));
    assert!(!headers.iter().any(|h| h[0] == "plaid-secret"));
}

#[test]
fn a_probability_fault_over_a_thousand_calls() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let (status, _) = fake.post(
        "/_mock/faults",
        &json!({"path": "/institutions/get_by_id", "probability": 0.3,
                "error": {"error_type": "RATE_LIMIT_EXCEEDED", "error_code": "RATE_LIMIT"}}),
    );
    assert_eq!(status, 200);
    let mut limited = 0;
    for _ in 0..1000 {
        let (status, answer) = fake.plaid(
            "/institutions/get_by_id",
            json!({"institution_id": "ins_109508", "country_codes": ["US"]}),
        );
        match status {
            429 => {
                assert_eq!(answer["error_code"], "RATE_LIMIT");
                limited += 1;
            }
            200 => assert_eq!(answer["institution"]["institution_id"], "ins_109508"),
            other => panic!("unexpected status {other}: {answer}"),
        }
    }
    // Binomial(1000, 0.3): mean 300, standard deviation 14.5; ±5 sd.
    assert!((228..=372).contains(&limited), "{limited} of 1000 limited");
    let (_, faults) = fake.get("/_mock/faults");
    assert_eq!(faults["faults"][0]["hits"], limited);
    assert_eq!(fake.delete("/_mock/faults").0, 200);
    assert_eq!(fake.get("/_mock/faults").1["faults"], json!([]));
}

#[test]
fn latency_and_a_dropped_connection() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let body = json!({"institution_id": "ins_109508", "country_codes": ["US"]});
    fake.post(
        "/_mock/faults",
        &json!({"path": "/institutions/get_by_id", "latency_ms": 300}),
    );
    let started = std::time::Instant::now();
    assert_eq!(fake.plaid("/institutions/get_by_id", body.clone()).0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    fake.post(
        "/_mock/faults",
        &json!({"path": "/institutions/get_by_id", "drop_connection": true}),
    );
    let dropped = fake.try_plaid("/institutions/get_by_id", body.clone());
    assert!(dropped.is_err(), "a dropped connection, got {dropped:?}");
    assert_eq!(fake.plaid("/institutions/get_by_id", body).0, 200);
    let (_, journal) = fake.get("/_mock/requests?path=/institutions/get_by_id");
    assert_eq!(journal["requests"][1]["status"], Value::Null);
}

#[test]
fn a_clock_advance_expires_a_public_token() {
    let fake = Served::start(
        MockPlaid::builder().wall_clock().build(),
        ServerOptions::new(),
    );
    let (_, created) = fake.plaid(
        "/sandbox/public_token/create",
        json!({"institution_id": "ins_109508", "initial_products": ["transactions"]}),
    );
    let public_token = created["public_token"].as_str().unwrap().to_owned();
    let (_, before) = fake.get("/_mock/clock");
    assert_eq!(before["mode"], "following_wall_clock");
    let (status, after) = fake.post("/_mock/clock", &json!({"advance_seconds": 31 * 60}));
    assert_eq!(status, 200);
    assert_eq!(after["offset_seconds"], 31 * 60);
    let (status, refused) = fake.plaid(
        "/item/public_token/exchange",
        json!({"public_token": public_token}),
    );
    assert_eq!(status, 400);
    assert_eq!(refused["error_code"], "INVALID_PUBLIC_TOKEN");

    let (_, frozen) = fake.post("/_mock/clock", &json!({"set": "2030-01-01T00:00:00Z"}));
    assert_eq!(frozen["mode"], "following_wall_clock");
    let (_, frozen) = fake.post("/_mock/clock", &json!({"freeze": true}));
    assert_eq!(frozen["mode"], "frozen");
    assert!(frozen["now"]
        .as_str()
        .unwrap()
        .starts_with("2030-01-01T00:00"));
    let (_, back) = fake.post("/_mock/clock", &json!({"follow_wall_clock": true}));
    assert_eq!(back["offset_seconds"], 0);
}

#[test]
fn items_transactions_readiness_login_and_repair() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let item = fake.link();
    let token = item["access_token"].as_str().unwrap();
    let sync = |cursor: &str| {
        fake.plaid(
            "/transactions/sync",
            json!({"access_token": token, "cursor": cursor, "count": 500}),
        )
    };
    let (_, first) = sync("");
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let (status, added) = fake.post(
        "/_mock/items/transactions",
        &json!({"access_token": token, "amount": 12.5, "name": "Coffee"}),
    );
    assert_eq!(status, 200);
    let id = added["transaction_id"].as_str().unwrap();
    let (_, next) = sync(&cursor);
    assert_eq!(next["added"][0]["transaction_id"], id);
    assert_eq!(next["added"][0]["amount"], 12.5);
    let cursor = next["next_cursor"].as_str().unwrap().to_owned();
    fake.post(
        "/_mock/items/transactions/modify",
        &json!({"access_token": token, "transaction_id": id, "amount": 13}),
    );
    let (_, modified) = sync(&cursor);
    assert_eq!(modified["modified"][0]["transaction_id"], id);
    assert_eq!(modified["modified"][0]["amount"], 13.0);
    let cursor = modified["next_cursor"].as_str().unwrap().to_owned();
    fake.post(
        "/_mock/items/transactions/remove",
        &json!({"access_token": token, "transaction_id": id}),
    );
    let (_, removed) = sync(&cursor);
    assert_eq!(removed["removed"][0]["transaction_id"], id);

    fake.post(
        "/_mock/items/readiness",
        &json!({"access_token": token, "ready": false}),
    );
    assert_eq!(sync("").1["error_code"], "PRODUCT_NOT_READY");
    fake.post(
        "/_mock/items/readiness",
        &json!({"access_token": token, "ready": true}),
    );
    assert_eq!(
        fake.post("/_mock/items/reset_login", &json!({"access_token": token}))
            .0,
        200
    );
    assert_eq!(sync("").1["error_code"], "ITEM_LOGIN_REQUIRED");
    assert_eq!(
        fake.post("/_mock/items/repair", &json!({"access_token": token}))
            .0,
        200
    );
    assert_eq!(sync("").0, 200);
    let (status, unknown) = fake.post(
        "/_mock/items/repair",
        &json!({"access_token": "access-sandbox-nope"}),
    );
    assert_eq!(status, 404);
    assert!(unknown["error"]
        .as_str()
        .unwrap()
        .contains("INVALID_ACCESS_TOKEN"));
}

#[test]
fn journal_filtering_clearing_and_reset() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let item = fake.link();
    let token = item["access_token"].as_str().unwrap();
    fake.plaid("/accounts/get", json!({"access_token": token}));
    fake.plaid("/item/get", json!({"access_token": token}));
    fake.plaid("/item/get", json!({"access_token": token}));
    assert_eq!(
        fake.get("/_mock/requests").1["requests"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let (_, items) = fake.get("/_mock/requests?path=/item/get");
    assert_eq!(items["requests"].as_array().unwrap().len(), 2);
    assert_eq!(fake.delete("/_mock/requests").0, 200);
    assert_eq!(fake.get("/_mock/requests").1["requests"], json!([]));

    fake.plaid("/item/get", json!({"access_token": token}));
    let (status, _) = fake.post("/_mock/reset", &json!({}));
    assert_eq!(status, 200);
    assert_eq!(fake.get("/_mock/requests").1["requests"], json!([]));
    let (status, gone) = fake.plaid("/item/get", json!({"access_token": token}));
    assert_eq!(status, 400);
    assert_eq!(gone["error_code"], "INVALID_ACCESS_TOKEN");
    // The same seed gives the same item again.
    assert_eq!(fake.link(), item);
    fake.post("/_mock/reset", &json!({"seed": 99}));
    assert_ne!(fake.link(), item);
}

#[test]
fn webhooks_with_their_delivery_results() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let receiver = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", receiver.local_addr().unwrap());
    let serving = std::thread::spawn(move || support::answer_once(&receiver, 200));
    let (_, item) = fake.post("/_mock/items", &json!({"webhook": url}));
    let token = item["access_token"].as_str().unwrap();
    fake.post("/_mock/items/reset_login", &json!({"access_token": token}));
    let received = serving.join().unwrap();
    assert!(
        received.contains("\"webhook_code\":\"ERROR\""),
        "{received}"
    );
    let webhooks = support::eventually(|| {
        let (_, log) = fake.get("/_mock/webhooks");
        (log["webhooks"][0]["delivery"]["state"] == "delivered").then_some(log)
    });
    assert_eq!(webhooks["webhooks"][0]["delivery"]["status"], 200);
    assert_eq!(webhooks["webhooks"][0]["body"]["webhook_code"], "ERROR");

    // An item whose URL is not loopback: refused, and the log says why.
    let (_, far) = fake.post(
        "/_mock/items",
        &json!({"webhook": "https://example.com/hook"}),
    );
    let token = far["access_token"].as_str().unwrap();
    fake.post("/_mock/items/reset_login", &json!({"access_token": token}));
    let (_, log) = fake.get("/_mock/webhooks");
    assert_eq!(log["webhooks"][1]["delivery"]["state"], "failed");
    assert!(log["webhooks"][1]["delivery"]["error"]
        .as_str()
        .unwrap()
        .contains("loopback"));
}

#[test]
fn bad_control_input_gets_a_clear_error() {
    let fake = Served::start(MockPlaid::new(), ServerOptions::new());
    let cases = [
        ("/_mock/faults", "{not json"),
        ("/_mock/faults", "[1, 2]"),
        ("/_mock/faults", r#"{"path": "/item/get"}"#),
        (
            "/_mock/faults",
            r#"{"path": "item/get", "drop_connection": true}"#,
        ),
        (
            "/_mock/faults",
            r#"{"path": "/item/get", "probability": 2, "drop_connection": true}"#,
        ),
        (
            "/_mock/faults",
            r#"{"path": "/item/get", "error": {"error_type": "API_ERROR"}}"#,
        ),
        (
            "/_mock/faults",
            r#"{"path": "/item/get", "drop_connection": true, "error": {"error_type": "A", "error_code": "B"}}"#,
        ),
        ("/_mock/clock", r#"{"advance_seconds": "soon"}"#),
        ("/_mock/clock", r#"{"set": "yesterday"}"#),
        ("/_mock/clock", r#"{}"#),
        ("/_mock/reset", r#"{"seed": -1}"#),
        ("/_mock/items", r#"{"products": "transactions"}"#),
        ("/_mock/items", r#"{"institution_id": "ins_nowhere"}"#),
        ("/_mock/items/transactions", r#"{"access_token": "x"}"#),
        (
            "/_mock/items/readiness",
            r#"{"access_token": "x", "product": "auth", "ready": true}"#,
        ),
        ("/_mock/snapshot", r#"{}"#),
    ];
    for (path, body) in cases {
        let (status, answer) = fake.send("POST", path, body, &[]).unwrap();
        assert_eq!(status, 400, "{path} {body}: {answer}");
        assert!(answer["error"].is_string(), "{path} {body}: {answer}");
        assert!(answer["hint"].is_string(), "{path} {body}: {answer}");
    }
    // Still serving.
    assert_eq!(fake.get("/_mock/health").0, 200);
}

#[test]
fn the_token_guard() {
    let guarded = Served::start(
        MockPlaid::new(),
        ServerOptions::new().control(ControlAccess::Token("s3cret".into())),
    );
    let (status, refused) = guarded.get("/_mock/requests");
    assert_eq!(status, 401);
    assert!(refused["hint"].as_str().unwrap().contains("Bearer"));
    let wrong = guarded
        .send(
            "GET",
            "/_mock/requests",
            "",
            &[("authorization", "Bearer nope")],
        )
        .unwrap();
    assert_eq!(wrong.0, 401);
    let right = guarded
        .send(
            "GET",
            "/_mock/requests",
            "",
            &[("authorization", "Bearer s3cret")],
        )
        .unwrap();
    assert_eq!(right.0, 200);
    assert_eq!(guarded.get("/_mock/health").0, 200);

    let off = Served::start(
        MockPlaid::new(),
        ServerOptions::new().control(ControlAccess::Off),
    );
    let (status, answer) = off.post("/_mock/reset", &json!({}));
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("the control API (/_mock/...) is off on this server"),
        "{answer}"
    );
    let hint = answer["hint"].as_str().unwrap();
    assert!(
        hint.contains("--control-token") && hint.contains("PLAID_MOCK_CONTROL_TOKEN"),
        "says how to turn it on: {hint}"
    );
    assert_eq!(off.get("/_mock/health").0, 200);
    // A Plaid path is still answered as Plaid would.
    assert_eq!(off.post("/no/such/operation", &json!({})).0, 404);
}

/// The binary with exactly the image's flags (plaid-mock/Dockerfile), judged
/// as on a non-loopback address: the control API needs the token from the
/// environment.
#[test]
fn the_binary_with_the_image_flags() {
    let dir = support::temp_dir("image");
    let state = dir.join("state.json");
    let binary = Binary::start(
        &["--state", state.to_str().unwrap(), "--assume-non-loopback"],
        Some("image-token"),
    );
    assert_eq!(binary.get("/_mock/health").0, 200);
    // The image's HEALTHCHECK command.
    let health = std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
        .args([
            "--check-health",
            &format!("http://{}", support::Target::addr(&binary)),
        ])
        .status()
        .unwrap();
    assert!(health.success());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nobody = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unhealthy = std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
        .args(["--check-health", &nobody])
        .output()
        .unwrap();
    assert!(!unhealthy.status.success());
    let (status, refused) = binary.post("/_mock/items", &json!({}));
    assert_eq!(status, 401);
    assert!(
        refused["hint"]
            .as_str()
            .unwrap()
            .contains("the token of the PLAID_MOCK_CONTROL_TOKEN environment variable"),
        "the hint names where the token came from: {refused}"
    );
    let auth = [("authorization", "Bearer image-token")];
    let (status, item) = binary.send("POST", "/_mock/items", "{}", &auth).unwrap();
    assert_eq!(status, 200, "{item}");
    let (status, saved) = binary.send("POST", "/_mock/snapshot", "", &auth).unwrap();
    assert_eq!(status, 200, "{saved}");
    assert!(state.exists());

    let off = Binary::start(&["--assume-non-loopback"], None);
    let (status, answer) = off.post("/_mock/items", &json!({}));
    assert_eq!(status, 403, "{answer}");
    assert!(answer["hint"]
        .as_str()
        .unwrap()
        .contains("PLAID_MOCK_CONTROL_TOKEN"));

    let flag = Binary::start(&["--assume-non-loopback", "--control-token", "t"], None);
    let (status, refused) = flag.post("/_mock/items", &json!({}));
    assert_eq!(status, 401);
    assert!(
        refused["hint"]
            .as_str()
            .unwrap()
            .contains("the token of --control-token"),
        "{refused}"
    );
}

/// The image's health check probes the port the server listens on, not
/// always 8080: the server writes its URL to `PLAID_MOCK_ADDR_FILE` and
/// `check-health` reads it there (for serving, recording and replaying).
#[test]
fn the_health_check_probes_the_configured_port() {
    let dir = support::temp_dir("health");
    let check = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .arg("check-health")
            .env("PLAID_MOCK_ADDR_FILE", file)
            .output()
            .unwrap()
    };
    let served = dir.join("served.url");
    let binary = Binary::launch(
        &["--listen", "127.0.0.1:0"],
        &[("PLAID_MOCK_ADDR_FILE", served.to_str().unwrap())],
    );
    assert_eq!(
        std::fs::read_to_string(&served).unwrap(),
        format!("http://{}", support::Target::addr(&binary))
    );
    assert!(check(&served).status.success());
    drop(binary);
    let stopped = check(&served);
    assert!(!stopped.status.success(), "healthy with the server stopped");

    let cassette = dir.join("empty.cassette");
    std::fs::write(&cassette, "{\"cassette\":\"plaid-mock\",\"version\":1}\n").unwrap();
    let replayed = dir.join("replay.url");
    let replay = Binary::launch(
        &[
            "replay",
            "--cassette",
            cassette.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--addr-file",
            replayed.to_str().unwrap(),
        ],
        &[],
    );
    assert!(check(&replayed).status.success());
    drop(replay);
    let missing = check(&dir.join("never-written.url"));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("is plaid-mock running?"));
}

#[test]
fn state_survives_a_restart() {
    let dir = support::temp_dir("restart");
    let state = dir.join("state.json");
    let flags = ["--state", state.to_str().unwrap(), "--seed", "5"];
    let first = Binary::start(&flags, None);
    let item = first.link();
    let token = item["access_token"].as_str().unwrap().to_owned();
    let (_, added) = first.post(
        "/_mock/items/transactions",
        &json!({"access_token": token, "amount": 42.0, "name": "Kept"}),
    );
    let (_, before) = first.plaid(
        "/transactions/sync",
        json!({"access_token": token, "count": 500}),
    );
    first.stop();
    assert!(state.exists(), "SIGTERM saves the state");
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["format"], "plaid-mock-state");
    assert_eq!(saved["version"], 1);

    let second = Binary::start(&flags, None);
    let (status, after) = second.plaid(
        "/transactions/sync",
        json!({"access_token": token, "count": 500}),
    );
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["added"], before["added"]);
    assert!(after["added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["transaction_id"] == added["transaction_id"] && t["name"] == "Kept"));
    let (_, accounts) = second.plaid("/accounts/get", json!({"access_token": token}));
    assert_eq!(accounts["item"]["item_id"], item["item_id"]);
    // New ids go on from where the generator was, not from the seed again.
    assert_ne!(second.link()["item_id"], item["item_id"]);
}

#[test]
fn a_corrupt_or_newer_state_file_is_refused() {
    let dir = support::temp_dir("corrupt");
    let state = dir.join("state.json");
    for (content, says) in [
        (
            &b"{\"format\": \"plaid-mock-state\", \"vers"[..],
            "not valid JSON",
        ),
        (b"{\"hello\": 1}", "not a plaid-mock state file"),
        (
            b"{\"format\": \"plaid-mock-state\", \"version\": 1, \"state\": 3}",
            "damaged",
        ),
        (
            b"{\"format\": \"plaid-mock-state\", \"version\": 2}",
            "newer plaid-mock",
        ),
    ] {
        std::fs::write(&state, content).unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--state",
                state.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "must refuse: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(
            stderr.contains("move the file away") || stderr.contains("Move it away"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&state).unwrap(), content, "never replaced");
    }
}

/// The binary follows the wall clock: a webhook signed now carries a fresh
/// `iat`.
#[test]
fn the_binary_signs_webhooks_with_a_fresh_iat() {
    let binary = Binary::start(&[], None);
    let item = binary.link();
    binary.post(
        "/_mock/items/reset_login",
        &json!({"access_token": item["access_token"]}),
    );
    let (_, log) = binary.get("/_mock/webhooks");
    let signed = iat(log["webhooks"][0]["verification"].as_str().unwrap());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - signed).abs() <= 5, "iat {signed}, now {now}");
}

/// Ten minutes of "real" time pass at once (a source that jumps): the next
/// webhook's `iat` is the new time, so a verifier's five-minute window
/// accepts it.
#[test]
fn after_real_time_passes_the_iat_is_still_fresh() {
    let wall = ManualClock::new(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    );
    let fake = Served::start(
        MockPlaid::builder().clock_source(wall.clone()).build(),
        ServerOptions::new(),
    );
    let item = fake.link();
    wall.advance(10 * 60);
    fake.post(
        "/_mock/items/reset_login",
        &json!({"access_token": item["access_token"]}),
    );
    let (_, log) = fake.get("/_mock/webhooks");
    let signed = iat(log["webhooks"][0]["verification"].as_str().unwrap());
    assert_eq!(signed, plaid_core::clock::Clock::unix_now(&wall));
    let (_, created) = fake.plaid(
        "/item/public_token/create",
        json!({"access_token": item["access_token"]}),
    );
    // The token expires 30 minutes after the jumped time.
    let expiration = time::OffsetDateTime::parse(
        created["expiration"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(
        expiration.unix_timestamp(),
        plaid_core::clock::Clock::unix_now(&wall) + 30 * 60
    );
}
