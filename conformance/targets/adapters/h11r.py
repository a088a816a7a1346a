"""An adapter for h11r (a sans-I/O HTTP/1.1 engine with a Rust core), parsing and sending.

Run it with ``--impl conformance.targets.adapters.h11r:Adapter``.

Theory of operation: h11r has h11's design (one ``Connection`` per side, ``receive_data``/``next_event``,
a per-side state machine, ``start_next_cycle``, ``trailing_data``) under other names, so the adapter only
translates, it never parses or frames anything itself:

- roles, states and receive statuses are h11r enum members (``Role.CLIENT``, ``State.IDLE``,
  ``ReceiveStatus.NEED_DATA``); the adapter maps them to and from ``kit`` sentinels by name;
- h11r's events cannot be constructed from Python (except ``EndOfMessage``) and use ``trailers`` for
  ``EndOfMessage``'s fields; received events become ``kit`` events, and ``send(event)`` calls the send
  method for the event's class (``send_request``, ``send_informational_response``, ``send_response``,
  ``send_data``, ``end_of_message``; ``ConnectionClosed`` is ``close()``);
- ``send_with_data_passthrough`` is ``send_data_parts``: the framing prefix, the data itself, the suffix;
- ``RemoteProtocolError.suggested_status_code`` is the status hint; h11r's ``LocalProtocolError`` and
  ``RemoteProtocolError`` become the kit's (the hierarchy the grading knows);
- h11 puts our side in ERROR when a send is refused; h11r leaves its state as it was, so the adapter keeps
  the h11 contract itself: after a refused send ``our_state`` is ERROR and every send raises
  ``LocalProtocolError``. h11r's documented ``ValueError`` for an invalid method, status or text is the h11
  API's ``LocalProtocolError``;
- ``max_incomplete_event_size`` is h11r's ``max_head_bytes``; ``their_http_version`` is
  ``peer_http_version``; ``they_are_waiting_for_100_continue`` is ``client_is_waiting_for_100_continue``
  seen from the server.

What h11r does not offer is not claimed: ``send_failed`` (no "send-failed") and validating event
constructors (the kit's events validate nothing, so no "event-validation": h11r validates when sending).
"""

from __future__ import annotations

from typing import Any

import h11r

from conformance.targets.adapters import kit
from conformance.targets.capabilities import (
    DATA_PASSTHROUGH,
    EXPECT_100,
    PARSE_REQUESTS,
    PARSE_RESPONSES,
    PROTOCOL_SWITCH,
    REQUEST_CONTEXT,
    SERIALIZE,
    STATE_MACHINE,
    STATUS_HINTS,
)

NEED_DATA = kit.sentinel("NEED_DATA", __name__)
PAUSED = kit.sentinel("PAUSED", __name__)
CLIENT = kit.sentinel("CLIENT", __name__)
SERVER = kit.sentinel("SERVER", __name__)
IDLE = kit.sentinel("IDLE", __name__)
SEND_RESPONSE = kit.sentinel("SEND_RESPONSE", __name__)
SEND_BODY = kit.sentinel("SEND_BODY", __name__)
DONE = kit.sentinel("DONE", __name__)
MUST_CLOSE = kit.sentinel("MUST_CLOSE", __name__)
CLOSED = kit.sentinel("CLOSED", __name__)
MIGHT_SWITCH_PROTOCOL = kit.sentinel("MIGHT_SWITCH_PROTOCOL", __name__)
SWITCHED_PROTOCOL = kit.sentinel("SWITCHED_PROTOCOL", __name__)
ERROR = kit.sentinel("ERROR", __name__)

Event = kit.Event
Request = kit.Request
InformationalResponse = kit.InformationalResponse
Response = kit.Response
Data = kit.Data
EndOfMessage = kit.EndOfMessage
ConnectionClosed = kit.ConnectionClosed
ProtocolError = kit.ProtocolError
LocalProtocolError = kit.LocalProtocolError
RemoteProtocolError = kit.RemoteProtocolError

_ROLES = {CLIENT: h11r.Role.CLIENT, SERVER: h11r.Role.SERVER}
# h11r's enum members are not hashable: they are matched by name.
_STATES = {
    s.__name__: s
    for s in (
        IDLE,
        SEND_RESPONSE,
        SEND_BODY,
        DONE,
        MUST_CLOSE,
        CLOSED,
        MIGHT_SWITCH_PROTOCOL,
        SWITCHED_PROTOCOL,
        ERROR,
    )
}


