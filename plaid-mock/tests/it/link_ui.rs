//! The Link stand-in, server side: the SDK script and the panes are served
//! with the right content types and name the fake; the panes' steps check
//! the sandbox credentials; Hosted Link lives on the fake's base URL and
//! sends `SESSION_FINISHED`; update mode repairs the item. (The browser
//! half is tested by `examples/web-link/tests`, in Chromium.)

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use bytes::Bytes;
use plaid_mock::server::ServerOptions;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

use crate::support::{answer_once, Served, Target};

/// A raw GET: `(status, headers in lower case, body)`.
fn get(addr: SocketAddr, path: &str, host: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

fn link_token(served: &Served, extra: Value) -> Value {
    let mut body = json!({
        "client_name": "Link UI test",
        "user": {"client_user_id": "user-1"},
        "products": ["transactions"],
        "country_codes": ["US"],
        "language": "en",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let (status, created) = served.plaid("/link/token/create", body);
    assert_eq!(status, 200, "{created}");
    created
}

/// One step of the panes: `POST /link/ui/api/<step>`.
fn step(served: &Served, name: &str, body: Value) -> (u16, Value) {
    served.post(&format!("/link/ui/api/{name}"), &body)
}

fn accounts_of(served: &Served, public_token: &str) -> (String, Vec<Value>) {
    let (status, exchanged) = served.plaid(
        "/item/public_token/exchange",
        json!({"public_token": public_token}),
    );
    assert_eq!(status, 200, "{exchanged}");
    let access_token = exchanged["access_token"].as_str().unwrap().to_owned();
    let (status, accounts) = served.plaid("/accounts/get", json!({"access_token": access_token}));
    assert_eq!(status, 200, "{accounts}");
    (
        access_token,
        accounts["accounts"].as_array().unwrap().clone(),
    )
}

#[test]
fn the_sdk_script_is_javascript_that_names_the_fake() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let addr = served.addr();
    let (status, head, body) = get(
        addr,
        "/link/v2/stable/link-initialize.js",
        &addr.to_string(),
    );
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(body.contains("window.Plaid = {"), "defines window.Plaid");
    assert!(
        body.contains(&format!("var FAKE_ORIGIN = \"http://{addr}\";")),
        "the script names the fake it came from"
    );
    assert!(!body.contains("__PLAID_MOCK_ORIGIN__"));
    // Reached by another name (a container's host name): that name.
    let (_, _, body) = get(
        addr,
        "/link/v2/stable/link-initialize.js",
        "plaid-mock:8080",
    );
    assert!(body.contains("var FAKE_ORIGIN = \"http://plaid-mock:8080\";"));

    let (status, head, body) = get(addr, "/link/ui?token=x&origin=http://127.0.0.1:1", "h");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(head.contains("content-security-policy: default-src 'self'"));
    assert!(body.contains("<script src=\"/link/ui/link.js\"></script>"));
    let (status, head, _) = get(addr, "/link/ui/link.js", "h");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    let (status, head, _) = get(addr, "/link/ui/link.css", "h");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");

    // Plaid operations are still Plaid's: a GET of one is not the panes'.
    let (status, _, _) = get(addr, "/link/token/create", "h");
    assert_ne!(status, 200);
    let (status, unknown) = step(&served, "nonsense", json!({}));
    assert_eq!(status, 404, "{unknown}");
}

#[test]
fn hosted_link_url_is_on_the_fakes_base_url() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let created = link_token(
        &served,
        json!({"hosted_link": {"completion_redirect_uri": "http://127.0.0.1:9/done"}}),
    );
    let token = created["link_token"].as_str().unwrap();
    let url = created["hosted_link_url"].as_str().unwrap();
    assert_eq!(url, format!("http://{}/hl/{token}", served.addr()));
    let (status, head, body) = get(served.addr(), &format!("/hl/{token}"), "h");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(body.contains("link.js"));
    // Without hosted_link there is no URL.
    assert!(link_token(&served, json!({}))
        .get("hosted_link_url")
        .is_none());
}

#[tokio::test]
async fn in_process_hosted_link_url_is_a_name_that_never_resolves() {
    let mock = MockPlaid::new();
    let body = json!({"client_name": "x", "user": {"client_user_id": "u"},
        "products": ["auth"], "country_codes": ["US"], "language": "en", "hosted_link": {}});
    let request = http::Request::post("/link/token/create")
        .header("plaid-client-id", mock.client_id())
        .header("plaid-secret", mock.secret())
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .unwrap();
    let answer: Value = serde_json::from_slice(mock.handle(request).await.body()).unwrap();
    let token = answer["link_token"].as_str().unwrap();
    assert_eq!(
        answer["hosted_link_url"],
        format!("http://plaid-mock.invalid/hl/{token}")
    );
}

#[test]
fn finishing_hosted_link_sends_session_finished_with_the_public_token() {
    let receiver = TcpListener::bind("127.0.0.1:0").unwrap();
    let webhook = format!("http://{}/hook", receiver.local_addr().unwrap());
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let created = link_token(
        &served,
        json!({"webhook": webhook,
               "hosted_link": {"completion_redirect_uri": "https://app.example/done"}}),
    );
    let token = created["link_token"].as_str().unwrap();
    let (status, opened) = step(&served, "open", json!({"link_token": token}));
    assert_eq!(status, 200, "{opened}");
    assert_eq!(opened["hosted"], true);
    assert_eq!(
        opened["completion_redirect_uri"],
        "https://app.example/done"
    );
    let session = opened["link_session_id"].as_str().unwrap();
    let (status, finished) = step(
        &served,
        "finish",
        json!({"link_token": token, "link_session_id": session, "institution_id": "ins_109508",
               "username": "user_good", "password": "pass_good", "mfa": []}),
    );
    assert_eq!(status, 200, "{finished}");
    let public_token = finished["public_token"].as_str().unwrap();

    let delivered = answer_once(&receiver, 200);
    let body: Value = serde_json::from_str(delivered.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["webhook_type"], "LINK");
    assert_eq!(body["webhook_code"], "SESSION_FINISHED");
    assert_eq!(body["status"], "SUCCESS");
    assert_eq!(body["link_token"], token);
    assert_eq!(body["link_session_id"], session);
    assert_eq!(body["public_tokens"], json!([public_token]));
    assert!(delivered.to_lowercase().contains("plaid-verification: ey"));

    // The public token exchanges to the accounts onSuccess was told of,
    // and /link/token/get lists the session.
    let (_, accounts) = accounts_of(&served, public_token);
    let told: Vec<&Value> = finished["metadata"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    let got: Vec<&Value> = accounts.iter().map(|a| &a["account_id"]).collect();
    assert_eq!(told, got);
    let (_, listed) = served.plaid("/link/token/get", json!({"link_token": token}));
    assert_eq!(listed["link_sessions"][0]["link_session_id"], session);
}

#[test]
fn the_panes_check_the_sandbox_credentials() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let created = link_token(
        &served,
        json!({"account_filters": {"depository": {"account_subtypes": ["checking", "savings"]}}}),
    );
    let token = created["link_token"].as_str().unwrap();
    let (_, opened) = step(&served, "open", json!({"link_token": token}));
    assert_eq!(opened["select_account"], true);
    assert_eq!(opened["update_mode"], false);
    let (_, found) = step(&served, "institutions", json!({"query": "platypus"}));
    assert_eq!(found["institutions"][0]["name"], "First Platypus Bank");

    let login = |password: &str| {
        step(
            &served,
            "credentials",
            json!({"link_token": token, "username": "user_good", "password": password}),
        )
    };
    let (status, wrong) = login("nope");
    assert_eq!(status, 400);
    assert_eq!(wrong["error_code"], "INVALID_CREDENTIALS");
    let (status, locked) = login("error_ITEM_LOCKED");
    assert_eq!(status, 400);
    assert_eq!(
        (locked["error_type"].as_str(), locked["error_code"].as_str()),
        (Some("ITEM_ERROR"), Some("ITEM_LOCKED"))
    );
    assert!(locked["display_message"].is_string());
    let (status, asked) = login("mfa_device");
    assert_eq!(status, 200);
    assert_eq!(asked["next"], "mfa");
    assert_eq!(asked["mfa"]["type"], "device");
    let (status, ok) = login("pass_good");
    assert_eq!(status, 200);
    assert_eq!(ok["next"], "accounts");
    assert_eq!(ok["accounts"][1]["name"], "Plaid Saving");
    // The token's account_filters (checking, savings) decide what is offered.
    assert_eq!(ok["accounts"].as_array().unwrap().len(), 2, "{ok}");

    let mfa = |code: &str| {
        step(
            &served,
            "mfa",
            json!({"link_token": token, "username": "user_good", "password": "mfa_device",
                   "round": 0, "answers": [code]}),
        )
    };
    assert_eq!(mfa("1111").1["error_code"], "INVALID_MFA");
    assert_eq!(mfa("1234").1["next"], "accounts");

    let finish = |mfa: Value| {
        step(
            &served,
            "finish",
            json!({"link_token": token, "institution_id": "ins_109508", "username": "user_good",
                   "password": "mfa_device", "mfa": mfa, "accounts": [1]}),
        )
    };
    // Finishing checks every answer again, and the accounts picked.
    let (status, credit_card) = step(
        &served,
        "finish",
        json!({"link_token": token, "institution_id": "ins_109508", "username": "user_good",
               "password": "pass_good", "mfa": [], "accounts": [3]}),
    );
    assert_eq!(status, 400);
    assert_eq!(credit_card["error_code"], "INVALID_FIELD");
    let (status, skipped) = finish(json!([]));
    assert_eq!(status, 400);
    assert_eq!(skipped["error_code"], "INVALID_MFA");
    let (status, finished) = finish(json!([["1234"]]));
    assert_eq!(status, 200, "{finished}");
    let told = finished["metadata"]["accounts"].as_array().unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["name"], "Plaid Saving");
    let (_, accounts) = accounts_of(&served, finished["public_token"].as_str().unwrap());
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["account_id"], told[0]["id"]);

    // An unknown link token is Plaid's error.
    let (status, unknown) = step(&served, "open", json!({"link_token": "link-sandbox-nope"}));
    assert_eq!(status, 400);
    assert_eq!(unknown["error_code"], "INVALID_LINK_TOKEN");
}

