"""The state machine: every (role, state, event type) triple, switch proposals, keep-alive, joint states.

Spec: docs/h11-behaviour.md §3. Connections are driven only through the public API: each ``REACH`` recipe
puts a Connection of a role into a state; the walk then sends every event type from that state and checks the
transition table (legal: the target state; illegal: LocalProtocolError and ERROR).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest

from tests.reference._util import client_after, differs, get, server, server_after

GET = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
OK0 = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


def _client_send_body(api: types.ModuleType) -> Any:
    return client_after(api, get(api, ("Transfer-Encoding", "chunked"), method="POST"), body=False)


def _client_switched(api: types.ModuleType) -> Any:
    conn = client_after(api, get(api, ("Upgrade", "x")))
    conn.receive_data(b"HTTP/1.1 101 \r\nUpgrade: x\r\n\r\n")
    conn.next_event()
    return conn


def _server_send_body(api: types.ModuleType) -> Any:
    conn = server_after(api, GET)
    conn.send(api.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")]))
    return conn


def _server_done(api: types.ModuleType, *extra: tuple[str, str]) -> Any:
    conn = server_after(
        api, b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(f"{n}: {v}\r\n".encode() for n, v in extra) + b"\r\n"
    )
    conn.send(api.Response(status_code=200, headers=[("Content-Length", "0")]))
    conn.send(api.EndOfMessage())
    return conn


def _server_switched(api: types.ModuleType) -> Any:
    conn = server_after(api, b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n\r\n")
    conn.send(api.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))
    return conn


def _failed(role: str) -> Callable[[types.ModuleType], Any]:
    def build(api: types.ModuleType) -> Any:
        conn = api.Connection(getattr(api, role))
        conn.send_failed()
        return conn

    return build


def _closed(role: str) -> Callable[[types.ModuleType], Any]:
    def build(api: types.ModuleType) -> Any:
        conn = api.Connection(getattr(api, role))
        conn.send(api.ConnectionClosed())
        return conn

    return build


# (role, state) -> a recipe giving a Connection of that role whose our_state is that state.
REACH: dict[tuple[str, str], Callable[[types.ModuleType], Any]] = {
    ("CLIENT", "IDLE"): lambda api: api.Connection(api.CLIENT),
    ("CLIENT", "SEND_BODY"): _client_send_body,
    ("CLIENT", "DONE"): lambda api: client_after(api),
    ("CLIENT", "MUST_CLOSE"): lambda api: client_after(api, get(api, ("Connection", "close"))),
    ("CLIENT", "CLOSED"): _closed("CLIENT"),
    ("CLIENT", "MIGHT_SWITCH_PROTOCOL"): lambda api: client_after(api, get(api, ("Upgrade", "x"))),
    ("CLIENT", "SWITCHED_PROTOCOL"): _client_switched,
    ("CLIENT", "ERROR"): _failed("CLIENT"),
    ("SERVER", "IDLE"): lambda api: api.Connection(api.SERVER),
    ("SERVER", "SEND_RESPONSE"): lambda api: server_after(api, GET),
    ("SERVER", "SEND_BODY"): _server_send_body,
    ("SERVER", "DONE"): lambda api: _server_done(api),
    ("SERVER", "MUST_CLOSE"): lambda api: _server_done(api, ("Connection", "close")),
    ("SERVER", "CLOSED"): _closed("SERVER"),
    ("SERVER", "SWITCHED_PROTOCOL"): _server_switched,
    ("SERVER", "ERROR"): _failed("SERVER"),
}

# One instance of each event type, legal wherever the table allows that type (framing chosen so that no
# writer error follows the transition).
EVENTS: dict[str, Callable[[types.ModuleType], Any]] = {
    "Request": lambda api: get(api),
    "InformationalResponse": lambda api: api.InformationalResponse(status_code=100, headers=[]),
    "Response": lambda api: api.Response(status_code=200, headers=[("Content-Length", "0")]),
    "Data": lambda api: api.Data(data=b""),
    "EndOfMessage": lambda api: api.EndOfMessage(),
    "ConnectionClosed": lambda api: api.ConnectionClosed(),
    "Event": lambda api: api.Event(),
}

# The event-triggered transitions of docs/h11-behaviour.md §3.1, for the role that sends: (role, state, event
# type) -> new state. Every triple absent here is illegal.
TRANSITIONS: dict[tuple[str, str, str], str] = {
    ("CLIENT", "IDLE", "Request"): "SEND_BODY",
    ("CLIENT", "IDLE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "SEND_BODY", "Data"): "SEND_BODY",
    ("CLIENT", "SEND_BODY", "EndOfMessage"): "DONE",
    ("CLIENT", "DONE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("CLIENT", "CLOSED", "ConnectionClosed"): "CLOSED",
    ("SERVER", "IDLE", "Response"): "SEND_BODY",
    ("SERVER", "IDLE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "SEND_RESPONSE", "InformationalResponse"): "SEND_RESPONSE",
    ("SERVER", "SEND_RESPONSE", "Response"): "SEND_BODY",
    ("SERVER", "SEND_BODY", "Data"): "SEND_BODY",
    ("SERVER", "SEND_BODY", "EndOfMessage"): "DONE",
    ("SERVER", "DONE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "MUST_CLOSE", "ConnectionClosed"): "CLOSED",
    ("SERVER", "CLOSED", "ConnectionClosed"): "CLOSED",
}

TRIPLES = [(role, state, event) for (role, state) in REACH for event in EVENTS]


@pytest.mark.parametrize(("role", "state"), list(REACH))
def test_recipe_reaches_state(api: types.ModuleType, role: str, state: str) -> None:
    """Each recipe of the walk really puts our side in the named state (sanity of the walk itself)."""
    assert REACH[role, state](api).our_state is getattr(api, state)


@pytest.mark.parametrize(("role", "state", "event"), TRIPLES)
def test_send_walks_transition_table(api: types.ModuleType, role: str, state: str, event: str) -> None:
    """Sending any event type in any state follows the table; anything else is an LPE and enters ERROR."""
    conn = REACH[role, state](api)
    ev = EVENTS[event](api)
    target = TRANSITIONS.get((role, state, event))
    if target is None:
        with pytest.raises(api.LocalProtocolError):
            conn.send(ev)
        assert conn.our_state is api.ERROR
    else:
        conn.send(ev)
        assert conn.our_state is getattr(api, target)


@pytest.mark.parametrize(("role", "state"), [k for k in REACH if k[1] != "ERROR"])
def test_illegal_event_message(api: types.ModuleType, role: str, state: str) -> None:
    """An illegal send names the event type, the role and the state in its message."""
    conn = REACH[role, state](api)
    with pytest.raises(api.LocalProtocolError, match=r"^can't handle event type Event when role="):
        conn.send(api.Event())


@pytest.mark.parametrize("role", ["CLIENT", "SERVER"])
def test_error_is_permanent_for_sending(api: types.ModuleType, role: str) -> None:
    """In ERROR every send is an LPE "Can't send data when our state is ERROR" and the state stays."""
    conn = REACH[role, "ERROR"](api)
    for make in EVENTS.values():
        with pytest.raises(api.LocalProtocolError, match=r"^Can't send data when our state is ERROR"):
            conn.send(make(api))
        assert conn.our_state is api.ERROR


@pytest.mark.parametrize("role", ["CLIENT", "SERVER"])
def test_error_is_permanent_for_receiving(api: types.ModuleType, role: str) -> None:
    """When the peer is in ERROR, next_event raises RPE "Can't receive data when peer state is ERROR"."""
    conn = api.Connection(getattr(api, role))
    conn.receive_data(b"\x00garbage\r\n\r\n")
    with pytest.raises(api.RemoteProtocolError):
        conn.next_event()
    assert conn.their_state is api.ERROR
    for _ in range(2):
        with pytest.raises(api.RemoteProtocolError, match=r"^Can't receive data when peer state is ERROR"):
            conn.next_event()


def test_unsolicited_informational_response_is_error(api: types.ModuleType) -> None:
    """An InformationalResponse received while the client is IDLE is an RPE; the server side enters ERROR."""
    conn = api.Connection(api.CLIENT)
    conn.receive_data(b"HTTP/1.1 100 Continue\r\n\r\n")
    with pytest.raises(api.RemoteProtocolError):
        conn.next_event()
    assert conn.their_state is api.ERROR


def test_unsolicited_response_accepted_while_client_idle(api: types.ModuleType) -> None:
    """A Response received while the client is IDLE is accepted; the server goes to DONE, the client stays."""
    conn = api.Connection(api.CLIENT)
    conn.receive_data(OK0)
    assert isinstance(conn.next_event(), api.Response)
    assert isinstance(conn.next_event(), api.EndOfMessage)
    assert conn.states == {api.CLIENT: api.IDLE, api.SERVER: api.DONE}


def test_server_response_from_idle(api: types.ModuleType) -> None:
    """A server may send a Response from IDLE (e.g. 408); with no request seen it must close afterwards."""
    conn = api.Connection(api.SERVER)
    data = conn.send(api.Response(status_code=408, headers=[]))
    assert data == b"HTTP/1.1 408 \r\nConnection: close\r\n\r\n"
    conn.send(api.EndOfMessage())
    assert conn.states == {api.CLIENT: api.IDLE, api.SERVER: api.MUST_CLOSE}


# ------------------------------------------------------------------------------------ switching


@pytest.mark.parametrize(
    ("method", "headers", "proposes"),
    [
        ("CONNECT", [], True),
        ("connect", [], False),
        ("GET", [("Upgrade", "websocket")], True),
        ("GET", [("Upgrade", "")], False),
        ("CONNECT", [("Upgrade", "x")], True),
        ("GET", [], False),
    ],
)
def test_switch_proposals(
    api: types.ModuleType, method: str, headers: list[tuple[str, str]], proposes: bool
) -> None:
    """CONNECT (exact bytes) or a non-empty Upgrade proposes a switch: the client ends in MIGHT_SWITCH."""
    conn = client_after(api, get(api, *headers, method=method))
    assert conn.our_state is (api.MIGHT_SWITCH_PROTOCOL if proposes else api.DONE)


def _upgrade_server(api: types.ModuleType, method: str = "GET", body: bool = True) -> Any:
    head = f"{method} / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n".encode()
    if not body:
        return server_after(api, head + b"Content-Length: 3\r\n\r\n")
    return server_after(api, head + b"\r\n")


def test_upgrade_accepted_with_101(api: types.ModuleType) -> None:
    """A 101 answering a pending Upgrade switches both sides to SWITCHED_PROTOCOL."""
    conn = _upgrade_server(api)
    assert conn.their_state is api.MIGHT_SWITCH_PROTOCOL
    conn.send(api.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))
    assert conn.states == {api.CLIENT: api.SWITCHED_PROTOCOL, api.SERVER: api.SWITCHED_PROTOCOL}


def test_connect_accepted_with_2xx(api: types.ModuleType) -> None:
    """A 2xx Response answering a pending CONNECT switches both sides, and writes no framing headers."""
    conn = server_after(api, b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
    assert conn.send(api.Response(status_code=200, headers=[])) == b"HTTP/1.1 200 \r\n\r\n"
    assert conn.states == {api.CLIENT: api.SWITCHED_PROTOCOL, api.SERVER: api.SWITCHED_PROTOCOL}


def test_non_switch_response_clears_proposal(api: types.ModuleType) -> None:
    """A non-switch Response denies the proposal: the client returns to DONE."""
    conn = _upgrade_server(api)
    conn.send(api.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert conn.states == {api.CLIENT: api.DONE, api.SERVER: api.SEND_BODY}


def test_informational_response_keeps_proposal(api: types.ModuleType) -> None:
    """A 1xx other than 101 leaves the proposal pending."""
    conn = _upgrade_server(api)
    conn.send(api.InformationalResponse(status_code=100, headers=[]))
    assert conn.states == {api.CLIENT: api.MIGHT_SWITCH_PROTOCOL, api.SERVER: api.SEND_RESPONSE}


def test_101_without_upgrade_proposal(api: types.ModuleType) -> None:
    """A 101 with no pending Upgrade (even after CONNECT) is an LPE naming _SWITCH_UPGRADE."""
    conn = server_after(api, b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
    with pytest.raises(api.LocalProtocolError, match="_SWITCH_UPGRADE"):
        conn.send(api.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))
    assert conn.our_state is api.ERROR


def test_2xx_without_connect_is_plain_response(api: types.ModuleType) -> None:
    """A 2xx answering only an Upgrade proposal is an ordinary Response (no switch)."""
    conn = _upgrade_server(api)
    conn.send(api.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert conn.our_state is api.SEND_BODY


def test_early_101_switches_after_body(api: types.ModuleType) -> None:
    """A 101 sent while the client is still in SEND_BODY is legal; the client switches when its body ends."""
    conn = server(api, b"POST / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\nContent-Length: 3\r\n\r\n")
    assert isinstance(conn.next_event(), api.Request)
    conn.send(api.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))
    assert conn.states == {api.CLIENT: api.SEND_BODY, api.SERVER: api.SWITCHED_PROTOCOL}
    conn.receive_data(b"abc")
    assert isinstance(conn.next_event(), api.Data)
    assert isinstance(conn.next_event(), api.EndOfMessage)
    assert conn.states == {api.CLIENT: api.SWITCHED_PROTOCOL, api.SERVER: api.SWITCHED_PROTOCOL}


def test_denied_http10_connect_must_close(api: types.ModuleType) -> None:
    """A denied HTTP/1.0 CONNECT: the proposal beats keep-alive, then denial gives MUST_CLOSE."""
    conn = server_after(api, b"CONNECT a:443 HTTP/1.0\r\n\r\n")
    assert conn.their_state is api.MIGHT_SWITCH_PROTOCOL
    conn.send(api.Response(status_code=403, headers=[("Content-Length", "0")]))
    assert conn.their_state is api.MUST_CLOSE


def test_might_switch_pauses_with_empty_buffer(api: types.ModuleType) -> None:
    """While the client is in MIGHT_SWITCH_PROTOCOL, next_event returns PAUSED even with nothing buffered."""
    conn = _upgrade_server(api)
    assert conn.next_event() is api.PAUSED


def test_switched_protocol_pauses_for_good(api: types.ModuleType) -> None:
    """After a switch next_event is PAUSED forever; the new protocol's bytes wait in trailing_data."""
    conn = _server_switched(api)
    conn.receive_data(b"\x00binary")
    assert conn.next_event() is api.PAUSED
    assert conn.next_event() is api.PAUSED
    assert conn.trailing_data == (b"\x00binary", False)


