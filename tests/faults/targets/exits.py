"""Planted fault: an h11 implementation that exits: next_event calls os._exit(3), skipping all cleanup."""

from __future__ import annotations

import os
from typing import Any

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection with one planted bug."""

    def next_event(self) -> Any:
        os._exit(3)
