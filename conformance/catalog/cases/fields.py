"""Field syntax: names, values, whitespace, obs-fold, line endings, bare CR (RFC 9112 §2.2, §5; RFC 9110 §5).

Vectors 38-47 of docs/vectors.md, on requests (server role) and on responses (client role) where the
RFC's rule differs or matters for the client.
"""

from __future__ import annotations

from conformance.catalog.case import HOST, RPE, Accept, Case, Either, Reject, req
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    case,
    chunk,
    data,
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

CASES: list[Case] = []
add = CASES.append


def _get(header_lines: bytes) -> bytes:
    return b"GET / HTTP/1.1\r\nHost: a\r\n" + header_lines + b"\r\n"


# Rejections on the request side: (slug, header lines, rfc, sentence key, vectors, status hint).
BAD_REQUEST_FIELDS: list[tuple[str, bytes, str, str, tuple[int, ...], int | None]] = [
    ("ws-before-colon-space", b"X-A : b\r\n", "RFC 9112 §5.1", "ws-colon", (38,), 400),
    ("ws-before-colon-tab", b"X-A\t: b\r\n", "RFC 9112 §5.1", "ws-colon", (38,), 400),
    ("ws-before-colon-content-length", b"Content-Length : 5\r\n", "RFC 9112 §5.1", "ws-colon", (38,), 400),
    ("field-value-nul", b"X-A: b\x00c\r\n", "RFC 9110 §5.5", "field-crlfnul", (42,), None),
    ("field-value-bare-cr", b"X-A: b\rc\r\n", "RFC 9112 §2.2", "bare-cr", (40, 42), None),
    ("field-value-bare-cr-end", b"X-A: b\r\r\n", "RFC 9112 §2.2", "bare-cr", (40,), None),
    ("field-name-bare-cr", b"X-\rA: b\r\n", "RFC 9112 §2.2", "bare-cr", (40,), None),
    ("field-name-space", b"X A: b\r\n", "RFC 9110 §5.1", "field-name", (43,), 400),
    ("field-name-non-ascii", b"X-\xc3\xa9: b\r\n", "RFC 9110 §5.1", "field-name", (43,), 400),
    ("field-name-nul", b"X-\x00A: b\r\n", "RFC 9110 §5.1", "field-name", (43, 42), 400),
    ("field-name-del", b"X-\x7fA: b\r\n", "RFC 9110 §5.1", "field-name", (43,), 400),
    ("field-name-paren", b"X(A): b\r\n", "RFC 9110 §5.1", "field-name", (43,), 400),
    ("field-name-nbsp-prefix", b"\xa0X-A: b\r\n", "RFC 9110 §5.1", "field-name", (44,), 400),
    ("field-name-nel-suffix", b"X-A\x85: b\r\n", "RFC 9110 §5.1", "field-name", (44,), 400),
    ("field-name-empty", b": b\r\n", "RFC 9112 §5", "field-line", (45,), 400),
    ("field-line-no-colon", b"X-A b\r\n", "RFC 9112 §5", "field-line", (45,), 400),
    ("field-line-only-colon", b":\r\n", "RFC 9112 §5", "field-line", (45,), 400),
    ("header-end-cr-x", b"X-A: b\r\n\rX", "RFC 9112 §2.2", "bare-cr", (47, 40), None),
]
for slug, lines, rfc, key, vecs, hint in BAD_REQUEST_FIELDS:
    section = rfc.split("§")[1]
    if key in ("field-name", "field-line"):  # grammar only: no MUST behind the rejection
        cid = f"{rfc[4:8]}/{section}/{slug}"
        add(grammar_case(cid, rfc, key, "server", Reject(RPE, hint), wire=_get(lines), vectors=vecs))
        continue
    add(
        case(
            f"{rfc[4:8]}/{section}/{slug}",
            rfc,
            MUST,
            key,
            "server",
            Reject(RPE, hint),
            wire=_get(lines),
            vectors=vecs,
            eof_rejects=slug == "header-end-cr-x",  # CR then X: the head stays open until EOF
        )
    )

# The same malformations in responses: a client MUST NOT act on them either.
for slug, lines, vecs in (
    ("field-value-nul-response", b"X-A: b\x00c\r\n", (42,)),
    ("field-value-bare-cr-response", b"X-A: b\rc\r\n", (40, 42)),
):
    add(
        case(
            f"9110/5.5/{slug}",
            "RFC 9110 §5.5",
            MUST,
            "field-crlfnul",
            "client",
            Reject(RPE),
            wire=response_bytes(lines + b"Content-Length: 0\r\n"),
            vectors=vecs,
        )
    )
add(
    case(
        "9112/5.1/ws-before-colon-response",
        "RFC 9112 §5.1",
        MUST,
        "ws-colon-proxy",
        "client",
        Either(Reject(RPE), Accept(events=(ok(b"X-A: b\r\nContent-Length: 0\r\n"), eom(), CLOSED))),
        wire=response_bytes(b"X-A : b\r\nContent-Length: 0\r\n"),
        vectors=(38,),
        note="A user agent may reject, or strip the whitespace; it must not keep a field named 'X-A '.",
    )
)

