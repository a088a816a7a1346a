"""Planted fault: an h11 implementation that segfaults: next_event reads address 0."""

from __future__ import annotations

import ctypes
from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def next_event(self) -> Any:
        return ctypes.string_at(0)
