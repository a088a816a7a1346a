"""Sender rules the requirement table showed unchecked (RFC 9112 §2.2, §3.2.2, §6.1, §6.3).

Each case is an event script on one Connection: the implementation must refuse to send what the rule
forbids (LocalProtocolError), or, where the rule allows a second way out, take it.
"""

from __future__ import annotations

from conformance.catalog.case import LPE, Accept, Case, Either, Reject, ev
from conformance.catalog.cases._common import GET_WIRE, case
from conformance.drive import Step
from conformance.verdict import Level

MUST = Level.MUST
SER = frozenset({"serialize"})
SER_SM = frozenset({"serialize", "state-machine"})

CASES: list[Case] = []
add = CASES.append


def send(name: str, **kw: object) -> Step:
    """A script step sending the named event."""
    return ("send", ev(name, **kw))


HOST = [(b"Host", b"a")]
add(
    case(
        "9112/2.2/send-ws-before-first-field",
        "RFC 9112 §2.2",
        MUST,
        "A sender MUST NOT send whitespace between the start-line and the first header field.",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"GET", target=b"/", headers=[(b" X-A", b"b"), *HOST]),),
        needs=SER,
        note="A field name starting with SP would put whitespace right after the request-line.",
    )
)
add(
    case(
        "9112/3.2.2/send-absolute-form-host-missing",
        "RFC 9112 §3.2.2",
        MUST,
        "A client MUST send a Host header field in an HTTP/1.1 request even if the request-target is in the"
        " absolute-form, since this allows the Host information to be forwarded through ancient HTTP/1.0"
        " proxies that might not have implemented Host.",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"GET", target=b"http://a/x", headers=[]),),
        needs=SER,
    )
)
add(
    case(
        "9112/6.1/send-te-not-chunked-response",
        "RFC 9112 §6.1",
        MUST,
        "If any transfer coding other than chunked is applied to a response's content, the sender MUST"
        " either apply chunked as the final transfer coding or terminate the message by closing the"
        " connection.",
        "server",
        Either(Reject(LPE), Accept(states={"our_state": "MUST_CLOSE"})),
        script=(
            ("recv", GET_WIRE),
            send("Response", status_code=200, headers=[(b"Transfer-Encoding", b"gzip")]),
            send("Data", data=b"x"),
            send("EndOfMessage"),
        ),
        needs=SER_SM,
        note="Refuse the coding, or delimit the body by closing: the connection must not be reused.",
    )
)
add(
    case(
        "9112/6.3/send-body-without-length",
        "RFC 9112 §6.3",
        MUST,
        "A user agent that sends a request that contains a message body MUST send either a valid"
        " Content-Length header field or use the chunked transfer coding.",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"POST", target=b"/", headers=HOST), send("Data", data=b"hello")),
        needs=SER,
        note="Without either, the request has no body (length zero): body bytes must be refused.",
    )
)
