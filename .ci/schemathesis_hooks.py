"""Schemathesis hooks for .ci/fuzz (loaded through SCHEMATHESIS_HOOKS).

A header value Schemathesis generates may hold characters beyond Latin-1,
which its HTTP client cannot put on the wire (it stops with a
UnicodeEncodeError, an error of the tool, not of the fake). Such a value is
sent as its UTF-8 bytes instead: the bytes a client in another language
would send, and still a test of how the fake reads a header it did not
expect.
"""

import schemathesis


@schemathesis.hook
def map_headers(ctx, headers):
    if not headers:
        return headers
    for name, value in headers.items():
        if isinstance(value, str):
            try:
                value.encode("latin-1")
            except UnicodeEncodeError:
                headers[name] = value.encode("utf-8").decode("latin-1")
    return headers
