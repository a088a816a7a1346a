"""A parse-only adapter for httptools (the Python binding of llhttp, Node.js's HTTP parser).

Run it with ``--impl conformance.targets.adapters.httptools:Adapter``.

Theory of operation: httptools pushes callbacks (``on_url``, ``on_header``, ``on_body``...) while
``feed_data`` runs; the h11 API pulls events with ``next_event``. ``Connection`` bridges the two:
``receive_data`` only buffers (as in h11, it never parses or raises), and ``next_event`` feeds the
buffer to the parser, turns the callbacks into events in a queue and hands them out one at a time.
A ``SERVER`` Connection wraps ``HttpRequestParser``, a ``CLIENT`` one ``HttpResponseParser``. An
``HttpParserError`` becomes the adapter's ``RemoteProtocolError`` (status hint 400), raised after
the events llhttp emitted before the bad byte (so every split of the input gives the same events),
and the connection stays broken, as h11's does after an error.

What httptools cannot do, the adapter does not pretend to:

- no ``send`` (llhttp only parses), hence no "serialize", and no state machine: pipelined messages
  come out one after the other without ``PAUSED`` or ``start_next_cycle``;
- httptools has no end-of-input call (llhttp's ``llhttp_finish`` is not exposed), so EOF is judged
  here: between messages it is ``ConnectionClosed``; in a response body that runs until close it is
  ``EndOfMessage``; anywhere else it is a ``RemoteProtocolError`` (message cut short);
- an Upgrade or CONNECT makes llhttp stop (``HttpParserUpgrade``): the bytes after the head are
  kept in ``trailing_data`` and ``next_event`` returns ``PAUSED`` from then on;
- httptools cannot be told the request method, so the adapter offers the driver's hook
  ``h11spec_expect_response_to(method)``: after ``HEAD`` the input is fed one byte at a time up to the end
  of each response head, the head becomes ``Response`` plus ``EndOfMessage`` (no body, RFC 9112 §6.3) and
  a fresh parser reads what follows; after ``CONNECT`` a 2xx head ends HTTP/1.1 and the rest is
  ``trailing_data``, as after an Upgrade;
- chunk boundaries are not reported (``Data.chunk_start``/``chunk_end`` stay False) and
  ``max_incomplete_event_size`` is accepted but not enforced.

The capabilities are therefore declared, not guessed: parse-requests, parse-responses and
request-context. llhttp's errors carry no status, so every rejection's hint is the 400 of a bad request:
status-hints is not claimed, and the catalog grades rejections by their class alone.
"""

from __future__ import annotations

import collections
from typing import Any

import httptools

from conformance.targets.adapters import kit
from conformance.targets.capabilities import PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT

NEED_DATA = kit.sentinel("NEED_DATA", __name__)
PAUSED = kit.sentinel("PAUSED", __name__)
CLIENT = kit.sentinel("CLIENT", __name__)
SERVER = kit.sentinel("SERVER", __name__)

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

# Statuses whose responses never have a body (RFC 9112 §6.3 rule 1); 1xx are handled apart.
_NO_BODY_STATUSES = frozenset({204, 304})


class _HeadEnds(Exception):
    """Raised from on_headers_complete to stop llhttp where a bodiless response head ends."""


