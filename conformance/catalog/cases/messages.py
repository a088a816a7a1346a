"""Connections: keep-alive and close, HTTP/1.0 peers, pipelining and PAUSED, EOF in every state, size limits,
trailing_data (RFC 9112 §8, §9).

Vectors 55-57 of docs/vectors.md, and the h11 API contract for reading: how ``next_event`` reports the
end of the stream in each state, and what ``max_incomplete_event_size`` and ``trailing_data`` promise.
"""

from __future__ import annotations

from conformance.catalog.case import LPE, RPE, Accept, Case, Either, Outcome, Reject, ev, req
from conformance.catalog.cases._common import (
    CLOSED,
    GET,
    GET_WIRE,
    case,
    data,
    eom,
    ok,
    post,
    request_bytes,
    response_bytes,
    served,
)
from conformance.drive import Step
from conformance.verdict import Level

MUST, SHOULD, MAY = Level.MUST, Level.SHOULD, Level.MAY
R8, R93, R96 = "RFC 9112 §8", "RFC 9112 §9.3", "RFC 9112 §9.6"
SM = frozenset({"state-machine"})

CASES: list[Case] = []
add = CASES.append

# --- Keep-alive and close (server role, read without EOF so the final states show persistence) ------------
CLOSE = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
KEEP: list[tuple[str, bytes, str, str]] = [
    ("http11-persists", GET_WIRE, "DONE", "persist"),
    ("connection-close", CLOSE, "MUST_CLOSE", "persist"),
    (
        "connection-close-uppercase",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n",
        "MUST_CLOSE",
        "persist",
    ),
    (
        "connection-close-in-list",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n",
        "MUST_CLOSE",
        "persist",
    ),
    (
        "connection-close-second-line",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: foo\r\nConnection: close\r\n\r\n",
        "MUST_CLOSE",
        "persist",
    ),
    ("http10-closes", b"GET / HTTP/1.0\r\n\r\n", "MUST_CLOSE", "http10-close"),
]
for slug, wire, state, key in KEEP:
    add(
        case(
            f"9112/9.3/{slug}",
            R93,
            MUST,
            key,
            "server",
            Accept(states={"their_state": state}),
            wire=wire,
            eof=False,
            needs=SM,
        )
    )
for slug, wire in (("connection-close", CLOSE), ("http10", b"GET / HTTP/1.0\r\n\r\n")):
    first = (
        req(headers=(*((b"host", b"a"),), (b"connection", b"close")))
        if slug == "connection-close"
        else req(headers=(), version=b"1.0")
    )
    add(
        case(
            f"9112/9.6/no-request-after-{slug}",
            R96,
            MUST,
            "close-server",
            "server",
            # "The server MUST NOT process any further requests received on that connection": refusing
            # the bytes, or keeping them unparsed (no further event), both meet it.
            Either(Reject(RPE, events=(first, eom())), Accept(events=(first, eom()))),
            wire=wire + GET_WIRE,
            vectors=(55,),
            note="Bytes after the last request of a closing connection are never parsed as a request;"
            " they may be rejected or left unread.",
        )
    )
add(
    case(
        "9112/9.3/http10-keep-alive-not-required",
        R93,
        MAY,
        "http10-close",
        "server",
        Either(Accept(states={"their_state": "MUST_CLOSE"}), Accept(states={"their_state": "DONE"})),
        wire=b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        eof=False,
        needs=SM,
        note="Honouring HTTP/1.0 keep-alive is the recipient's choice.",
    )
)
add(
    case(
        "9112/9.3/response-close-client-must-close",
        R93,
        MUST,
        "persist",
        "client",
        Accept(states={"their_state": "MUST_CLOSE"}),
        wire=response_bytes(b"Connection: close\r\nContent-Length: 0\r\n"),
        eof=False,
        needs=SM,
    )
)
add(
    case(
        "9112/9.3/http10-response-client-must-close",
        R93,
        MUST,
        "http10-close",
        "client",
        Accept(states={"their_state": "MUST_CLOSE"}),
        wire=response_bytes(b"Content-Length: 0\r\n", version=b"1.0"),
        eof=False,
        needs=SM,
    )
)

