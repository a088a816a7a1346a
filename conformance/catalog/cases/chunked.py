"""The chunked transfer coding: sizes, extensions, chunk terminators, last chunk, trailers (RFC 9112 §7.1).

Vectors 12 and 26-37 of docs/vectors.md. Every malformed body is tried on requests (server role) and
the most dangerous ones on responses (client role) too.
"""

from __future__ import annotations

from conformance.catalog.case import RPE, Accept, Case, Either, Reject
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    GET_WIRE,
    case,
    chunk,
    eom,
    grammar_case,
    ok,
    post,
    request_bytes,
    response_bytes,
    served,
)
from conformance.verdict import Level

MUST, SHOULD, MAY = Level.MUST, Level.SHOULD, Level.MAY
R71, R711, R712 = "RFC 9112 §7.1", "RFC 9112 §7.1.1", "RFC 9112 §7.1.2"
TE = b"Transfer-Encoding: chunked\r\n"
HEAD = post(TE)
RESP = ok(TE)

CASES: list[Case] = []
add = CASES.append

# Malformed chunked bodies: (slug, body, vectors, rfc, sentence key, also on responses).
BAD: list[tuple[str, bytes, tuple[int, ...], str, str, bool]] = [
    ("chunk-size-0x-prefix", b"0x5\r\nhello\r\n0\r\n\r\n", (26,), R71, "chunk-size", True),
    ("chunk-size-plus", b"+5\r\nhello\r\n0\r\n\r\n", (27,), R71, "chunk-size", True),
    ("chunk-size-minus", b"-5\r\nhello\r\n0\r\n\r\n", (27,), R71, "chunk-size", False),
    ("chunk-size-underscore", b"0_5\r\nhello\r\n0\r\n\r\n", (27,), R71, "chunk-size", False),
    ("chunk-size-empty", b"\r\nhello\r\n0\r\n\r\n", (28,), R71, "chunk-size", True),
    ("chunk-size-non-hex", b"g\r\nhello\r\n0\r\n\r\n", (28,), R71, "chunk-size", False),
    ("chunk-size-hex-prefix-garbage", b"5g\r\nhello\r\n0\r\n\r\n", (28,), R71, "chunk-size", True),
    ("chunk-size-leading-space", b" 5\r\nhello\r\n0\r\n\r\n", (29,), R71, "chunk-size", True),
    ("chunk-size-leading-tab", b"\t5\r\nhello\r\n0\r\n\r\n", (29,), R71, "chunk-size", False),
    ("chunk-size-inner-space", b"1 0\r\n0123456789abcdef\r\n0\r\n\r\n", (29,), R71, "chunk-size", False),
    ("chunk-ext-bare-semicolon-cr", b"5;\rx\r\nhello\r\n0\r\n\r\n", (30, 34, 40), R711, "bare-cr", False),
    ("chunk-ext-cr-in-value", b"5;a=b\rc\r\nhello\r\n0\r\n\r\n", (30, 34, 40), R711, "bare-cr", True),
    ("chunk-ext-nul", b"5;a\x00b\r\nhello\r\n0\r\n\r\n", (30,), R711, "chunk-ext", False),
    ("chunk-ext-unbalanced-quote", b'5;a="b\r\nhello\r\n0\r\n\r\n', (30,), R711, "chunk-ext", False),
    ("chunk-ext-bad-token", b"5;a b\r\nhello\r\n0\r\n\r\n", (30,), R711, "chunk-ext", False),
    ("chunk-ext-lf-in-ext", b"5;a\nb\r\nhello\r\n0\r\n\r\n", (30, 33), R711, "chunk-ext", False),
    ("chunk-data-no-crlf", b"5\r\nhelloXX0\r\n\r\n", (32,), R71, "chunk", True),
    ("chunk-data-too-long", b"5\r\nhello!\r\n0\r\n\r\n", (32,), R71, "chunk", True),
    ("chunk-data-lf-only", b"5\r\nhello\n0\r\n\r\n", (32, 33), R71, "chunk", False),
    ("chunk-data-cr-x", b"5\r\nhello\rX0\r\n\r\n", (32, 34), R71, "chunk", True),
    ("chunk-size-bare-cr", b"5\rhello\r\n0\r\n\r\n", (34, 40), R71, "bare-cr", True),
    ("chunk-extra-crlf-before-last", b"5\r\nhello\r\n\r\n0\r\n\r\n", (37,), R71, "chunk-size", True),
    ("chunk-overflow-2-64", b"10000000000000000\r\nhello\r\n0\r\n\r\n", (12,), R71, "chunk-overflow", True),
    (
        "chunk-overflow-2-64-plus-5",
        b"10000000000000005\r\nhello\r\n0\r\n\r\n",
        (12,),
        R71,
        "chunk-overflow",
        False,
    ),
    ("chunk-overflow-40-digits", b"f" * 40 + b"\r\nhello\r\n0\r\n\r\n", (12,), R71, "chunk-overflow", False),
    ("chunk-missing-last", b"5\r\nhello\r\n", (35,), "RFC 9112 §8", "chunked-incomplete", True),
    ("chunk-truncated-data", b"5\r\nhel", (35,), "RFC 9112 §8", "chunked-incomplete", True),
    ("chunk-missing-final-crlf", b"5\r\nhello\r\n0\r\n", (35,), "RFC 9112 §8", "chunked-incomplete", True),
    ("chunk-trailer-no-colon", b"5\r\nhello\r\n0\r\nX\r\n\r\n", (36, 45), R712, "field-line", False),
]
# Truncated bodies (and sizes read as huge): the bytes leave the body open, so only EOF makes them an error.
WAITS_FOR_EOF = {
    "chunk-overflow-40-digits",  # read exactly (arbitrary precision), it waits for the chunk data
    "chunk-overflow-2-64",
    "chunk-overflow-2-64-plus-5",
    "chunk-missing-last",
    "chunk-truncated-data",
    "chunk-missing-final-crlf",
}
# Chunk extensions h11 0.16 does not check (differences: chunk-ext-bare-cr): h11 reads them as 'hello'.
H11_LAX_EXT = {
    "chunk-ext-bare-semicolon-cr",
    "chunk-ext-cr-in-value",
    "chunk-ext-nul",
    "chunk-ext-unbalanced-quote",
    "chunk-ext-bad-token",
}
for slug, body, vecs, rfc, key, on_response in BAD:
    section = rfc.split("§")[1]
    lax = slug in H11_LAX_EXT
    for role, suffix, wire, first in (
        ("server", "", request_bytes(TE, body), HEAD),
        ("client", "-response", response_bytes(TE, body), RESP),
    ):
        if role == "client" and not on_response:
            continue
        if key == "field-line":  # a trailer line breaking only the field-line grammar: no MUST behind it
            add(
                grammar_case(
                    f"9112/{section}/{slug}{suffix}", rfc, key, role, Reject(RPE), wire=wire, vectors=vecs
                )
            )
            continue
        add(
            case(
                f"9112/{section}/{slug}{suffix}",
                rfc,
                MUST,
                key,
                role,
                Reject(RPE),
                wire=wire,
                vectors=vecs,
                h11_expect=Accept(events=(first, chunk(b"hello"), eom(), CLOSED)) if lax else None,
                difference="chunk-ext-bare-cr" if lax else None,
                note="A recipient never completes a malformed or truncated chunked body.",
                eof_rejects=slug in WAITS_FOR_EOF,
            )
        )

