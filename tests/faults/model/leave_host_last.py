"""Planted allowance (breaks nothing): bytes after close left unread, and Host sent last.

The reference with ``bytes-after-close=leave`` (RFC 9112 §9.6 leaves the recipient the choice, as h11r
takes it) whose sender writes a request's Host field after the other fields (RFC 9110 §7.2: "A user agent
that sends Host SHOULD send it as the first field in the header section of a request"; a SHOULD). The
bytes a closing server leaves unread are then not the reference's own bytes, yet they are what this
implementation received, and the model must not grade them.
"""

from __future__ import annotations

from typing import Any

from conformance.reference import choices
from tests.faults.model._base import BASE, wrap

LEAVE = {"bytes-after-close": "leave"}


def host_last(data: bytes) -> bytes:
    """A request head with its Host line moved to the end of the header section."""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    hosts = [line for line in lines[1:] if line.lower().startswith(b"host:")]
    others = [line for line in lines[1:] if not line.lower().startswith(b"host:")]
    return b"\r\n".join([lines[0], *others, *hosts]) + sep + body


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with choices.assign(LEAVE):
            super().__init__(*args, **kwargs)

    def send(self, event: Any) -> Any:
        data = super().send(event)
        return host_last(data) if type(event) is BASE.Request and data is not None else data


API = wrap(Connection, "leave_host_last")
INVARIANT = None  # conforming: the model finds nothing
