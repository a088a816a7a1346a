"""Planted fault: an h11 implementation whose send() returns a float instead of bytes."""

from __future__ import annotations

from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def send(self, event: Any) -> Any:
        super().send(event)
        return 1.5
