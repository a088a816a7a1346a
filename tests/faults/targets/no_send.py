"""Planted fault: an h11 implementation with no ``Connection.send``, so it lacks "serialize"."""

from __future__ import annotations

from tests.faults.targets._base import BASE, reexport

reexport(globals())


class Connection(BASE.Connection):
    """The base Connection without its sending half."""

    send = None
    send_with_data_passthrough = None
