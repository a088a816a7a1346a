"""Planted fault (breaks "states"): the state machine forgets MUST_CLOSE after an HTTP/1.0 peer.

A peer that spoke HTTP/1.0 turns keep-alive off, so a side that finishes its message must go to
MUST_CLOSE; this Connection reports DONE instead.
"""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def _forget(self, state: Any) -> Any:
        version = self.their_http_version
        if state is BASE.MUST_CLOSE and version is not None and bytes(version) < b"1.1":
            return BASE.DONE
        return state

    @property
    def our_state(self) -> Any:
        return self._forget(super().our_state)

    @property
    def their_state(self) -> Any:
        return self._forget(super().their_state)


API = wrap(Connection, "forget_must_close")
INVARIANT = "states"
