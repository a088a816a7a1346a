"""Shared Hypothesis strategies: h11 events as picklable specs, and HTTP/1.1 byte streams from a grammar.

Theory of operation: every strategy here produces plain data, never an implementation's objects, so one
draw can be built in any implementation (``conformance.drive.build_event``), pickled to a worker, stored in
a corpus entry and printed in a reproduction.

- Event specs are ``drive.EventSpec`` pairs, ``("Response", {"status_code": 200, "headers": [...]})``.
  ``request_specs`` / ``response_specs`` / ``informational_specs`` cover every framing (Content-Length,
  chunked, close-delimited, none, both CL and TE), HEAD and CONNECT, Upgrade, ``Expect: 100-continue``,
  ``Connection: close``, HTTP/1.0 and the dangerous bytes of docs/vectors.md in names, values, targets
  and reasons (mostly valid, sometimes not: an invalid spec is a test of construction-time validation).
- Byte streams are built token by token by a small grammar (``request_tokens`` / ``response_tokens``),
  then optionally mutated at the token level (``mutated``): a line ending swapped for bare LF or bare CR,
  a dangerous byte inserted, a framing header duplicated or made to conflict, a numeral written with a
  sign, ``0x``, leading zeros, ``_``, or 25 digits; a numeral, chunk size or version at a fixed-width
  boundary (2**31 ... 2**64) or past the interpreter's 4300-digit conversion limit; a field near the 16 KiB
  incomplete-event limit; a numeral repeated as a list of thousands, or thousands of field lines.
  ``request_streams`` / ``response_streams`` join them. Event specs draw the same boundaries for status
  codes and Content-Length, and Data sizes around the limit.
- ``splits`` draws cut points for feeding a stream in pieces.

The event-spec strategies take the target's ``capabilities`` (``conformance.targets.capabilities``;
default: all of them) and never draw what a target without one cannot do (``NEEDS``): no Upgrade or
CONNECT request and no 101 without "protocol-switch", no ``Expect: 100-continue`` without
"100-continue". The byte streams carry none of these, so they need no capabilities.

The catalog and the fuzz targets may reuse any of these; the model checker (``conformance.model``) uses
all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from conformance.drive import EventSpec
from conformance.targets.capabilities import ALL_CAPABILITIES, EXPECT_100, PROTOCOL_SWITCH
from conformance.vectors import DANGEROUS

Header = tuple[bytes, bytes]

# ---------------------------------------------------------------------------------------------
# Building blocks

TCHAR = b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Numerals that parsers get wrong (docs/vectors.md rows 4-12, 26-28).
ODD_NUMERALS = (
    b"+5", b"-1", b"-0", b"0x5", b"05", b"007", b"1_0", b"", b" 5", b"5 ", b"5,5", b"5, 6",
    b"99999999999999999999999", b"18446744073709551621", b"5\t", b"\xef\xbc\x95",
)  # fmt: skip
ODD_CHUNK_SIZES = (
    b"0x5",
    b"+5",
    b"-5",
    b"5_0",
    b"",
    b" 5",
    b"5 ",
    b"05",
    b"5;x",
    b"5 ;x",
    b"5;\rx",
    b"5;\x00",
)
# Numerals at the fixed-width boundaries (2**31, 2**32, 2**63, 2**64, each -1 and +1) and past CPython's
# 4300-digit int/str conversion limit, where an unguarded int() raises ValueError; as decimal, hex and ints.
WIDTHS = tuple(2**w + d for w in (31, 32, 63, 64) for d in (-1, 0, 1))
LONG = (4300, 4301, 5000)
WIDE_NUMERALS = (*(b"%d" % n for n in WIDTHS), *(b"9" * n for n in LONG), b"0" * 5000 + b"5")
WIDE_CHUNK_SIZES = (*(b"%x" % n for n in WIDTHS), *(b"f" * n for n in LONG), b"0" * 5000 + b"5")
WIDE_STATUS = (*WIDTHS, *(-n for n in WIDTHS), 0, 99, 1000)
# Field sizes around h11's default max_incomplete_event_size (16 KiB).
NEAR_LIMIT = (16_000, 16_300, 16_384, 16_385, 17_000)
# List and field counts: a long identical Content-Length list, thousands of field lines.
LIST_COUNTS = (1_000, 2_000, 3_000)
COMMON_NAMES = (
    b"User-Agent", b"Accept", b"X-Trace", b"Cookie", b"Via", b"Date", b"Server", b"Cache-Control", b"ETag",
)  # fmt: skip
PATTERNS = (b"x", b"ab", b"0\r\n\r\n", b"\r\n", b"\x00\xff", b"GET / HTTP/1.1\r\n")

tokens = st.text(alphabet=TCHAR.decode(), min_size=1, max_size=12).map(str.encode)


def _case_variant(name: bytes) -> st.SearchStrategy[bytes]:
    return st.sampled_from((name, name.lower(), name.upper()))


header_names: st.SearchStrategy[bytes] = st.one_of(st.sampled_from(COMMON_NAMES), tokens).flatmap(
    _case_variant
)
safe_values = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.;=/:, \t\"'()", min_size=0, max_size=16
).map(lambda s: s.strip(" \t").encode())


@st.composite
def dangerous_values(draw: st.DrawFn) -> bytes:
    """A field value with a byte from the dangerous sets somewhere in it."""
    value = draw(safe_values)
    at = draw(st.integers(0, len(value)))
    return value[:at] + draw(st.sampled_from(DANGEROUS)) + value[at:]


header_values = st.one_of(*[safe_values] * 11, dangerous_values())
hosts = st.one_of(
    *[st.sampled_from((b"a", b"example.com", b"example.com:8080", b"[::1]:80", b"127.0.0.1"))] * 6,
    st.sampled_from((b"", b"a b", b"user@a", b"a:x", b"a,b", b"a/b")),
)
targets = st.one_of(
    *[st.sampled_from((b"/", b"/index.html", b"/a?b=c", b"*", b"http://a/b", b"a:443"))] * 6,
    st.text(alphabet="/abc%?=&.", min_size=1, max_size=10).map(str.encode),
    st.sampled_from((b"", b"/a b", b"/\x00", b"/\xff", b"/\r")),
)
methods = st.one_of(
    *[st.sampled_from((b"GET", b"GET", b"POST", b"PUT", b"HEAD", b"CONNECT", b"OPTIONS", b"DELETE"))] * 6,
    tokens,
    st.sampled_from((b"get", b"G T", b"")),
)
reasons = st.one_of(
    *[st.sampled_from((b"OK", b"", b"Not Found", b"Continue", b"Switching Protocols"))] * 4,
    safe_values,
    st.sampled_from((b"OK\r\nX: y", b"O\x00K", b"\tA")),
)


def _pick(draw: st.DrawFn, valid: bool, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """``good`` or ``bad``: ``bad`` one time in 40 when ``valid`` (the machine's legal rules), else 1 in 4."""
    roll = draw(st.integers(0, 39))
    return draw(bad if roll < (1 if valid else 10) else good)


GOOD_HOSTS = st.sampled_from((b"a", b"example.com", b"example.com:8080", b"[::1]:80", b"127.0.0.1"))
GOOD_TARGETS = st.sampled_from((b"/", b"/index.html", b"/a?b=c", b"*", b"http://a/b"))
GOOD_METHODS = st.sampled_from((b"GET", b"GET", b"POST", b"PUT", b"HEAD", b"OPTIONS", b"DELETE"))
GOOD_REASONS = st.sampled_from((b"OK", b"", b"Not Found", b"Continue", b"Switching Protocols"))


@st.composite
def extra_headers(draw: st.DrawFn, max_size: int = 3, valid: bool = False) -> list[Header]:
    """A few ordinary header fields (no framing ones), valid or carrying dangerous bytes."""
    count = draw(st.integers(0, max_size))
    return [(draw(header_names), _pick(draw, valid, safe_values, header_values)) for _ in range(count)]


FRAMINGS = ("none", "content-length", "chunked", "cl+te", "odd-cl", "te-other")


@st.composite
def framing_headers(draw: st.DrawFn, framing: str | None = None) -> tuple[str, list[Header]]:
    """A framing choice and the header fields that express it."""
    framing = framing or draw(st.sampled_from(FRAMINGS[:3] * 4 + FRAMINGS[3:]))
    te_name = draw(_case_variant(b"Transfer-Encoding"))
    cl_name = draw(_case_variant(b"Content-Length"))
    length = str(draw(st.one_of(st.integers(0, 8), st.integers(0, 300)))).encode()
    chunked = draw(st.sampled_from((b"chunked", b"Chunked", b"CHUNKED")))
    table: dict[str, list[Header]] = {
        "none": [],
        "content-length": [(cl_name, length)],
        "chunked": [(te_name, chunked)],
        "cl+te": [(cl_name, length), (te_name, chunked)],
        "odd-cl": [(cl_name, draw(st.sampled_from(ODD_NUMERALS + WIDE_NUMERALS)))],
        "te-other": [(te_name, draw(st.sampled_from((b"gzip", b"chunked, chunked", b"gzip, chunked"))))],
    }
    return framing, table[framing]


def _shuffle_in(draw: st.DrawFn, base: list[Header], extra: Sequence[Header]) -> list[Header]:
    out = list(base)
    for header in extra:
        out.insert(draw(st.integers(0, len(out))), header)
    return out


# ---------------------------------------------------------------------------------------------
# Event specs

# What a drawn event may carry only for a target with the capability: a request's purpose ("upgrade",
# "connect", "expect"), the CONNECT method, the 101 status. ``able`` reads it.
NEEDS: dict[str, str] = {
    "upgrade": PROTOCOL_SWITCH,
    "connect": PROTOCOL_SWITCH,
    "expect": EXPECT_100,
    "101": PROTOCOL_SWITCH,
}


def able(what: str, capabilities: frozenset[str]) -> bool:
    """Whether a target with ``capabilities`` can be given ``what`` (a key of ``NEEDS``, else always)."""
    need = NEEDS.get(what)
    return need is None or need in capabilities


def _without(statuses: st.SearchStrategy[int], capabilities: frozenset[str]) -> st.SearchStrategy[int]:
    """``statuses`` without 101 for a target that cannot switch protocols."""
    return statuses if able("101", capabilities) else statuses.filter(lambda code: code != 101)


@st.composite
def request_specs(
    draw: st.DrawFn, valid: bool = False, capabilities: frozenset[str] = ALL_CAPABILITIES
) -> EventSpec:
    """A client Request: every method, framing, Upgrade/CONNECT, 100-continue, close, HTTP/1.0.

    With ``valid`` nearly every draw is a request the reference accepts (for the legal rules). Only
    what ``capabilities`` allow (``NEEDS``).
    """
    any_method = methods if able("connect", capabilities) else methods.filter(lambda m: m != b"CONNECT")
    method = _pick(draw, valid, GOOD_METHODS, any_method)
    purposes = tuple(
        p
        for p in ("upgrade", "upgrade", "connect", "connect", "expect", "close", "http10")
        if able(p, capabilities)
    )
    purpose = draw(st.sampled_from(("plain",) * (3 if valid else 5) + purposes))
    headers: list[Header] = []
    if draw(st.integers(0, 19)) > 0:
        headers.append((draw(_case_variant(b"Host")), _pick(draw, valid, GOOD_HOSTS, hosts)))
    if draw(st.integers(0, 29)) == 0:
        headers.append((b"Host", draw(hosts)))  # duplicated Host
    _, framing = draw(framing_headers(draw(st.sampled_from(FRAMINGS[:3]))) if valid else framing_headers())
    extra = draw(extra_headers(valid=valid))
    version = b"1.1"
    target = _pick(draw, valid, GOOD_TARGETS, targets)
    if purpose == "upgrade":
        headers += [
            (b"Upgrade", draw(st.sampled_from((b"websocket", b"h2c", b"")))),
            (b"Connection", b"upgrade"),
        ]
    elif purpose == "connect":
        method, target = b"CONNECT", draw(st.sampled_from((b"a:443", b"example.com:80")))
    elif purpose == "expect":
        headers.append(
            (b"Expect", draw(st.sampled_from((b"100-continue", b"100-Continue", b"x, 100-continue"))))
        )
    elif purpose == "close":
        headers.append((b"Connection", draw(st.sampled_from((b"close", b"Close", b"keep-alive, close")))))
    elif purpose == "http10" and (not valid or draw(st.integers(0, 4)) == 0):
        version = draw(st.sampled_from((b"1.0", b"0.9")))
    kwargs: dict[str, Any] = {
        "method": method,
        "target": target,
        "headers": _shuffle_in(draw, headers + framing, extra),
    }
    if version != b"1.1":
        kwargs["http_version"] = version
    return ("Request", kwargs)


STATUS_CODES = (200, 200, 200, 201, 204, 206, 304, 400, 404, 408, 500, 503, 999)


@st.composite
def response_specs(draw: st.DrawFn, valid: bool = False) -> EventSpec:
    """A server Response with every framing, Connection: close, odd status codes and reasons."""
    status = _pick(
        draw,
        valid,
        st.sampled_from(STATUS_CODES),
        st.one_of(st.integers(100, 1000), st.sampled_from(WIDE_STATUS)),
    )
    _, framing = draw(framing_headers(draw(st.sampled_from(FRAMINGS[:3]))) if valid else framing_headers())
    headers = _shuffle_in(draw, framing, draw(extra_headers(valid=valid)))
    if draw(st.integers(0, 5)) == 0:
        headers.append((b"Connection", draw(st.sampled_from((b"close", b"keep-alive", b"Keep-Alive, Foo")))))
    kwargs: dict[str, Any] = {"status_code": status, "headers": headers}
    if draw(st.booleans()):
        kwargs["reason"] = _pick(draw, valid, GOOD_REASONS, reasons)
    return ("Response", kwargs)


@st.composite
def informational_specs(
    draw: st.DrawFn, valid: bool = False, capabilities: frozenset[str] = ALL_CAPABILITIES
) -> EventSpec:
    """A 1xx: 100 Continue, 101 with or without Upgrade (``capabilities`` allowing), 102/103 and other
    codes, sometimes framed."""
    status = _pick(
        draw,
        valid,
        _without(st.sampled_from((100, 100, 101, 101, 101, 102, 103)), capabilities),
        _without(st.one_of(st.integers(0, 300), st.sampled_from(WIDE_STATUS)), capabilities),
    )
    headers = draw(extra_headers(max_size=2, valid=valid))
    if status == 101 and draw(st.integers(0, 9)) > 0:
        headers.append((b"Upgrade", draw(st.sampled_from((b"websocket", b"h2c")))))
    if draw(st.integers(0, 39 if valid else 9)) == 0:
        headers += draw(framing_headers())[1]
    kwargs: dict[str, Any] = {"status_code": status, "headers": headers}
    if draw(st.booleans()):
        kwargs["reason"] = _pick(draw, valid, GOOD_REASONS, reasons)
    return ("InformationalResponse", kwargs)


@st.composite
def data_specs(draw: st.DrawFn, size: int | None = None) -> EventSpec:
    """A Data event; ``size`` fixes the length, otherwise mostly small, sometimes large or empty."""
    if size is None:
        # Mostly small, sometimes large; one Data in ten near the incomplete-event limit, which is rare
        # enough that the examples' other steps still get their share of Hypothesis's budget.
        near = draw(st.integers(0, 9)) == 0
        size = draw(
            st.sampled_from(NEAR_LIMIT) if near else st.one_of(st.integers(0, 16), st.integers(0, 3000))
        )
    pattern = draw(st.sampled_from(PATTERNS))
    data = (pattern * (size // len(pattern) + 1))[:size]
    return ("Data", {"data": data})


@st.composite
def trailer_lists(draw: st.DrawFn, valid: bool = False) -> list[Header]:
    """Trailer fields: usually none, sometimes ordinary ones, sometimes framing or Host fields."""
    kind = draw(st.sampled_from(("none", "none", "plain", "plain", "framing" if not valid else "plain")))
    if kind == "none":
        return []
    trailers = draw(extra_headers(max_size=3, valid=valid))
    if kind == "framing":
        trailers.append(draw(st.sampled_from(((b"Content-Length", b"5"), (b"Host", b"a"), (b"X-Ok", b"1")))))
    return trailers


@st.composite
def end_specs(draw: st.DrawFn, valid: bool = False) -> EventSpec:
    """An EndOfMessage, with trailers or not."""
    trailers = draw(trailer_lists(valid=valid))
    return ("EndOfMessage", {"headers": trailers} if trailers else {})


closed_specs: st.SearchStrategy[EventSpec] = st.just(("ConnectionClosed", {}))


def any_event_specs(capabilities: frozenset[str] = ALL_CAPABILITIES) -> st.SearchStrategy[EventSpec]:
    """Any event of any type: what a careless caller might pass to ``send`` in any state (of what
    ``capabilities`` allow)."""
    return st.one_of(
        request_specs(capabilities=capabilities),
        response_specs(),
        informational_specs(capabilities=capabilities),
        data_specs(),
        end_specs(),
        closed_specs,
    )


# ---------------------------------------------------------------------------------------------
# Byte streams: a grammar of tokens, then token-level mutations

Tokens = list[bytes]


def _chunked_body(draw: st.DrawFn) -> Tokens:
    out: Tokens = []
    for _ in range(draw(st.integers(0, 3))):
        size = draw(st.integers(1, 20))
        data = draw(data_specs(size=size))[1]["data"]
        out += [f"{size:x}".encode(), b"\r\n", data, b"\r\n"]
    out += [b"0", b"\r\n"]
    for name, value in draw(trailer_lists()):
        out += [name, b": ", value, b"\r\n"]
    out.append(b"\r\n")
    return out


def _head_and_body(draw: st.DrawFn, start: Tokens, headers: list[Header], body_kind: str) -> Tokens:
    out = list(start)
    body: Tokens = []
    if body_kind == "content-length":
        data = draw(data_specs(size=draw(st.integers(0, 30))))[1]["data"]
        headers = [*headers, (b"Content-Length", str(len(data)).encode())]
        body = [data]
    elif body_kind == "chunked":
        headers = [*headers, (b"Transfer-Encoding", b"chunked")]
        body = _chunked_body(draw)
    elif body_kind == "close-delimited":
        body = [draw(data_specs(size=draw(st.integers(0, 30))))[1]["data"]]
    for name, value in headers:
        out += [name, b": ", value, b"\r\n"]
    out.append(b"\r\n")
    return out + body


@st.composite
def request_tokens(draw: st.DrawFn) -> Tokens:
    """One valid request (HTTP/1.1 or 1.0), as tokens; framing none, Content-Length or chunked."""
    method = draw(st.sampled_from((b"GET", b"POST", b"HEAD", b"PUT", b"OPTIONS")))
    version = draw(st.sampled_from((b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0")))
    headers = [(b"Host", draw(hosts.filter(lambda h: h in (b"a", b"example.com"))))]
    headers = _shuffle_in(draw, headers, draw(extra_headers().filter(_clean)))
    if draw(st.integers(0, 5)) == 0:
        headers.append((b"Connection", b"close"))
    body_kind = draw(st.sampled_from(("none", "content-length", "chunked")))
    start = [method, b" ", draw(targets.filter(_clean_target)), b" ", version, b"\r\n"]
    return _head_and_body(draw, start, headers, body_kind)


@st.composite
def response_tokens(draw: st.DrawFn) -> Tokens:
    """One valid response (any framing; 1xx and 204/304 without body), as tokens."""
    status = draw(st.sampled_from((200, 200, 201, 204, 304, 404, 500, 100, 103)))
    version = draw(st.sampled_from((b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0")))
    headers = draw(extra_headers().filter(_clean))
    if status < 200 or status in (204, 304):
        body_kind = "none"
    else:
        body_kind = draw(st.sampled_from(("content-length", "chunked", "close-delimited")))
    start = [version, b" ", str(status).encode(), b" ", draw(safe_values), b"\r\n"]
    tokens_ = _head_and_body(draw, start, headers, body_kind)
    if status < 200:  # a 1xx is followed by the final response
        tokens_ += draw(response_tokens().filter(lambda t: not t[2].startswith(b"1")))
    return tokens_


def _clean(headers: list[Header]) -> bool:
    return all(v == v.strip() and not set(v) & set(b"\x00\r\n\x0b\x0c") for _, v in headers)


def _clean_target(target: bytes) -> bool:
    return bool(target) and all(0x21 <= b <= 0x7E for b in target)


MUTATIONS = (
    "bare-lf", "bare-cr", "dangerous-byte", "dup-cl", "cl-te", "odd-numeral", "odd-chunk-size",
    "obs-fold", "leading-crlf", "version", "space-before-colon", "drop-token", "te-http10",
    "wide-numeral", "wide-chunk-size", "wide-version", "big-field",
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Tokens]) -> Tokens:
    """``base`` tokens with 1-2 token-level mutations from ``MUTATIONS``."""
    toks = list(draw(base))
    for _ in range(draw(st.integers(1, 2))):
        toks = _mutate(draw, toks, draw(st.sampled_from(MUTATIONS)))
    return toks


def _index_of(toks: Tokens, pred: Any) -> list[int]:
    return [i for i, t in enumerate(toks) if pred(t)]


def _mutate(draw: st.DrawFn, toks: Tokens, how: str) -> Tokens:
    """One mutation; a mutation with nothing to act on leaves the tokens as they are."""
    crlfs = _index_of(toks, lambda t: t == b"\r\n")
    head_end = toks.index(b"\r\n", 0) if b"\r\n" in toks else 0
    pick = draw(st.integers(0, 1 << 16))
    if how in ("bare-lf", "bare-cr") and crlfs:
        toks[crlfs[pick % len(crlfs)]] = b"\n" if how == "bare-lf" else b"\r"
    elif how == "dangerous-byte" and toks:
        i = pick % len(toks)
        toks[i] = (
            toks[i][: pick % (len(toks[i]) + 1)]
            + draw(st.sampled_from(DANGEROUS))
            + toks[i][pick % (len(toks[i]) + 1) :]
        )
    elif how == "dup-cl":
        toks[head_end + 1 : head_end + 1] = [
            b"Content-Length: ",
            draw(st.sampled_from((b"1", b"2", b"0"))),
            b"\r\n",
        ]
    elif how == "cl-te":
        toks[head_end + 1 : head_end + 1] = [b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"]
    elif how == "odd-numeral":
        lengths = _index_of(toks, lambda t: t.isdigit())
        if lengths:
            toks[lengths[pick % len(lengths)]] = draw(st.sampled_from(ODD_NUMERALS))
    elif how == "odd-chunk-size":
        sizes = [i for i in range(1, len(toks)) if toks[i - 1] == b"\r\n" and _is_hex(toks[i])]
        if sizes:
            toks[sizes[pick % len(sizes)]] = draw(st.sampled_from(ODD_CHUNK_SIZES))
    elif how == "obs-fold" and len(crlfs) > 1:
        toks.insert(crlfs[1] + 1, b" folded\r\n")
    elif how == "leading-crlf":
        toks.insert(0, b"\r\n")
    elif how == "version":
        versions = _index_of(toks, lambda t: t.startswith(b"HTTP/"))
        if versions:
            toks[versions[0]] = draw(
                st.sampled_from((b"HTTP/2.0", b"http/1.1", b"HTTP/1.10", b"HTTP/1", b"HTTP/0.9"))
            )
    elif how == "space-before-colon":
        colons = _index_of(toks, lambda t: t == b": ")
        if colons:
            toks[colons[pick % len(colons)]] = draw(st.sampled_from((b" : ", b"\t: ", b":")))
    elif how == "drop-token" and toks:
        del toks[pick % len(toks)]
    elif how == "wide-numeral":
        numerals = _index_of(toks, lambda t: t.isdigit())
        if numerals:
            toks[numerals[pick % len(numerals)]] = draw(st.sampled_from(WIDE_NUMERALS))
    elif how == "wide-chunk-size":
        sizes = [i for i in range(1, len(toks)) if toks[i - 1] == b"\r\n" and _is_hex(toks[i])]
        if sizes:
            toks[sizes[pick % len(sizes)]] = draw(st.sampled_from(WIDE_CHUNK_SIZES))
    elif how == "wide-version":
        versions = _index_of(toks, lambda t: t.startswith(b"HTTP/"))
        if versions:
            wide = draw(st.sampled_from(WIDE_NUMERALS))
            toks[versions[0]] = b"HTTP/" + (wide + b".1" if pick % 2 else b"1." + wide)
    elif how == "big-field" and pick % 3:  # one field near the size limit
        toks[head_end + 1 : head_end + 1] = [b"X-Big: ", b"v" * draw(st.sampled_from(NEAR_LIMIT)), b"\r\n"]
    elif how == "big-field":  # or a list of thousands: a numeral repeated ("5, 5, ..."), or field lines
        numerals = _index_of(toks, lambda t: t.isdigit())
        count = draw(st.sampled_from(LIST_COUNTS))
        if numerals and pick % 2:
            i = numerals[pick % len(numerals)]
            toks[i] = b", ".join([toks[i]] * count)
        else:
            toks[head_end + 1 : head_end + 1] = [b"X-%d: 1\r\n" % n for n in range(count)]
    elif how == "te-http10":
        toks = [b"HTTP/1.0" if t == b"HTTP/1.1" else t for t in toks]
        toks[head_end + 1 : head_end + 1] = [b"Transfer-Encoding: chunked\r\n"]
    return toks


def _is_hex(tok: bytes) -> bool:
    return bool(tok) and all(c in b"0123456789abcdefABCDEF" for c in tok)


@st.composite
def request_streams(draw: st.DrawFn) -> bytes:
    """Requests as one byte stream: 1-2 pipelined, valid or mutated."""
    parts = draw(st.lists(st.one_of(request_tokens(), mutated(request_tokens())), min_size=1, max_size=2))
    return b"".join(b"".join(p) for p in parts)


@st.composite
def response_streams(draw: st.DrawFn) -> bytes:
    """A response as a byte stream, valid or mutated (read by a client that sent ``GET /``)."""
    return b"".join(draw(st.one_of(response_tokens(), mutated(response_tokens()))))


def splits(max_cuts: int = 6) -> st.SearchStrategy[tuple[int, ...]]:
    """Cut offsets (taken modulo the stream's length by the consumer)."""
    offsets = st.one_of(st.integers(1, 4), st.integers(1, 1 << 12))  # small ones cut inside short lines
    return st.lists(offsets, max_size=max_cuts).map(lambda cuts: tuple(sorted(set(cuts))))


def cut(data: bytes, cuts: Sequence[int]) -> list[bytes]:
    """``data`` cut at ``cuts`` taken modulo its length; empty pieces dropped, nothing lost."""
    if len(data) < 2:
        return [data] if data else []
    points = sorted({1 + (c - 1) % (len(data) - 1) for c in cuts})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds) if b > a]
