"""Verdicts and requirement levels shared by the catalog, the model checker and fuzz replay."""

from __future__ import annotations

import enum


class Level(str, enum.Enum):
    """BCP 14 requirement level of the sentence a case checks."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Verdict(str, enum.Enum):
    """How one case went on one implementation."""

    PASS = "pass"
    FAIL = "fail"  # a MUST (or the chosen profile's contract) not met
    WARN = "warn"  # a SHOULD not met
    INFO = "info"  # a MAY or an allowed choice, recorded
    CRASH = "crash"  # an exception the contract does not allow, or the worker died
    HANG = "hang"  # no result within the timeout, or endless NEED_DATA on complete input
    SKIP = "skip"  # the implementation lacks a capability the case needs
    HARNESS = "harness-error"  # the harness's own code failed: no verdict about the implementation

    @property
    def is_problem(self) -> bool:
        """True for the verdicts that fail a run when the case is MUST-level."""
        return self in (Verdict.FAIL, Verdict.CRASH, Verdict.HANG)


PROFILES = ("rfc9112", "h11")
"""Grading contracts: ``rfc9112`` against the RFCs, ``h11`` parity with h11's documented behaviour."""
