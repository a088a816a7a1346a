"""``Connection``: one side of an HTTP/1.1 connection, sans I/O.

Theory of operation: the caller pushes received bytes in with ``receive_data`` and pulls events out
with ``next_event``; it hands events to ``send`` and writes the bytes it gets back. Between the two
directions sits the ``RoleStates`` machine (state.py). Every event, sent or received, goes
through ``_apply_event``, which records what the event means (request method, keep-alive, switch
proposals, 100-continue, the peer's HTTP version), moves the state machine, and then re-selects the
reader for the peer's state and the writer for ours (readers.py / writers.py tables). Entering
SEND_BODY picks a body reader or writer from the message framing (``body_framing``, RFC 9112 §6.3).

Error discipline (the contract the harness relies on): a bad event from the caller raises
``LocalProtocolError`` and puts *our* role in ERROR; bad bytes from the peer raise
``RemoteProtocolError`` (an LPE from shared code has its class swapped) and put *their* role in ERROR.
"""

from __future__ import annotations

from typing import Any

from conformance.reference.choices import context as choice_context
from conformance.reference.differences import h11_rule
from conformance.reference.errors import LocalProtocolError, RemoteProtocolError
from conformance.reference.events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    Request,
    Response,
)
from conformance.reference.headers import (
    Headers,
    field_tokens,
    replace_field,
)
from conformance.reference.readers import BODY_READERS, CONNECT_READERS, READERS, InBuffer, too_long
from conformance.reference.rejections import reject
from conformance.reference.sentinels import (
    _SWITCH_CONNECT,
    _SWITCH_UPGRADE,
    CLIENT,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    NEED_DATA,
    PAUSED,
    SEND_BODY,
    SERVER,
    SWITCHED_PROTOCOL,
    Sentinel,
)
from conformance.reference.state import RoleStates
from conformance.reference.writers import BODY_WRITERS, WRITERS, check_connect_response

__all__ = ["INCOMPLETE_LIMIT_DEFAULT", "Connection", "body_framing"]

INCOMPLETE_LIMIT_DEFAULT = 16 * 1024


_INTERESTING = frozenset((b"transfer-encoding", b"content-length", b"connection", b"upgrade", b"expect"))


class _Info:
    """What one scan of a message's headers tells the connection (framing, keep-alive, switch)."""

    __slots__ = (
        "chunked_final",
        "close",
        "content_length",
        "expect_continue",
        "transfer_encoding",
        "upgrade",
    )

    def __init__(self, headers: Headers) -> None:
        self.transfer_encoding = False
        self.chunked_final = True  # the last Transfer-Encoding line ends in chunked (the reader checked)
        self.content_length: bytes | None = None
        self.close = False
        self.upgrade = False
        self.expect_continue = False
        for _, name, value in headers._full_items:
            if name not in _INTERESTING:
                continue
            if name == b"transfer-encoding":
                self.transfer_encoding = True
                self.chunked_final = value.rsplit(b",", 1)[-1].strip() == b"chunked"
            elif name == b"content-length":
                self.content_length = value
            else:
                tokens = [piece.strip() for piece in value.lower().split(b",")]
                if name == b"connection":
                    self.close = self.close or b"close" in tokens
                elif name == b"upgrade":
                    self.upgrade = self.upgrade or any(tokens)
                else:
                    self.expect_continue = self.expect_continue or b"100-continue" in tokens


def body_framing(request_method: bytes | None, event: Request | Response) -> tuple[str, int]:
    """How the body after ``event`` is delimited (RFC 9112 §6.3, in h11's order).

    Returns:
        ``("content-length", n)``, ``("chunked", 0)`` or ``("http/1.0", 0)`` (read until close).
    """
    return _framing(request_method, event, _Info(event.headers))


def _framing(request_method: bytes | None, event: Request | Response, info: _Info) -> tuple[str, int]:
    if type(event) is Response:
        status = event.status_code
        if (
            status == 204
            or status == 304
            or request_method == b"HEAD"
            or (request_method == b"CONNECT" and 200 <= status < 300)
        ):
            return ("content-length", 0)
    if info.transfer_encoding:
        # choices: te-not-chunked-response (close-delimited): chunked not final, read until close.
        return ("chunked", 0) if info.chunked_final else ("http/1.0", 0)
    length = info.content_length
    if length is not None:
        return ("content-length", int(length.lstrip(b"0") or b"0"))  # choices: long-numeral
    if type(event) is Request:
        return ("content-length", 0)
    return ("http/1.0", 0)


