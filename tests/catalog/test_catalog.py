"""Self-tests of the catalog as data: ids, coverage of the vectors, explanations, and h11 as the baseline."""

from __future__ import annotations

import collections

import h11
import pytest

from conformance import drive
from conformance.catalog.cases import (
    CATALOG,
    VECTORS,
    case_ids_for,
    check_catalog,
    known_explanations,
    select,
)
from conformance.catalog.cases._common import LENIENCIES, SPLIT_DEPENDENT
from conformance.catalog.cases.state_machine import SETUP, STATES
from conformance.catalog.grade import Evaluation, evaluate, grade
from conformance.reference.differences import DIFFERENCES
from conformance.targets.executor import Ok
from conformance.verdict import Level, Verdict


@pytest.fixture(scope="module")
def h11_evaluations() -> dict[str, Evaluation]:
    """Every case evaluated on h11 once (the grading tests below grade it under both profiles)."""
    return {c.id: evaluate(h11, c) for c in CATALOG}


def _grade_all(evaluations: dict[str, Evaluation], profile: str) -> dict[str, Verdict]:
    return {c.id: grade(c, Ok(evaluations[c.id]), impl="h11", profile=profile).verdict for c in CATALOG}


@pytest.fixture(scope="module")
def h11_rfc9112(h11_evaluations: dict[str, Evaluation]) -> dict[str, Verdict]:
    """Every case graded on h11 under the rfc9112 profile."""
    return _grade_all(h11_evaluations, "rfc9112")


def test_catalog_is_large_and_ids_unique() -> None:
    """The catalog holds at least 250 cases with unique, well-formed ids and known explanations."""
    check_catalog()
    assert len(CATALOG) >= 250
    assert len({c.id for c in CATALOG}) == len(CATALOG)


def test_id_section_matches_rfc() -> None:
    """A case id's <rfc>/<section> part names the same RFC section as its rfc field."""
    for case in CATALOG:
        rfc, section, _slug = case.id.split("/")
        if rfc != "h11":
            assert case.rfc.startswith(f"RFC {rfc} §{section}"), case.id


def test_every_leniency_is_used() -> None:
    """Every documented h11 leniency explains at least one case (no stale entries)."""
    assert [name for name in LENIENCIES if not case_ids_for(name)] == []


def test_every_vector_is_covered() -> None:
    """Every vector 1-59 of docs/vectors.md is tagged on at least one case."""
    covered = {v for c in CATALOG for v in c.vectors}
    assert set(VECTORS) - covered == set()


def test_levels_and_roles_are_mixed() -> None:
    """The catalog grades both roles and all three requirement levels."""
    levels = collections.Counter(c.level for c in CATALOG)
    roles = collections.Counter(c.role for c in CATALOG)
    assert all(levels[level] > 0 for level in Level)
    assert roles["server"] > 0
    assert roles["client"] > 0


def test_differences_name_real_entries() -> None:
    """A case's difference is a documented reference difference or a documented h11 leniency."""
    names = known_explanations()
    assert {d.name for d in DIFFERENCES} <= names
    assert set(LENIENCIES) <= names
    for case in CATALOG:
        assert (case.difference is None) == (case.h11_expect is None), case.id
        assert case.difference is None or case.difference in names, case.id


def test_most_differences_have_cases() -> None:
    """Every reference difference about behaviour on the wire is exercised by at least one case."""
    missing = [d.name for d in DIFFERENCES if not case_ids_for(d.name)]
    assert missing == []


def test_select_by_pattern_and_level() -> None:
    """select() filters by fnmatch id pattern and by level, keeping catalog order."""
    chosen = select(["9112/6.*"], [Level.MUST])
    assert chosen
    assert all(c.id.startswith("9112/6.") and c.level is Level.MUST for c in chosen)
    assert [c.id for c in chosen] == [c.id for c in CATALOG if c in chosen]
    assert select(["no/such/*"]) == []


@pytest.mark.slow
def test_h11_passes_everything_under_h11_profile(h11_evaluations: dict[str, Evaluation]) -> None:
    """h11 passes every case under the h11 profile: the h11 expectations match its documented behaviour."""
    verdicts = _grade_all(h11_evaluations, "h11")
    assert {k: v for k, v in verdicts.items() if v is not Verdict.PASS} == {}


@pytest.mark.slow
def test_h11_fails_rfc9112_only_where_explained(h11_rfc9112: dict[str, Verdict]) -> None:
    """Under rfc9112, h11 misses a case only where a documented difference or leniency explains it."""
    by_id = {c.id: c for c in CATALOG}
    unexplained = {
        cid: v for cid, v in h11_rfc9112.items() if v is not Verdict.PASS and by_id[cid].difference is None
    }
    assert unexplained == {}


@pytest.mark.slow
def test_h11_fails_each_reference_difference(h11_rfc9112: dict[str, Verdict]) -> None:
    """Each reference difference (and split-dependent leniency) makes h11 fail or crash at least one case."""
    for name in sorted({d.name for d in DIFFERENCES} | SPLIT_DEPENDENT):
        verdicts = {h11_rfc9112[cid] for cid in case_ids_for(name)}
        assert verdicts & {Verdict.FAIL, Verdict.CRASH}, name


@pytest.mark.parametrize(("role", "state"), sorted(SETUP))
def test_state_machine_setup_reaches_state(role: str, state: str) -> None:
    """Each state-machine case's setup script really puts h11's sending side in the state it names."""
    assert state in STATES[role]
    steps = SETUP[(role, state)]
    outcomes = drive.run_script(h11, role, steps) if steps else ()
    reached = outcomes[-1][1].our_state if outcomes else "IDLE"
    assert reached == state