# Vector 33: bare LF ending a chunk line: recipients MAY accept a bare LF as a line terminator.
for slug, body, vecs in (
    ("chunk-size-bare-lf", b"5\nhello\r\n0\r\n\r\n", (33, 41)),
    ("chunk-last-bare-lf", b"5\r\nhello\r\n0\n\r\n", (33, 41)),
):
    add(
        case(
            f"9112/7.1/{slug}",
            R71,
            MAY,
            "bare-lf",
            "server",
            Either(Reject(RPE), Accept(events=served(HEAD, chunk(b"hello"), eom()))),
            wire=request_bytes(TE, body),
            vectors=vecs,
        )
    )

# Well-formed bodies every recipient must decode.
GOOD: list[tuple[str, bytes, bytes, tuple[tuple[bytes, bytes], ...], tuple[int, ...], str, str]] = [
    (
        "chunk-ext-ignored",
        b"5;name=value\r\nhello\r\n0\r\n\r\n",
        b"hello",
        (),
        (30,),
        R711,
        "chunk-ext-ignore",
    ),
    (
        "chunk-ext-quoted",
        b'5;name="a;b"\r\nhello\r\n0\r\n\r\n',
        b"hello",
        (),
        (30,),
        R711,
        "chunk-ext-ignore",
    ),
    ("chunk-ext-on-last", b"5\r\nhello\r\n0;x=y\r\n\r\n", b"hello", (), (30,), R711, "chunk-ext-ignore"),
    (
        "chunk-size-uppercase-hex",
        b"A\r\n0123456789\r\n0\r\n\r\n",
        b"0123456789",
        (),
        (28,),
        R71,
        "chunk-size",
    ),
    ("chunk-size-leading-zeros", b"0005\r\nhello\r\n0000\r\n\r\n", b"hello", (), (28,), R71, "last-chunk"),
    ("chunk-many-small", b"1\r\nh\r\n1\r\ne\r\n3\r\nllo\r\n0\r\n\r\n", b"hello", (), (57,), R71, "chunk"),
    ("chunk-data-contains-crlf", b"7\r\nhe\r\nllo\r\n0\r\n\r\n", b"he\r\nllo", (), (32,), R71, "chunk"),
    (
        "chunk-trailer-field",
        b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n",
        b"hello",
        ((b"x-sum", b"1"),),
        (36,),
        R712,
        "last-chunk",
    ),
]
# The chunks a GOOD body is read as, where it has several (each its own Data: merged only within a chunk).
PIECES = {"chunk-many-small": (b"h", b"e", b"llo")}
for slug, body, payload, trailers, vecs, rfc, key in GOOD:
    section = rfc.split("§")[1]
    add(
        case(
            f"9112/{section}/{slug}",
            rfc,
            MUST,
            key,
            "server",
            Accept(events=served(HEAD, *(chunk(p) for p in PIECES.get(slug, (payload,))), eom(trailers))),
            wire=request_bytes(TE, body),
            vectors=vecs,
        )
    )