# --- Pipelining (vector 55, 57) -----------------------------------------------------------------------------
add(
    case(
        "9112/9.3.2/pipelined-three",
        "RFC 9112 §9.3.2",
        MUST,
        "pipeline-order",
        "server",
        Accept(events=served(GET, eom(), post(b"Content-Length: 2\r\n"), data(b"hi"), eom(), GET, eom())),
        wire=GET_WIRE + request_bytes(b"Content-Length: 2\r\n", b"hi") + GET_WIRE,
        vectors=(55, 57),
    )
)
add(
    case(
        "9112/9.3.2/invalid-after-valid",
        "RFC 9112 §9.3.2",
        MUST,
        "bad-grammar",
        "server",
        Reject(RPE, events=(GET, eom())),
        wire=GET_WIRE + b"GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n",
        vectors=(55,),
        note="The first request is delivered; the second is rejected; nothing is skipped or merged.",
    )
)
add(
    case(
        "9112/9.3.2/paused-until-next-cycle",
        "RFC 9112 §9.3.2",
        MUST,
        "pipeline",
        "server",
        Accept(events=(GET, eom()), states={"their_state": "DONE", "our_state": "SEND_RESPONSE"}),
        script=(("recv", GET_WIRE + GET_WIRE), ("recv", b"")),
        needs=SM,
        note="h11 API: the second request waits (PAUSED) until the server responds and starts the "
        "next cycle.",
    )
)
add(
    case(
        "9112/9.3.2/pipelined-after-response-cycle",
        "RFC 9112 §9.3.2",
        MUST,
        "pipeline",
        "server",
        Accept(events=(GET, eom(), GET, eom()), states={"their_state": "DONE", "our_state": "SEND_RESPONSE"}),
        script=(
            ("recv", GET_WIRE + GET_WIRE),
            ("send", ev("Response", status_code=200, headers=[(b"Content-Length", b"0")])),
            ("send", ev("EndOfMessage")),
            ("cycle",),
            ("recv", b""),
        ),
        needs=SM,
    )
)
add(
    case(
        "9112/9.3.2/client-pipelined-responses",
        "RFC 9112 §9.3.2",
        MUST,
        "pipeline",
        "client",
        Accept(
            events=(
                ok(b"Content-Length: 1\r\n"),
                data(b"a"),
                eom(),
                ok(b"Content-Length: 1\r\n"),
                data(b"b"),
                eom(),
                CLOSED,
            )
        ),
        wire=response_bytes(b"Content-Length: 1\r\n", b"a") + response_bytes(b"Content-Length: 1\r\n", b"b"),
        vectors=(57,),
    )
)

# --- EOF in every state (the h11 API: ConnectionClosed, or RemoteProtocolError for incomplete messages) -----
EOF_SERVER: list[tuple[str, bytes, Outcome]] = [
    ("eof-idle", b"", Accept(events=(CLOSED,))),
    ("eof-in-request-line", b"GET / HT", Reject(RPE)),
    ("eof-in-headers", b"GET / HTTP/1.1\r\nHost: a\r\n", Reject(RPE)),
    (
        "eof-in-cl-body",
        request_bytes(b"Content-Length: 5\r\n", b"he"),
        Reject(RPE, events=(post(b"Content-Length: 5\r\n"), data(b"he"))),
    ),
    ("eof-in-chunk-size", request_bytes(b"Transfer-Encoding: chunked\r\n", b"5"), Reject(RPE)),
    ("eof-after-request", GET_WIRE, Accept(events=served(GET, eom()))),
]
for slug, wire, outcome in EOF_SERVER:
    if wire:
        add(
            case(
                f"9112/8/{slug}",
                R8,
                MUST,
                "cl-incomplete",
                "server",
                outcome,
                wire=wire,
                vectors=(35,) if "body" in slug or "chunk" in slug else (),
                eof_rejects=isinstance(outcome, Reject),  # ends mid-message: EOF is what makes it an error
            )
        )
    else:
        add(
            case(f"9112/8/{slug}", R8, MUST, "cl-incomplete", "server", outcome, script=(("eof",),), needs=SM)
        )
