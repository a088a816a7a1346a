"""Planted fault: LocalProtocolError does not derive from ProtocolError."""

from __future__ import annotations

from tests.faults.targets._base import reexport

reexport(globals())


class LocalProtocolError(Exception):
    """Outside the ProtocolError hierarchy, so ``except ProtocolError`` misses it."""