class Connection:
    """One side of an HTTP/1.1 connection that can only read: ``receive_data`` and ``next_event``."""

    def __init__(self, our_role: Any, max_incomplete_event_size: int = 16384) -> None:
        if our_role is SERVER:
            self._parser: Any = httptools.HttpRequestParser(self)
            self.their_role: Any = CLIENT
        elif our_role is CLIENT:
            self._parser = httptools.HttpResponseParser(self)
            self.their_role = SERVER
        else:
            raise ValueError(f"our_role must be CLIENT or SERVER, not {our_role!r}")
        self.our_role: Any = our_role
        self.max_incomplete_event_size = max_incomplete_event_size
        self._unparsed = bytearray()
        self._events: collections.deque[kit.Event] = collections.deque()
        self._eof = False
        self._broken: str | None = None  # the error that broke the connection
        self._rejected: str | None = None  # httptools' error, pending until the queue is drained
        self._switched = False
        self._trailing = b""
        self._method = b"GET"  # the method of the request the responses answer (the driver's hook)
        self._reset_message()
        self._in_message = False

    def _reset_message(self) -> None:
        self._in_message = True
        self._url = bytearray()
        self._reason = bytearray()
        self._headers: list[tuple[bytes, bytes]] = []
        self._trailers: list[tuple[bytes, bytes]] = []
        self._head_done = False
        self._informational = False
        self._until_close = False

    # -- httptools callbacks (called from inside feed_data) ----------------------------------------

    def on_message_begin(self) -> None:
        self._reset_message()

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_status(self, reason: bytes) -> None:
        self._reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        (self._trailers if self._head_done else self._headers).append((name, value))

    def on_headers_complete(self) -> None:
        self._head_done = True
        headers = kit.headers_of(self._headers)
        version = str(self._parser.get_http_version()).encode("ascii")
        if self.our_role is SERVER:
            method = bytes(self._parser.get_method())
            self._events.append(
                Request(method=method, target=bytes(self._url), headers=headers, http_version=version)
            )
            return
        status = int(self._parser.get_status_code())
        reason = bytes(self._reason)
        if 100 <= status < 200:
            self._informational = True
            self._events.append(
                InformationalResponse(
                    status_code=status, headers=headers, http_version=version, reason=reason
                )
            )
            return
        names = {name for name, _ in headers}
        framed = b"transfer-encoding" in names or b"content-length" in names
        self._until_close = not framed and status not in _NO_BODY_STATUSES
        self._events.append(
            Response(status_code=status, headers=headers, http_version=version, reason=reason)
        )
        if self._method == b"HEAD" or (self._method == b"CONNECT" and 200 <= status < 300):
            raise _HeadEnds

    def on_body(self, body: bytes) -> None:
        self._events.append(Data(bytes(body)))

    def on_message_complete(self) -> None:
        if not self._informational:
            self._events.append(EndOfMessage(headers=kit.headers_of(self._trailers)))
        self._in_message = self._informational  # after a 1xx the final response is still owed

    # -- the h11 API --------------------------------------------------------------------------------

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes received but not parsed (after an Upgrade/CONNECT), and whether EOF was seen."""
        return (
            self._trailing + bytes(self._unparsed) if self._switched else bytes(self._unparsed),
            self._eof,
        )

    def h11spec_expect_response_to(self, method: bytes) -> None:
        """The driver's hook: the responses read from now on answer requests with ``method``."""
        self._method = bytes(method)

    def _feed(self, data: bytes) -> None:
        """Feed ``data`` to llhttp; after HEAD or CONNECT, stop it where a response head ends."""
        if self._method not in (b"HEAD", b"CONNECT"):
            self._parser.feed_data(data)
            return
        for i in range(len(data)):
            try:
                self._parser.feed_data(data[i : i + 1])
            except httptools.HttpParserUpgrade as exc:  # its offset counts from this one byte
                raise httptools.HttpParserUpgrade(i + (int(exc.args[0]) if exc.args else 1)) from None
            except httptools.HttpParserCallbackError as exc:
                if not isinstance(exc.__context__, _HeadEnds):
                    raise
                self._parser = httptools.HttpResponseParser(self)
                if self._method == b"CONNECT":  # a 2xx: the tunnel is open
                    self._switched = True
                    self._trailing = data[i + 1 :]
                    return
                self.on_message_complete()  # HEAD: the response ends with its head

    def receive_data(self, data: bytes | bytearray | memoryview | None) -> None:
        """Buffer ``data``; empty data (or None) means the peer closed its side."""
        if data:
            if self._eof:
                raise RuntimeError("received data after the end of input")
            self._unparsed += data
        else:
            self._eof = True

    def _fail(self, message: str) -> RemoteProtocolError:
        self._broken = message
        return RemoteProtocolError(message, 400)

    def next_event(self) -> Any:
        """The next event, ``NEED_DATA``, or ``PAUSED`` after a protocol switch.

        Raises:
            RemoteProtocolError: httptools rejected the bytes, or the input ended mid-message.
        """
        if self._broken is not None:
            raise RemoteProtocolError(f"cannot read after an error ({self._broken})", 400)
        if self._unparsed and not self._switched and not self._events:
            data = bytes(self._unparsed)
            self._unparsed.clear()
            try:
                self._feed(data)
            except httptools.HttpParserUpgrade as exc:  # the head is done; the rest is not HTTP/1.1
                self._switched = True
                offset = int(exc.args[0]) if exc.args else len(data)
                self._trailing = data[offset:]
            except httptools.HttpParserError as exc:  # raised once the events before it are out
                self._rejected = f"httptools: {exc}"
        if self._events:
            return self._events.popleft()
        if self._rejected is not None:
            raise self._fail(self._rejected)
        if self._switched:
            return PAUSED
        if not self._eof:
            return NEED_DATA
        if not self._in_message:
            return ConnectionClosed()
        if self._head_done and self._until_close:
            self.on_message_complete()
            return self._events.popleft()
        raise self._fail("peer closed the connection in the middle of a message")


class Adapter:
    """The namespace ``--impl conformance.targets.adapters.httptools:Adapter`` names."""

    H11SPEC_CAPABILITIES = frozenset({PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT})
    H11SPEC_VERSION = f"httptools {httptools.__version__}"

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
    ProtocolError = ProtocolError
    LocalProtocolError = LocalProtocolError
    RemoteProtocolError = RemoteProtocolError
