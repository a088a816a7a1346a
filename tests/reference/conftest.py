"""Fixtures for the reference's tests: every unit test runs against both h11 and conformance.reference.

The spec is h11 0.16's observed behaviour (../shared/h11-behaviour.md), so a unit test that fails on h11 is a
wrong test; where the reference deliberately departs from h11 (conformance/reference/differences.py), the
test asks ``differs(api, name)`` and asserts each side's behaviour explicitly.
"""

from __future__ import annotations

import types

import h11
import pytest

REFERENCE: types.ModuleType | None = None
REFERENCE_MISSING = ""
try:  # The single place the reference may be missing; every reference-parametrised test skips here.
    import conformance.reference as _reference

    if not hasattr(_reference, "Connection"):
        raise ImportError("no Connection yet")
    REFERENCE = _reference
except ImportError as exc:  # pragma: no cover - only while the reference is being written
    REFERENCE_MISSING = f"conformance.reference does not import yet ({exc})"


def load(name: str) -> types.ModuleType:
    """The module under test for an id ("h11" or "reference"); skips while the reference is missing."""
    if name == "h11":
        return h11
    if REFERENCE is None:
        pytest.skip(REFERENCE_MISSING)
    return REFERENCE


@pytest.fixture(params=["h11", "reference"])
def api(request: pytest.FixtureRequest) -> types.ModuleType:
    """The h11-API module under test: the installed h11, then conformance.reference."""
    return load(request.param)


@pytest.fixture
def ref() -> types.ModuleType:
    """conformance.reference alone (for the differential tests, paired with h11)."""
    return load("reference")
