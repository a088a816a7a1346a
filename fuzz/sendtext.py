"""The send target's input grammar: bytes read as a loose description of the events to send.

Theory of operation: ``events_from_text`` reads the start line, header lines split at the first colon
(a bare LF stays inside the value), the body and optional trailers, and returns a ``SendPlan``: the
request a client-role plan sends first, and the events the side under test sends. Whatever the
implementation then puts on the wire is parsed by the reference (``fuzz.sending``).
"""

from __future__ import annotations

import dataclasses
import random
import zlib
from collections.abc import Sequence
from typing import Any

from conformance import drive
from conformance.drive import EventSpec

# ------------------------------------------------------------------------------------------------
# Send


@dataclasses.dataclass(frozen=True)
class SendPlan:
    """The events a send run sends, read from the fuzz input by ``events_from_text``."""

    role: str  # role of the implementation under test: "client" sends a request, "server" responses
    events: tuple[EventSpec, ...]
    request: EventSpec  # server role: the request it answers (client role: unused)
    request_wire: bytes = b""  # server role: that request's bytes, read by the implementation first


# Requests a server-role implementation receives before it answers: each is the wire form and the event
# the reference client sends to read the answer. Chosen by the input; all bodiless.
SEND_REQUESTS: tuple[tuple[bytes, EventSpec], ...] = (
    (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", drive.DEFAULT_REQUEST),
    (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", drive.DEFAULT_REQUEST),
    (
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        ("Request", {"method": b"HEAD", "target": b"/", "headers": [(b"Host", b"a")]}),
    ),
    (
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        ("Request", {"method": b"CONNECT", "target": b"a:443", "headers": [(b"Host", b"a:443")]}),
    ),
    (
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        (
            "Request",
            {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a"), (b"Connection", b"close")]},
        ),
    ),
    (
        b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
        (
            "Request",
            {
                "method": b"GET",
                "target": b"/chat",
                "headers": [(b"Host", b"a"), (b"Connection", b"upgrade"), (b"Upgrade", b"websocket")],
            },
        ),
    ),
)

# Header names whose values a server's send legitimately rewrites (docs/h11-behaviour.md §4.2, "Response
# clean-up"); they are left out when a sent Response is compared with what the reference read.
REWRITTEN = frozenset({b"content-length", b"transfer-encoding", b"connection"})


def _headers(lines: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
    """Field lines split at the first colon; the value loses its surrounding SP/HTAB (OWS), as a reader
    would strip it, so a value with a CR, LF or other byte in the middle is still sent as such."""
    headers = []
    for line in lines:
        name, _, value = line.partition(b":")
        headers.append((name, value.strip(b" \t")))
    return headers


def _head_event(line: bytes, header_lines: Sequence[bytes], role: str) -> EventSpec:
    parts = line.split(b" ", 2)
    headers = _headers(header_lines)
    if role == "client":
        version = parts[2] if len(parts) > 2 else b"HTTP/1.1"
        fields: dict[str, Any] = {
            "method": parts[0],
            "target": parts[1] if len(parts) > 1 else b"",
            "headers": headers,
            "http_version": version[5:] if version[:5].upper() == b"HTTP/" else version,
        }
        return ("Request", fields)
    code = parts[1] if len(parts) > 1 else b""
    status = int(code) if code.isdigit() and len(code) <= 6 else -1
    version = parts[0][5:] if parts[0][:5].upper() == b"HTTP/" else parts[0]
    cls = "InformationalResponse" if 100 <= status < 200 else "Response"
    reason = parts[2] if len(parts) > 2 else b""
    return (cls, {"status_code": status, "headers": headers, "reason": reason, "http_version": version})


def events_from_text(data: bytes) -> SendPlan:
    """Read ``data`` as a loose description of the events to send; nothing here validates anything.

    The format is HTTP/1.1 itself: a start line (a status line makes the implementation a server), header
    lines up to an empty line (split at the first colon; lines end at CRLF only, so a bare CR or LF stays
    inside a name or value), then the body, sent as up to three Data events cut where the input chooses,
    then EndOfMessage. A server reads further heads while the status is 1xx (InformationalResponse). If
    the body holds another empty line, what follows it is the EndOfMessage trailer lines.
    """
    role = "server" if data[:5].upper() == b"HTTP/" else "client"
    digest = zlib.crc32(data)
    request_wire, request = SEND_REQUESTS[digest % len(SEND_REQUESTS)]
    events: list[EventSpec] = []
    rest = data
    while True:
        head, blank, rest = rest.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        event = _head_event(lines[0], lines[1:], role)
        events.append(event)
        if not blank:
            return SendPlan(role, tuple(events), request, request_wire)
        if event[0] != "InformationalResponse":
            break
    body, blank, trailer = rest.partition(b"\r\n\r\n")
    rng = random.Random(digest)
    cuts = sorted(rng.sample(range(1, len(body)), min(2, len(body) - 1))) if len(body) > 1 else []
    events.extend(("Data", {"data": piece}) for piece in drive.split_at(body, cuts) if piece)
    trailers = _headers([line for line in trailer.split(b"\r\n") if line]) if blank else []
    events.append(("EndOfMessage", {"headers": trailers}))
    return SendPlan(role, tuple(events), request, request_wire)
