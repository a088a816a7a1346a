"""Fixtures for the reference's tests: every unit test runs against both h11 and conformance.reference.

The spec is h11 0.16's observed behaviour (docs/h11-behaviour.md), so a unit test that fails on h11 is a
wrong test; where the reference deliberately departs from h11 (conformance/reference/differences.py), the
test asks ``differs(api, name)`` and asserts each side's behaviour explicitly.
"""

from __future__ import annotations

import types

import h11
import pytest

import conformance.reference as reference

IMPLEMENTATIONS: dict[str, types.ModuleType] = {"h11": h11, "reference": reference}


@pytest.fixture(params=["h11", "reference"])
def api(request: pytest.FixtureRequest) -> types.ModuleType:
    """The h11-API module under test: the installed h11, then conformance.reference."""
    return IMPLEMENTATIONS[request.param]


@pytest.fixture
def ref() -> types.ModuleType:
    """conformance.reference alone (for the differential tests, paired with h11)."""
    return reference
