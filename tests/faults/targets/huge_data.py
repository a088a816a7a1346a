"""Planted fault: an h11 implementation whose next_event returns one 64 MiB Data event per message."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())
HUGE = 64 << 20


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def next_event(self) -> Any:
        event = super().next_event()
        if type(event).__name__ == "Request":
            self._h11spec_flood = True
            return event
        if getattr(self, "_h11spec_flood", False) and event is BASE.NEED_DATA:
            self._h11spec_flood = False
            return BASE.Data(data=b"x" * HUGE)
        return event
