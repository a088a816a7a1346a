"""Sending: validation of every field against injection, automatic headers, framing on send, switching and
100-continue (RFC 9112 §2.2, §4, §6, §9; RFC 9110 §5.5, §7.8, §8.6, §10.1.1).

Every case is an event script: events are sent (and bytes received) on one Connection, and the outcome is
the first error, the bytes written, or the final states.
"""

from __future__ import annotations

from conformance.catalog.case import LPE, RPE, Accept, Case, Either, Outcome, Reject, ev
from conformance.catalog.cases._common import GET_WIRE, case
from conformance.catalog.cases.state_machine import UPGRADE_101, UPGRADE_WIRE
from conformance.drive import Step
from conformance.verdict import Level

MUST, SHOULD, MAY = Level.MUST, Level.SHOULD, Level.MAY
SER = frozenset({"serialize"})
SER_SM = frozenset({"serialize", "state-machine"})

CASES: list[Case] = []
add = CASES.append


def send(name: str, **kw: object) -> Step:
    """A script step sending the named event."""
    return ("send", ev(name, **kw))


HOST = [(b"Host", b"a")]
EOM = send("EndOfMessage")

# --- Injection: CR, LF, NUL in every field of every event (client sends requests, server responses) -----
BAD_BYTES = {"cr": b"\r", "lf": b"\n", "nul": b"\x00", "crlf": b"\r\n"}
for tag, bad in BAD_BYTES.items():
    rows: list[tuple[str, str, Step, str, str]] = [
        (
            "method",
            "client",
            send("Request", method=b"GE" + bad + b"T", target=b"/", headers=HOST),
            "RFC 9112 §3.1",
            "method",
        ),
        (
            "target",
            "client",
            send("Request", method=b"GET", target=b"/a" + bad + b"b", headers=HOST),
            "RFC 9112 §3.2",
            "target-no-ws",
        ),
        (
            "header-value-request",
            "client",
            send(
                "Request",
                method=b"GET",
                target=b"/",
                headers=[*HOST, (b"X-A", b"b" + bad + b"X-Injected: 1")],
            ),
            "RFC 9110 §5.5",
            "field-crlfnul",
        ),
        (
            "header-name-request",
            "client",
            send("Request", method=b"GET", target=b"/", headers=[*HOST, (b"X-" + bad + b"A", b"b")]),
            "RFC 9110 §5.1",
            "field-name",
        ),
        (
            "host-value",
            "client",
            send("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a" + bad + b"b")]),
            "RFC 9110 §5.5",
            "field-crlfnul",
        ),
    ]
    for slug, role, step, rfc, key in rows:
        add(
            case(
                f"{rfc[4:8]}/{rfc.split('§')[1]}/send-{tag}-in-{slug}",
                rfc,
                MUST,
                key,
                role,
                Reject(LPE),
                script=(step,),
                needs=SER,
                vectors=(42,),
                note="The event must be refused (at construction or send); the bytes never reach the wire.",
            )
        )
    for slug, spec in (
        (
            "header-value-response",
            ev("Response", status_code=200, headers=[(b"X-A", b"b" + bad + b"X-Injected: 1")]),
        ),
        ("header-name-response", ev("Response", status_code=200, headers=[(b"X-" + bad + b"A", b"b")])),
        ("trailer-value", None),
    ):
        steps: tuple[Step, ...]
        if spec is None:
            steps = (
                ("recv", GET_WIRE),
                send("Response", status_code=200, headers=[(b"Transfer-Encoding", b"chunked")]),
                send("EndOfMessage", headers=[(b"X-T", b"a" + bad + b"b")]),
            )
        else:
            steps = (("recv", GET_WIRE), ("send", spec))
        add(
            case(
                f"9110/5.5/send-{tag}-in-{slug}",
                "RFC 9110 §5.5",
                MUST,
                "field-crlfnul",
                "server",
                Reject(LPE),
                script=steps,
                needs=SER,
                vectors=(42,),
            )
        )
    add(
        case(
            f"9112/4/send-{tag}-in-reason",
            "RFC 9112 §4",
            MUST,
            "reason",
            "server",
            Reject(LPE),
            script=(
                ("recv", GET_WIRE),
                send(
                    "Response",
                    status_code=200,
                    headers=[(b"Content-Length", b"0")],
                    reason=b"OK" + bad + b"X-Injected: 1",
                ),
            ),
            needs=SER,
            vectors=(42,),
            h11_expect=Accept(wire_has=(b"OK" + bad + b"X-Injected: 1",)),
            difference="reason-phrase-injection",
        )
    )
