"""Planted fault (breaks "wire"): the writer drops the last trailer field of a chunked message."""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        if type(event).__name__ == "EndOfMessage" and len(event.headers):
            event = BASE.EndOfMessage(headers=list(event.headers.raw_items())[:-1])
        return super().send(event)


API = wrap(Connection, "drop_trailer")
INVARIANT = "wire"
