"""Requirement coverage: how many testable RFC requirements the catalog's cases check.

Theory of operation: a requirement (``conformance.catalog.requirements``) is testable when it is classified
``checked`` or ``choice``; it is covered when at least one catalog case names it. ``tally`` counts both,
with the classifications, over any group of requirements; ``tallies`` gives the whole table, each RFC and
each section, in document order. ``in_scope`` is the rule that picks, from the sentences extracted from the
RFC sources, the ones the table must list (all of RFC 9112; of RFC 9110, the sections the catalog cites).
Nothing here prints: ``conformance.commands.requirements`` renders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from conformance.catalog.case import Case
from conformance.catalog.requirements import CHECKED, CHOICE, OUT_OF_SCOPE, REQUIREMENTS, Requirement
from conformance.catalog.rfc import Sentence

WHOLE = ("9112",)  # RFCs in scope whole; of the others, only the sections the catalog cites


@dataclasses.dataclass(frozen=True)
class Tally:
    """Counts over one group of requirements (``group`` is "all", "RFC 9112" or "RFC 9112 §6.3")."""

    group: str
    total: int
    checked: int
    choice: int
    out_of_scope: int
    covered: int

    @property
    def testable(self) -> int:
        """Checked plus choice requirements."""
        return self.checked + self.choice

    @property
    def ratio(self) -> float:
        """Covered over testable (1.0 when nothing is testable)."""
        return self.covered / self.testable if self.testable else 1.0


def tally(group: str, requirements: Iterable[Requirement]) -> Tally:
    """The counts over ``requirements``."""
    reqs = list(requirements)
    kinds = [r.kind for r in reqs]
    return Tally(
        group,
        len(reqs),
        kinds.count(CHECKED),
        kinds.count(CHOICE),
        kinds.count(OUT_OF_SCOPE),
        sum(r.covered for r in reqs),
    )


def tallies(requirements: Sequence[Requirement] = REQUIREMENTS) -> list[Tally]:
    """The whole table, then each RFC followed by each of its sections (in the table's order).

    Returns:
        Tallies; the first one's group is "all".
    """
    out = [tally("all", requirements)]
    for rfc in dict.fromkeys(r.rfc for r in requirements):
        mine = [r for r in requirements if r.rfc == rfc]
        out.append(tally(rfc, mine))
        for section in dict.fromkeys(r.section for r in mine):
            out.append(tally(f"{rfc} §{section}", (r for r in mine if r.section == section)))
    return out


def missing(requirements: Sequence[Requirement] = REQUIREMENTS) -> list[Requirement]:
    """The testable requirements no case checks yet."""
    return [r for r in requirements if r.testable and not r.covered]


def cited_sections(cases: Iterable[Case]) -> set[tuple[str, str]]:
    """(RFC number, section) for every ``RFC NNNN §S`` a case cites, e.g. ("9110", "8.6")."""
    out = set()
    for case in cases:
        head, sep, section = case.rfc.partition(" §")
        if sep and head.startswith("RFC "):
            out.add((head[4:], section))
    return out


def in_scope(sentences: Sequence[Sentence], cited: set[tuple[str, str]]) -> list[Sentence]:
    """The sentences the requirement table must list, in their order.

    All of an RFC in ``WHOLE``; of another, those of a cited section, and those of a subsection of a cited
    section that holds no requirement sentence of its own.
    """
    own = {(s.rfc, s.section) for s in sentences}
    parents = {(rfc, sec) for rfc, sec in cited if (rfc, sec) not in own}

    def wanted(s: Sentence) -> bool:
        if s.rfc in WHOLE or (s.rfc, s.section) in cited:
            return True
        return any(s.rfc == rfc and s.section.startswith(sec + ".") for rfc, sec in parents)

    return [s for s in sentences if wanted(s)]


__all__ = ["WHOLE", "Tally", "cited_sections", "in_scope", "missing", "tallies", "tally"]