EOF_CLIENT: list[tuple[str, bytes, Outcome]] = [
    ("eof-awaiting-response", b"", Reject(RPE)),
    ("eof-in-status-line", b"HTTP/1.1 2", Reject(RPE)),
    ("eof-in-response-headers", b"HTTP/1.1 200 OK\r\n", Reject(RPE)),
    ("eof-in-response-cl-body", response_bytes(b"Content-Length: 5\r\n", b"he"), Reject(RPE)),
    (
        "eof-ends-close-delimited-body",
        response_bytes(b"", b"he"),
        Accept(events=(ok(), data(b"he"), eom(), CLOSED)),
    ),
]
for slug, wire, outcome in EOF_CLIENT:
    if wire:
        add(
            case(
                f"9112/8/{slug}",
                R8,
                MUST,
                "cl-incomplete",
                "client",
                outcome,
                wire=wire,
                vectors=(35,),
                eof_rejects=isinstance(outcome, Reject),
            )
        )
    else:
        add(
            case(
                f"9112/8/{slug}",
                R8,
                MUST,
                "cl-incomplete",
                "client",
                outcome,
                script=(
                    ("send", ev("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a")])),
                    ("send", ev("EndOfMessage")),
                    ("eof",),
                ),
                needs=SM,
            )
        )
add(
    case(
        "9112/8/eof-client-half-close",
        R8,
        MUST,
        "cl-incomplete",
        "server",
        Accept(events=(GET, eom(), CLOSED), states={"their_state": "CLOSED", "our_state": "SEND_RESPONSE"}),
        script=(("recv", GET_WIRE), ("eof",)),
        needs=SM,
        note="A client may half-close after its request; the server can still respond.",
    )
)
add(
    case(
        "9112/8/connection-closed-repeats",
        R8,
        MUST,
        "cl-incomplete",
        "server",
        Accept(events=(CLOSED, CLOSED)),
        script=(("eof",), ("recv", b"")),
        needs=SM,
        note="h11 API: after ConnectionClosed, next_event keeps returning it.",
    )
)

