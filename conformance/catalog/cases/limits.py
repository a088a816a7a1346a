"""Runtime limits: numerals at fixed-width boundaries and past the interpreter's conversion limit, and heads
and bodies around the incomplete-event size limit.

Theory of operation: every numeric field a recipient converts (Content-Length, chunk-size, status-code, the
HTTP version digits) and every list it counts is tried at 2**31, 2**32, 2**63 and 2**64 (each minus one and
plus one where the grammar allows), and with 4300 and 4301 digits: CPython refuses to convert a decimal
string of more than 4300 digits, so a parser that hands an unbounded digit string to ``int()`` raises
ValueError, a crash under the API contract. A huge length can only be refused or waited for (the body never
comes, and EOF makes the message incomplete), so those cases state ``eof_rejects``: the rejection may wait
for EOF. Heads, chunk-size lines and trailer sections are tried at exactly the default
``max_incomplete_event_size`` (16 KiB) and one byte past it, complete and incomplete; bodies, which never
count against it, well past it.
"""

from __future__ import annotations

import dataclasses

from conformance.catalog.case import RPE, Accept, Case, Either, Reject, alternatives
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    HOST,
    case,
    chunk,
    data,
    eom,
    grammar_case,
    ok,
    post,
    req,
    request_bytes,
    response_bytes,
    served,
)
from conformance.drive import EventRecord
from conformance.targets.capabilities import EVENT_SIZE_LIMIT
from conformance.verdict import Level

MUST = Level.MUST
LIMIT = 16384  # h11's default max_incomplete_event_size
CASES: list[Case] = []
S_CL = (
    "a recipient MUST anticipate potentially large decimal numerals and prevent parsing errors due to integer"
    " conversion overflows or precision loss due to integer conversion"
)
S_CHUNK = (
    "Recipients MUST anticipate potentially large hexadecimal numerals and prevent parsing errors due to"
    " integer conversion overflows or precision loss due to integer representation."
)
S_STATUS = "status-code = 3DIGIT"
S_VERSION = 'HTTP-version = HTTP-name "/" DIGIT "." DIGIT'
S_LIST = (
    "a recipient MUST accept lists that satisfy the following syntax: #element => [ element ] *( OWS"
    ' "," OWS [ element ] )'
)
S_SIZE = (
    "A server that receives a request header field line, field value, or set of fields larger than it wishes"
    " to process MUST respond with an appropriate 4xx (Client Error) status code."
)
S_INCOMPLETE = (
    "Connection(max_incomplete_event_size=16384): a head, chunk-size line or trailer section still incomplete"
    " at more than that many bytes is refused with RemoteProtocolError 431; one at or under it waits for"
    " more bytes, and body bytes never count (h11 API)."
)
TOO_LARGE = Either(Reject(RPE, 431), Reject(RPE, 400), Reject(RPE, 413))


def add(c: Case) -> None:
    """Append one case; a case about h11's own limit (``h11/limits/``) needs the target to offer it."""
    if c.id.startswith("h11/limits/"):
        c = dataclasses.replace(c, needs=c.needs | {EVENT_SIZE_LIMIT})
    CASES.append(c)


WIDTHS = [
    (f"2-{w}{tag}", 2**w + d)
    for w in (31, 32, 63, 64)
    for d, tag in ((-1, "-minus-1"), (0, ""), (1, "-plus-1"))
]
DIGITS = (4300, 4301)  # at and one past the limit (reports carry every input: kept short)

# --- Content-Length: a huge length waits for a body that never comes; a huge numeral never crashes ----------
for slug, value in WIDTHS:
    cl = b"Content-Length: %d\r\n" % value
    for role, suffix, wire in (
        ("server", "", request_bytes(cl, b"X")),
        ("client", "-response", response_bytes(cl, b"X")),
    ):
        add(
            case(
                f"9110/8.6/cl-width-{slug}{suffix}",
                "RFC 9110 §8.6",
                MUST,
                S_CL,
                role,
                Reject(RPE),
                wire=wire,
                eof_rejects=True,
                note="A wrapped or truncated length ends the message early; a correct one waits for EOF.",
            )
        )
for digits in DIGITS:
    for role, suffix, builder in (("server", "", request_bytes), ("client", "-response", response_bytes)):
        add(
            case(
                f"9110/8.6/cl-{digits}-digits{suffix}",
                "RFC 9110 §8.6",
                MUST,
                S_CL,
                role,
                Reject(RPE),
                wire=builder(b"Content-Length: " + b"9" * digits + b"\r\n", b"X"),
                eof_rejects=True,
                note="Past CPython's 4300-digit int() limit: refuse it or wait for the body, never crash.",
            )
        )
    zeros = b"Content-Length: " + b"0" * digits + b"5\r\n"
    add(
        case(
            f"9110/8.6/cl-{digits}-leading-zeros",
            "RFC 9110 §8.6",
            MUST,
            S_CL,
            "server",
            Either(Reject(RPE), Accept(events=served(post(zeros), data(b"hello"), eom()))),
            wire=request_bytes(zeros, b"hello"),
            eof_rejects=True,
            note="The value is 5 (1*DIGIT allows leading zeros): read it, or refuse it as too long.",
        )
    )

