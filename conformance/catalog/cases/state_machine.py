"""The h11 state machine: every (role, state, event) we can send, legal and illegal, generated from tables.

Theory of operation: ``SETUP`` says how a fresh Connection of each role reaches each state (a script prefix);
``EVENTS`` are the event specs tried in every state; ``TRANSITIONS`` is the total table of legal moves of the
h11 API (docs/h11-behaviour.md §3.1): anything absent must raise LocalProtocolError and put our side in
ERROR. One case per (role, state, event), 2 x 8 x 6 = 96 cases, each citing the sentence that motivates the
rule (RFC 9112 §9.3 ordering, or the h11 API contract for states the RFC does not name).
"""

from __future__ import annotations

from conformance.catalog.case import LPE, Accept, Case, Reject, ev
from conformance.catalog.cases._common import GET_WIRE, case
from conformance.drive import EventSpec, Step
from conformance.verdict import Level

UPGRADE_HEADERS = [(b"Host", b"a"), (b"Upgrade", b"websocket"), (b"Connection", b"upgrade")]
UPGRADE_WIRE = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
# The headers of a 101 that accepts it: RFC 9110 §7.8, "When Upgrade is sent, the sender MUST also send a
# Connection header field ... that contains an "upgrade" connection option".
UPGRADE_101 = [(b"Upgrade", b"websocket"), (b"Connection", b"upgrade")]
SWITCH_101 = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
CLOSE_WIRE = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"


def _send(name: str, **kw: object) -> Step:
    return ("send", ev(name, **kw))


GET_REQ = _send("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a")])
EOM = _send("EndOfMessage")
OK0 = _send("Response", status_code=200, headers=[(b"Content-Length", b"0")])

SETUP: dict[tuple[str, str], tuple[Step, ...]] = {
    ("client", "IDLE"): (),
    ("client", "SEND_BODY"): (
        _send(
            "Request",
            method=b"POST",
            target=b"/",
            headers=[(b"Host", b"a"), (b"Transfer-Encoding", b"chunked")],
        ),
    ),
    ("client", "DONE"): (GET_REQ, EOM),
    ("client", "MUST_CLOSE"): (
        _send("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a"), (b"Connection", b"close")]),
        EOM,
    ),
    ("client", "CLOSED"): (_send("ConnectionClosed"),),
    ("client", "MIGHT_SWITCH_PROTOCOL"): (
        _send("Request", method=b"GET", target=b"/", headers=UPGRADE_HEADERS),
        EOM,
    ),
    ("client", "SWITCHED_PROTOCOL"): (
        _send("Request", method=b"GET", target=b"/", headers=UPGRADE_HEADERS),
        EOM,
        ("recv", SWITCH_101),
    ),
    ("client", "ERROR"): (("send_failed",),),
    ("server", "IDLE"): (),
    ("server", "SEND_RESPONSE"): (("recv", GET_WIRE),),
    ("server", "SEND_BODY"): (
        ("recv", GET_WIRE),
        _send("Response", status_code=200, headers=[(b"Transfer-Encoding", b"chunked")]),
    ),
    ("server", "DONE"): (("recv", GET_WIRE), OK0, EOM),
    ("server", "MUST_CLOSE"): (("recv", CLOSE_WIRE), OK0, EOM),
    ("server", "CLOSED"): (_send("ConnectionClosed"),),
    ("server", "SWITCHED_PROTOCOL"): (
        ("recv", UPGRADE_WIRE),
        _send("InformationalResponse", status_code=101, headers=UPGRADE_101),
    ),
    ("server", "ERROR"): (("send_failed",),),
}

EVENTS: dict[str, EventSpec] = {
    "Request": ev("Request", method=b"GET", target=b"/", headers=[(b"Host", b"a")]),
    "InformationalResponse": ev("InformationalResponse", status_code=100, headers=[]),
    "Response": ev("Response", status_code=200, headers=[(b"Content-Length", b"0")]),
    "Data": ev("Data", data=b"x"),
    "EndOfMessage": ev("EndOfMessage"),
    "ConnectionClosed": ev("ConnectionClosed"),
}

