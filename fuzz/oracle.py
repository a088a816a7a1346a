"""What a fuzz target is: one oracle, stated in one sentence, and the check that enforces it.

Theory of operation: a target is a ``FuzzTarget(name, oracle, check)``. ``check(api, data)`` runs the
implementation ``api`` (anything exposing the h11 API) on ``data`` and either returns, raises
``OracleViolation`` when the oracle breaks, or lets an unexpected exception of the implementation escape
(that is a crash). The oracle sentence is the first line of the check's docstring (``oracle_of``), so
the promise and the code that keeps it are read from one place. ``FindingInfo`` is the picklable record
of one finding that triage folds by signature. A check may instead raise ``OracleInfo``: the oracle holds,
but the input showed something worth reporting (one implementation mixing the alternatives of a choice
point within one connection); ``fuzz.targets.observe_one`` turns it into a ``FindingInfo`` of level
"info", which is counted apart and never stored, minimized or allowed to stop libFuzzer. The grading
profile reaches the targets through ``$H11SPEC_PROFILE`` (``active_profile``): libFuzzer workers are
separate processes.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

from conformance.errors import HarnessError
from conformance.verdict import PROFILES

PROFILE_ENV = "H11SPEC_PROFILE"
DEFAULT_PROFILE = "rfc9112"


class OracleViolation(AssertionError):
    """The oracle of a fuzz target broke: ``oracle`` is its sentence, ``detail`` what was seen.

    ``kind`` is a short, stable classification of the violation (no input bytes in it), used in the
    finding's signature so that different bugs breaking the same oracle are not folded together.
    """

    def __init__(self, oracle: str, detail: str, *, kind: str = "") -> None:
        super().__init__(f"{oracle} -- {detail}")
        self.oracle = oracle
        self.detail = detail
        self.kind = kind


class OracleInfo(Exception):
    """Not a violation: what a check reports as information (``kind`` as in ``OracleViolation``)."""

    def __init__(self, oracle: str, detail: str, *, kind: str) -> None:
        super().__init__(f"{oracle} -- {detail}")
        self.oracle = oracle
        self.detail = detail
        self.kind = kind


class SkippedInput(Exception):
    """The target cannot read this input (a response stream on a target that reads only requests, say):
    no finding and no error. ``fuzz.targets.run_one`` counts it in ``fuzz.targets.SKIPPED``."""


@dataclasses.dataclass(frozen=True)
class FuzzTarget:
    """One fuzz target: its name, its oracle sentence and the check that enforces it."""

    name: str
    oracle: str
    check: Callable[[Any, bytes], None]
    # The capabilities (conformance.targets.capabilities) the check needs; a target lacking one is not
    # fuzzed or replayed on this target, with the reason said.
    needs: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class FindingInfo:
    """A picklable description of one finding, for triage (see ``run_one``)."""

    target: str
    oracle: str
    exc_type: str  # "OracleViolation" or the implementation's exception type name
    frame: str  # innermost implementation frame "module:function", or "oracle:<kind>" for a violation
    message: str
    level: str = "violation"  # or "info": an ``OracleInfo``, never a finding

    @property
    def is_info(self) -> bool:
        """True for information (``OracleInfo``), which is counted, never stored as a finding."""
        return self.level == "info"

    @property
    def signature(self) -> tuple[str, str, str]:
        """(oracle, exception type, frame): findings with equal signatures are the same bug."""
        return (self.oracle, self.exc_type, self.frame)


def active_profile() -> str:
    """The grading profile the targets apply: ``$H11SPEC_PROFILE`` or ``rfc9112``.

    Raises:
        HarnessError: the variable names no profile of ``conformance.verdict.PROFILES``.
    """
    profile = os.environ.get(PROFILE_ENV, DEFAULT_PROFILE) or DEFAULT_PROFILE
    if profile not in PROFILES:
        raise HarnessError(f"${PROFILE_ENV}={profile!r} is not a profile; use one of {', '.join(PROFILES)}")
    return profile


def oracle_of(check: Callable[..., None]) -> str:
    """A check's oracle: the first line of its docstring (one source for what the check promises)."""
    return (check.__doc__ or "").strip().splitlines()[0]
