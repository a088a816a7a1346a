"""Turning events we send into bytes: one writer per (role, state), body writers per framing.

Theory of operation: a writer is a callable ``writer(event, out)`` appending byte chunks to the list
``out`` (a Data's payload object is appended untouched, so ``send_with_data_passthrough`` can hand it
to sendfile). ``WRITERS`` maps our ``(role, state)`` to the head writer; in SEND_BODY the writer is
chosen by the framing (``BODY_WRITERS``). Heads are written only as HTTP/1.1. The sender-side MUSTs
h11 does not enforce are checked here, each naming its entry in differences.py; like h11's writer
errors, they fire after the state machine has moved, and the connection then enters ERROR.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.reference.differences import h11_rule
from conformance.reference.errors import LocalProtocolError
from conformance.reference.events import (
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    Request,
    Response,
)
from conformance.reference.headers import Headers, has_comma_element
from conformance.reference.sentinels import CLIENT, IDLE, SEND_RESPONSE, SERVER, Sentinel

__all__ = ["BODY_WRITERS", "WRITERS", "write_headers"]

Out = list[Any]
Writer = Callable[[Event, Out], None]

_FRAMING_FIELDS = (b"content-length", b"transfer-encoding")
# RFC 9110 §6.5.1: fields whose definitions do not allow them in trailers (framing and routing).
_FORBIDDEN_TRAILERS = (b"content-length", b"transfer-encoding", b"host")


def write_headers(headers: Headers, out: Out) -> None:
    """Every Host field first, then the rest in order, raw casing, then the blank line."""
    items = headers._full_items
    for raw, name, value in items:
        if name == b"host":
            out.append(raw + b": " + value + b"\r\n")
    for raw, name, value in items:
        if name != b"host":
            out.append(raw + b": " + value + b"\r\n")
    out.append(b"\r\n")


def _framing_names(headers: Headers) -> set[bytes]:
    return {item[1] for item in headers._full_items if item[1] in _FRAMING_FIELDS}


def write_request(event: Event, out: Out) -> None:
    """A request head (RFC 9112 §3)."""
    assert type(event) is Request
    if event.http_version != b"1.1":
        raise LocalProtocolError("I only send HTTP/1.1")
    # differences: send-cl-with-te (RFC 9112 §6.2).
    if len(_framing_names(event.headers)) == 2 and not h11_rule("send-cl-with-te"):
        raise LocalProtocolError(
            "refusing to send Content-Length together with Transfer-Encoding (RFC 9112 §6.2)"
        )
    out.append(event.method + b" " + event.target + b" HTTP/1.1\r\n")
    write_headers(event.headers, out)


def _check_response_framing(event: InformationalResponse | Response) -> None:
    status = event.status_code
    names = _framing_names(event.headers)
    if names and (status < 200 or status == 204) and not h11_rule("send-framing-on-1xx-204"):
        # differences: send-framing-on-1xx-204 (RFC 9112 §6.1, RFC 9110 §8.6); for 1xx this also
        # covers send-cl-with-te.
        raise LocalProtocolError(
            f"refusing to send Content-Length or Transfer-Encoding in a {status} response"
            " (RFC 9112 §6.1, RFC 9110 §8.6)"
        )
    if len(names) == 2 and not h11_rule("send-cl-with-te"):
        # differences: send-cl-with-te (RFC 9112 §6.2): the automatic headers drop Content-Length
        # from chunked and close-delimited responses, but a 304 or a HEAD answer keeps both.
        raise LocalProtocolError(
            "refusing to send Content-Length together with Transfer-Encoding (RFC 9112 §6.2)"
        )
    if (
        status == 101
        and not has_comma_element(event.headers, b"upgrade")
        and not h11_rule("send-101-without-upgrade")
    ):
        # differences: send-101-without-upgrade (RFC 9110 §7.8).
        raise LocalProtocolError("a 101 response must carry an Upgrade header (RFC 9110 §7.8)")


def write_response(event: Event, out: Out) -> None:
    """A status line and headers (RFC 9112 §4), for a 1xx or a final response."""
    assert type(event) is Response or type(event) is InformationalResponse
    if event.http_version != b"1.1":
        raise LocalProtocolError("I only send HTTP/1.1")
    _check_response_framing(event)
    out.append(b"HTTP/1.1 %d %s\r\n" % (event.status_code, event.reason))
    write_headers(event.headers, out)


def check_connect_response(event: Response) -> None:
    """A 2xx answer to CONNECT carries no framing fields.

    Raises:
        LocalProtocolError: differences: send-framing-on-connect-2xx (RFC 9112 §6.1, RFC 9110 §8.6).
    """
    if _framing_names(event.headers) and not h11_rule("send-framing-on-connect-2xx"):
        raise LocalProtocolError(
            "refusing to send Content-Length or Transfer-Encoding in a 2xx response to CONNECT"
            " (RFC 9112 §6.1, RFC 9110 §8.6)"
        )


def _check_trailers(headers: Headers) -> None:
    # differences: send-framing-trailer (RFC 9110 §6.5.1).
    if h11_rule("send-framing-trailer"):
        return
    for _, name, _value in headers._full_items:
        if name in _FORBIDDEN_TRAILERS:
            raise LocalProtocolError(f"refusing to send {name.decode()} as a trailer field (RFC 9110 §6.5.1)")


class LengthBodyWriter:
    """A body of exactly the declared Content-Length."""

    __slots__ = ("_remaining",)

    def __init__(self, length: int) -> None:
        self._remaining = length

    def __call__(self, event: Event, out: Out) -> None:
        if type(event) is Data:
            self._remaining -= len(event.data)
            if self._remaining < 0:
                raise LocalProtocolError("Too much data for declared Content-Length")
            out.append(event.data)
            return
        assert type(event) is EndOfMessage
        if self._remaining:
            raise LocalProtocolError("Too little data for declared Content-Length")
        if event.headers:
            raise LocalProtocolError("Content-Length and trailers don't mix")


class ChunkBodyWriter:
    """The chunked transfer coding; an empty Data writes nothing (it would end the body)."""

    __slots__ = ()

    def __call__(self, event: Event, out: Out) -> None:
        if type(event) is Data:
            data = event.data
            # Truthiness, not len(): a falsy payload (even None) writes nothing, as h11.
            if data:
                out.append(b"%x\r\n" % len(data))
                out.append(data)
                out.append(b"\r\n")
            return
        assert type(event) is EndOfMessage
        _check_trailers(event.headers)
        out.append(b"0\r\n")
        write_headers(event.headers, out)


class UntilCloseWriter:
    """A close-delimited body: bytes as they are; the caller closes the connection."""

    __slots__ = ()

    def __call__(self, event: Event, out: Out) -> None:
        if type(event) is Data:
            out.append(event.data)
            return
        assert type(event) is EndOfMessage
        if event.headers:
            raise LocalProtocolError("can't send trailers to HTTP/1.0 client")


WRITERS: dict[tuple[Sentinel, Sentinel], Writer] = {
    (CLIENT, IDLE): write_request,
    (SERVER, IDLE): write_response,
    (SERVER, SEND_RESPONSE): write_response,
}

BODY_WRITERS: dict[str, Callable[..., Writer]] = {
    "chunked": ChunkBodyWriter,
    "content-length": LengthBodyWriter,
    "http/1.0": UntilCloseWriter,
}
