"""Parse-only adapters over the reference: ``Adapter`` (no bug) and ``ClLastWins`` (one planted RFC bug).

They stand for a library that can only parse, like the shipped httptools and aiohttp adapters: the
Connection has ``receive_data``, ``next_event``, ``trailing_data`` and the request hook
``h11spec_expect_response_to``, and no ``send``, no states, no ``start_next_cycle``. Like llhttp, they read
pipelined messages back to back without ``PAUSED``: each message is read by a fresh reference Connection
fed what the previous one left unread, so they also read on where the reference would stop (after a
``Connection: close``, say), which the differential must not hold against them.

``ClLastWins`` reads through ``tests.faults.fuzz.cl_last_wins``: of two different Content-Length values it
takes the last, where RFC 9112 §6.3 rule 5 says "the recipient MUST treat it as an unrecoverable error".
Run them with ``--impl tests.faults.fuzz.parse_only:Adapter`` (or ``:ClLastWins``, ``:RequestsOnly``).
"""

from __future__ import annotations

from typing import Any

from conformance.targets.capabilities import (
    EVENT_SIZE_LIMIT,
    PARSE_REQUESTS,
    PARSE_RESPONSES,
    REQUEST_CONTEXT,
)
from tests.faults.fuzz import cl_last_wins
from tests.faults.fuzz._base import BASE

FUZZ_TARGET = "differential"  # the target that must find ClLastWins's bug


def _request(method: bytes) -> Any:
    """The request a client reading responses to ``method`` is assumed to have sent."""
    host = b"a:443" if method == b"CONNECT" else b"a"
    target = host if method == b"CONNECT" else b"/"
    return BASE.Request(method=method, target=target, headers=[(b"Host", host)])


class Connection:
    """One side that can only read: every message by a fresh ``PARSER`` (a reference Connection class)."""

    PARSER: Any = BASE.Connection

    def __init__(self, our_role: Any, max_incomplete_event_size: int = 16384) -> None:
        if our_role not in (BASE.CLIENT, BASE.SERVER):
            raise ValueError(f"our_role must be CLIENT or SERVER, not {our_role!r}")
        self.our_role = our_role
        self._limit = max_incomplete_event_size
        self._method = b"GET"
        self._eof = False
        self._ended = False  # the last event handed out ended a message
        self._parser: Any = None  # built on first use, once the hook may have named the method

    def h11spec_expect_response_to(self, method: bytes) -> None:
        """The driver's hook: the responses read from now on answer requests with ``method``."""
        self._method = bytes(method)

    def _fresh(self, data: bytes) -> Any:
        parser = self.PARSER(self.our_role, max_incomplete_event_size=self._limit)
        if self.our_role is BASE.CLIENT:
            parser.send(_request(self._method))
            parser.send(BASE.EndOfMessage())
        if data:
            parser.receive_data(data)
        if self._eof:
            parser.receive_data(b"")
        return parser

    def _current(self) -> Any:
        if self._parser is None:
            self._parser = self._fresh(b"")
        return self._parser

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes received and not read (after a protocol switch), and whether EOF was seen."""
        data: bytes
        data, closed = self._current().trailing_data
        return (bytes(data), bool(closed))

    def receive_data(self, data: bytes) -> None:
        """Buffer ``data``; empty data means the peer closed its side."""
        self._current().receive_data(data)
        if not data:
            self._eof = True

    def next_event(self) -> Any:
        """The next event; past a complete message, the next message's, read by a fresh parser."""
        parser = self._current()
        if self._ended and parser.their_state not in (BASE.MIGHT_SWITCH_PROTOCOL, BASE.SWITCHED_PROTOCOL):
            parser = self._parser = self._fresh(bytes(parser.trailing_data[0]))
        event = parser.next_event()
        self._ended = isinstance(event, BASE.EndOfMessage)
        return event


class ClLastWinsConnection(Connection):
    """The same, each message read by the reference with the last-Content-Length-wins bug."""

    PARSER = cl_last_wins.Connection


class Adapter:
    """The namespace ``--impl tests.faults.fuzz.parse_only:Adapter`` names: parse only, no bug."""

    # The reference's own max_incomplete_event_size is passed on: the reference's limit is this one's.
    H11SPEC_CAPABILITIES = frozenset({PARSE_REQUESTS, PARSE_RESPONSES, REQUEST_CONTEXT, EVENT_SIZE_LIMIT})
    H11SPEC_VERSION = "parse-only reference"

    Connection: Any = Connection
    Event = BASE.Event
    Request = BASE.Request
    InformationalResponse = BASE.InformationalResponse
    Response = BASE.Response
    Data = BASE.Data
    EndOfMessage = BASE.EndOfMessage
    ConnectionClosed = BASE.ConnectionClosed
    NEED_DATA = BASE.NEED_DATA
    PAUSED = BASE.PAUSED
    CLIENT = BASE.CLIENT
    SERVER = BASE.SERVER
    ProtocolError = BASE.ProtocolError
    LocalProtocolError = BASE.LocalProtocolError
    RemoteProtocolError = BASE.RemoteProtocolError


class ClLastWins(Adapter):
    """``--impl tests.faults.fuzz.parse_only:ClLastWins``: parse only, takes the last Content-Length."""

    H11SPEC_VERSION = "parse-only reference, last Content-Length wins"
    Connection = ClLastWinsConnection


class RequestsOnly(Adapter):
    """``--impl tests.faults.fuzz.parse_only:RequestsOnly``: reads requests only (no CLIENT, no hook)."""

    H11SPEC_CAPABILITIES = frozenset({PARSE_REQUESTS, EVENT_SIZE_LIMIT})
    H11SPEC_VERSION = "parse-only reference, requests only"
