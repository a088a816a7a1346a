"""Planted fault (breaks "errors", verdict crash): KeyError from send() on one rare path (a 103)."""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        if type(event).__name__ == "InformationalResponse" and event.status_code == 103:
            raise KeyError(103)
        return super().send(event)


API = wrap(Connection, "keyerror_rare")
INVARIANT = "errors"
