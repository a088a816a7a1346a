"""The reference implementation against the catalog: it must pass every MUST case under rfc9112."""

from __future__ import annotations

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
