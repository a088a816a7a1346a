"""Planted fault: next_event never runs dry; it returns empty Data events forever."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection that always has one more event."""

    def next_event(self) -> Any:
        return BASE.Data(data=b"")
