"""A small web app that links bank accounts with Plaid Link.

The backend half of the example: it serves the page, creates link tokens,
exchanges public tokens and receives webhooks, talking to Plaid's API at
PLAID_URL (plaid-mock's URL in the tests; https://sandbox.plaid.com with real
credentials). Only Python's standard library is used.

    PLAID_URL=http://127.0.0.1:8080 python3 server.py --port 3000

The page loads Link's SDK from the URL in LINK_SCRIPT_URL (default: the SDK
at PLAID_URL, which plaid-mock serves; ``?sdk=cdn`` in the page's URL uses
Plaid's own CDN URL instead, for tests that route it to the fake).

``/react`` is the same flow written with ``react-plaid-link``, which adds
Plaid's CDN URL to the page itself (``?tag=1`` puts that tag in the page
first, for the hook to reuse). Its React files come from ``react/`` (run
``npm ci --prefix examples/web-link/react`` once) and are served as UMD
files, without a bundler.
"""

import argparse
import html
import json
import os
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = Path(__file__).resolve().parent / "react" / "node_modules"
# The UMD builds the React page loads, by the path it asks for.
VENDOR = {
    "/vendor/react.js": "react/umd/react.production.min.js",
    "/vendor/react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "/vendor/react-plaid-link.js": "react-plaid-link/dist/index.umd.min.js",
}
PLAID_CDN_SCRIPT = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"
SDK_PATH = "/link/v2/stable/link-initialize.js"


class PlaidError(Exception):
    """A Plaid error answer: its status and JSON body."""

    def __init__(self, status, body):
        super().__init__(body.get("error_code", status))
        self.status = status
        self.body = body


class Backend:
    """What the app keeps: access tokens by item id, webhooks received."""

    def __init__(self, plaid_url, client_id, secret):
        self.plaid_url = plaid_url.rstrip("/")
        self.client_id = client_id
        self.secret = secret
        self.access_tokens = {}
        self.webhooks = []
        self.lock = threading.Lock()
        self.base_url = None  # set once the server listens

    def plaid(self, path, body):
        """POSTs one Plaid operation; answers its JSON or raises PlaidError."""
        request = urllib.request.Request(
            self.plaid_url + path,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "PLAID-CLIENT-ID": self.client_id,
                "PLAID-SECRET": self.secret,
                "Plaid-Version": "2020-09-14",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise PlaidError(error.code, json.loads(error.read() or b"{}")) from None

    def create_link_token(self, options):
        body = {
            "client_name": "Web Link example",
            "user": {"client_user_id": "example-user-1"},
            "products": ["transactions"],
            "country_codes": ["US"],
            "language": "en",
            "webhook": self.base_url + "/api/webhook",
        }
        if options.get("item_id"):  # update mode: repair that item
            with self.lock:
                body["access_token"] = self.access_tokens[options["item_id"]]
            del body["products"]
        if options.get("choose_accounts"):
            body["account_filters"] = {
                "depository": {"account_subtypes": ["checking", "savings"]}
            }
        if options.get("hosted"):
            body["hosted_link"] = {"completion_redirect_uri": self.base_url + "/done"}
        return self.plaid("/link/token/create", body)

    def exchange(self, public_token):
        exchanged = self.plaid("/item/public_token/exchange", {"public_token": public_token})
        with self.lock:
            self.access_tokens[exchanged["item_id"]] = exchanged["access_token"]
        return self.item_status(exchanged["item_id"])

    def item_status(self, item_id):
        with self.lock:
            access_token = self.access_tokens[item_id]
        try:
            accounts = self.plaid("/accounts/get", {"access_token": access_token})
        except PlaidError as error:
            return {"item_id": item_id, "error": error.body.get("error_code")}
        return {
            "item_id": item_id,
            "error": None,
            "accounts": [
                {"account_id": a["account_id"], "name": a["name"], "mask": a["mask"]}
                for a in accounts["accounts"]
            ],
        }

    def reset_login(self, item_id):
        """Sandbox only: breaks the item's login, to try update mode."""
        with self.lock:
            access_token = self.access_tokens[item_id]
        self.plaid("/sandbox/item/reset_login", {"access_token": access_token})
        return self.item_status(item_id)


def make_handler(backend):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, content_type, data):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def send_json(self, status, value):
            self.send(status, "application/json", json.dumps(value).encode())

        def do_GET(self):
            path, _, query = self.path.partition("?")
            if path == "/":
                script = os.environ.get("LINK_SCRIPT_URL") or backend.plaid_url + SDK_PATH
                if "sdk=cdn" in query.split("&"):
                    script = PLAID_CDN_SCRIPT
                page = (STATIC / "index.html").read_text()
                page = page.replace("{{LINK_SCRIPT_URL}}", html.escape(script, quote=True))
                self.send(200, "text/html; charset=utf-8", page.encode())
            elif path == "/app.js":
                self.send(200, "text/javascript", (STATIC / "app.js").read_bytes())
            elif path == "/react":
                tag = ""
                if "tag=1" in query.split("&"):
                    tag = '<script src="%s"></script>' % PLAID_CDN_SCRIPT
                page = (STATIC / "react.html").read_text().replace("{{PLAID_SCRIPT_TAG}}", tag)
                self.send(200, "text/html; charset=utf-8", page.encode())
            elif path == "/react-app.js":
                self.send(200, "text/javascript", (STATIC / "react-app.js").read_bytes())
            elif path in VENDOR:
                file = NODE_MODULES / VENDOR[path]
                if file.is_file():
                    self.send(200, "text/javascript", file.read_bytes())
                else:
                    hint = "%s is missing: run npm ci --prefix examples/web-link/react" % file
                    self.send(404, "text/plain", hint.encode())
            elif path == "/done":
                self.send(200, "text/html; charset=utf-8", (STATIC / "done.html").read_bytes())
            elif path == "/api/webhooks":
                with backend.lock:
                    self.send_json(200, {"webhooks": list(backend.webhooks)})
            else:
                self.send(404, "text/plain", b"not found")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self.send_json(400, {"error": "send JSON"})
                return
            routes = {
                "/api/link_token": lambda: backend.create_link_token(body),
                "/api/exchange": lambda: backend.exchange(body["public_token"]),
                "/api/item_status": lambda: backend.item_status(body["item_id"]),
                "/api/sandbox/reset_login": lambda: backend.reset_login(body["item_id"]),
            }
            if self.path == "/api/webhook":
                with backend.lock:
                    backend.webhooks.append(body)
                self.send_json(200, {})
                return
            route = routes.get(self.path)
            if route is None:
                self.send(404, "text/plain", b"not found")
                return
            try:
                self.send_json(200, route())
            except PlaidError as error:
                self.send_json(error.status, error.body)
            except KeyError as missing:
                self.send_json(400, {"error": "missing or unknown " + str(missing)})

    return Handler


def start(plaid_url, port=0, client_id="mock-client-id", secret="mock-secret"):
    """Starts the app on 127.0.0.1:port in a thread; answers (server, backend)."""
    backend = Backend(plaid_url, client_id, secret)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(backend))
    backend.base_url = "http://127.0.0.1:%d" % server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, backend


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args()
    server, backend = start(
        os.environ.get("PLAID_URL", "http://127.0.0.1:8080"),
        args.port,
        os.environ.get("PLAID_CLIENT_ID", "mock-client-id"),
        os.environ.get("PLAID_SECRET", "mock-secret"),
    )
    print("web-link example on %s (Plaid at %s)" % (backend.base_url, backend.plaid_url))
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
