"""Sending to HTTP/1.0 peers and in every framing: the headers a sender adds or rewrites itself, and the rest.

Theory of operation: each case is an event script on one Connection (a server first reads the request it
answers, so it knows the peer's version and method). The rule classes, each caught by a planted fault:

- HTTP/1.0 peers (RFC 9112 §6.1, §9.3): no Transfer-Encoding and no chunked body towards them, whatever the
  response says; no trailers (only chunked carries them); the connection closes after the response;
- every framing's body rules: Content-Length exact both ways and without trailers, a request without
  framing has no body, chunked never ends early on an empty Data and carries trailers;
- keep-alive and ``Connection: close`` (RFC 9112 §9.6): a close sent or received turns the sender's side
  to MUST_CLOSE and the close reaches the wire once, with no keep-alive beside it;
- the rewrite itself: the sender may drop, add or re-append framing and Connection fields, but every
  other field survives it, with its name as given.
"""

from __future__ import annotations

from typing import Any

from conformance.catalog.case import LPE, Accept, Case, Either, Reject, ev
from conformance.catalog.cases._common import GET_WIRE, S, case
from conformance.drive import Step
from conformance.verdict import Level

MUST, SHOULD = Level.MUST, Level.SHOULD
SER = frozenset({"serialize"})
SER_SM = frozenset({"serialize", "state-machine"})
CASES: list[Case] = []


def send(name: str, **kw: Any) -> Step:
    """A script step sending the named event."""
    return ("send", ev(name, **kw))


def respond(*headers: tuple[bytes, bytes], status: int = 200) -> Step:
    """A server's Response with these headers."""
    return send("Response", status_code=status, headers=list(headers))


