"""The events: what ``send`` takes and ``next_event`` returns.

Theory of operation: each event is a frozen dataclass with hand-written ``__slots__`` (not
``slots=True``, whose re-created class breaks the frozen ``__setattr__`` on Python 3.10/3.11)
and keyword-only fields (``Data`` also takes positionals), equal only to the same class with equal
fields, unhashable except ``ConnectionClosed``, exactly like h11's. The public constructors
validate and normalize (as_bytes, header rules, Host rules, method/target/reason grammar, status
range). The reader does not go through them: it has already checked the grammar, so it builds
events with ``_parsed=True`` or a private fast constructor, which only set the fields and run the
semantic checks the grammar cannot express (Host count and value). That is the main reason the
reference parses faster than h11.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.reference.abnf import (
    host_re,
    reason_phrase_re,
    request_target_re,
    token_re,
)
from conformance.reference.differences import h11_rule
from conformance.reference.errors import LocalProtocolError
from conformance.reference.headers import Headers, as_bytes, check_fields
from conformance.reference.rejections import reject

__all__ = [
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "Request",
    "Response",
]

_set = object.__setattr__
_HOST = b"host"


class Event:
    """Base class of every event; instantiable, but sending a bare ``Event`` is an LPE."""

    __slots__ = ()


def check_hosts(headers: Headers, http_version: bytes) -> None:
    """The RFC 9112 §3.2 Host rules for a request.

    Raises:
        LocalProtocolError: missing in HTTP/1.1, repeated in any version, or (differences:
            host-value-invalid) a value that is not ``uri-host [":" port]``.
    """
    host: bytes | None = None
    count = 0
    for _, name, value in headers._full_items:
        if name == _HOST:
            count += 1
            host = value
    if count == 0:
        if http_version == b"1.1":
            raise reject("host", "Missing mandatory Host: header", local=True)
        return
    if count > 1:
        raise reject("host", "Found multiple Host: headers", local=True)
    assert host is not None
    if not host_re.fullmatch(host) and not h11_rule("host-value-invalid"):
        raise reject("host", f"Invalid Host header {host!r}", local=True)


@dataclass(init=False, frozen=True)
class Request(Event):
    """A request head: method, target, headers and HTTP version (``b"1.1"`` by default)."""

    __slots__ = ("headers", "http_version", "method", "target")

    method: bytes
    headers: Headers
    target: bytes
    http_version: bytes

    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        *,
        method: Any,
        headers: Any,
        target: Any,
        http_version: Any = b"1.1",
        _parsed: bool = False,
    ) -> None:
        if _parsed:
            _set(self, "method", method)
            _set(self, "headers", headers)
            _set(self, "target", target)
            _set(self, "http_version", http_version)
            return
        method = as_bytes(method)
        target = as_bytes(target)
        http_version = as_bytes(http_version)
        headers = check_fields(headers)
        _set(self, "method", method)
        _set(self, "headers", headers)
        _set(self, "target", target)
        _set(self, "http_version", http_version)
        check_hosts(headers, http_version)
        if not token_re.fullmatch(method):
            raise reject("grammar-request-line", "Illegal method characters", local=True)
        if not request_target_re.fullmatch(target):
            raise reject("grammar-request-line", "Illegal target characters", local=True)

    @classmethod
    def _from_parser(cls, method: bytes, headers: Headers, target: bytes, http_version: bytes) -> Request:
        self = object.__new__(cls)
        _set(self, "method", method)
        _set(self, "headers", headers)
        _set(self, "target", target)
        _set(self, "http_version", http_version)
        check_hosts(headers, http_version)
        return self


def _status_code(raw: Any, cls: type, low: int, high: int) -> int:
    if not isinstance(raw, int):
        raise LocalProtocolError("status code must be integer")
    status_code = int(raw)  # IntEnum -> int
    if not low <= status_code < high:
        # A huge int has no decimal form past the interpreter's conversion limit: name it, don't print it.
        shown = status_code if abs(status_code) < 10**9 else f"a {status_code.bit_length()}-bit integer"
        raise reject(
            "grammar-status-line",
            f"{cls.__name__} status_code should be in range [{low}, {high}), not {shown}",
            local=True,
        )
    return status_code


def _reason(raw: Any) -> bytes:
    reason = as_bytes(raw)
    # differences: reason-phrase-injection (RFC 9112 §4 reason-phrase grammar).
    if not reason_phrase_re.fullmatch(reason) and not h11_rule("reason-phrase-injection"):
        raise reject("grammar-status-line", f"Illegal reason phrase {reason!r}", local=True)
    return reason


@dataclass(init=False, frozen=True)
class _ResponseBase(Event):
    """A response head: what 1xx and final responses share; ``STATUS_RANGE`` is the half-open range."""

    __slots__ = ("headers", "http_version", "reason", "status_code")

    STATUS_RANGE = (100, 1000)

    headers: Headers
    http_version: bytes
    reason: bytes
    status_code: int

    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        *,
        headers: Any,
        status_code: Any,
        http_version: Any = b"1.1",
        reason: Any = b"",
        _parsed: bool = False,
    ) -> None:
        if _parsed:
            _set(self, "headers", headers)
            _set(self, "http_version", http_version)
            _set(self, "reason", reason)
            _set(self, "status_code", status_code)
            return
        headers = check_fields(headers)
        http_version = as_bytes(http_version)
        reason = _reason(reason)
        _set(self, "headers", headers)
        _set(self, "http_version", http_version)
        _set(self, "reason", reason)
        _set(self, "status_code", _status_code(status_code, type(self), *self.STATUS_RANGE))


@dataclass(init=False, frozen=True)
class InformationalResponse(_ResponseBase):
    """A 1xx response head."""

    __slots__ = ()
    STATUS_RANGE = (100, 200)
    __hash__ = None  # the dataclass decorator would otherwise add a field hash


@dataclass(init=False, frozen=True)
class Response(_ResponseBase):
    """A final (2xx-9xx) response head."""

    __slots__ = ()
    STATUS_RANGE = (200, 1000)
    __hash__ = None  # the dataclass decorator would otherwise add a field hash


@dataclass(init=False, frozen=True)
class Data(Event):
    """A piece of body; ``chunk_start``/``chunk_end`` mark chunk boundaries when reading chunked."""

    __slots__ = ("chunk_end", "chunk_start", "data")

    data: Any
    chunk_start: bool
    chunk_end: bool

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, data: Any, chunk_start: bool = False, chunk_end: bool = False) -> None:
        _set(self, "data", data)
        _set(self, "chunk_start", chunk_start)
        _set(self, "chunk_end", chunk_end)


@dataclass(init=False, frozen=True)
class EndOfMessage(Event):
    """The end of a message body, with the trailer fields (empty ``Headers`` if none)."""

    __slots__ = ("headers",)

    headers: Headers

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, *, headers: Any = None, _parsed: bool = False) -> None:
        if headers is None:
            headers = Headers([])
        elif not _parsed:
            headers = check_fields(headers)
        _set(self, "headers", headers)


@dataclass(frozen=True)
class ConnectionClosed(Event):
    """The peer closed (or we close) the connection."""

    __slots__ = ()
