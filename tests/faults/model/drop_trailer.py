"""Planted fault (breaks "wire"): the writer drops the last trailer field of a chunked message.

The event is sent as given (so an EndOfMessage whose trailers are illegal still raises, as in the
reference); only the bytes written lose the last trailer line.
"""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        data = super().send(event)
        if type(event).__name__ == "EndOfMessage" and len(event.headers) and data:
            head = bytes(data).rpartition(b"\r\n\r\n")[0]  # b"0\r\nA: 1\r\nB: 2"
            data = head.rpartition(b"\r\n")[0] + b"\r\n\r\n"
        return data


API = wrap(Connection, "drop_trailer")
INVARIANT = "wire"