# --- chunk-size ---------------------------------------------------------------------------------------------
TE = b"Transfer-Encoding: chunked\r\n"
for slug, value in WIDTHS:
    for role, suffix, builder in (("server", "", request_bytes), ("client", "-response", response_bytes)):
        add(
            case(
                f"9112/7.1/chunk-width-{slug}{suffix}",
                "RFC 9112 §7.1",
                MUST,
                S_CHUNK,
                role,
                Reject(RPE),
                wire=builder(TE, b"%x\r\nhello\r\n0\r\n\r\n" % value),
                eof_rejects=True,
                note="The chunk is far longer than what follows: wait for it, then EOF makes it incomplete.",
            )
        )
for digits in DIGITS[1:]:
    add(
        case(
            f"9112/7.1/chunk-size-{digits}-digits",
            "RFC 9112 §7.1",
            MUST,
            S_CHUNK,
            "server",
            Reject(RPE),
            wire=request_bytes(TE, b"f" * digits + b"\r\nhello\r\n0\r\n\r\n"),
            eof_rejects=True,
        )
    )
    add(
        case(
            f"9112/7.1/chunk-size-{digits}-leading-zeros",
            "RFC 9112 §7.1",
            MUST,
            S_CHUNK,
            "server",
            Either(Reject(RPE), Accept(events=served(post(TE), chunk(b"hello"), eom()))),
            wire=request_bytes(TE, b"0" * digits + b"5\r\nhello\r\n0\r\n\r\n"),
            eof_rejects=True,
        )
    )

# --- status-code and HTTP version digits: fixed grammar, so any longer numeral is a settled rejection -------
for slug, numeral in [*((s, b"%d" % v) for s, v in WIDTHS), *((f"{d}-digits", b"2" * d) for d in DIGITS[1:])]:
    add(
        grammar_case(
            f"9112/4/status-{slug}",
            "RFC 9112 §4",
            S_STATUS,
            "client",
            Reject(RPE),
            wire=b"HTTP/1.1 " + numeral + b" OK\r\nContent-Length: 0\r\n\r\n",
        )
    )
for slug, numeral in [
    ("2-32", b"4294967296"),
    ("2-64-plus-1", b"18446744073709551617"),
    ("4301-digits", b"1" * 4301),
]:
    for part, version in (("major", numeral + b".1"), ("minor", b"1." + numeral)):
        add(
            grammar_case(
                f"9112/2.3/version-{part}-{slug}",
                "RFC 9112 §2.3",
                S_VERSION,
                "server",
                Reject(RPE),
                wire=b"GET / HTTP/" + version + b"\r\nHost: a\r\n\r\n",
            )
        )
        add(
            grammar_case(
                f"9112/2.3/version-{part}-{slug}-response",
                "RFC 9112 §2.3",
                S_VERSION,
                "client",
                Reject(RPE),
                wire=b"HTTP/" + version + b" 200 OK\r\nContent-Length: 0\r\n\r\n",
            )
        )

# --- List counts: thousands of elements and of field lines --------------------------------------------------
cl_list = b"Content-Length: " + b", ".join([b"5"] * 2000) + b"\r\n"
add(
    case(
        "9110/8.6/cl-list-2000-identical",
        "RFC 9110 §8.6",
        MUST,
        "cl-invalid",
        "server",
        Either(Reject(RPE), Accept(events=served(post(b"Content-Length: 5\r\n"), data(b"hello"), eom()))),
        wire=request_bytes(cl_list, b"hello"),
        note="2000 identical values (10 kB): collapse them to 5, or refuse; never crash or misread.",
    )
)
empty_list = b"Connection: " + b"," * 4000 + b"close\r\n"
add(
    case(
        "9110/5.6.1/list-4000-empty-elements",
        "RFC 9110 §5.6.1",
        MUST,
        S_LIST,
        "server",
        Accept(events=(req(headers=(*HOST, (b"connection", b"," * 4000 + b"close"))), eom())),
        wire=b"GET / HTTP/1.1\r\nHost: a\r\n" + empty_list + b"\r\n",
        eof=False,
        note="Empty list elements are accepted: 'close' is still read.",
    )
)
many = b"".join(b"X-%d: 1\r\n" % i for i in range(1500))
many_read = Accept(events=served(req(headers=(*HOST, *((b"x-%d" % i, b"1") for i in range(1500)))), eom()))
add(
    case(
        "9112/5/fields-1500-lines",
        "RFC 9112 §5",
        MUST,
        "field-line",
        "server",
        Either(many_read, *alternatives(TOO_LARGE)),
        wire=b"GET / HTTP/1.1\r\nHost: a\r\n" + many + b"\r\n",
        note="1500 field lines (14 kB): every one kept, in order, or the whole head refused as too large "
        "(RFC 9110 §5.4 lets a recipient choose its limits; h11's 16 KiB limit keeps them all).",
    )
)