for slug, value in (("vt", b"b\x0bc"), ("ff", b"b\x0cc"), ("leading-space", b" b"), ("trailing-tab", b"b\t")):
    add(
        case(
            f"9110/5.5/send-header-value-{slug}",
            "RFC 9110 §5.5",
            MUST,
            "field-line",
            "client",
            Reject(LPE),
            script=(send("Request", method=b"GET", target=b"/", headers=[*HOST, (b"X-A", value)]),),
            needs=SER,
            note="Not a field-value (no leading/trailing whitespace, no VT/FF): refused.",
        )
    )
for slug, target in (("space", b"/a b"), ("empty", b""), ("non-ascii", b"/caf\xc3\xa9")):
    add(
        case(
            f"9112/3.2/send-target-{slug}",
            "RFC 9112 §3.2",
            MUST,
            "target-no-ws",
            "client",
            Reject(LPE),
            script=(send("Request", method=b"GET", target=target, headers=HOST),),
            needs=SER,
            vectors=(51,),
        )
    )
for slug, method in (("space", b"G T"), ("empty", b""), ("slash", b"G/T")):
    add(
        case(
            f"9112/3.1/send-method-{slug}",
            "RFC 9112 §3.1",
            MUST,
            "method",
            "client",
            Reject(LPE),
            script=(send("Request", method=method, target=b"/", headers=HOST),),
            needs=SER,
            vectors=(50,),
        )
    )
add(
    case(
        "9112/3.2/send-host-missing",
        "RFC 9112 §3.2",
        MUST,
        "host-send",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"GET", target=b"/", headers=[]),),
        needs=SER,
        vectors=(53,),
    )
)
add(
    case(
        "9112/3.2/send-host-twice",
        "RFC 9112 §3.2",
        MUST,
        "host-400",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a"), (b"Host", b"b")]),),
        needs=SER,
        vectors=(53,),
    )
)
add(
    case(
        "9112/3.2/send-host-invalid",
        "RFC 9112 §3.2",
        MUST,
        "host-400",
        "client",
        Reject(LPE),
        script=(send("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a b")]),),
        needs=SER,
        vectors=(53,),
        h11_expect=Accept(wire_has=(b"Host: a b\r\n",)),
        difference="host-value-invalid",
    )
)
add(
    case(
        "9112/6.2/send-cl-conflicting",
        "RFC 9112 §6.2",
        MUST,
        "cl-invalid",
        "client",
        Reject(LPE),
        script=(
            send(
                "Request",
                method=b"POST",
                target=b"/",
                headers=[*HOST, (b"Content-Length", b"1"), (b"Content-Length", b"2")],
            ),
        ),
        needs=SER,
        vectors=(2,),
    )
)
add(
    case(
        "9112/6.2/send-cl-with-te",
        "RFC 9112 §6.2",
        MUST,
        (
            "A sender MUST NOT send a Content-Length header field in any message that contains a "
            "Transfer-Encoding"
            " header field."
        ),
        "client",
        Reject(LPE),
        script=(
            send(
                "Request",
                method=b"POST",
                target=b"/",
                headers=[*HOST, (b"Content-Length", b"5"), (b"Transfer-Encoding", b"chunked")],
            ),
        ),
        needs=SER,
        vectors=(1,),
        h11_expect=Accept(wire_has=(b"Content-Length: 5\r\n",)),
        difference="send-cl-with-te",
    )
)
add(
    case(
        "9112/6.1/send-te-not-chunked",
        "RFC 9112 §6.1",
        MUST,
        (
            "If any transfer coding other than chunked is applied to a request's content, the "
            "sender MUST apply"
            " chunked as the final transfer coding to ensure that the message is properly framed."
        ),
        "client",
        Reject(LPE),
        script=(
            send("Request", method=b"POST", target=b"/", headers=[*HOST, (b"Transfer-Encoding", b"gzip")]),
        ),
        needs=SER,
        vectors=(13,),
    )
)

