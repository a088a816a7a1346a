"""Recipient robustness the requirement table showed unchecked: long request-lines, status-line whitespace.

RFC 9112 §3 recommends accepting request-lines of at least 8000 octets (a SHOULD-level case), and RFC 9112
§4 lets a recipient parse a status-line on whitespace boundaries (a MAY: rejecting it conforms too).
"""

from __future__ import annotations

from conformance.catalog.case import RPE, Accept, Case, Either, Reject, req
from conformance.catalog.cases._common import CLOSED, case, eom, ok
from conformance.verdict import Level

CASES: list[Case] = []
add = CASES.append

LONG_TARGET = b"/" + b"a" * 7983  # with "GET ", " HTTP/1.1" and CRLF: a request-line of 8000 octets
add(
    case(
        "9112/3/request-line-8000-octets",
        "RFC 9112 §3",
        Level.SHOULD,
        "It is RECOMMENDED that all HTTP senders and recipients support, at a minimum, request-line lengths"
        " of 8000 octets.",
        "server",
        Accept(events=(req(target=LONG_TARGET), eom(), CLOSED)),
        wire=b"GET " + LONG_TARGET + b" HTTP/1.1\r\nHost: a\r\n\r\n",
        note="8000 octets counting the CRLF; a recipient with a smaller limit misses the recommendation.",
    )
)
add(
    case(
        "9112/4/status-line-ws-lenient",
        "RFC 9112 §4",
        Level.MAY,
        "Although the status-line grammar rule requires that each of the component elements be separated by"
        " a single SP octet, recipients MAY instead parse on whitespace-delimited word boundaries and, aside"
        " from the line terminator, treat any form of whitespace as the SP separator while ignoring"
        " preceding or trailing whitespace",
        "client",
        Either(Reject(RPE), Accept(events=(ok(b"Content-Length: 0\r\n"), eom(), CLOSED))),
        wire=b"HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
        note="Two SP between the version and the status code: reject, or read as one separator.",
    )
)
