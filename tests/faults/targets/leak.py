"""Planted fault: an h11 implementation that leaks memory without bound (1 MiB blocks, forever)."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())
_HOARD: list[bytearray] = []


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def next_event(self) -> Any:
        while True:
            _HOARD.append(bytearray(1 << 20))
