"""The event API's own contract: construction, immutability, value equality, Headers, numeric ranges,
sentinels, and the chunk flags of received Data.

Theory of operation: most cases here call the API rather than feed bytes. Each is a tuple of
``conformance.drive`` probes (build an event, assign to a field, compare two events, use ``Headers``, look at
a sentinel) whose picklable results the case's ``Accept(events=...)`` lists in order; the probes run in the
executor's worker like any other case. The tables below are the contract: every bytes-like field accepts
``bytes``, ASCII ``str``, ``bytearray`` and ``memoryview`` and stores ``bytes``; other types raise
``TypeError``; every event is frozen (assignment raises an ``AttributeError``, the event unchanged) and
equal exactly when its class and normalised fields are; ``Headers`` is a read-only sequence of
(lowercase name, value) pairs; every numeric range is tried at both edges and at the fixed-width and
interpreter limits, where anything but the accepted value or ``LocalProtocolError`` fails the case (such
as the ``ValueError`` of printing or converting a numeral past 4300 digits). The chunk-flag cases are byte
cases: under every split, each received Data's ``chunk_start`` / ``chunk_end`` mark the wire's chunks.
Every case needs the event-validation capability.
"""

from __future__ import annotations

from typing import Any

from conformance.catalog.case import LPE, Accept, Case, Either, Outcome
from conformance.catalog.cases._common import (
    case,
    chunk,
    data,
    eom,
    ok,
    post,
    request_bytes,
    response_bytes,
)
from conformance.drive import As, EventSpec, Probe
from conformance.verdict import Level

MUST = Level.MUST
API = "h11 API"
VALIDATES = frozenset({"event-validation"})
KINDS: dict[str, Any] = {
    "bytes": lambda v: v,
    "str": lambda v: v.decode("ascii"),
    "bytearray": lambda v: As("bytearray", v),
    "memoryview": lambda v: As("memoryview", v),
}
S_BYTES = (
    "Every protocol element of an event (method, target, HTTP version, reason, header names and values)"
    " may be given as bytes, an ASCII str, a bytearray or a memoryview, and is stored as bytes (h11 API)."
)
S_TYPES = "A protocol element of another type (int, float, None, any object) raises TypeError (h11 API)."
S_FROZEN = (
    "Events are frozen: assigning to any attribute raises AttributeError and leaves the event as it was."
)
S_EQUAL = (
    "Events compare by value: equal exactly when they are of the same class with equal normalised fields."
)
S_HEADERS = (
    "Headers is an immutable sequence of (lowercase name, value) pairs in the order given: len, indexing"
    " (negative too), iteration, equality with a list of pairs and a repr that shows them; no mutation."
)
S_STATUS = "The status-code element is a 3-digit integer code"
S_RANGE = (
    "InformationalResponse takes a status code in [100, 200), Response one in [200, 1000); any other int,"
    " and any non-int, raises LocalProtocolError (h11 API; RFC 9112 §4: " + S_STATUS + ")."
)
S_CL = (
    "a recipient MUST anticipate potentially large decimal numerals and prevent parsing errors due to"
    " integer conversion overflows or precision loss due to integer conversion"
)
S_SENTINEL = (
    "Each sentinel (roles, states, NEED_DATA, PAUSED) is a class that is its own type, prints as its bare"
    " name, survives pickling as itself, hashes, and differs from every other sentinel (h11 API)."
)
S_FLAGS = (
    "A received Data's chunk_start is True exactly when its first byte is the first byte of a chunk, and its"
    " chunk_end exactly when its last byte is the last byte of a chunk, however the bytes were split"
    " (h11 API)."
)

CASES: list[Case] = []


def add(c: Case) -> None:
    """Append one case."""
    CASES.append(c)


def api_case(cid: str, sentence: str, expect: Outcome, probes: tuple[Probe, ...], **kw: Any) -> None:
    """Add an API case (role is irrelevant to probes; "client" by convention)."""
    needs = VALIDATES | frozenset(kw.pop("needs", ()))
    add(case(cid, kw.pop("rfc", API), MUST, sentence, "client", expect, probes=probes, needs=needs, **kw))


def one(result: tuple[Any, ...]) -> Accept:
    """The outcome of a single-probe case."""
    return Accept(events=(result,))


def raises(kind: str) -> Accept:
    """A single probe that raised ``kind``."""
    return one(("raises", kind))


