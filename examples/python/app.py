"""An app's Plaid code, written against Plaid's official Python client.

Nothing here knows about plaid-mock: the tests point the client at the fake
with ``plaid.Configuration(host=...)`` and drive scenarios through its
control API.
"""

import datetime
import time

import plaid
from plaid.api import plaid_api
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.products import Products
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
from plaid.model.transactions_sync_request import TransactionsSyncRequest


def make_client(host, client_id, secret):
    """A Plaid API client for ``host`` (Plaid's sandbox URL in production use)."""
    configuration = plaid.Configuration(
        host=host, api_key={"clientId": client_id, "secret": secret}
    )
    return plaid_api.PlaidApi(plaid.ApiClient(configuration))


def with_retries(call, attempts=3, pause=0.05):
    """Runs ``call``, retrying Plaid's 5xx answers (an outage) a few times."""
    for attempt in range(attempts):
        try:
            return call()
        except plaid.ApiException as error:
            if error.status < 500 or attempt == attempts - 1:
                raise
            time.sleep(pause)


def link_sandbox_item(client, institution_id="ins_109508"):
    """Creates a sandbox item the way a server does after Link; returns its access token."""
    created = client.sandbox_public_token_create(
        SandboxPublicTokenCreateRequest(
            institution_id=institution_id, initial_products=[Products("transactions")]
        )
    )
    return exchange(client, created.public_token)


def exchange(client, public_token):
    """Exchanges a public token for an access token."""
    exchanged = client.item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=public_token)
    )
    return exchanged.access_token


def sync(client, access_token, cursor=""):
    """Every change since ``cursor``: ``(added, modified, removed, next_cursor)``."""
    added, modified, removed = [], [], []
    while True:
        page = with_retries(
            lambda: client.transactions_sync(
                TransactionsSyncRequest(access_token=access_token, cursor=cursor, count=500)
            )
        )
        added += page.added
        modified += page.modified
        removed += page.removed
        cursor = page.next_cursor
        if not page.has_more:
            return added, modified, removed, cursor


def recent_spending(client, access_token, days=30, today=None):
    """The sum of the amounts of the item's transactions of the last ``days`` days."""
    today = today or datetime.date.today()
    since = today - datetime.timedelta(days=days)
    added, _, _, _ = sync(client, access_token)
    return round(sum(t.amount for t in added if t.date >= since), 2)
