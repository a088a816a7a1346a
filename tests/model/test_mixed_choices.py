"""The model checker reports one implementation mixing a choice point's alternatives as information.

In the lock-step world and the byte-stream property, a target whose history matches no single
assignment of the choice points but a per-occurrence mixture of one point's alternatives is an info on
the invariant's row ("mixes alternatives of <choice> within one connection: <sequence>"), never a fail;
a disallowed alternative at a later occurrence is still a fail.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from conformance.model.actions import InvariantViolation
from conformance.model.bytestream import ByteStreamViolation, check_stream
from conformance.model.check import run_model
from conformance.model.coverage import Coverage
from conformance.model.lockstep import LockStep
from conformance.model.tours import TOURS
from conformance.targets.load import load_target, reference_api
from conformance.verdict import Verdict
from tests.faults.choices._base import MIXED, NEAR_MIXED

FAULTS = "tests.faults.choices."
TOUR = TOURS["keep-alive-folded-requests"]


def _api(name: str) -> Any:
    return importlib.import_module(FAULTS + name)


def _walk(step: LockStep) -> None:
    for action in TOUR:
        step.apply(action)


def test_a_mixed_choice_holds_the_lock_step_world_as_information() -> None:
    """Replacing the first request's obs-fold and rejecting the second's is counted as a mix, not raised."""
    coverage = Coverage()
    step = LockStep(_api("mixed_obs_fold"), reference_api(), coverage=coverage)
    _walk(step)
    assert list(coverage.mixed) == [
        ("round-trip", "mixes alternatives of obs-fold within one connection: replace, reject")
    ]


def test_one_alternative_throughout_is_no_mix() -> None:
    """Rejecting both folds is one allowed alternative: the world holds and nothing is counted as mixed."""
    coverage = Coverage()
    step = LockStep(_api("flip_obs_fold"), reference_api(), coverage=coverage)
    _walk(step)
    assert not coverage.mixed


@pytest.mark.parametrize("name", sorted(NEAR_MIXED))
def test_a_disallowed_alternative_on_a_later_occurrence_is_a_lock_step_violation(name: str) -> None:
    """Replacing the second request's obs-fold by nothing breaks an invariant, naming obs-fold."""
    step = LockStep(_api(name), reference_api(), coverage=Coverage())
    with pytest.raises(InvariantViolation) as info:
        _walk(step)
    assert "choice points considered: obs-fold" in info.value.detail
    assert step.coverage is not None
    assert not step.coverage.mixed


@pytest.mark.parametrize("name", sorted(MIXED))
def test_a_mixed_byte_stream_is_information(name: str) -> None:
    """A pipelined stream reaching the point twice, taken once each way, holds with the mix reported."""
    cid, data = MIXED[name]
    seen: list[str] = []
    assert check_stream(_api(name), reference_api(), "server", data, (), "rfc9112", on_mixed=seen.append)
    assert seen == [f"mixes alternatives of {cid} within one connection: {', '.join(_sequence(name))}"]


def _sequence(name: str) -> tuple[str, ...]:
    sequence: tuple[str, ...] = _api(name).ASSIGNMENT[MIXED[name][0]]
    return sequence


@pytest.mark.parametrize("name", sorted(NEAR_MIXED))
def test_a_near_miss_byte_stream_is_a_violation(name: str) -> None:
    """The near-miss's pipelined stream is a byte-stream violation, not a mix."""
    seen: list[str] = []
    with pytest.raises(ByteStreamViolation):
        check_stream(_api(name), reference_api(), "server", NEAR_MIXED[name][1], (), "rfc9112", seen.append)
    assert seen == []


def test_the_h11_profile_reports_no_mix_but_a_violation() -> None:
    """Under the h11 profile the oracle is h11's one alternative: the mix is a violation, not information."""
    step = LockStep(_api("mixed_obs_fold"), reference_api(), coverage=Coverage(), profile="h11")
    with pytest.raises(InvariantViolation):
        _walk(step)


def test_a_seeded_model_run_gives_an_info_row_and_no_fail() -> None:
    """A seeded quick run on the mixed fault has an info row with the mix and no fail or crash."""
    target = load_target(FAULTS + "mixed_obs_fold")
    report = run_model(target, depth="quick", seed=0, corpus_dir=None, isolated=False)
    verdicts = {row.case_id: row.verdict for row in report.results}
    assert Verdict.FAIL not in verdicts.values()
    assert Verdict.CRASH not in verdicts.values()
    infos = [row for row in report.results if row.verdict is Verdict.INFO]
    assert infos
    assert all(
        "mixes alternatives of obs-fold within one connection: replace, reject" in r.message for r in infos
    )


def test_a_seeded_model_run_fails_the_near_miss() -> None:
    """A seeded quick run on the near-miss fails round-trip at the second fold, naming obs-fold."""
    target = load_target(FAULTS + "near_mixed_obs_fold_nothing")
    report = run_model(target, depth="quick", seed=0, corpus_dir=None, isolated=False)
    rows = {row.case_id: row for row in report.results}
    assert rows["model/round-trip"].verdict is Verdict.FAIL
    assert "choice points considered: obs-fold" in rows["model/round-trip"].message
    assert Verdict.INFO not in {row.verdict for row in report.results}