add(
    case(
        "9112/7.1/chunk-ext-ignored-response",
        R711,
        MUST,
        "chunk-ext-ignore",
        "client",
        Accept(events=(RESP, chunk(b"hello"), eom(), CLOSED)),
        wire=response_bytes(TE, b"5;a=b\r\nhello\r\n0\r\n\r\n"),
        vectors=(30,),
    )
)
add(
    case(
        "9112/7.1/chunk-size-trailing-ws",
        R711,
        MAY,
        "chunk-ext",
        "server",
        Either(Reject(RPE), Accept(events=served(HEAD, chunk(b"hello"), eom()))),
        wire=request_bytes(TE, b"5 \r\nhello\r\n0\r\n\r\n"),
        vectors=(29,),
        note="BWS before a (missing) extension: the grammar allows it only before ';'; either is defensible.",
    )
)
add(
    case(
        "9112/7.1.1/chunk-ext-bws-before-semicolon",
        R711,
        MUST,
        "chunk-ext",
        "server",
        Accept(events=served(HEAD, chunk(b"hello"), eom())),
        wire=request_bytes(TE, b"5 ;a=b\r\nhello\r\n0\r\n\r\n"),
        vectors=(29, 30),
        h11_expect=Reject(RPE),
        difference="chunk-ext-bws",
    )
)
# BWS after ";" and around "=" (chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )):
# valid, so a recipient that refuses it cannot parse the chunked coding (RFC 9112 §7.1: "A recipient MUST
# be able to parse and decode the chunked transfer coding.").
for slug, line in (("chunk-ext-bws-after-semicolon", b"5; a=b"), ("chunk-ext-bws-around-equals", b"5;a = b")):
    add(
        case(
            f"9112/7.1.1/{slug}",
            R711,
            MUST,
            "chunk-ext",
            "server",
            Accept(events=served(HEAD, chunk(b"hello"), eom())),
            wire=request_bytes(TE, line + b"\r\nhello\r\n0\r\n\r\n"),
            vectors=(29, 30),
        )
    )
