"""The HTTP/1.1 connection state machine: one total transition table plus the state-triggered rules.

Theory of operation: each side of a connection (CLIENT, SERVER) has a state. An event moves the
role that sent it along ``TRANSITIONS``, a total dict keyed by ``(role, state, event key)`` whose value
is the next state, or ``None`` where the event is a protocol violation. The event key is the event
class, except for three cases the table must tell apart:

- the server machine also sees the *client's* Request (key ``_CLIENT_REQUEST``), which is how the
  server leaves IDLE; a server sending a Request itself is keyed ``Request`` and is illegal;
- a 101 InformationalResponse is keyed ``_SWITCH_UPGRADE`` and a 2xx Response to a pending CONNECT
  ``_SWITCH_CONNECT``; either needs the matching pending proposal.

Everything that does not depend on an event lives in ``_settle`` beside the
table: switch proposals move a finished client into MIGHT_SWITCH_PROTOCOL (and back when denied),
keep-alive being off turns DONE into MUST_CLOSE, and the joint rules in ``JOINT_RULES`` (one side
closed or broken makes a finished other side MUST_CLOSE; an accepted switch switches the client).
They run to a fixed point after every change. ``RoleStates`` holds no parsing or framing: the
``Connection`` decides what an event means (keep-alive, proposals) and tells this machine.
"""

from __future__ import annotations

from conformance.reference.differences import h11_rule
from conformance.reference.errors import LocalProtocolError
from conformance.reference.events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    Request,
    Response,
)
from conformance.reference.rejections import reject
from conformance.reference.sentinels import (
    _CLIENT_REQUEST,
    _SWITCH_CONNECT,
    _SWITCH_UPGRADE,
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Sentinel,
)

__all__ = ["EVENT_KEYS", "JOINT_RULES", "STATES", "TRANSITIONS", "RoleStates"]

Role = Sentinel
State = Sentinel
EventKey = object  # an event class or one of the three pseudo-keys

STATES: dict[Role, tuple[State, ...]] = {
    CLIENT: (
        IDLE,
        SEND_BODY,
        DONE,
        MUST_CLOSE,
        CLOSED,
        MIGHT_SWITCH_PROTOCOL,
        SWITCHED_PROTOCOL,
        ERROR,
    ),
    SERVER: (IDLE, SEND_RESPONSE, SEND_BODY, DONE, MUST_CLOSE, CLOSED, SWITCHED_PROTOCOL, ERROR),
}

EVENT_KEYS: tuple[EventKey, ...] = (
    Request,
    _CLIENT_REQUEST,
    InformationalResponse,
    Response,
    Data,
    EndOfMessage,
    ConnectionClosed,
    _SWITCH_UPGRADE,
    _SWITCH_CONNECT,
)

# The legal moves (RFC 9112 §9.3 message exchange, as h11 models it); everything else is None.
_LEGAL: dict[tuple[Role, State, EventKey], State] = {
    (CLIENT, IDLE, Request): SEND_BODY,
    (CLIENT, IDLE, ConnectionClosed): CLOSED,
    (CLIENT, SEND_BODY, Data): SEND_BODY,
    (CLIENT, SEND_BODY, EndOfMessage): DONE,
    (CLIENT, DONE, ConnectionClosed): CLOSED,
    (CLIENT, MUST_CLOSE, ConnectionClosed): CLOSED,
    (CLIENT, CLOSED, ConnectionClosed): CLOSED,
    (SERVER, IDLE, _CLIENT_REQUEST): SEND_RESPONSE,
    # A Response from IDLE: the 400/408 a server sends to garbage or to nothing.
    (SERVER, IDLE, Response): SEND_BODY,
    (SERVER, IDLE, ConnectionClosed): CLOSED,
    (SERVER, SEND_RESPONSE, InformationalResponse): SEND_RESPONSE,
    (SERVER, SEND_RESPONSE, Response): SEND_BODY,
    (SERVER, SEND_RESPONSE, _SWITCH_UPGRADE): SWITCHED_PROTOCOL,
    (SERVER, SEND_RESPONSE, _SWITCH_CONNECT): SWITCHED_PROTOCOL,
    (SERVER, SEND_BODY, Data): SEND_BODY,
    (SERVER, SEND_BODY, EndOfMessage): DONE,
    (SERVER, DONE, ConnectionClosed): CLOSED,
    (SERVER, MUST_CLOSE, ConnectionClosed): CLOSED,
    (SERVER, CLOSED, ConnectionClosed): CLOSED,
}