def _state(state: Any) -> Any:
    return _STATES[str(state).rpartition(".")[2]]


def _event(ev: Any) -> kit.Event:
    """A received h11r event as the kit event with h11's fields."""
    if isinstance(ev, h11r.Request):
        return Request(
            method=ev.method,
            target=ev.target,
            headers=kit.headers_of(ev.headers),
            http_version=ev.http_version,
        )
    if isinstance(ev, (h11r.Response, h11r.InformationalResponse)):
        cls = Response if isinstance(ev, h11r.Response) else InformationalResponse
        return cls(
            status_code=ev.status_code,
            headers=kit.headers_of(ev.headers),
            http_version=ev.http_version,
            reason=ev.reason,
        )
    if isinstance(ev, h11r.Data):
        return Data(ev.data, ev.chunk_start, ev.chunk_end)
    if isinstance(ev, h11r.EndOfMessage):
        return EndOfMessage(headers=kit.headers_of(ev.trailers))
    if isinstance(ev, h11r.ConnectionClosed):
        return ConnectionClosed()
    raise TypeError(f"h11r returned an event the adapter does not know: {ev!r}")


def _translated(exc: h11r.ProtocolError) -> kit.ProtocolError:
    if isinstance(exc, h11r.RemoteProtocolError):
        return RemoteProtocolError(str(exc), exc.suggested_status_code)  # type: ignore[arg-type]
    return LocalProtocolError(str(exc), 500)


