"""Planted fault (breaks "states"): the client never reports waiting for 100 Continue.

After sending ``Expect: 100-continue`` an HTTP/1.1 client waits (RFC 9110 §10.1.1); the flag says so.
"""

from __future__ import annotations

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    @property
    def client_is_waiting_for_100_continue(self) -> bool:
        return False

    @client_is_waiting_for_100_continue.setter
    def client_is_waiting_for_100_continue(self, value: bool) -> None:
        pass


API = wrap(Connection, "never_waits")
INVARIANT = "states"
