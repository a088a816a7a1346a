"""Planted fault (breaks "pure-send"): send() rewrites the target of the caller's Request event."""

from __future__ import annotations

from typing import Any

from tests.faults.model._base import BASE, wrap


class Connection(BASE.Connection):  # type: ignore[misc,name-defined]
    def send(self, event: Any) -> Any:
        data = super().send(event)
        if type(event).__name__ == "Request":
            object.__setattr__(event, "target", b"/mutated")
        return data


API = wrap(Connection, "mutate_event")
INVARIANT = "pure-send"
