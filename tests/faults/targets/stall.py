"""Planted fault: next_event keeps answering NEED_DATA, even after the input is complete and EOF seen."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection that never produces an event."""

    def next_event(self) -> Any:
        return BASE.NEED_DATA