# Vector 31: oversized chunk extensions must hit a limit, not grow without bound.
big_ext = b"5;" + b"a" * 65536 + b"\r\nhello\r\n0\r\n\r\n"
add(
    case(
        "9112/7.1.1/chunk-ext-oversized",
        R711,
        SHOULD,
        "chunk-ext-limit",
        "server",
        Reject(RPE),
        wire=request_bytes(TE, big_ext),
        vectors=(31, 56),
        h11_expect=Either(Reject(RPE, 431), Accept(events=served(HEAD, chunk(b"hello"), eom()))),
        difference="size-limit-split-invariant",
        note="64 KiB of extension on one chunk line: the recipient limits it (h11: 431 over 16 KiB).",
    )
)
# Vector 36: framing fields in trailers are never merged into the header section.
for slug, trailer in (
    ("trailer-content-length", b"Content-Length: 5\r\n"),
    ("trailer-transfer-encoding", b"Transfer-Encoding: chunked\r\n"),
    ("trailer-host", b"Host: evil\r\n"),
    ("trailer-authorization", b"Authorization: x\r\n"),
):
    body = b"5\r\nhello\r\n0\r\n" + trailer + b"\r\n"
    name, _, value = trailer.rstrip(b"\r\n").partition(b": ")
    add(
        case(
            f"9110/6.5.1/{slug}",
            "RFC 9110 §6.5.1",
            MUST,
            "trailer-merge",
            "server",
            Either(Reject(RPE), Accept(events=served(HEAD, chunk(b"hello"), eom(((name.lower(), value),))))),
            wire=request_bytes(TE, body),
            vectors=(36,),
            note="The field stays in the trailers (EndOfMessage.headers), never changes the "
            "request's headers.",
        )
    )
# Vector 55: after a bad chunk no further request is parsed.
add(
    case(
        "9112/7.1/bad-chunk-no-resync",
        R71,
        MUST,
        "chunk",
        "server",
        Reject(RPE, events=(HEAD, chunk(b"hello"))),
        wire=request_bytes(TE, b"5\r\nhelloXX") + GET_WIRE,
        vectors=(55,),
    )
)
add(
    case(
        "9112/7.1/chunked-then-pipelined",
        R71,
        MUST,
        "last-chunk",
        "server",
        Accept(events=served(HEAD, chunk(b"hello"), eom(), GET, eom())),
        wire=request_bytes(TE, b"5\r\nhello\r\n0\r\n\r\n") + GET_WIRE,
        vectors=(55, 57),
    )
)
# A trailer field belongs to its own message: never to the header section of the request after it (aiohttp's
# C parser added it there). Keeping the trailer on EndOfMessage or dropping it are both allowed (RFC 9112
# §7.1.2: a recipient MAY selectively retain or discard the received trailer fields).
X_SUM = ((b"x-sum", b"1"),)
add(
    case(
        "9112/7.1.2/trailer-not-in-next-request",
        R712,
        MUST,
        "trailer-merge",
        "server",
        Either(
            *(Accept(events=served(HEAD, chunk(b"hello"), eom(kept), GET, eom())) for kept in (X_SUM, ())),
        ),
        wire=request_bytes(TE, b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n") + GET_WIRE,
        vectors=(36, 55),
    )
)
add(
    case(
        "9110/6.5.1/trailer-content-length-response",
        "RFC 9110 §6.5.1",
        MUST,
        "trailer-merge",
        "client",
        Either(
            Reject(RPE), Accept(events=(RESP, chunk(b"hello"), eom(((b"content-length", b"5"),)), CLOSED))
        ),
        wire=response_bytes(TE, b"5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"),
        vectors=(36,),
    )
)