REQUEST_TYPES = (("method", "bytes"), ("target", "bytes"), ("http_version", "bytes"))
RESPONSE_TYPES = (("status_code", "int"), ("http_version", "bytes"), ("reason", "bytes"))
BYTES_PAIRS = (("bytes", "bytes"),)


def built(
    record: tuple[Any, ...], types: tuple[Any, ...] = (), pairs: tuple[Any, ...] = BYTES_PAIRS
) -> Accept:
    """A single build probe that succeeded with this record, field types and header pair types."""
    return one(("ok", record, types, pairs))


def build(name: str, *args: Any, **kwargs: Any) -> Probe:
    """A probe that constructs event ``name``."""
    return ("build", name, args, kwargs)


GET_SPEC: dict[str, Any] = {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]}

# --- Construction from every bytes-like type ----------------------------------------------------------
for kind, conv in KINDS.items():
    api_case(
        f"h11/events/request-from-{kind}",
        S_BYTES,
        built(("Request", b"GET", b"/a", ((b"host", b"a"), (b"x-a", b"b")), b"1.1"), REQUEST_TYPES),
        (
            build(
                "Request",
                method=conv(b"GET"),
                target=conv(b"/a"),
                headers=[(conv(b"Host"), conv(b"a")), (conv(b"X-A"), conv(b"b"))],
                http_version=conv(b"1.1"),
            ),
        ),
    )
    api_case(
        f"h11/events/response-from-{kind}",
        S_BYTES,
        built(("Response", 200, ((b"content-length", b"0"),), b"1.1", b"OK"), RESPONSE_TYPES),
        (
            build(
                "Response",
                status_code=200,
                headers=[(conv(b"Content-Length"), conv(b"0"))],
                reason=conv(b"OK"),
                http_version=conv(b"1.1"),
            ),
        ),
    )
    api_case(
        f"h11/events/informational-from-{kind}",
        S_BYTES,
        built(("InformationalResponse", 100, (), b"1.1", b"Continue"), RESPONSE_TYPES, ()),
        (build("InformationalResponse", status_code=100, headers=[], reason=conv(b"Continue")),),
    )
    api_case(
        f"h11/events/trailers-from-{kind}",
        S_BYTES,
        built(("EndOfMessage", ((b"x-sum", b"1"),))),
        (build("EndOfMessage", headers=[(conv(b"X-Sum"), conv(b"1"))]),),
    )
api_case(
    "h11/events/data-positional-flags",
    "Data takes (data, chunk_start=False, chunk_end=False), positionally or by keyword (h11 API).",
    Accept(
        events=(
            ("ok", data(b"x", True, False), (), ()),
            ("ok", data(b"x"), (), ()),
            ("ok", data(b"y", False, True), (), ()),
        )
    ),
    (build("Data", b"x", True, False), build("Data", data=b"x"), build("Data", data=b"y", chunk_end=True)),
)
api_case(
    "h11/events/eom-default-empty",
    "EndOfMessage() has an empty Headers of trailers (h11 API).",
    built(("EndOfMessage", ()), (), ()),
    (build("EndOfMessage"),),
)
api_case(
    "h11/events/keyword-only",
    "Request, InformationalResponse, Response and EndOfMessage take keyword arguments only (h11 API).",
    Accept(events=(("raises", "TypeError"),) * 3),
    (
        build("Request", b"GET", target=b"/", headers=[(b"Host", b"a")]),
        build("Response", 200, headers=[]),
        build("EndOfMessage", []),
    ),
)

# --- Other types: TypeError (a non-ASCII str is a UnicodeEncodeError, or a LocalProtocolError) --------
BAD_VALUES: dict[str, Any] = {"int": 5, "float": 1.5, "none": None, "object": As("object")}
for label, value in BAD_VALUES.items():
    for where, spec in (
        ("method", {**GET_SPEC, "method": value}),
        ("target", {**GET_SPEC, "target": value}),
        ("header-name", {**GET_SPEC, "headers": [(b"Host", b"a"), (value, b"1")]}),
        ("header-value", {**GET_SPEC, "headers": [(b"Host", b"a"), (b"X-A", value)]}),
    ):
        api_case(f"h11/events/{where}-{label}", S_TYPES, raises("TypeError"), (build("Request", **spec),))
    api_case(
        f"h11/events/reason-{label}",
        S_TYPES,
        raises("TypeError"),
        (build("Response", status_code=200, headers=[], reason=value),),
    )