class Connection:
    """h11r's ``Connection`` under the h11 API's names."""

    def __init__(self, our_role: Any, max_incomplete_event_size: int = 16384) -> None:
        if our_role not in _ROLES:
            raise ValueError(f"our_role must be CLIENT or SERVER, not {our_role!r}")
        self.our_role: Any = our_role
        self.their_role: Any = SERVER if our_role is CLIENT else CLIENT
        self._conn = h11r.Connection(_ROLES[our_role], max_head_bytes=max_incomplete_event_size)
        self._local_error: str | None = None  # h11's contract: a refused send leaves our side in ERROR
        self._remote_error = False  # the adapter refused the peer's message itself (see next_event)
        self._version_then: bytes | None = None  # their_http_version from before that refused message

    # -- receiving ---------------------------------------------------------------------------------

    def receive_data(self, data: bytes | bytearray | memoryview) -> None:
        """Hand received bytes to h11r; empty data means the peer closed its side."""
        try:
            self._conn.receive_data(bytes(data))
        except h11r.ProtocolError as exc:
            raise _translated(exc) from None

    def next_event(self) -> Any:
        """The next event, ``NEED_DATA`` or ``PAUSED``.

        Raises:
            RemoteProtocolError: h11r rejected the peer's bytes (with its suggested status).
        """
        if self._remote_error:
            raise RemoteProtocolError("cannot receive after an error", 400)
        version = self._conn.peer_http_version
        try:
            ev = self._conn.next_event()
        except h11r.ProtocolError as exc:
            raise _translated(exc) from None
        if isinstance(ev, h11r.ReceiveStatus):
            return NEED_DATA if ev == h11r.ReceiveStatus.NEED_DATA else PAUSED
        event = _event(ev)
        if self._local_error is not None and isinstance(event, Request):
            # h11's contract: a server in ERROR (after a refused send) cannot take a new request; the
            # peer's side goes to ERROR with it. h11r kept its own state, so the adapter refuses.
            self._remote_error, self._version_then = True, version
            raise RemoteProtocolError("cannot take a request when our state is ERROR", 400)
        return event

    # -- sending -----------------------------------------------------------------------------------

    def _send(self, event: Any) -> bytes | None:
        conn = self._conn
        if isinstance(event, Request):
            return conn.send_request(
                event.method, event.target, event.headers, http_version=event.http_version
            )
        if isinstance(event, (Response, InformationalResponse)):
            send = conn.send_response if isinstance(event, Response) else conn.send_informational_response
            return send(
                event.status_code, event.headers, reason=event.reason, http_version=event.http_version
            )
        if isinstance(event, Data):
            return conn.send_data(event.data)
        if isinstance(event, EndOfMessage):
            return conn.end_of_message(event.headers or None)
        if isinstance(event, ConnectionClosed):
            conn.close()
            return None
        raise LocalProtocolError(f"cannot send {event!r}: not an event")

    def send(self, event: Any) -> bytes | None:
        """The bytes that put ``event`` on the wire (None for ``ConnectionClosed``).

        Raises:
            LocalProtocolError: h11r refused to send it (its LocalProtocolError, or the ValueError it
                documents for an invalid method, status or text); our side is ERROR from then on.
        """
        if self._local_error is not None:
            raise LocalProtocolError(f"cannot send after an error ({self._local_error})", 500)
        try:
            return self._send(event)
        except (h11r.ProtocolError, ValueError) as exc:
            self._local_error = str(exc)
            raise LocalProtocolError(str(exc), 500) from None

    def send_with_data_passthrough(self, event: Any) -> list[Any]:
        """Like ``send``, but ``Data`` comes back as [prefix, the data, suffix] (empty parts left out)."""
        if not isinstance(event, Data):
            data = self.send(event)
            return [] if data is None else [data]
        try:
            parts = self._conn.send_data_parts(event.data)
        except h11r.ProtocolError as exc:
            raise _translated(exc) from None
        return [part for part in parts if len(part)]

    def start_next_cycle(self) -> None:
        """Reset both sides to IDLE after a completed exchange."""
        try:
            self._conn.start_next_cycle()
        except h11r.ProtocolError as exc:
            raise _translated(exc) from None

    # -- state -------------------------------------------------------------------------------------

    @property
    def our_state(self) -> Any:
        """Our side's state."""
        return ERROR if self._local_error is not None else _state(self._conn.local_state)

    @property
    def their_state(self) -> Any:
        """The peer's state (h11's contract after a refused send: a peer that is DONE while our side is
        ERROR must close, MUST_CLOSE)."""
        if self._remote_error:
            return ERROR
        state = _state(self._conn.peer_state)
        return MUST_CLOSE if state is DONE and self._local_error is not None else state

    @property
    def states(self) -> dict[Any, Any]:
        """Both states, keyed by role."""
        return {self.our_role: self.our_state, self.their_role: self.their_state}

    @property
    def their_http_version(self) -> bytes | None:
        """The peer's HTTP version, once its first head was read (not one the adapter refused)."""
        return self._version_then if self._remote_error else self._conn.peer_http_version

    @property
    def client_is_waiting_for_100_continue(self) -> bool:
        """The client sent ``Expect: 100-continue`` and no response has come yet."""
        return self._conn.client_is_waiting_for_100_continue

    @property
    def they_are_waiting_for_100_continue(self) -> bool:
        """We are the server and the client waits for 100 Continue."""
        return self.their_role is CLIENT and self._conn.client_is_waiting_for_100_continue

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes received but not parsed (after a protocol switch), and whether EOF was seen."""
        data, eof = self._conn.trailing_data
        return bytes(data), bool(eof)


class Adapter:
    """The namespace ``--impl conformance.targets.adapters.h11r:Adapter`` names."""

    H11SPEC_CAPABILITIES = frozenset(
        {
            PARSE_REQUESTS,
            PARSE_RESPONSES,
            SERIALIZE,
            STATE_MACHINE,
            PROTOCOL_SWITCH,
            EXPECT_100,
            DATA_PASSTHROUGH,
            REQUEST_CONTEXT,
            STATUS_HINTS,
        }
    )
    H11SPEC_VERSION = f"h11r {h11r.__version__}"

    Connection = Connection
    Event = Event
    Request = Request
    InformationalResponse = InformationalResponse
    Response = Response
    Data = Data
    EndOfMessage = EndOfMessage
    ConnectionClosed = ConnectionClosed
    NEED_DATA = NEED_DATA
    PAUSED = PAUSED
    CLIENT = CLIENT
    SERVER = SERVER
    IDLE = IDLE
    SEND_RESPONSE = SEND_RESPONSE
    SEND_BODY = SEND_BODY
    DONE = DONE
    MUST_CLOSE = MUST_CLOSE
    CLOSED = CLOSED
    MIGHT_SWITCH_PROTOCOL = MIGHT_SWITCH_PROTOCOL
    SWITCHED_PROTOCOL = SWITCHED_PROTOCOL
    ERROR = ERROR
    ProtocolError = ProtocolError
    LocalProtocolError = LocalProtocolError
    RemoteProtocolError = RemoteProtocolError
