"""Persistence rules the requirement table showed unchecked (RFC 9112 §6.3, §9.2, §9.6).

Data after the final response of the last request is no response, and a server that sends "close" reads
no further request on that connection.
"""

from __future__ import annotations

from conformance.catalog.case import RPE, Accept, Case, Either, Reject, ev
from conformance.catalog.cases._common import GET, GET_WIRE, case, data, eom, ok, response_bytes
from conformance.verdict import Level

MUST = Level.MUST
SM = frozenset({"state-machine"})

CASES: list[Case] = []
add = CASES.append

ANSWERED = (ok(b"Content-Length: 5\r\n"), data(b"hello"), eom())
add(
    case(
        "9112/6.3/extra-data-not-a-response",
        "RFC 9112 §6.3",
        MUST,
        "A client MUST NOT process, cache, or forward such extra data as a separate response, since such"
        " behavior would be vulnerable to cache poisoning.",
        "client",
        Either(Accept(events=ANSWERED), Reject(RPE, events=ANSWERED)),
        script=(
            ("send", ev("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a")])),
            ("send", ev("EndOfMessage")),
            ("recv", response_bytes(b"Content-Length: 5\r\n", b"hello") + b"HTTP/1.1 200 OK\r\n\r\n"),
        ),
        needs=SM,
        note="One request, then a response followed by what looks like a second response: discard it or"
        " treat it as an error (RFC 9112 §9.2), never deliver a second Response.",
    )
)
CLOSE_OK = ev("Response", status_code=200, headers=[(b"Connection", b"close"), (b"Content-Length", b"0")])
add(
    case(
        "9112/9.6/server-sent-close",
        "RFC 9112 §9.6",
        MUST,
        'A server that sends a "close" connection option MUST initiate closure of the connection (see'
        ' below) after it sends the response containing the "close" connection option. The server MUST NOT'
        " process any further requests received on that connection.",
        "server",
        Either(
            Reject(RPE, events=(GET, eom()), states={"our_state": "MUST_CLOSE"}),
            Accept(events=(GET, eom()), states={"our_state": "MUST_CLOSE"}),
        ),
        script=(
            ("recv", GET_WIRE + GET_WIRE),
            ("send", CLOSE_OK),
            ("send", ev("EndOfMessage")),
            ("recv", b""),
        ),
        needs=SM,
        vectors=(55,),
        note="A keep-alive request, a pipelined second one, and a response that says close: the second"
        " request is never delivered.",
    )
)