# ------------------------------------------------------------------------------------ keep-alive


@pytest.mark.parametrize(
    ("extra", "version", "keep_alive"),
    [
        ([], "1.1", True),
        ([("Connection", "close")], "1.1", False),
        ([("Connection", "Keep-Alive, CLOSE")], "1.1", False),
        ([("Connection", "closed")], "1.1", True),
        ([], "1.0", False),
        ([("Connection", "keep-alive")], "1.0", False),
        ([("Connection", "upgrade"), ("Connection", "close")], "1.1", False),
    ],
)
def test_request_keep_alive(
    api: types.ModuleType, extra: list[tuple[str, str]], version: str, keep_alive: bool
) -> None:
    """Keep-alive ends on a received `close` token (comma-split, any case) or http_version below 1.1."""
    head = f"GET / HTTP/{version}\r\nHost: a\r\n" + "".join(f"{n}: {v}\r\n" for n, v in extra)
    conn = server_after(api, head.encode() + b"\r\n")
    assert conn.their_state is (api.DONE if keep_alive else api.MUST_CLOSE)


def test_sent_close_ends_keep_alive(api: types.ModuleType) -> None:
    """A sent Request with Connection: close ends the client's message in MUST_CLOSE."""
    assert client_after(api, get(api, ("Connection", "close"))).our_state is api.MUST_CLOSE
    assert client_after(api).our_state is api.DONE