for slug, lines, vecs in (
    ("field-name-space-response", b"X A: b\r\n", (43,)),
    ("field-line-no-colon-response", b"X-A b\r\n", (45,)),
):
    wire = response_bytes(lines + b"Content-Length: 0\r\n")
    add(
        grammar_case(
            f"9110/5.5/{slug}", "RFC 9110 §5.5", "field-line", "client", Reject(RPE), wire=wire, vectors=vecs
        )
    )

# Field values: OWS around the value is not part of it; other CTLs MAY be retained.
for slug, line, value in (
    ("field-value-ows-stripped", b"X-A:  \t b \t\r\n", b"b"),
    ("field-value-inner-ws-kept", b"X-A: b  c\r\n", b"b  c"),
    ("field-value-empty", b"X-A:\r\n", b""),
    ("field-value-obs-text", b"X-A: caf\xe9\r\n", b"caf\xe9"),
):
    add(
        case(
            f"9112/5/{slug}",
            "RFC 9112 §5",
            MUST,
            "field-line",
            "server",
            Accept(events=served(req(headers=(*HOST, (b"x-a", value))), eom())),
            wire=_get(line),
        )
    )
for slug, line, vecs in (
    ("field-value-ctl-soh", b"X-A: b\x01c\r\n", (42,)),
    ("field-value-ctl-del", b"X-A: b\x7fc\r\n", (42,)),
):
    value = line[5:-2]
    add(
        case(
            f"9110/5.5/{slug}",
            "RFC 9110 §5.5",
            MAY,
            "field-ctl",
            "server",
            Either(Reject(RPE), Accept(events=served(req(headers=(*HOST, (b"x-a", value))), eom()))),
            wire=_get(line),
            vectors=vecs,
        )
    )
add(
    case(
        "9110/5.5/field-value-vt",
        "RFC 9110 §5.5",
        MAY,
        "field-ctl",
        "server",
        Either(Reject(RPE), Accept(events=served(req(headers=(*HOST, (b"x-a", b"b\x0bc"))), eom()))),
        wire=_get(b"X-A: b\x0bc\r\n"),
        vectors=(18, 42),
    )
)

# Vector 39: obs-fold: a server rejects or replaces with SP; a user agent replaces with SP.
fold_req = _get(b"X-A: b\r\n c\r\n")
add(
    case(
        "9112/5.2/obs-fold-request",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(
            Reject(RPE, 400),
            Accept(events=served(req(headers=(*HOST, (b"x-a", b"b c"))), eom())),
            Accept(events=served(req(headers=(*HOST, (b"x-a", b"b  c"))), eom())),
        ),
        wire=fold_req,
        vectors=(39,),
    )
)
add(
    case(
        "9112/5.2/obs-fold-request-tab",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(
            Reject(RPE, 400),
            Accept(events=served(req(headers=(*HOST, (b"x-a", b"b c"))), eom())),
        ),
        wire=_get(b"X-A: b\r\n\tc\r\n"),
        vectors=(39,),
        note="The fold (OWS CRLF RWS), its HTAB too, becomes SP (obs-fold-width); a kept HTAB is not SP.",
    )
)
add(
    case(
        "9112/5.2/obs-fold-response",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-client",
        "client",
        Either(
            Accept(events=(ok(b"X-A: b c\r\nContent-Length: 0\r\n"), eom(), CLOSED)),
            Accept(events=(ok(b"X-A: b  c\r\nContent-Length: 0\r\n"), eom(), CLOSED)),
        ),
        wire=response_bytes(b"X-A: b\r\n c\r\nContent-Length: 0\r\n"),
        vectors=(39,),
    )
)
add(
    case(
        "9112/5.2/obs-fold-content-length",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(Reject(RPE), Accept(events=served(post(b"Content-Length: 5\r\n"), data(b"hello"), eom()))),
        wire=request_bytes(b"Content-Length:\r\n 5\r\n", b"hello"),
        vectors=(39,),
    )
)
# "One or more SP octets": a fold may keep its width (each whitespace octet, or the CRLF too, as SP).
add(
    case(
        "9112/5.2/obs-fold-request-wide",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(
            Reject(RPE, 400),
            *(
                Accept(events=served(req(headers=(*HOST, (b"x-a", b"b" + b" " * width + b"c"))), eom()))
                for width in (1, 3)
            ),
        ),
        wire=_get(b"X-A: b\r\n   c\r\n"),
        vectors=(39,),
        note="One SP, or one SP per whitespace octet of the fold (its width kept).",
    )
)
add(
    case(
        "9112/5.2/obs-fold-response-wide",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-client",
        "client",
        Either(
            Accept(events=(ok(b"X-A: b c\r\nContent-Length: 0\r\n"), eom(), CLOSED)),
            Accept(events=(ok(b"X-A: b   c\r\nContent-Length: 0\r\n"), eom(), CLOSED)),
        ),
        wire=response_bytes(b"X-A: b\r\n   c\r\nContent-Length: 0\r\n"),
        vectors=(39,),
        note="One SP, or one SP per whitespace octet of the fold (its width kept).",
    )
)
# A request's trailer section is part of the request message: the server may reject a fold there too.
TE_CHUNKED = b"Transfer-Encoding: chunked\r\n"
add(
    case(
        "9112/5.2/obs-fold-request-trailer",
        "RFC 9112 §5.2",
        MUST,
        "obs-fold-server",
        "server",
        Either(
            Reject(RPE, 400),
            Accept(events=served(post(TE_CHUNKED), eom(((b"x-a", b"b c"),)))),
            Accept(events=served(post(TE_CHUNKED), eom())),
        ),
        wire=request_bytes(TE_CHUNKED, b"0\r\nX-A: b\r\n c\r\n\r\n"),
        vectors=(39,),
        note="Reject (400), or replace the fold with SP; trailer fields may be discarded (RFC 9112 §7.1.2).",
    )
)
# Vector 46: a whitespace-prefixed line straight after the start-line.
for slug, wire in (
    ("ws-line-after-request-line", b"GET / HTTP/1.1\r\n X-A: b\r\nHost: a\r\n\r\n"),
    ("ws-line-after-request-line-host", b"GET / HTTP/1.1\r\n Host: evil\r\nHost: a\r\n\r\n"),
):
    add(
        case(
            f"9112/2.2/{slug}",
            "RFC 9112 §2.2",
            MUST,
            "ws-after-start",
            "server",
            Either(Reject(RPE), Accept(events=served(GET, eom()))),
            wire=wire,
            vectors=(46,),
            note="Reject, or ignore the whitespace-preceded line entirely (never fold it into the "
            "start-line).",
        )
    )
