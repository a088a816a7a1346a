"""RFC 9112 message framing: body framing table, the writers' exact bytes, and the readers.

Spec: docs/h11-behaviour.md §4. One table (``ROUNDTRIP``) of (events, wire bytes) rows drives the writer test
(the events, sent, give exactly these bytes) and the reader test (these bytes, read whole and byte by byte,
give exactly these events).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

import pytest

from tests.reference._util import Record, differs, drain, feed, merge_data, record, server_after
from tests.reference.conftest import IMPLEMENTATIONS

Build = Callable[[types.ModuleType], list[Any]]


def _req(api: types.ModuleType, method: str = "GET", *extra: tuple[str, str]) -> Any:
    return api.Request(method=method, target="/", headers=[("Host", "a"), *extra])


def _resp(api: types.ModuleType, status: int, *headers: tuple[str, str], reason: str = "") -> Any:
    return api.Response(status_code=status, headers=list(headers), reason=reason)


# Context: who sends and what came before. "request": a fresh client sends, a fresh server reads.
# "response:<wire>": the server has read <wire> and answers; the client sent the matching request and reads.
CONTEXTS: dict[str, bytes | None] = {
    "request": None,
    "response": b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "head": b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
}

# (id, context, events, wire bytes, needs EOF to end the body)
ROUNDTRIP: list[tuple[str, str, Build, bytes, bool]] = [
    (
        "get",
        "request",
        lambda api: [_req(api), api.EndOfMessage()],
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        False,
    ),
    (
        "raw-casing-kept",
        "request",
        lambda api: [_req(api, "OPTIONS", ("X-MiXed", "V a\tl")), api.EndOfMessage()],
        b"OPTIONS / HTTP/1.1\r\nHost: a\r\nX-MiXed: V a\tl\r\n\r\n",
        False,
    ),
    (
        "post-content-length",
        "request",
        lambda api: [
            _req(api, "POST", ("Content-Length", "11")),
            api.Data(data=b"hello"),
            api.Data(data=b" world"),
            api.EndOfMessage(),
        ],
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
        False,
    ),
    (
        "post-chunked",
        "request",
        lambda api: [
            _req(api, "POST", ("Transfer-Encoding", "chunked")),
            api.Data(data=b"hello"),
            api.Data(data=b"abcdefghijklmnopqrstuvwxyz"),
            api.EndOfMessage(),
        ],
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
        False,
    ),
    (
        "post-chunked-trailers",
        "request",
        lambda api: [
            _req(api, "POST", ("Transfer-Encoding", "chunked")),
            api.Data(data=b"x"),
            api.EndOfMessage(headers=[("X-Trailer", "1"), ("Etag", "abc")]),
        ],
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1\r\nx\r\n0\r\nX-Trailer: 1\r\nEtag: abc\r\n\r\n",
        False,
    ),
    (
        "response-content-length",
        "response",
        lambda api: [
            _resp(api, 200, ("Content-Length", "5"), reason="OK"),
            api.Data(data=b"hello"),
            api.EndOfMessage(),
        ],
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        False,
    ),
    (
        "response-chunked",
        "response",
        lambda api: [
            _resp(api, 200, ("Transfer-Encoding", "chunked")),
            api.Data(data=b"hello"),
            api.EndOfMessage(),
        ],
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        False,
    ),
    (
        "informational-then-response",
        "response",
        lambda api: [
            api.InformationalResponse(status_code=100, headers=[], reason="Continue"),
            api.InformationalResponse(status_code=103, headers=[("Link", "</s>")]),
            _resp(api, 200, ("Content-Length", "0")),
            api.EndOfMessage(),
        ],
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 \r\nLink: </s>\r\n\r\n"
        b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        False,
    ),
    (
        "204-no-body",
        "response",
        lambda api: [_resp(api, 204), api.EndOfMessage()],
        b"HTTP/1.1 204 \r\n\r\n",
        False,
    ),
    (
        "304-content-length-ignored",
        "response",
        lambda api: [_resp(api, 304, ("Content-Length", "5")), api.EndOfMessage()],
        b"HTTP/1.1 304 \r\nContent-Length: 5\r\n\r\n",
        False,
    ),
    (
        "head-response-content-length-ignored",
        "head",
        lambda api: [_resp(api, 200, ("Content-Length", "5")), api.EndOfMessage()],
        b"HTTP/1.1 200 \r\nContent-Length: 5\r\n\r\n",
        False,
    ),
    (
        "response-999",
        "response",
        lambda api: [
            _resp(api, 999, ("Content-Length", "1"), reason="Odd \t(x)"),
            api.Data(data=b"z"),
            api.EndOfMessage(),
        ],
        b"HTTP/1.1 999 Odd \t(x)\r\nContent-Length: 1\r\n\r\nz",
        False,
    ),
]


def _sender(api: types.ModuleType, context: str) -> Any:
    wire = CONTEXTS[context]
    if wire is None:
        return api.Connection(api.CLIENT)
    return server_after(api, wire)


def _receiver(api: types.ModuleType, context: str) -> Any:
    wire = CONTEXTS[context]
    if wire is None:
        return api.Connection(api.SERVER)
    conn = api.Connection(api.CLIENT)
    conn.send(_req(api, wire.split(b" ")[0].decode()))
    conn.send(api.EndOfMessage())
    return conn


def _events(records: list[Record]) -> list[Record]:
    """Records without NEED_DATA, adjacent Data merged."""
    return merge_data(r for r in records if r != ("NEED_DATA",))


@pytest.mark.parametrize(
    ("context", "build", "wire"), [r[1:4] for r in ROUNDTRIP], ids=[r[0] for r in ROUNDTRIP]
)
def test_writer_bytes(api: types.ModuleType, context: str, build: Build, wire: bytes) -> None:
    """Sending the row's events writes exactly the row's bytes."""
    conn = _sender(api, context)
    assert b"".join(conn.send(event) for event in build(api)) == wire


@pytest.mark.parametrize("split", ["whole", "bytewise"])
@pytest.mark.parametrize(
    ("context", "build", "wire", "eof"), [r[1:] for r in ROUNDTRIP], ids=[r[0] for r in ROUNDTRIP]
)
def test_reader_events(
    api: types.ModuleType, context: str, build: Build, wire: bytes, eof: bool, split: str
) -> None:
    """Reading the row's bytes, whole or byte by byte, gives exactly the row's events."""
    conn = _receiver(api, context)
    chunks = [wire] if split == "whole" else [wire[i : i + 1] for i in range(len(wire))]
    got = _events(feed(api, conn, chunks, eof=eof))
    expected = merge_data(record(api, e) for e in build(api))
    assert got == expected


# -------------------------------------------------------------------------- automatic headers


# (id, request the server read, response headers given, wire written for the response head)
AUTO_HEADERS: list[tuple[str, bytes, list[tuple[str, str]], bytes]] = [
    (
        "chunked-added",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("X", "1")],
        b"HTTP/1.1 200 \r\nX: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    ),
    (
        "cl-dropped-when-chunked",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Transfer-Encoding", "chunked"), ("Content-Length", "5"), ("X", "1")],
        b"HTTP/1.1 200 \r\nX: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    ),
    (
        "http10-close-delimited",
        b"GET / HTTP/1.0\r\n\r\n",
        [("X", "1")],
        b"HTTP/1.1 200 \r\nX: 1\r\nConnection: close\r\n\r\n",
    ),
    (
        "http10-te-removed",
        b"GET / HTTP/1.0\r\n\r\n",
        [("Transfer-Encoding", "chunked")],
        b"HTTP/1.1 200 \r\nConnection: close\r\n\r\n",
    ),
    (
        "head-gets-chunked",
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        [],
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n",
    ),
    (
        "connection-tokens-sorted",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        [("Connection", "Keep-Alive, Foo"), ("Content-Length", "0"), ("X", "1")],
        b"HTTP/1.1 200 \r\nContent-Length: 0\r\nX: 1\r\nConnection: close\r\nConnection: foo\r\n\r\n",
    ),
    (
        "content-length-kept",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "3")],
        b"HTTP/1.1 200 \r\nContent-Length: 3\r\n\r\n",
    ),
]


@pytest.mark.parametrize(
    ("request_wire", "headers", "wire"), [r[1:] for r in AUTO_HEADERS], ids=[r[0] for r in AUTO_HEADERS]
)
def test_response_automatic_headers(
    api: types.ModuleType, request_wire: bytes, headers: list[tuple[str, str]], wire: bytes
) -> None:
    """A server Response is rewritten: framing headers fixed, Connection: close tokens appended, sorted."""
    conn = server_after(api, request_wire)
    event = api.Response(status_code=200, headers=headers)
    assert conn.send(event) == wire
    assert list(event.headers) == [(n.lower().encode(), v.encode()) for n, v in headers]


def test_request_host_written_first(api: types.ModuleType) -> None:
    """Requests get no automatic headers, but every Host header is written first."""
    conn = api.Connection(api.CLIENT)
    request = api.Request(method="GET", target="/x", headers=[("X", "1"), ("host", "a")])
    assert conn.send(request) == b"GET /x HTTP/1.1\r\nhost: a\r\nX: 1\r\n\r\n"


def test_informational_response_sent_as_given(api: types.ModuleType) -> None:
    """A 1xx gets no automatic headers and no clean-up."""
    conn = server_after(api, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    info = api.InformationalResponse(status_code=100, headers=[("X", "1")], reason="Go")
    assert conn.send(info) == b"HTTP/1.1 100 Go\r\nX: 1\r\n\r\n"


def test_chunked_writer_skips_empty_data(api: types.ModuleType) -> None:
    """The chunked writer writes nothing for an empty Data (no premature last-chunk)."""
    conn = server_after(api, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    conn.send(api.Response(status_code=200, headers=[]))
    assert conn.send(api.Data(data=b"")) == b""
    assert conn.send(api.Data(data=b"\x00" * 255)) == b"ff\r\n" + b"\x00" * 255 + b"\r\n"


def test_close_delimited_writer_writes_raw(api: types.ModuleType) -> None:
    """The close-delimited writer writes Data unchanged; EOM writes nothing and ends in MUST_CLOSE."""
    conn = server_after(api, b"GET / HTTP/1.0\r\n\r\n")
    conn.send(api.Response(status_code=200, headers=[]))
    assert conn.send(api.Data(data=b"raw\r\n0\r\n")) == b"raw\r\n0\r\n"
    assert conn.send(api.EndOfMessage()) == b""
    assert conn.our_state is api.MUST_CLOSE


# (id, request read, response headers, body events, error message prefix)
WRITER_ERRORS: list[tuple[str, bytes, list[tuple[str, str]], Build, str]] = [
    (
        "cl-too-much",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "2")],
        lambda api: [api.Data(data=b"abc")],
        "Too much data for declared Content-Length",
    ),
    (
        "cl-too-much-total",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "2")],
        lambda api: [api.Data(data=b"a"), api.Data(data=b"bc")],
        "Too much data",
    ),
    (
        "cl-too-little",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "2")],
        lambda api: [api.Data(data=b"a"), api.EndOfMessage()],
        "Too little data",
    ),
    (
        "cl-trailers",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "0")],
        lambda api: [api.EndOfMessage(headers=[("X", "1")])],
        "Content-Length and trailers don't mix",
    ),
    (
        "head-body",
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        [("Content-Length", "2")],
        lambda api: [api.Data(data=b"ab")],
        "Too much data",
    ),
    (
        "close-delimited-trailers",
        b"GET / HTTP/1.0\r\n\r\n",
        [],
        lambda api: [api.EndOfMessage(headers=[("X", "1")])],
        "can't send trailers to HTTP/1.0 client",
    ),
]


@pytest.mark.parametrize(
    ("request_wire", "headers", "body", "message"),
    [r[1:] for r in WRITER_ERRORS],
    ids=[r[0] for r in WRITER_ERRORS],
)
def test_body_writer_errors(
    api: types.ModuleType, request_wire: bytes, headers: list[tuple[str, str]], body: Build, message: str
) -> None:
    """Body writers refuse more or less data than Content-Length, and trailers they cannot frame (LPE)."""
    conn = server_after(api, request_wire)
    conn.send(api.Response(status_code=200, headers=headers))
    events = body(api)
    for event in events[:-1]:
        conn.send(event)
    with pytest.raises(api.LocalProtocolError, match="^" + re.escape(message)):
        conn.send(events[-1])
    assert conn.our_state is api.ERROR


@pytest.mark.parametrize("kind", ["Request", "Response", "InformationalResponse"])
def test_only_http11_is_sent(api: types.ModuleType, kind: str) -> None:
    """Writers only send HTTP/1.1; another http_version is an LPE after the transition (state ERROR)."""
    if kind == "Request":
        conn = api.Connection(api.CLIENT)
        event = api.Request(method="GET", target="/", headers=[("Host", "a")], http_version="1.0")
    else:
        conn = server_after(api, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        status = 200 if kind == "Response" else 100
        event = getattr(api, kind)(status_code=status, headers=[("Content-Length", "0")], http_version="1.0")
    with pytest.raises(api.LocalProtocolError, match=r"^I only send HTTP/1.1"):
        conn.send(event)
    assert conn.our_state is api.ERROR


# ------------------------------------------------------------------------------------- readers


def _read(
    api: types.ModuleType, role: str, wire: bytes, *, bytewise: bool = False, eof: bool = False
) -> list[Record]:
    conn = _receiver(api, "request" if role == "server" else "response")
    chunks = [wire[i : i + 1] for i in range(len(wire))] if bytewise else [wire]
    return _events(feed(api, conn, chunks, eof=eof))


H = b"Host: a\r\n"
# (id, role reading, wire, expected records after the first event, or None to just check the first)
READ_ACCEPT: list[tuple[str, str, bytes, list[Record]]] = [
    (
        "unsolicited-204-has-no-body",
        "client-idle",
        b"HTTP/1.1 204 \r\n\r\nabc",
        [("Response", 204, b"", b"1.1", ()), ("EndOfMessage", ()), ("PAUSED",)],
    ),
    (
        "unsolicited-200-close-delimited",
        "client-idle",
        b"HTTP/1.1 200 \r\n\r\nabc",
        [("Response", 200, b"", b"1.1", ()), ("Data", b"abc")],
    ),
    (
        "bare-lf",
        "server",
        b"GET / HTTP/1.1\nHost: a\n\n",
        [
            ("Request", b"GET", b"/", b"1.1", ((b"Host", b"a"),)),
            ("EndOfMessage", ()),
        ],
    ),
    (
        "obs-fold-joined",
        "server",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  \tb\r\n\r\n",
        [("Request", b"GET", b"/", b"1.1", ((b"Host", b"a"), (b"X", b"a b"))), ("EndOfMessage", ())],
    ),
    (
        "any-single-digit-version",
        "server",
        b"GET / HTTP/2.0\r\n\r\n",
        [("Request", b"GET", b"/", b"2.0", ()), ("EndOfMessage", ())],
    ),
    (
        "http09-version",
        "server",
        b"GET * HTTP/0.9\r\n\r\n",
        [("Request", b"GET", b"*", b"0.9", ()), ("EndOfMessage", ())],
    ),
    (
        "status-without-reason",
        "client",
        b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
        [("Response", 200, b"", b"1.1", ((b"Content-Length", b"0"),)), ("EndOfMessage", ())],
    ),
    (
        "status-http10",
        "client",
        b"HTTP/1.0 204 No\tContent\r\n\r\n",
        [("Response", 204, b"No\tContent", b"1.0", ()), ("EndOfMessage", ())],
    ),
    (
        "informational",
        "client",
        b"HTTP/1.1 199 X\r\n\r\n",
        [("InformationalResponse", 199, b"X", b"1.1", ())],
    ),
    (
        "close-delimited",
        "client",
        b"HTTP/1.1 200 OK\r\n\r\nab\r\n0\r\n",
        [("Response", 200, b"OK", b"1.1", ()), ("Data", b"ab\r\n0\r\n")],
    ),
    (
        "te-beats-cl",
        "server",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1\r\nx\r\n0\r\n\r\n",
        [
            (
                "Request",
                b"POST",
                b"/",
                b"1.1",
                ((b"Host", b"a"), (b"Content-Length", b"100"), (b"Transfer-Encoding", b"chunked")),
            ),
            ("Data", b"x"),
            ("EndOfMessage", ()),
        ],
    ),
    (
        "chunk-size-forms",
        "server",
        b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
        b"A;ext=1;x\r\n0123456789\r\n" + b"0" * 19 + b"1 \t\r\nz\r\n000\r\nT: 1\nU: 2\r\n\r\n",
        [
            ("Request", b"POST", b"/", b"1.1", ((b"Host", b"a"), (b"Transfer-Encoding", b"chunked"))),
            ("Data", b"0123456789z"),
            ("EndOfMessage", ((b"T", b"1"), (b"U", b"2"))),
        ],
    ),
    (
        "cl-body-then-pipelined",
        "server",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n",
        [
            ("Request", b"POST", b"/", b"1.1", ((b"Host", b"a"), (b"Content-Length", b"3"))),
            ("Data", b"abc"),
            ("EndOfMessage", ()),
            ("PAUSED",),
        ],
    ),
    (
        "head-response-no-body",
        "client-head",
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n",
        [("Response", 200, b"OK", b"1.1", ((b"Content-Length", b"9"),)), ("EndOfMessage", ())],
    ),
    (
        "lowercase-head-has-body",
        "client-lowercase-head",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz",
        [
            ("Response", 200, b"OK", b"1.1", ((b"Content-Length", b"1"),)),
            ("Data", b"z"),
            ("EndOfMessage", ()),
        ],
    ),
]


def _reader_conn(api: types.ModuleType, role: str) -> Any:
    if role == "server":
        return api.Connection(api.SERVER)
    if role == "client-idle":
        return api.Connection(api.CLIENT)
    method = {"client": "GET", "client-head": "HEAD", "client-lowercase-head": "head"}[role]
    conn = api.Connection(api.CLIENT)
    conn.send(_req(api, method))
    conn.send(api.EndOfMessage())
    return conn


@pytest.mark.parametrize("bytewise", [False, True], ids=["whole", "bytewise"])
@pytest.mark.parametrize(
    ("role", "wire", "expected"), [r[1:] for r in READ_ACCEPT], ids=[r[0] for r in READ_ACCEPT]
)
def test_reader_accepts(
    api: types.ModuleType, role: str, wire: bytes, expected: list[Record], bytewise: bool
) -> None:
    """Readers accept h11's leniencies and frame bodies by the table, identically for any split."""
    conn = _reader_conn(api, role)
    chunks = [wire[i : i + 1] for i in range(len(wire))] if bytewise else [wire]
    got = _events(feed(api, conn, chunks))
    assert got[: len(expected)] == expected


