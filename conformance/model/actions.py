"""The model's vocabulary: an action (one step of an example) and the error a broken invariant raises.

Theory of operation: an ``Action`` is a plain tuple whose first item names it ("send", "deliver",
"inject", "eof", ...), so examples print, pickle and store as data (``conformance.model.entries``).
``InvariantViolation`` is how ``conformance.model.world`` reports a broken invariant; ``crash`` marks an
exception the target raised that the API contract does not allow (or a worker that died), ``hang`` a
call into the target that did not return in time. Both live here, below ``world`` and
``lockstep``, so that neither of those has to import the other's engine.
"""

from __future__ import annotations

from typing import Any

Action = tuple[Any, ...]


class InvariantViolation(AssertionError):
    """An invariant of the model broke; ``crash`` marks an exception the contract does not allow."""

    def __init__(self, invariant: str, detail: str, *, crash: bool = False, hang: bool = False) -> None:
        super().__init__(f"{invariant}: {detail}")
        self.invariant = invariant
        self.detail = detail
        self.crash = crash or hang
        self.hang = hang