TRANSITIONS: dict[tuple[Role, State, EventKey], State | None] = {
    (role, state, key): _LEGAL.get((role, state, key))
    for role, states in STATES.items()
    for state in states
    for key in EVENT_KEYS
}

# Joint (client, server) states that force a change: (new client, new server).
JOINT_RULES: dict[tuple[State, State], tuple[State, State]] = {
    # An accepted switch: the client, done and waiting, follows the server.
    (MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL): (SWITCHED_PROTOCOL, SWITCHED_PROTOCOL),
    # The client has gone away or broken: the server can finish but never reuse the connection.
    (CLOSED, DONE): (CLOSED, MUST_CLOSE),
    (CLOSED, IDLE): (CLOSED, MUST_CLOSE),
    (ERROR, DONE): (ERROR, MUST_CLOSE),
    # And the mirror image for the client.
    (DONE, CLOSED): (MUST_CLOSE, CLOSED),
    (IDLE, CLOSED): (MUST_CLOSE, CLOSED),
    (DONE, ERROR): (MUST_CLOSE, ERROR),
}


def _key_name(key: EventKey) -> str:
    return key.__name__ if isinstance(key, type) else type(key).__name__


class RoleStates:
    """The two roles' states, keep-alive and pending switch proposals; no I/O."""

    __slots__ = ("client", "keep_alive", "proposals_pending", "server")

    def __init__(self) -> None:
        self.client: State = IDLE
        self.server: State = IDLE
        self.keep_alive = True
        self.proposals_pending: set[Sentinel] = set()

    @property
    def states(self) -> dict[Role, State]:
        """A fresh ``{CLIENT: state, SERVER: state}`` dict."""
        return {CLIENT: self.client, SERVER: self.server}

    def on_error(self, role: Role) -> None:
        """``role`` broke the protocol (or gave up): it is in ERROR for good."""
        if role is CLIENT:
            self.client = ERROR
        else:
            self.server = ERROR
        self._settle()

    def turn_off_keep_alive(self) -> None:
        """A message said ``Connection: close`` or was HTTP/1.0: no reuse after this cycle."""
        self.keep_alive = False
        self._settle()

    def propose_switch(self, switch_event: Sentinel) -> None:
        """The client's request proposes ``_SWITCH_UPGRADE`` or ``_SWITCH_CONNECT``."""
        self.proposals_pending.add(switch_event)
        self._settle()

    def on_event(self, role: Role, event_type: type, server_switch_event: Sentinel | None = None) -> None:
        """Move ``role`` along ``TRANSITIONS`` for an event of ``event_type`` it sent.

        Raises:
            LocalProtocolError: the event is not legal now (nothing is changed).
        """
        key: EventKey = event_type
        if server_switch_event is not None:
            if server_switch_event not in self.proposals_pending:
                raise reject(
                    "unexpected-switch",
                    f"Received server {server_switch_event!r} event without a pending proposal",
                    local=True,
                )
            key = server_switch_event
        elif event_type is Response:
            # Any non-switch Response, even an illegal one (e.g. sent by the client), denies the
            # pending proposals, before legality is checked (observed h11 0.16 behaviour).
            self.proposals_pending.clear()
        current = self.client if role is CLIENT else self.server
        new = TRANSITIONS.get((role, current, key))
        if new is None and server_switch_event is not None and h11_rule("request-when-server-not-idle"):
            # h11 0.16 keys a switching response by a tuple and fails formatting its error message too.
            raise AttributeError("request-when-server-not-idle: h11 0.16 raises AttributeError")
        if new is None:
            raise LocalProtocolError(
                f"can't handle event type {_key_name(key)} when role={role!r} and state={current!r}"
            )
        if role is CLIENT:
            if event_type is Request:
                # differences: request-when-server-not-idle (a normal LPE, not AttributeError).
                server_new = TRANSITIONS.get((SERVER, self.server, _CLIENT_REQUEST))
                if server_new is None and h11_rule("request-when-server-not-idle"):
                    # h11 0.16 fails formatting its error message here: an AttributeError escapes
                    # (the caller's role still goes to ERROR).
                    raise AttributeError("request-when-server-not-idle: h11 0.16 raises AttributeError")
                if server_new is None:
                    raise LocalProtocolError(
                        f"can't handle event type Request when role=SERVER and state={self.server!r}"
                    )
                self.server = server_new
            self.client = new
        else:
            self.server = new
        self._settle()

    def _settle(self) -> None:
        # Applied to a fixed point; each rule is idempotent, so the loop ends within a few rounds.
        while True:
            client, server = self.client, self.server
            if self.proposals_pending:
                # Rule 1 (before keep-alive, so a denied HTTP/1.0 CONNECT ends in MUST_CLOSE).
                if client is DONE:
                    client = MIGHT_SWITCH_PROTOCOL
            elif client is MIGHT_SWITCH_PROTOCOL:
                client = DONE
            if not self.keep_alive:
                if client is DONE:
                    client = MUST_CLOSE
                if server is DONE:
                    server = MUST_CLOSE
            joint = JOINT_RULES.get((client, server))
            if joint is not None:
                client, server = joint
            if client is self.client and server is self.server:
                return
            self.client, self.server = client, server

    def start_next_cycle(self) -> None:
        """Both sides DONE: back to IDLE/IDLE for the next request on the same connection.

        Raises:
            LocalProtocolError: not both DONE; nothing is changed.
        """
        if self.client is not DONE or self.server is not DONE:
            raise LocalProtocolError(f"not in a reusable state. self.states={self.states}")
        # DONE/DONE implies keep-alive is on and no switch is pending.
        self.client = IDLE
        self.server = IDLE


