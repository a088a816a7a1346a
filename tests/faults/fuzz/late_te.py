"""Late, not wrong: delivers a request's head before rejecting its invalid Transfer-Encoding.

The reference rejects a request whose Transfer-Encoding does not end in chunked inside the head (RFC 9112
§6.3: the server MUST respond with 400 and then close the connection), as h11 does. This one first
delivers the Request (the head without that field, as a parser that validates framing after its
headers-complete callback would) and raises on the next call. Both reject the same message, one event
apart: under the rfc9112 profile that is the same rejection (when it comes is h11's API contract, not an
RFC rule); under the h11 profile it is a finding.
"""

from __future__ import annotations

import re
from typing import Any

from tests.faults.fuzz._base import BASE, Watching, reexport

FUZZ_TARGET = "differential"  # the target that reports it under the h11 profile only

reexport(globals())

_TE_LINE = re.compile(rb"\r?\ntransfer-encoding:[^\n]*", re.IGNORECASE)


class Connection(Watching):
    """The reference Connection with one planted lateness: a head it rejects for its Transfer-Encoding is
    delivered first (without that field), the rejection raised on the next call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: BaseException | None = None
        self._started = False  # an event was delivered: the head is no longer the first one

    def next_event(self) -> Any:
        if self._pending is not None:
            raise self._pending
        try:
            event = super().next_event()
        except BASE.RemoteProtocolError as exc:
            head = self.first_head
            if self._started or (
                self.our_role is not BASE.SERVER
                or not _TE_LINE.search(head)
                or "Transfer-Encoding" not in str(exc)
            ):
                raise
            self._pending = exc
            return self._head_without_te(head)
        self._started = self._started or event not in (BASE.NEED_DATA, BASE.PAUSED)
        return event

    @staticmethod
    def _head_without_te(head: bytes) -> Any:
        """The Request the head gives with its Transfer-Encoding lines dropped, read by a fresh reference."""
        reader = BASE.Connection(BASE.SERVER)
        reader.receive_data(_TE_LINE.sub(b"", head) + b"\r\n\r\n")
        return reader.next_event()