add(
    case(
        "9112/2.2/ws-line-after-status-line",
        "RFC 9112 §2.2",
        MUST,
        "ws-after-start",
        "client",
        Either(Reject(RPE), Accept(events=(ok(b"Content-Length: 0\r\n"), eom(), CLOSED))),
        wire=b"HTTP/1.1 200 OK\r\n X-A: b\r\nContent-Length: 0\r\n\r\n",
        vectors=(46,),
    )
)
# Vector 41: bare LF line endings MAY be accepted.
for slug, wire, vecs in (
    ("bare-lf-everywhere", b"GET / HTTP/1.1\nHost: a\n\n", (41,)),
    ("bare-lf-request-line", b"GET / HTTP/1.1\nHost: a\r\n\r\n", (41,)),
    ("bare-lf-final", b"GET / HTTP/1.1\r\nHost: a\r\n\n", (41,)),
):
    add(
        case(
            f"9112/2.2/{slug}",
            "RFC 9112 §2.2",
            MAY,
            "bare-lf",
            "server",
            Either(Reject(RPE), Accept(events=served(GET, eom()))),
            wire=wire,
            vectors=vecs,
        )
    )
add(
    case(
        "9112/2.2/bare-lf-response",
        "RFC 9112 §2.2",
        MAY,
        "bare-lf",
        "client",
        Either(Reject(RPE), Accept(events=(ok(b"Content-Length: 2\r\n"), data(b"hi"), eom(), CLOSED))),
        wire=b"HTTP/1.1 200 OK\nContent-Length: 2\n\nhi",
        vectors=(41,),
    )
)
add(
    case(
        "9112/2.2/bare-lf-chunked-trailer",
        "RFC 9112 §2.2",
        MAY,
        "bare-lf",
        "server",
        Either(
            Reject(RPE),
            Accept(
                events=served(
                    post(b"Transfer-Encoding: chunked\r\n"), chunk(b"hello"), eom(((b"x-a", b"b"),))
                )
            ),
        ),
        wire=request_bytes(b"Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n0\r\nX-A: b\n\n"),
        vectors=(41, 36),
    )
)
# Many fields, repeated fields: kept in order.
add(
    case(
        "9110/5.3/field-order-kept",
        "RFC 9110 §5.3",
        MUST,
        (
            "A recipient MAY combine multiple field lines within a field section that have the same field"
            " name into one field line [...] The order in which field lines with the same name are "
            "received is"
            " therefore significant to the interpretation of the field value"
        ),
        "server",
        Either(
            Accept(events=served(req(headers=(*HOST, (b"x-a", b"1"), (b"x-a", b"2"))), eom())),
            Accept(events=served(req(headers=(*HOST, (b"x-a", b"1, 2"))), eom())),
        ),
        wire=_get(b"X-A: 1\r\nX-A: 2\r\n"),
    )
)
add(
    case(
        "9112/2.2/header-end-cr-x-response",
        "RFC 9112 §2.2",
        MUST,
        "bare-cr",
        "client",
        Reject(RPE),
        wire=b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\rX",
        vectors=(47, 40),
        eof_rejects=True,
    )
)
