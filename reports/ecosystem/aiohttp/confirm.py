"""Hand-confirmation of the non-pass catalog rows of aiohttp's HTTP/1.1 parsers, with aiohttp's own API.

Run: python reports/ecosystem/aiohttp/confirm.py  (one line per input and parser: what aiohttp did).
The StreamReaders aiohttp attaches to bodies need a loop object that is never run; a stub does.
"""

from __future__ import annotations

from aiohttp import http_parser
from aiohttp.base_protocol import BaseProtocol
from aiohttp.http_exceptions import HttpProcessingError


class IdleLoop:
    def get_debug(self):
        return False

    def time(self):
        return 0.0


LOOP = IdleLoop()
PARSERS = {
    "C": (http_parser.HttpRequestParserC, http_parser.HttpResponseParserC),
    "Py": (http_parser.HttpRequestParserPy, http_parser.HttpResponseParserPy),
}
CHUNKED = b"Transfer-Encoding: chunked\r\n\r\n"
CASES = {
    "9112/6.1/te-chunked-twice": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
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
        b"POST / HTTP/1.0\r\nHost: a\r\n" + CHUNKED + b"5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/6.1/te-in-http10-response": (
        "client",
        b"HTTP/1.0 200 OK\r\n" + CHUNKED + b"5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/6.3/cl-two-lines-differ-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nhello",
    ),
    "9112/7.1/chunk-size-leading-space-response": (
        "client",
        b"HTTP/1.1 200 OK\r\n" + CHUNKED + b" 5\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.1/chunk-ext-bare-semicolon-cr": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5;\rx\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.1/chunk-ext-cr-in-value": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5;a=b\rc\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.1/chunk-ext-nul": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5;a\x00b\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.1/chunk-ext-unbalanced-quote": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b'5;a="b\r\nhello\r\n0\r\n\r\n',
    ),
    "9112/7.1.1/chunk-ext-bad-token": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5;a b\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.1/chunk-ext-bws-before-semicolon": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5 ;a=b\r\nhello\r\n0\r\n\r\n",
    ),
    "9112/7.1.2/chunk-trailer-field": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n",
    ),
    "(no case) trailer-then-pipelined-request": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n"
        + CHUNKED
        + b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n",
    ),
    "9112/2.2/ws-line-after-status-line": (
        "client",
        b"HTTP/1.1 200 OK\r\n X-A: b\r\nContent-Length: 0\r\n\r\n",
    ),
    "9112/3/request-line-double-sp": ("server", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9112/2.3/request-line-http09": ("server", b"GET /\r\nHost: a\r\n\r\n"),
    "9112/3/method-lowercase-kept": ("server", b"get / HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9112/3.2/target-non-ascii": ("server", b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n"),
    "9112/3.2/host-comma-list": ("server", b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n"),
    "9112/3.2/host-with-path": ("server", b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
    "9112/3.2/host-bad-port": ("server", b"GET / HTTP/1.1\r\nHost: a:b\r\n\r\n"),
    "9112/4/status-code-below-100": ("client", b"HTTP/1.1 099 OK\r\nContent-Length: 0\r\n\r\n"),
    "9112/4/status-reason-nul": ("client", b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n"),
    "9112/4/status-reason-bare-cr": ("client", b"HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n"),
    "9112/4/status-leading-space": ("client", b" HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "9112/9.6/no-request-after-connection-close": (
        "server",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
    "9112/2.2/header-end-cr-x (EOF)": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\rX\r\n"),
    "9112/2.3/tls-handshake-rejected (EOF)": ("server", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
    "9112/8/eof-in-headers (EOF)": ("server", b"GET / HTTP/1.1\r\nHost: a\r\nX-"),
    "9112/8/eof-in-status-line (EOF)": ("client", b"HTTP/1.1 2"),
    # A Content-Length of more than 4300 digits: int() refuses it with a bare ValueError (Python's
    # integer-string conversion limit), which escapes feed_data instead of BadHttpMessage.
    "9110/8.6/cl-4301-digits": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + b"1" * 4301 + b"\r\n\r\nX",
    ),
    "9110/8.6/cl-4301-digits-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nContent-Length: " + b"1" * 4301 + b"\r\n\r\nX",
    ),
    "9110/8.6/cl-4301-leading-zeros": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + b"0" * 4300 + b"5\r\n\r\nhello",
    ),
    # Model checker (byte streams, depth ci): an interim HTTP/1.0 1xx, then the final response.
    "model: http10-1xx-then-final": (
        "client",
        b"HTTP/1.0 103 Early\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    ),
    "model: http11-1xx-then-final (contrast)": (
        "client",
        b"HTTP/1.1 103 Early\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    ),
    # Differential fuzz campaigns (parse only, up to the first complete message), 2026-12-01.
    # RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), and
    # RFC 9110 §5.6.3: recipients MUST parse for such bad whitespace and remove it.
    "fuzz: chunk-ext-bws-around-equals": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"1;a = b\r\nx\r\n0\r\n\r\n",
    ),
    "fuzz: chunk-ext-bws-after-semicolon": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\n" + CHUNKED + b"1; a=b\r\nx\r\n0\r\n\r\n",
    ),
    # RFC 9112 §5.2: a user agent MUST replace each received obs-fold (OWS CRLF RWS) with one or more SP.
    "fuzz: obs-fold-htab-response": (
        "client",
        b"HTTP/1.1 200 OK\r\nX-A: c\r\n\tlose\r\nContent-Length: 0\r\n\r\n",
    ),
    "fuzz: obs-fold-empty-after-content-length": (
        "client",
        b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n  \r\n\r\nhello!",
    ),
    # The header section ends with an empty line (RFC 9112 §2.1); a line holding one SP is not empty.
    "fuzz: sp-line-ends-head (EOF)": ("client", b"HTTP/1.1 200 OK\r\n \r\nbody"),
    # RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; a bare LF after chunk-data.
    "fuzz: chunk-data-lf (EOF)": (
        "client",
        b"HTTP/1.1 200 OK\r\n" + CHUNKED + b"6\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    ),
    # RFC 9112 §6.3: a 1xx response has no body; the C parser (llhttp) reads one for a 104 with
    # Content-Length (found by the httptools campaign; fed one byte at a time, as the adapter does, the C
    # parser does not show it).
    "fuzz: interim-104-content-length": (
        "client",
        b"HTTP/1.1 104 Early\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ),
    # RFC 9112 §2.2: a recipient of a bare CR MUST consider the element invalid or replace it with SP; the
    # pure-Python parser takes CR CR LF as the empty line that ends the header section.
    "fuzz: bare-cr-empty-line": ("client", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\r\nhello"),
    # RFC 9110 §5.3: field lines of one name combine into one list; RFC 9112 §6.3: chunked is then the
    # final coding, so the body is chunked.
    "9112/6.3/te-unknown-line-then-chunked-response (EOF)": (
        "client",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n",
    ),
    # SHOULD level (warn)
    "9112/7/te-unknown-coding-501": (
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    "9110/2.5/major-version-2": ("server", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
}


def describe(messages):
    out = []
    for msg, payload in messages:
        head = getattr(msg, "method", None) or getattr(msg, "code", None)
        target = getattr(msg, "path", None) if hasattr(msg, "method") else getattr(msg, "reason", None)
        body = payload.read_nowait() if payload.exception() is None else f"<{payload.exception()!r}>"
        headers = [(n, v if len(v) <= 40 else v[:20] + b"...(%d bytes)" % len(v)) for n, v in msg.raw_headers]
        out.append(f"{head} {target!r} v{tuple(msg.version)} {headers} body={body!r}")
    return out


for case_id, (role, wire) in CASES.items():
    for name, (request_parser, response_parser) in PARSERS.items():
        if role == "server":
            parser = request_parser(BaseProtocol(LOOP), LOOP, 2**16, auto_decompress=False)
        else:
            parser = response_parser(
                BaseProtocol(LOOP), LOOP, 2**16, read_until_eof=True, auto_decompress=False
            )
        try:
            messages, upgraded, tail = parser.feed_data(wire)
            outcome = f"accepted: {describe(messages)}"
            if case_id.endswith("(EOF)"):
                outcome += f"; feed_eof() -> {parser.feed_eof()!r}"
        except HttpProcessingError as exc:
            outcome = f"rejected: {type(exc).__name__} {exc.code}: {exc.message}"
        except Exception as exc:  # outside aiohttp's contract: its parsers raise HttpProcessingError
            outcome = f"raised {type(exc).__name__} (not an HttpProcessingError): {exc}"
        print(f"{case_id} [{name}]: {outcome}")

# The pure-Python response parser takes the request's method (the adapter passes it; aiohttp's own client
# does not): after CONNECT, any response trips an assert meant for request parsers.
for method in ("GET", "CONNECT"):
    parser = http_parser.HttpResponseParserPy(
        BaseProtocol(LOOP), LOOP, 2**16, method=method, read_until_eof=True, auto_decompress=False
    )
    try:
        messages, _, _ = parser.feed_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        outcome = f"accepted: {describe(messages)}"
    except Exception as exc:
        outcome = f"raised {type(exc).__name__} (not an HttpProcessingError): {exc!r}"
    print(f"fuzz: response-to-{method.lower()} [Py, method={method}]: {outcome}")