#[test]
fn update_mode_repairs_the_item_instead_of_making_one() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let item = served.link();
    let access_token = item["access_token"].as_str().unwrap();
    let (status, _) = served.plaid(
        "/sandbox/item/reset_login",
        json!({"access_token": access_token}),
    );
    assert_eq!(status, 200);
    let (status, broken) = served.plaid("/accounts/get", json!({"access_token": access_token}));
    assert_eq!(status, 400);
    assert_eq!(broken["error_code"], "ITEM_LOGIN_REQUIRED");

    let created = link_token(&served, json!({"access_token": access_token}));
    let token = created["link_token"].as_str().unwrap();
    let (_, opened) = step(&served, "open", json!({"link_token": token}));
    assert_eq!(opened["update_mode"], true);
    assert_eq!(opened["institution"]["institution_id"], "ins_109508");
    let (status, finished) = step(
        &served,
        "finish",
        json!({"link_token": token, "username": "user_good", "password": "pass_good", "mfa": []}),
    );
    assert_eq!(status, 200, "{finished}");

    let (status, repaired) = served.plaid("/accounts/get", json!({"access_token": access_token}));
    assert_eq!(status, 200, "{repaired}");
    assert_eq!(repaired["item"]["item_id"], item["item_id"]);
    let repairs: Vec<Value> = served
        .mock
        .webhooks()
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap())
        .filter(|b| b["webhook_code"] == "LOGIN_REPAIRED")
        .collect();
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0]["item_id"], item["item_id"]);
    // The public token belongs to the same item: no new one was made.
    let (exchanged_token, accounts) =
        accounts_of(&served, finished["public_token"].as_str().unwrap());
    assert_eq!(exchanged_token, access_token);
    assert_eq!(
        accounts.len(),
        repaired["accounts"].as_array().unwrap().len()
    );
}

