"""Hypothesis strategies for HTTP/1.1 traffic, for the differential tests of h11 against the reference.

Theory of operation: the differential tests drive h11 and the reference with the same generated traffic and
compare what comes out. Traffic is built as raw bytes (so it can be malformed) from a grammar of plausible
messages, then optionally mutated at the token level with the dangerous bytes of docs/vectors.md.

Where the reference departs from h11 on purpose (conformance/reference/differences.py), the tests compare
h11 with the reference in h11 mode (``differences.h11_mode``), which switches each difference to h11's
behaviour at its rule: no input needs a mask.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from conformance.drive import split_at

EventSpec = tuple[str, dict[str, Any]]

# ------------------------------------------------------------------------------------------------
# Building blocks

EOL = st.sampled_from([b"\r\n"] * 6 + [b"\n"])
HEADER_NAMES = st.sampled_from(
    [b"X-A", b"x-b", b"Accept", b"User-Agent", b"Cookie", b"Via", b"ETag", b"X-Long-Header-Name"]
)
HEADER_VALUES = st.sampled_from(
    [b"", b"v", b"a b", b"text/html, */*", b"x\ty", b"\x80\xff", b"a\x01b", b'"q"', b"1" * 30]
)
HOSTS = st.sampled_from(
    [b"a", b"example.com", b"a:80", b"127.0.0.1:8080", b"x-y.z:1"] * 4 + [b"", b"a b", b"a/b", b"[::1]"]
)
METHODS = st.sampled_from([b"GET", b"POST", b"HEAD", b"PUT", b"OPTIONS", b"CONNECT", b"get", b"M-SEARCH"])
TARGETS = st.sampled_from([b"/", b"/a?b=c", b"*", b"http://a/x", b"a:443", b"/%41~"])
VERSIONS = st.sampled_from([b"1.1"] * 8 + [b"1.0", b"0.9", b"2.0"])
EXTENSIONS = st.sampled_from([b""] * 6 + [b";a=b", b";x", b" ;a", b';a="q"', b";a=\x00", b";a\rb"])
SPECIAL_HEADERS = st.sampled_from(
    [
        (b"Connection", b"close"),
        (b"Connection", b"close"),
        (b"Expect", b"100-continue"),
        (b"Upgrade", b"h2c"),
        (b"Connection", b"keep-alive"),
        (b"Connection", b"Upgrade, Keep-Alive"),
        (b"Upgrade", b"websocket"),
        (b"Expect", b"100-continue"),
        (b"Transfer-Encoding", b"gzip"),
        (b"Content-Length", b"3, 3"),
    ]
)

# Dangerous tokens from docs/vectors.md, inserted or substituted by the mutator.
TOKENS: tuple[bytes, ...] = (
    b"\r",
    b"\n",
    b"\x00",
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\r\n",
    b"\r\n\r\n",
    b":",
    b";",
    b",",
    b"0x",
    b"+",
    b"-",
    b"_",
    b"\xff",
    b"\xa0",
    b"\x7f",
    b"Transfer-Encoding: chunked\r\n",
    b"Content-Length: 0\r\n",
    b"Content-Length: 5\r\n",
    b"Transfer-Encoding: gzip, chunked\r\n",
    b"Host: a\r\n",
    b" chunked",
    b"HTTP/1.0",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"\x16\x03\x01",
    b"0\r\n\r\n",
    b"ffffffffffffffffffff\r\n",
    b"Connection: close\r\n",
    b"Upgrade: x\r\n",
)


@st.composite
def headers(draw: st.DrawFn, *, host: bool) -> list[tuple[bytes, bytes]]:
    """A header list: maybe a Host, a few ordinary fields and at most two special ones."""
    out: list[tuple[bytes, bytes]] = []
    if host:
        out.append((b"Host", draw(HOSTS)))
    out += draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=3))
    out += draw(st.lists(SPECIAL_HEADERS, max_size=2))
    return out


@st.composite
def body(draw: st.DrawFn, eol: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """(framing headers, encoded body): none, Content-Length, chunked (with extensions, trailers) or both."""
    framing = draw(st.sampled_from(["none", "none", "cl", "cl", "chunked", "chunked", "cl+te"]))
    data = draw(st.binary(max_size=24))
    if framing == "none":
        return [], b""
    if framing == "cl":
        return [(b"Content-Length", str(len(data)).encode())], data
    pieces = draw(st.lists(st.binary(min_size=1, max_size=10), max_size=3))
    wire = b""
    for piece in pieces:
        size = draw(st.sampled_from(["{:x}", "{:X}", "0{:x}"])).format(len(piece)).encode()
        wire += size + draw(EXTENSIONS) + b"\r\n" + piece + b"\r\n"
    trailers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=2))
    wire += b"0\r\n" + b"".join(n + b": " + v + eol for n, v in trailers) + b"\r\n"
    framing_headers = [(b"Transfer-Encoding", draw(st.sampled_from([b"chunked", b"Chunked"])))]
    if framing == "cl+te":
        framing_headers.append((b"Content-Length", str(len(wire)).encode()))
    return framing_headers, wire


def _head(start: bytes, fields: Sequence[tuple[bytes, bytes]], eol: bytes) -> bytes:
    return start + eol + b"".join(n + b": " + v + eol for n, v in fields) + eol


@st.composite
def request_bytes(draw: st.DrawFn) -> bytes:
    """One request, mostly well-formed, with random method, target, version, headers and framing."""
    eol = draw(EOL)
    version = draw(VERSIONS)
    fields = draw(headers(host=version == b"1.1" or draw(st.booleans())))
    framing, payload = draw(body(eol))
    start = draw(METHODS) + b" " + draw(TARGETS) + b" HTTP/" + version
    return _head(start, fields + framing, eol) + payload


STATUSES = st.sampled_from([200, 200, 204, 304, 404, 500, 999, 101, 100, 103, 199])
REASONS = st.sampled_from([b" OK", b" ", b"", b" Not Found", b" a\tb", b" \x80"])


@st.composite
def response_bytes(draw: st.DrawFn) -> bytes:
    """One response (1xx, final with CL/chunked/close-delimited body), mostly well-formed."""
    eol = draw(EOL)
    status = draw(STATUSES)
    version = draw(st.sampled_from([b"1.1"] * 6 + [b"1.0"]))
    fields = draw(headers(host=False))
    if status == 101:
        fields.append((b"Upgrade", b"x"))
    framing, payload = ([], b"") if status < 200 else draw(body(eol))
    if status >= 200 and not framing and draw(st.booleans()):
        payload = draw(st.binary(max_size=16))  # close-delimited
    start = b"HTTP/" + version + b" " + str(status).encode() + draw(REASONS)
    return _head(start, fields + framing, eol) + payload


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """``base`` bytes, then up to two token-level mutations (insert, substitute or delete)."""
    data = draw(base)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "substitute", "delete"]))
        if op == "delete":
            data = data[:pos] + data[pos + draw(st.integers(1, 4)) :]
        else:
            token = draw(st.sampled_from(TOKENS))
            data = data[:pos] + token + data[pos + (op == "substitute") :]
    return data


@st.composite
def splits(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """``data`` cut at up to six random points (empty pieces dropped)."""
    if len(data) < 2:
        return [data]
    return split_at(data, draw(st.lists(st.integers(1, len(data) - 1), max_size=6)))


# ------------------------------------------------------------------------------------------------
# Streams, scripts and event arguments


def joined(one: st.SearchStrategy[bytes], most: int = 3) -> st.SearchStrategy[bytes]:
    """1..``most`` messages back to back (pipelining)."""
    return st.lists(one, min_size=1, max_size=most).map(b"".join)


SEND_NAMES = st.sampled_from(
    ["X-A", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Host", "Expect", "a b", ""]
)
SEND_VALUES = st.sampled_from(
    [
        "",
        "v",
        "0",
        "3",
        "x",
        "chunked",
        "gzip",
        "close",
        "keep-alive",
        "websocket",
        "100-continue",
        "a\r\nX: y",
        "a\x00",
        " a",
        "a\nb",
        "é",
        b"\x80",
    ]
)
SEND_REASONS = st.sampled_from(["", "OK", "Not Found", "OK\r\nX: y", "a\x00", "a\tb", "\x7f", b"\x80"])


def send_headers(*, host: bool = False) -> st.SearchStrategy[list[tuple[Any, Any]]]:
    """Header lists for built events: mostly valid, with framing fields and injection attempts."""
    extra = st.lists(st.tuples(SEND_NAMES, SEND_VALUES), max_size=3)
    if not host:
        return extra
    return st.tuples(st.sampled_from([[("Host", "a")]] * 4 + [[], [("Host", "a b")]]), extra).map(
        lambda p: p[0] + p[1]
    )


STATUS_VALUES = st.sampled_from([100, 101, 103, 199, 200, 204, 304, 404, 999, 1000, 99, "200", 200.0, True])


def event_spec(kind: str) -> st.SearchStrategy[EventSpec]:
    """Keyword arguments for one event class, drawn from valid and invalid values."""
    if kind == "Request":
        kwargs = st.fixed_dictionaries(
            {
                "method": st.sampled_from(["GET", "POST", "HEAD", "CONNECT", "G T", "", "get", b"\x80"]),
                "target": st.sampled_from(["/", "/a", "*", "", "/ x", "/\x7f", "/\r\n"]),
                "headers": send_headers(host=True),
            },
            optional={"http_version": st.sampled_from(["1.1", "1.0", "abc"])},
        )
    elif kind in ("InformationalResponse", "Response"):
        kwargs = st.fixed_dictionaries(
            {"status_code": STATUS_VALUES, "headers": send_headers()},
            optional={"reason": SEND_REASONS, "http_version": st.sampled_from(["1.1", "1.0"])},
        )
    elif kind == "Data":
        kwargs = st.fixed_dictionaries(
            {"data": st.binary(max_size=12)},
            optional={"chunk_start": st.booleans(), "chunk_end": st.booleans()},
        )
    elif kind == "EndOfMessage":
        kwargs = st.fixed_dictionaries({}, optional={"headers": send_headers()})
    else:
        kwargs = st.just({})
    return kwargs.map(lambda kw: (kind, kw))


EVENT_KINDS = st.sampled_from(
    ["Request", "InformationalResponse", "Response", "Data", "EndOfMessage", "ConnectionClosed"]
)
any_event_spec = EVENT_KINDS.flatmap(event_spec)

REQUEST_POOL = st.sampled_from(
    [
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n",
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    ]
)
RESPONSE_POOL = st.sampled_from(
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 101 Switching\r\nUpgrade: x\r\n\r\n",
        b"HTTP/1.1 204 \r\n\r\n",
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nT: 1\r\n\r\n",
        b"HTTP/1.1 200 \r\n\r\nclose-delimited",
        b"HTTP/1.0 200 \r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 408 \r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 2OO OK\r\n\r\n",
    ]
)


VALID_FIELDS = st.sampled_from(
    [
        [],
        [],
        [("Content-Length", "3")],
        [("Content-Length", "0")],
        [("Transfer-Encoding", "chunked")],
        [("Connection", "close")],
        [("Upgrade", "x")],
        [("Expect", "100-continue"), ("Content-Length", "3")],
        [("X-A", "1"), ("x-b", "2")],
    ]
)


def valid_event_spec(kind: str) -> st.SearchStrategy[EventSpec]:
    """Mostly-valid keyword arguments for one event class (so scripts get past their first step)."""
    if kind == "Request":
        kwargs = st.fixed_dictionaries(
            {
                "method": st.sampled_from(["GET", "GET", "POST", "HEAD", "CONNECT"]),
                "target": st.just("/"),
                "headers": VALID_FIELDS.map(lambda f: [("Host", "a"), *f]),
            }
        )
    elif kind in ("InformationalResponse", "Response"):
        codes = [100, 101, 103] if kind == "InformationalResponse" else [200, 200, 204, 304, 404]
        kwargs = st.fixed_dictionaries(
            {"status_code": st.sampled_from(codes), "headers": VALID_FIELDS},
            optional={"reason": st.sampled_from(["", "OK"])},
        )
    elif kind == "Data":
        kwargs = st.fixed_dictionaries({"data": st.sampled_from([b"", b"a", b"abc", b"abcdef"])})
    elif kind == "EndOfMessage":
        kwargs = st.sampled_from([{}, {}, {"headers": [("X-T", "1")]}])
    else:
        kwargs = st.just({})
    return kwargs.map(lambda kw: (kind, kw))


def script_step(role: str) -> st.SearchStrategy[tuple[Any, ...]]:
    """One step of a ``conformance.drive.run_script`` script for a Connection of ``role``."""
    ours = (
        ["InformationalResponse", "Response", "Response", "Data", "EndOfMessage"]
        if role == "server"
        else ["Request", "Request", "Data", "EndOfMessage"]
    )
    valid = st.sampled_from([*ours, "ConnectionClosed"]).flatmap(valid_event_spec)
    wild = st.sampled_from([*ours, "Request" if role == "server" else "Response"]).flatmap(event_spec)
    sends = st.one_of(valid, valid, valid, wild)
    return st.one_of(
        sends.map(lambda spec: ("send", spec)),
        sends.map(lambda spec: ("send", spec)),
        (REQUEST_POOL if role == "server" else RESPONSE_POOL).map(lambda b: ("recv", b)),
        st.sampled_from([("cycle",), ("eof",), ("send_failed",)]),
    )


def script(role: str) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    """A script: usually the other side's first message first, then up to seven random steps."""
    first = st.sampled_from([0, 1, 1, 1]).flatmap(
        lambda opening: (
            st.just([])
            if not opening
            else (
                REQUEST_POOL.map(lambda b: [("recv", b)])
                if role == "server"
                else valid_event_spec("Request").map(lambda s: [("send", s)])
            )
        )
    )
    return st.tuples(first, st.lists(script_step(role), min_size=1, max_size=7)).map(lambda p: p[0] + p[1])