api_case(
    "h11/events/method-non-ascii-str",
    "A str protocol element must be ASCII: a non-ASCII one is refused, never encoded otherwise (h11 API).",
    Either(raises("UnicodeEncodeError"), raises(LPE)),
    (build("Request", **{**GET_SPEC, "method": "G\u00c9T"}),),
)

# --- Frozen ---------------------------------------------------------------------------------------------
EVENTS: dict[str, EventSpec] = {
    "Request": ("Request", GET_SPEC),
    "InformationalResponse": ("InformationalResponse", {"status_code": 100, "headers": []}),
    "Response": ("Response", {"status_code": 200, "headers": [(b"Content-Length", b"0")]}),
    "Data": ("Data", {"data": b"x"}),
    "EndOfMessage": ("EndOfMessage", {"headers": [(b"X-Sum", b"1")]}),
}
FIELDS = {
    "Request": ("method", "target", "headers", "http_version"),
    "InformationalResponse": ("status_code", "headers", "reason", "http_version"),
    "Response": ("status_code", "headers", "reason", "http_version"),
    "Data": ("data", "chunk_start", "chunk_end"),
    "EndOfMessage": ("headers",),
}
for name, fields in FIELDS.items():
    for field in (*fields, "extra"):
        api_case(
            f"h11/events/{name.lower()}-frozen-{field.replace('_', '-')}",
            S_FROZEN,
            one(("raises", "AttributeError", True)),
            (("assign", EVENTS[name], field, b"2" if field != "status_code" else 201),),
        )

# --- Equality by value ---------------------------------------------------------------------------------
SAME = ("ok", True, False, True)
DIFFERENT = ("ok", False, True, False)
EQUALITY: list[tuple[str, EventSpec, EventSpec, tuple[Any, ...]]] = [
    ("request-same", EVENTS["Request"], ("Request", dict(GET_SPEC)), SAME),
    (
        "request-str-and-bytes",
        EVENTS["Request"],
        ("Request", {"method": "GET", "target": "/", "headers": [("Host", "a")]}),
        SAME,
    ),
    ("request-name-case", EVENTS["Request"], ("Request", {**GET_SPEC, "headers": [(b"HOST", b"a")]}), SAME),
    ("request-target-differs", EVENTS["Request"], ("Request", {**GET_SPEC, "target": b"/b"}), DIFFERENT),
    (
        "request-value-differs",
        EVENTS["Request"],
        ("Request", {**GET_SPEC, "headers": [(b"Host", b"b")]}),
        DIFFERENT,
    ),
    (
        "request-version-differs",
        EVENTS["Request"],
        ("Request", {**GET_SPEC, "http_version": b"1.0"}),
        DIFFERENT,
    ),
    ("response-same", EVENTS["Response"], EVENTS["Response"], SAME),
    (
        "response-status-differs",
        EVENTS["Response"],
        ("Response", {"status_code": 201, "headers": [(b"Content-Length", b"0")]}),
        DIFFERENT,
    ),
    (
        "response-reason-differs",
        EVENTS["Response"],
        ("Response", {"status_code": 200, "headers": [(b"Content-Length", b"0")], "reason": b"OK"}),
        DIFFERENT,
    ),
    ("data-same", EVENTS["Data"], ("Data", {"data": b"x"}), SAME),
    ("data-bytes-differ", EVENTS["Data"], ("Data", {"data": b"y"}), DIFFERENT),
    ("data-flag-differs", EVENTS["Data"], ("Data", {"data": b"x", "chunk_start": True}), DIFFERENT),
    ("eom-default-and-empty", ("EndOfMessage", {}), ("EndOfMessage", {"headers": []}), SAME),
    ("eom-trailers-differ", ("EndOfMessage", {}), EVENTS["EndOfMessage"], DIFFERENT),
    ("closed-same", ("ConnectionClosed", {}), ("ConnectionClosed", {}), SAME),
    ("class-differs", ("EndOfMessage", {}), ("ConnectionClosed", {}), DIFFERENT),
]
for slug, a, b, result in EQUALITY:
    api_case(f"h11/events/equal-{slug}", S_EQUAL, one(result), (("compare", a, b),))

