"""Schemathesis hooks for .ci/fuzz (loaded through SCHEMATHESIS_HOOKS).

Header values are fuzzed too, and two kinds of generated value are not
requests to the API at all:

- A control character (U+0000 to U+001F but the tab, and U+007F) is not
  allowed in an HTTP field value (RFC 9110, section 5.5). Any HTTP server
  refuses such a request before the application sees it (hyper, under the
  fake, answers 400 with no body, as a front end would in front of Plaid),
  and Schemathesis's client sends it anyway. Those characters are removed.
- A character beyond Latin-1 cannot be put on the wire by Schemathesis's
  client (it stops with a UnicodeEncodeError, an error of the tool). Such a
  value is sent as its UTF-8 bytes: what a client in another language would
  send, and still a test of how the fake reads a header it did not expect.
"""

import re

import schemathesis

CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def on_the_wire(value):
    """The generated header value as a valid HTTP field value."""
    value = CONTROL.sub("", value)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        value = value.encode("utf-8").decode("latin-1")
    return value


@schemathesis.hook
def map_headers(ctx, headers):
    if not headers:
        return headers
    for name, value in headers.items():
        if isinstance(value, str):
            headers[name] = on_the_wire(value)
    return headers
