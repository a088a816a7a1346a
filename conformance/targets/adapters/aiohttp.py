"""A parse-only adapter for aiohttp's HTTP/1.1 parsers: the C-accelerated one (llhttp) by default.

Run it with ``--impl conformance.targets.adapters.aiohttp:Adapter``; the pure-Python parsers
(``HttpRequestParserPy``/``HttpResponseParserPy``) are ``conformance.targets.adapters.aiohttp_py:Adapter``.

Theory of operation: aiohttp's parsers are pull-free: ``feed_data(data)`` returns the messages whose
heads completed, each with a ``StreamReader`` that the body bytes are pushed into, and ``feed_eof()``
ends the input. ``Connection`` keeps those (message, payload) pairs in a queue and hands out, for each,
the head event, the body bytes as ``Data`` whenever the payload has some (``read_nowait``), and
``EndOfMessage`` once the payload is at EOF. A ``SERVER`` Connection wraps a request parser, a
``CLIENT`` one a response parser built as aiohttp's client builds it (``read_until_eof=True``, no
decompression; the request method through the ``h11spec_expect_response_to`` hook: a response to HEAD
has no body). aiohttp's ``HttpProcessingError`` (``BadHttpMessage``, ``LineTooLong``...) becomes the
adapter's ``RemoteProtocolError`` with aiohttp's ``code`` as the status hint, whether ``feed_data`` or
``feed_eof`` raised it or it was set on a payload; anything else aiohttp raises escapes (a crash).

Choices the adapter makes, and what it cannot see:

- input is fed to aiohttp one byte at a time, and what each byte made available is handed out before
  the next is fed: ``feed_data`` raises on a bad byte without returning the messages it completed
  earlier in the same call, and the pure-Python parser sets body errors on the payload, where they
  would hide body bytes already buffered; any larger piece would make the events depend on how the
  input was split. The price: splits that only a multi-byte ``feed_data`` would show are not tested;
- aiohttp's parsers have no state machine and no ``send`` (aiohttp serialises in its async
  ``StreamWriter``, which needs a transport and a running loop): pipelined messages come out one after
  the other, without ``PAUSED``; after an Upgrade or CONNECT the rest is ``trailing_data`` and
  ``next_event`` returns ``PAUSED``;
- aiohttp drops trailer fields, so ``EndOfMessage`` never has any; ``Data`` never marks chunk
  boundaries; aiohttp's own size limits apply (8190-byte lines and fields, 128 fields), and
  ``max_incomplete_event_size`` is accepted but not used;
- EOF: aiohttp's ``feed_eof`` decides (it ends a body read until close, or raises for a cut body; a
  message it returns is the uncompleted one, which aiohttp's client turns into
  ``ServerDisconnectedError``, so here it is a ``RemoteProtocolError``);
  between messages EOF is ``ConnectionClosed``; a message still unfinished after ``feed_eof``, or bytes
  that gave no message (the pure-Python ``feed_eof`` swallows what it cannot parse), are judged here: a
  ``RemoteProtocolError``.

The StreamReaders need an event loop object but never wait on it; ``_IdleLoop`` is that object
(no selector, nothing to close).
"""

from __future__ import annotations

import collections
from typing import Any

import aiohttp
from aiohttp import http_exceptions, http_parser
from aiohttp.base_protocol import BaseProtocol

from conformance.targets.adapters import kit
from conformance.targets.capabilities import PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT, STATUS_HINTS

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

LIMIT = 2**16  # the StreamReader high-water mark aiohttp's own protocols use


class _IdleLoop:
    """What aiohttp's StreamReader asks of an event loop when nobody awaits it."""

    def get_debug(self) -> bool:
        return False

    def time(self) -> float:
        return 0.0


_LOOP: Any = _IdleLoop()


def _text(value: str | None) -> bytes:
    """aiohttp decodes start-line parts as UTF-8 with surrogateescape; this gives the bytes back.

    ``None`` (a start-line part aiohttp did not fill in) is passed on as empty bytes.
    """
    return b"" if value is None else value.encode("utf-8", "surrogateescape")


def _version(msg: Any) -> bytes:
    return f"{msg.version.major}.{msg.version.minor}".encode("ascii")