# --- The incomplete-event limit -----------------------------------------------------------------------------
HEAD = b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: "


def padded_head(size: int) -> bytes:
    """A complete request head (blank line included) of exactly ``size`` bytes."""
    return HEAD + b"p" * (size - len(HEAD) - 4) + b"\r\n\r\n"


def padded_request(size: int) -> tuple[bytes, EventRecord]:
    """The head of ``size`` bytes and its Request record."""
    head = padded_head(size)
    return head, req(headers=(*HOST, (b"x-pad", b"p" * (size - len(HEAD) - 4))))


head, record = padded_request(LIMIT)
add(
    case(
        "h11/limits/head-at-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=served(record, eom())),
        wire=head,
        note="Exactly 16384 bytes of head: within the limit in every split.",
    )
)
head, record = padded_request(LIMIT + 1)
add(
    case(
        "9110/5.4/head-past-limit",
        "RFC 9110 §5.4",
        MUST,
        S_SIZE,
        "server",
        Either(TOO_LARGE, Accept(events=served(record, eom()))),
        wire=head,
        h11_expect=Either(Reject(RPE, 431), Accept(events=served(record, eom()))),
        difference="size-limit-split-invariant",
        note="One byte past the limit, complete: refuse it or read it, but the same way in every split.",
    )
)
add(
    case(
        "h11/limits/incomplete-head-at-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=()),
        wire=padded_head(LIMIT + 4)[:LIMIT],
        eof=False,
        note="16384 bytes of an unfinished head: wait for more.",
    )
)
add(
    case(
        "h11/limits/incomplete-head-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Reject(RPE, 431),
        wire=padded_head(LIMIT + 5)[: LIMIT + 1],
        eof=False,
        note="16385 bytes of an unfinished head: refused without waiting for EOF.",
    )
)
add(
    case(
        "h11/limits/incomplete-status-head-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "client",
        Reject(RPE, 431),
        wire=(b"HTTP/1.1 200 OK\r\nX-Pad: " + b"p" * LIMIT)[: LIMIT + 1],
        eof=False,
    )
)
# Chunk-size line and trailer section: limited like a head; the chunk's data is body and never counts.
ext_line = b";e=" + b"x" * 16000
add(
    case(
        "h11/limits/chunk-line-under-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=served(post(TE), chunk(b"hello"), eom())),
        wire=request_bytes(TE, b"5" + ext_line + b"\r\nhello\r\n0\r\n\r\n"),
        note="A 16 kB chunk-size line (extension) under the limit: ignored, read in every split.",
    )
)
add(
    case(
        "h11/limits/incomplete-chunk-line-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Reject(RPE, 431, events=(post(TE),)),
        wire=request_bytes(TE, b"5;e=" + b"x" * LIMIT),
        eof=False,
    )
)
trailer = b"X-T: " + b"t" * 16000 + b"\r\n"
add(
    case(
        "h11/limits/trailers-under-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=served(post(TE), chunk(b"hello"), eom(((b"x-t", b"t" * 16000),)))),
        wire=request_bytes(TE, b"5\r\nhello\r\n0\r\n" + trailer + b"\r\n"),
    )
)
BIG = b"b" * 17000
add(
    case(
        "h11/limits/cl-body-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=served(post(b"Content-Length: 17000\r\n"), data(BIG), eom(), GET, eom())),
        wire=request_bytes(b"Content-Length: 17000\r\n", BIG) + b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        note="A 17 kB Content-Length body: body bytes never count against the limit.",
    )
)
add(
    case(
        "h11/limits/chunk-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "server",
        Accept(events=served(post(TE), chunk(BIG), eom())),
        wire=request_bytes(TE, b"%x\r\n" % len(BIG) + BIG + b"\r\n0\r\n\r\n"),
    )
)
add(
    case(
        "h11/limits/close-delimited-body-past-limit",
        "h11 API",
        MUST,
        S_INCOMPLETE,
        "client",
        Accept(events=(ok(), data(BIG), eom(), CLOSED)),
        wire=response_bytes(b"", BIG),
    )
)

__all__ = ["CASES"]