HOST = (b"Host", b"a")
TE = (b"Transfer-Encoding", b"chunked")
EOM = send("EndOfMessage")
TRAILERS = send("EndOfMessage", headers=[(b"X-T", b"1")])
HI = send("Data", data=b"hi")
R10 = ("recv", b"GET / HTTP/1.0\r\n\r\n")
R11 = ("recv", GET_WIRE)
R11_CLOSE = ("recv", b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
NO_TE_10 = (
    "A server MUST NOT send a response containing Transfer-Encoding unless the corresponding request"
    " indicates HTTP/1.1 (or later minor revisions)."
)
SERVER_SENDS_CLOSE = (
    'A server that sends a "close" connection option MUST initiate closure of the connection (see below)'
    ' after it sends the response containing the "close" connection option.'
)
CLIENT_SENDS_CLOSE = (
    'A client that sends a "close" connection option MUST NOT send further requests on that connection'
    ' (after the one containing the "close") and MUST close the connection after reading the final'
    " response message corresponding to this request."
)
CLOSE_ANNOUNCED = (
    'The server SHOULD send a "close" connection option in its final response on that connection.'
)
REWRITE = (
    "The sender's own rewrite of a response touches only Content-Length, Transfer-Encoding and Connection:"
    " every other field is sent as given, in order, with its name as spelled (h11 API)."
)
CL_EXACT = (
    "If the sender closes the connection or the recipient times out before the indicated number of octets"
    " are received, the recipient MUST consider the message to be incomplete and close the connection."
)
# The response headers with other fields around the ones the sender rewrites: all of these must survive.
OTHERS = ((b"X-A", b"1"), (b"X-Mixed-Case", b"v"), (b"X-B", b"2"))
OTHERS_ON_WIRE = tuple(name + b": " + value + b"\r\n" for name, value in OTHERS)

ROWS: list[tuple[str, str, Level, str, str, Any, tuple[Step, ...], frozenset[str]]] = [
    # --- HTTP/1.0 peers ---------------------------------------------------------------------------------
    (
        "9112/6.1/send-te-to-http10",
        "RFC 9112 §6.1",
        MUST,
        NO_TE_10,
        "server",
        Either(
            Accept(
                wire_has=(*OTHERS_ON_WIRE, b"\r\n\r\nhi"),
                wire_lacks=(b"Transfer-Encoding", b"2\r\nhi", b"0\r\n\r\n"),
                states={"our_state": "MUST_CLOSE"},
            ),
            Reject(LPE),
        ),
        (R10, respond(OTHERS[0], TE, *OTHERS[1:]), HI, EOM),
        SER_SM,
    ),
    (
        "9112/6.1/send-no-framing-to-http10",
        "RFC 9112 §6.1",
        MUST,
        NO_TE_10,
        "server",
        Accept(
            wire_has=(*OTHERS_ON_WIRE, b"\r\n\r\nhi"),
            wire_lacks=(b"Transfer-Encoding", b"2\r\nhi"),
            states={"our_state": "MUST_CLOSE"},
        ),
        (R10, respond(*OTHERS), HI, EOM),
        SER_SM,
    ),
    (
        "9112/6.1/send-te-before-any-request",
        "RFC 9112 §6.1",
        MUST,
        NO_TE_10,
        "server",
        Either(Accept(wire_lacks=(b"Transfer-Encoding", b"0\r\n\r\n")), Reject(LPE)),
        (respond(TE, status=400), send("Data", data=b"bad"), EOM),
        SER,
    ),
    (
        "9112/9.3/send-cl-to-http10",
        "RFC 9112 §9.3",
        MUST,
        S["http10-close"],
        "server",
        Accept(
            wire_has=(b"Content-Length: 2\r\n", *OTHERS_ON_WIRE, b"\r\n\r\nhi"),
            wire_lacks=(b"Transfer-Encoding",),
            states={"our_state": "MUST_CLOSE"},
        ),
        (R10, respond((b"Content-Length", b"2"), *OTHERS), HI, EOM),
        SER_SM,
    ),
    (
        "9112/9.6/send-close-announced-to-http10",
        "RFC 9112 §9.6",
        SHOULD,
        CLOSE_ANNOUNCED,
        "server",
        Accept(wire_has=(b"close",), wire_lacks=(b"keep-alive", b"Keep-Alive")),
        (R10, respond((b"Content-Length", b"0"), (b"Connection", b"keep-alive")), EOM),
        SER_SM,
    ),
    (
        "9112/6.1/send-trailers-to-http10",
        "RFC 9112 §6.1",
        MUST,
        NO_TE_10,
        "server",
        Reject(LPE),
        (R10, respond(), HI, TRAILERS),
        SER,
    ),
    # --- Body rules of every framing ---------------------------------------------------------------------
    (
        "9112/6.2/send-cl-trailers-response",
        "RFC 9112 §6.2",
        MUST,
        S["trailer-send"],
        "server",
        Reject(LPE),
        (R11, respond((b"Content-Length", b"2")), HI, TRAILERS),
        SER,
    ),
    (
        "9112/8/send-cl-overrun-response",
        "RFC 9112 §8",
        MUST,
        CL_EXACT,
        "server",
        Reject(LPE),
        (R11, respond((b"Content-Length", b"1")), HI),
        SER,
    ),
    (
        "9112/8/send-cl-underrun-response",
        "RFC 9112 §8",
        MUST,
        CL_EXACT,
        "server",
        Reject(LPE),
        (R11, respond((b"Content-Length", b"3")), HI, EOM),
        SER,
    ),
    (
        "9112/6.3/send-request-body-without-framing",
        "RFC 9112 §6.3",
        MUST,
        S["request-no-body"],
        "client",
        Reject(LPE),
        (send("Request", method=b"POST", target=b"/", headers=[HOST]), HI),
        SER,
    ),
    (
        "9112/7.1/send-empty-data-chunked",
        "RFC 9112 §7.1",
        MUST,
        S["last-chunk"],
        "client",
        Accept(wire_has=(b"2\r\nhi\r\n0\r\n\r\n",), wire_once=(b"0\r\n\r\n",)),
        (send("Request", method=b"POST", target=b"/", headers=[HOST, TE]), send("Data", data=b""), HI, EOM),
        SER,
    ),
    (
        "9112/7.1/send-empty-data-chunked-response",
        "RFC 9112 §7.1",
        MUST,
        S["last-chunk"],
        "server",
        Accept(wire_has=(b"2\r\nhi\r\n0\r\n\r\n",), wire_once=(b"0\r\n\r\n",)),
        (R11, respond(), send("Data", data=b""), HI, EOM),
        SER,
    ),
    (
        "9112/7.1.2/send-chunked-trailers-response",
        "RFC 9112 §7.1.2",
        MUST,
        S["last-chunk"],
        "server",
        Accept(wire_has=(b"2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n",), wire_once=(b"Transfer-Encoding",)),
        (R11, respond(TE), HI, TRAILERS),
        SER,
    ),
    # --- Keep-alive and Connection: close ----------------------------------------------------------------
    (
        "9112/9.6/send-close-after-received-close",
        "RFC 9112 §9.6",
        MUST,
        S["close-server"],
        "server",
        Accept(
            wire_has=(b"close",),
            wire_lacks=(b"keep-alive", b"Keep-Alive"),
            states={"our_state": "MUST_CLOSE"},
        ),
        (R11_CLOSE, respond((b"Content-Length", b"0"), (b"Connection", b"keep-alive")), EOM),
        SER_SM,
    ),
    (
        "9112/9.6/send-close-by-server",
        "RFC 9112 §9.6",
        MUST,
        SERVER_SENDS_CLOSE,
        "server",
        Accept(wire_once=(b"close",), wire_has=OTHERS_ON_WIRE, states={"our_state": "MUST_CLOSE"}),
        (R11, respond(OTHERS[0], (b"Content-Length", b"0"), (b"Connection", b"close"), *OTHERS[1:]), EOM),
        SER_SM,
    ),
    (
        "9112/9.6/send-close-by-client",
        "RFC 9112 §9.6",
        MUST,
        CLIENT_SENDS_CLOSE,
        "client",
        Accept(wire_once=(b"Connection: close\r\n",), states={"our_state": "MUST_CLOSE"}),
        (send("Request", method=b"GET", target=b"/", headers=[HOST, (b"Connection", b"close")]), EOM),
        SER_SM,
    ),
    (
        "9112/9.3/send-keep-alive-by-default",
        "RFC 9112 §9.3",
        MUST,
        S["persist"],
        "server",
        Accept(wire_lacks=(b"close",), states={"our_state": "DONE"}),
        (R11, respond((b"Content-Length", b"0")), EOM),
        SER_SM,
    ),
    # --- The rewrite keeps every other field ---------------------------------------------------------------
    (
        "h11/send/rewrite-chunked-keeps-fields",
        "h11 API",
        MUST,
        REWRITE,
        "server",
        Accept(wire_has=(*OTHERS_ON_WIRE, b"2\r\nhi\r\n0\r\n\r\n"), wire_once=(b"Transfer-Encoding",)),
        (R11, respond(OTHERS[0], TE, *OTHERS[1:]), HI, EOM),
        SER,
    ),
    (
        "h11/send/rewrite-close-keeps-fields",
        "h11 API",
        MUST,
        REWRITE,
        "server",
        Accept(wire_has=(*OTHERS_ON_WIRE, b"close"), wire_lacks=(b"keep-alive", b"Keep-Alive")),
        (
            R11_CLOSE,
            respond(OTHERS[0], (b"Connection", b"Keep-Alive"), *OTHERS[1:], (b"Content-Length", b"0")),
            EOM,
        ),
        SER,
    ),
    (
        "h11/send/rewrite-http10-keeps-fields",
        "h11 API",
        MUST,
        REWRITE,
        "server",
        Either(
            Accept(
                wire_has=(*OTHERS_ON_WIRE, b"\r\n\r\nhi"),
                wire_lacks=(b"Transfer-Encoding", b"Content-Length"),
            ),
            Reject(LPE),
        ),
        (R10, respond(OTHERS[0], TE, (b"Content-Length", b"2"), *OTHERS[1:]), HI, EOM),
        SER,
    ),
]
for cid, rfc, level, sentence, role, expect, steps, needs in ROWS:
    CASES.append(case(cid, rfc, level, sentence, role, expect, script=steps, needs=needs))

__all__ = ["CASES"]