# --- Framing on send: CL overrun and underrun, HEAD, 204, 304, 1xx --------------------------------------
CL5 = [*HOST, (b"Content-Length", b"5")]
post5 = send("Request", method=b"POST", target=b"/", headers=CL5)
add(
    case(
        "9112/6.2/send-cl-overrun",
        "RFC 9112 §6.2",
        MUST,
        "cl-valid",
        "client",
        Reject(LPE),
        script=(post5, send("Data", data=b"hello!")),
        needs=SER,
        note="More body than the declared Content-Length would desynchronise the peer.",
    )
)
add(
    case(
        "9112/6.2/send-cl-underrun",
        "RFC 9112 §6.2",
        MUST,
        "cl-valid",
        "client",
        Reject(LPE),
        script=(post5, send("Data", data=b"hell"), EOM),
        needs=SER,
    )
)
add(
    case(
        "9112/6.2/send-cl-exact",
        "RFC 9112 §6.2",
        MUST,
        "cl-valid",
        "client",
        Accept(
            wire=b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", states={"our_state": "DONE"}
        ),
        script=(post5, send("Data", data=b"hello"), EOM),
        needs=SER_SM,
    )
)
add(
    case(
        "9112/7.1/send-chunked-body",
        "RFC 9112 §7.1",
        MUST,
        "chunk",
        "client",
        Accept(wire_has=(b"5\r\nhello\r\n", b"0\r\n\r\n"), wire_lacks=(b"Content-Length",)),
        script=(
            send("Request", method=b"POST", target=b"/", headers=[*HOST, (b"Transfer-Encoding", b"chunked")]),
            send("Data", data=b"hello"),
            EOM,
        ),
        needs=SER,
    )
)
add(
    case(
        "9112/6.2/send-cl-trailers",
        "RFC 9112 §6.2",
        MUST,
        "trailer-send",
        "client",
        Reject(LPE),
        script=(post5, send("Data", data=b"hello"), send("EndOfMessage", headers=[(b"X-T", b"1")])),
        needs=SER,
        note="A Content-Length body has no place for trailers.",
    )
)
RESP_GET = ("recv", GET_WIRE)
for status, slug in ((204, "204"), (304, "304")):
    add(
        case(
            f"9112/6.3/send-{slug}-body-refused",
            "RFC 9112 §6.3",
            MUST,
            "no-body-statuses",
            "server",
            Reject(LPE),
            script=(RESP_GET, send("Response", status_code=status, headers=[]), send("Data", data=b"x")),
            needs=SER,
            vectors=(59,),
        )
    )
for status, slug, hdr in (
    (204, "204-cl", b"Content-Length"),
    (204, "204-te", b"Transfer-Encoding"),
    (100, "1xx-cl", b"Content-Length"),
    (100, "1xx-te", b"Transfer-Encoding"),
):
    value = b"0" if hdr == b"Content-Length" else b"chunked"
    name = "InformationalResponse" if status < 200 else "Response"
    add(
        case(
            f"9110/8.6/send-framing-on-{slug}",
            "RFC 9110 §8.6",
            MUST,
            (
                "A server MUST NOT send a Content-Length header field in any response with a status "
                "code of 1xx"
                " (Informational) or 204 (No Content)."
            ),
            "server",
            Reject(LPE),
            script=(RESP_GET, send(name, status_code=status, headers=[(hdr, value)])),
            needs=SER,
            vectors=(59,),
            h11_expect=Accept(wire_has=(hdr + b": " + value + b"\r\n",)),
            difference="send-framing-on-1xx-204",
        )
    )
