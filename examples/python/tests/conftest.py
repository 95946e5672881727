"""Fixtures: the plaid-mock binary and its control API.

Uses the server at ``PLAID_MOCK_URL`` when set (CI starts one); otherwise
starts ``PLAID_MOCK_BIN`` (default: the workspace's target/debug/plaid-mock).
"""

import json
import os
import pathlib
import subprocess
import sys
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import app  # noqa: E402

CLIENT_ID = "mock-client-id"
SECRET = "mock-secret"


class Control:
    """A tiny client for plaid-mock's control API (``/_mock/...``)."""

    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def post(self, path, body=None):
        return self.call("POST", path, body if body is not None else {})

    def get(self, path):
        return self.call("GET", path)

    def delete(self, path):
        return self.call("DELETE", path)


@pytest.fixture(scope="session")
def mock_url():
    url = os.environ.get("PLAID_MOCK_URL")
    if url:
        yield url.rstrip("/")
        return
    binary = os.environ.get(
        "PLAID_MOCK_BIN",
        str(pathlib.Path(__file__).resolve().parents[3] / "target" / "debug" / "plaid-mock"),
    )
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    address = line.split("http://")[1].split(" ")[0]
    yield "http://" + address
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def control(mock_url):
    control = Control(mock_url)
    control.post("/_mock/reset")
    control.post("/_mock/clock", {"follow_wall_clock": True})
    return control


@pytest.fixture
def client(mock_url, control):
    return app.make_client(mock_url, CLIENT_ID, SECRET)
