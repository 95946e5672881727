"""The app's Plaid code against plaid-mock, with scenarios set up through
the control API: an outage and its end, a clock that moves, new
transactions."""

import datetime

import plaid
import pytest
from plaid.model.products import Products
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest

import app

OUTAGE = {"error_type": "API_ERROR", "error_code": "INTERNAL_SERVER_ERROR", "status": 500}


def test_new_transactions_show_up_in_sync_and_in_the_sum(client, control):
    access_token = app.link_sandbox_item(client)
    before = app.recent_spending(client, access_token)
    _, _, _, cursor = app.sync(client, access_token)

    control.post("/_mock/items/transactions",
                 {"access_token": access_token, "amount": 12.5, "name": "Coffee"})
    control.post("/_mock/items/transactions",
                 {"access_token": access_token, "amount": 7.25, "name": "Bagel"})

    added, modified, removed, _ = app.sync(client, access_token, cursor)
    assert sorted(t.name for t in added) == ["Bagel", "Coffee"]
    assert (modified, removed) == ([], [])
    assert all(t.date == datetime.date.today() for t in added)
    assert app.recent_spending(client, access_token) == round(before + 19.75, 2)


def test_an_outage_is_retried_until_it_ends(client, control):
    access_token = app.link_sandbox_item(client)
    control.post("/_mock/faults", {"path": "/transactions/sync", "times": 2, "error": OUTAGE})

    added, _, _, _ = app.sync(client, access_token)

    assert len(added) == 50
    statuses = [r["status"] for r in
                control.get("/_mock/requests?path=/transactions/sync")["requests"]]
    assert statuses == [500, 500, 200]
    assert control.get("/_mock/faults")["faults"] == []


def test_a_long_outage_reaches_the_caller(client, control):
    access_token = app.link_sandbox_item(client)
    control.post("/_mock/faults", {"path": "/transactions/sync", "times": 5, "error": OUTAGE})

    with pytest.raises(plaid.ApiException) as raised:
        app.sync(client, access_token)

    assert raised.value.status == 500
    assert "INTERNAL_SERVER_ERROR" in raised.value.body
    assert control.get("/_mock/faults")["faults"][0]["remaining"] == 2


def test_a_public_token_expires_when_the_clock_moves(client, control):
    created = client.sandbox_public_token_create(
        SandboxPublicTokenCreateRequest(
            institution_id="ins_109508", initial_products=[Products("transactions")]
        )
    )
    control.post("/_mock/clock", {"advance_seconds": 31 * 60})

    with pytest.raises(plaid.ApiException) as raised:
        app.exchange(client, created.public_token)

    assert raised.value.status == 400
    assert "INVALID_PUBLIC_TOKEN" in raised.value.body


def test_a_public_token_works_before_it_expires(client, control):
    created = client.sandbox_public_token_create(
        SandboxPublicTokenCreateRequest(
            institution_id="ins_109508", initial_products=[Products("transactions")]
        )
    )
    control.post("/_mock/clock", {"advance_seconds": 29 * 60})

    assert app.exchange(client, created.public_token).startswith("access-sandbox-")