# The legal moves of the sending side; every other (role, state, event) is a LocalProtocolError.
TRANSITIONS: dict[tuple[str, str, str], str] = {
    ("client", "IDLE", "Request"): "SEND_BODY",
    ("client", "IDLE", "ConnectionClosed"): "CLOSED",
    ("client", "SEND_BODY", "Data"): "SEND_BODY",
    ("client", "SEND_BODY", "EndOfMessage"): "DONE",
    ("client", "DONE", "ConnectionClosed"): "CLOSED",
    ("client", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("client", "CLOSED", "ConnectionClosed"): "CLOSED",
    ("server", "IDLE", "Response"): "SEND_BODY",
    ("server", "IDLE", "ConnectionClosed"): "CLOSED",
    ("server", "SEND_RESPONSE", "InformationalResponse"): "SEND_RESPONSE",
    ("server", "SEND_RESPONSE", "Response"): "SEND_BODY",
    ("server", "SEND_BODY", "Data"): "SEND_BODY",
    ("server", "SEND_BODY", "EndOfMessage"): "DONE",
    ("server", "DONE", "ConnectionClosed"): "CLOSED",
    ("server", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("server", "CLOSED", "ConnectionClosed"): "CLOSED",
}

STATES = {
    "client": (
        "IDLE",
        "SEND_BODY",
        "DONE",
        "MUST_CLOSE",
        "CLOSED",
        "MIGHT_SWITCH_PROTOCOL",
        "SWITCHED_PROTOCOL",
        "ERROR",
    ),
    "server": (
        "IDLE",
        "SEND_RESPONSE",
        "SEND_BODY",
        "DONE",
        "MUST_CLOSE",
        "CLOSED",
        "SWITCHED_PROTOCOL",
        "ERROR",
    ),
}
# Why a pair is (il)legal, by the state it is tried in: the RFC sentence, or the h11 API contract.
SENTENCES = {
    "IDLE": (
        "RFC 9112 §9.3",
        "A server MUST send its responses to those requests in the same order that the requests"
        " were received.",
    ),
    "SEND_RESPONSE": (
        "RFC 9110 §15",
        "A client MUST be able to parse one or more 1xx responses received prior to a"
        " final response, even if the client does not expect one.",
    ),
    "SEND_BODY": (
        "RFC 9112 §6",
        "The message body (if any) of an HTTP/1.1 message is used to carry content for the"
        " request or response.",
    ),
    "DONE": (
        "RFC 9112 §9.3",
        'HTTP/1.1 defaults to the use of "persistent connections", allowing multiple requests'
        " and responses to be carried over a single connection.",
    ),
    "MUST_CLOSE": (
        "RFC 9112 §9.6",
        'A client that sends a "close" connection option MUST NOT send further requests'
        ' on that connection (after the one containing the "close")',
    ),
    "CLOSED": ("RFC 9112 §9.6", "A client, server, or proxy MAY close the transport connection at any time."),
    "MIGHT_SWITCH_PROTOCOL": (
        "RFC 9110 §7.8",
        "A client cannot begin using an upgraded protocol on the connection"
        " until it has completely sent the request message",
    ),
    "SWITCHED_PROTOCOL": (
        "RFC 9110 §15.2.2",
        "The server MUST generate an Upgrade header field in the response that indicates which"
        " protocol(s) will be in effect after this response.",
    ),
    "ERROR": (
        "h11 API",
        "A role whose state is ERROR can never send or receive again on that Connection (h11 contract).",
    ),
}
NEEDS = {
    "MIGHT_SWITCH_PROTOCOL": "protocol-switch",
    "SWITCHED_PROTOCOL": "protocol-switch",
    "ERROR": "send-failed",
}


def _cases() -> list[Case]:
    out = []
    for role, states in STATES.items():
        for state in states:
            rfc, sentence = SENTENCES[state]
            for name, spec in EVENTS.items():
                new = TRANSITIONS.get((role, state, name))
                expect = (
                    Accept(states={"our_state": new})
                    if new is not None
                    else Reject(LPE, states={"our_state": "ERROR"})
                )
                needs = {"state-machine", "serialize"} | ({NEEDS[state]} if state in NEEDS else set())
                slug = f"{role}-{state}-{name}".lower().replace("_", "-")
                out.append(
                    case(
                        f"h11/state/{slug}",
                        rfc,
                        Level.MUST,
                        sentence,
                        role,
                        expect,
                        script=(*SETUP[(role, state)], ("send", spec)),
                        needs=frozenset(needs),
                        note=f"{'legal' if new else 'illegal'}: {role} sends {name} in {state}"
                        + (f" -> {new}" if new else ""),
                    )
                )
    return out


CASES: list[Case] = _cases()
__all__ = ["CASES", "SETUP", "STATES", "TRANSITIONS"]