# --- Headers as an immutable sequence ---------------------------------------------------------------------
THREE: EventSpec = ("Request", {**GET_SPEC, "headers": [(b"Host", b"a"), (b"X-A", b"1"), (b"x-a", b"2")]})
PAIRS = ((b"host", b"a"), (b"x-a", b"1"), (b"x-a", b"2"))
HEADER_OPS: list[tuple[str, tuple[Any, ...], Accept]] = [
    ("len", ("len",), one(("ok", 3, True))),
    ("item-first", ("item", 0), one(("ok", PAIRS[0]))),
    ("item-last", ("item", 2), one(("ok", PAIRS[2]))),
    ("item-negative", ("item", -1), one(("ok", PAIRS[2]))),
    ("item-past-end", ("item", 3), raises("IndexError")),
    ("iteration", ("iter",), one(("ok", PAIRS, PAIRS[::-1]))),
    ("equal-to-list", ("eq", list(PAIRS)), one(("ok", True, False))),
    ("unequal-to-other-list", ("eq", list(PAIRS[:2])), one(("ok", False, True))),
    ("repr-shows-pairs", ("repr",), one(("ok", True))),
    ("no-item-assignment", ("setitem", 0, (b"x", b"y")), raises("TypeError")),
    ("no-mutating-methods", ("mutators",), one(("ok", ()))),
]
for slug, op, outcome in HEADER_OPS:
    api_case(f"h11/headers/{slug}", S_HEADERS, outcome, (("headers", THREE, *op),))
api_case(
    "h11/headers/empty",
    S_HEADERS,
    one(("ok", 0, False)),
    (("headers", ("Response", {"status_code": 200, "headers": []}), "len"),),
)

# --- Numeric ranges at both edges, at fixed widths and past the interpreter's conversion limit -----------
HUGE = 5000  # 10**HUGE: past CPython's 4300-digit int/str conversion limit (built in the worker)
STATUS_EDGES: list[tuple[str, str, str, Any, bool]] = [
    ("informational", "InformationalResponse", "99", 99, False),
    ("informational", "InformationalResponse", "100", 100, True),
    ("informational", "InformationalResponse", "199", 199, True),
    ("informational", "InformationalResponse", "200", 200, False),
    ("response", "Response", "199", 199, False),
    ("response", "Response", "200", 200, True),
    ("response", "Response", "999", 999, True),
    ("response", "Response", "1000", 1000, False),
]
for width in (31, 32, 63, 64):
    for delta, tag in ((-1, "-minus-1"), (0, "")):
        STATUS_EDGES.append(("response", "Response", f"2-{width}{tag}", 2**width + delta, False))
        STATUS_EDGES.append(
            ("informational", "InformationalResponse", f"minus-2-{width}{tag}", -(2**width) - delta, False)
        )
STATUS_EDGES += [
    ("response", "Response", "5001-digits", As("pow10", HUGE), False),
    ("informational", "InformationalResponse", "minus-5001-digits", As("pow10", -HUGE), False),
]
for label, name, slug, status, fine in STATUS_EDGES:
    record = (name, status, (), b"1.1", b"")
    huge = isinstance(status, As)
    api_case(
        f"h11/ranges/{label}-status-{slug}",
        S_RANGE,
        built(record, RESPONSE_TYPES, ()) if fine else raises(LPE),
        (build(name, status_code=status, headers=[]),),
        h11_expect=raises("ValueError") if huge else None,
        difference="h11-huge-status-crash" if huge else None,
    )
for slug, value in (("str", "200"), ("float", 200.0), ("none", None), ("bytes", b"200")):
    api_case(
        f"h11/ranges/status-{slug}", S_RANGE, raises(LPE), (build("Response", status_code=value, headers=[]),)
    )
api_case(
    "h11/ranges/status-intenum",
    "An IntEnum status code is accepted and stored as a plain int (h11 API).",
    built(("Response", 200, (), b"1.1", b""), RESPONSE_TYPES, ()),
    (build("Response", status_code=As("intenum", 200), headers=[]),),
)
api_case(
    "h11/ranges/status-bool",
    "True is the int 1, outside every status range: LocalProtocolError (h11 API).",
    raises(LPE),
    (build("Response", status_code=True, headers=[]),),
)
# Content-Length given to an event: any digit string is grammatical (RFC 9110 §8.6: 1*DIGIT); a sender may
# refuse one too large to handle (LocalProtocolError) but never crash converting it.
CL_VALUES: list[tuple[str, bytes, bool]] = [
    ("zero", b"0", True),
    ("leading-zeros", b"007", True),
    ("negative", b"-1", False),
    ("plus", b"+1", False),
    ("empty", b"", False),
    ("hex", b"0x10", False),
]
for slug, value, fine in CL_VALUES:
    api_case(
        f"h11/ranges/content-length-{slug}",
        "Content-Length = 1*DIGIT",
        built(("Response", 200, ((b"content-length", value),), b"1.1", b""), RESPONSE_TYPES)
        if fine
        else raises(LPE),
        (build("Response", status_code=200, headers=[(b"Content-Length", value)]),),
        rfc="RFC 9110 §8.6",
    )
