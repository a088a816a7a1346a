"""The conformance catalog: every case, as data, grouped by topic.

Theory of operation: each topic module (``framing``, ``chunked``, ``fields``, ``start_line``, ``messages``,
``sending``, ``state_machine``, ``robustness``, ``sender_rules``, ``persistence``, ``api_contract``,
``limits``, ``send_rules``) builds a list ``CASES`` of ``conformance.catalog.case.Case`` records from small
tables. ``CATALOG`` is their concatenation, in a stable order; ``select`` filters it by id pattern and
level. ``check_catalog`` enforces the invariants a self-test also checks: unique ids, every ``difference``
known, and the vectors of docs/vectors.md covered.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Sequence

from conformance.catalog.case import Accept, Case, Either, Reject
from conformance.catalog.cases import (
    api_contract,
    chunked,
    fields,
    framing,
    limits,
    messages,
    persistence,
    robustness,
    send_rules,
    sender_rules,
    sending,
    start_line,
    state_machine,
)
from conformance.catalog.cases._common import LENIENCIES
from conformance.errors import HarnessError
from conformance.verdict import Level

_MODULES = (
    framing,
    chunked,
    fields,
    start_line,
    messages,
    sending,
    state_machine,
    robustness,
    sender_rules,
    persistence,
    api_contract,
    limits,
    send_rules,
)

CATALOG: tuple[Case, ...] = tuple(c for module in _MODULES for c in module.CASES)
VECTORS = range(1, 60)


def select(patterns: Sequence[str] = (), levels: Collection[Level] = ()) -> list[Case]:
    """The cases whose id matches any of ``patterns`` (fnmatch; empty: all) and whose level is in ``levels``.

    Returns:
        The selected cases in catalog order.
    """
    chosen = []
    for case in CATALOG:
        if patterns and not any(fnmatch.fnmatchcase(case.id, p) for p in patterns):
            continue
        if levels and case.level not in levels:
            continue
        chosen.append(case)
    return chosen


def known_explanations() -> frozenset[str]:
    """Names a case's ``difference`` may take: reference differences and documented h11 leniencies."""
    from conformance.reference.differences import DIFFERENCES

    return frozenset(d.name for d in DIFFERENCES) | frozenset(LENIENCIES)


def check_catalog(cases: Sequence[Case] = CATALOG) -> None:
    """Raise HarnessError if the catalog breaks one of its invariants (see the module docstring)."""
    seen: set[str] = set()
    names = known_explanations()
    for case in cases:
        if case.id in seen:
            raise HarnessError(f"duplicate case id {case.id}")
        seen.add(case.id)
        if case.difference is not None and case.difference not in names:
            raise HarnessError(f"{case.id}: unknown difference {case.difference!r}")


def case_ids_for(difference: str) -> list[str]:
    """The ids of the cases a documented difference or leniency explains."""
    return [c.id for c in CATALOG if c.difference == difference]


__all__ = ["CATALOG", "Accept", "Case", "Either", "Reject", "case_ids_for", "check_catalog", "select"]
