"""Hand-confirmation of every non-pass catalog row of httptools, with httptools' own API (no h11spec code).

Run: python reports/ecosystem/httptools/confirm.py  (prints one line per input: what httptools did).
"""

from __future__ import annotations

import httptools

CASES = {
    # case id: (role, bytes)
    "9112/6.1/te-chunked-twice-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/5.1/te-value-htab-ows": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/6.1/te-in-http10-request": (
        "server",
        b"POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/6.1/te-in-http10-response": (
        "client",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/5.2/te-obs-fold-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/5.2/obs-fold-response": ("client", b"HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"),
    "9112/7.1.1/chunk-ext-bws-before-semicolon": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/5/field-value-ows-stripped": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX-A:  \t b \t\r\n\r\n"),
    "9112/3/request-line-double-sp": ("server", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9112/2.3/request-line-http09": ("server", b"GET /\r\nHost: a\r\n\r\n"),
    "9112/3/method-lowercase-kept": ("server", b"get / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9112/3.2/host-missing": ("server", b"GET / HTTP/1.1\r\n\r\n"),
    "9112/3.2/host-duplicated-differ": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    "9112/3.2/host-with-path": ("server", b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
    "9112/4/status-code-below-100": ("client", b"HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n"),
    "9112/4/status-reason-nul": ("client", b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n"),
    # Model checker (byte streams, depth ci): after an interim HTTP/1.0 1xx the final response is refused
    # as "Data after `Connection: close`" (an HTTP/1.1 103 is fine). RFC 9110 §15.2: a client MUST be
    # able to parse one or more 1xx responses received prior to a final response.
    "model: http10-1xx-then-final": (
        "client",
        b"HTTP/1.0 103 Early\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    ),
    "model: http11-1xx-then-final (contrast)": (
        "client",
        b"HTTP/1.1 103 Early\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    ),
    # Differential fuzz campaign (parse only, up to the first complete message), 2026-12-01.
    # RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), and
    # RFC 9110 §5.6.3: recipients MUST parse for such bad whitespace and remove it.
    "fuzz: chunk-ext-bws-after-semicolon": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1; a=b\r\nx\r\n0\r\n\r\n",
    ),
    "fuzz: chunk-ext-bws-around-equals": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a = b\r\nx\r\n0\r\n\r\n",
    ),
    "fuzz: chunk-ext-no-bws (contrast)": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\nx\r\n0\r\n\r\n",
    ),
    # RFC 9112 §6.3: the body of a request with Transfer-Encoding chunked (or Content-Length) is framed by
    # it; RFC 9110 §7.8: a client cannot begin using an upgraded protocol until it has completely sent the
    # request message. llhttp completes the message at the end of the head and hands the body over as
    # upgrade data (offset = end of the head).
    "fuzz: upgrade-request-chunked-body": (
        "server",
        b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "fuzz: upgrade-request-content-length-body": (
        "server",
        b"POST /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Content-Length: 5\r\n\r\nhello",
    ),
    # RFC 9112 §2.2: a recipient of a bare CR MUST consider that element invalid or replace each bare CR
    # with SP before processing it; llhttp skips it before the request-line.
    "fuzz: bare-cr-before-request-line": ("server", b"\rGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    # RFC 9112 §6.3: a 1xx response cannot contain a message body, whatever its header fields; RFC 9110
    # §15.2: a client MUST be able to parse 1xx responses before the final one. llhttp reads a body for
    # an unassigned 1xx (104) with Content-Length, eating the final response's first bytes.
    "fuzz: interim-104-content-length": (
        "client",
        b"HTTP/1.1 104 Early\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    "fuzz: interim-103-content-length (contrast)": (
        "client",
        b"HTTP/1.1 103 Early\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    # SHOULD level (warn)
    "9112/7/te-unknown-coding-501": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/3.2/asterisk-form-with-get": ("server", b"GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9110/2.5/major-version-2": ("server", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
}


class Record:
    """Collects httptools' callbacks."""

    def __init__(self):
        self.seen = []

    def on_url(self, url):
        self.seen.append(("url", url))

    def on_header(self, name, value):
        self.seen.append((name, value))

    def on_body(self, body):
        self.seen.append(("body", body))

    def on_status(self, status):
        self.seen.append(("status", status))

    def on_message_complete(self):
        self.seen.append("complete")


for case_id, (role, wire) in CASES.items():
    record = Record()
    parser = (httptools.HttpRequestParser if role == "server" else httptools.HttpResponseParser)(record)
    try:
        parser.feed_data(wire)
        extra = parser.get_method() if role == "server" else parser.get_status_code()
        outcome = f"accepted: {extra!r} HTTP/{parser.get_http_version()} {record.seen}"
    except httptools.HttpParserUpgrade as exc:  # a subclass of HttpParserError: not a rejection
        outcome = f"upgrade at offset {exc} of {len(wire)}: {record.seen}"
    except httptools.HttpParserError as exc:
        outcome = f"rejected: {type(exc).__name__}: {exc}"
    print(f"{case_id}: {outcome}")