class Connection:
    """One side of an HTTP/1.1 connection that can only read, over one of aiohttp's parsers."""

    REQUEST_PARSER: Any = http_parser.HttpRequestParserC
    RESPONSE_PARSER: Any = http_parser.HttpResponseParserC
    RESPONSE_TAKES_METHOD = False

    def __init__(self, our_role: Any, max_incomplete_event_size: int = 16384) -> None:
        if our_role not in (CLIENT, SERVER):
            raise ValueError(f"our_role must be CLIENT or SERVER, not {our_role!r}")
        self.our_role: Any = our_role
        self.their_role: Any = SERVER if our_role is CLIENT else CLIENT
        self.max_incomplete_event_size = max_incomplete_event_size
        self._method = "GET"
        self._parser = self._new_parser()
        self._queue: collections.deque[tuple[Any, Any]] = collections.deque()  # (message, payload)
        self._head_sent = False
        self._unparsed = bytearray()
        self._eof = False
        self._eof_fed = False
        self._switched = False
        self._trailing = bytearray()
        self._rejected: RemoteProtocolError | None = None  # aiohttp's error, raised once the queue drains
        self._broken: str | None = None
        self._partial = False  # bytes of a head were fed that gave no message yet
        self._owed = False  # a client read a 1xx: its final response is still owed

    def _new_parser(self) -> Any:
        protocol = BaseProtocol(_LOOP)
        if self.our_role is SERVER:
            return self.REQUEST_PARSER(protocol, _LOOP, LIMIT, auto_decompress=False)
        # The C parser learns about HEAD from response_with_body alone; the Python one also takes method.
        by_method = {"method": self._method} if self.RESPONSE_TAKES_METHOD else {}
        return self.RESPONSE_PARSER(
            protocol,
            _LOOP,
            LIMIT,
            response_with_body=self._method != "HEAD",
            read_until_eof=True,
            auto_decompress=False,
            **by_method,
        )

    def h11spec_expect_response_to(self, method: bytes) -> None:
        """The driver's hook: the responses read from now on answer requests with ``method``."""
        self._method = bytes(method).decode("ascii", "replace")
        self._parser = self._new_parser()

    # -- feeding aiohttp ---------------------------------------------------------------------------

    @staticmethod
    def _rejection(exc: http_exceptions.HttpProcessingError) -> RemoteProtocolError:
        return RemoteProtocolError(f"aiohttp: {type(exc).__name__}: {exc.message}", exc.code)

    def _feed_one(self) -> None:
        """Feed the next unparsed byte; note a rejection or a protocol switch."""
        byte = bytes(self._unparsed[:1])
        del self._unparsed[:1]
        try:
            messages, upgraded, tail = self._parser.feed_data(byte)
        except http_exceptions.HttpProcessingError as exc:
            self._rejected = self._rejection(exc)
            return
        self._queue.extend(messages)
        self._partial = not messages and not self._queue
        if upgraded:
            self._switched = True
            self._trailing += tail + self._unparsed
            self._unparsed.clear()

    def _feed_eof(self) -> None:
        self._eof_fed = True
        try:
            message = self._parser.feed_eof()
        except http_exceptions.HttpProcessingError as exc:
            self._rejected = self._rejection(exc)
            return
        if message is not None:  # what aiohttp's client reports as the uncompleted message at EOF
            self._rejected = RemoteProtocolError("peer closed the connection in the middle of a head", 400)

    # -- events ------------------------------------------------------------------------------------

    def _head(self, msg: Any) -> kit.Event:
        headers = kit.headers_of(msg.raw_headers)
        if self.our_role is SERVER:
            return Request(
                method=_text(msg.method), target=_text(msg.path), headers=headers, http_version=_version(msg)
            )
        cls = InformationalResponse if msg.code < 200 else Response
        return cls(
            status_code=msg.code, headers=headers, http_version=_version(msg), reason=_text(msg.reason)
        )

    def _from_queue(self) -> kit.Event | None:
        """The next event of the message at the front of the queue, or None until its body has more."""
        while self._queue:
            msg, payload = self._queue[0]
            if not self._head_sent:
                self._head_sent = True
                self._owed = self.our_role is CLIENT and msg.code < 200
                return self._head(msg)
            if self.our_role is CLIENT and msg.code < 200:  # no body, no EndOfMessage
                self._queue.popleft()
                self._head_sent = False
                continue
            if payload is not None:
                exc = payload.exception()
                if isinstance(exc, http_exceptions.HttpProcessingError):
                    raise self._fail(self._rejection(exc))
                if exc is not None:
                    raise exc
                body = payload.read_nowait()
                if body:
                    return Data(bytes(body))
                if not payload.is_eof():
                    return None
            self._queue.popleft()
            self._head_sent = False
            return EndOfMessage()
        return None

    def _fail(self, error: RemoteProtocolError) -> RemoteProtocolError:
        self._broken = str(error)
        return error

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes not parsed as HTTP/1.1 (after an Upgrade or CONNECT), and whether EOF was seen."""
        return bytes(self._trailing + self._unparsed) if self._switched else bytes(self._unparsed), self._eof

    def receive_data(self, data: bytes | bytearray | memoryview | None) -> None:
        """Buffer ``data``; empty data (or None) means the peer closed its side."""
        if data:
            if self._eof:
                raise RuntimeError("received data after the end of input")
            if self._switched:
                self._trailing += data
            else:
                self._unparsed += data
        else:
            self._eof = True

    def next_event(self) -> Any:
        """The next event, ``NEED_DATA``, or ``PAUSED`` after a protocol switch.

        Raises:
            RemoteProtocolError: aiohttp rejected the bytes, or the input ended mid-message.
        """
        if self._broken is not None:
            raise RemoteProtocolError(f"cannot read after an error ({self._broken})", 400)
        # One byte at a time, taking what each byte made available before the next: the events, and where
        # an error falls among them, are then the same however the input was split.
        event = self._from_queue()
        while event is None and self._unparsed and self._rejected is None and not self._switched:
            self._feed_one()
            event = self._from_queue()
        if event is not None:
            return event
        if self._rejected is not None:
            raise self._fail(self._rejected)
        if self._switched:
            return PAUSED
        if not self._eof:
            return NEED_DATA
        if not self._eof_fed:
            self._feed_eof()
            return self.next_event()
        if self._queue or self._partial or self._owed:
            raise self._fail(
                RemoteProtocolError("peer closed the connection in the middle of a message", 400)
            )
        return ConnectionClosed()


class Adapter:
    """The namespace ``--impl conformance.targets.adapters.aiohttp:Adapter`` names."""

    H11SPEC_CAPABILITIES = frozenset({PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT, STATUS_HINTS})
    H11SPEC_VERSION = f"aiohttp {aiohttp.__version__} (C parser)"

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