#[test]
fn the_control_apis_link_completion_repairs_in_update_mode_too() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let item = served.link();
    let access_token = item["access_token"].as_str().unwrap();
    served.plaid(
        "/sandbox/item/reset_login",
        json!({"access_token": access_token}),
    );
    let created = link_token(&served, json!({"access_token": access_token}));
    let (status, done) = served.post(
        "/_mock/link/complete",
        &json!({"link_token": created["link_token"]}),
    );
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["item_id"], item["item_id"]);
    let (status, _) = served.plaid("/accounts/get", json!({"access_token": access_token}));
    assert_eq!(status, 200);
}

#[test]
fn the_control_apis_link_completion_finishes_hosted_link_too() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let created = link_token(&served, json!({"hosted_link": {}}));
    let (status, done) = served.post(
        "/_mock/link/complete",
        &json!({"link_token": created["link_token"]}),
    );
    assert_eq!(status, 200, "{done}");
    let finished: Vec<Value> = served
        .mock
        .webhooks()
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap())
        .filter(|b| b["webhook_code"] == "SESSION_FINISHED")
        .collect();
    assert_eq!(finished.len(), 1);
    assert_eq!(finished[0]["public_tokens"], json!([done["public_token"]]));
    assert_eq!(finished[0]["link_session_id"], done["link_session_id"]);
}

#[test]
fn leaving_hosted_link_sends_session_finished_exited() {
    let served = Served::start(MockPlaid::new(), ServerOptions::new());
    let created = link_token(&served, json!({"hosted_link": {}}));
    let token = created["link_token"].as_str().unwrap();
    let (_, opened) = step(&served, "open", json!({"link_token": token}));
    let (status, _) = step(
        &served,
        "exit",
        json!({"link_token": token, "link_session_id": opened["link_session_id"]}),
    );
    assert_eq!(status, 200);
    let bodies: Vec<Value> = served
        .mock
        .webhooks()
        .iter()
        .map(|w| serde_json::from_slice::<Value>(&w.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["webhook_code"], "SESSION_FINISHED");
    assert_eq!(bodies[0]["status"], "EXITED");
    assert_eq!(bodies[0]["public_tokens"], json!([]));
    assert_eq!(bodies[0]["link_session_id"], opened["link_session_id"]);
    // Leaving Link without Hosted Link sends nothing.
    let plain = link_token(&served, json!({}));
    step(&served, "exit", json!({"link_token": plain["link_token"]}));
    assert_eq!(served.mock.webhooks().len(), 1);
}