def test_response_close_ends_keep_alive(api: types.ModuleType) -> None:
    """A received Response with Connection: close turns keep-alive off for both roles."""
    conn = client_after(api)
    conn.receive_data(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    conn.next_event()
    conn.next_event()
    assert conn.states == {api.CLIENT: api.MUST_CLOSE, api.SERVER: api.MUST_CLOSE}


def test_informational_headers_ignored_for_keep_alive(api: types.ModuleType) -> None:
    """Connection: close on a 1xx does not turn keep-alive off."""
    conn = server_after(api, GET)
    conn.send(api.InformationalResponse(status_code=100, headers=[("Connection", "close")]))
    conn.send(api.Response(status_code=200, headers=[("Content-Length", "0")]))
    conn.send(api.EndOfMessage())
    assert conn.states == {api.CLIENT: api.DONE, api.SERVER: api.DONE}


# ------------------------------------------------------------------------------------ joint states


def _exchanged_client(api: types.ModuleType) -> Any:
    conn = client_after(api)
    conn.receive_data(OK0)
    conn.next_event()
    conn.next_event()
    return conn


JOINT: list[
    tuple[str, Callable[[types.ModuleType], Any], Callable[[Any, types.ModuleType], None], str, str]
] = [
    (
        "client closes from IDLE",
        lambda api: api.Connection(api.CLIENT),
        lambda c, api: c.send(api.ConnectionClosed()),
        "CLOSED",
        "MUST_CLOSE",
    ),
    (
        "server closes from IDLE",
        lambda api: api.Connection(api.SERVER),
        lambda c, api: c.send(api.ConnectionClosed()),
        "MUST_CLOSE",
        "CLOSED",
    ),
    (
        "client EOF after both DONE",
        lambda api: _server_done(api),
        lambda c, api: (c.receive_data(b""), c.next_event()),
        "CLOSED",
        "MUST_CLOSE",
    ),
    (
        "server EOF after both DONE",
        _exchanged_client,
        lambda c, api: (c.receive_data(b""), c.next_event()),
        "MUST_CLOSE",
        "CLOSED",
    ),
    (
        "client fails after both DONE",
        _exchanged_client,
        lambda c, api: c.send_failed(),
        "ERROR",
        "MUST_CLOSE",
    ),
    (
        "server fails after both DONE",
        lambda api: _server_done(api),
        lambda c, api: c.send_failed(),
        "MUST_CLOSE",
        "ERROR",
    ),
]


@pytest.mark.parametrize(("why", "build", "act", "client", "srv"), JOINT, ids=[j[0] for j in JOINT])
def test_joint_state_rules(
    api: types.ModuleType,
    why: str,
    build: Callable[[types.ModuleType], Any],
    act: Callable[[Any, types.ModuleType], None],
    client: str,
    srv: str,
) -> None:
    """CLOSED or ERROR on one side sends a DONE or IDLE peer to MUST_CLOSE."""
    conn = build(api)
    act(conn, api)
    assert conn.states == {api.CLIENT: getattr(api, client), api.SERVER: getattr(api, srv)}


def test_states_is_a_fresh_copy(api: types.ModuleType) -> None:
    """`states` returns a new dict on each access; mutating it changes nothing."""
    conn = api.Connection(api.CLIENT)
    first = conn.states
    first[api.CLIENT] = api.ERROR
    assert conn.states == {api.CLIENT: api.IDLE, api.SERVER: api.IDLE}
    assert conn.states is not conn.states


def test_client_request_while_server_not_idle(api: types.ModuleType) -> None:
    """A client Request after an unsolicited response is illegal: h11 AttributeError, reference LPE."""
    conn = api.Connection(api.CLIENT)
    conn.receive_data(b"HTTP/1.1 408 \r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    conn.next_event()
    conn.next_event()
    expected = api.LocalProtocolError if differs(api, "request-when-server-not-idle") else AttributeError
    with pytest.raises(expected):
        conn.send(get(api))
    assert conn.our_state is api.ERROR


@pytest.mark.parametrize(
    ("request_headers", "wire", "legal"),
    [
        ([], b"HTTP/1.1 101 \r\nUpgrade: x\r\n\r\n", False),
        ([("Upgrade", "x")], b"HTTP/1.1 101 \r\nUpgrade: x\r\n\r\n", True),
        ([("Upgrade", "x")], b"HTTP/1.1 100 \r\n\r\n", True),
        ([], b"HTTP/1.1 100 \r\n\r\n", True),
    ],
)
def test_received_informational_follows_table(
    api: types.ModuleType, request_headers: list[tuple[str, str]], wire: bytes, legal: bool
) -> None:
    """A received 101 needs a pending Upgrade (else RPE, ERROR); other 1xx keep SEND_RESPONSE."""
    conn = client_after(api, get(api, *request_headers))
    conn.receive_data(wire)
    if legal:
        assert isinstance(conn.next_event(), api.InformationalResponse)
        assert conn.their_state in (api.SEND_RESPONSE, api.SWITCHED_PROTOCOL)
    else:
        with pytest.raises(api.RemoteProtocolError, match="_SWITCH_UPGRADE"):
            conn.next_event()
        assert conn.their_state is api.ERROR


def test_reference_state_diagram_matches_table(ref: types.ModuleType) -> None:
    """The reference's generated state diagram has a solid edge for every legal (role, state, event) move."""
    from conformance.reference.state import state_diagram

    dot = state_diagram()
    assert dot.startswith("digraph")
    for (role, state, event), target in TRANSITIONS.items():
        edge = f'"{role}.{state}" -> "{role}.{target}" [label="{event}"];'
        assert edge in dot, edge
    assert '"SERVER.IDLE" -> "SERVER.SEND_RESPONSE"' in dot  # the client's Request, seen by the server
