"""Browser tests of the web-link example against plaid-mock's Link stand-in.

A real headless Chromium (Debian's, at CHROMIUM or /usr/bin/chromium) opens
the example's page, served on its own 127.0.0.1 port: another origin than
the fake. Every request that is not to 127.0.0.1 is aborted and recorded, and
each test checks that there was none (the one exception: Plaid's CDN URL,
which the CDN test routes to the fake, as a test suite would).

PLAID_MOCK_URL names a running plaid-mock; without it the tests start the
binary at PLAID_MOCK_BIN (default target/debug/plaid-mock).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent
REPO = EXAMPLE.parent.parent
sys.path.insert(0, str(EXAMPLE))

import server as web_link  # noqa: E402

CDN_SCRIPT = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"
SDK_PATH = "/link/v2/stable/link-initialize.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def plaid(fake, path, body):
    request = urllib.request.Request(
        fake + path,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "PLAID-CLIENT-ID": "mock-client-id",
            "PLAID-SECRET": "mock-secret",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="session")
def fake():
    url = os.environ.get("PLAID_MOCK_URL")
    if url:
        yield url.rstrip("/")
        return
    binary = os.environ.get("PLAID_MOCK_BIN", str(REPO / "target/debug/plaid-mock"))
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    match = re.search(r"http://[0-9.:]+", line)
    assert match, "plaid-mock did not say where it listens: %r" % line
    yield match.group(0)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def app(fake):
    server, backend = web_link.start(fake)
    yield backend
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def offline(browser, fake):
    """A page whose every request beyond 127.0.0.1 is aborted; Plaid's CDN
    URL of the SDK is answered by the fake."""
    context = browser.new_context(viewport={"width": 800, "height": 640})
    blocked = []
    routed = []

    def route(route):
        url = route.request.url
        if url == CDN_SCRIPT:
            routed.append(url)
            route.fulfill(response=route.fetch(url=fake + SDK_PATH))
        elif urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked = blocked
    page.routed = routed
    yield page
    context.close()
    assert blocked == [], "requests beyond 127.0.0.1: %r" % blocked


def link_frame(page):
    return page.frame_locator('iframe[title="Plaid Link"]')


def pick_institution(frame, name="First Platypus Bank"):
    frame.get_by_label("Search for your bank").fill("Platypus")
    frame.get_by_role("button", name=name, exact=True).click()


def log_in(frame, password="pass_good", username="user_good"):
    frame.get_by_label("Username").fill(username)
    frame.get_by_label("Password").fill(password)
    frame.get_by_role("button", name="Submit").click()


def finish(page, frame):
    frame.get_by_role("button", name="Continue").click()
    page.wait_for_function("window.linked !== null")
    return page.evaluate("({success: window.linkSuccess, linked: window.linked, events: window.linkEvents})")


def names(events):
    return [
        e["eventName"] + (":" + e["metadata"]["view_name"] if e["eventName"] == "TRANSITION_VIEW" else "")
        for e in events
    ]


def test_user_good_links_first_platypus_bank(offline, app, fake, tmp_path):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    pick_institution(frame)
    expect(frame.get_by_role("heading", name="Log in to First Platypus Bank")).to_be_visible()
    frame.get_by_label("Username").fill("user_good")
    shot = tmp_path / "link-panes.png"
    page.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copy(shot, EXAMPLE / "link-panes.png")
    frame.get_by_label("Password").fill("pass_good")
    frame.get_by_role("button", name="Submit").click()
    result = finish(page, frame)

    success = result["success"]
    assert success["publicToken"].startswith("public-sandbox-")
    metadata = success["metadata"]
    assert metadata["institution"] == {"name": "First Platypus Bank", "institution_id": "ins_109508"}
    assert metadata["transfer_status"] is None
    told = [a["id"] for a in metadata["accounts"]]
    assert told, "onSuccess names the accounts"
    for account in metadata["accounts"]:
        assert set(account) == {"id", "name", "mask", "type", "subtype", "verification_status", "class_type"}
    # The public token exchanged (by the app's backend) to those accounts.
    assert [a["account_id"] for a in result["linked"]["accounts"]] == told

    events = result["events"]
    assert names(events) == [
        "OPEN",
        "TRANSITION_VIEW:SELECT_INSTITUTION",
        "SEARCH_INSTITUTION",
        "SELECT_INSTITUTION",
        "TRANSITION_VIEW:CREDENTIAL",
        "SUBMIT_CREDENTIALS",
        "TRANSITION_VIEW:LOADING",
        "TRANSITION_VIEW:CONNECTED",
        "HANDOFF",
    ]
    session = metadata["link_session_id"]
    for event in events:
        assert event["metadata"]["link_session_id"] == session
        assert event["metadata"]["request_id"]
        assert re.match(r"\d{4}-\d\d-\d\dT", event["metadata"]["timestamp"])
    select = events[3]["metadata"]
    assert select["institution_id"] == "ins_109508"
    assert select["institution_name"] == "First Platypus Bank"
    assert events[2]["metadata"]["institution_search_query"] == "Platypus"

    # The item has the link token's webhook and products, and its webhooks
    # go there, as for an item made by /sandbox/public_token/create.
    item_id = result["linked"]["item_id"]
    access_token = app.access_tokens[item_id]
    status, item = plaid(fake, "/item/get", {"access_token": access_token})
    assert item["item"]["webhook"] == app.base_url + "/api/webhook"
    assert "transactions" in item["item"]["products"] + item["item"]["billed_products"]
    status, _ = plaid(fake, "/sandbox/item/fire_webhook", {"access_token": access_token, "webhook_code": "DEFAULT_UPDATE"})
    assert status == 200
    hooks = _wait_for_webhooks(app, lambda hooks: any(h.get("item_id") == item_id for h in hooks))
    assert [h["webhook_code"] for h in hooks if h.get("item_id") == item_id] == ["DEFAULT_UPDATE"]


def _wait_for_webhooks(app, ready, timeout=5.0):
    import time

    deadline = time.monotonic() + timeout
    while True:
        with app.lock:
            hooks = list(app.webhooks)
        if ready(hooks) or time.monotonic() > deadline:
            return hooks
        time.sleep(0.05)


def test_link_token_get_lists_the_session(offline, app, fake):
    page = offline
    status, created = plaid(
        fake,
        "/link/token/create",
        {
            "client_name": "t",
            "user": {"client_user_id": "u"},
            "products": ["auth"],
            "country_codes": ["US"],
            "language": "en",
        },
    )
    assert status == 200
    page.goto(app.base_url + "/")
    page.evaluate(
        """token => {
            window.done = null;
            const handler = Plaid.create({token, onSuccess: (t, m) => { window.done = {t, m}; }});
            handler.open();
        }""",
        created["link_token"],
    )
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame)
    frame.get_by_role("button", name="Continue").click()
    page.wait_for_function("window.done !== null")
    done = page.evaluate("window.done")
    status, got = plaid(fake, "/link/token/get", {"link_token": created["link_token"]})
    assert status == 200
    sessions = got["link_sessions"]
    assert [s["link_session_id"] for s in sessions] == [done["m"]["link_session_id"]]
    added = sessions[0]["results"]["item_add_results"][0]
    assert added["public_token"] == done["t"]
    assert [a["id"] for a in added["accounts"]] == [a["id"] for a in done["m"]["accounts"]]
    status, exchanged = plaid(fake, "/item/public_token/exchange", {"public_token": done["t"]})
    status, item = plaid(fake, "/item/get", {"access_token": exchanged["access_token"]})
    assert "auth" in item["item"]["products"] + item["item"]["billed_products"]


def test_plaid_cdn_url_routed_to_the_fake_with_account_selection(offline, app):
    page = offline
    page.goto(app.base_url + "/?sdk=cdn")
    assert page.routed == [CDN_SCRIPT]
    page.get_by_role("button", name="Link an account (choose accounts)").click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame)
    expect(frame.get_by_role("heading", name="Select accounts")).to_be_visible()
    continue_button = frame.get_by_role("button", name="Continue")
    expect(continue_button).to_be_disabled()
    # The link token's account_filters (checking and savings) decide what is offered.
    expect(frame.get_by_role("checkbox")).to_have_count(2)
    expect(frame.get_by_label("Plaid Credit Card ••3333")).to_have_count(0)
    frame.get_by_label("Plaid Saving ••1111").check()
    continue_button.click()
    result = finish(page, frame)
    accounts = result["success"]["metadata"]["accounts"]
    assert [(a["name"], a["mask"]) for a in accounts] == [("Plaid Saving", "1111")]
    assert [a["account_id"] for a in result["linked"]["accounts"]] == [accounts[0]["id"]]
    assert "TRANSITION_VIEW:SELECT_ACCOUNT" in names(result["events"])


@pytest.mark.parametrize("query", ["", "?tag=1"], ids=["hook-adds-the-tag", "tag-already-in-page"])
def test_react_plaid_link_with_plaid_cdn_url_routed_to_the_fake(offline, app, query):
    """react-plaid-link's usePlaidLink loads Plaid's exact CDN URL itself, or
    reuses a <script> tag already in the page with that URL: either way
    one tag, one request (routed to the fake) and a working Link."""
    vendor = EXAMPLE / "react" / "node_modules" / "react-plaid-link"
    assert vendor.is_dir(), "run `npm ci --prefix examples/web-link/react` first"
    page = offline
    page.goto(app.base_url + "/react" + query)
    button = page.get_by_role("button", name="Link an account")
    expect(button).to_be_enabled()
    assert page.routed == [CDN_SCRIPT]
    assert page.evaluate("document.querySelectorAll('script[src=\"%s\"]').length" % CDN_SCRIPT) == 1
    button.click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame)
    result = finish(page, frame)
    success = result["success"]
    assert success["publicToken"].startswith("public-sandbox-")
    told = [a["id"] for a in success["metadata"]["accounts"]]
    assert told and [a["account_id"] for a in result["linked"]["accounts"]] == told
    assert names(result["events"])[0] == "OPEN"
    assert names(result["events"])[-1] == "HANDOFF"
    expect(page.get_by_label("Result")).to_contain_text(result["linked"]["item_id"])


def test_mfa_device_with_code_1234(offline, app):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame, password="mfa_device")
    frame.get_by_label("Verification code").fill("1234")
    frame.get_by_role("button", name="Submit").click()
    result = finish(page, frame)
    assert result["success"]["publicToken"].startswith("public-sandbox-")
    assert result["linked"]["accounts"]
    assert names(result["events"])[5:] == [
        "SUBMIT_CREDENTIALS",
        "TRANSITION_VIEW:LOADING",
        "TRANSITION_VIEW:MFA",
        "SUBMIT_MFA",
        "TRANSITION_VIEW:LOADING",
        "TRANSITION_VIEW:CONNECTED",
        "HANDOFF",
    ]
    mfa = [e for e in result["events"] if e["eventName"] == "SUBMIT_MFA"][0]
    assert mfa["metadata"]["mfa_type"] == "code"


def test_a_wrong_mfa_code_is_an_error_and_can_be_retried(offline, app):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame, password="mfa_device")
    frame.get_by_label("Verification code").fill("9999")
    frame.get_by_role("button", name="Submit").click()
    expect(frame.get_by_text("ITEM_ERROR · INVALID_MFA")).to_be_visible()
    frame.get_by_role("button", name="Try again").click()
    log_in(frame, password="mfa_device")
    frame.get_by_label("Verification code").fill("1234")
    frame.get_by_role("button", name="Submit").click()
    result = finish(page, frame)
    assert result["success"]["publicToken"].startswith("public-sandbox-")


def test_error_item_locked_ends_in_on_exit(offline, app):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame, password="error_ITEM_LOCKED")
    expect(frame.get_by_role("heading", name="Something went wrong")).to_be_visible()
    frame.get_by_role("button", name="Exit").click()
    page.wait_for_function("window.linkExit !== null")
    exit = page.evaluate("window.linkExit")
    error = exit["error"]
    assert error["error_code"] == "ITEM_LOCKED"
    assert error["error_type"] == "ITEM_ERROR"
    assert set(error) == {"error_type", "error_code", "error_message", "display_message"}
    assert error["display_message"]
    metadata = exit["metadata"]
    assert set(metadata) == {"institution", "status", "link_session_id", "request_id"}
    assert metadata["institution"]["institution_id"] == "ins_109508"
    assert metadata["status"] == "requires_credentials"
    assert page.evaluate("window.linkSuccess") is None
    events = page.evaluate("window.linkEvents")
    assert names(events)[5:] == [
        "SUBMIT_CREDENTIALS",
        "TRANSITION_VIEW:LOADING",
        "ERROR",
        "TRANSITION_VIEW:ERROR",
        "EXIT",
    ]
    assert events[7]["metadata"]["error_code"] == "ITEM_LOCKED"
    assert events[-1]["metadata"]["exit_status"] == "requires_credentials"
    # The iframe overlay is gone again.
    expect(page.locator('iframe[title="Plaid Link"]')).to_have_count(0)


def test_closing_asks_first_and_exit_force_closes(offline, app):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    frame.get_by_role("button", name="Close").click()
    expect(frame.get_by_role("heading", name="Exit Link?")).to_be_visible()
    frame.get_by_role("button", name="Go back").click()
    expect(frame.get_by_label("Search for your bank")).to_be_visible()
    page.evaluate("window.linkHandler.exit({force: true})")
    page.wait_for_function("window.linkExit !== null")
    exit = page.evaluate("window.linkExit")
    assert exit["error"] is None
    assert exit["metadata"]["status"] == "institution_not_found"
    assert exit["metadata"]["institution"] is None
    assert names(page.evaluate("window.linkEvents")) == [
        "OPEN",
        "TRANSITION_VIEW:SELECT_INSTITUTION",
        "TRANSITION_VIEW:EXIT",
        "TRANSITION_VIEW:SELECT_INSTITUTION",
        "EXIT",
    ]


def test_update_mode_repairs_the_item(offline, app):
    page = offline
    page.goto(app.base_url + "/")
    page.get_by_role("button", name="Link an account", exact=True).click()
    frame = link_frame(page)
    pick_institution(frame)
    log_in(frame)
    first = finish(page, frame)
    item_id = first["linked"]["item_id"]

    page.get_by_role("button", name="Break login (sandbox)").click()
    page.wait_for_function("window.linked.error === 'ITEM_LOGIN_REQUIRED'")

    page.evaluate("window.linked = null; window.linkSuccess = null; window.linkEvents = []")
    page.get_by_role("button", name="Fix login").click()
    frame = link_frame(page)
    # Update mode opens on the item's institution: no search.
    expect(frame.get_by_role("heading", name="Log in to First Platypus Bank")).to_be_visible()
    log_in(frame)
    second = finish(page, frame)
    assert second["linked"]["item_id"] == item_id
    assert second["linked"]["error"] is None
    assert second["linked"]["accounts"] == first["linked"]["accounts"]
    assert [a["id"] for a in second["success"]["metadata"]["accounts"]] == [
        a["account_id"] for a in first["linked"]["accounts"]
    ]
    assert names(second["events"])[:3] == ["OPEN", "TRANSITION_VIEW:CREDENTIAL", "SUBMIT_CREDENTIALS"]
    hooks = _wait_for_webhooks(
        app,
        lambda hooks: any(h.get("webhook_code") == "LOGIN_REPAIRED" and h.get("item_id") == item_id for h in hooks),
    )
    assert any(h.get("webhook_code") == "LOGIN_REPAIRED" and h.get("item_id") == item_id for h in hooks)


def test_hosted_link_redirects_and_sends_session_finished(offline, app, fake):
    page = offline
    page.goto(app.base_url + "/")
    with page.expect_navigation(url=re.compile(r"/hl/link-sandbox-")):
        page.get_by_role("button", name="Hosted Link").click()
    assert page.url.startswith(fake + "/hl/")
    token = page.url.rsplit("/", 1)[1]
    pick_institution(page)
    log_in(page)
    with page.expect_navigation(url=app.base_url + "/done"):
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hosted Link finished")).to_be_visible()
    hooks = _wait_for_webhooks(app, lambda hooks: any(h.get("webhook_code") == "SESSION_FINISHED" for h in hooks))
    finished = [h for h in hooks if h.get("webhook_code") == "SESSION_FINISHED" and h.get("link_token") == token]
    assert len(finished) == 1, hooks
    hook = finished[0]
    assert hook["webhook_type"] == "LINK"
    assert hook["status"] == "SUCCESS"
    assert hook["link_session_id"]
    assert len(hook["public_tokens"]) == 1 and hook["public_tokens"][0].startswith("public-sandbox-")
    status, exchanged = plaid(fake, "/item/public_token/exchange", {"public_token": hook["public_tokens"][0]})
    assert status == 200 and exchanged["access_token"].startswith("access-sandbox-")