def _keeps_alive(event: Request | Response, info: _Info) -> bool:
    """Whether this message lets the connection be reused (RFC 9112 §9.3)."""
    if event.http_version < b"1.1" or info.close:
        return False
    # differences: cl-te-keepalive (RFC 9112 §6.1): both framing fields => close afterwards.
    both = info.transfer_encoding and info.content_length is not None
    return not both or h11_rule("cl-te-keepalive")


class Connection:
    """One side (``our_role`` CLIENT or SERVER) of an HTTP/1.1 connection."""

    def __init__(
        self,
        our_role: Any,
        max_incomplete_event_size: int = INCOMPLETE_LIMIT_DEFAULT,
    ) -> None:
        self._size_limit = max_incomplete_event_size
        if our_role not in (CLIENT, SERVER):
            raise ValueError(f"our_role must be CLIENT or SERVER, got {our_role!r}")
        self.our_role: Sentinel = our_role
        self.their_role: Sentinel = SERVER if our_role is CLIENT else CLIENT
        self._machine = RoleStates()
        self._writer: Any = WRITERS.get((our_role, self._machine.client))
        self._reader: Any = READERS.get((self.their_role, self._machine.client))
        # The internal switches of choices.py (not API): the assignment and where to record touches.
        self._receive_buffer = InBuffer(max_incomplete_event_size, *choice_context())
        self._receive_buffer_closed = False
        self.their_http_version: bytes | None = None
        self._request_method: bytes | None = None
        self.client_is_waiting_for_100_continue = False
        self._info: _Info | None = None

    # ---- state views -------------------------------------------------------------------------

    @property
    def states(self) -> dict[Sentinel, Sentinel]:
        """A fresh ``{CLIENT: state, SERVER: state}`` dict."""
        return self._machine.states

    @property
    def our_state(self) -> Sentinel:
        """Our role's state."""
        return self._machine.client if self.our_role is CLIENT else self._machine.server

    @property
    def their_state(self) -> Sentinel:
        """The peer's state."""
        return self._machine.server if self.our_role is CLIENT else self._machine.client

    @property
    def they_are_waiting_for_100_continue(self) -> bool:
        """The peer is a client that sent ``Expect: 100-continue`` and has had no answer yet."""
        return self.their_role is CLIENT and self.client_is_waiting_for_100_continue

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Unparsed received bytes and whether EOF was seen (the rest after a protocol switch)."""
        return (bytes(self._receive_buffer.data), self._receive_buffer_closed)

    # ---- lifecycle ---------------------------------------------------------------------------

    def start_next_cycle(self) -> None:
        """Reuse the connection after a complete request/response pair (both DONE).

        Raises:
            LocalProtocolError: not both DONE; nothing changes.
        """
        old_client, old_server = self._machine.client, self._machine.server
        self._machine.start_next_cycle()
        self._request_method = None
        # The peer's HTTP version is kept (h11 behaviour); the 100-continue flag cannot be set here.
        self._after_transition(old_client, old_server, None)

    def send_failed(self) -> None:
        """The caller could not write what we produced: our role goes to ERROR."""
        self._process_error(self.our_role)

    def _process_error(self, role: Sentinel) -> None:
        old_client, old_server = self._machine.client, self._machine.server
        self._machine.on_error(role)
        self._after_transition(old_client, old_server, None)

    # ---- the shared event path ---------------------------------------------------------------

    def _server_switch_event(self, event: Any) -> Sentinel | None:
        event_type = type(event)
        if event_type is InformationalResponse and event.status_code == 101:
            return _SWITCH_UPGRADE
        if (
            event_type is Response
            and _SWITCH_CONNECT in self._machine.proposals_pending
            and 200 <= event.status_code < 300
        ):
            return _SWITCH_CONNECT
        return None

    def _apply_event(self, role: Sentinel, event: Any, info: _Info | None = None) -> None:
        cstate = self._machine
        old_client, old_server = cstate.client, cstate.server
        event_type = type(event)
        if info is None and (event_type is Request or event_type is Response):
            info = _Info(event.headers)
        self._info = info
        if role is CLIENT and event_type is Request:
            assert info is not None
            if event.method == b"CONNECT":
                cstate.propose_switch(_SWITCH_CONNECT)
            # differences: upgrade-in-http10 (RFC 9110 §7.8: ignore Upgrade in HTTP/1.0).
            if info.upgrade and (event.http_version >= b"1.1" or h11_rule("upgrade-in-http10")):
                cstate.propose_switch(_SWITCH_UPGRADE)
        server_switch = self._server_switch_event(event) if role is SERVER else None
        denied_connect = (
            event_type is Response and server_switch is None and _SWITCH_CONNECT in cstate.proposals_pending
        )
        # choices: response-without-request, the client's side: reading a response that answered no
        # request, it may take the connection as closing (RFC 9112 §9.3.1).
        unsolicited = role is SERVER and self.our_role is CLIENT and cstate.server is IDLE
        cstate.on_event(role, event_type, server_switch)
        if unsolicited and self._receive_buffer.take("response-without-request") == "close":
            cstate.turn_off_keep_alive()
        # choices: denied-connect (RFC 9112 §9.3.1: a connection may close at any time; the client may
        # already have sent tunnel bytes after a CONNECT the server denies).
        if denied_connect and self._receive_buffer.take("denied-connect") == "close":
            cstate.turn_off_keep_alive()

        if info is not None:
            if event_type is Request:
                self._request_method = event.method
                # RFC 9110 §10.1.1 Expect: 100-continue bookkeeping (h11 only tracks it).
                if info.expect_continue and event.http_version >= b"1.1":
                    self.client_is_waiting_for_100_continue = True
            else:
                self.client_is_waiting_for_100_continue = False
            if role is self.their_role:
                self.their_http_version = event.http_version
            if not _keeps_alive(event, info):
                cstate.turn_off_keep_alive()
        elif event_type is InformationalResponse:
            self.client_is_waiting_for_100_continue = False
            if role is self.their_role:
                self.their_http_version = event.http_version
        elif role is CLIENT and (event_type is Data or event_type is EndOfMessage):
            self.client_is_waiting_for_100_continue = False

        self._after_transition(old_client, old_server, event)

    def _after_transition(self, old_client: Sentinel, old_server: Sentinel, event: Any) -> None:
        # Re-select the reader (peer's role) and writer (ours) for every role whose state moved.
        cstate = self._machine
        client, server = cstate.client, cstate.server
        if client is not old_client:
            self._select_io(CLIENT, client, event)
        if server is not old_server:
            self._select_io(SERVER, server, event)

    def _select_io(self, role: Sentinel, state: Sentinel, event: Any) -> None:
        ours = role is self.our_role
        io: Any
        if state is SEND_BODY:
            # Only a Request or Response enters SEND_BODY; its framing picks the body reader/writer.
            info = self._info if self._info is not None else _Info(event.headers)
            kind, length = _framing(self._request_method, event, info)
            table = BODY_WRITERS if ours else BODY_READERS
            # choices: connect-request-content (RFC 9110 §9.3.6: a CONNECT request has no content).
            framed = info.transfer_encoding or info.content_length is not None
            connect = not ours and role is CLIENT and framed and event.method == b"CONNECT"
            if connect and self._receive_buffer.take("connect-request-content") == "tunnel":
                kind, length = "content-length", 0
            io = table[kind](length) if kind == "content-length" else table[kind]()
            if kind == "chunked" and not ours:
                io.request = role is CLIENT  # a request's trailer section reaches the obs-fold point
            # choices: close-delimited-response (RFC 9112 §6.3: such a response ends with the close, so
            # the client may take the connection as closing at once).
            closing = kind == "http/1.0" and role is SERVER and not ours
            if closing and self._receive_buffer.take("close-delimited-response") == "close":
                self._machine.turn_off_keep_alive()
        elif ours:
            io = WRITERS.get((role, state))
        else:
            # A response to CONNECT is read knowing it (differences: connect-2xx-framing-ignored).
            io = (CONNECT_READERS if self._request_method == b"CONNECT" else READERS).get((role, state))
        if ours:
            self._writer = io
        else:
            self._reader = io

    # ---- receiving ---------------------------------------------------------------------------

    def receive_data(self, data: Any) -> None:
        """Add received bytes; empty bytes (or ``None``) means the peer closed.

        Raises:
            RuntimeError: data after EOF.
            TypeError: ``data`` is not bytes-like.
        """
        if data:
            if self._receive_buffer_closed:
                raise RuntimeError("receive_data after EOF: the peer already closed its side")
            self._receive_buffer += data
        else:
            self._receive_buffer_closed = True

    def next_event(self) -> Any:
        """The next event from the peer, ``NEED_DATA`` or ``PAUSED``.

        Raises:
            RemoteProtocolError: the peer broke the protocol, now or earlier (their role is ERROR).
        """
        cstate = self._machine
        state = cstate.server if self.our_role is CLIENT else cstate.client
        if state is ERROR:
            raise RemoteProtocolError("Can't receive data when peer state is ERROR")
        buf = self._receive_buffer
        try:
            # Nothing more is read after the peer's message until start_next_cycle (pipelining),
            # nor while a switch is pending or done (the rest belongs to the new protocol).
            if (state is DONE and buf.data) or state is MIGHT_SWITCH_PROTOCOL:
                return PAUSED
            if state is SWITCHED_PROTOCOL:
                return PAUSED
            # choices: bytes-after-close (RFC 9112 §9.6: the MUST is not to process them).
            if state is MUST_CLOSE and buf.data and buf.take("bytes-after-close") == "leave":
                return PAUSED
            event = self._reader(buf)
            if event is None:
                if buf.data or not self._receive_buffer_closed:
                    # An incomplete event is a prefix of the complete one, which the readers
                    # measure against the same limit (differences: size-limit-split-invariant).
                    if len(buf.data) > self._size_limit:
                        raise too_long()
                    if self._receive_buffer_closed:
                        raise reject("incomplete-message", "peer unexpectedly closed connection")
                    return NEED_DATA
                # A clean EOF: what it means depends on the reader (body readers say).
                read_eof = getattr(self._reader, "read_eof", None)
                event = read_eof() if read_eof is not None else ConnectionClosed()
            self._apply_event(self.their_role, event)
            return event
        except BaseException as exc:
            self._process_error(self.their_role)
            if isinstance(exc, LocalProtocolError):
                exc._as_remote_error()
            raise

    # ---- sending -----------------------------------------------------------------------------

    def send(self, event: Any) -> bytes | None:
        """The bytes to write for ``event`` (``None`` for ConnectionClosed).

        Raises:
            LocalProtocolError: the event is not allowed now or is malformed; our role is ERROR.
        """
        chunks_out = self.send_with_data_passthrough(event)
        if chunks_out is None:
            return None
        # Outside the guarded block, as in h11: a str payload raises TypeError without ERROR.
        return b"".join(chunks_out)

    def send_with_data_passthrough(self, event: Any) -> list[Any] | None:
        """Like ``send`` but a list of chunks, each Data payload passed through untouched.

        Raises:
            LocalProtocolError: as ``send``.
        """
        cstate = self._machine
        if (cstate.client if self.our_role is CLIENT else cstate.server) is ERROR:
            raise LocalProtocolError("Can't send data when our state is ERROR")
        try:
            if type(event) is Response:
                # choices: response-without-request (RFC 9112 §9.3.1: a connection may close at any time;
                # §9.6: the sender that intends to close SHOULD send "close"), before the headers are set.
                unsolicited = self.our_role is SERVER and cstate.server is IDLE
                if unsolicited and self._receive_buffer.take("response-without-request") == "close":
                    cstate.turn_off_keep_alive()
                event, info = self._automatic_response_headers(event)
            else:
                info = None
            writer = self._writer
            method = self._request_method
            self._apply_event(self.our_role, event, info)
            if type(event) is Response and method == b"CONNECT" and 200 <= event.status_code < 300:
                check_connect_response(event)
            if type(event) is ConnectionClosed:
                return None
            out: list[Any] = []
            writer(event, out)
            return out
        except BaseException:
            self._process_error(self.our_role)
            raise

    def _automatic_response_headers(self, response: Response) -> tuple[Response, _Info | None]:
        """The automatic response headers (framing, Connection: close), as a new Response.

        Returns:
            The new Response, and the header scan of it when the headers did not change (else None).
        """
        headers = response.headers
        method = self._request_method
        # A HEAD response carries the headers the GET response would have had (RFC 9110 §9.3.2).
        info = _Info(headers)
        kind, _ = _framing(b"GET" if method == b"HEAD" else method, response, info)
        need_close = False
        if kind == "chunked" or kind == "http/1.0":
            headers = replace_field(headers, b"content-length", [])
            version = self.their_http_version
            if version is None or version < b"1.1":
                # RFC 9112 §6.1: no chunked to an HTTP/1.0 peer (or one we have not heard from).
                headers = replace_field(headers, b"transfer-encoding", [])
                if method != b"HEAD":
                    need_close = True
            else:
                headers = replace_field(headers, b"transfer-encoding", [b"chunked"])
        if not self._machine.keep_alive or need_close:
            tokens = set(field_tokens(headers, b"connection"))
            tokens.discard(b"keep-alive")
            tokens.add(b"close")
            headers = replace_field(headers, b"connection", sorted(tokens))
        new: Response = object.__new__(Response)
        object.__setattr__(new, "headers", headers)
        object.__setattr__(new, "http_version", response.http_version)
        object.__setattr__(new, "reason", response.reason)
        object.__setattr__(new, "status_code", response.status_code)
        return new, (info if headers is response.headers else None)
