"""Planted fault: an h11 implementation whose next_event raises ValueError (the contract forbids it)."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def next_event(self) -> Any:
        raise ValueError("planted fault")
