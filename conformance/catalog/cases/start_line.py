"""Start lines: request-line, status-line, HTTP-version, method, request-target and Host (RFC 9112 §2-4).

Vectors 48-54 and 58 of docs/vectors.md.
"""

from __future__ import annotations

from conformance.catalog.case import RPE, Accept, Case, Either, Reject, req, resp
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    GET_WIRE,
    case,
    eom,
    grammar_case,
    ok,
    response_bytes,
    served,
)
from conformance.verdict import Level

MUST, SHOULD, MAY = Level.MUST, Level.SHOULD, Level.MAY

CASES: list[Case] = []
add = CASES.append

# Request lines that must be rejected: (slug, start line, rfc, sentence key, vectors, level).
BAD_REQUEST_LINES: list[tuple[str, bytes, str, str, tuple[int, ...]]] = [
    ("request-line-double-sp", b"GET  / HTTP/1.1", "RFC 9112 §3", "request-line", (48,)),
    ("request-line-htab", b"GET\t/ HTTP/1.1", "RFC 9112 §3", "request-line", (48,)),
    ("request-line-vt", b"GET\x0b/ HTTP/1.1", "RFC 9112 §3", "request-line", (48,)),
    ("request-line-ff", b"GET / HTTP/1.1\x0c", "RFC 9112 §3", "request-line", (48,)),
    ("request-line-trailing-sp", b"GET / HTTP/1.1 ", "RFC 9112 §3", "request-line", (48,)),
    ("request-line-bare-cr", b"GET /\rHTTP/1.1", "RFC 9112 §2.2", "bare-cr", (40, 48)),
    ("version-lowercase", b"GET / http/1.1", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-two-minor-digits", b"GET / HTTP/1.01", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-no-minor", b"GET / HTTP/1", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-overflow", b"GET / HTTP/1.256", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-prefix-junk", b"GET / XHTTP/1.1", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-missing", b"GET /", "RFC 9112 §2.3", "http-version", (49,)),
    ("version-http09-style", b"GET / HTTP/1.1x", "RFC 9112 §2.3", "http-version", (49,)),
    ("method-with-slash", b"GE/T / HTTP/1.1", "RFC 9112 §3.1", "method", (50,)),
    ("method-with-nul", b"GE\x00T / HTTP/1.1", "RFC 9112 §3.1", "method", (50, 42)),
    ("method-non-ascii", b"G\xc9T / HTTP/1.1", "RFC 9112 §3.1", "method", (50,)),
    ("method-empty", b" / HTTP/1.1", "RFC 9112 §3.1", "method", (50,)),
    ("target-missing", b"GET HTTP/1.1", "RFC 9112 §3", "request-line", (51,)),
    ("target-with-space", b"GET /a b HTTP/1.1", "RFC 9112 §3.2", "target-no-ws", (51,)),
    ("target-with-nul", b"GET /a\x00b HTTP/1.1", "RFC 9112 §3.2", "target-no-ws", (51, 42)),
    ("target-with-ctl", b"GET /a\x01b HTTP/1.1", "RFC 9112 §3.2", "target-no-ws", (51,)),
    ("target-non-ascii", b"GET /caf\xc3\xa9 HTTP/1.1", "RFC 9112 §3.2", "request-line", (51,)),
    ("request-line-http09", b"GET /", "RFC 9112 §2.3", "http-version", (49,)),
]
for slug, line, rfc, key, vecs in BAD_REQUEST_LINES:
    section = rfc.split("§")[1]
    wire = line + b"\r\nHost: a\r\n\r\n"
    if key == "bare-cr":  # RFC 9112 §2.2: MUST consider it invalid (or replace it, not on a start-line)
        add(case(f"9112/{section}/{slug}", rfc, MUST, key, "server", Reject(RPE), wire=wire, vectors=vecs))
    else:
        add(grammar_case(f"9112/{section}/{slug}", rfc, key, "server", Reject(RPE), wire=wire, vectors=vecs))
add(
    case(
        "9112/3/request-line-ws-lenient",
        "RFC 9112 §3",
        MAY,
        "request-line-ws",
        "server",
        Either(Reject(RPE), Accept(events=served(GET, eom()))),
        wire=b"GET  /  HTTP/1.1\r\nHost: a\r\n\r\n",
        vectors=(48,),
        note="Parsing on whitespace boundaries is allowed; splitting differently is not.",
    )
)
# Request lines every server must read.
for slug, line, record, vecs in (
    ("method-lowercase-kept", b"get / HTTP/1.1", req(b"get"), (50,)),
    ("method-extension-token", b"PURGE / HTTP/1.1", req(b"PURGE"), (50,)),
    ("target-query", b"GET /a?b=c&d HTTP/1.1", req(target=b"/a?b=c&d"), (51,)),
    ("target-absolute-form", b"GET http://a/x HTTP/1.1", req(target=b"http://a/x"), (52,)),
    ("target-percent-encoded", b"GET /%20%00 HTTP/1.1", req(target=b"/%20%00"), (51,)),
):
    add(
        case(
            f"9112/3/{slug}",
            "RFC 9112 §3",
            MUST,
            "method-case" if "method" in slug else "request-line",
            "server",
            # RFC 9110 §9.1: "An origin server that receives a request method that is unrecognized or not
            # implemented SHOULD respond with the 501 (Not Implemented) status code." A method outside a
            # server's table ("get" is not "GET") may be refused; read, it keeps its case.
            Either(Accept(events=served(record, eom())), Reject(RPE))
            if "method" in slug
            else Accept(events=served(record, eom())),
            wire=line + b"\r\nHost: a\r\n\r\n",
            vectors=vecs,
        )
    )
add(
    case(
        "9112/3.2/target-fragment",
        "RFC 9112 §3.2",
        MAY,
        "request-line",
        "server",
        Either(Reject(RPE), Accept(events=served(req(target=b"/a#b"), eom()))),
        wire=b"GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n",
        vectors=(51,),
        note="A fragment is not part of origin-form; rejecting or passing it through are both seen.",
    )
)
add(
    case(
        "9112/3.2/target-backslash",
        "RFC 9112 §3.2",
        MAY,
        "request-line",
        "server",
        Either(Reject(RPE), Accept(events=served(req(target=b"/a\\b"), eom()))),
        wire=b"GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n",
        vectors=(51,),
    )
)
# Vector 52: target form versus method (the sentence is a SHOULD-level use restriction on the sender).
for slug, line, record in (
    ("asterisk-form-with-get", b"GET * HTTP/1.1", req(target=b"*")),
    ("authority-form-without-connect", b"GET a:80 HTTP/1.1", req(target=b"a:80")),
):
    add(
        case(
            f"9112/3.2/{slug}",
            "RFC 9112 §3.2",
            SHOULD,
            "invalid-request-line",
            "server",
            Reject(RPE, 400),
            wire=line + b"\r\nHost: a\r\n\r\n",
            vectors=(52,),
            h11_expect=Accept(events=served(record, eom())),
            difference="h11-request-target-form",
        )
    )
# Vector 53: Host.
host_missing = b"GET / HTTP/1.1\r\n\r\n"
for slug, wire, vecs in (
    ("host-missing", host_missing, (53,)),
    ("host-duplicated", b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", (53,)),
    ("host-duplicated-differ", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", (53,)),
    ("host-duplicated-http10", b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", (53,)),
):
    add(
        case(
            f"9112/3.2/{slug}",
            "RFC 9112 §3.2",
            MUST,
            "host-400",
            "server",
            Reject(RPE, 400),
            wire=wire,
            vectors=vecs,
        )
    )
for slug, value in (
    ("host-comma-list", b"a, b"),
    ("host-userinfo", b"user@a"),
    ("host-with-path", b"a/b"),
    ("host-inner-space", b"a b"),
    ("host-bad-port", b"a:b"),
):
    wire = b"GET / HTTP/1.1\r\nHost: " + value + b"\r\n\r\n"
    add(
        case(
            f"9112/3.2/{slug}",
            "RFC 9112 §3.2",
            MUST,
            "host-400",
            "server",
            Reject(RPE, 400),
            wire=wire,
            vectors=(53,),
            h11_expect=Accept(events=served(req(headers=((b"host", value),)), eom())),
            difference="host-value-invalid",
        )
    )
add(
    case(
        "9112/3.2/host-empty-allowed",
        "RFC 9112 §3.2",
        MUST,
        "host-400",
        "server",
        Accept(events=served(req(headers=((b"host", b""),)), eom())),
        wire=b"GET / HTTP/1.1\r\nHost:\r\n\r\n",
        vectors=(53,),
        note="An empty Host is valid when the target URI has no authority.",
    )
)
add(
    case(
        "9112/3.2/host-missing-http10-ok",
        "RFC 9112 §3.2",
        MUST,
        "host-400",
        "server",
        Accept(events=served(req(headers=(), version=b"1.0"), eom())),
        wire=b"GET / HTTP/1.0\r\n\r\n",
        vectors=(53,),
        note="Only HTTP/1.1 requests must carry Host.",
    )
)
# Vector 54: empty line(s) before the request line.
add(
    case(
        "9112/2.2/leading-crlf-ignored",
        "RFC 9112 §2.2",
        SHOULD,
        "leading-crlf",
        "server",
        Accept(events=served(GET, eom())),
        wire=b"\r\n" + GET_WIRE,
        vectors=(54,),
        h11_expect=Reject(RPE),
        difference="h11-no-leading-crlf",
    )
)
add(
    case(
        "9112/2.2/leading-crlf-between-requests",
        "RFC 9112 §2.2",
        SHOULD,
        "leading-crlf",
        "server",
        Accept(events=served(GET, eom(), GET, eom())),
        wire=GET_WIRE + b"\r\n" + GET_WIRE,
        vectors=(54, 55),
        h11_expect=Reject(RPE, events=(GET, eom())),
        difference="h11-no-leading-crlf",
    )
)
add(
    case(
        "9112/2.2/leading-lf-no-crash",
        "RFC 9112 §2.2",
        MAY,
        "leading-crlf",
        "server",
        Either(Reject(RPE), Accept(events=served(GET, eom()))),
        wire=b"\n" + GET_WIRE,
        vectors=(54, 41),
    )
)
# Vector 58: an HTTP/2 connection preface, and other major versions.
add(
    case(
        "9110/2.5/http2-preface",
        "RFC 9110 §2.5",
        SHOULD,
        "major-version",
        "server",
        Reject(RPE),
        wire=b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        vectors=(58,),
        h11_expect=Reject(RPE, events=(req(b"PRI", b"*", (), b"2.0"), eom())),
        difference="h11-any-http-version",
        note="An HTTP/1.1 server should refuse the HTTP/2 preface rather than read 'PRI *' as a request.",
    )
)
add(
    case(
        "9110/2.5/major-version-2",
        "RFC 9110 §2.5",
        SHOULD,
        "major-version",
        "server",
        Reject(RPE),
        wire=b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        vectors=(49, 58),
        h11_expect=Accept(events=served(req(version=b"2.0"), eom())),
        difference="h11-any-http-version",
    )
)
add(
    grammar_case(
        "9112/2.3/tls-handshake-rejected",
        "RFC 9112 §2.3",
        "bad-grammar",
        "server",
        Reject(RPE),
        wire=b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        vectors=(49,),
        note="A TLS ClientHello on a plain-text port is not an HTTP message.",
    )
)
add(
    case(
        "9112/2.3/http10-request",
        "RFC 9112 §2.3",
        MUST,
        "http-version",
        "server",
        Accept(events=served(req(version=b"1.0"), eom())),
        wire=b"GET / HTTP/1.0\r\nHost: a\r\n\r\n",
        vectors=(49,),
    )
)

# Status lines (client role).
BAD_STATUS: list[tuple[str, bytes, tuple[int, ...]]] = [
    ("status-code-two-digits", b"HTTP/1.1 20 OK", (49,)),
    ("status-code-four-digits", b"HTTP/1.1 2000 OK", (49,)),
    ("status-code-letters", b"HTTP/1.1 2x0 OK", (49,)),
    ("status-code-below-100", b"HTTP/1.1 099 OK", (49,)),
    ("status-version-lowercase", b"http/1.1 200 OK", (49,)),
    ("status-version-missing", b"200 OK", (49,)),
    ("status-reason-nul", b"HTTP/1.1 200 O\x00K", (42,)),
    ("status-reason-bare-cr", b"HTTP/1.1 200 O\rK", (40,)),
    ("status-leading-space", b" HTTP/1.1 200 OK", (48,)),
]
for slug, line, vecs in BAD_STATUS:
    if slug not in ("status-code-below-100", "status-reason-bare-cr"):
        key = "status-code" if "code" in slug else "status-line"
        wire = line + b"\r\nContent-Length: 0\r\n\r\n"
        add(
            grammar_case(f"9112/4/{slug}", "RFC 9112 §4", key, "client", Reject(RPE), wire=wire, vectors=vecs)
        )
        continue
    add(
        case(
            f"9112/4/{slug}",
            "RFC 9112 §4",
            MUST,
            "status-code" if "code" in slug else "status-line",
            "client",
            # RFC 9110 §15: "Values outside the range 100..599 are invalid. [...] A client that receives a
            # response with an invalid status code SHOULD process the response as if it had a 5xx (Server
            # Error) status code." A three-digit code below 100 may be handed over (the caller processes it).
            Either(Reject(RPE), Accept()) if slug == "status-code-below-100" else Reject(RPE),
            wire=line + b"\r\nContent-Length: 0\r\n\r\n",
            vectors=vecs,
        )
    )
for slug, line, record in (
    ("status-reason-empty", b"HTTP/1.1 200 ", resp(200, ((b"content-length", b"0"),))),
    ("status-reason-spaces", b"HTTP/1.1 200 Very  OK", resp(200, ((b"content-length", b"0"),), b"Very  OK")),
    (
        "status-reason-obs-text",
        b"HTTP/1.1 200 \xc9t\xe9",
        resp(200, ((b"content-length", b"0"),), b"\xc9t\xe9"),
    ),
    ("status-code-unknown", b"HTTP/1.1 299 Odd", resp(299, ((b"content-length", b"0"),), b"Odd")),
):
    add(
        case(
            f"9112/4/{slug}",
            "RFC 9112 §4",
            MUST,
            "status-line",
            "client",
            Accept(events=(record, eom(), CLOSED)),
            wire=line + b"\r\nContent-Length: 0\r\n\r\n",
        )
    )
add(
    case(
        "9112/4/status-no-space-before-missing-reason",
        "RFC 9112 §4",
        MAY,
        "status-space",
        "client",
        Either(Reject(RPE), Accept(events=(resp(200, ((b"content-length", b"0"),)), eom(), CLOSED))),
        wire=b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
        note="The server MUST send the space; a client may be lenient about a missing one.",
    )
)
add(
    case(
        "9110/15.2/1xx-then-final",
        "RFC 9110 §15.2",
        MUST,
        "parse-1xx",
        "client",
        Accept(
            events=(
                resp(100, (), b"Continue"),
                resp(103, ((b"link", b"</a>"),), b"Early Hints"),
                ok(b"Content-Length: 0\r\n"),
                eom(),
                CLOSED,
            )
        ),
        wire=b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        + response_bytes(b"Content-Length: 0\r\n"),
    )
)
add(
    case(
        "9112/2.3/http10-response-close-delimited",
        "RFC 9112 §2.3",
        MUST,
        "response-close-delimited",
        "client",
        Accept(events=(resp(200, (), b"OK", b"1.0"), eom(), CLOSED)),
        wire=b"HTTP/1.0 200 OK\r\n\r\n",
        vectors=(49,),
    )
)
__all__ = ["CASES", "GET", "ok"]