def state_diagram() -> str:
    """The two state machines as Graphviz DOT, generated from ``TRANSITIONS`` and ``JOINT_RULES``.

    Event-triggered moves are solid edges labelled with the event key; the state-triggered rules
    (switch proposals, keep-alive, joint rules) are dashed edges. Render with ``dot -Tsvg``.

    Returns:
        The DOT source, one ``digraph`` with a cluster per role.
    """
    lines = ["digraph h11_states {", "  rankdir=LR;", "  node [shape=box];"]
    for role, states in STATES.items():
        name = repr(role)
        lines.append(f"  subgraph cluster_{name} {{")
        lines.append(f'    label="{name}";')
        for state in states:
            lines.append(f'    "{name}.{state!r}" [label="{state!r}"];')
        for (edge_role, state, key), new in TRANSITIONS.items():
            if edge_role is role and new is not None:
                lines.append(f'    "{name}.{state!r}" -> "{name}.{new!r}" [label="{_key_name(key)}"];')
        lines.append("  }")
    rules = [
        (CLIENT, DONE, MIGHT_SWITCH_PROTOCOL, "switch proposed"),
        (CLIENT, MIGHT_SWITCH_PROTOCOL, DONE, "switch denied"),
        (CLIENT, DONE, MUST_CLOSE, "keep-alive off"),
        (SERVER, DONE, MUST_CLOSE, "keep-alive off"),
    ]
    for (client, server), (new_client, new_server) in JOINT_RULES.items():
        if new_client is not client:
            rules.append((CLIENT, client, new_client, f"server {server!r}"))
        if new_server is not server:
            rules.append((SERVER, server, new_server, f"client {client!r}"))
    for role, state, new, why in rules:
        name = repr(role)
        lines.append(f'  "{name}.{state!r}" -> "{name}.{new!r}" [style=dashed, label="{why}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