CL_TAGS = {-1: "-minus-1", 0: "", 1: "-plus-1"}
for width in (31, 32, 63, 64):
    for delta in (-1, 0, 1):
        value = str(2**width + delta).encode()
        api_case(
            f"h11/ranges/content-length-2-{width}{CL_TAGS[delta]}",
            S_CL,
            Either(
                built(("Response", 200, ((b"content-length", value),), b"1.1", b""), RESPONSE_TYPES),
                raises(LPE),
            ),
            (build("Response", status_code=200, headers=[(b"Content-Length", value)]),),
            rfc="RFC 9110 §8.6",
        )
for digits in (4300, 4301):
    value = b"9" * digits
    api_case(
        f"h11/ranges/content-length-{digits}-digits",
        S_CL,
        Either(
            built(("Response", 200, ((b"content-length", value),), b"1.1", b""), RESPONSE_TYPES), raises(LPE)
        ),
        (build("Response", status_code=200, headers=[(b"Content-Length", value)]),),
        rfc="RFC 9110 §8.6",
        note="Past the interpreter's 4300-digit conversion limit: int() on it raises ValueError (a crash).",
    )

# --- Sentinels ---------------------------------------------------------------------------------------------
SENTINELS: dict[str, frozenset[str]] = {
    "NEED_DATA": frozenset(),
    "PAUSED": frozenset(),
    "CLIENT": frozenset(),
    "SERVER": frozenset(),
    **dict.fromkeys(
        ("IDLE", "SEND_RESPONSE", "SEND_BODY", "DONE", "MUST_CLOSE", "CLOSED", "ERROR"),
        frozenset({"state-machine"}),
    ),
    **dict.fromkeys(
        ("MIGHT_SWITCH_PROTOCOL", "SWITCHED_PROTOCOL"), frozenset({"state-machine", "protocol-switch"})
    ),
}
for name, needs in SENTINELS.items():
    api_case(
        f"h11/sentinels/{name.lower().replace('_', '-')}",
        S_SENTINEL,
        one(("ok", True, name, True, True)),
        (("sentinel", name),),
        needs=needs,
    )
api_case(
    "h11/sentinels/all-distinct",
    S_SENTINEL,
    one(("ok", True, False)),
    (("distinct", tuple(SENTINELS)),),
    needs=frozenset({"state-machine", "protocol-switch"}),
)

# --- Chunk flags of received Data, under every split -------------------------------------------------------
TE = b"Transfer-Encoding: chunked\r\n"
TWO_CHUNKS = b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
FLAG_CASES: list[tuple[str, str, bytes, tuple[Any, ...]]] = [
    (
        "chunks-request",
        "server",
        request_bytes(TE, TWO_CHUNKS),
        (post(TE), chunk(b"abc"), chunk(b"de"), eom()),
    ),
    (
        "chunks-response",
        "client",
        response_bytes(TE, TWO_CHUNKS),
        (ok(TE), chunk(b"abc"), chunk(b"de"), eom()),
    ),
    (
        "one-byte-chunks",
        "server",
        request_bytes(TE, b"1\r\na\r\n1\r\nb\r\n0\r\n\r\n"),
        (post(TE), chunk(b"a"), chunk(b"b"), eom()),
    ),
    (
        "chunk-with-extension",
        "server",
        request_bytes(TE, b"4;x=y\r\nabcd\r\n0\r\n\r\n"),
        (post(TE), chunk(b"abcd"), eom()),
    ),
    (
        "content-length-no-flags",
        "server",
        request_bytes(b"Content-Length: 5\r\n", b"hello"),
        (post(b"Content-Length: 5\r\n"), data(b"hello"), eom()),
    ),
    (
        "close-delimited-no-flags",
        "client",
        response_bytes(b"", b"hello"),
        (ok(), data(b"hello"), eom()),
    ),
]
for slug, role, wire, events in FLAG_CASES:
    expect = Accept(events=(*events, ("ConnectionClosed",)))
    add(
        case(
            f"h11/data/{slug}",
            API,
            MUST,
            S_FLAGS,
            role,
            expect,
            wire=wire,
            h11_expect=expect,
            difference="h11-chunk-start-split",
            chunk_flags_graded=True,
            needs=VALIDATES,
        )
    )

__all__ = ["CASES"]
