"""The reference implementation against the catalog: it must pass every MUST case under rfc9112."""

from __future__ import annotations

import fnmatch
import importlib

import pytest

from conformance.catalog.cases import CATALOG
from conformance.catalog.grade import evaluate, grade
from conformance.targets.executor import Ok


def _reference() -> object:
    try:
        module = importlib.import_module("conformance.reference")
    except ImportError as exc:  # pragma: no cover - only while the reference is being written
        pytest.skip(f"conformance.reference does not import yet ({exc})")
    if not hasattr(module, "Connection"):
        pytest.skip("conformance.reference has no Connection yet")
    return module


# Reference bugs the catalog found, reported to the lead; remove an entry when the reference is fixed (the tes
# then fails until it is, so the list cannot go stale).
KNOWN_REFERENCE_BUGS: dict[str, str] = {}


@pytest.mark.slow
def test_reference_passes_every_must_case() -> None:
    """The reference never fails, crashes or hangs under rfc9112 (SHOULD/MAY misses only warn or info)."""
    api = _reference()
    problems = {}
    for case in CATALOG:
        result = grade(case, Ok(evaluate(api, case)), impl="reference", profile="rfc9112")
        if result.verdict.is_problem:
            problems[case.id] = result.message
    assert sorted(problems) == sorted(KNOWN_REFERENCE_BUGS), problems


# Numerals past what the reference converts: it refuses them at once, but an implementation that reads any
# number of digits would wait for the body instead, so these cases allow the rejection to wait for EOF.
HUGE_NUMERALS = ("*-digits", "*-digits-response", "*-leading-zeros")


def test_eof_rejects_marks_the_rejections_that_wait_for_eof() -> None:
    """``eof_rejects`` is set where the reference rejects at EOF but not before (or on a huge numeral)."""
    api = _reference()
    wrong = {}
    for case in CATALOG:
        if case.wire is None or not case.eof:
            continue
        ev = evaluate(api, case)
        final, settled = ev.variants[0][1], ev.settled
        assert settled is not None
        waits = final.error is not None and settled.error is None
        allowance = any(fnmatch.fnmatchcase(case.id, p) for p in HUGE_NUMERALS)
        if waits != case.eof_rejects and not (allowance and case.eof_rejects):
            wrong[case.id] = f"eof_rejects={case.eof_rejects}, reference waits for EOF: {waits}"
    assert wrong == {}
