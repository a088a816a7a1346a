"""Building blocks for adapters: sentinels, the h11 event classes and the ProtocolError hierarchy.

Theory of operation: an adapter maps a foreign parser onto the h11 API; what it should not have to
write again is the vocabulary. Sentinels here are classes whose type is themselves (``type(X) is X``),
compared by identity, as the h11 API requires. Events are frozen dataclasses with h11's field names and
keyword-only constructors (``Data`` excepted); they store what they are given and validate nothing, so
an adapter that declares "event-validation" must do its own checking. Headers are kept as a tuple of
(lowercased name, value) pairs, which is how h11's ``Headers`` iterates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


class Sentinel(type):
    """The metaclass of sentinels; ``repr`` is the bare name."""

    def __repr__(cls) -> str:
        return cls.__name__


def sentinel(name: str, module: str) -> Any:
    """A new sentinel called ``name`` whose type is itself, attributed to ``module`` for pickling."""
    made: Any = Sentinel(name, (Sentinel,), {"__module__": module, "__qualname__": name})
    made.__class__ = made  # the trick that makes type(X) is X
    return made


class ProtocolError(Exception):
    """Base of the adapter's protocol errors; carries the status a server would answer with."""

    def __init__(self, msg: str, error_status_hint: int = 400) -> None:
        super().__init__(msg)
        self.error_status_hint = error_status_hint


class LocalProtocolError(ProtocolError):
    """We were asked to do something HTTP/1.1 forbids."""


class RemoteProtocolError(ProtocolError):
    """The peer sent bytes HTTP/1.1 forbids (or the wrapped parser rejects)."""


Headers = tuple[tuple[bytes, bytes], ...]


def headers_of(pairs: Iterable[tuple[bytes, bytes]]) -> Headers:
    """(lowercased name, value) pairs, as bytes."""
    return tuple((bytes(name).lower(), bytes(value)) for name, value in pairs)


@dataclasses.dataclass(frozen=True)
class Event:
    """Base of every event."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Request(Event):
    """A request head."""

    method: bytes
    headers: Headers
    target: bytes
    http_version: bytes = b"1.1"


@dataclasses.dataclass(frozen=True, kw_only=True)
class InformationalResponse(Event):
    """A 1xx response head."""

    headers: Headers
    http_version: bytes = b"1.1"
    reason: bytes = b""
    status_code: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Response(Event):
    """A final (2xx-9xx) response head."""

    headers: Headers
    http_version: bytes = b"1.1"
    reason: bytes = b""
    status_code: int


@dataclasses.dataclass(frozen=True)
class Data(Event):
    """A piece of message body."""

    data: bytes
    chunk_start: bool = False
    chunk_end: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class EndOfMessage(Event):
    """The end of a message, with its trailer fields."""

    headers: Headers = ()


@dataclasses.dataclass(frozen=True)
class ConnectionClosed(Event):
    """The peer closed the connection."""