add(
    case(
        "9112/6.3/send-head-response-no-body",
        "RFC 9112 §6.3",
        MUST,
        "no-body-statuses",
        "server",
        Reject(LPE),
        script=(
            ("recv", b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"),
            send("Response", status_code=200, headers=[(b"Content-Length", b"5")]),
            send("Data", data=b"hello"),
        ),
        needs=SER,
        vectors=(59,),
        note="A response to HEAD carries no body, whatever its Content-Length.",
    )
)
add(
    case(
        "9110/9.3.2/send-head-response-keeps-cl",
        "RFC 9110 §9.3.2",
        SHOULD,
        (
            "The server SHOULD send the same header fields in response to a HEAD request as it "
            "would have sent if"
            " the request method had been GET."
        ),
        "server",
        Accept(wire_has=(b"Content-Length: 5\r\n",), wire_lacks=(b"hello",)),
        script=(
            ("recv", b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"),
            send("Response", status_code=200, headers=[(b"Content-Length", b"5")]),
            EOM,
        ),
        needs=SER,
    )
)
# --- Automatic headers on responses ---------------------------------------------------------------------
AUTO: list[tuple[str, tuple[Step, ...], Accept, str, str]] = [
    (
        "auto-chunked-http11",
        (RESP_GET, send("Response", status_code=200, headers=[]), send("Data", data=b"hi"), EOM),
        Accept(wire_has=(b"Transfer-Encoding: chunked\r\n", b"2\r\nhi\r\n0\r\n\r\n")),
        "RFC 9112 §6.3",
        "te-chunked-final",
    ),
    (
        "auto-close-http10",
        (
            ("recv", b"GET / HTTP/1.0\r\n\r\n"),
            send("Response", status_code=200, headers=[]),
            send("Data", data=b"hi"),
            EOM,
        ),
        Accept(wire_has=(b"Connection: close\r\n",), wire_lacks=(b"Transfer-Encoding", b"2\r\nhi")),
        "RFC 9112 §6.1",
        (
            "A server MUST NOT send a response containing Transfer-Encoding unless the "
            "corresponding request indicates"
            " HTTP/1.1 (or later minor revisions)."
        ),
    ),
    (
        "auto-close-after-client-close",
        (
            ("recv", b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
            send("Response", status_code=200, headers=[(b"Content-Length", b"0")]),
            EOM,
        ),
        Accept(wire_has=(b"Connection: close\r\n",), states={"our_state": "MUST_CLOSE"}),
        "RFC 9112 §9.6",
        'The server SHOULD send a "close" connection option in its final response on that connection.',
    ),
    (
        "auto-no-framing-on-204",
        (RESP_GET, send("Response", status_code=204, headers=[]), EOM),
        Accept(wire_lacks=(b"Content-Length", b"Transfer-Encoding")),
        "RFC 9110 §8.6",
        "A server MUST NOT send a Content-Length header field in any response with a status code of 1xx"
        " (Informational) or 204 (No Content).",
    ),
    (
        "auto-close-on-error-from-idle",
        (send("Response", status_code=400, headers=[]), EOM),
        Accept(wire_has=(b"Connection: close\r\n",)),
        "RFC 9112 §2.2",
        "bad-grammar",
    ),
    (
        "status-line-space-no-reason",
        (RESP_GET, send("Response", status_code=200, headers=[(b"Content-Length", b"0")])),
        Accept(wire_has=(b"HTTP/1.1 200 \r\n",)),
        "RFC 9112 §4",
        "status-space",
    ),
]
# The automatic headers that only a SHOULD asks for.
AUTO_LEVEL = {"auto-close-after-client-close": SHOULD, "auto-close-on-error-from-idle": SHOULD}
for slug, steps, outcome, rfc, key in AUTO:
    add(
        case(
            f"{rfc[4:8]}/{rfc.split('§')[1]}/{slug}",
            rfc,
            AUTO_LEVEL.get(slug, MUST),
            key,
            "server",
            outcome,
            script=steps,
            needs=SER_SM,
        )
    )
add(
    case(
        "9112/3/send-request-line",
        "RFC 9112 §3",
        MUST,
        "request-line",
        "client",
        Accept(wire=b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n"),
        script=(send("Request", method=b"GET", target=b"/x", headers=HOST), EOM),
        needs=SER,
    )
)
add(
    case(
        "9110/6.5.1/send-trailer-framing-field",
        "RFC 9110 §6.5.1",
        MUST,
        "trailer-send",
        "client",
        Reject(LPE),
        script=(
            send("Request", method=b"POST", target=b"/", headers=[*HOST, (b"Transfer-Encoding", b"chunked")]),
            send("EndOfMessage", headers=[(b"Content-Length", b"5")]),
        ),
        needs=SER,
        vectors=(36,),
        h11_expect=Either(Reject(LPE), Accept(wire_has=(b"Content-Length: 5\r\n",))),
        difference="send-framing-trailer",
    )
)
add(
    case(
        "9112/7.1.2/send-chunked-trailers",
        "RFC 9112 §7.1.2",
        MUST,
        "last-chunk",
        "client",
        Accept(wire_has=(b"0\r\nX-T: 1\r\n\r\n",)),
        script=(
            send("Request", method=b"POST", target=b"/", headers=[*HOST, (b"Transfer-Encoding", b"chunked")]),
            send("EndOfMessage", headers=[(b"X-T", b"1")]),
        ),
        needs=SER,
    )
)

# --- Upgrade, CONNECT, 101 ---------------------------------------------------------------------------------
SW = frozenset({"serialize", "state-machine", "protocol-switch"})
upgrade_req = ("recv", UPGRADE_WIRE)
add(
    case(
        "9110/7.8/upgrade-accepted",
        "RFC 9110 §7.8",
        MUST,
        (
            "A server MUST NOT switch to a protocol that was not indicated by the client in the corresponding"
            " request's Upgrade header field."
        ),
        "server",
        Accept(states={"our_state": "SWITCHED_PROTOCOL"}),
        script=(
            upgrade_req,
            send("InformationalResponse", status_code=101, headers=UPGRADE_101),
        ),
        needs=SW,
    )
)
add(
    case(
        "9110/7.8/upgrade-denied-continues",
        "RFC 9110 §7.8",
        MUST,
        "A server MAY ignore a received Upgrade header field if it wishes to continue using the "
        "current protocol on"
        " that connection.",
        "server",
        Accept(states={"our_state": "DONE", "their_state": "DONE"}),
        script=(upgrade_req, send("Response", status_code=200, headers=[(b"Content-Length", b"0")]), EOM),
        needs=SW,
    )
)
add(
    case(
        "9110/7.8/switch-without-proposal",
        "RFC 9110 §7.8",
        MUST,
        (
            "A server MUST NOT switch to a protocol that was not indicated by the client in the corresponding"
            " request's Upgrade header field."
        ),
        "server",
        Reject(LPE),
        script=(
            RESP_GET,
            send("InformationalResponse", status_code=101, headers=[(b"Upgrade", b"websocket")]),
        ),
        needs=SW,
    )
)
add(
    case(
        "9110/7.8/send-101-without-upgrade",
        "RFC 9110 §7.8",
        MUST,
        (
            "A server that sends a 101 (Switching Protocols) response MUST send an Upgrade header field to"
            " indicate the new protocol(s) to which the connection is being switched."
        ),
        "server",
        Reject(LPE),
        script=(upgrade_req, send("InformationalResponse", status_code=101, headers=[])),
        needs=SW,
        h11_expect=Accept(states={"our_state": "SWITCHED_PROTOCOL"}),
        difference="send-101-without-upgrade",
    )
)
add(
    case(
        "9110/7.8/upgrade-in-http10-ignored",
        "RFC 9110 §7.8",
        MUST,
        "A server MUST ignore an Upgrade header field that is received in an HTTP/1.0 request.",
        "server",
        Accept(events=None, states={"their_state": "MUST_CLOSE"}),
        script=(("recv", b"GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"),),
        needs=SW,
        h11_expect=Accept(states={"their_state": "MIGHT_SWITCH_PROTOCOL"}),
        difference="upgrade-in-http10",
    )
)
connect_wire = b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"
add(
    case(
        "9110/9.3.6/connect-2xx-switches",
        "RFC 9110 §9.3.6",
        MUST,
        "Any 2xx (Successful) response indicates that the sender (and all inbound proxies) will "
        "switch to tunnel"
        " mode immediately after the response header section",
        "server",
        Accept(states={"our_state": "SWITCHED_PROTOCOL", "their_state": "SWITCHED_PROTOCOL"}),
        script=(("recv", connect_wire), send("Response", status_code=200, headers=[])),
        needs=SW,
        vectors=(52,),
    )
)
add(
    case(
        "9110/9.3.6/connect-2xx-no-framing-sent",
        "RFC 9110 §9.3.6",
        MUST,
        "A server MUST NOT send any Transfer-Encoding or Content-Length header fields in a 2xx "
        "(Successful) response"
        " to CONNECT.",
        "server",
        Reject(LPE),
        script=(
            ("recv", connect_wire),
            send("Response", status_code=200, headers=[(b"Content-Length", b"5")]),
        ),
        needs=SW,
        h11_expect=Accept(wire_has=(b"Content-Length: 5\r\n",)),
        difference="send-framing-on-connect-2xx",
    )
)
add(
    case(
        "9110/9.3.6/connect-denied",
        "RFC 9110 §9.3.6",
        MUST,
        "connect-2xx",
        "server",
        # Not a tunnel: the connection goes on (DONE) or closes (MUST_CLOSE); RFC 9112 §9.3.1: "Connections
        # can be closed at any time, with or without intention."
        Either(Accept(states={"our_state": "DONE"}), Accept(states={"our_state": "MUST_CLOSE"})),
        script=(
            ("recv", connect_wire),
            send("Response", status_code=403, headers=[(b"Content-Length", b"0")]),
            EOM,
        ),
        needs=SW,
    )
)
# The edges of "any 2xx": 299 opens the tunnel, 300 does not.
CONNECT_EDGES: tuple[tuple[int, Outcome], ...] = (
    (299, Accept(states={"our_state": "SWITCHED_PROTOCOL", "their_state": "SWITCHED_PROTOCOL"})),
    (300, Either(Accept(states={"our_state": "DONE"}), Accept(states={"our_state": "MUST_CLOSE"}))),
)
for status, edge in CONNECT_EDGES:
    add(
        case(
            f"9110/9.3.6/connect-{status}-edge",
            "RFC 9110 §9.3.6",
            MUST,
            "connect-2xx",
            "server",
            edge,
            script=(
                ("recv", connect_wire),
                send(
                    "Response",
                    status_code=status,
                    headers=[] if status < 300 else [(b"Content-Length", b"0")],
                ),
                *(() if status < 300 else (EOM,)),
            ),
            needs=SW,
            note="The edges of the 2xx range: a switch on 300, or none on 299, misreads 'any 2xx'.",
        )
    )
add(
    case(
        "9110/15.2.2/switched-trailing-data",
        "RFC 9110 §15.2.2",
        MUST,
        "The server MUST generate an Upgrade header field in the response that indicates which"
        " protocol(s) will be in effect after this response.",
        "server",
        Accept(states={"trailing": (b"\x81\x00", False), "our_state": "SWITCHED_PROTOCOL"}),
        script=(
            ("recv", UPGRADE_WIRE + b"\x81\x00"),
            send("InformationalResponse", status_code=101, headers=UPGRADE_101),
        ),
        needs=SW,
        note="h11 API: bytes after the switch are left in trailing_data, never parsed as HTTP.",
    )
)

# --- 100-continue flags ------------------------------------------------------------------------------------
E100 = frozenset({"100-continue", "state-machine"})
expect_wire = b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
EXP: list[tuple[str, tuple[Step, ...], bool]] = [
    ("expect-100-flag-set", (("recv", expect_wire),), True),
    ("expect-100-case-insensitive", (("recv", expect_wire.replace(b"100-continue", b"100-Continue")),), True),
    (
        "expect-100-cleared-by-100",
        (("recv", expect_wire), send("InformationalResponse", status_code=100, headers=[])),
        False,
    ),
    ("expect-100-cleared-by-data", (("recv", expect_wire + b"he"),), False),
    (
        "expect-100-cleared-by-final",
        (("recv", expect_wire), send("Response", status_code=417, headers=[(b"Content-Length", b"0")])),
        False,
    ),
    ("expect-100-http10-ignored", (("recv", expect_wire.replace(b"HTTP/1.1", b"HTTP/1.0")),), False),
    ("expect-other-not-100", (("recv", expect_wire.replace(b"100-continue", b"foo")),), False),
]
for slug, steps, flag in EXP:
    sentence = (
        "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST ignore that "
        "expectation."
        if "http10" in slug
        else 'The only expectation defined by this specification is "100-continue" (with no defined '
        "parameters)."
    )
    add(
        case(
            f"9110/10.1.1/{slug}",
            "RFC 9110 §10.1.1",
            MUST,
            sentence,
            "server",
            Accept(states={"client_waiting_100": flag}),
            script=steps,
            needs=E100 | SER,
            vectors=(24,),
        )
    )
add(
    case(
        "9110/10.1.1/expect-100-client-flag",
        "RFC 9110 §10.1.1",
        MUST,
        'The only expectation defined by this specification is "100-continue" (with no defined parameters).',
        "client",
        Accept(states={"client_waiting_100": True}),
        script=(
            send(
                "Request",
                method=b"POST",
                target=b"/",
                headers=[*HOST, (b"Expect", b"100-continue"), (b"Content-Length", b"5")],
            ),
        ),
        needs=E100 | SER,
        vectors=(24,),
    )
)
# --- A client Request while the server is not IDLE (h11's AttributeError) -------------------------------
add(
    case(
        "9112/9.3/request-after-unsolicited-response",
        "RFC 9112 §9.3",
        MUST,
        (
            "A server MUST send its responses to those requests in the same order that the requests "
            "were received."
        ),
        "server",
        Reject(RPE),
        script=(
            send("Response", status_code=408, headers=[(b"Content-Length", b"0")]),
            EOM,
            ("recv", GET_WIRE),
        ),
        needs=SER_SM,
        h11_expect=Reject("crash:AttributeError"),
        difference="request-when-server-not-idle",
        note="After a 408 from IDLE the server cannot take a request: a protocol error, not a crash.",
    )
)
add(
    case(
        "9112/9.6/unsolicited-response-keep-or-close",
        "RFC 9112 §9.6",
        SHOULD,
        (
            'A sender SHOULD send a Connection header field containing the "close" connection option when it'
            " intends to close a connection."
        ),
        "server",
        # After a response that answered no request the server may go on (DONE) or close (RFC 9112 §9.3.1:
        # "Connections can be closed at any time, with or without intention"), and then says so with
        # "close"; the choice point response-without-request.
        Either(
            Accept(states={"our_state": "DONE"}, wire_lacks=(b"close",)),
            Accept(states={"our_state": "MUST_CLOSE"}, wire_has=(b"Connection: close",)),
        ),
        script=(send("Response", status_code=408, headers=[(b"Content-Length", b"0")]), EOM),
        needs=SER_SM,
    )
)
add(
    case(
        "9112/9.3/client-unsolicited-1xx",
        "RFC 9112 §9.3",
        MUST,
        "parse-1xx",
        "client",
        Reject(RPE),
        script=(("recv", b"HTTP/1.1 100 Continue\r\n\r\n"),),
        needs=SER_SM,
        note="h11 API: a 1xx before any request is a protocol error.",
    )
)
__all__ = ["CASES", "RPE"]
