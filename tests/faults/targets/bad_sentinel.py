"""Planted fault: NEED_DATA is an ordinary class, not a sentinel (``type(NEED_DATA) is not NEED_DATA``)."""

from __future__ import annotations

from tests.faults.targets._base import reexport

reexport(globals())


class NEED_DATA:
    """A look-alike of the sentinel whose type is ``type``."""