# --- max_incomplete_event_size (vector 56) and trailing_data ------------------------------------------------
long_target = b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: a\r\n\r\n"
add(
    case(
        "9112/3/target-too-long-limited",
        "RFC 9112 §3",
        SHOULD,
        "target-too-long",
        "server",
        Reject(RPE),
        script=(("recv", long_target[:17000]),),
        vectors=(56,),
        needs=SM,
        note="A 20 kB target arriving in pieces: the default 16 KiB limit refuses it before it completes.",
    )
)
add(
    case(
        "9110/5.4/header-section-too-large",
        "RFC 9110 §5.4",
        MUST,
        "field-too-large",
        "server",
        Either(Reject(RPE, 431), Reject(RPE, 400), Reject(RPE, 413)),
        script=(("recv", b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X-A: " + b"b" * 17000),),
        vectors=(56,),
        needs=SM,
        note="An incomplete field section over the default 16 KiB limit: 431.",
    )
)
big_head = b"GET / HTTP/1.1\r\nHost: a\r\nX-A: " + b"b" * 20000 + b"\r\n\r\n"
add(
    case(
        "9110/5.4/header-section-too-large-complete",
        "RFC 9110 §5.4",
        MUST,
        "field-too-large",
        "server",
        Either(Reject(RPE, 431), Reject(RPE, 400), Reject(RPE, 413), Accept()),
        wire=big_head,
        vectors=(56, 57),
        h11_expect=Either(Reject(RPE, 431), Accept()),
        difference="size-limit-split-invariant",
        note="A complete 20 kB field section: refuse it or read it, but the same way in every split.",
    )
)
add(
    case(
        "9112/9.3/trailing-data-after-eof",
        R93,
        MUST,
        "pipeline",
        "server",
        Accept(events=(GET, eom()), states={"trailing": (b"GET /x", True)}),
        script=(("recv", GET_WIRE + b"GET /x"), ("eof",)),
        needs=SM,
        note="h11 API: trailing_data holds the unparsed bytes and whether EOF was seen.",
    )
)
add(
    case(
        "9112/9.3/trailing-data-empty",
        R93,
        MUST,
        "pipeline",
        "server",
        Accept(events=(GET, eom()), states={"trailing": (b"", False)}),
        script=(("recv", GET_WIRE),),
        needs=SM,
    )
)
__all__ = ["CASES"]

# --- The h11 API around cycles and errors ----------------------------------------------------------------
OK_0 = ("send", ev("Response", status_code=200, headers=[(b"Content-Length", b"0")]))
EOM_STEP = ("send", ev("EndOfMessage"))
API: list[tuple[str, str, tuple[Step, ...], Outcome, str]] = [
    (
        "next-cycle-not-done-refused",
        "server",
        (("recv", GET_WIRE), ("cycle",)),
        Reject(LPE, states={"our_state": "SEND_RESPONSE", "their_state": "DONE"}),
        "start_next_cycle outside DONE/DONE raises LocalProtocolError and changes no state.",
    ),
    (
        "next-cycle-resets-to-idle",
        "server",
        (("recv", GET_WIRE), OK_0, EOM_STEP, ("cycle",)),
        Accept(states={"our_state": "IDLE", "their_state": "IDLE"}),
        "After a complete exchange on a persistent connection, start_next_cycle returns both roles to IDLE.",
    ),
    (
        "next-cycle-refused-after-close",
        "server",
        (("recv", CLOSE), OK_0, EOM_STEP, ("cycle",)),
        Reject(LPE, states={"our_state": "MUST_CLOSE"}),
        "A connection that must close is never reused.",
    ),
    (
        "their-http-version-recorded",
        "server",
        (("recv", b"GET / HTTP/1.0\r\n\r\n"),),
        Accept(states={"their_http_version": b"1.0"}),
        "their_http_version is the peer's version from its last start-line.",
    ),
    (
        "send-after-send-failed",
        "client",
        (("send_failed",), ("send", ev("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a")]))),
        Reject(LPE, states={"our_state": "ERROR"}),
        "After send_failed our role is ERROR and every send raises LocalProtocolError.",
    ),
    (
        "receive-after-remote-error",
        "server",
        (("recv", b"GET / HTTP/1.1\r\nHost: a\r\nX : y\r\n\r\n"), ("recv", b"")),
        Reject(RPE, states={"their_state": "ERROR"}),
        "After a RemoteProtocolError the peer's role is ERROR; next_event keeps raising.",
    ),
    (
        "server-can-answer-after-remote-error",
        "server",
        (("recv", b"\x00garbage\r\n\r\n"), ("send", ev("Response", status_code=400, headers=[])), EOM_STEP),
        Reject(RPE, states={"our_state": "MUST_CLOSE", "their_state": "ERROR"}),
        "A server can still send its 400 after the peer's error; the connection then must close.",
    ),
    (
        "connection-closed-sends-nothing",
        "client",
        (("send", ev("ConnectionClosed")),),
        Accept(wire=b"", states={"our_state": "CLOSED"}),
        "Sending ConnectionClosed writes no bytes (closing the socket is the caller's job).",
    ),
]
for slug, role, steps, outcome, note in API:
    add(
        case(
            f"h11/api/{slug}",
            "h11 API",
            MUST,
            "The h11 Connection contract (docs/h11-behaviour.md §2): " + note,
            role,
            outcome,
            script=steps,
            # A step that calls send_failed needs it (a library without it is skipped, not crashed).
            needs=frozenset({"state-machine", "serialize"})
            | ({"send-failed"} if any(step[0] == "send_failed" for step in steps) else set()),
        )
    )