# (id, role reading, wire, message prefix, hint)
READ_REJECT: list[tuple[str, str, bytes, str, int]] = [
    ("two-crs-before-lf", "server", b"GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", "illegal header line", 400),
    ("bare-cr-in-target", "server", b"GET /\rx HTTP/1.1\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("bare-cr-in-reason", "client", b"HTTP/1.1 200 O\rK\r\n\r\n", "illegal status line", 400),
    ("tls-record", "server", b"\x16\x03\x01\x00", "illegal request line", 400),
    ("nul-first", "client", b"\x00HTTP/1.1", "illegal request line", 400),
    ("leading-crlf", "server", b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "no request line received", 400),
    ("double-sp", "server", b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("trailing-sp", "server", b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("tab-separator", "server", b"GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("lowercase-http", "server", b"GET / http/1.1\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("two-digit-minor", "server", b"GET / HTTP/1.10\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("no-version", "server", b"GET /\r\nHost: a\r\n\r\n", "illegal request line", 400),
    ("missing-host", "server", b"GET / HTTP/1.1\r\n\r\n", "Missing mandatory Host: header", 400),
    ("two-hosts", "server", b"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", "Found multiple Host", 400),
    ("space-before-colon", "server", b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", "illegal header line", 400),
    ("no-colon", "server", b"GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", "illegal header line", 400),
    (
        "bare-cr-in-value",
        "server",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
        "illegal header line",
        400,
    ),
    (
        "fold-at-start",
        "server",
        b"GET / HTTP/1.1\r\n X: a\r\nHost: a\r\n\r\n",
        "continuation line at start of headers",
        400,
    ),
    (
        "cl-conflict",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "conflicting Content-Length headers",
        400,
    ),
    (
        "te-gzip",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "Only Transfer-Encoding: chunked is supported",
        501,
    ),
    (
        "te-twice",
        "client",
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "multiple Transfer-Encoding headers",
        501,
    ),
    ("status-two-digits", "client", b"HTTP/1.1 20 OK\r\n\r\n", "illegal status line", 400),
    ("status-below-100", "client", b"HTTP/1.1 099 OK\r\n\r\n", "InformationalResponse status_code", 400),
    ("status-version", "client", b"HTTP/1 200 OK\r\n\r\n", "illegal status line", 400),
    (
        "chunk-size-bare-lf",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
        "illegal chunk header",
        400,
    ),
    (
        "chunk-size-21-digits",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + b"0" * 20 + b"1\r\nz\r\n",
        "illegal chunk header",
        400,
    ),
    (
        "chunk-size-0x",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x1\r\nz\r\n",
        "illegal chunk header",
        400,
    ),
    (
        "chunk-size-leading-space",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 1\r\nz\r\n",
        "illegal chunk header",
        400,
    ),
    (
        "chunk-size-empty",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nz\r\n",
        "illegal chunk header",
        400,
    ),
    (
        "chunk-footer",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nzX\r\n",
        "malformed chunk footer",
        400,
    ),
    (
        "chunk-footer-bare-lf",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\n0\r\n\r\n",
        "malformed chunk footer",
        400,
    ),
    (
        "trailer-cl-bad",
        "server",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: x\r\n\r\n",
        "bad Content-Length",
        400,
    ),
    (
        "after-must-close",
        "server",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n",
        "Got data when expecting EOF",
        400,
    ),
    ("after-http10-post", "server", b"POST / HTTP/1.0\r\n\r\nxyz", "Got data when expecting EOF", 400),
]


@pytest.mark.parametrize("bytewise", [False, True], ids=["whole", "bytewise"])
@pytest.mark.parametrize(
    ("role", "wire", "message", "hint"), [r[1:] for r in READ_REJECT], ids=[r[0] for r in READ_REJECT]
)
def test_reader_rejects(
    api: types.ModuleType, role: str, wire: bytes, message: str, hint: int, bytewise: bool
) -> None:
    """Readers reject malformed heads and bodies with RPE (message prefix and hint kept), any split."""
    conn = _reader_conn(api, role)
    chunks = [wire[i : i + 1] for i in range(len(wire))] if bytewise else [wire]
    got = feed(api, conn, chunks)
    assert got[-1] == ("raise", "RemoteProtocolError", hint)
    with pytest.raises(api.RemoteProtocolError):
        conn.next_event()
    whole = _reader_conn(api, role)
    whole.receive_data(wire)
    with pytest.raises(api.RemoteProtocolError, match="^" + re.escape(message)):
        drain_strict(api, whole)
    assert whole.their_state is api.ERROR


def drain_strict(api: types.ModuleType, conn: Any) -> None:
    """Call next_event until it raises (the test asserts it does)."""
    for _ in range(100):
        if conn.next_event() in (api.NEED_DATA, api.PAUSED):
            return


def test_illegal_first_byte_fails_before_head_complete(api: types.ModuleType) -> None:
    """An incomplete head whose first byte is below 0x21 fails at once instead of waiting for data."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(b"\x16")
    with pytest.raises(api.RemoteProtocolError, match=r"^illegal request line"):
        conn.next_event()
    fine = api.Connection(api.SERVER)
    fine.receive_data(b"G")
    assert fine.next_event() is api.NEED_DATA


# ------------------------------------------------------------------------ answers to CONNECT

BAD_FRAMING = [b"Content-Length: abc\r\n", b"Content-Length: 1, 2\r\n", b"Transfer-Encoding: gzip\r\n"]


def _connect_client(api: types.ModuleType) -> Any:
    conn = api.Connection(api.CLIENT)
    conn.send(api.Request(method="CONNECT", target="a:443", headers=[("Host", "a:443")]))
    conn.send(api.EndOfMessage())
    return conn


@pytest.mark.parametrize("bytewise", [False, True], ids=["whole", "bytewise"])
@pytest.mark.parametrize("status", [b"200", b"299"])
@pytest.mark.parametrize("field", BAD_FRAMING, ids=["cl-letters", "cl-list", "te-gzip"])
def test_connect_2xx_framing_fields_ignored(
    api: types.ModuleType, field: bytes, status: bytes, bytewise: bool
) -> None:
    """A client ignores Content-Length and Transfer-Encoding on a 2xx to CONNECT, invalid values included
    (RFC 9112 §6.3 rule 2): the reference delivers the response as received and opens the tunnel; h11
    validates them first and rejects (difference connect-2xx-framing-ignored)."""
    wire = b"HTTP/1.1 " + status + b" \r\n" + field + b"\r\n"
    conn = _connect_client(api)
    got = feed(api, conn, [wire[i : i + 1] for i in range(len(wire))] if bytewise else [wire])
    conn.receive_data(b"tunnel bytes")
    if differs(api, "connect-2xx-framing-ignored"):
        name, _, value = field[:-2].partition(b": ")
        assert got[-2:] == [("Response", int(status), b"", b"1.1", ((name, value),)), ("PAUSED",)]
        assert conn.states == {api.CLIENT: api.SWITCHED_PROTOCOL, api.SERVER: api.SWITCHED_PROTOCOL}
        assert conn.trailing_data == (b"tunnel bytes", False)
    else:
        assert got[-1][:2] == ("raise", "RemoteProtocolError")
        assert conn.their_state is api.ERROR


@pytest.mark.parametrize("status", [b"100", b"103", b"300", b"407", b"500"])
@pytest.mark.parametrize("field", BAD_FRAMING[:2], ids=["cl-letters", "cl-list"])
def test_connect_other_answers_framing_checked(api: types.ModuleType, field: bytes, status: bytes) -> None:
    """An invalid Content-Length on a 1xx or non-2xx answer to CONNECT is rejected as on any response: only
    a 2xx makes the tunnel whose framing fields the client ignores."""
    conn = _connect_client(api)
    conn.receive_data(b"HTTP/1.1 " + status + b" \r\n" + field + b"\r\nbody")
    assert drain(api, conn)[-1] == ("raise", "RemoteProtocolError", 400)
    assert conn.their_state is api.ERROR


# ------------------------------------------------------------------------------------ chunk flags


def _chunked_server(api: types.ModuleType) -> Any:
    conn = api.Connection(api.SERVER)
    conn.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert isinstance(conn.next_event(), api.Request)
    return conn


def test_chunk_flags_whole_chunk(api: types.ModuleType) -> None:
    """A chunk read whole is one Data with chunk_start and chunk_end set."""
    conn = _chunked_server(api)
    conn.receive_data(b"3\r\nabc\r\n")
    assert record(api, conn.next_event()) == ("Data", b"abc", True, True)


def test_chunk_flags_split_chunk(api: types.ModuleType) -> None:
    """A chunk split over calls starts with chunk_start only and ends with chunk_end only."""
    conn = _chunked_server(api)
    conn.receive_data(b"3\r\na")
    assert record(api, conn.next_event()) == ("Data", b"a", True, False)
    conn.receive_data(b"bc\r\n")
    assert record(api, conn.next_event()) == ("Data", b"bc", False, True)


@pytest.mark.parametrize(("name", "chunk_start"), [("h11", False), ("reference", True)])
def test_chunk_start_size_line_alone(name: str, chunk_start: bool) -> None:
    """A size line read alone: the reference keeps chunk_start for the first data byte, h11 0.16 drops it."""
    api = IMPLEMENTATIONS[name]
    conn = _chunked_server(api)
    conn.receive_data(b"3\r\n")
    assert conn.next_event() is api.NEED_DATA
    conn.receive_data(b"abc\r\n")
    assert record(api, conn.next_event()) == ("Data", b"abc", chunk_start, True)


def test_received_data_is_bytearray(api: types.ModuleType) -> None:
    """Received Data.data is a bytearray."""
    conn = _chunked_server(api)
    conn.receive_data(b"1\r\nz\r\n")
    assert type(conn.next_event().data) is bytearray


def test_content_length_data_never_passes_length(api: types.ModuleType) -> None:
    """A Content-Length body yields Data for each available piece, never past the remaining length."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
    conn.next_event()
    assert record(api, conn.next_event()) == ("Data", b"ab", False, False)
    assert conn.next_event() is api.NEED_DATA
    conn.receive_data(b"cdEXTRA")
    assert record(api, conn.next_event()) == ("Data", b"cd", False, False)
    assert isinstance(conn.next_event(), api.EndOfMessage)
    assert conn.next_event() is api.PAUSED
    assert conn.trailing_data == (b"EXTRA", False)


# ------------------------------------------------------------------------------------ EOF hooks


@pytest.mark.parametrize(
    ("framing", "body", "message"),
    [
        (
            "Content-Length: 5",
            b"abc",
            "peer closed connection without sending complete message body (received 3 bytes, expected 5)",
        ),
        (
            "Transfer-Encoding: chunked",
            b"5\r\nab",
            "peer closed connection without sending complete message body (incomplete chunked read)",
        ),
    ],
)
def test_eof_inside_framed_body(api: types.ModuleType, framing: str, body: bytes, message: str) -> None:
    """EOF inside a Content-Length or chunked body is an RPE saying the body is incomplete."""
    conn = api.Connection(api.SERVER)
    conn.receive_data(f"POST / HTTP/1.1\r\nHost: a\r\n{framing}\r\n\r\n".encode() + body)
    got = drain(api, conn)
    conn.receive_data(b"")
    with pytest.raises(api.RemoteProtocolError) as info:
        drain_strict(api, conn)
    assert got[0][0] == "Request"
    assert str(info.value) == message


def test_eof_ends_close_delimited_body(api: types.ModuleType) -> None:
    """EOF ends a close-delimited body: EndOfMessage, then ConnectionClosed."""
    conn = _reader_conn(api, "client")
    got = feed(api, conn, [b"HTTP/1.1 200 OK\r\n\r\nabc"], eof=True)
    assert _events(got)[1:] == [("Data", b"abc"), ("EndOfMessage", ()), ("ConnectionClosed",)]
    assert conn.states == {api.CLIENT: api.MUST_CLOSE, api.SERVER: api.CLOSED}
